"""The statistics graph (kg/sparql/stats.py): after a build, a changed record and a SPARQL update
it holds what counting the other graphs gives, counted here another way (the queries
the canned ones were before they read the statistics)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.load.build import build
from kg.resources import sample_dir
from kg.sparql.query import run_query
from kg.sparql.stats import VERSION, data_triples, graph_iri, has_statistics, refresh, stats
from kg.store.evalstore import EvalStore
from kg.vocab import EK

PREFIXES = """PREFIX ek: <https://w3id.org/evalkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
#: Per organization: lessons, evaluations, countries, by joining triple patterns.
COUNTS = (
    PREFIXES
    + """SELECT ?o (COUNT(DISTINCT ?l) AS ?lessons) (COUNT(DISTINCT ?e) AS ?evaluations)
       (COUNT(DISTINCT ?c) AS ?countries)
WHERE {
  ?l a ek:Lesson ; ek:mentionsOrganization ?o
  OPTIONAL { ?l ek:evaluation ?e } OPTIONAL { ?l ek:country ?c }
}
GROUP BY ?o"""
)
REGIONS = (
    PREFIXES + "SELECT DISTINCT ?o ?r WHERE { ?l a ek:Lesson ; ek:mentionsOrganization ?o ; "
    "ek:region ?r . "
    "?r a ek:Region }"
)
STORED_COUNTS = (
    PREFIXES
    + """SELECT ?o ?lessons ?evaluations ?countries WHERE { GRAPH ?g {
  ?o ek:lessonCount ?lessons ; ek:evaluationCount ?evaluations ; ek:countryCount ?countries } }"""
)
STORED_REGIONS = PREFIXES + "SELECT ?o ?r WHERE { GRAPH ?g { ?o ek:lessonRegion ?r } }"
COUNTRIES = (
    PREFIXES
    + "SELECT DISTINCT ?o ?c WHERE { ?l a ek:Lesson ; ek:mentionsOrganization ?o ; ek:country ?c }"
)
STORED_COUNTRIES = PREFIXES + "SELECT ?o ?c WHERE { GRAPH ?g { ?o ek:lessonCountry ?c } }"
#: Per pair of organizations named in the same lessons: the lessons and evaluations.
PARTNERS = (
    PREFIXES
    + """SELECT ?o ?p (COUNT(DISTINCT ?l) AS ?lessons) (COUNT(DISTINCT ?e) AS ?evaluations)
WHERE {
  ?l a ek:Lesson ; ek:mentionsOrganization ?o , ?p FILTER(?o != ?p) OPTIONAL { ?l ek:evaluation ?e }
}
GROUP BY ?o ?p"""
)
STORED_PARTNERS = (
    PREFIXES
    + """SELECT ?o ?p ?lessons ?evaluations WHERE { GRAPH ?g {
  ?x a ek:Partnership ; ek:member ?o , ?p ;
  ek:sharedLessons ?lessons ; ek:sharedEvaluations ?evaluations FILTER(?o != ?p) } }"""
)
#: What `stats` reads from the statistics graph, counted by plain patterns instead.
DIRECT = {
    "evaluations": "?x a ek:Evaluation",
    "lessons": "?x a ek:Lesson",
    "good_practices": "?x a ek:GoodPractice",
    "recommendations": "?x a ek:Recommendation",
    "countries": "?l a ek:Lesson ; ek:country ?x",
    "regions": "?l a ek:Lesson ; ek:region ?x",
    "themes": "?l ek:theme ?x",
    "categories": "?l ek:category ?x",
    "places": "?l ek:mentionsPlace ?x",
    "initiatives": "?l ek:mentionsInitiative ?x",
}


def rows(store: EvalStore, sparql: str) -> set[tuple[str, ...]]:
    return {tuple(str(t) for t in row) for row in run_query(store, sparql).rows}


def other_triples(store: EvalStore) -> int:
    """The quads of every graph but the statistics graph, counted in Python."""
    statistics = ox.NamedNode(graph_iri(store))
    return sum(1 for q in store.inner if q.graph_name != statistics)


