"""Remote SPARQL endpoints (`evalkg query --endpoint`): every canned query gives the same
rows on a real Oxigraph server (started on 127.0.0.1, see tests/server.py) holding the
pushed sample as on the store; scripted HTTP servers for the failure cases."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic
from server import (
    QUICK,
    Canned,
    ScriptedServer,
    free_port,
    local_count,
    oxigraph_server,
    remote_count,
    to_rdflib,
)

from kg.cli import EXIT_ERROR, main
from kg.errors import ConfigError, EndpointError, QueryError
from kg.publish.push import push
from kg.sparql.endpoint import Remote, run_remote_query
from kg.sparql.queries import NamedQuery, bind, list_queries
from kg.sparql.query import run_query
from kg.sparql.results import QueryResult
from kg.store.evalstore import EvalStore

pytestmark = pytest.mark.server

#: The analyst questions, the network projections and push's graph sizes (the statistics
#: CONSTRUCTs count what a server holds, which differs: push adds a merged default graph).
QUERIES = [q for q in list_queries(internal=True) if not q.name.startswith("statistics/")]
SELECT_JSON = json.dumps(
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}
).encode()
#: Canned queries whose header example finds nothing in the sample (none today).
NO_SAMPLE_ROWS: set[str] = set()


# --- fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="module")
def pushed(server: str, sample_store: EvalStore) -> str:
    """The sample pushed to the module's server; its query URL."""
    push(sample_store, server + "/store")
    return server + "/query"


# --- helpers ----------------------------------------------------------------------


def concat_vars(text: str) -> dict[str, str]:
    """``{variable: separator}`` of the query's GROUP_CONCAT projections (their order is
    not defined by SPARQL, so they are compared as sorted tokens); functions nested two
    deep inside them allowed (``COALESCE(?code, STR(?place))``)."""
    found = re.finditer(
        r'GROUP_CONCAT\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*?separator\s*=\s*"([^"]*)"\s*\)'
        r"\s*AS\s*\?(\w+)",
        text,
        re.IGNORECASE | re.DOTALL,
    )
    return {m.group(2): m.group(1) for m in found}


def comparable(result: QueryResult, concat: dict[str, str]) -> list[tuple[Any, ...]]:
    """Rows with blank nodes masked and GROUP_CONCAT values as sorted token tuples."""

    def cell(var: str, term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return "_:blank"
        if var in concat and isinstance(term, ox.Literal):
            return (term.language, tuple(sorted(term.value.split(concat[var]))))
        return term

    return [
        tuple(cell(v, t) for v, t in zip(result.variables, row, strict=True)) for row in result.rows
    ]


def run_both(store: EvalStore, query_url: str, named: NamedQuery) -> tuple[QueryResult, ...]:
    """The query with its header example's parameters, on the store and remotely."""
    text = bind(named, named.example_params())
    return run_query(store, text), run_remote_query(query_url, text)


# --- every canned query gives the same rows remotely --------------------------------


@pytest.mark.parametrize("named", QUERIES, ids=[q.name for q in QUERIES])
def test_canned_query_same_rows_remote_and_local(
    named: NamedQuery, pushed: str, sample_store: EvalStore
) -> None:
    local, remote = run_both(sample_store, pushed, named)
    if named.name not in NO_SAMPLE_ROWS:  # else the comparison below would prove nothing
        assert local.rows or local.triples or local.kind == "ask", "no rows on the sample"
    assert_same_answer(named, local, remote, comparable)


def assert_same_answer(
    named: NamedQuery,
    local: QueryResult,
    remote: QueryResult,
    rows: Callable[[QueryResult, dict[str, str]], list[tuple[Any, ...]]],
) -> None:
    """``remote`` answers ``named`` as ``local`` does: graphs isomorphic, the same
    variables and boolean, the same ``rows(result, concat_vars)`` counted, in the same
    order when the query sorts them."""
    assert remote.kind == local.kind
    if local.kind == "graph":
        assert isomorphic(to_rdflib(remote.triples), to_rdflib(local.triples))
        return
    assert remote.variables == local.variables and remote.boolean == local.boolean
    concat = concat_vars(named.text)
    ours, theirs = rows(local, concat), rows(remote, concat)
    assert Counter(theirs) == Counter(ours)
    if re.search(r"\bORDER\s+BY\b", named.text, re.IGNORECASE):
        assert theirs == ours


def test_construct_and_ask_remote(pushed: str, sample_store: EvalStore) -> None:
    construct = (
        "CONSTRUCT { ?c ?p ?o } WHERE { ?c a <https://w3id.org/evalkg/ontology#Country> ; ?p ?o }"
    )
    local, remote = run_query(sample_store, construct), run_remote_query(pushed, construct)
    assert remote.kind == "graph" and len(remote.triples) > 100
    assert isomorphic(to_rdflib(remote.triples), to_rdflib(local.triples))
    ask = "ASK { ?l a <https://w3id.org/evalkg/ontology#Lesson> }"
    assert run_remote_query(pushed, ask).boolean is True


def test_every_quad_arrives(pushed: str, sample_store: EvalStore) -> None:
    assert remote_count(pushed) == local_count(sample_store) > 8000


# --- failures of the endpoint: clear messages, retries only when it helps -------------


def test_unreachable_port_is_retried_then_reported() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError) as caught:
        run_remote_query(Remote.from_env(url, **QUICK), "SELECT * WHERE { ?s ?p ?o }")
    message = str(caught.value)
    assert message.startswith(url + ": cannot reach the endpoint: connection refused")
    assert "(after 3 attempts)" in message


