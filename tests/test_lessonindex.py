"""The lesson index (kg.store.lessonindex): every network drawn from it equals the one drawn
from SPARQL, it follows rebuilt records, and it stops being used when the store changes
behind its back."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg.load.build import build
from kg.networks.netdata import NetworkData
from kg.networks.projection import NETWORKS, Filters, project
from kg.resources import sample_dir
from kg.sparql.queries import get_query
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore
from kg.store.lessonindex import (
    COLUMNS,
    LINK_PROPERTIES,
    TEXT_CHARS,
    LessonIndex,
    LessonRow,
    lesson_row,
)

EK = "https://w3id.org/evalkg/ontology#"

FILTERS = [
    Filters(),
    Filters(country="Chile"),
    Filters(region="Africa"),
    Filters(theme="Programme implementation"),
    Filters(kind="final"),
    Filters(year=2022),
]


def same_graph(a: nx.Graph, b: nx.Graph) -> None:
    """Same nodes and edges with the same attributes, and the same graph attributes."""
    assert a.graph == b.graph
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    edges_a = {frozenset((u, v)): d for u, v, d in a.edges(data=True)}
    edges_b = {frozenset((u, v)): d for u, v, d in b.edges(data=True)}
    assert edges_a == edges_b


def uses_index(store: EvalStore) -> bool:
    return NetworkData(store).index is not None


@pytest.mark.parametrize("network", sorted(NETWORKS))
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f.active() or "all"))
def test_every_network_from_the_index_equals_sparql(
    sample_store: EvalStore, network: str, filters: Filters
) -> None:
    assert uses_index(sample_store)
    from_index = project(sample_store, network, filters=filters)
    from_sparql = project(sample_store, network, filters=filters, use_index=False)
    assert from_sparql.number_of_nodes() > 0 or filters.active()
    same_graph(from_index, from_sparql)


def test_lessons_with_some_links_missing(tmp_path: Path) -> None:
    """A lesson with themes but no location is in no themes-network tie (the query joins
    both), one with no organization in no actors node: the index says the same."""
    shutil.copytree(sample_dir(), tmp_path / "in")
    (tmp_path / "in" / "extra.jsonl").write_text(
        '{"eval_number": "9001", "eval_title": "Skills Independent Final Evaluation", '
        '"url": "https://webapps.ilo.org/ievaldiscovery/lessons/9001", '
        '"lessons_learned": {"description": "Plain text.", '
        '"themes": [{"theme": "Untied topic", "category": "Lessons"}]}}\n',
        encoding="utf-8",
    )
    store = EvalStore()
    assert build([tmp_path / "in"], store=store).ok
    assert uses_index(store)
    for network in NETWORKS:
        same_graph(project(store, network), project(store, network, use_index=False))
    themes = project(store, "themes")
    assert "https://w3id.org/evalkg/id/theme/untied-topic" not in themes


def test_the_tables_from_the_index_equal_sparqls(sample_store: EvalStore) -> None:
    from_index, from_sparql = NetworkData(sample_store), NetworkData(sample_store, use_index=False)
    assert from_index.index is not None and from_sparql.index is None
    assert from_index.evaluations == from_sparql.evaluations
    assert any(d.kinds and d.year and d.title for d in from_index.evaluations.values())
    assert from_index.lessons == from_sparql.lessons
    assert from_index.regions == from_sparql.regions
    assert from_index.facets == from_sparql.facets


def test_the_index_has_a_row_per_lesson(sample_store: EvalStore) -> None:
    rows = list(sample_store.lesson_index.rows())
    findings = f"VALUES ?t {{ <{EK}Lesson> <{EK}GoodPractice> <{EK}Recommendation> }}"
    lessons = run_query(sample_store, f"SELECT ?l WHERE {{ {findings} ?l a ?t }}").rows
    assert sorted(r.lesson for r in rows) == sorted(str(row[0].value) for row in lessons)
    seed = next(r for r in rows if r.lesson.endswith("/lesson/242868"))
    assert seed.url == "https://webapps.ilo.org/ievaldiscovery/lessons/242868"
    assert seed.evaluation is not None and seed.evaluation.endswith("/evaluation/3642")
    assert seed.text is not None and seed.text.startswith("(4) Los productos")
    assert len(seed.text) == 240
    assert "https://w3id.org/evalkg/id/org/cut-chile" in seed.links["mentionsOrganization"]


def test_a_folder_store_keeps_its_index(sample_folder: Path) -> None:
    assert (sample_folder / "lessons.sqlite").is_file()
    store = EvalStore.open(sample_folder)
    assert store.lesson_index.complete
    assert len(list(store.lesson_index.rows())) == len(NetworkData(store).lessons)


def test_a_rebuilt_record_rebuilds_its_row(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(sample_dir(), folder)
    store = EvalStore()
    build([folder], store=store)
    page = next(folder.glob("000_*.txt"))
    page.write_text(
        page.read_text(encoding="utf-8").replace("OIM", "FAO").replace("IOM", "FAO"),
        encoding="utf-8",
    )
    assert build([folder], store=store).replaced == 1
    assert uses_index(store)
    for network in NETWORKS:
        same_graph(project(store, network), project(store, network, use_index=False))
    fao = "https://w3id.org/evalkg/id/org/fao"
    assert fao in project(store, "actors")


def test_an_update_stops_the_index(tmp_path: Path) -> None:
    store = EvalStore.create(tmp_path / "store")
    build([sample_dir()], store=store)
    assert uses_index(store)
    run_query(
        store,
        f"DELETE WHERE {{ GRAPH ?g {{ ?l <{EK}mentionsOrganization> ?o }} }} ; "
        f"DELETE WHERE {{ GRAPH ?g {{ ?l <{EK}addressedTo> ?o }} }}",
        allow_update=True,
    )
    assert not store.lesson_index.complete
    assert project(store, "actors").number_of_nodes() == 0  # read from SPARQL
    del store
    assert not EvalStore.open(tmp_path / "store").lesson_index.complete


def test_replacing_a_record_graph_directly_stops_the_index(sample_folder: Path) -> None:
    store = EvalStore()
    build([sample_dir()], store=store)
    store.replace_graph(ox.NamedNode(store.base_iri + "record/242868"), [])
    assert not uses_index(store)
    other = EvalStore()
    build([sample_dir()], store=other)
    other.replace_graph(ox.NamedNode(other.base_iri + "graph/extra"), [])
    assert uses_index(other)  # not a record's graph: the rows still hold


def test_a_store_built_before_its_index_does_not_use_it(tmp_path: Path) -> None:
    pages = sorted(sample_dir().glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for n, page in enumerate(pages):
        shutil.copy(page, (first if n % 2 else second) / page.name)
    folder = tmp_path / "store"
    store = EvalStore.create(folder)
    build([first], store=store)
    del store
    (folder / "lessons.sqlite").unlink()  # as a store built by an evalkg without one
    store = EvalStore.create(folder)
    build([second], store=store)
    assert not store.lesson_index.complete
    assert len(project(store, "actors")) == len(project(store, "actors", use_index=False))


def test_a_missing_index_reads_as_incomplete(tmp_path: Path, sample_folder: Path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(sample_folder, copy)
    (copy / "lessons.sqlite").unlink()
    store = EvalStore.open(copy)
    assert not store.lesson_index.complete
    assert not (copy / "lessons.sqlite").exists()  # reading did not create it


def test_an_index_of_another_version_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "lessons.sqlite"
    index = LessonIndex(path)
    index.start(empty_store=True)
    index.db.execute("UPDATE state SET value = '0' WHERE key = 'version'")
    index.db.execute("DROP TABLE lesson")
    index.db.execute("CREATE TABLE lesson (graph TEXT PRIMARY KEY, links TEXT)")
    index.db.commit()
    assert not LessonIndex(path, read_only=True).complete
    again = LessonIndex(path)  # opened for writing: a fresh table, not complete
    again.add("urn:g", lesson_row("<urn:l>", [], url=None, text=None, texts=()))
    again.commit()
    assert [r.lesson for r in again.rows()] == ["urn:l"]
    assert not again.complete


def test_lesson_row_keeps_only_the_lessons_links() -> None:
    lesson = "<urn:lesson>"
    triples: list[tuple[str, str, str]] = [
        (lesson, f"<{EK}country>", "<urn:chl>"),
        (lesson, f"<{EK}country>", "<urn:chl>"),
        (lesson, f"<{EK}mentionsOrganization>", "<urn:b>"),
        (lesson, f"<{EK}mentionsOrganization>", "<urn:a>"),
        (lesson, f"<{EK}context>", '"<urn:not-a-link>"'),
        ("<urn:other>", f"<{EK}country>", "<urn:mex>"),
        (lesson, f"<{EK}evaluation>", "<urn:eval>"),
    ]
    row = lesson_row(lesson, triples, url=None, text="x" * 300, texts=())
    assert row.lesson == "urn:lesson"
    assert row.evaluation == "urn:eval"
    assert row.links == {
        "evaluation": ["urn:eval"],
        "country": ["urn:chl"],
        "mentionsOrganization": ["urn:a", "urn:b"],
    }
    assert row.text == "x" * 240


def test_replace_removes_a_row() -> None:
    index = LessonIndex()
    index.start(empty_store=True)
    row: Any = lesson_row("<urn:l>", [], url="u", text=None, texts=())
    index.replace("urn:g", row)
    assert [r.url for r in index.rows()] == ["u"]
    index.replace("urn:g", None)
    assert list(index.rows()) == []
    assert index.complete


def test_the_cli_says_when_the_index_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    monkeypatch.setenv("EVALKG_STORE", str(tmp_path / "store"))
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--sample", "-q"]).exit_code == 0
    quiet = runner.invoke(main, ["metrics", "--network", "actors", "--limit", "1"])
    assert quiet.exit_code == 0 and "lesson index" not in quiet.stderr
    update = f"DELETE WHERE {{ GRAPH ?g {{ ?l <{EK}mentionsPlace> ?p }} }}"
    done = runner.invoke(main, ["query", "--allow-update", "-e", update])
    assert done.exit_code == 0, done.output
    for command in (["metrics", "--limit", "1"], ["view", "-o", str(tmp_path / "a.html")]):
        result = runner.invoke(main, command)
        assert result.exit_code == 0, result.output
        assert "lesson index is off" in result.stderr
        assert "lesson index" not in result.stdout


def test_network_names_are_network_labels_without_evaluations(sample_store: EvalStore) -> None:
    from kg.networks.netdata import rows

    def table(name: str) -> set[tuple[str, str, str]]:
        return {(str(e), str(p), str(label)) for e, p, label in rows(sample_store, name)}

    labels, names = table("network/labels"), table("network/names")
    title = "<http://purl.org/dc/terms/title>"
    evaluations = {e for e, p, label in labels if label == f"<{EK}Evaluation>"}
    typed = {e for e, p, _ in labels if p == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"}
    assert evaluations and names
    assert names == {row for row in labels if row[0] not in evaluations and row[1] != title}
    # the other titles (the ontology's) name nothing a network draws
    assert {e for e, p, _ in labels if p == title} & typed <= evaluations


def _algebra_nodes(node: Any) -> Any:
    """Every node and term of a query's algebra (rdflib's parse tree), depth first."""
    from rdflib.paths import Path as PropertyPath
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, (CompValue, PropertyPath)):
        yield node
        node = list(node.values()) if isinstance(node, CompValue) else list(vars(node).values())
    elif isinstance(node, URIRef):
        yield node
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _algebra_nodes(child)


def test_the_index_columns_are_those_of_a_lesson_row() -> None:
    """The table's columns, the values a row writes and the row read back all come from
    COLUMNS: a row with every field set comes back as it went in."""
    index = LessonIndex()
    index.start(empty_store=True)
    links = {name: [f"urn:{name}:1", f"urn:{name}:2"] for name in LINK_PROPERTIES}
    links["evaluation"] = ["urn:evaluation"]
    row = LessonRow(
        "urn:lesson", "urn:evaluation", "http://u", "text", links, "title", "2020", ("a", "b")
    )
    index.add("urn:graph", row)
    index.commit()
    table = [name for _, name, *_ in index.db.execute("PRAGMA table_info(lesson)")]
    assert tuple(table) == COLUMNS
    assert list(index.rows()) == [row]


@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_each_network_query_reads_the_links_its_projection_takes_from_the_index(
    network: str,
) -> None:
    """What SPARQL text cannot take from Python: the lesson properties a network's query
    reads are those its projection reads from the index (LINK_PROPERTIES for the full
    network); read with rdflib's SPARQL parser."""
    from rdflib.plugins.sparql import prepareQuery

    projection = NETWORKS[network]
    query = prepareQuery(get_query(projection.query).text)
    named = {str(term) for term in _algebra_nodes(query.algebra) if isinstance(term, URIRef)}
    read = {name for name in LINK_PROPERTIES if EK + name in named}
    assert read == set(projection.properties)
    if network == "full":
        assert projection.properties == LINK_PROPERTIES


def test_the_lessons_query_keeps_as_much_text_as_the_index() -> None:
    """``queries/network/lessons.rq`` keeps TEXT_CHARS characters of a lesson's text."""
    from rdflib.plugins.sparql import prepareQuery

    lessons = prepareQuery(get_query("network/lessons").text)
    (cut,) = (
        n for n in _algebra_nodes(lessons.algebra) if getattr(n, "name", "") == "Builtin_SUBSTR"
    )
    assert (int(cut.start), int(cut.length)) == (1, TEXT_CHARS)
