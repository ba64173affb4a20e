"""Ad-hoc queries on the embedded store: no network, no files, no writes unless allowed,
hostile parameter values inert, and a deadline that stops a runaway query."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import EXIT_ERROR, main
from kg.errors import QueryError
from kg.sparql.deadline import QueryTimeout
from kg.sparql.queries import bind, get_query, list_queries
from kg.sparql.query import open_store, run_query
from kg.sparql.safety import QueryRefused, check, read
from kg.store.evalstore import EvalStore

EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

# --- the checker ----------------------------------------------------------------------

REFUSED = {
    "service": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "service lower case": "select * { service <http://example.org/s> { ?s ?p ?o } }",
    "service silent": "SELECT * { SERVICE SILENT <http://example.org/s> { ?s ?p ?o } }",
    "service variable": "SELECT * { BIND(<http://e.org/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "service no spaces": "SELECT*WHERE{SERVICE<http://example.org/s>{?s?p?o}}",
    "service as a prefix": "PREFIX : <http://e.org/> SELECT * { SERVICE:x { ?s ?p ?o } }",
    "service glued to silent": "PREFIX : <http://e.org/> SELECT * { SERVICESILENT:x { ?a ?b ?c } }",
    "service glued to true": "SELECT * { ?s ?p trueSERVICE <http://e.org/s> { ?a ?b ?c } }",
    "service after a comment": "SELECT * { # SERVICE in a comment\n SERVICE <http://e.org/> {} }",
    "service after a string": 'SELECT * { ?s ?p "#" SERVICE <http://e.org/> { ?a ?b ?c } }',
    "service after an escaped #": "PREFIX ex: <http://e.org/> "
    "SELECT * { ?s ex:a\\#b ?o SERVICE <http://e.org/> {} }",
    "service after a pname ending in a dot": "PREFIX ex: <http://e.org/> "
    "SELECT * { ?s ex:p ex:o.\nSERVICE <http://e.org/> {} }",
    "load": "LOAD <http://example.org/data.ttl>",
    "load a file": "LOAD <file:///etc/passwd> INTO GRAPH <http://e.org/g>",
    "insert": "INSERT DATA { <http://a> <http://b> <http://c> }",
    "delete where": "DELETE WHERE { ?s ?p ?o }",
    "drop": "DROP ALL",
    "clear": "CLEAR DEFAULT",
    "create": "CREATE GRAPH <http://e.org/g>",
    "add": "ADD DEFAULT TO <http://e.org/g>",
    "move": "MOVE DEFAULT TO <http://e.org/g>",
    "copy": "COPY DEFAULT TO <http://e.org/g>",
    "with": "WITH <http://e.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "from a file": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "from the web": "SELECT * FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }",
    "from named": "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "from a prefixed name": "PREFIX ex: <http://e.org/> SELECT * FROM ex:g WHERE { ?s ?p ?o }",
    # a "<" operator before a string is no IRI: the tokenizer alone read <'x> as one
    "service after a < operator": "SELECT ?a WHERE { ?s ?p ?o FILTER(?o<'x>y') "
    "SERVICE <http://e.org/s> { ?a ?b ?c } FILTER(?o != 'z') } LIMIT 1",
    "load after a < operator": "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o<'x>y') } ; "
    "LOAD <http://e.org/data> ; INSERT DATA { <a:b> <a:c> 'z' }",
    "service written with an escape": "SELECT * { ?s ?p ?o FILTER(?o<'x>y') "
    "\\u0053ERVICE <http://e.org/s> { ?a ?b ?c } }",
}

INERT = {
    "service in a string": 'SELECT * WHERE { ?s ?p "SERVICE <http://e.org/> { }" }',
    "service in a long string": "SELECT * WHERE { ?s ?p '''x'' SERVICE <http://e.org/> {}''' }",
    "service in a comment": "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://e.org/> {}",
    "service in an IRI": "SELECT * WHERE { ?s <http://e.org/SERVICE> ?o }",
    "service as a variable": "SELECT ?service WHERE { ?service ?p ?o }",
    "service as a local name": "PREFIX ex: <http://e.org/> SELECT * WHERE { ?s ex:SERVICE ?o }",
    "insert and load in strings": "SELECT * WHERE { ?s ?p 'INSERT DATA { } LOAD <x>' }",
    "from in a string": 'SELECT * WHERE { ?s ?p "FROM <file:///etc/passwd>" }',
    "a plain query": "PREFIX ek: <https://w3id.org/evalkg/ontology#> ASK { ?l a ek:Lesson }",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED)
def test_refused_before_running(text: str) -> None:
    with pytest.raises(QueryRefused, match="refused \\(pass --allow-"):
        check(text, graphs=set())


@pytest.mark.parametrize("text", INERT.values(), ids=INERT)
def test_keywords_inside_strings_iris_comments_and_names_are_not_refused(text: str) -> None:
    assert check(text, graphs=set()) == "query"


def test_flags_allow_what_they_name() -> None:
    service = REFUSED["service"]
    assert check(service, allow_service=True) == "query"
    with pytest.raises(QueryRefused, match="--allow-service"):
        check(REFUSED["load"], allow_update=True)
    assert check(REFUSED["load"], allow_update=True, allow_service=True) == "update"
    assert check(REFUSED["insert"], allow_update=True) == "update"
    assert check(REFUSED["from the web"], allow_service=True) == "query"


def test_the_refusal_names_the_source_and_the_keyword() -> None:
    with pytest.raises(QueryRefused) as caught:
        check(REFUSED["service lower case"], source="mine.rq")
    assert str(caught.value) == (
        "mine.rq: SERVICE reaches another server; refused (pass --allow-service to allow "
        "it): 'service'"
    )


def test_the_parser_reads_what_the_request_does() -> None:
    text = (
        "PREFIX ex: <http://e.org/#x> SELECT ?a FROM ex:g FROM NAMED <http://h> "
        '{ ?a ex:b "c # SERVICE <x> {}" } # SERVICE <y> {}'
    )
    reading = read(text)
    assert reading is not None
    assert (reading.kind, reading.form, reading.service, reading.load) == (
        "query", "SELECT", False, False,
    )  # fmt: skip
    assert reading.datasets == (("FROM", "http://e.org/#xg"), ("FROM", "http://h"))
    update = read("WITH <http://g> INSERT { ?s ?p 1 } USING <http://u> WHERE { ?s ?p ?o }")
    assert update is not None and (update.kind, update.updates) == ("update", ("INSERT",))
    assert update.datasets == (("USING", "http://u"),)


def test_a_request_the_parser_cannot_read_is_left_to_the_engine_unless_it_may_reach_out() -> None:
    assert check("SELECT * WHERE { ?s ?p ?o", graphs=set()) == "query"
    with pytest.raises(QueryRefused, match="cannot read the request"):
        check("SELECT * WHERE { ?s ?p ?o . SeRvIcE", graphs=set())


# --- on a store -----------------------------------------------------------------------


def test_from_a_graph_of_the_store_is_allowed(sample_store: EvalStore) -> None:
    graph = "https://w3id.org/evalkg/id/record/242868"
    result = run_query(
        sample_store,
        f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}",
    )
    in_graph = len(
        list(sample_store.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    )
    assert int(result.rows[0][0].value) == in_graph > 0


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records the requests it gets."""
    hits: ClassVar[list[str]] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