def test_a_server_that_does_not_speak_http() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    threading.Thread(target=answer, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    with listener, pytest.raises(EndpointError, match="did not answer in HTTP") as caught:
        run_remote_query(Remote.from_env(url, **QUICK), "ASK {}")
    assert str(caught.value).startswith(url)


def test_unknown_host() -> None:
    url = "http://evalkg-no-such-host.invalid/sparql"
    with pytest.raises(EndpointError, match=r"unknown host 'evalkg-no-such-host\.invalid'"):
        run_remote_query(Remote.from_env(url, **QUICK), "ASK {}")


@pytest.mark.parametrize(
    ("canned", "expected"),
    [
        (
            Canned(500, "text/plain", b"Internal\n  trouble"),
            r"HTTP 500 Internal Server Error: 'Internal trouble'",
        ),
        (
            Canned(400, "text/plain", b"Parse error at 1:3"),
            r"HTTP 400 Bad Request: 'Parse error at 1:3'",
        ),
        (Canned(403, "text/html", b"<h1>Forbidden</h1>"), r"HTTP 403 Forbidden: '<h1>Forbidden"),
        (
            Canned(200, "text/html", b"<html>login</html>"),
            r"answered HTTP 200 text/html, not SPARQL results nor RDF .*: '<html>login",
        ),
        (Canned(200, body=b"{not json"), r"malformed application/sparql-results\+json"),
        (Canned(200, body=b'{"foo": 1}'), r"malformed .*'results' key"),
    ],
    ids=["500", "400", "403", "html", "not-json", "wrong-shape"],
)
def test_http_errors_and_malformed_results(canned: Canned, expected: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    with ScriptedServer([canned]) as fake, pytest.raises(EndpointError, match=expected) as caught:
        run_remote_query(Remote.from_env(fake.url, **QUICK), query)
    assert str(caught.value).startswith(fake.url + ": ")
    assert len(fake.seen) == 1  # none of these is retried


@pytest.mark.parametrize("status", [503, 502, 504, 429])
def test_transient_errors_are_retried(status: int) -> None:
    answers = [
        Canned(status, "text/plain", b"busy", {"Retry-After": "0"}),
        Canned(body=SELECT_JSON),
    ]
    with ScriptedServer(answers) as fake:
        result = run_remote_query(Remote.from_env(fake.url, **QUICK), "SELECT ?x WHERE {}")
    assert result.rows == [(ox.Literal("1"),)] and len(fake.seen) == 2


def test_persistent_503_gives_up() -> None:
    down = Canned(503, "text/plain", b"down for maintenance")
    expected = r"HTTP 503 .*\(after 3 attempts\)"
    with ScriptedServer([down]) as fake, pytest.raises(EndpointError, match=expected):
        run_remote_query(Remote.from_env(fake.url, **QUICK), "ASK {}")
    assert len(fake.seen) == 3


def test_timeout() -> None:
    with ScriptedServer([Canned(body=SELECT_JSON, delay=2.0)]) as fake:
        remote = Remote.from_env(fake.url, timeout=0.3, retries=2, backoff=0.01)
        with pytest.raises(EndpointError, match=r"no complete answer within 0.3 s"):
            run_remote_query(remote, "SELECT ?x WHERE {}")
    assert len(fake.seen) == 1


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "updates are not sent to an endpoint"),
        ("# c\nDROP ALL", "updates are not sent to an endpoint"),
        ("PREFIX x: <a:> CLEAR DEFAULT", "updates are not sent to an endpoint"),
        ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "cannot read the request .* holds DROP"),
        ("SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }", "SERVICE reaches"),
    ],
    ids=["insert", "comment-drop", "prefix-clear", "trailing-drop", "service"],
)
def test_refused_before_anything_is_sent(sparql: str, expected: str) -> None:
    fake = ScriptedServer([Canned(body=SELECT_JSON)])
    with fake, pytest.raises(QueryError, match=expected) as caught:
        run_remote_query(fake.url, sparql, source="q.rq")
    assert str(caught.value).startswith("q.rq")
    assert fake.seen == []


