"""The canned queries of queries/: every one runs on the bundled sample and gives the
rows recorded in tests/data/queries/ (see the README there for how they were checked).
Parameter binding, output formats and the `evalkg query` / `evalkg queries` commands."""

from __future__ import annotations

import csv
import io
import json
import shlex
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.cli import EXIT_ERROR, main
from kg.errors import QueryError
from kg.sparql.params import fill_slots, slots, to_term
from kg.sparql.queries import (
    INTERNAL_FOLDERS,
    NamedQuery,
    bind,
    get_query,
    list_queries,
    parse_query_file,
)
from kg.sparql.query import run_query
from kg.sparql.results import TABLE_WIDTH, QueryResult
from kg.sparql.safety import read
from kg.store.evalstore import EvalStore
from kg.vocab import XSD

EXPECTED = Path(__file__).parent / "data" / "queries"
QUERIES = list_queries(internal=True)
#: Queries whose results are checked elsewhere, not against a file here (and why); the
#: network views' projections (queries/network/*.rq) are tested with the views, the
#: statistics CONSTRUCTs by tests/test_stats.py.
CHECKED_ELSEWHERE = {
    "stats": "its counts are checked by tests/test_cli.py (seed), test_build.py, test_stats.py",
    "push/graph-sizes": "one row per named graph; checked by tests/test_push.py",
}


def checked_elsewhere(name: str) -> bool:
    return name in CHECKED_ELSEWHERE or name.split("/", 1)[0] in INTERNAL_FOLDERS


#: Known failures: name -> reason (none today).
XFAIL: dict[str, str] = {}


def example_limit(example: str) -> int | None:
    words = shlex.split(example)
    return int(words[words.index("--limit") + 1]) if "--limit" in words else None


def cells(result: QueryResult, set_columns: dict[str, str]) -> list[list[object]]:
    """Rows as N-Triples strings; GROUP_CONCAT columns (no order in SPARQL) as sets."""
    out: list[list[object]] = []
    for row in result.rows:
        line: list[object] = []
        for name, term in zip(result.variables, row, strict=True):
            text = None if term is None else str(term)
            if name in set_columns and term is not None:
                line.append(sorted(term.value.split(set_columns[name])))
            else:
                line.append(text)
        out.append(line)
    return out


def expected_cells(doc: dict[str, object]) -> list[list[object]]:
    set_columns: dict[str, str] = doc.get("set_columns", {})  # type: ignore[assignment]
    columns: list[str] = doc["columns"]  # type: ignore[assignment]
    out = []
    for row in doc["rows"]:  # type: ignore[attr-defined]
        line: list[object] = []
        for name, text in zip(columns, row, strict=True):
            if name in set_columns and text is not None:
                value = ox.parse(f"<x:s> <x:p> {text} .", format=ox.RdfFormat.N_TRIPLES)
                line.append(sorted(next(iter(value)).object.value.split(set_columns[name])))
            else:
                line.append(text)
        out.append(line)
    return out


def to_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


@pytest.mark.parametrize("named", QUERIES, ids=[q.name for q in QUERIES])
def test_every_query_gives_its_expected_result_on_the_sample(
    named: NamedQuery, sample_store: EvalStore
) -> None:
    if named.name in XFAIL:
        pytest.xfail(XFAIL[named.name])
    params = named.example_params()
    result = run_query(sample_store, bind(named, params), limit=example_limit(named.example))
    if checked_elsewhere(named.name):
        assert result.rows or result.triples, named.name
        return
    graph_file, rows_file = EXPECTED / f"{named.name}.nt", EXPECTED / f"{named.name}.json"
    if result.kind == "graph":
        expected = rdflib.Graph().parse(graph_file, format="nt")
        assert len(expected) > 0
        assert isomorphic(to_rdflib(result.triples), expected)
        return
    assert rows_file.is_file(), f"no expected result {rows_file} (see its folder's README)"
    doc = json.loads(rows_file.read_text(encoding="utf-8"))
    assert doc["query"] == named.name and doc["params"] == params
    assert doc["limit"] == example_limit(named.example)
    assert result.variables == doc["columns"]
    assert doc["rows"], "an expected result with no rows checks nothing"
    assert cells(result, doc.get("set_columns", {})) == expected_cells(doc)


def test_no_expected_file_is_left_over() -> None:
    names = {q.name for q in QUERIES}
    files = {p.stem for p in EXPECTED.glob("*.json")} | {p.stem for p in EXPECTED.glob("*.nt")}
    assert files <= names
    assert set(CHECKED_ELSEWHERE) <= names