def assert_counted(store: EvalStore) -> None:
    """The statistics graph says what counting the other graphs gives."""
    assert has_statistics(store)
    assert data_triples(store) == other_triples(store) == stats(store)["triples"]
    assert rows(store, STORED_COUNTS) == rows(store, COUNTS)
    assert rows(store, STORED_REGIONS) == rows(store, REGIONS)
    assert rows(store, STORED_COUNTRIES) == rows(store, COUNTRIES)
    partners = rows(store, PARTNERS)
    assert partners and rows(store, STORED_PARTNERS) == partners
    # one node per pair, with two members
    members = "SELECT ?x (COUNT(?o) AS ?n) WHERE { GRAPH ?g { ?x ek:member ?o } } GROUP BY ?x"
    nodes = rows(store, PREFIXES + members)
    assert {n for _, n in nodes} == {'"2"^^<http://www.w3.org/2001/XMLSchema#integer>'}
    assert 2 * len(nodes) == len(partners)
    named = {row[0] for row in rows(store, COUNTS)}
    counted = stats(store)
    assert counted["organizations"] == len(named)
    for key, pattern in DIRECT.items():
        found = run_query(store, f"{PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?n) {{ {pattern} }}")
        assert counted[key] == int(found.rows[0][0].value), key


def test_a_build_counts_the_statistics(sample_store: EvalStore) -> None:
    assert_counted(sample_store)
    ilo = (f"<{sample_store.base_iri}org/ilo>",)
    lessons = stats(sample_store)["lessons"]
    (count,) = [r[1] for r in rows(sample_store, STORED_COUNTS) if r[:1] == ilo]
    # the ILO is named on its own in all lessons of the sample but two, which name only
    # one of its offices (011_…, 020_…: a unit of its own since issue 18)
    naming = sample_store.query(
        f"PREFIX ek: <{EK}> SELECT (COUNT(DISTINCT ?l) AS ?n) "
        f"WHERE {{ ?l a ek:Lesson ; ek:mentionsOrganization {ilo[0]} }}"
    )
    named = next(iter(naming))["n"].value
    assert count == f'"{named}"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert int(named) == lessons - 2
    statistics = ox.NamedNode(graph_iri(sample_store))
    kept = {q.graph_name for q in sample_store.inner if q.predicate.value == EK + "lessonCount"}
    assert kept == {statistics}


