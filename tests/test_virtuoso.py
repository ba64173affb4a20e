"""`evalkg push` and `query --endpoint` against Virtuoso Open Source 7 (Debian's
virtuoso-opensource, one server for the module on 127.0.0.1: tests/server.py).

The sample is pushed as a test user with the SPARQL_UPDATE role, by HTTP Digest, once
by the Graph Store Protocol and once by SPARQL Update (the server cleared in between),
with ``default_graph=False``: Virtuoso's default graph is the union of its graphs. After
each, every named query gives the same rows there as on the store, compared as
tests/test_endpoint.py compares them on the Oxigraph server, with Virtuoso's answers to
GROUP_CONCAT and its own graphs made equal (:func:`virtuoso_rows` says how and why;
docs/servers.md lists them and what evalkg does about the others)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from server import Virtuoso, hostile_store, remote_count, virtuoso_server
from test_endpoint import QUERIES, assert_same_answer, comparable, run_both

from kg.cli import main
from kg.errors import EndpointError
from kg.publish.push import push
from kg.sparql.endpoint import Remote, run_remote_query
from kg.sparql.queries import NamedQuery, bind, get_query
from kg.sparql.query import run_query
from kg.sparql.results import QueryResult
from kg.store.evalstore import EvalStore

pytestmark = pytest.mark.server

METHODS = ["gsp", "update"]
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
#: The quads of the named graphs (Virtuoso's default graph is their union).
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


# --- fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="module")
def own_graphs(virtuoso: Virtuoso) -> frozenset[ox.NamedNode]:
    """The graphs a fresh Virtuoso holds (its system graphs), measured before any push."""
    graphs = frozenset(row[0] for row in run_remote_query(virtuoso.sparql, GRAPHS).rows)
    assert graphs  # Virtuoso 7.2.5: virtrdf#, ldp# and the server's own description
    assert not any(g.value.startswith("https://w3id.org/evalkg/") for g in graphs)  # fresh
    return graphs


@pytest.fixture(scope="module")
def own_quads(virtuoso: Virtuoso) -> int:
    """How many quads a fresh Virtuoso holds, measured before any push."""
    return remote_count(virtuoso.sparql, QUADS)


def endpoint(virtuoso: Virtuoso, method: str) -> Remote:
    """The write endpoint of ``method`` with the test user's Digest credentials."""
    url = virtuoso.gsp if method == "gsp" else virtuoso.update
    return Remote.from_env(url, env=virtuoso.env())


def clear(virtuoso: Virtuoso, store: EvalStore, own_quads: int) -> None:
    """Drop the store's graphs (as dba, by SQL) and check that the server holds its own
    quads only. (Not by listing its graphs: ``SELECT DISTINCT ?g`` takes 9 s there once
    the sample is in, counting the quads 0.02 s.)"""
    graphs = [row[0] for row in run_query(store, bind(get_query("push/graph-sizes"), {})).rows]
    virtuoso.sql(" ".join(f"SPARQL DROP SILENT GRAPH {g};" for g in graphs))
    assert remote_count(virtuoso.sparql, QUADS) == own_quads


@contextmanager
def dropped_after(virtuoso: Virtuoso, graph: ox.NamedNode) -> Iterator[None]:
    """A test's own graph, dropped at the end (the pushed sample stays as it was)."""
    try:
        yield
    finally:
        virtuoso.sql(f"SPARQL DROP SILENT GRAPH {graph};")


@pytest.fixture(scope="module", params=METHODS)
def pushed(
    request: pytest.FixtureRequest,
    virtuoso: Virtuoso,
    own_graphs: frozenset[ox.NamedNode],
    own_quads: int,
    sample_store: EvalStore,
) -> str:
    """The sample pushed by the method of the parameter into a server without it; the
    query URL. (``own_graphs`` and ``own_quads`` are measured first, on the fresh
    server.)"""
    clear(virtuoso, sample_store, own_quads)
    method = request.param
    report = push(sample_store, endpoint(virtuoso, method), method=method, default_graph=False)
    assert report.triples == len(sample_store)
    return virtuoso.sparql


# --- the differences made equal ----------------------------------------------------


def virtuoso_rows(
    result: QueryResult, concat: dict[str, str], own_graphs: frozenset[ox.NamedNode]
) -> list[tuple[Any, ...]]:
    """:func:`test_endpoint.comparable` rows, with two measured differences made equal:

    - a ``GROUP_CONCAT`` is compared by its tokens only: Oxigraph gives the values'
      common language tag to the result (``"Africa Americas"@en``), Virtuoso a plain
      literal; and over a group without values Oxigraph leaves it unbound, Virtuoso
      gives ``""`` (both: no token);
    - rows that name one of Virtuoso's own graphs (``own_graphs``, measured on the fresh
      server) are left out: its ``GRAPH ?g`` sees its system graphs too.
    """
    positions = [i for i, var in enumerate(result.variables) if var in concat]

    def tokens(cell: Any) -> tuple[str, ...]:
        if cell is None:
            return ()
        return tuple(t for t in cell[1] if t)

    rows = []
    for row in comparable(result, concat):
        if any(cell in own_graphs for cell in row):
            continue
        rows.append(tuple(tokens(c) if i in positions else c for i, c in enumerate(row)))
    return rows


# --- every canned query gives the same rows on Virtuoso ------------------------------