def test_long_queries_are_posted() -> None:
    long_query = "SELECT ?x WHERE { " + " ".join(f"# {i}\n" for i in range(400)) + "}"
    with ScriptedServer([Canned(body=SELECT_JSON)]) as fake:
        run_remote_query(fake.url, "SELECT ?x WHERE {}")
        run_remote_query(fake.url, long_query)
    assert [s.method for s in fake.seen] == ["GET", "POST"]
    assert "application/sparql-results+json" in fake.seen[0].headers["Accept"]


def test_the_format_is_asked_by_accept_alone_per_query_form() -> None:
    """No ``format=`` in the URL (Virtuoso obeys it over Accept); results for SELECT and
    ASK, RDF for CONSTRUCT and DESCRIBE."""
    triples = b"<urn:s> <urn:p> <urn:o> .\n"
    answers = [Canned(body=SELECT_JSON), Canned(content_type="application/n-triples", body=triples)]
    with ScriptedServer(answers) as fake:
        run_remote_query(fake.url, "SELECT ?x WHERE {}")
        run_remote_query(fake.url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    select, construct = (s.headers["Accept"] for s in fake.seen)
    assert select.startswith("application/sparql-results+json") and "n-triples" not in select
    assert construct.startswith("application/n-triples") and "sparql-results" not in construct
    assert all(re.fullmatch(r"/sparql\?query=[^&]*", s.path) for s in fake.seen)


@pytest.mark.parametrize(
    ("bindings", "expected"),
    [([{"__ASK_RETVAL": {"type": "literal", "value": "1"}}], True), ([], False)],
    ids=["true", "false"],
)
def test_an_ask_answered_as_a_table_is_a_boolean(bindings: list[Any], expected: bool) -> None:
    """Virtuoso 7 answers an ASK with a table of one row (true) or none (false)."""
    table = {"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": bindings}}
    with ScriptedServer([Canned(body=json.dumps(table).encode())]) as fake:
        result = run_remote_query(fake.url, "ASK { ?s ?p ?o }")
    assert result.kind == "ask" and result.boolean is expected
    with ScriptedServer([Canned(body=json.dumps(table).encode())]) as fake:
        selected = run_remote_query(fake.url, "SELECT ?__ASK_RETVAL WHERE {}")
    assert selected.kind == "select"  # a SELECT of that name stays a table


