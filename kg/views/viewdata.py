"""What an HTML network view shows, computed from a projection (a networkx graph).

Turns the graph of :func:`kg.network.projection.project` (node attributes ``label``, ``type``,
``kind``, ``aliases``, ``lessons``; edge attributes ``weight``, ``lessons``,
``evaluations``; the metrics of :func:`kg.network.metrics.compute_metrics`) into the JSON the
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

import heapq
import json
import math
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kg.errors import ConfigError
from kg.gcpause import paused
from kg.resources import data_dir

PHYSICS_MAX_NODES = 30  # physics on by default up to this many nodes
MAX_NODES = 5000  # more nodes than this: only the most central are drawn (browser speed)
SIZE_METRICS = ("weighted_degree", "degree", "betweenness")
RADIUS = (5.0, 30.0)  # drawn radius of the least and most central node (world units)
LABEL_PX = 15.0  # on-screen font of the labels shown at first sight
LABEL_THRESHOLD_PX = 9.0  # vis-network hides labels smaller than this on screen
CANVAS_PX = (1100.0, 700.0)  # canvas assumed when choosing the first labels
SHORT_LABEL = 42  # characters of a label drawn on the canvas (tooltips show it all)
SHORT_NAME = 24  # a longer name is drawn as its acronym when it has one
TITLE_CHARS = 220  # characters of a lesson title kept for the details panel


@dataclass(frozen=True)
class ViewSettings:
    """Options of a view; ``None`` means automatic."""

    physics: bool | None = None
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
    nodes_total: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def nodes_hidden(self) -> int:
        return max(self.nodes_total - self.nodes, 0)

    @property
    def edges_hidden(self) -> int:
        return self.edges_total - self.edges_shown


def load_palette() -> dict[str, Any]:
    """``visualizations/palette.json``: colour and legend label by type or kind."""
    path = data_dir("visualizations") / "palette.json"
    palette: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return palette


def view_data(graph: Any, settings: ViewSettings | None = None) -> ViewData:
    """Everything the page needs to draw ``graph``."""
    with paused():
        return _view_data(graph, settings)


def _view_data(graph: Any, settings: ViewSettings | None) -> ViewData:
    from kg.views.layout import positions

    settings = settings or ViewSettings()
    if settings.size_by not in SIZE_METRICS:
        raise ConfigError(
            f"size_by must be one of {', '.join(SIZE_METRICS)}", value=settings.size_by
        )
    metrics = node_metrics(graph)
    whole = graph
    graph = _most_central(graph, metrics, settings)
    nodes = list(graph)
    centrality = {n: metrics[n][settings.size_by] for n in nodes}
    radius = _radii(centrality)
    communities = {n: metrics[n]["community"] for n in nodes}
    pos = positions(graph, radius, communities=communities, seed=settings.seed)
    kept = prune_edges(graph, _edge_budget(graph, settings), centrality)
    shorts = {
        n: short_label(_label(graph, n), _strings(graph.nodes[n].get("aliases"))) for n in nodes
    }
    fonts, labelled = _label_fonts(
        pos, radius, centrality, shorts, communities, settings.max_labels
    )
    drawn = {
        n: {
            "x": round(pos[n][0], 1),
            "y": round(pos[n][1], 1),
            "size": round(radius[n], 1),
            "font": round(fonts[n], 1),
            "short": shorts[n],
        }
        for n in nodes
    }
    data = ViewData(
        payload={},
        title=str(graph.graph.get("title") or graph.graph.get("network") or "Network"),
        nodes=len(nodes),
        edges_total=graph.number_of_edges(),
        edges_shown=len(kept),
        labels_shown=labelled,
        nodes_total=whole.number_of_nodes(),
    )
    data.notes = _notes(data)
    data.payload = _payload(graph, data, metrics, drawn, kept, settings)
    return data


def _most_central(
    graph: Any, metrics: dict[Hashable, dict[str, Any]], settings: ViewSettings
) -> Any:
    """``graph``, or its ``max_nodes`` most central nodes (by ``size_by``) when larger (a
    copy, not a view: the layout and the page data walk it many times)."""
    limit = settings.max_nodes
    if limit is None or graph.number_of_nodes() <= limit:
        return graph
    ranked = sorted(graph, key=lambda n: (-metrics[n][settings.size_by], str(n)))
    keep = set(ranked[:limit])
    kept = graph.__class__()
    kept.graph.update(graph.graph)
    kept.add_nodes_from((n, attrs) for n, attrs in graph.nodes(data=True) if n in keep)
    kept.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return kept


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
    categories, category_of = _categories(graph)
    lessons = _LessonTable()
    rows = [
        _node_row(graph, n, index, metrics[n], lessons, settings)
        | drawn[n]
        | {"cat": category_of[n]}
        for n in nodes
    ]
    physics = settings.physics if settings.physics is not None else len(nodes) <= PHYSICS_MAX_NODES
    return {
        "title": data.title,
        "network": str(graph.graph.get("network", "")),
        "physics": physics,
        "labelThreshold": LABEL_THRESHOLD_PX,
        "labelMaxPx": LABEL_PX + 4,
        "categories": categories,
        "communityColors": load_palette()["communities"],
        "nodes": rows,
        "edges": [_edge_row(graph, u, v, index, lessons) for u, v in kept],
        "lessons": lessons.rows,
        "evaluations": lessons.evaluation_rows,
        "edgesTotal": data.edges_total,
        "notes": data.notes,
    }


def node_metrics(graph: Any) -> dict[Hashable, dict[str, Any]]:
    """Degree, weighted degree, betweenness, community and broker of every node.

    Read from the node attributes :func:`kg.network.metrics.compute_metrics` sets; when a graph
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


