"""A view as a pyvis Network (kg.views.topyvis): the same nodes, positions, colours,
sizes and tooltips as the HTML view, physics off, and record text that stays text."""

from __future__ import annotations

from html.parser import HTMLParser

import networkx as nx
import pytest
from pyvis.network import Network

from kg.networks.metrics import compute_metrics
from kg.networks.projection import project
from kg.store.evalstore import EvalStore
from kg.views.topyvis import to_pyvis, tooltip
from kg.views.view import View, render

IMG = '<img src=x onerror="window.pwned=1">'
SCRIPT = "<script>window.pwned=1</script>"


@pytest.fixture(scope="module")
def actors_view(sample_store: EvalStore) -> View:
    graph = project(sample_store, "actors")
    compute_metrics(graph)
    return render(graph)


def test_same_nodes_positions_colours_sizes_and_ties(actors_view: View) -> None:
    net = actors_view.to_pyvis()
    assert isinstance(net, Network)
    payload = actors_view.data.payload
    categories = payload["categories"]
    assert [n["id"] for n in net.nodes] == [row["id"] for row in payload["nodes"]]
    for node, row in zip(net.nodes, payload["nodes"], strict=True):
        category = categories[row["cat"]]
        assert (node["x"], node["y"], node["size"]) == (row["x"], row["y"], row["size"])
        assert node["label"] == row["short"] and node["shape"] == category["shape"]
        assert node["color"]["background"] == category["color"]
        assert node["title"] == tooltip(row, category["label"])
        assert node["font"] == {"size": row["font"]}
    drawn = {frozenset((payload["nodes"][e[0]]["id"], payload["nodes"][e[1]]["id"]))
             for e in payload["edges"]}  # fmt: skip
    assert {frozenset((e["from"], e["to"])) for e in net.edges} == drawn
    assert net.options.physics.enabled is False
    assert net.heading == actors_view.data.title


def test_a_graph_converts_too() -> None:
    graph = nx.path_graph(["a", "b", "c"])
    for node in graph:
        graph.nodes[node].update(label=node.upper(), type="organization", kind="Donor")
    net = to_pyvis(graph)
    assert [n["label"] for n in net.nodes] == ["A", "B", "C"] and len(net.edges) == 2


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_record_text_stays_text_in_pyvis_pages() -> None:
    """Markup in labels, aliases and the title: pyvis's page holds it escaped (its JSON
    and the heading), and a title with ``href`` does not switch pyvis's tooltips to HTML
    (``popup.innerHTML``)."""
    graph = nx.Graph(network="actors", title=f"Actors {SCRIPT}")
    graph.add_node("urn:a", label=f"Org {IMG} href", type="organization", kind="Donor",
                   aliases=[f"<a href='javascript:x'>{SCRIPT}</a>"])  # fmt: skip
    graph.add_node("urn:b", label="B", type="organization", kind="Donor")
    graph.add_edge("urn:a", "urn:b", weight=1.0, lessons=[], evaluations=1)
    net = to_pyvis(graph)
    assert all("href" not in n["title"] for n in net.nodes)
    assert "hre\u200bf" in net.nodes[0]["title"]  # shown as "href"
    page = net.generate_html()
    assert "popup.innerHTML" not in page
    assert IMG not in page and SCRIPT not in page
    tags, plain = Tags(), Tags()
    tags.feed(page)
    plain.feed(to_pyvis(nx.Graph(nx.path_graph(2))).generate_html())
    assert "img" not in tags.tags and "a" not in tags.tags
    assert tags.tags.count("script") == plain.tags.count("script")  # pyvis's own only


def test_notebook_network(actors_view: View) -> None:
    net = actors_view.to_pyvis(notebook=True, height="400px")
    assert net.height == "400px" and net.template is not None
    assert "vis.Network" in net.generate_html(notebook=True)