@pytest.mark.server
def test_service_hidden_behind_a_less_than_operator_reaches_no_listener(
    seed_store: EvalStore, listener: tuple[str, list[str]]
) -> None:
    """The bypass an adversarial run found: ``<'x>`` read as an IRI hid the SERVICE."""
    url, hits = listener
    text = (
        f"SELECT ?a WHERE {{ ?s ?p ?o FILTER(?o<'x>y') SERVICE <{url}/sparql> "
        "{ ?a ?b ?c } FILTER(?o != 'z') } LIMIT 1"
    )
    with pytest.raises(QueryRefused):
        run_query(seed_store, text)
    with pytest.raises(QueryRefused):
        run_query(seed_store, text, allow_update=True)
    assert hits == []


QUOTES = st.sampled_from(
    ["'x>y'", '"x>y"', "'''x>y'''", '"""x>y"""', "'\\'>'", '"a\\"<b"', "<'x>", '<"x>']
)
NOISE = st.sampled_from(
    [
        "?o<",
        "?o>",
        "?o <",
        "(?o<",
        "<http://e.org/p>",
        "ex:p",
        "# comment <\n",
        "'SERVICE'",
        "FILTER(?o != 'z')",
        "FROM",
        ".",
        " ",
    ]
)


SERVICE = st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVICE SILENT"])
LOAD = st.sampled_from(["LOAD", "load", "LOAD SILENT", "\\u004cOAD"])