def test_a_changed_record_is_counted_again(tmp_path: Path, seed_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(sample_dir(), folder)
    store = EvalStore()
    build([folder], store=store)
    before = rows(store, STORED_COUNTS)
    page = folder / seed_path.name
    # the seed is the only record that names the Municipalidad de Santiago
    text = page.read_text(encoding="utf-8")
    assert "Municipalidad de Santiago" in text
    page.write_text(text.replace("Municipalidad de Santiago", "la comuna"), encoding="utf-8")
    assert build([folder], store=store).replaced == 1
    assert_counted(store)
    gone = {r[0] for r in before - rows(store, STORED_COUNTS)}
    assert any("municipalidad-de-santiago" in iri for iri in gone), gone


def test_an_update_is_counted_again(sample_store: EvalStore) -> None:
    store = EvalStore()
    store.inner.extend(list(sample_store.inner))
    assert_counted(store)
    lesson = next(iter(run_query(store, PREFIXES + "SELECT ?l { ?l a ek:Lesson } LIMIT 1").rows))
    update = (
        PREFIXES
        + f"INSERT DATA {{ GRAPH <urn:x:g> {{ {lesson[0]} ek:mentionsOrganization <urn:x:new> }} }}"
    )
    run_query(store, update, allow_update=True)
    assert_counted(store)
    assert ("<urn:x:new>",) in {r[:1] for r in rows(store, STORED_COUNTS)}
    run_query(store, "DROP ALL", allow_update=True)
    assert data_triples(store) == 0 and stats(store)["organizations"] == 0


def test_an_update_to_a_store_without_statistics_adds_none() -> None:
    store = EvalStore()
    run_query(store, "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", allow_update=True)
    assert not has_statistics(store) and len(store) == 1


def test_refresh_replaces_the_statistics(sample_store: EvalStore) -> None:
    store = EvalStore()
    store.inner.extend(list(sample_store.inner))
    before = set(store.inner)
    (stamp,) = (
        q.object.value
        for q in before
        if q.predicate.value.endswith("generatedAtTime") and q.graph_name.value == graph_iri(store)
    )
    assert refresh(store, now=stamp) == data_triples(store)
    assert set(store.inner) == before  # same clock as the build's: nothing changed
    refresh(store, now="2027-01-01T00:00:00Z")
    assert {q.graph_name.value for q in set(store.inner) ^ before} == {graph_iri(store)}
    assert_counted(store)


@pytest.mark.parametrize("command", [["stats"], ["query", "stats"]])
def test_a_store_without_statistics_says_so(
    tmp_path: Path, sample_folder: Path, command: list[str]
) -> None:
    folder = tmp_path / "store"
    shutil.copytree(sample_folder, folder)
    writer = EvalStore.create(folder)
    writer.inner.remove_graph(ox.NamedNode(graph_iri(writer)))
    writer.flush()
    del writer
    result = CliRunner().invoke(main, [*command, "--store", str(folder)])
    assert result.exit_code == 0, result.output
    assert "no statistics graph" in result.stderr
    fine = CliRunner().invoke(main, [*command, "--store", str(sample_folder)])
    assert "no statistics graph" not in fine.stderr


def test_an_interrupted_build_leaves_no_stale_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EvalStore()
    build([sample_dir()], store=store)
    assert has_statistics(store)

    def stopped(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    # kg.load.build is also the name of the function kg exports: patch the module itself
    monkeypatch.setattr(sys.modules["kg.load.build"], "refresh_statistics", stopped)
    with pytest.raises(KeyboardInterrupt):
        build([sample_dir()], store=store)
    assert not has_statistics(store)
    monkeypatch.undo()
    build([sample_dir()], store=store)  # building again counts them
    assert_counted(store)


def test_a_count_stopped_before_its_time_stamp_is_not_taken_for_one(
    sample_store: EvalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the counts go through the bulk loader, which is not atomic: a count stopped after
    # some of them reached the store leaves a graph without the stamp, written last
    store = EvalStore()
    store.inner.extend(list(sample_store.inner))
    add = EvalStore.add_statistics

    def stopped(self: EvalStore, triples: Iterable[Any], *, bulk: bool = False) -> None:
        if not bulk:
            raise KeyboardInterrupt
        add(self, triples, bulk=bulk)

    monkeypatch.setattr(EvalStore, "add_statistics", stopped)
    with pytest.raises(KeyboardInterrupt):
        refresh(store)
    monkeypatch.undo()
    assert store.inner.contains_named_graph(ox.NamedNode(graph_iri(store)))
    assert not has_statistics(store)
    refresh(store)
    assert_counted(store)


def test_statistics_of_another_version_are_not_taken_for_these(sample_store: EvalStore) -> None:
    # an earlier evalkg's graph lacks counts this one's queries read (the partnerships)
    store = EvalStore()
    store.inner.extend(list(sample_store.inner))
    mark = EK + "statisticsVersion"
    (quad,) = (q for q in store.inner if q.predicate.value == mark)
    assert quad.object.value == str(VERSION)
    store.inner.remove(quad)
    older = ox.Literal(str(VERSION - 1), datatype=quad.object.datatype)
    store.inner.add(ox.Quad(quad.subject, quad.predicate, older, quad.graph_name))
    assert not has_statistics(store)
    refresh(store)
    assert has_statistics(store)
    assert_counted(store)


def test_a_failed_update_keeps_the_counts(sample_store: EvalStore) -> None:
    from kg.errors import QueryError

    store = EvalStore()
    store.inner.extend(list(sample_store.inner))

    def unstamped() -> set[ox.Quad]:  # the recount's clock is this test's
        return {q for q in store.inner if not q.predicate.value.endswith("generatedAtTime")}

    before = unstamped()
    with pytest.raises(QueryError):  # a LOAD of a missing file fails in Oxigraph
        run_query(store, "LOAD <file:///nonexistent/x.ttl>", allow_update=True, allow_service=True)
    assert unstamped() == before
    assert_counted(store)


def test_an_update_stopped_at_its_deadline_drops_the_counts(
    sample_store: EvalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.sparql import deadline

    store = EvalStore()
    store.inner.extend(list(sample_store.inner))

    def late(*args: object, **kwargs: object) -> None:
        raise deadline.QueryTimeout("query stopped after 1 s (the timeout)")

    monkeypatch.setattr(deadline, "_in_thread", late)
    with pytest.raises(deadline.QueryTimeout):
        run_query(
            store, "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", allow_update=True, timeout=1
        )
    assert not has_statistics(store)


def test_a_build_says_when_it_counts() -> None:
    calls: list[str] = []
    report = build([sample_dir()], store=EvalStore(), on_count=lambda: calls.append("count"))
    assert calls == ["count"] and report.count_seconds > 0


def test_a_change_through_the_store_drops_the_counts(sample_store: EvalStore) -> None:
    """Every write of EvalStore but a recount removes the statistics: none, not stale."""
    record = ox.NamedNode(sample_store.base_iri + "record/242868")
    changes = {
        "replace_graph": lambda s: s.replace_graph(ox.NamedNode("urn:x:g"), []),
        "replace_record": lambda s: s.replace_record(record, [], []),
        "load_records": lambda s: s.load_records([]),
        "changed": lambda s: s.changed(),
    }
    for name, change in changes.items():
        store = EvalStore()
        store.inner.extend(list(sample_store.inner))
        assert has_statistics(store)
        change(store)
        assert not has_statistics(store), name
        refresh(store)
        assert_counted(store)
