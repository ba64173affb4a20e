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
  ``ek:countryCount`` and ``ek:lessonRegion`` (each region of those lessons).

The canned queries ``stats``, ``top-organizations`` and ``bridging-organizations`` read
these triples. They travel with the graph (``evalkg export``, ``evalkg push``), so the
same queries give the same rows on a SPARQL server.
"""

from __future__ import annotations

from typing import Any

from .queries import bind, get_query, list_queries
from .query import run_query
from .resources import data_dir
from .store import EvalStore
from .vocab import PROV, XSD

#: The statistics graph, under the store's base IRI.
GRAPH = "graph/statistics"
#: The dataset the statistics describe, under the store's base IRI.
DATASET = "dataset"
_VOID_TRIPLES = "http://rdfs.org/ns/void#triples"


def graph_iri(store: EvalStore) -> str:
    """The IRI of ``store``'s statistics graph."""
    return str(store.statistics.value)


def has_statistics(store: EvalStore) -> bool:
    """Whether ``store`` holds a statistics graph (a store built by an earlier evalkg has
    none; nor has one changed since through :class:`EvalStore` without a recount)."""
    return bool(store.inner.contains_named_graph(store.statistics))


def refresh(store: EvalStore, *, now: str | None = None) -> int:
    """Count again: replace ``store``'s statistics graph with the triples of the queries
    of ``queries/statistics/``, run over every other graph; ``now`` (an
    ``xsd:dateTime``, default the build's clock, :func:`kg.build.read_time`) is when.
    Returns the triples counted (those of every graph but the statistics graph)."""
    import pyoxigraph as ox

    if now is None:
        from .build import read_time

        now = read_time()
    store.drop_statistics()
    graph = store.statistics
    dataset = store.base_iri + DATASET
    triples: list[Any] = []
    for named in list_queries(data_dir("queries") / "statistics"):
        params = {"dataset": dataset} if "dataset" in named.params else {}
        triples += run_query(store, bind(named, params), source=str(named.path)).triples
    counted = next(
        (int(t.object.value) for t in triples if t.predicate.value == _VOID_TRIPLES), None
    )
    if counted is None:  # pragma: no cover - dataset.rq always gives one
        raise RuntimeError("queries/statistics/dataset.rq gave no void:triples")
    stamp = ox.Literal(now, datatype=ox.NamedNode(XSD + "dateTime"))
    triples.append(ox.Triple(store.iri(dataset), ox.NamedNode(PROV + "generatedAtTime"), stamp))
    store.replace_graph(graph, [(t.subject, t.predicate, t.object) for t in triples])
    return counted


def data_triples(store: EvalStore) -> int | None:
    """The triples the statistics graph counted (``None`` without one)."""
    answer: Any = store.inner.quads_for_pattern(
        store.iri(store.base_iri + DATASET),
        store.iri(_VOID_TRIPLES),
        None,
        store.iri(graph_iri(store)),
    )
    return next((int(quad.object.value) for quad in answer), None)


def stats(store: EvalStore) -> dict[str, int]:
    """``{"evaluations": …, "lessons": …, "countries": …, "regions": …, "themes": …,
    "categories": …, "organizations": …, "places": …, "initiatives": …, "triples": …}``
    (every figure from the statistics graph: 0 without one)."""
    query = get_query("stats")
    result = run_query(store, query.text, source=str(query.path))
    row = result.values()[0]
    return {key: int(value or 0) for key, value in row.items()}
