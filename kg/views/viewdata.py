"""What an HTML network view shows, computed from a projection (a networkx graph).

Turns the graph of :func:`kg.networks.projection.project` (node attributes ``label``, ``type``,
``kind``, ``aliases``, ``lessons``; edge attributes ``weight``, ``lessons``,
``evaluations``; the metrics of :func:`kg.networks.metrics.compute_metrics`) into the JSON the
page draws: colour by type (organizations by kind), size by weighted degree, positions
from :mod:`kg.views.layout`, labels for the most central nodes that do not overlap at first
sight, the strongest ties only when the graph is too dense to read, and for every node
its lessons and strongest ties. Every string stays plain text here; the page shows it
with ``textContent``.

>>> import networkx as nx
>>> g = nx.Graph(network="actors", title="Actors")
>>> g.add_node("urn:a", label="A", type="organization", kind="UNAgency")
>>> g.add_node("urn:b", label="B", type="organization", kind="Donor")
>>> g.add_edge("urn:a", "urn:b", weight=2.0, lessons=[], evaluations=1)
>>> data = view_data(g)
>>> [n["label"] for n in data.payload["nodes"]], data.edges_shown
(['A', 'B'], 1)
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from kg.errors import ConfigError
from kg.gcpause import paused
from kg.views.labels import (
    FINDINGS,
    LABEL_PX,
    LABEL_THRESHOLD_PX,
    Placed,
    canvas_labels,
    place_labels,
)
from kg.views.layout import positions, radii
from kg.views.legend import categories, load_palette
from kg.views.prune import edge_budget, most_central, prune_edges
from kg.views.rows import LessonTable, edge_row, node_row

MAX_NODES = 5000  # more nodes than this: only the most central are drawn (browser speed)
SIZE_METRICS = ("weighted_degree", "degree", "betweenness")


@dataclass(frozen=True)
class ViewSettings:
    """Options of a view; ``None`` means automatic."""

    physics: bool = False
    max_edges: int | None = None
    max_nodes: int | None = MAX_NODES
    size_by: str = "weighted_degree"
    max_labels: int = 25
    max_lessons: int = 20
    max_ties: int = 8
    seed: int = 1


@dataclass
class ViewData:
    """The page's data (``payload``, JSON-ready) and what was drawn or left out."""

    payload: dict[str, Any]
    title: str
    nodes: int
    edges_total: int
    edges_shown: int
    labels_shown: int = 0
    label_font: float = 0.0  # world font of the labels shown at first sight
    nodes_total: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def nodes_hidden(self) -> int:
        return max(self.nodes_total - self.nodes, 0)

    @property
    def edges_hidden(self) -> int:
        return self.edges_total - self.edges_shown


def view_data(graph: Any, settings: ViewSettings | None = None) -> ViewData:
    """Everything the page needs to draw ``graph``."""
    with paused():
        return _view_data(graph, settings)


def _view_data(graph: Any, settings: ViewSettings | None) -> ViewData:
    settings = settings or ViewSettings()
    if settings.size_by not in SIZE_METRICS:
        raise ConfigError(
            f"size_by must be one of {', '.join(SIZE_METRICS)}", value=settings.size_by
        )
    metrics = node_metrics(graph)
    whole = graph
    graph = most_central(graph, metrics, settings.size_by, settings.max_nodes)
    centrality = _centrality(graph, metrics, settings.size_by)
    drawn, placed = _drawn(graph, centrality, metrics, settings)
    kept = prune_edges(graph, edge_budget(graph, settings.max_edges), centrality)
    data = ViewData(
        payload={},
        title=view_title(graph),
        nodes=graph.number_of_nodes(),
        edges_total=graph.number_of_edges(),
        edges_shown=len(kept),
        labels_shown=len(placed.shown),
        label_font=round(placed.font, 1),
        nodes_total=whole.number_of_nodes(),
    )
    data.notes = _notes(data)
    data.payload = _payload(graph, data, metrics, drawn, kept, settings)
    return data


def view_title(graph: Any) -> str:
    """The graph's title, and the filters it was drawn with.

    >>> import networkx as nx
    >>> view_title(nx.Graph(title="Actors", filters={"country": "Chile", "year": "2022"}))
    'Actors — country: Chile, year: 2022'
    """
    title = str(graph.graph.get("title") or graph.graph.get("network") or "Network")
    filters = graph.graph.get("filters") or {}
    shown = ", ".join(f"{name}: {value}" for name, value in filters.items())
    return f"{title} — {shown}" if shown else title


def _centrality(graph: Any, metrics: dict[Hashable, dict[str, Any]], size_by: str) -> Any:
    """Each node's ``size_by`` metric; an evaluation's is at least its findings'
    (it is drawn as large as the largest, and labelled before them)."""
    centrality = {n: float(metrics[n][size_by]) for n in graph}
    for node, attrs in graph.nodes(data=True):
        if attrs.get("type") == "evaluation":
            findings = [
                centrality[o] for o in graph.adj[node] if o != node and _is_finding(graph, o)
            ]
            centrality[node] = max([centrality[node], *findings])
    return centrality


