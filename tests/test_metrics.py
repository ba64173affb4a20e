"""Network metrics (kg.networks.metrics): values worked out by hand on small graphs, networkx as
a cross-check on the sample, determinism, sampling, the report and the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import EXIT_ERROR, main
from kg.networks.metrics import METRIC_KEYS, MetricsReport, compute_metrics
from kg.networks.projection import project
from kg.store.evalstore import EvalStore


def weighted(*edges: tuple[str, str, float]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges)
    return graph


def barbell() -> nx.Graph:
    """Triangles a-b-c and d-e-f joined by the bridge c-d, every weight 1."""
    pairs = ["ab", "bc", "ac", "cd", "de", "ef", "df"]
    return weighted(*((p[0], p[1], 1.0) for p in pairs))


def test_barbell_by_hand() -> None:
    graph = barbell()
    m = compute_metrics(graph)
    # c and d each lie on the 2 x 3 shortest paths between the triangles; normalized by
    # (n-1)(n-2)/2 = 10 pairs of other nodes
    assert m["c"]["betweenness"] == pytest.approx(0.6)
    assert m["d"]["betweenness"] == pytest.approx(0.6)
    assert all(m[n]["betweenness"] == 0 for n in "abef")
    assert (m["c"]["degree"], m["c"]["weighted_degree"], m["a"]["degree"]) == (3, 3.0, 2)
    # the two triangles are the communities, the one holding "a" numbered first
    assert [m[n]["community"] for n in "abcdef"] == [0, 0, 0, 1, 1, 1]
    # modularity: 2 x (3/7 - (7/14)^2)
    assert graph.graph["metrics"]["modularity"] == pytest.approx(2 * (3 / 7 - 0.25))
    assert graph.graph["metrics"]["communities"] == 2
    assert graph.graph["metrics"]["betweenness"] == "exact"
    # the bridge ends tie the communities; the others do not
    assert {n for n in m if m[n]["broker"]} == {"c", "d"}
    assert m["c"]["broker_via"] == "communities"
    # set as node attributes too
    assert graph.nodes["c"]["betweenness"] == m["c"]["betweenness"]
    assert set(graph.nodes["c"]) >= set(METRIC_KEYS)


def test_weights_are_strengths_so_strong_ties_are_short() -> None:
    # square a-b-c-d-a; a-b and b-c are strong (weight 2, length 1/2), the rest weight 1.
    # a->c goes through b (length 1 < 2); b->d has two paths of length 1.5 (via a, via c)
    graph = weighted(("a", "b", 2.0), ("b", "c", 2.0), ("c", "d", 1.0), ("d", "a", 1.0))
    m = compute_metrics(graph)
    assert m["b"]["betweenness"] == pytest.approx(1 / 3)
    assert m["a"]["betweenness"] == pytest.approx(1 / 6)
    assert m["c"]["betweenness"] == pytest.approx(1 / 6)
    assert m["d"]["betweenness"] == 0
    assert m["b"]["weighted_degree"] == 4.0 and m["d"]["weighted_degree"] == 2.0


def test_region_brokers() -> None:
    # x ties u (Africa) and w (Americas), which share no region: a broker between regions;
    # y ties u and v, both in Africa: not one
    graph = weighted(("u", "x", 1.0), ("x", "w", 1.0), ("u", "y", 1.0), ("y", "v", 1.0))
    regions = {"u": ["africa"], "w": ["americas"], "v": ["africa"], "x": [], "y": []}
    nx.set_node_attributes(graph, regions, "regions")
    m = compute_metrics(graph)
    assert m["x"]["broker"] and "regions" in m["x"]["broker_via"]
    assert "regions" not in m["y"]["broker_via"]


@pytest.mark.parametrize(
    "graph",
    [nx.Graph(), nx.Graph([("a", "b")]), nx.empty_graph(["a", "b", "c"])],
    ids=["empty", "one-edge-no-weight", "no-edges"],
)
def test_small_and_edgeless_graphs(graph: nx.Graph) -> None:
    m = compute_metrics(graph)
    assert set(m) == set(graph)
    assert all(v["betweenness"] == 0 and not v["broker"] for v in m.values())
    assert (
        len({v["community"] for v in m.values()})
        == graph.number_of_nodes() - graph.number_of_edges()
    )


def test_exact_betweenness_matches_networkx_on_the_sample(sample_store: EvalStore) -> None:
    graph = project(sample_store, "actors")
    m = compute_metrics(graph)
    expected = nx.betweenness_centrality(graph, weight=lambda u, v, d: 1 / d["weight"])
    assert graph.graph["metrics"]["betweenness"] == "exact"
    assert {n: round(v["betweenness"], 9) for n, v in m.items()} == {
        n: round(v, 9) for n, v in expected.items()
    }
    degree = dict(graph.degree(weight="weight"))
    assert all(m[n]["weighted_degree"] == degree[n] for n in graph)
    ilo = "https://w3id.org/evalkg/id/org/ilo"
    assert max(m, key=lambda n: m[n]["betweenness"]) == ilo and m[ilo]["broker"]


def test_communities_are_louvain_partitions_and_repeat(sample_store: EvalStore) -> None:
    graph = project(sample_store, "actors")
    first = compute_metrics(graph)
    again = compute_metrics(project(sample_store, "actors"))
    assert first == again
    groups: dict[int, set[str]] = {}
    for node, values in first.items():
        groups.setdefault(values["community"], set()).add(node)
    modularity = nx.community.modularity(graph, groups.values(), weight="weight")
    assert graph.graph["metrics"]["modularity"] == pytest.approx(modularity)
    assert modularity > 0.3  # a real community structure, not one blob
    sizes = [len(groups[c]) for c in sorted(groups)]
    assert sizes == sorted(sizes, reverse=True)


def test_large_graphs_estimate_betweenness_from_a_seeded_sample() -> None:
    graph = nx.barabasi_albert_graph(600, 3, seed=7)
    nx.set_edge_attributes(graph, 1.0, "weight")
    exact = compute_metrics(graph.copy())
    small = graph.copy()
    estimate = compute_metrics(small, budget=100 * graph.number_of_edges())
    assert small.graph["metrics"]["betweenness"].startswith("estimated from 100 of 600")
    assert estimate == compute_metrics(graph.copy(), budget=100 * graph.number_of_edges())
    top = sorted(graph, key=lambda n: -exact[n]["betweenness"])[:10]
    guessed = sorted(graph, key=lambda n: -estimate[n]["betweenness"])[:10]
    assert len(set(top) & set(guessed)) >= 7
    hub = top[0]
    assert estimate[hub]["betweenness"] == pytest.approx(exact[hub]["betweenness"], rel=0.25)


def test_report_formats_and_hostile_labels() -> None:
    graph = barbell()
    nx.set_node_attributes(graph, {n: {"label": n, "type": "organization"} for n in graph})
    graph.nodes["c"]["label"] = "z\x1b[31mred\u202e<script>x</script>\nline"
    report = MetricsReport(graph, compute_metrics(graph))
    table = report.serialize("table")
    assert "\x1b" not in table and "\u202e" not in table
    assert "z\\x1b[31mred\\u202e<script>" in table  # shown as escapes, as query tables do
    assert "6 nodes, 7 edges" in table.splitlines()[0]
    rows = list(csv.DictReader(io.StringIO(report.serialize("csv"))))
    assert {r["id"] for r in rows[:2]} == {"c", "d"}
    assert {r["id"]: r["label"] for r in rows}["c"] == graph.nodes["c"]["label"]
    doc = json.loads(report.serialize("json", sort="label", limit=2))
    assert doc["nodes"] == 6 and [r["id"] for r in doc["rows"]] == ["a", "b"]


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_cli_table(sample_folder: Path) -> None:
    code, out = cli("metrics", "--store", str(sample_folder), "--limit", "3")
    lines = out.splitlines()
    assert code == 0, out
    assert lines[0].startswith("actors network: ") and "betweenness exact" in lines[0]
    assert lines[3].startswith("International Labour Organization")
    assert lines[-1].startswith("(3 of ")


@pytest.mark.parametrize("network", ["actors", "places", "evaluations", "themes", "full"])
def test_cli_json_has_a_row_per_node(sample_folder: Path, network: str) -> None:
    code, out = cli(
        "metrics", "--store", str(sample_folder), "--network", network, "--format", "json"
    )
    assert code == 0, out
    doc = json.loads(out)
    assert doc["network"] == network and len(doc["rows"]) == doc["nodes"] > 0
    assert all(set(METRIC_KEYS) <= set(row) for row in doc["rows"])


def test_cli_filters_and_focus(sample_folder: Path) -> None:
    code, out = cli(
        "metrics",
        "--store",
        str(sample_folder),
        "--country",
        "Chile",
        "--focus",
        "CUT",
        "--format",
        "csv",
    )
    assert code == 0, out
    labels = {row["label"] for row in csv.DictReader(io.StringIO(out))}
    assert "Unitary Workers' Central of Chile" in labels
    assert "Unitary Workers' Central of Colombia" not in labels


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "Atlantis"], "no country of that name"),
        (["--focus", "Chile"], "that names a country"),
        (["--kind", "weekly"], "unknown kind"),
    ],
)
def test_cli_errors(sample_folder: Path, args: list[str], message: str) -> None:
    code, out = cli("metrics", "--store", str(sample_folder), *args)
    assert code == EXIT_ERROR and out.startswith("Error: ") and message in out


def test_cli_missing_store(tmp_path: Path) -> None:
    code, out = cli("metrics", "--store", str(tmp_path / "none"))
    assert code == EXIT_ERROR and "Error:" in out


def test_ilo_units_are_in_the_ilos_community(sample_store: EvalStore) -> None:
    """Issue 18: the actors view shows the ILO's offices and departments inside the ILO's
    community, whoever else their findings name."""
    from kg.networks.projection import project

    graph = project(sample_store, "actors")
    compute_metrics(graph)
    ilo = graph.nodes["https://w3id.org/evalkg/id/org/ilo"]["community"]
    units = [n for n, kind in graph.nodes(data="kind") if kind == "IloUnit"]
    assert len(units) >= 3
    assert {graph.nodes[n]["community"] for n in units} == {ilo}
