"""Network exports (kg.publish.netexport): GraphML, GEXF, CSV and node-link JSON read back
with networkx (and a strict XML parser) to the same nodes, edges and attributes; hostile
record text survives every format."""

from __future__ import annotations

import csv
import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import ConfigError
from kg.networks.projection import Filters, project
from kg.publish.export import xml_text
from kg.publish.netexport import (
    WRITERS,
    export_network,
    flat_graph,
    network_format,
    network_graph,
    write_network,
)
from kg.store.evalstore import EvalStore

ILO = "https://w3id.org/evalkg/id/org/ilo"
#: Node attributes the views use, which every format must keep.
VIEW_ATTRIBUTES = (
    "label",
    "type",
    "kind",
    "country",
    "community",
    "degree",
    "weighted_degree",
    "betweenness",
    "broker",
    "lessons",
)
HOSTILE = "Org <script>alert(\"x\")</script> & 'q' \x01\x08\x0b\x1f\uffff\ttab\nline 😀 ]]>"


@pytest.fixture(scope="module")
def actors(sample_store: EvalStore) -> nx.Graph:
    return network_graph(sample_store, "actors")


def read_back(path: Path, fmt: str) -> nx.Graph:
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")


def test_network_graph_has_the_view_attributes(actors: nx.Graph) -> None:
    ilo = actors.nodes[ILO]
    assert {*VIEW_ATTRIBUTES, "aliases", "regions", "broker_via"} <= set(ilo)
    assert ilo["country"] == "CHE" and ilo["kind"] == "UNAgency"
    # every country of a node is its ISO code; every organization with a country has one
    santiago = actors.nodes["https://w3id.org/evalkg/id/unit/dwt-co-santiago"]
    assert santiago["country"] == "CHL"
    assert actors.graph["metrics"]["communities"] >= 2


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_formats_keep_nodes_edges_and_attributes(
    actors: nx.Graph, tmp_path: Path, fmt: str
) -> None:
    """The acceptance of issue 22: the actors network opens with networkx and keeps its
    node and edge counts and attributes."""
    path = tmp_path / f"actors.{fmt}"
    report = write_network(actors, path)
    assert report.paths == [path] and report.format == fmt and report.changed == 0
    back = read_back(path, fmt)
    assert set(back) == set(actors)
    assert back.number_of_edges() == actors.number_of_edges() == report.edges
    flat, _ = flat_graph(actors, lists=fmt != "json")
    for node, attrs in flat.nodes(data=True):
        got = back.nodes[node]
        for key in VIEW_ATTRIBUTES:
            assert got.get(key) == attrs.get(key), (node, key)
        assert got["lessons"] == len(actors.nodes[node]["lessons"])
    for u, v, attrs in actors.edges(data=True):
        got = back.edges[u, v]
        assert got["weight"] == attrs["weight"]
        assert got["lessons"] == len(attrs["lessons"])
        assert got["evaluations"] == attrs["evaluations"]
    aliases = back.nodes[ILO]["aliases"]
    assert (json.loads(aliases) if fmt != "json" else aliases) == actors.nodes[ILO]["aliases"]


def test_graphml_keeps_the_graph_attributes(actors: nx.Graph, tmp_path: Path) -> None:
    path = tmp_path / "actors.graphml"
    write_network(actors, path)
    back = nx.read_graphml(path)
    assert back.graph["network"] == "actors"
    assert json.loads(back.graph["metrics"]) == actors.graph["metrics"]
    assert "focus" not in back.graph  # None is left out


def test_csv_writes_a_nodes_and_an_edges_file(actors: nx.Graph, tmp_path: Path) -> None:
    report = write_network(actors, tmp_path / "actors.csv")
    nodes, edges = report.paths
    assert (nodes.name, edges.name) == ("actors.nodes.csv", "actors.edges.csv")
    with nodes.open(encoding="utf-8", newline="") as f:
        node_rows = list(csv.DictReader(f))
    with edges.open(encoding="utf-8", newline="") as f:
        edge_rows = list(csv.DictReader(f))
    assert list(node_rows[0])[:5] == ["id", "label", "type", "kind", "country"]
    assert {r["id"] for r in node_rows} == set(actors)
    assert len(edge_rows) == actors.number_of_edges()
    ilo = next(r for r in node_rows if r["id"] == ILO)
    assert ilo["label"] == "International Labour Organization"
    assert int(ilo["lessons"]) == len(actors.nodes[ILO]["lessons"])
    assert float(ilo["betweenness"]) == actors.nodes[ILO]["betweenness"]
    assert json.loads(ilo["aliases"]) == actors.nodes[ILO]["aliases"]
    weights = {frozenset((r["source"], r["target"])): float(r["weight"]) for r in edge_rows}
    assert weights == {frozenset((u, v)): w for u, v, w in actors.edges(data="weight")}