@pytest.mark.parametrize("named", QUERIES, ids=[q.name for q in QUERIES])
def test_canned_query_same_rows_on_virtuoso(
    named: NamedQuery,
    pushed: str,
    own_graphs: frozenset[ox.NamedNode],
    sample_store: EvalStore,
) -> None:
    local, remote = run_both(sample_store, pushed, named)
    assert local.rows or local.triples or local.kind == "ask", "no rows on the sample"
    assert_same_answer(
        named, local, remote, lambda result, concat: virtuoso_rows(result, concat, own_graphs)
    )


def test_ask_is_a_boolean(pushed: str) -> None:
    """Virtuoso 7 answers an ASK as a table of one row (1) or none: evalkg reads it."""
    lesson = "ASK { ?l a <https://w3id.org/evalkg/ontology#Lesson> }"
    nothing = "ASK { ?l a <https://w3id.org/evalkg/ontology#NoSuchClass> }"
    assert run_remote_query(pushed, lesson).boolean is True
    assert run_remote_query(pushed, nothing).boolean is False


# --- pushing ---------------------------------------------------------------------------


def graph_sizes(query_url: str, own_graphs: frozenset[ox.NamedNode]) -> list[Any]:
    text = bind(get_query("push/graph-sizes"), {})
    return [row for row in run_remote_query(query_url, text).rows if row[0] not in own_graphs]


def test_push_twice_leaves_the_same_data(
    virtuoso: Virtuoso, own_graphs: frozenset[ox.NamedNode], sample_store: EvalStore
) -> None:
    stats = get_query("stats").text
    first = push(sample_store, endpoint(virtuoso, "gsp"), chunk_size=700, default_graph=False)
    after_first = (
        graph_sizes(virtuoso.sparql, own_graphs),
        run_remote_query(virtuoso.sparql, stats).rows,
    )
    second = push(sample_store, endpoint(virtuoso, "gsp"), chunk_size=700, default_graph=False)
    assert (
        graph_sizes(virtuoso.sparql, own_graphs),
        run_remote_query(virtuoso.sparql, stats).rows,
    ) == after_first
    assert after_first[0] == run_query(sample_store, bind(get_query("push/graph-sizes"), {})).rows
    assert first.triples == second.triples == len(sample_store)
    assert first.requests > len(first.graphs)  # it did chunk: PUT, then POSTs


@pytest.mark.parametrize("method", METHODS)
def test_hostile_literals_arrive_verbatim(virtuoso: Virtuoso, method: str) -> None:
    graph = ox.NamedNode(f"https://w3id.org/evalkg/id/record/hostile-{method}")
    store, literals = hostile_store(graph)
    query = f"SELECT ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    with dropped_after(virtuoso, graph):
        push(store, endpoint(virtuoso, method), method=method, default_graph=False)
        got = run_remote_query(virtuoso.sparql, query)
    assert Counter(row[0] for row in got.rows) == Counter(literals)


def test_the_default_graph_cannot_be_pushed(virtuoso: Virtuoso) -> None:
    """Virtuoso's Graph Store Protocol has no default graph to write (it is the union of
    the graphs): hence ``default_graph=False`` (``--no-default-graph``)."""
    store = EvalStore()
    graph = ox.NamedNode("https://w3id.org/evalkg/id/record/default-test")
    store.replace_graph(graph, [(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))])
    expected = r"push stopped at default graph .* HTTP 500"
    with dropped_after(virtuoso, graph), pytest.raises(EndpointError, match=expected):
        push(store, endpoint(virtuoso, "gsp"))


# --- credentials ------------------------------------------------------------------------


def test_writes_need_the_users_digest(virtuoso: Virtuoso, sample_store: EvalStore) -> None:
    wrong = {**virtuoso.env(), "EVALKG_ENDPOINT_PASSWORD": "not-the-password"}
    anonymous: dict[str, str] = {}
    for env in (wrong, anonymous):
        remote = Remote.from_env(virtuoso.gsp, env=env, retries=0)
        with pytest.raises(EndpointError, match=r"HTTP 401 Unauthorized") as caught:
            push(sample_store, remote, default_graph=False)
        assert "not-the-password" not in str(caught.value)
    basic = {**virtuoso.env(), "EVALKG_ENDPOINT_AUTH": "basic"}
    with pytest.raises(EndpointError, match=r"HTTP 401"):  # Virtuoso wants Digest
        push(sample_store, Remote.from_env(virtuoso.gsp, env=basic), default_graph=False)


# --- the command line ------------------------------------------------------------------


def test_cli_push_and_query(
    virtuoso: Virtuoso, sample_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    for name, value in virtuoso.env().items():
        monkeypatch.setenv(name, value)
    args = ["push", "--no-default-graph", "--endpoint", virtuoso.gsp, "--store", str(sample_folder)]
    pushed = runner.invoke(main, args)
    assert pushed.exit_code == 0, pushed.output
    assert re.search(r"Pushed [\d,]+ triples in \d+ graphs", pushed.output)
    for fmt in ("table", "csv", "json"):
        local = runner.invoke(main, ["query", "stats", "--store", str(sample_folder), "-f", fmt])
        remote = runner.invoke(main, ["query", "stats", "--endpoint", virtuoso.sparql, "-f", fmt])
        assert remote.exit_code == 0, remote.output
        assert remote.output == local.output