def test_at_least_15_canned_questions_with_headers() -> None:
    ours = [q for q in QUERIES if not checked_elsewhere(q.name)]
    assert len(ours) >= 15
    for named in QUERIES:
        assert named.title and named.description, named.name
        required = {p.name for p in named.params.values() if not p.optional}
        assert required <= set(named.example_params()) <= set(named.params), named.name
    for named in ours:
        assert named.example.startswith(f"evalkg query {named.name}"), named.name
        for param in named.params.values():
            assert param.description, (named.name, param.name)


# --- what the queries answer, beyond the recorded examples ---------------------------


def rows(store: EvalStore, name: str, **params: str) -> list[dict[str, object]]:
    return run_query(store, bind(get_query(name), params)).values()


@pytest.mark.parametrize(
    ("value", "code"),
    [("CHL", "CHL"), ("cl", "CHL"), ("Chili", "CHL"), ("chile", "CHL"), ("COTE D'IVOIRE", "CIV")],
)
def test_country_parameter_accepts_codes_and_names(
    sample_store: EvalStore, value: str, code: str
) -> None:
    found = rows(sample_store, "lessons-by-country", country=value)
    assert found and {r["code"] for r in found} == {code}


@pytest.mark.parametrize("value", ["Cáritas", "caritas", "CARITAS", "Ca\u0301ritas"])
def test_actor_parameter_is_case_and_accent_insensitive(
    sample_store: EvalStore, value: str
) -> None:
    found = rows(sample_store, "organization-footprint", actor=value)
    assert {r["organization"] for r in found} == {
        "https://w3id.org/evalkg/id/org/caritas-internationalis"
    }


@pytest.mark.parametrize("alias", ["OIT", "ILO", "BIT", "International Labour Organization"])
def test_every_alias_finds_the_same_organization(sample_store: EvalStore, alias: str) -> None:
    found = rows(sample_store, "lessons-for-audience", actor=alias)
    assert {r["organization"] for r in found} == {"https://w3id.org/evalkg/id/org/ilo"}


def test_keyword_search_ignores_case_and_accents(sample_store: EvalStore) -> None:
    plain = rows(sample_store, "keyword-search", keyword="formacion")
    accented = rows(sample_store, "keyword-search", keyword="FORMACIÓN")
    assert plain == accented
    assert {str(r["lesson"]).rsplit("/", 1)[1] for r in plain} == {"233480", "245011", "237725"}
    for row in plain:
        assert "formación" in str(row["excerpt"]).lower()


def test_kind_words_in_three_languages_find_the_same_lessons(sample_store: EvalStore) -> None:
    english = {r["lesson"] for r in rows(sample_store, "lessons-by-evaluation-kind", kind="final")}
    french = {r["lesson"] for r in rows(sample_store, "lessons-by-evaluation-kind", kind="finale")}
    assert english and english == french


def test_an_unknown_value_matches_nothing(sample_store: EvalStore) -> None:
    assert rows(sample_store, "lessons-by-country", country="Atlantis") == []
    assert rows(sample_store, "organization-profile", actor="No Such Body") == []
    assert rows(sample_store, "lessons-naming-organization", actor="No Such Body") == []


# --- binding --------------------------------------------------------------------------


HOSTILE = [
    'x" . ?a ?b ?c } #',
    '"} ; DELETE WHERE {?s ?p ?o}',
    "'''\"\"\"\\",
    "line\nbreak\r\u2028 } UNION { ?s ?p ?o",
    "\\u0022 SERVICE <http://127.0.0.1:9/> {}",
    "VALUES ?x { UNDEF }",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_is_one_literal_and_comes_back_unchanged(value: str) -> None:
    text = bind("SELECT ?v WHERE { VALUES ?v { UNDEF } }", {"v": value})
    reading = read(text)  # SPARQL's own grammar: still one SELECT, nothing else
    assert reading is not None and reading.form == "SELECT" and not reading.updates
    assert not reading.service and not reading.datasets
    result = run_query(EvalStore(), text)
    assert result.rows == [(ox.Literal(value),)]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_binds_to_exactly_that_literal(value: str) -> None:
    assume(not (value.startswith("<") and value.endswith(">")))  # an untyped <…> is an IRI
    text = bind("SELECT ?v WHERE { VALUES ?v { UNDEF } }", {"v": value})
    result = run_query(EvalStore(), text)
    assert result.rows == [(ox.Literal(unicodedata.normalize("NFC", value)),)]


@pytest.mark.parametrize("value", ["http://a> . ?s ?p ?o } #", "not an iri", "<x y>"])
def test_a_bad_iri_parameter_is_refused(value: str) -> None:
    with pytest.raises(QueryError, match="not a valid IRI"):
        to_term(value, "iri")


def test_typed_parameters() -> None:
    assert str(to_term(" 2021 ", "integer")) == '"2021"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert to_term("<https://w3id.org/evalkg/id/country/CHL>", "iri") == ox.NamedNode(
        "https://w3id.org/evalkg/id/country/CHL"
    )
    assert to_term("skos:prefLabel", "iri").value.endswith("core#prefLabel")
    with pytest.raises(QueryError, match="not an integer: '2021; DROP ALL'"):
        to_term("2021; DROP ALL", "integer")