def test_export_network_projects_with_filters_and_focus(
    sample_store: EvalStore, tmp_path: Path
) -> None:
    report = export_network(
        sample_store,
        network="places",
        path=tmp_path / "chile.gexf",
        filters={"country": "Chile"},
    )
    chile = project(sample_store, "places", filters=Filters(country="Chile"))
    back = nx.read_gexf(tmp_path / "chile.gexf")
    assert set(back) == set(chile) and report.nodes == chile.number_of_nodes()
    focused = export_network(
        sample_store, path=tmp_path / "ilo.graphml", focus="ILO", depth=1, format="graphml"
    )
    back = nx.read_graphml(tmp_path / "ilo.graphml")
    assert back.nodes[ILO]["focus"] is True and focused.nodes == back.number_of_nodes()


def test_bad_names_are_refused(sample_store: EvalStore, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        export_network(sample_store, path=tmp_path / "actors.xml")
    assert info.value.value == ".xml" and info.value.path == str(tmp_path / "actors.xml")
    with pytest.raises(ConfigError) as info:
        network_format(tmp_path / "a.graphml", "dot")
    assert info.value.value == "dot"
    with pytest.raises(ConfigError) as info:
        export_network(sample_store, path=tmp_path / "a.gexf", filters={"town": "Lima"})
    assert info.value.value == "town"
    with pytest.raises(ConfigError, match="unknown network"):
        export_network(sample_store, network="people", path=tmp_path / "a.gexf")
    assert not list(tmp_path.iterdir())
    assert set(WRITERS) == {"graphml", "gexf", "csv", "json"}


def hostile_graph(text: str) -> nx.Graph:
    graph = nx.Graph(network="actors", title=f"Actors {text}", focus=None)
    graph.add_node("urn:a", label=text, type="organization", kind=None, aliases=[text])
    graph.add_node("urn:b", label="B", type="organization", kind="Donor", aliases=[])
    graph.add_edge("urn:a", "urn:b", weight=2.0, lessons=["urn:l1", "urn:l2"], evaluations=1)
    return graph


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_hostile_text_parses_back_from_xml(tmp_path: Path, fmt: str) -> None:
    """Markup and quotes are escaped by networkx's writers; the C0 controls and U+FFFF
    that XML 1.0 cannot hold at all become U+FFFD (counted: the label, the aliases' JSON
    text, the graph's title); the files parse with a strict XML parser and nothing else
    changes."""
    path = tmp_path / f"hostile.{fmt}"
    report = write_network(hostile_graph(HOSTILE), path)
    assert report.changed == 3  # the label, the aliases, the title
    assert "U+FFFD" in report.notes[0]
    ET.parse(path)  # well-formed XML
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw and "\x01" not in raw
    back = read_back(path, fmt)
    assert back.nodes["urn:a"]["label"] == xml_text(HOSTILE)
    # a list is JSON text, whose escapes (\u0001) keep the controls; U+FFFF has none
    assert json.loads(back.nodes["urn:a"]["aliases"]) == [HOSTILE.replace("\uffff", "\ufffd")]
    assert "kind" not in back.nodes["urn:a"] and back.nodes["urn:b"]["kind"] == "Donor"
    assert back.edges["urn:a", "urn:b"]["lessons"] == 2


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_hostile_text_is_kept_verbatim_in_csv_and_json(tmp_path: Path, fmt: str) -> None:
    report = write_network(hostile_graph(HOSTILE), tmp_path / f"hostile.{fmt}")
    assert report.changed == 0
    if fmt == "json":
        back = read_back(report.paths[0], fmt)
        assert back.nodes["urn:a"]["label"] == HOSTILE
        assert back.nodes["urn:a"]["aliases"] == [HOSTILE]
        return
    with report.paths[0].open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert rows["urn:a"]["label"] == HOSTILE and rows["urn:a"]["kind"] == ""


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_any_text_round_trips_through_graphml_and_gexf(text: str) -> None:
    """Whatever the text, both files parse back; the value read is the text with what XML
    cannot hold replaced (and, in GraphML's element text, XML's line ends: CR → LF)."""
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("graphml", "gexf"):
            path = Path(folder) / f"g.{fmt}"
            write_network(hostile_graph(text), path)
            label = read_back(path, fmt).nodes["urn:a"].get("label", "")
            expected = xml_text(text)
            if fmt == "graphml":
                expected = expected.replace("\r\n", "\n").replace("\r", "\n")
            assert label == expected, fmt


def test_kg_network_is_the_projection_with_metrics(sample_store: EvalStore) -> None:
    """``kg.network`` is the API function, also once the kg.networks package is imported."""
    import kg.networks.projection

    assert callable(kg.network) and kg.network.__module__ == "kg"
    graph = kg.network(sample_store, "actors", filters={"country": "Chile"})
    assert graph.graph["network"] == "actors" and graph.graph["filters"] == {"country": "Chile"}
    assert all("community" in attrs for _, attrs in graph.nodes(data=True))
    assert set(graph) == set(project(sample_store, "actors", filters=Filters(country="Chile")))