@pytest.mark.server
@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    before=st.lists(st.one_of(QUOTES, NOISE), max_size=6),
    keyword=SERVICE,
    after=st.lists(st.one_of(QUOTES, NOISE), max_size=3),
)
def test_no_mix_of_strings_operators_and_comments_lets_a_service_reach_a_listener(
    seed_store: EvalStore,
    listener: tuple[str, list[str]],
    before: list[str],
    keyword: str,
    after: list[str],
) -> None:
    url, hits = listener
    text = (
        "PREFIX ex: <http://e.org/> SELECT * WHERE { ?s ?p ?o FILTER(?o "
        + " ".join(before)
        + f" ) {keyword} <{url}/sparql> {{ ?a ?b ?c }} "
        + " ".join(after)
        + " }"
    )
    with contextlib.suppress(QueryError):
        run_query(seed_store, text)
    assert hits == [], text


@pytest.mark.server
@settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    before=st.lists(st.one_of(QUOTES, NOISE), max_size=6),
    keyword=LOAD,
    graph=st.sampled_from(["", " INTO GRAPH <http://e.org/g>", " INTO GRAPH ex:g"]),
)
def test_no_mix_lets_a_load_reach_a_listener_even_with_updates_allowed(
    listener: tuple[str, list[str]], before: list[str], keyword: str, graph: str
) -> None:
    url, hits = listener
    text = (
        "PREFIX ex: <http://e.org/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o "
        + " ".join(before)
        + f" ) }} ; {keyword} <{url}/data.ttl>{graph} ; INSERT DATA {{ <a:b> <a:c> 'z' }}"
    )
    store = EvalStore()
    with contextlib.suppress(QueryError):
        run_query(store, text, allow_update=True)
    assert hits == [], text
    assert len(store) in (0, 1)  # refused: nothing; never the listener's triples


@pytest.mark.server
def test_service_is_refused_and_no_request_leaves(
    seed_store: EvalStore, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    text = f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRefused):
        run_query(seed_store, text)
    assert hits == []
    # the check is what protects: allowed, Oxigraph does send the request
    with pytest.raises(QueryError):
        run_query(seed_store, text, allow_service=True)
    assert hits == ["/sparql"]


def test_an_update_is_refused_and_changes_nothing() -> None:
    store = EvalStore()
    with pytest.raises(QueryRefused, match="INSERT writes to the store"):
        run_query(store, REFUSED["insert"])
    assert len(store) == 0
    run_query(store, REFUSED["insert"], allow_update=True)
    assert len(store) == 1


def digest(folder: Path) -> str:
    """Every quad of a store folder, sorted and hashed."""
    store = EvalStore.open(folder)
    quads = sorted(str(q) for q in store.inner)
    return hashlib.sha256("\n".join(quads).encode("utf-8")).hexdigest()


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


HOSTILE = ['x" . ?a ?b ?c } #', '"} ; DELETE WHERE {?s ?p ?o}', 'OIT" } } ; DROP ALL ; #']


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "name",
    ["organization-profile", "lessons-naming-organization", "lessons-by-country", "keyword-search"],
)
def test_hostile_parameters_match_nothing_and_change_nothing(
    sample_folder: Path, name: str, value: str
) -> None:
    before = digest(sample_folder)
    param = next(iter(get_query(name).params))
    code, out = cli("query", name, "--param", f"{param}={value}", "--store", str(sample_folder))
    assert code == 0, out
    assert out.rstrip().endswith("(0 rows)")
    assert digest(sample_folder) == before


def test_cli_refuses_with_a_message_and_the_error_status(sample_folder: Path) -> None:
    code, out = cli("query", "-e", REFUSED["service"], "--store", str(sample_folder))
    assert code == EXIT_ERROR
    assert out == (
        "Error: <-e>: SERVICE reaches another server; refused (pass --allow-service to allow "
        "it): 'SERVICE'\n"
    )
    code, out = cli("query", "-e", "DROP ALL", "--store", str(sample_folder))
    assert code == EXIT_ERROR and "DROP writes to the store" in out


def test_cli_update_with_allow_update(tmp_path: Path, sample_folder: Path) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(sample_folder, folder)
    insert = 'INSERT DATA { <http://e.org/a> <http://e.org/b> "c" }'
    code, out = cli("query", "-e", insert, "--allow-update", "--store", str(folder))
    assert code == 0, out
    check_row = "SELECT ?o WHERE { <http://e.org/a> <http://e.org/b> ?o }"
    code, out = cli("query", "-e", check_row, "--format", "csv", "--store", str(folder))
    assert out.split() == ["o", "c"]


# --- the deadline ---------------------------------------------------------------------


def test_a_runaway_query_is_stopped_in_its_child_process(sample_folder: Path) -> None:
    store = open_store(str(sample_folder))
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"query stopped after 1 s \(the timeout\)"):
        run_query(store, EXPLOSIVE, timeout=1)
    assert time.monotonic() - started < 30  # killed: the product would take hours