def prune_edges(
    graph: Any, budget: int, centrality: dict[Hashable, float]
) -> list[tuple[Hashable, Hashable]]:
    """The ties to draw: all of them within ``budget``; else every node's two strongest,
    then the strongest of the rest until ``budget``; strongest first."""

    Key = tuple[float, float, str, Hashable, Hashable]

    def strength(u: Hashable, v: Hashable, weight: object) -> Key:
        """Strongest first: weight, then the ends' centrality, then the names (each tie
        named in one direction, whatever the order the graph gives it in)."""
        if str(v) < str(u):
            u, v = v, u
        w = float(weight) if isinstance(weight, (int, float)) else 1.0
        return (-w, -(centrality[u] + centrality[v]), f"{u}\x00{v}", u, v)

    edges = [(u, v, w) for u, v, w in graph.edges(data="weight", default=1.0) if u != v]
    if len(edges) <= budget:
        return [(key[3], key[4]) for key in sorted(strength(u, v, w) for u, v, w in edges)]
    kept: dict[frozenset[Hashable], Key] = {}
    for node, neighbours in graph.adj.items():
        ties = heapq.nsmallest(
            2,
            (strength(node, o, d.get("weight", 1.0)) for o, d in neighbours.items() if o != node),
        )
        for key in ties:
            kept.setdefault(frozenset(key[3:]), key)
    for key in sorted(strength(u, v, w) for u, v, w in edges):
        if len(kept) >= budget:
            break
        kept.setdefault(frozenset(key[3:]), key)
    return [(key[3], key[4]) for key in sorted(kept.values())]


def _edge_budget(graph: Any, settings: ViewSettings) -> int:
    if settings.max_edges is not None:
        return max(settings.max_edges, 0)
    nodes: int = graph.number_of_nodes()
    return max(300, 2 * nodes)


def _radii(centrality: dict[Hashable, float]) -> dict[Hashable, float]:
    top = max(centrality.values(), default=0.0)
    low, high = RADIUS
    if top <= 0:
        return dict.fromkeys(centrality, low)
    return {n: low + (high - low) * math.sqrt(max(c, 0.0) / top) for n, c in centrality.items()}