# --- credentials --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "header"),
    [
        ({"EVALKG_ENDPOINT_TOKEN": "t0ken"}, "Bearer t0ken"),
        ({"EVALKG_ENDPOINT_USER": "ana", "EVALKG_ENDPOINT_PASSWORD": "pw"}, "Basic YW5hOnB3"),
    ],
)
def test_credentials_from_the_environment(
    env: dict[str, str], header: str, sample_store: EvalStore
) -> None:
    with ScriptedServer([Canned(401, "text/plain", b"who are you?")]) as fake:
        remote = Remote.from_env(fake.url, env=env, **QUICK)
        with pytest.raises(EndpointError, match="HTTP 401") as caught:
            run_remote_query(remote, "ASK {}")
        with pytest.raises(EndpointError, match="HTTP 401"):
            push(sample_store, remote)
    assert [s.headers["Authorization"] for s in fake.seen] == [header, header]
    secret = next(iter(env.values()))
    assert secret not in str(caught.value)


def test_redirects_keep_credentials_to_the_endpoints_origin() -> None:
    env = {"EVALKG_ENDPOINT_TOKEN": "t0ken"}
    with ScriptedServer([Canned(body=SELECT_JSON)]) as elsewhere, ScriptedServer([]) as fake:
        fake.answers = [  # a redirect within the endpoint's origin, then one away from it
            Canned(302, "text/plain", b"", {"Location": fake.url + "/moved"}),
            Canned(302, "text/plain", b"", {"Location": elsewhere.url + "?query=x"}),
        ]
        with pytest.raises(EndpointError, match=r"redirects .* to another origin") as caught:
            run_remote_query(Remote.from_env(fake.url, env=env), "SELECT ?x WHERE {}")
    assert str(caught.value).startswith(fake.url + ": ")
    assert [s.headers.get("Authorization") for s in fake.seen] == ["Bearer t0ken"] * 2
    assert fake.seen[1].path.startswith("/sparql/moved")
    assert elsewhere.seen == []  # neither the query nor the credentials went there


def test_credentials_never_in_the_url() -> None:
    with pytest.raises(ConfigError, match=r"EVALKG_ENDPOINT_USER") as caught:
        Remote.from_env("http://ana:pw@127.0.0.1:7878/query", env={})
    assert "pw" not in str(caught.value)
    with pytest.raises(ConfigError, match="EVALKG_ENDPOINT_PASSWORD"):
        Remote.from_env("http://127.0.0.1/q", env={"EVALKG_ENDPOINT_USER": "ana"})
    with pytest.raises(ConfigError, match="http:// or https://"):
        Remote.from_env("file:///etc/passwd", env={})


@pytest.mark.parametrize(
    "url", ["http://[::1/q", "http://127.0.0.1:port/q", "http://a b/q", "http://h/q\r\nX: y"]
)
def test_bad_endpoint_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError, match="endpoint URL"):
        Remote.from_env(url, env={})


# --- the command line -----------------------------------------------------------------


def test_cli_query_endpoint_prints_what_the_local_store_prints(pushed: str, tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(main, ["build", "--sample", "-q", "--store", store]).exit_code == 0
    for fmt in ("table", "csv", "json"):
        local = runner.invoke(main, ["query", "stats", "--store", store, "-f", fmt])
        remote = runner.invoke(main, ["query", "stats", "--endpoint", pushed, "-f", fmt])
        assert remote.exit_code == 0, remote.output
        assert remote.output == local.output


def test_cli_endpoint_errors_are_messages(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["query", "stats", "--endpoint", url, "--retries", "0"])
    assert result.exit_code == EXIT_ERROR
    assert result.output.startswith(f"Error: {url}: cannot reach the endpoint")
    assert "Traceback" not in result.output
