"""Remote calls hold a real deadline and a size limit, and take nothing but the protocol's
answer for success (issue 17 §4): the same tests for `evalkg query --endpoint` (GET and
POST) and `evalkg push`, against servers on 127.0.0.1 that trickle, never stop, answer
with a login page or redirect elsewhere (tests/server.py)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from server import Canned, ScriptedServer, SocketServer

from kg.cli import EXIT_ERROR, main
from kg.errors import ConfigError, EndpointError
from kg.publish.push import push
from kg.sparql.endpoint import Remote, run_remote_query
from kg.sparql.remote import DEFAULT_MAX_BYTES, MAX_BYTES_ENV
from kg.sparql.results import QueryResult
from kg.store.evalstore import EvalStore

pytestmark = pytest.mark.server

SELECT_JSON = json.dumps(
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}
).encode()
#: Long enough to go by POST (kg.sparql.endpoint.GET_LIMIT).
LONG_QUERY = "SELECT ?x WHERE {}\n" + "# padding\n" * 200
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"


def one_triple_store() -> EvalStore:
    store = EvalStore()
    graph = ox.NamedNode("https://w3id.org/evalkg/id/record/1")
    triple = (ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))
    store.replace_graph(graph, [triple])
    return store


def query_get(remote: Remote) -> QueryResult:
    return run_remote_query(remote, "SELECT ?x WHERE {}")


def query_post(remote: Remote) -> QueryResult:
    return run_remote_query(remote, LONG_QUERY)


def push_gsp(remote: Remote) -> Any:
    return push(one_triple_store(), remote)


def push_update(remote: Remote) -> Any:
    return push(one_triple_store(), remote, method="update")


CALLS: dict[str, Callable[[Remote], Any]] = {
    "query-get": query_get,
    "query-post": query_post,
    "push-gsp": push_gsp,
    "push-update": push_update,
}
BOTH = pytest.mark.parametrize("call", ["query-get", "push-gsp"])
ALL = pytest.mark.parametrize("call", list(CALLS))


def trickle(data: bytes, every: float = 0.1) -> Callable[[socket.socket, threading.Event], None]:
    """An answer that sends ``data`` one byte every ``every`` seconds."""

    def answer(connection: socket.socket, stop: threading.Event) -> None:
        for byte in data:
            if stop.wait(every):
                return
            connection.sendall(bytes([byte]))

    return answer


def endless(*, chunked: bool) -> Callable[[socket.socket, threading.Event], None]:
    """An answer whose body never ends (read to the close, or in chunks)."""
    block = b" " * 65536
    piece = b"10000\r\n" + block + b"\r\n" if chunked else block

    def answer(connection: socket.socket, stop: threading.Event) -> None:
        connection.sendall(HEAD + (b"Transfer-Encoding: chunked\r\n" if chunked else b"") + b"\r\n")
        while not stop.is_set():
            connection.sendall(piece)

    return answer


# --- the timeout bounds the whole exchange -------------------------------------------


@BOTH
@pytest.mark.parametrize("slow", ["headers", "body"])
def test_a_trickling_server_is_given_up_at_the_deadline(call: str, slow: str) -> None:
    body = b" " * 1000
    answer = HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode()
    fast, trickled = (b"", answer + body) if slow == "headers" else (answer, body)

    def answer_slowly(connection: socket.socket, stop: threading.Event) -> None:
        connection.sendall(fast)
        trickle(trickled)(connection, stop)

    with SocketServer(answer_slowly) as fake:
        remote = Remote.from_env(fake.url, timeout=1.0, retries=2, backoff=0.01)
        started = time.monotonic()
        with pytest.raises(EndpointError, match=r"no complete answer within 1 s") as caught:
            CALLS[call](remote)
        assert time.monotonic() - started < 2.5  # a byte every 0.1 s, each read < 1 s
    assert str(caught.value).startswith(fake.url + ": ")
    assert fake.requests == 1  # a timeout is not retried


def test_cli_timeout_bounds_the_whole_answer() -> None:
    body = SELECT_JSON + b" " * 200
    answer = HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    with SocketServer(trickle(answer)) as fake:
        started = time.monotonic()
        result = CliRunner().invoke(
            main, ["query", "-e", "ASK {}", "--endpoint", fake.url, "--timeout", "1"]
        )
        assert time.monotonic() - started < 2.5
    assert result.exit_code == EXIT_ERROR
    assert result.output.startswith(f"Error: {fake.url}: no complete answer within 1 s")


def test_a_timeout_of_zero_is_no_limit() -> None:
    answer = HEAD + f"Content-Length: {len(SELECT_JSON)}\r\n\r\n".encode() + SELECT_JSON
    with SocketServer(trickle(answer, every=0.004)) as fake:  # about 1.4 s in all
        remote = Remote.from_env(fake.url, timeout=0)
        assert remote.timeout is None
        assert query_get(remote).rows == [(ox.Literal("1"),)]


# --- answers have a size limit ------------------------------------------------------


@BOTH
@pytest.mark.parametrize("chunked", [False, True], ids=["to-close", "chunked"])
def test_an_endless_answer_stops_at_the_size_limit(call: str, chunked: bool) -> None:
    with SocketServer(endless(chunked=chunked)) as fake:
        remote = Remote.from_env(fake.url, timeout=10, max_bytes=1_000_000)
        with pytest.raises(EndpointError, match=r"answer larger than 1,000,000 bytes") as caught:
            CALLS[call](remote)
    assert str(caught.value).startswith(fake.url + ": ")
    assert MAX_BYTES_ENV in str(caught.value)


def test_a_declared_length_past_the_limit_is_refused_before_reading() -> None:
    with ScriptedServer([Canned(body=SELECT_JSON)]) as fake:
        remote = Remote.from_env(fake.url, max_bytes=len(SELECT_JSON) - 1)
        with pytest.raises(EndpointError, match=r"answer larger than"):
            query_get(remote)
        remote = Remote.from_env(fake.url, max_bytes=len(SELECT_JSON))
        assert query_get(remote).rows == [(ox.Literal("1"),)]


def test_the_size_limit_from_the_environment() -> None:
    url = "http://127.0.0.1:7878/query"
    assert Remote.from_env(url, env={}).max_bytes == DEFAULT_MAX_BYTES
    assert Remote.from_env(url, env={MAX_BYTES_ENV: "1000"}).max_bytes == 1000
    assert Remote.from_env(url, env={MAX_BYTES_ENV: "0"}).max_bytes is None
    assert Remote.from_env(url, max_bytes=5, env={MAX_BYTES_ENV: "1000"}).max_bytes == 5
    with pytest.raises(ConfigError, match=MAX_BYTES_ENV):
        Remote.from_env(url, env={MAX_BYTES_ENV: "1G"})
    with pytest.raises(ConfigError, match=">= 0 bytes"):
        Remote.from_env(url, max_bytes=-1, env={})


def test_an_endless_error_page_is_not_read_to_the_end() -> None:
    def answer(connection: socket.socket, stop: threading.Event) -> None:
        connection.sendall(b"HTTP/1.1 500 Oops\r\nContent-Type: text/plain\r\n\r\ndisk full ")
        while not stop.is_set():
            connection.sendall(b"x" * 65536)

    with SocketServer(answer) as fake:
        remote = Remote.from_env(fake.url, timeout=10, max_bytes=1_000_000)
        with pytest.raises(EndpointError, match=r"HTTP 500 .*'disk full x"):
            query_get(remote)


# --- only the protocol's answer is a success ------------------------------------------


@pytest.mark.parametrize("call", ["push-gsp", "push-update"])
@pytest.mark.parametrize("status", [200, 201])
def test_push_takes_a_web_page_for_a_failure(call: str, status: int) -> None:
    login = Canned(status, "text/html; charset=utf-8", b"<html><title>Sign in</title></html>")
    with ScriptedServer([login]) as fake, pytest.raises(EndpointError) as caught:
        CALLS[call](Remote.from_env(fake.url, retries=0))
    message = str(caught.value)
    assert message.startswith(fake.url + ": push stopped at ")
    assert f"answered HTTP {status} text/html, not a SPARQL Update or Graph Store" in message
    assert "Sign in" in message
    assert "text/html" not in fake.seen[0].headers["Accept"]  # it asked for no web page


@pytest.mark.parametrize(
    "ack",
    [
        Canned(204, "", b""),
        Canned(200, "text/plain", b"Update succeeded\n"),
        Canned(201, "application/json", b'{"count": 1, "tripleCount": 1}'),
        Canned(201, "text/html; charset=UTF-8", b""),
    ],
    ids=["oxigraph", "fuseki-update", "fuseki-gsp", "virtuoso-gsp"],
)
@pytest.mark.parametrize("call", ["push-gsp", "push-update"])
def test_push_takes_the_servers_acknowledgements(call: str, ack: Canned) -> None:
    with ScriptedServer([ack]) as fake:
        assert CALLS[call](Remote.from_env(fake.url, retries=0)).triples == 2


def test_a_query_answered_by_a_web_page_fails() -> None:
    login = Canned(200, "text/html", b"<html><title>Sign in</title></html>")
    with ScriptedServer([login]) as fake, pytest.raises(EndpointError) as caught:
        query_get(Remote.from_env(fake.url, retries=0))
    message = str(caught.value)
    assert message.startswith(f"{fake.url}: the endpoint answered HTTP 200 text/html, not SPARQL")
    assert "Sign in" in message


# --- redirects stay within the endpoint's origin -------------------------------------


@ALL
@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_is_refused(call: str, code: int) -> None:
    with ScriptedServer([Canned(body=SELECT_JSON)]) as elsewhere, ScriptedServer([]) as fake:
        fake.answers = [Canned(code, "text/plain", b"", {"Location": elsewhere.url + "?q=1"})]
        with pytest.raises(EndpointError, match="redirects") as caught:
            CALLS[call](Remote.from_env(fake.url, retries=0))
    assert str(caught.value).startswith(fake.url + ": ")
    assert f"to another origin, {elsewhere.url};" in str(caught.value)
    assert elsewhere.seen == []


@pytest.mark.parametrize(
    "target", ["https://{host}/sparql", "http://localhost:{port}/sparql", "ftp://{host}/"]
)
def test_another_scheme_or_host_is_another_origin(target: str) -> None:
    with ScriptedServer([]) as fake:
        host, port = fake.url.split("/")[2], fake.url.split("/")[2].split(":")[1]
        location = target.format(host=host, port=port)
        fake.answers = [Canned(302, "text/plain", b"", {"Location": location})]
        with pytest.raises(EndpointError, match="to another origin"):
            query_get(Remote.from_env(fake.url, retries=0))
    assert len(fake.seen) == 1


@pytest.mark.parametrize("call", ["query-post", "push-gsp", "push-update"])
def test_a_redirect_that_would_drop_the_body_is_refused(call: str) -> None:
    with ScriptedServer([]) as fake:  # push-gsp: its PUT is redirected
        fake.answers = [Canned(303, "text/plain", b"", {"Location": fake.url + "/login"})]
        with pytest.raises(EndpointError, match=r"which would drop the request's body"):
            CALLS[call](Remote.from_env(fake.url, retries=0))
    assert len(fake.seen) == 1


def test_redirects_within_the_origin_are_followed() -> None:
    with ScriptedServer([]) as fake:
        same = fake.url.replace("http://", "HTTP://") + "/again"  # the same origin
        fake.answers = [
            Canned(301, "text/plain", b"", {"Location": "/sparql/moved"}),
            Canned(302, "text/plain", b"", {"Location": same}),
            Canned(body=SELECT_JSON),
        ]
        assert query_get(Remote.from_env(fake.url)).rows == [(ox.Literal("1"),)]
    paths = [s.path.split("?")[0] for s in fake.seen]
    assert paths == ["/sparql", "/sparql/moved", "/sparql/again"]


def test_the_deadline_spans_redirects() -> None:
    slow_hop = Canned(302, "text/plain", b"", {"Location": "/sparql/next"}, delay=0.4)
    with ScriptedServer([slow_hop]) as fake:
        remote = Remote.from_env(fake.url, timeout=1.0, retries=0)
        started = time.monotonic()
        with pytest.raises(EndpointError, match="no complete answer within 1 s"):
            query_get(remote)
        assert time.monotonic() - started < 2.5
    assert len(fake.seen) <= 3  # each hop is quick, but not the three of them
