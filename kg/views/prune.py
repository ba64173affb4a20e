"""What a view draws of a large or dense graph: its most central nodes, its strongest ties.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b", {"weight": 3.0}), ("b", "c", {"weight": 1.0})])
>>> prune_edges(g, 1, {"a": 3.0, "b": 4.0, "c": 1.0})
[('a', 'b'), ('b', 'c')]
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable
from typing import Any


def most_central(
    graph: Any, metrics: dict[Hashable, dict[str, Any]], size_by: str, limit: int | None
) -> Any:
    """``graph``, or its ``limit`` most central nodes (by the metric ``size_by``) when
    larger (a copy, not a view: the layout and the page data walk it many times)."""
    if limit is None or graph.number_of_nodes() <= limit:
        return graph
    ranked = sorted(graph, key=lambda n: (-metrics[n][size_by], str(n)))
    keep = set(ranked[:limit])
    kept = graph.__class__()
    kept.graph.update(graph.graph)
    kept.add_nodes_from((n, attrs) for n, attrs in graph.nodes(data=True) if n in keep)
    kept.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return kept


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


def edge_budget(graph: Any, max_edges: int | None) -> int:
    """``max_edges``, or by default 2 ties a node (at least 300)."""
    if max_edges is not None:
        return max(max_edges, 0)
    nodes: int = graph.number_of_nodes()
    return max(300, 2 * nodes)