def _label_fonts(
    pos: dict[Hashable, tuple[float, float]],
    radius: dict[Hashable, float],
    centrality: dict[Hashable, float],
    labels: dict[Hashable, str],
    communities: dict[Hashable, int],
    max_labels: int,
) -> tuple[dict[Hashable, float], int]:
    """World font size of each label: the labels shown at the first (fitted) zoom are
    the most central node of each community, then the most central others, as long as
    a label covers no other label or node; the others show as the user zooms in."""
    from scipy.spatial import cKDTree

    if not pos:
        return {}, 0
    nodes = list(pos)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = max(xs) - min(xs) + 2 * RADIUS[1]
    span_y = max(ys) - min(ys) + 2 * RADIUS[1]
    scale = min(CANVAS_PX[0] / span_x, CANVAS_PX[1] / span_y)
    shown_font = LABEL_PX / scale
    hidden_font = LABEL_THRESHOLD_PX / scale
    top = max(centrality.values()) or 1.0
    fonts = {
        n: hidden_font * (0.3 + 0.45 * math.sqrt(max(c, 0.0) / top)) for n, c in centrality.items()
    }
    tree = cKDTree([pos[n] for n in nodes])
    boxes: list[tuple[float, float, float, float]] = []
    for node in _label_order(centrality, communities)[: 8 * max_labels]:
        if len(boxes) >= max_labels:
            break
        x, y = pos[node]
        width = 0.58 * shown_font * len(labels[node])
        box = (x - width / 2, y + radius[node], x + width / 2, y + radius[node] + 1.3 * shown_font)
        clash = any(_overlap(box, other) for other in boxes)
        if not clash and centrality[node] < 0.25 * top:  # the hubs' labels may cover dots
            clash = _covers_a_node(box, node, nodes, tree, pos)
        if clash and boxes:
            continue
        boxes.append(box)
        fonts[node] = shown_font
    return fonts, len(boxes)


def _label_order(
    centrality: dict[Hashable, float], communities: dict[Hashable, int]
) -> list[Hashable]:
    """The most central node; the most central node of each community of three or more
    (largest first); then the rest by centrality."""
    ranked = sorted(centrality, key=lambda n: (-centrality[n], str(n)))
    sizes: dict[int, int] = {}
    for node in ranked:
        sizes[communities[node]] = sizes.get(communities[node], 0) + 1
    leaders: dict[int, Hashable] = {}
    for node in ranked:
        leaders.setdefault(communities[node], node)
    first = ranked[:1] + sorted(
        (n for n in leaders.values() if sizes[communities[n]] >= 3 and n not in ranked[:1]),
        key=lambda n: (-sizes[communities[n]], -centrality[n], str(n)),
    )
    chosen = set(first)
    return first + [n for n in ranked if n not in chosen]


def _covers_a_node(
    box: tuple[float, float, float, float],
    node: Hashable,
    nodes: list[Hashable],
    tree: Any,
    pos: dict[Hashable, tuple[float, float]],
) -> bool:
    """Whether the label box hides the centre of another node."""
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    reach = math.hypot(box[2] - box[0], box[3] - box[1]) / 2
    for i in tree.query_ball_point(centre, reach):
        x, y = pos[nodes[i]]
        if nodes[i] != node and box[0] < x < box[2] and box[1] < y < box[3]:
            return True
    return False


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&.\-]{1,9}")


def short_label(label: object, aliases: Iterable[object] = ()) -> str:
    """The label drawn on the canvas: a long name's acronym when it has one, else at
    most ``SHORT_LABEL`` characters (tooltips and the details panel show it all).

    >>> short_label("International Labour Organization", ["OIT", "ILO"])
    'ILO'
    >>> short_label("Ministry of Labour", ["MoL"])
    'Ministry of Labour'
    """
    text = " ".join(str(label).split())
    if len(text) > SHORT_NAME:
        acronyms = [str(a).strip() for a in aliases if _is_acronym(str(a).strip())]
        initials = "".join(word[0] for word in re.findall(r"\w+", text) if word[0].isupper())
        acronyms.sort(key=lambda a: (not _subsequence(a.upper(), initials.upper()), -len(a)))
        if acronyms:
            return acronyms[0]
    return text if len(text) <= SHORT_LABEL else text[: SHORT_LABEL - 1] + "…"


def _is_acronym(text: str) -> bool:
    capitals = sum(c.isupper() for c in text)
    return bool(ACRONYM.fullmatch(text)) and capitals >= 2 and capitals >= len(text) - 2


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short if c.isalpha())


def _categories(graph: Any) -> tuple[list[dict[str, Any]], dict[Hashable, int]]:
    """Legend entries (organizations by kind, other nodes by type) and each node's entry."""
    palette = load_palette()
    known: dict[str, dict[str, str]] = palette["categories"]
    keys: dict[str, int] = {}
    counts: list[int] = []
    category_of: dict[Hashable, int] = {}
    for node, attrs in graph.nodes(data=True):
        kind = attrs.get("kind")
        key = str(kind if attrs.get("type") == "organization" and kind else attrs.get("type"))
        if key not in keys:
            keys[key] = len(keys)
            counts.append(0)
        counts[keys[key]] += 1
        category_of[node] = keys[key]
    order = list(known)
    ranked = sorted(keys, key=lambda key: (order.index(key) if key in order else len(order), key))
    position = {keys[key]: i for i, key in enumerate(ranked)}
    entries = [
        {
            "key": key,
            "label": known.get(key, {}).get("label", key),
            "color": known.get(key, palette["other"])["color"],
            "shape": known.get(key, palette["other"])["shape"],
            "count": counts[keys[key]],
        }
        for key in ranked
    ]
    return entries, {n: position[i] for n, i in category_of.items()}


