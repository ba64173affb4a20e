"""Network metrics: degree, weighted degree, betweenness, communities and brokers.

The graph is a :mod:`networkx` graph (see :mod:`kg.networks.projection`); the heavy lifting runs in
python-igraph's C code (measured in ``benchmarks/bench_metrics.py``: on a 2,752-node
actors network, networkx's Louvain and sampled betweenness take seconds where igraph
takes milliseconds).

- ``degree``: how many nodes a node is tied to; ``weighted_degree``: the sum of its
  ties' weights (shared lessons).
- ``betweenness``: the share of shortest paths between other nodes that pass through
  the node (normalized to 0..1 as networkx does), with edge length ``1 / weight`` so
  that strong ties are short. Exact when the work (sources × edges) fits
  ``budget``; otherwise estimated from a seeded random sample of source nodes
  (Brandes-Pich), and :data:`graph.graph["metrics"]` says so.
- ``community``: Louvain communities maximizing weighted modularity (igraph's
  multilevel algorithm with a seeded random generator, so the result is the same every
  run), numbered 0, 1, … from the largest; the ILO's units (``IloUnit``) are then put
  in the ILO's community, when the ILO is in the network.
- ``broker``: a node that ties parts of the network together. It is a broker *between
  communities* when its ties reach at least two communities (at least one tie leaves
  its own) and its betweenness is among the top tenth of the graph (and above 0); it is
  a broker *between regions* when it has two neighbours whose lessons share no region
  (a node's regions are those of its lessons, the ``regions`` node attribute) and its
  betweenness is above 0. ``broker_via`` says which.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", weight=1.0); g.add_edge("b", "c", weight=1.0)
>>> m = compute_metrics(g)
>>> m["b"]["degree"], m["b"]["weighted_degree"], m["b"]["betweenness"], m["a"]["betweenness"]
(2, 2.0, 1.0, 0.0)
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.errors import ConfigError
from kg.progress import OnStep, step
from kg.terminal import terminal_text

if TYPE_CHECKING:
    import networkx as nx

    from kg.networks.filters import Filters
    from kg.store.evalstore import EvalStore

SEED = 42
#: Edge visits allowed for betweenness (sources × edges) before it is estimated.
BUDGET = 20_000_000
#: Fewest sampled sources when betweenness is estimated.
MIN_SOURCES = 32
#: Share of nodes whose betweenness counts as high for community brokers.
TOP_SHARE = 0.10
METRIC_KEYS = ("degree", "weighted_degree", "betweenness", "community", "broker", "broker_via")


def compute_metrics(
    graph: nx.Graph, *, seed: int = SEED, budget: int = BUDGET
) -> dict[str, dict[str, Any]]:
    """Node id → ``{degree, weighted_degree, betweenness, community, broker,
    broker_via}``; also set as node attributes, and a summary as
    ``graph.graph["metrics"]`` (how betweenness was computed, communities, modularity).
    """
    import igraph as ig

    # nodes and edges in a canonical order: the result depends on the graph, not on the
    # order its nodes and edges were added in
    nodes = sorted(graph.nodes, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    ties = sorted(
        (min(index[u], index[v]), max(index[u], index[v]), w)
        for u, v, w in graph.edges(data="weight", default=1.0)
    )
    ends = [(i, j) for i, j, _ in ties]
    weights = [float(w) for _, _, w in ties]
    if any(not math.isfinite(w) or w <= 0 for w in weights):
        weights = [w if math.isfinite(w) and w > 0 else 1.0 for w in weights]
    inner = ig.Graph(n=len(nodes), edges=ends)
    between, how = _betweenness(inner, weights, seed=seed, budget=budget)
    community, modularity = _communities(inner, weights, nodes, seed=seed)
    community, modularity = _units_with_the_ilo(graph, inner, weights, nodes, community, modularity)
    strength = inner.strength(weights=weights) if ends else [0.0] * len(nodes)
    result: dict[str, dict[str, Any]] = {}
    for i, node in enumerate(nodes):
        result[node] = {
            "degree": inner.degree(i),
            "weighted_degree": float(strength[i]),
            "betweenness": between[i],
            "community": community[i],
        }
    _brokers(graph, result)
    for node, values in result.items():
        graph.nodes[node].update(values)
    graph.graph["metrics"] = {
        "betweenness": how,
        "communities": len(set(community)),
        "modularity": modularity,
        "seed": seed,
    }
    return result


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """igraph's random generator seeded for the block, then given back."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def _betweenness(
    inner: Any, weights: list[float], *, seed: int, budget: int
) -> tuple[list[float], str]:
    n, m = inner.vcount(), inner.ecount()
    if n < 3 or m == 0:
        return [0.0] * n, "exact"
    lengths = [1.0 / w for w in weights]
    scale = 2.0 / ((n - 1) * (n - 2))
    sources = min(n, max(MIN_SOURCES, budget // m))
    if sources >= n:
        raw = inner.betweenness(directed=False, weights=lengths)
        return [b * scale for b in raw], "exact"
    chosen = sorted(random.Random(seed).sample(range(n), sources))
    raw = inner.betweenness(directed=False, weights=lengths, sources=chosen, targets=list(range(n)))
    estimate = [min(1.0, b * scale * n / sources) for b in raw]
    how = f"estimated from {sources:,} of {n:,} source nodes (seed {seed})"
    return estimate, how


def _communities(
    inner: Any, weights: list[float], nodes: list[str], *, seed: int
) -> tuple[list[int], float]:
    if inner.ecount() == 0:
        membership = list(range(inner.vcount()))
        return _renumber(membership, nodes), 0.0
    with _seeded(seed):
        clustering = inner.community_multilevel(weights=weights)
    membership = _renumber(list(clustering.membership), nodes)
    return membership, float(inner.modularity(membership, weights=weights))


def _units_with_the_ilo(
    graph: nx.Graph,
    inner: Any,
    weights: list[float],
    nodes: list[str],
    membership: list[int],
    modularity: float,
) -> tuple[list[int], float]:
    """The ILO's units (offices, departments: ``org:unitOf`` the ILO) put in the ILO's
    community, when the ILO is in the graph: a unit is part of the ILO, whoever else its
    findings name. The modularity is that of the communities returned."""
    ilo = next((i for i, node in enumerate(nodes) if str(node).endswith("/org/ilo")), None)
    units = [i for i, node in enumerate(nodes) if graph.nodes[node].get("kind") == "IloUnit"]
    if ilo is None or not units or all(membership[i] == membership[ilo] for i in units):
        return membership, modularity
    moved = list(membership)
    for i in units:
        moved[i] = membership[ilo]
    moved = _renumber(moved, nodes)
    return moved, float(inner.modularity(moved, weights=weights)) if inner.ecount() else 0.0


def _renumber(membership: list[int], nodes: list[str]) -> list[int]:
    """Communities numbered from the largest; ties by their first node id."""
    groups: dict[int, list[str]] = {}
    for label, node in zip(membership, nodes, strict=True):
        groups.setdefault(label, []).append(node)
    order = sorted(groups, key=lambda c: (-len(groups[c]), min(groups[c])))
    number = {old: new for new, old in enumerate(order)}
    return [number[label] for label in membership]


def _brokers(graph: nx.Graph, result: dict[str, dict[str, Any]]) -> None:
    """Mark brokers between communities and between regions (see the module doc)."""
    ranked = sorted((v["betweenness"] for v in result.values()), reverse=True)
    top = ranked[max(0, math.ceil(len(ranked) * TOP_SHARE) - 1)] if ranked else 0.0
    for node, values in result.items():
        via = []
        high = values["betweenness"] > 0 and values["betweenness"] >= top
        reached = {result[other]["community"] for other in graph.adj[node]}
        if high and len(reached | {values["community"]}) >= 2:
            via.append("communities")
        if values["betweenness"] > 0 and _bridges_regions(graph, node):
            via.append("regions")
        values["broker"] = bool(via)
        values["broker_via"] = ", ".join(via)


def _bridges_regions(graph: nx.Graph, node: str) -> bool:
    """Whether two neighbours of ``node`` have lessons in no common region."""
    seen: set[frozenset[str]] = set()
    for other in graph.adj[node]:
        regions = frozenset(graph.nodes[other].get("regions") or ())
        if not regions or regions in seen:
            continue
        if any(not (regions & earlier) for earlier in seen):
            return True
        seen.add(regions)
    return False


SORT_KEYS = ("betweenness", "weighted_degree", "degree", "community", "label")


@dataclass
class MetricsReport:
    """A network and the metrics of its nodes, printable as a table, CSV or JSON."""

    graph: nx.Graph
    values: dict[str, dict[str, Any]]

    def rows(self, *, sort: str = "betweenness", limit: int | None = None) -> list[dict[str, Any]]:
        """One dict per node, highest ``sort`` first (``label``: alphabetical)."""
        if sort not in SORT_KEYS:
            raise ConfigError(f"unknown sort key (use {', '.join(SORT_KEYS)})", value=sort)
        out = [
            {
                "id": node,
                "label": attrs.get("label", node),
                "type": attrs.get("type"),
                "kind": attrs.get("kind"),
                "lessons": len(attrs.get("lessons") or ()),
                **{key: self.values[node][key] for key in METRIC_KEYS},
            }
            for node, attrs in self.graph.nodes(data=True)
        ]
        if sort == "label":
            out.sort(key=lambda r: (r["label"], r["id"]))
        elif sort == "community":
            out.sort(key=lambda r: (r["community"], -r["betweenness"], r["label"], r["id"]))
        else:
            out.sort(key=lambda r: (-r[sort], r["label"], r["id"]))
        return out[:limit] if limit is not None else out

    def summary(self) -> str:
        """One line: the network, its size, communities and how betweenness was had."""
        g, info = self.graph, self.graph.graph.get("metrics", {})
        filters = ", ".join(f"{k}={v}" for k, v in (g.graph.get("filters") or {}).items())
        focus = g.graph.get("focus")
        brokers = sum(v["broker"] for v in self.values.values())
        return (
            f"{g.graph.get('network', 'network')} network"
            + (f" ({filters})" if filters else "")
            + (f" around {focus!r} (depth {g.graph.get('depth')})" if focus else "")
            + f": {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges, "
            f"{g.graph.get('lessons', 0):,} lessons; {info.get('communities', 0)} communities "
            f"(modularity {info.get('modularity', 0.0):.3f}); betweenness "
            f"{info.get('betweenness', 'exact')}; {_count(brokers, 'broker')}"
        )

    def serialize(
        self, fmt: str = "table", *, sort: str = "betweenness", limit: int | None = None
    ) -> str:
        """The report in ``fmt``: ``table``, ``csv`` or ``json``."""
        writer = REPORT_FORMATS.get(fmt)
        if writer is None:
            raise ConfigError(f"unknown format (use {', '.join(REPORT_FORMATS)})", value=fmt)
        return writer(self, self.rows(sort=sort, limit=limit))


def network_metrics(
    store: EvalStore,
    network: str,
    *,
    filters: Filters | None = None,
    focus: str | None = None,
    depth: int = 1,
    seed: int = SEED,
    on_step: OnStep | None = None,
) -> MetricsReport:
    """Project ``network`` (see :func:`kg.networks.projection.project`) and compute its
    metrics (``on_step``: told each step, see :mod:`kg.progress`)."""
    from kg.networks.projection import project

    step(on_step, f"projecting the {network} network")
    graph = project(store, network, filters=filters, focus=focus, depth=depth)
    step(on_step, f"metrics of {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} ties")
    return MetricsReport(graph, compute_metrics(graph, seed=seed))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _table(report: MetricsReport, rows: list[dict[str, Any]]) -> str:
    head = ("label", "type", "degree", "weighted", "betweenness", "community", "broker")
    cells = [
        (
            terminal_text(r["label"], 48),
            terminal_text(r["kind"] or r["type"]),
            str(r["degree"]),
            f"{r['weighted_degree']:g}",
            f"{r['betweenness']:.4f}",
            str(r["community"]),
            r["broker_via"] or "",
        )
        for r in rows
    ]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(head)]
    numeric = {2, 3, 4, 5}

    def line(values: tuple[str, ...]) -> str:
        parts = [
            v.rjust(w) if i in numeric else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return " | ".join(parts).rstrip()

    lines = [report.summary(), line(head), "-+-".join("-" * w for w in widths)]
    lines += [line(c) for c in cells]
    shown = f"({len(rows)} of {report.graph.number_of_nodes():,} nodes)"
    return "\n".join([*lines, shown]) + "\n"


def _csv(report: MetricsReport, rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    columns = ["id", "label", "type", "kind", "lessons", *METRIC_KEYS]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _json(report: MetricsReport, rows: list[dict[str, Any]]) -> str:
    g = report.graph
    doc = {
        "network": g.graph.get("network"),
        "title": g.graph.get("title"),
        "filters": g.graph.get("filters") or {},
        "focus": g.graph.get("focus"),
        "depth": g.graph.get("depth"),
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "lessons": g.graph.get("lessons"),
        "metrics": g.graph.get("metrics") or {},
        "rows": rows,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


#: Report format name → writer.
REPORT_FORMATS: dict[str, Callable[[MetricsReport, list[dict[str, Any]]], str]] = {
    "table": _table,
    "csv": _csv,
    "json": _json,
}