def test_the_command_line_stops_it_and_says_so(sample_folder: Path) -> None:
    code, out = cli("query", "-e", EXPLOSIVE, "--timeout", "1", "--store", str(sample_folder))
    assert code == EXIT_ERROR
    assert out.startswith("Error: <-e>: query stopped after 1 s (the timeout); give a longer")


def test_a_query_within_its_deadline_answers_through_the_child(sample_folder: Path) -> None:
    store = open_store(str(sample_folder))
    named = get_query("lessons-by-country")
    text = bind(named, {"country": "MEX"})
    assert run_query(store, text, timeout=30).rows == run_query(store, text).rows
    construct = bind(get_query("entity-neighbourhood"), {"entity": "OIT"})
    here, child = run_query(store, construct), run_query(store, construct, timeout=30)
    assert child.kind == "graph" and set(child.triples) == set(here.triples) != set()


def _rows_as_text(rows: list[tuple[object, ...]]) -> list[tuple[str, ...]]:
    return sorted(tuple("" if t is None else str(t) for t in row) for row in rows)


def test_the_child_gives_every_canned_answer_as_in_process(sample_folder: Path) -> None:
    # the child writes a whole answer with pyoxigraph's own TSV writer and a --limit one
    # cell by cell: both must come back as the terms the query gives in process
    store = open_store(str(sample_folder))
    checked = 0
    for named in list_queries(internal=True):
        if named.name.startswith("statistics/"):
            continue  # CONSTRUCTs of whole-graph counts, compared below by one of them
        text = bind(named, named.example_params())
        here, child = run_query(store, text), run_query(store, text, timeout=60)
        assert child.kind == here.kind, named.name
        if here.kind == "graph":
            assert set(child.triples) == set(here.triples), named.name
            continue
        assert child.variables == here.variables, named.name
        # rows without an ORDER BY may come in another order in another process
        assert _rows_as_text(child.rows) == _rows_as_text(here.rows), named.name
        checked += bool(here.rows)
    assert checked >= 20
    region = get_query("lessons-by-region")  # ORDER BY: one order in every process
    ordered = bind(region, region.example_params())
    first = run_query(store, ordered).rows[:3]
    assert len(first) == 3
    assert run_query(store, ordered, timeout=60, limit=3).rows == first


def test_the_child_gives_literals_back_as_the_same_terms(sample_folder: Path) -> None:
    store = open_store(str(sample_folder))
    text = (
        "SELECT ?a ?b WHERE { VALUES (?a ?b) { "
        '(1 "tab\\there\\nnew line"@es) (2.5 UNDEF) (1e3 "") (true "q\\"uote") '
        '("2020"^^<http://www.w3.org/2001/XMLSchema#gYear> <urn:x:é>) '
        '("Cáritas — ¿qué?" "x"@fr-CA) } }'
    )
    here = run_query(store, text)
    assert len(here.rows) == 6
    for limit in (None, 10):
        assert run_query(store, text, timeout=60, limit=limit).rows == here.rows


def test_errors_of_the_child_come_back_as_query_errors(sample_folder: Path) -> None:
    store = open_store(str(sample_folder))
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        run_query(store, "SELECT ?x WHERE { ?x", timeout=30)


def test_in_memory_the_caller_stops_waiting() -> None:
    store = EvalStore()
    node = ox.NamedNode("http://e.org/n")
    store.inner.extend(
        ox.Quad(node, ox.NamedNode(f"http://e.org/p{i}"), ox.Literal(i)) for i in range(3000)
    )
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="in memory it cannot be interrupted"):
        run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", timeout=0.2)
    assert time.monotonic() - started < 1.5


def test_reading_a_request_keeps_no_frame_of_its_caller_alive() -> None:
    """pyparsing keeps exceptions in reference cycles; parsed here, their tracebacks
    would keep the caller's frames, and a store they hold open, until a garbage
    collection (an update's writable store then blocked the next command)."""
    import gc
    import weakref

    from kg.sparql.safety import is_update

    class Held:
        pass

    def caller(text: str) -> weakref.ref[Held]:
        held = Held()
        is_update(text)
        return weakref.ref(held)

    gc.disable()
    try:
        for text in ("SELECT * { ?s ?p ?o }", "INSERT DATA { <a:b> <a:c> 'd' }", "SELECT {"):
            read.cache_clear()
            assert caller(text)() is None, text
    finally:
        gc.enable()
