"""The text index (kg.sparql.textsearch): a narrowed keyword search gives exactly the rows of the
plain one, the index finds a superset of what the query's own fold matches, and it is
not used when it cannot be trusted."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import write_corpus

import kg.sparql.deadline
import kg.sparql.query
import kg.sparql.textsearch
from kg.cli import main
from kg.load.build import build
from kg.rdf.mapping import FIELD_PROPERTIES
from kg.resources import sample_dir
from kg.sparql.queries import bind, get_query
from kg.sparql.query import run_query
from kg.sparql.textsearch import MIN_KEY, fold, known, narrow
from kg.store.evalstore import EvalStore

EK = "https://w3id.org/evalkg/ontology#"
QUERY = get_query("keyword-search")
#: The query's own fold of ?keyword into ?key, run by Oxigraph on a literal.
SPARQL_FOLD = next(line for line in QUERY.text.splitlines() if line.strip().startswith("BIND("))
KEYWORDS = [
    "migrantes",
    "MIGRANTES",
    "Cáritas",
    "caritas",
    "educación",
    "l'emploi",
    "l’emploi",
    "formation professionnelle",
    "OIT",
    "ilo",
    "ño",
    "x",
    'x" . ?a ?b ?c } #',
    '"} ; DELETE WHERE {?s ?p ?o}',
    'a" OR "b',
    "*a?[b]*",
    "zzzq-nothing",
]

#: Texts of all Unicode, and of the characters where folds could part.
TEXTS = st.one_of(st.text(min_size=1), st.text("aàáAÀÁÅåeéÉcçÇnñÑ’‘' ΣσςİiIıßẞǰK", min_size=1))


def sparql_fold(value: str) -> str:
    text = f"SELECT ?key WHERE {{ VALUES ?keyword {{ {ox.Literal(value)} }} {SPARQL_FOLD} }}"
    rows = list(ox.Store().query(text))
    return str(rows[0]["key"].value)


def rows(store: EvalStore, sparql: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(t) for t in row) for row in run_query(store, sparql).rows)


def both_ways(store: EvalStore, keyword: str) -> tuple[list[tuple[str, ...]], str]:
    """The plain query's rows, checked equal to the narrowed query's; and the latter."""
    params = {"keyword": keyword}
    plain = bind(QUERY, params)
    narrowed = narrow(store, QUERY, plain, params)
    assert rows(store, narrowed) == rows(store, plain), keyword
    return rows(store, plain), narrowed


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> EvalStore:
    corpus = tmp_path_factory.mktemp("corpus")
    write_corpus(corpus, 120, seed=5)
    store = EvalStore()
    assert build([corpus], store=store).ok
    return store


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_fold_is_a_mapping_of_the_query_fold(value: str) -> None:
    """fold(x) = g(sparql_fold(x)) for a g that maps one character at a time (here: fold
    itself, which leaves the query's fold as it is but for what it does to any text)."""
    value = unicodedata.normalize("NFC", value)
    if known(value):
        folded = sparql_fold(value)
        assert fold(value) == fold(folded) == "".join(fold(c) for c in folded)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.data())
