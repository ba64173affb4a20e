"""Counts of what the graph holds: the statistics graph kept with it, and the ``stats``
query (``queries/stats.rq``) that reads it.

Some questions count over the whole graph: how many triples it holds, how many lessons,
evaluations and countries each organization appears with. Counted on every run, they
take seconds to tens of seconds at 100,000 records (a ``COUNT(*)`` over 39 M quads:
15 s). So evalkg counts them once, at the end of every build and after every SPARQL
update made through it (:func:`refresh`), with the CONSTRUCT queries of
``queries/statistics/``, and keeps the result in the named graph
``<base>graph/statistics``:

- ``<base>dataset a void:Dataset ; void:triples N ; prov:generatedAtTime T``: the
  triples of every graph but the statistics graph;
- the dataset's VoID class partitions (evaluations, lessons: ``void:entities``; the
  distinct countries and regions of the lessons, as property partitions nested in the
  lessons' one) and property partitions (distinct themes, categories, places and
  initiatives: ``void:distinctObjects``), ``queries/statistics/partitions.rq``;
- per organization a lesson names: ``ek:lessonCount``, ``ek:evaluationCount``,
  ``ek:countryCount``, ``ek:lessonRegion`` and ``ek:lessonCountry`` (each region and
  country of those lessons);
- per two organizations named in the same lessons, an ``ek:Partnership`` with both as
  ``ek:member`` and ``ek:sharedLessons``, ``ek:sharedEvaluations``
  (``queries/statistics/organization-partners.rq``);
- ``<base>dataset ek:statisticsVersion`` :data:`VERSION`, written last.

The canned queries ``stats``, ``top-organizations``, ``bridging-organizations``,
``organization-partners`` and ``organization-profile`` read these triples. They travel
with the graph (``evalkg export``, ``evalkg push``), so the same queries give the same
rows on a SPARQL server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.clock import read_time
from kg.resources import data_dir
from kg.sparql.deadline import execute
from kg.sparql.queries import bind, get_query, list_queries
from kg.store.evalstore import EvalStore
from kg.vocab import EK, PROV, XSD

#: The statistics graph, under the store's base IRI.
GRAPH = "graph/statistics"
#: The dataset the statistics describe, under the store's base IRI.
DATASET = "dataset"
_VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
#: What the statistics graph holds, written with it (``<base>dataset
#: ek:statisticsVersion n``): a graph of another version is not taken for one. 2: with
#: the partnerships of organizations and the countries of their lessons.
VERSION = 2


def graph_iri(store: EvalStore) -> str:
    """The IRI of ``store``'s statistics graph."""
    return str(store.statistics.value)


def has_statistics(store: EvalStore) -> bool:
    """Whether ``store`` holds a whole statistics graph of this evalkg's
    :data:`VERSION`: its version triple is written last. A store built by an earlier
    evalkg has none or another version, and none has one changed since through
    :class:`EvalStore` without a recount, or one whose count was stopped."""
    if not store.has_graph(store.statistics):
        return False
    marks = store.quads(
        store.iri(store.base_iri + DATASET),
        store.iri(EK + "statisticsVersion"),
        _version(),
        store.statistics,
    )
    return next(marks, None) is not None


def _version() -> Any:
    import pyoxigraph as ox

    return ox.Literal(str(VERSION), datatype=ox.NamedNode(XSD + "integer"))


def refresh(store: EvalStore, *, now: str | None = None) -> int:
    """Count again: replace ``store``'s statistics graph with the triples of the queries
    of ``queries/statistics/``, run over every other graph; ``now`` (an
    ``xsd:dateTime``, default the build's clock, :func:`kg.clock.read_time`) is when.
    Returns the triples counted (those of every graph but the statistics graph).

    ``dataset.rq`` counts the other graphs first; the other queries read data
    properties only, never the counts. Their triples go to the store's bulk loader as
    they come (the partnerships are 496,680 triples at 100,000 records: the whole
    count took 49 s and peaked at 1.3 GB so, 69 s and 1.8 GB in one transaction). The
    loader is not atomic, so the time of the count and the :data:`VERSION` are written
    last, on their own: a count stopped half-way leaves a graph without them, which
    :func:`has_statistics` does not take for one (and the next build replaces)."""
    import pyoxigraph as ox

    if now is None:
        now = read_time()
    store.drop_statistics()
    dataset = store.base_iri + DATASET
    queries = list_queries(data_dir("queries") / "statistics")
    (size,) = (named for named in queries if named.name == "dataset")
    found = store.query(bind(size, {"dataset": dataset}))
    triples = [(t.subject, t.predicate, t.object) for t in found]
    counted = next((int(o.value) for _, p, o in triples if p.value == _VOID_TRIPLES), None)
    if counted is None:  # pragma: no cover - dataset.rq always gives one
        raise RuntimeError("queries/statistics/dataset.rq gave no void:triples")

    def counts() -> Iterator[tuple[Any, Any, Any]]:
        yield from triples
        for named in queries:
            if named is not size:
                params = {"dataset": dataset} if "dataset" in named.params else {}
                for triple in store.query(bind(named, params)):
                    yield triple.subject, triple.predicate, triple.object

    store.add_statistics(counts(), bulk=True)
    stamp = ox.Literal(now, datatype=ox.NamedNode(XSD + "dateTime"))
    subject = store.iri(dataset)
    store.add_statistics(
        [
            (subject, ox.NamedNode(PROV + "generatedAtTime"), stamp),
            (subject, ox.NamedNode(EK + "statisticsVersion"), _version()),
        ]
    )
    return counted


def data_triples(store: EvalStore) -> int | None:
    """The triples the statistics graph counted (``None`` without one)."""
    answer = store.quads(
        store.iri(store.base_iri + DATASET),
        store.iri(_VOID_TRIPLES),
        None,
        store.iri(graph_iri(store)),
    )
    return next((int(quad.object.value) for quad in answer), None)


def stats(store: EvalStore) -> dict[str, int]:
    """``{"evaluations": …, "lessons": …, "good_practices": …, "recommendations": …,
    "countries": …, "regions": …, "themes": …,
    "categories": …, "organizations": …, "places": …, "initiatives": …, "triples": …}``
    (every figure from the statistics graph: 0 without one)."""
    query = get_query("stats")
    result = execute(store, query.text, source=str(query.path))
    row = result.values()[0]
    return {key: int(value or 0) for key, value in row.items()}
