"""Boxes on the canvas, pushed apart until no two overlap.

Each node is drawn inside a box around its position: its shape's square (``radius``
each way) and, when its label shows, the label hanging below the shape. Boxes that
overlap are pushed apart along the line between their centres, just enough to clear
one axis, the smaller box moving more, until none overlap (or the rounds run out);
when they jam, the whole layout is spread a little.

>>> import numpy as np
>>> xy = np.array([[0.0, 0.0], [3.0, 1.0]])
>>> extent = np.array([[2.0, 2.0, 2.0, 2.0], [2.0, 2.0, 2.0, 2.0]])
>>> moved = separate(xy, extent, gap=1.0)
>>> overlaps(moved, extent, gap=1.0)
[]
"""

from __future__ import annotations

from typing import Any

GAP = 2.0  # free space kept between two boxes (world units)
ROUNDS = 200
STALL = 4  # rounds without PROGRESS before the boxes are found jammed
PROGRESS = 0.9  # fewer overlaps than this share of the fewest yet
GROW = 1.03  # how much they are spread out then
BIG = 2.0  # a box this many times most boxes' size is checked against every box


def separate(
    xy: Any,
    extent: Any,
    *,
    gap: float = GAP,
    seed: int = 1,
    rounds: int = ROUNDS,
    grow: int = 1000,
) -> Any:
    """Positions moved until no two boxes overlap (``gap`` apart).

    ``xy``: (n, 2) positions; ``extent``: (n, 4) distances from each position to its
    box's left, top, right and bottom edges (y grows downwards, as on the canvas).
    When the boxes jam, the layout is spread out (at most ``grow`` times; then the
    boxes are left as they are, some overlapping).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    half, offset = _halves(extent)
    xy = np.array(xy, dtype=float)
    best, stalled = len(xy) ** 2, 0
    for _ in range(rounds):
        i, j = _pairs(xy + offset, half, gap)
        if len(i) == 0:
            break
        best, stalled = (len(i), 0) if len(i) < PROGRESS * best else (best, stalled + 1)
        if stalled < STALL:
            xy = xy + _push(xy + offset, half, i, j, gap, rng)
        elif grow > 0:  # jammed: make room, pushing every box away from the middle
            centre = xy.mean(axis=0)
            xy = centre + (xy - centre) * GROW
            best, stalled, grow = len(xy) ** 2, 0, grow - 1
        else:
            break
    return xy


def _push(centre: Any, half: Any, i: Any, j: Any, gap: float, rng: Any) -> Any:
    """How far each box moves for the overlapping pairs ``(i, j)``: along the line
    between their centres, the shortest move that clears one axis, shared so that the
    smaller box moves more (a label stays, the dots it covers move out)."""
    import numpy as np

    delta = centre[j] - centre[i]
    over = half[i] + half[j] + gap - np.abs(delta)  # overlap along x and y, both > 0
    same = (delta == 0).all(axis=1)
    delta[same] = rng.normal(size=(int(same.sum()), 2))
    with np.errstate(divide="ignore"):
        steps = np.where(delta != 0, over / np.abs(delta), np.inf)
    push = delta * (steps.min(axis=1) * 1.0001)[:, None]
    area = half[:, 0] * half[:, 1] + 1e-9
    share = (area[i] / (area[i] + area[j]))[:, None]
    move = np.zeros_like(centre)
    np.add.at(move, i, -push * (1.0 - share))
    np.add.at(move, j, push * share)
    return move


def overlaps(xy: Any, extent: Any, *, gap: float = 0.0) -> list[tuple[int, int]]:
    """The pairs of boxes (indexes, lower first) that overlap with less than ``gap``
    between them."""
    half, offset = _halves(extent)
    i, j = _pairs(xy + offset, half, gap)
    return sorted(zip(i.tolist(), j.tolist(), strict=True))


def _halves(extent: Any) -> tuple[Any, Any]:
    """Half width and height of each box, and its centre's offset from the position."""
    import numpy as np

    extent = np.asarray(extent, dtype=float)
    half = (extent[:, 0:2] + extent[:, 2:4]) / 2.0
    offset = (extent[:, 2:4] - extent[:, 0:2]) / 2.0
    return half, offset


def _pairs(centre: Any, half: Any, gap: float) -> tuple[Any, Any]:
    """Indexes ``(i, j)``, ``i < j``, of the boxes closer than ``gap``: the usual boxes
    found with a k-d tree (Chebyshev distance), the big ones (labels) against every box."""
    import numpy as np
    from scipy.spatial import cKDTree

    size = half.max(axis=1)
    big = size > BIG * float(np.quantile(size, 0.99)) if len(size) else size > 0
    small = np.flatnonzero(~big)
    found = [np.zeros((0, 2), dtype=int)]
    if len(small) > 1:
        reach = 2.0 * float(size[small].max()) + gap
        local = cKDTree(centre[small]).query_pairs(reach, p=np.inf, output_type="ndarray")
        found.append(small[local])
    done = np.zeros(len(size), dtype=bool)  # a big box meets every small one, later big ones
    for b in np.flatnonzero(big):
        others = np.flatnonzero(~done)
        near = others[np.all(np.abs(centre[others] - centre[b]) < half[others] + half[b] + gap, 1)]
        near = near[near != b]
        found.append(np.column_stack([np.minimum(near, b), np.maximum(near, b)]))
        done[b] = True
    pairs = np.concatenate(found)
    i, j = pairs[:, 0], pairs[:, 1]
    hit = np.all(np.abs(centre[j] - centre[i]) < half[i] + half[j] + gap, axis=1)
    return i[hit], j[hit]