class _LessonTable:
    """Lessons and evaluations listed once in the page, referred to by index."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self.evaluation_rows: list[list[str]] = []
        self._lesson: dict[str, int] = {}
        self._evaluation: dict[str, int] = {}

    def add(self, lesson: dict[str, Any]) -> int:
        iri = str(lesson.get("iri", ""))
        if iri not in self._lesson:
            evaluation = self._add_evaluation(
                lesson.get("evaluation"), lesson.get("evaluation_title")
            )
            title = " ".join(str(lesson.get("title") or "").split())
            if len(title) > TITLE_CHARS:
                title = title[: TITLE_CHARS - 1] + "…"
            self._lesson[iri] = len(self.rows)
            self.rows.append([iri, title, evaluation, safe_url(lesson.get("url"))])
        return self._lesson[iri]

    def index_of(self, iri: str) -> int | None:
        return self._lesson.get(iri)

    def _add_evaluation(self, iri: object, title: object) -> int | None:
        if not iri:
            return None
        key = str(iri)
        if key not in self._evaluation:
            self._evaluation[key] = len(self.evaluation_rows)
            self.evaluation_rows.append([key, str(title or "")])
        return self._evaluation[key]


def safe_url(url: object) -> str | None:
    """``url`` when it is an http(s) URL, else ``None`` (never a ``javascript:`` link).

    >>> safe_url("https://webapps.ilo.org/ievaldiscovery/lessons/1")
    'https://webapps.ilo.org/ievaldiscovery/lessons/1'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    ok = parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)
    return text if ok and not any(c in text for c in "\"'<> \t\r\n") else None


def _node_row(
    graph: Any,
    node: Hashable,
    index: dict[Hashable, int],
    metrics: dict[str, Any],
    lessons: _LessonTable,
    settings: ViewSettings,
) -> dict[str, Any]:
    attrs = graph.nodes[node]
    own = list(attrs.get("lessons") or [])
    label = _label(graph, node)
    return {
        "id": str(node),
        "label": label,
        "type": str(attrs.get("type") or ""),
        "kind": str(attrs.get("kind") or ""),
        "aliases": [str(a) for a in _strings(attrs.get("aliases")) if str(a) != label],
        "lessons": [lessons.add(lesson) for lesson in own[: settings.max_lessons]],
        "nLessons": len(own),
        "ties": _ties(graph, node, index, settings.max_ties),
        "degree": metrics["degree"],
        "wdeg": round(metrics["weighted_degree"], 3),
        "betweenness": round(metrics["betweenness"], 5),
        "community": metrics["community"],
        "broker": metrics["broker"],
        "brokerVia": str(attrs.get("broker_via") or ""),
        "focus": bool(attrs.get("focus", False)),
    }


def _label(graph: Any, node: Hashable) -> str:
    return str(graph.nodes[node].get("label") or node)


def _strings(value: object) -> Iterable[object]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, Iterable) else [value]


def _ties(graph: Any, node: Hashable, index: dict[Hashable, int], limit: int) -> list[list[Any]]:
    """The node's strongest ties, [neighbour index, weight], strongest first."""
    ties = heapq.nsmallest(
        limit,
        (
            (-float(data.get("weight", 1.0)), str(other), other)
            for other, data in graph.adj[node].items()
            if other != node
        ),
    )
    return [[index[other], round(-weight, 3)] for weight, _, other in ties]


def _edge_row(
    graph: Any, u: Hashable, v: Hashable, index: dict[Hashable, int], lessons: _LessonTable
) -> list[Any]:
    """[from, to, weight, shared evaluations, lesson indexes (at most 10), lessons]."""
    data = graph.edges[u, v]
    iris = [str(i) for i in data.get("lessons") or []]
    known = [i for i in (lessons.index_of(iri) for iri in iris[:10]) if i is not None]
    return [
        index[u],
        index[v],
        round(float(data.get("weight", 1.0)), 3),
        int(data.get("evaluations", 0) or 0),
        known,
        len(iris),
    ]


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
