"""Node positions for the HTML views, computed in Python before the page is drawn.

A weighted force-directed layout (python-igraph's Fruchterman–Reingold: on a
5,000-node, 30,000-edge graph it takes about 1 s where networkx's ``spring_layout``
takes about 90 s; ``benchmarks/bench_view.py --compare-layouts`` measures both), run
per community and then on the graph of communities, so communities sit apart; the
positions are scaled to the node sizes and nudged until no two nodes' squares overlap.

>>> import networkx as nx
>>> graph = nx.path_graph(["a", "b", "c"])
>>> pos = positions(graph, {"a": 5.0, "b": 5.0, "c": 5.0})
>>> sorted(pos) == ["a", "b", "c"]
True
>>> import math
>>> math.dist(pos["a"], pos["b"]) >= 10.0
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping
from typing import Any

from kg.views.boxes import GAP, separate

RADIUS = (5.0, 30.0)  # drawn radius of the least and most central node (world units)
SPACING = 4.0  # median distance to the nearest neighbour, in smallest-node radii
OVERLAP_ROUNDS = 60
COMPACT_ROUNDS = 12


def positions(
    graph: Any,
    radii: Mapping[Hashable, float],
    *,
    communities: Mapping[Hashable, object] | None = None,
    seed: int = 1,
    iterations: int = 500,
) -> dict[Hashable, tuple[float, float]]:
    """Positions (x, y) of every node of ``graph``, in the units of ``radii``.

    ``radii`` gives each node's drawn radius. Edge attribute ``weight`` (default 1) and
    ``communities`` (node -> community; default: node attribute ``community``, else one
    community) shape the layout; the result is the same for
    the same graph and ``seed``.

    Two levels: each community is laid out on its own and scaled to its nodes' sizes;
    the communities are then laid out as one weighted graph of discs (a disc per
    community, ties between communities as its edges) and pushed apart until no two
    discs overlap, so communities sit apart; last, no two nodes' squares overlap
    (:func:`kg.views.boxes.separate`).
    """
    import numpy as np

    nodes = list(graph)
    if not nodes:
        return {}
    radius = np.array([float(radii[n]) for n in nodes])
    if communities is None:
        communities = {n: graph.nodes[n].get("community") for n in nodes}
    groups = _communities(nodes, communities)
    xy = np.zeros((len(nodes), 2))
    discs = np.zeros(len(groups))
    for k, members in enumerate(groups):
        local = _force_layout(graph, [nodes[i] for i in members], seed=seed, iterations=iterations)
        local = _scale_to_sizes(local, SPACING * float(radius[members].min()))
        local = _remove_overlaps(local, radius[members], seed=seed)
        local -= local.mean(axis=0)
        xy[members] = local
        reach = np.hypot(local[:, 0], local[:, 1]) + radius[members]
        discs[k] = float(reach.max()) + GAP
    centres = _place_communities(graph, nodes, groups, discs, seed=seed, iterations=iterations)
    for k, members in enumerate(groups):
        xy[members] += centres[k]
    xy = separate(xy, np.repeat(radius[:, None], 4, axis=1), gap=GAP, seed=seed)
    xy -= xy.mean(axis=0)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


def _communities(nodes: list[Hashable], communities: Mapping[Hashable, object]) -> list[Any]:
    """Node indexes by community, largest first."""
    import numpy as np

    by: dict[object, list[int]] = {}
    for i, node in enumerate(nodes):
        by.setdefault(communities.get(node), []).append(i)
    groups = sorted(by.values(), key=lambda members: (-len(members), members[0]))
    return [np.array(members, dtype=int) for members in groups]


def _place_communities(
    graph: Any,
    nodes: list[Hashable],
    groups: list[Any],
    discs: Any,
    *,
    seed: int,
    iterations: int,
) -> Any:
    """Centres of the community discs: a weighted layout of the community graph, scaled
    and pushed apart so no two discs overlap."""
    import networkx as nx
    import numpy as np

    if len(groups) == 1:
        return np.zeros((1, 2))
    group_of = {nodes[i]: k for k, members in enumerate(groups) for i in members}
    between: dict[tuple[int, int], float] = {}
    for u, v, weight in graph.edges(data="weight", default=1.0):
        a, b = group_of[u], group_of[v]
        if a != b:
            key = (a, b) if a < b else (b, a)
            between[key] = between.get(key, 0.0) + float(weight)
    meta = nx.Graph()
    meta.add_nodes_from(range(len(groups)))
    meta.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(between.items()))
    centres = _force_layout(meta, list(range(len(groups))), seed=seed, iterations=iterations)
    centres = _scale_to_sizes(centres, 2.0 * float(np.median(discs)))
    centres = _remove_overlaps(centres, discs, seed=seed)
    for _ in range(COMPACT_ROUNDS):  # pull the discs together, then apart again
        centres = _remove_overlaps(centres * 0.85, discs, seed=seed)
    return centres


def _force_layout(graph: Any, nodes: list[Hashable], *, seed: int, iterations: int) -> Any:
    """Fruchterman–Reingold on the weighted graph (weights log-damped)."""
    import igraph
    import numpy as np

    if len(nodes) == 1:
        return np.zeros((1, 2))
    index = {n: i for i, n in enumerate(nodes)}
    adjacency = graph.adj
    ties: list[tuple[int, int, float]] = []
    for i, u in enumerate(nodes):
        for v, data in adjacency[u].items():
            j = index.get(v)
            if j is not None and j > i:
                ties.append((i, j, 1.0 + math.log1p(max(float(data.get("weight", 1.0)), 0.0))))
    ties.sort()  # the order of ``nodes``, not that of the edges: the same on every run
    edges = [(i, j) for i, j, _ in ties]
    weights = [w for _, _, w in ties]
    rng = np.random.default_rng(seed)
    start = rng.uniform(-1.0, 1.0, size=(len(nodes), 2)) * math.sqrt(len(nodes))
    ig_graph = igraph.Graph(n=len(nodes), edges=edges)
    igraph.set_random_number_generator(random.Random(seed))  # FR draws random moves too
    try:
        layout = ig_graph.layout_fruchterman_reingold(
            weights=weights or None, niter=iterations, seed=start.tolist()
        )
    finally:
        igraph.set_random_number_generator(random)
    return np.array(layout.coords, dtype=float).reshape(len(nodes), 2)


def _scale_to_sizes(xy: Any, spacing: float) -> Any:
    """Scale so the median nearest-neighbour distance is ``spacing``."""
    import numpy as np
    from scipy.spatial import cKDTree

    xy = xy - xy.mean(axis=0)
    if len(xy) < 2:
        return xy
    distances, _ = cKDTree(xy).query(xy, k=2)
    nearest = distances[:, 1]
    typical = float(np.median(nearest[nearest > 0])) if (nearest > 0).any() else 1.0
    return xy * (spacing / typical)


def _remove_overlaps(xy: Any, radius: Any, *, seed: int) -> Any:
    """Push overlapping pairs apart, half each, until none overlap (or rounds run out)."""
    import numpy as np
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    reach = 2.0 * float(radius.max()) + GAP
    for _ in range(OVERLAP_ROUNDS):
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = xy[j] - xy[i]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        need = radius[i] + radius[j] + GAP
        hit = dist < need
        if not hit.any():
            break
        i, j, delta, dist, need = i[hit], j[hit], delta[hit], dist[hit], need[hit]
        same = dist == 0
        delta[same] = rng.normal(size=(int(same.sum()), 2))
        dist[same] = np.hypot(delta[same, 0], delta[same, 1])
        push = delta * ((need - dist) / (2.0 * dist))[:, None]
        move = np.zeros_like(xy)
        np.add.at(move, i, -push)
        np.add.at(move, j, push)
        xy = xy + move
    return xy


def radii(centrality: Mapping[Hashable, float]) -> dict[Hashable, float]:
    """Drawn radius of each node: its share of the top centrality, square-rooted (area
    follows centrality), from ``RADIUS[0]`` to ``RADIUS[1]``."""
    top = max(centrality.values(), default=0.0)
    low, high = RADIUS
    if top <= 0:
        return dict.fromkeys(centrality, low)
    return {n: low + (high - low) * math.sqrt(max(c, 0.0) / top) for n, c in centrality.items()}