def _is_finding(graph: Any, node: Hashable) -> bool:
    return graph.nodes[node].get("type") in FINDINGS


def _drawn(
    graph: Any,
    centrality: dict[Hashable, float],
    metrics: dict[Hashable, dict[str, Any]],
    settings: ViewSettings,
) -> tuple[dict[Hashable, dict[str, Any]], Placed]:
    """Where each node is drawn, how large, and its label on the canvas and font."""
    radius = radii(centrality)
    communities = {n: metrics[n]["community"] for n in graph}
    pos = positions(graph, radius, communities=communities, seed=settings.seed)
    shorts = canvas_labels(graph)
    focus = [n for n, attrs in graph.nodes(data=True) if attrs.get("focus")]
    placed = place_labels(
        pos,
        radius,
        centrality,
        shorts,
        communities,
        settings.max_labels,
        first=focus,
        seed=settings.seed,
    )
    drawn = {
        n: {
            "x": round(placed.pos[n][0]),
            "y": round(placed.pos[n][1]),
            "size": round(radius[n], 1),
            "font": round(placed.fonts[n], 1),
            "short": shorts[n],
        }
        for n in graph
    }
    return drawn, placed


def _payload(
    graph: Any,
    data: ViewData,
    metrics: dict[Hashable, dict[str, Any]],
    drawn: dict[Hashable, dict[str, Any]],
    kept: list[tuple[Hashable, Hashable]],
    settings: ViewSettings,
) -> dict[str, Any]:
    """The JSON the page reads: nodes, drawn ties, the lessons they cite, the legend."""
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    legend, category_of = categories(graph)
    lessons = LessonTable()
    rows = [
        node_row(graph, n, index, metrics[n], lessons, settings.max_lessons, settings.max_ties)
        | drawn[n]
        | {"cat": category_of[n]}
        for n in nodes
    ]
    return {
        "title": data.title,
        "network": str(graph.graph.get("network", "")),
        "physics": settings.physics,
        "labelThreshold": LABEL_THRESHOLD_PX,
        "labelFont": data.label_font,
        "labelMaxPx": LABEL_PX + 4,
        "categories": legend,
        "communityColors": load_palette()["communities"],
        "nodes": rows,
        "edges": [edge_row(graph, u, v, index, lessons) for u, v in kept],
        "lessons": lessons.rows,
        "evaluations": lessons.evaluation_rows,
        "edgesTotal": data.edges_total,
        "notes": data.notes,
    }


def node_metrics(graph: Any) -> dict[Hashable, dict[str, Any]]:
    """Degree, weighted degree, betweenness, community and broker of every node.

    Read from the node attributes :func:`kg.networks.metrics.compute_metrics` sets; when a graph
    does not carry them, computed here (betweenness then reads 0).
    """
    nodes = list(graph)
    if nodes and all("community" in graph.nodes[n] for n in nodes):
        return {n: _read_metrics(graph, n) for n in nodes}
    from networkx.algorithms.community import louvain_communities

    found = louvain_communities(graph, weight="weight", seed=1) if nodes else []
    community = {n: i for i, members in enumerate(found) for n in members}
    return {
        n: {
            "degree": graph.degree(n),
            "weighted_degree": float(graph.degree(n, weight="weight")),
            "betweenness": float(graph.nodes[n].get("betweenness", 0.0)),
            "community": community[n],
            "broker": bool(graph.nodes[n].get("broker", False)),
        }
        for n in nodes
    }


def _read_metrics(graph: Any, node: Hashable) -> dict[str, Any]:
    attrs = graph.nodes[node]
    return {
        "degree": int(attrs.get("degree", graph.degree(node))),
        "weighted_degree": float(attrs.get("weighted_degree", graph.degree(node, weight="weight"))),
        "betweenness": float(attrs.get("betweenness", 0.0)),
        "community": int(attrs["community"]),
        "broker": bool(attrs.get("broker", False)),
    }


def _notes(data: ViewData) -> list[str]:
    """Plain-text notes shown above the network (what was left out, and why)."""
    notes = []
    if data.nodes_hidden > 0:
        notes.append(
            f"Showing the {data.nodes:,} most connected of {data.nodes_total:,} nodes: "
            f"{data.nodes_hidden:,} with fewer ties are not drawn (filters, --focus or "
            "--max-nodes show them)."
        )
    if data.edges_hidden > 0:
        notes.append(
            f"Showing the {data.edges_shown:,} strongest of {data.edges_total:,} ties: "
            f"{data.edges_hidden:,} weaker ties are hidden to keep the drawing readable "
            "(every node keeps its two strongest; the details panel lists each node's "
            "strongest ties)."
        )
    return notes
