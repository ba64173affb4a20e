"""`evalkg push` against a real Oxigraph server on 127.0.0.1 (tests/server.py): every
triple arrives, pushing twice leaves the same data, blank nodes survive chunking, hostile
literals arrive verbatim, failures half-way are reported."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic
from server import (
    COUNT_QUADS,
    QUICK,
    Canned,
    ScriptedServer,
    hostile_store,
    local_count,
    oxigraph_server,
    remote_count,
    to_rdflib,
)

from kg.cli import main
from kg.errors import ConfigError, EndpointError
from kg.publish.push import push
from kg.sparql.endpoint import Remote, run_remote_query
from kg.sparql.queries import bind, get_query
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore

pytestmark = pytest.mark.server

STATS = get_query("stats")


@pytest.fixture()
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """A new Oxigraph server with an empty store; its base URL."""
    with oxigraph_server(tmp_path) as base:
        yield base


def test_push_twice_leaves_the_same_data(fresh_server: str, sample_store: EvalStore) -> None:
    query_url = fresh_server + "/query"
    first = push(sample_store, fresh_server + "/store", chunk_size=700)
    after_first = (remote_count(query_url), run_remote_query(query_url, STATS.text).rows)
    second = push(sample_store, fresh_server + "/store", chunk_size=700)
    assert (remote_count(query_url), run_remote_query(query_url, STATS.text).rows) == after_first
    assert after_first[0] == local_count(sample_store)
    assert first.triples == second.triples == after_first[0]
    assert first.requests > len(first.graphs)  # it did chunk


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_blank_nodes_are_not_split_across_chunks(
    method: str, fresh_server: str, sample_store: EvalStore
) -> None:
    endpoint = fresh_server + ("/store" if method == "gsp" else "/update")
    push(sample_store, endpoint, method=method, chunk_size=25)
    query_url = fresh_server + "/query"
    with_blanks = run_query(
        sample_store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }",
    ).rows
    assert with_blanks  # the ontology's OWL axioms use blank nodes
    for (graph,) in with_blanks:
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        local = run_query(sample_store, construct)
        remote = run_remote_query(query_url, construct)
        assert isomorphic(to_rdflib(remote.triples), to_rdflib(local.triples)), graph
    assert remote_count(query_url) == local_count(sample_store)


def test_push_into_one_named_graph(fresh_server: str, sample_store: EvalStore) -> None:
    target = "https://example.org/graphs/evalkg"
    report = push(sample_store, fresh_server + "/store", graph=target)
    query_url = fresh_server + "/query"
    assert [g.name for g in report.graphs] == [target]
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    rows = run_remote_query(query_url, per_graph).rows
    assert [(g.value, int(n.value)) for g, n in rows] == [(target, len(sample_store))]
    assert remote_count(query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 0


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_hostile_literals_arrive_verbatim(method: str, fresh_server: str) -> None:
    graph = ox.NamedNode("https://w3id.org/evalkg/id/record/hostile")
    store, literals = hostile_store(graph)
    push(store, fresh_server + ("/store" if method == "gsp" else "/update"), method=method)
    got = run_remote_query(
        fresh_server + "/query", "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    ).rows
    assert Counter(row[0] for row in got) == Counter(literals)
    assert remote_count(fresh_server + "/query") == 2 * len(literals)


def named_graphs(store: EvalStore) -> list[tuple[str, int]]:
    """(IRI, triples) of the store's named graphs, in the order push sends them."""
    rows = run_query(store, bind(get_query("push/graph-sizes"), {})).rows
    return [(g.value, int(n.value)) for g, n in rows]


def test_a_failure_half_way_is_reported(sample_store: EvalStore) -> None:
    first, size = named_graphs(sample_store)[0]
    assert size > 400  # so that chunks of 200 need at least three requests
    answers = [Canned(204), Canned(204), Canned(500, "text/plain", b"disk full")]
    with ScriptedServer(answers) as fake, pytest.raises(EndpointError) as caught:
        push(sample_store, Remote.from_env(fake.url, **QUICK), chunk_size=200)
    message = str(caught.value)
    assert f"push stopped at {first} (request 3)" in message
    assert "HTTP 500" in message and "disk full" in message
    assert "0 graph(s) complete" in message and "is partial" in message
    assert [s.method for s in fake.seen] == ["PUT", "POST", "POST"]