@pytest.mark.parametrize("value", ["2021", " 2021 ", "0999", "-0044", "12345"])
def test_a_year_is_a_gyear_as_written(value: str) -> None:
    term = to_term(value, "year")
    assert term == ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "gYear"))


@pytest.mark.parametrize(
    "value", ["21", "021", "02021", "2021-01", "２０２１", "2021; DROP ALL", ""]
)
def test_a_bad_year_is_refused(value: str) -> None:
    with pytest.raises(QueryError, match=r"not a year \(four digits"):
        to_term(value, "year")


def test_lessons_by_year_finds_the_years_lessons(sample_folder: Path) -> None:
    """The year parameter is looked up as a gYear: the sample's evaluations of a year
    are those whose ek:year says it, and a year no evaluation has finds nothing."""
    store = EvalStore.open(sample_folder)
    years = {
        row[0].value: int(row[1].value)
        for row in run_query(
            store,
            "PREFIX ek: <https://w3id.org/evalkg/ontology#> SELECT ?y (COUNT(?l) AS ?n) "
            "WHERE { ?e ek:year ?yy ; ek:hasLesson ?l BIND(STR(?yy) AS ?y) } GROUP BY ?y",
        ).rows
    }
    assert years
    named = get_query("lessons-by-year")
    for year, lessons in years.items():
        assert len(run_query(store, bind(named, {"year": year})).rows) == lessons
    assert run_query(store, bind(named, {"year": "1900"})).rows == []


def test_missing_and_unknown_parameters(tmp_path: Path) -> None:
    named = get_query("lessons-by-year")
    with pytest.raises(QueryError, match=r"missing parameter.*'year'"):
        bind(named, {})
    with pytest.raises(QueryError, match=r"unknown parameter \(this query takes: year\): 'yr'"):
        bind(named, {"year": "2021", "yr": "2020"})


def test_a_declared_parameter_needs_a_slot(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# title: t\n# param: who: string: a name\nSELECT ?who WHERE { }\n")
    with pytest.raises(QueryError, match=r"q\.rq: parameter declared but .*: 'who'"):
        parse_query_file(path)


def test_slots_are_filled_only_for_given_names() -> None:
    text = "SELECT * { VALUES ?a { UNDEF } VALUES $b {UNDEF} }"
    assert slots(text) == ["a", "b"]
    assert fill_slots(text, {"b": ox.Literal("x")}) == (
        'SELECT * { VALUES ?a { UNDEF } VALUES ?b { "x" } }'
    )


# --- output formats --------------------------------------------------------------------


@pytest.fixture(scope="module")
def profile(sample_store: EvalStore) -> QueryResult:
    named = get_query("lessons-naming-organization")
    return run_query(sample_store, bind(named, {"actor": "OIT"}))


#: The column of the evaluation titles (long literals) in ``profile``.
TITLE = 6


def test_json_is_sparql_results_json(profile: QueryResult) -> None:
    assert profile.variables[TITLE] == "title"
    text = profile.serialize("json")
    parsed = ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.JSON)
    assert [v.value for v in parsed.variables] == profile.variables
    back = [tuple(s[v] for v in profile.variables) for s in parsed]
    assert back == profile.rows


def test_csv_and_tsv_keep_long_literals_whole(profile: QueryResult) -> None:
    long_titles = [row[TITLE].value for row in profile.rows if len(row[TITLE].value) > TABLE_WIDTH]
    assert long_titles
    table = list(csv.reader(io.StringIO(profile.serialize("csv"))))
    assert table[0] == profile.variables
    assert {r[TITLE] for r in table[1:]} >= set(long_titles)
    assert all(str(row[TITLE]) in profile.serialize("tsv") for row in profile.rows)
    assert all(t in profile.serialize("md") for t in long_titles)


def test_the_table_shortens_long_literals_only(profile: QueryResult) -> None:
    table = profile.serialize("table")
    long_titles = [row[TITLE].value for row in profile.rows if len(row[TITLE].value) > TABLE_WIDTH]
    assert long_titles
    for title in long_titles:
        assert title not in table and title[: TABLE_WIDTH - 1] + "…" in table
    assert table.rstrip().endswith(f"({len(profile.rows)} rows)")


def test_construct_is_turtle(sample_store: EvalStore) -> None:
    named = get_query("entity-neighbourhood")
    result = run_query(sample_store, bind(named, named.example_params()))
    assert result.kind == "graph" and result.triples
    for fmt in ("table", "json"):
        turtle = result.serialize(fmt)
        parsed = rdflib.Graph().parse(data=turtle, format="turtle")
        assert isomorphic(parsed, to_rdflib(result.triples))


