"""Servers for the endpoint and push tests, all on 127.0.0.1: a real Oxigraph server (the
``oxigraph`` binary of the PyPI package of that name, installed by the test extra), a
real Virtuoso Open Source 7 (Debian's ``virtuoso-opensource``, installed by ``make
pytest``), a scripted HTTP server that answers from a list of canned responses, and a socket server
that answers byte by byte as a test writes it (slow or endless answers); and the helpers
the test modules use to compare the server with the store."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from kg.sparql.endpoint import run_remote_query
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore

#: Remote calls that give up fast (tests of failures).
QUICK = {"timeout": 5.0, "retries": 2, "backoff": 0.01}
#: Every quad: the default graph's triples and the named graphs'.
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The ``oxigraph`` server binary: next to this Python first (a virtualenv that is
    not activated), else on PATH. Missing, the test fails: CI installs it."""
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.is_file() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server binary is missing: make install-dev")
    return found


@contextmanager
def oxigraph_server(location: Path, *, start_timeout: float = 30.0) -> Iterator[str]:
    """Run ``oxigraph serve`` on a free port of 127.0.0.1 with its data in
    ``location``; yield its base URL (``/query``, ``/update``, ``/store`` below it) and
    stop it at the end, also when the test fails."""
    port = free_port()
    log = location / "oxigraph.log"
    command = [oxigraph_binary(), "serve", "--location", str(location / "db")]
    command += ["--bind", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answers(base + "/query?query=ASK%7B%7D", process, log, start_timeout)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


VIRTUOSO = Path("/usr/bin/virtuoso-t")
ISQL = Path("/usr/bin/isql-vt")
#: The folder of Debian's virtuoso-opensource that holds the server's own pages.
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
VIRTUOSO_INI = Path(__file__).parent / "data" / "virtuoso.ini"
#: The test user, and its role: SPARQL Update, and Graph Store writes, for that user.
VIRTUOSO_USER = "evalkg"
VIRTUOSO_GRANTS = "DB.DBA.USER_CREATE('{user}', '{password}'); GRANT SPARQL_UPDATE TO \"{user}\";"


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its HTTP base URL, its SQL port and folder, and the test
    user's credentials."""

    base: str
    sql_port: int
    folder: Path
    user: str
    password: str = field(repr=False)

    @property
    def sparql(self) -> str:
        """The query endpoint (anonymous, read-only)."""
        return self.base + "/sparql"

    @property
    def gsp(self) -> str:
        """The Graph Store endpoint that takes writes (HTTP Digest)."""
        return self.base + "/sparql-graph-crud-auth"

    @property
    def update(self) -> str:
        """The SPARQL endpoint that takes updates (HTTP Digest, the SPARQL_UPDATE role)."""
        return self.base + "/sparql-auth"

    def sql(self, statements: str) -> str:
        """Run SQL statements (``SPARQL …`` for SPARQL) as Virtuoso's ``dba``; the output."""
        return _isql(self.sql_port, statements, self.folder)

    def env(self) -> dict[str, str]:
        """The environment that gives evalkg the user's credentials, by Digest."""
        return {
            "EVALKG_ENDPOINT_AUTH": "digest",
            "EVALKG_ENDPOINT_USER": self.user,
            "EVALKG_ENDPOINT_PASSWORD": self.password,
        }


@contextmanager
def virtuoso_server(folder: Path, *, start_timeout: float = 60.0) -> Iterator[Virtuoso]:
    """Run Debian's Virtuoso Open Source 7 (``virtuoso-t``) with its database and an ini
    file (``tests/data/virtuoso.ini``) in ``folder``, on two free ports of 127.0.0.1;
    create a user with the SPARQL_UPDATE role; yield the server and stop it at the end,
    also when the test fails. Missing, the test fails: CI installs it (``make pytest``
    runs ``make test-deps``)."""
    import secrets

    if not VIRTUOSO.is_file() or not ISQL.is_file():
        pytest.fail(f"{VIRTUOSO} is missing: apt-get install virtuoso-opensource (make test-deps)")
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    text = VIRTUOSO_INI.read_text(encoding="utf-8")
    ini.write_text(
        text.format(folder=folder, sql_port=sql_port, http_port=http_port, vsp=VIRTUOSO_VSP),
        encoding="utf-8",
    )
    log = folder / "virtuoso.out"
    command = [str(VIRTUOSO), "+foreground", "+configfile", str(ini)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_until_answers(base + "/sparql?query=ASK%7B%7D", process, log, start_timeout)
        password = secrets.token_urlsafe(16)
        _isql(sql_port, VIRTUOSO_GRANTS.format(user=VIRTUOSO_USER, password=password), folder)
        yield Virtuoso(base, sql_port, folder, VIRTUOSO_USER, password)
    finally:
        process.terminate()  # Virtuoso shuts down quickly on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _isql(port: int, statements: str, folder: Path, *, start_timeout: float = 30.0) -> str:
    """Run SQL statements as Virtuoso's ``dba`` (the fresh database's password), waiting
    for the SQL port (it opens after the HTTP one); the output. isql-vt exits 0 after an
    error: its ``*** Error`` line says so."""
    command = [str(ISQL), f"127.0.0.1:{port}", "dba", "dba", f"exec={statements}"]
    deadline = time.monotonic() + start_timeout
    while True:
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=60)
        output = done.stdout + done.stderr
        if "Connect failed" not in output or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if done.returncode != 0 or "*** Error" in output:
        pytest.fail(f"isql-vt failed ({done.returncode}): {output}")
    return output


def _wait_until_answers(
    probe: str, process: subprocess.Popen[bytes], log: Path, limit: float
) -> None:
    deadline = time.monotonic() + limit
    name = Path(str(process.args[0])).name  # type: ignore[index]
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with {process.returncode}: {log.read_text()}")
        try:
            with urllib.request.urlopen(probe, timeout=1) as response:
                response.read()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{name} did not answer {probe} within {limit} s")


@dataclass
class Canned:
    """One scripted answer: status, content type, body, extra headers, delay."""

    status: int = 200
    content_type: str = "application/sparql-results+json"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    """One request the scripted server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    """Answers the n-th request with ``answers[n]`` (the last one repeats) and records
    every request in ``seen``."""

    def __init__(self, answers: list[Canned]) -> None:
        self.answers = answers
        self.seen: list[Seen] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else b""
                owner.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                canned = owner.answers[min(len(owner.seen), len(owner.answers)) - 1]
                time.sleep(canned.delay)
                self.send_response(canned.status)
                self.send_header("Content-Type", canned.content_type)
                self.send_header("Content-Length", str(len(canned.body)))
                for name, value in canned.headers.items():
                    self.send_header(name, value)
                with suppress(ConnectionError):  # a client that gave up (a test's deadline)
                    self.end_headers()
                    self.wfile.write(canned.body)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"

    def __enter__(self) -> ScriptedServer:
        serve = self.httpd.serve_forever
        threading.Thread(target=serve, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


Answerer = Callable[[socket.socket, threading.Event], None]


class SocketServer:
    """Reads each request (headers and ``Content-Length`` body), counts it in
    ``requests`` and hands the connection to ``answer(connection, stop)`` in a thread of
    its own; ``stop`` is set when the server closes, for answers that never end."""

    def __init__(self, answer: Answerer) -> None:
        self.answer = answer
        self.requests = 0
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/sparql"

    def __enter__(self) -> SocketServer:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        with suppress(OSError):  # wakes the thread blocked in accept()
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection, suppress(OSError):  # OSError: the client gave up
            data = b""
            while b"\r\n\r\n" not in data:
                received = connection.recv(65536)
                if not received:
                    return
                data += received
            head, _, body = data.partition(b"\r\n\r\n")
            fields = [line.partition(b":") for line in head.split(b"\r\n")[1:]]
            size = next((int(v) for k, _, v in fields if k.lower() == b"content-length"), 0)
            while len(body) < size:
                body += connection.recv(65536)
            self.requests += 1
            self.answer(connection, self.stop)


def to_rdflib(triples: list[Any]) -> rdflib.Graph:
    """pyoxigraph triples as an rdflib graph (to compare graphs by isomorphism)."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def remote_count(query_url: str, sparql: str = COUNT_QUADS) -> int:
    """The number a COUNT query gives on the endpoint."""
    return int(run_remote_query(query_url, sparql).rows[0][0].value)


def local_count(store: EvalStore, sparql: str = COUNT_QUADS) -> int:
    """The number a COUNT query gives on the store."""
    return int(run_query(store, sparql).rows[0][0].value)


@contextmanager
def evalkg_server(folder: Path, **settings: Any) -> Iterator[str]:
    """``evalkg serve`` of the store folder ``folder`` (uvicorn in a thread, on a free port
    of 127.0.0.1), with :class:`kg.publish.server.ServeSettings` ``settings``; yield its
    base URL (no slash at the end) and stop it at the end."""
    import uvicorn

    from kg.publish.server import ServeSettings, create_app

    store = EvalStore.open(folder)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    app = create_app(store, ServeSettings(**settings))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, timeout_keep_alive=5))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        if not server.started:
            pytest.fail("the evalkg server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        listener.close()
        store.close()


#: Literal text that a hand-written N-Triples or SPARQL Update would break on.
HOSTILE_VALUES = [
    '"} } ; DROP ALL ; INSERT DATA { <a:b> <a:c> "x" }',
    "back\\slash \\u0022 \\n not escapes",
    "<script>alert(1)</script>\r\n\t\x00\x01 \U0001f600 é",
]


def hostile_store(graph: ox.NamedNode) -> tuple[EvalStore, list[ox.Literal]]:
    """An in-memory store whose ``graph`` holds the literals of :data:`HOSTILE_VALUES`
    (tagged, and the first plain too); the store and the literals."""
    store = EvalStore()
    literals = [ox.Literal(v, language="en") for v in HOSTILE_VALUES]
    literals.append(ox.Literal(HOSTILE_VALUES[0]))
    subject, predicate = ox.NamedNode("https://w3id.org/evalkg/id/x"), ox.NamedNode("urn:p")
    store.replace_graph(graph, [(subject, predicate, lit) for lit in literals])
    return store, literals