def test_push_sends_ntriples_by_gsp(sample_store: EvalStore) -> None:
    with ScriptedServer([Canned(204)]) as fake:
        report = push(sample_store, fake.url, chunk_size=10**6)
    first = fake.seen[0]
    assert first.method == "PUT"
    assert first.path == "/sparql?graph=" + quote(named_graphs(sample_store)[0][0], safe="")
    assert first.headers["Content-Type"] == "application/n-triples"
    default = [s for s in fake.seen if s.path == "/sparql?default"]
    assert default == fake.seen[-2:]  # the last graph: one request, then the blank nodes'
    assert [s.method for s in default] == ["PUT", "POST"]
    parsed = rdflib.Graph()
    for seen in default:
        parsed.parse(data=seen.body.decode("utf-8"), format="nt")
    assert len(parsed) == len(sample_store) == report.graphs[-1].triples
    assert all(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
        for t in ox.parse(default[1].body, format=ox.RdfFormat.N_TRIPLES)
    )


def test_push_without_the_default_graph(sample_store: EvalStore) -> None:
    """For a server whose default graph is the union of its graphs (Virtuoso)."""
    with ScriptedServer([Canned(204)]) as fake:
        report = push(sample_store, fake.url, default_graph=False)
    assert [g.name for g in report.graphs] == [g for g, _ in named_graphs(sample_store)]
    assert report.triples == len(sample_store) == sum(n for _, n in named_graphs(sample_store))
    assert not any(s.path.endswith("?default") for s in fake.seen)


def test_update_inserts_blank_nodes_by_a_template() -> None:
    """Virtuoso 7 refuses blank nodes in INSERT DATA: they go in ``INSERT {…} WHERE {}``
    of their own, the other triples by INSERT DATA."""
    store = EvalStore()
    graph = ox.NamedNode("https://w3id.org/evalkg/id/record/1")
    s, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    store.replace_graph(graph, [(s, p, ox.Literal("a")), (s, p, ox.BlankNode())])
    with ScriptedServer([Canned(204)]) as fake:
        push(store, fake.url, method="update", default_graph=False)
    first, blank = (seen.body.decode() for seen in fake.seen)
    assert first.startswith(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{")
    assert "_:" not in first and '"a"' in first
    assert blank.startswith(f"INSERT {{ GRAPH {graph} {{") and blank.endswith("} } WHERE {}")
    assert "_:" in blank and '"a"' not in blank


def test_bad_push_options(sample_store: EvalStore) -> None:
    with pytest.raises(ConfigError, match="unknown push method"):
        push(sample_store, "http://127.0.0.1:1/", method="ftp")
    with pytest.raises(ConfigError, match="not a valid graph IRI"):
        push(sample_store, "http://127.0.0.1:1/", graph="not an iri")
    with pytest.raises(ConfigError, match=r"one named graph .* or without the default graph"):
        push(sample_store, "http://127.0.0.1:1/", graph="urn:g", default_graph=False)


def test_cli_push(fresh_server: str, tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(main, ["build", "--sample", "-q", "--store", store]).exit_code == 0
    pushed = runner.invoke(main, ["push", "--endpoint", fresh_server + "/store", "--store", store])
    assert pushed.exit_code == 0, pushed.output
    graphs = len(named_graphs(EvalStore.open(store))) + 1
    assert re.search(rf"Pushed [\d,]+ triples in {graphs} graphs \(\d+ requests\)", pushed.output)
    counted = runner.invoke(
        main, ["query", "-e", COUNT_QUADS, "-f", "csv", "--endpoint", fresh_server + "/query"]
    )
    assert counted.output.split()[1] == pushed.output.split()[1].replace(",", "")