def test_dataframe(profile: QueryResult) -> None:
    frame = profile.to_dataframe()
    assert list(frame.columns) == profile.variables and len(frame) == len(profile.rows)
    assert set(frame["name"]) == {"International Labour Organization"}


# --- the command line -----------------------------------------------------------------


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_queries_lists_every_named_query_with_its_description() -> None:
    code, out = cli("queries")
    assert code == 0
    listed = {line.split()[0]: line for line in out.splitlines()}
    questions = {q.name for q in QUERIES if "/" not in q.name}
    assert set(listed) == questions and len(listed) >= 15
    code, out = cli("queries", "--all")
    assert code == 0
    listed = {line.split()[0]: line for line in out.splitlines()}
    assert set(listed) == {q.name for q in QUERIES}
    assert {"network/actors", "push/graph-sizes", "statistics/dataset"} <= set(listed)
    for q in QUERIES:
        assert q.description in listed[q.name]


def test_internal_queries_run_by_folder_and_name_only(sample_folder: Path) -> None:
    code, out = cli("query", "network/lesson-regions", "--store", str(sample_folder), "-f", "csv")
    assert code == 0 and out.startswith("lesson,region")
    assert len(out.splitlines()) > 1
    for name in ("network-actors", "other/stats", "network/../stats", "network/bogus"):
        result = CliRunner().invoke(main, ["query", name, "--store", str(sample_folder)])
        assert result.exit_code != 0 and "no query of that name" in result.output, name


def test_query_command_with_a_parameter_and_formats(sample_folder: Path) -> None:
    code, out = cli(
        "query", "lessons-by-country", "-p", "country=Chile", "--store", str(sample_folder)
    )
    assert code == 0 and out.rstrip().endswith("(2 rows)")
    code, out = cli("query", "lessons-by-country", "--param", "country=CHL", "--format", "json",
                    "--store", str(sample_folder))  # fmt: skip
    lessons = {b["lesson"]["value"] for b in json.loads(out)["results"]["bindings"]}
    assert lessons == {
        "https://w3id.org/evalkg/id/lesson/229613",
        "https://w3id.org/evalkg/id/lesson/242868",
    }
    code, out = cli(
        "query", "top-organizations", "--limit", "3", "--format=csv", "--store", f"{sample_folder}"
    )
    assert code == 0 and len(out.splitlines()) == 4


def test_query_command_reports_a_bad_parameter(sample_folder: Path) -> None:
    code, out = cli("query", "lessons-by-year", "-p", "year=twenty", "--store", str(sample_folder))
    assert code == EXIT_ERROR and out.startswith("Error: ")
    assert "not a year (four digits, e.g. 2021): 'twenty'" in out
    code, out = cli("query", "lessons-by-year", "--store", str(sample_folder))
    assert code == EXIT_ERROR and "missing parameter" in out


def test_entity_neighbourhood_takes_a_name_a_number_or_an_iri(sample_store: EvalStore) -> None:
    """As every other query, entity-neighbourhood finds its entity by any name, alias or
    acronym (any case or accents); also by an evaluation's or a finding's number, or
    its IRI (issue 20)."""
    named = get_query("entity-neighbourhood")

    def subjects(entity: str) -> set[str]:
        result = run_query(sample_store, bind(named, {"entity": entity}))
        assert result.kind == "graph"
        return {str(t[0].value) for t in result.triples}

    ilo = "https://w3id.org/evalkg/id/org/ilo"
    by_iri = subjects(ilo)
    assert ilo in by_iri
    assert subjects("OIT") == subjects("oit") == subjects("International Labour Organization")
    assert subjects("OIT") == by_iri
    assert "https://w3id.org/evalkg/id/evaluation/3624" in subjects("3624")
    assert "https://w3id.org/evalkg/id/lesson/247058" in subjects("247058")
    assert (
        subjects("Vicaria de la Pastoral Social Caritas")
        == subjects("Vicaría de la Pastoral Social Cáritas")
        != set()
    )
    assert subjects("no such entity") == set() == subjects("https://example.org/unknown")


def test_every_query_file_declares_its_prefixes() -> None:
    """A server gets a named query's text as written (evalkg's default prefixes are for
    text a user types): Oxigraph must read every .rq file as it is, on an empty
    throwaway store."""
    import pyoxigraph as ox

    folder = Path(__file__).resolve().parent.parent / "queries"
    unread = []
    for path in sorted(folder.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        try:
            ox.Store().query(text)
        except SyntaxError as error:
            try:
                ox.Store().update(text)
            except SyntaxError:
                unread.append(f"{path.relative_to(folder)}: {error}")
    assert not unread, "\n".join(unread)