def test_what_the_query_matches_the_index_finds(text: str, data: st.DataObject) -> None:
    """The superset rule: a slice of the text, its case changed at random, matches the
    text by the query's fold; then it matches by the index's fold too."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    flips = data.draw(st.lists(st.booleans(), min_size=end - start, max_size=end - start))
    key = "".join(c.upper() if f else c for c, f in zip(text[start:end], flips, strict=True))
    if not (known(text) and known(key)):
        return
    if sparql_fold(key) in sparql_fold(text):
        assert fold(key) in fold(text)


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_the_sample_gives_the_same_rows_narrowed(sample_store: EvalStore, keyword: str) -> None:
    found, narrowed = both_ways(sample_store, keyword)
    if len(fold(keyword)) >= MIN_KEY:
        assert "(UNDEF UNDEF)" not in narrowed  # the index was used
    else:
        assert "(UNDEF UNDEF)" in narrowed  # too short for trigrams: every text is read
    if keyword in ("migrantes", "MIGRANTES", "Cáritas", "caritas"):
        assert found


def test_a_synthetic_store_gives_the_same_rows_narrowed(synthetic_store: EvalStore) -> None:
    words = ["migrantes", "formation", "empleo", "OIT", "Organización", "sécurité", "the"]
    counts = [len(both_ways(synthetic_store, word)[0]) for word in words]
    assert sum(counts) > 100, counts


def test_the_narrowed_query_reads_only_candidates(sample_store: EvalStore) -> None:
    params = {"keyword": "migrantes"}
    narrowed = narrow(sample_store, QUERY, bind(QUERY, params), params)
    pairs = narrowed.count("> <https://w3id.org/evalkg/ontology#")
    pairs += narrowed.count("> <http://purl.org/dc/terms/description>)")
    assert 0 < pairs == len(rows(sample_store, narrowed))  # every candidate matched here
    nothing = {"keyword": "zzzq-nothing"}
    assert "VALUES (?lesson ?property) { }" in narrow(
        sample_store, QUERY, bind(QUERY, nothing), nothing
    )


def test_no_narrowing_past_the_cap(
    sample_store: EvalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kg.sparql.textsearch, "MAX_CANDIDATES", 2)
    params = {"keyword": "migrantes"}  # three texts hold it
    assert narrow(sample_store, QUERY, bind(QUERY, params), params) == bind(QUERY, params)


def test_no_narrowing_without_fts(sample_store: EvalStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sample_store.lesson_index, "fts", False)
    params = {"keyword": "migrantes"}
    assert narrow(sample_store, QUERY, bind(QUERY, params), params) == bind(QUERY, params)


def test_an_update_stops_the_narrowing(tmp_path: Path) -> None:
    store = EvalStore.create(tmp_path / "store")
    build([sample_dir()], store=store)
    params = {"keyword": "migrantes"}
    assert narrow(store, QUERY, bind(QUERY, params), params) != bind(QUERY, params)
    lesson = "https://w3id.org/evalkg/id/lesson/242868"
    update = f"""INSERT DATA {{ GRAPH <{store.base_iri}graph/extra> {{
        <{lesson}> <http://purl.org/dc/terms/description> "otros migrantes" }} }}"""
    run_query(store, update, allow_update=True)
    assert narrow(store, QUERY, bind(QUERY, params), params) == bind(QUERY, params)
    found = rows(store, bind(QUERY, params))
    assert any("otros migrantes" in row[2] for row in found)


def test_a_changed_record_changes_its_texts(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(sample_dir(), folder)
    store = EvalStore.create(tmp_path / "store")
    build([folder], store=store)
    assert both_ways(store, "migrantes")[0]
    for page in folder.glob("*.txt"):
        text = page.read_text(encoding="utf-8")
        if "igrantes" in text:
            page.write_text(text.replace("igrantes", "uchachos"), encoding="utf-8")
    assert build([folder], store=store).replaced > 0
    assert store.lesson_index.complete
    assert both_ways(store, "migrantes")[0] == []
    assert both_ways(store, "muchachos")[0]
    del store  # and so it stays in the folder
    assert both_ways(EvalStore.open(tmp_path / "store"), "muchachos")[0]


def test_a_text_of_unknown_characters_is_always_a_candidate(tmp_path: Path) -> None:
    unknown = "\u0378"  # not assigned in any Unicode version so far
    assert not known(unknown)
    folder = tmp_path / "in"
    folder.mkdir()
    seed = next(sample_dir().glob("000_*.txt"))
    text = seed.read_text(encoding="utf-8").replace(" la ", f" l{unknown}a ")
    (folder / seed.name).write_text(text, encoding="utf-8")
    store = EvalStore()
    assert build([folder], store=store).ok
    found, narrowed = both_ways(store, "zzzq-nothing")
    assert found == [] and "(UNDEF UNDEF)" not in narrowed
    assert narrowed.count("(<https://w3id.org/evalkg/id/lesson/") >= 1  # the unknown text
    odd = f" l{unknown}a "  # such a keyword is not narrowed, and found
    found, narrowed = both_ways(store, odd)
    assert found and narrowed == bind(QUERY, {"keyword": odd})


def test_the_index_holds_every_lesson_text(synthetic_store: EvalStore) -> None:
    props = {p for fields in FIELD_PROPERTIES.values() for p in fields.values()}
    values = " ".join(f"<{p}>" for p in sorted(props))
    types = f"<{EK}Lesson> <{EK}GoodPractice> <{EK}Recommendation>"
    sparql = f"""SELECT ?lesson ?property WHERE {{ VALUES ?type {{ {types} }}
        VALUES ?property {{ {values} }} ?lesson a ?type ; ?property ?text }}"""
    in_graph = sorted(
        (str(r[0].value), str(r[1].value)) for r in run_query(synthetic_store, sparql).rows
    )
    held = synthetic_store.lesson_index.db.execute("SELECT lesson, property FROM lesson_text")
    assert sorted(held) == in_graph
    assert len(in_graph) > 300


def test_the_command_narrows_and_gives_the_same_rows(
    sample_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``evalkg query`` on a store folder (through the timeout's child process) sends
    the narrowed text, and prints the rows of the plain query."""
    sent: list[str] = []
    # the command streams the answer (kg.sparql.query.stream_query)
    real = kg.sparql.deadline.stream

    def spy(store: EvalStore, sparql: str, **kwargs: object) -> object:
        sent.append(sparql)
        return real(store, sparql, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.sparql.query, "stream", spy)
    command = ["query", "keyword-search", "--param", "keyword=Migrantes", "--format", "json"]
    result = CliRunner().invoke(main, [*command, "--store", str(sample_folder)])
    assert result.exit_code == 0, result.output
    assert len(sent) == 1 and "(UNDEF UNDEF)" not in sent[0]
    plain = rows(EvalStore.open(sample_folder), bind(QUERY, {"keyword": "Migrantes"}))
    bindings = json.loads(result.output)["results"]["bindings"]
    assert len(bindings) == len(plain) > 0
    assert sorted(b["lesson"]["value"] for b in bindings) == sorted(r[0][1:-1] for r in plain)
