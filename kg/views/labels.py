"""The labels a view draws on the canvas: short names (acronyms of long ones), and which
labels show at the first, fitted zoom without covering another label or node.

>>> short_label("International Labour Organization", ["OIT", "ILO"])
'ILO'
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any, NamedTuple

from kg.views.boxes import overlaps, separate
from kg.views.layout import RADIUS
from kg.views.legend import load_palette
from kg.views.rows import label_of, strings

LABEL_PX = 15.0  # on-screen font of the labels shown at first sight
LABEL_THRESHOLD_PX = 9.0  # vis-network hides labels smaller than this on screen
CANVAS_PX = (1100.0, 700.0)  # canvas assumed when choosing the first labels
SHORT_LABEL = 42  # characters of a label drawn on the canvas (tooltips show it all)
SHORT_NAME = 24  # a longer name is drawn as its acronym when it has one
FINDINGS = ("lesson", "practice", "recommendation")
NUMBERED = ("evaluation", *FINDINGS)  # node types drawn as their kind and number
#: Nodes a label shown at first sight may push aside: any node's, a hub's or a
#: community's most central node's, the most central node's.
MAX_COVERED = (3, 40, 10**9)
HUB = 0.25  # a hub's centrality, at least, as a share of the highest
LABEL_ROUNDS = 60  # rounds of pushing nodes out of the labels' boxes
LABEL_GROW = 4  # times the layout may be spread out to make room for them
#: Where a label ends below its node's shape: vis-network draws its line 0.5 em and 4
#: world units lower, 1 em high (this keeps 0.2 em more).
LABEL_DROP = (1.7, 4.0)
LABEL_PAD = 0.3  # ems added to a label's width (the white stroke around the letters)
#: Characters about 1 em wide, and those at most 0.42 em, in DejaVu Sans; capitals
#: count 0.8 em and the rest 0.66 (Chromium's measures: at most 0.79 and 0.64).
WIDE_CHARS = frozenset("MWmw@%#+<=>^~…—")
NARROW_CHARS = frozenset(" .,:;'’!|()[]/\\-ijlftrIJ")


class Placed(NamedTuple):
    """Node positions, each label's world font size, the labels shown at first sight,
    and their font size."""

    pos: dict[Hashable, tuple[float, float]]
    fonts: dict[Hashable, float]
    shown: list[Hashable]
    font: float


def canvas_labels(graph: Any) -> dict[Hashable, str]:
    """The label each node shows on the canvas: an evaluation's or a finding's kind and
    number ("Evaluation 3642", "Lesson 242868"), else :func:`short_label`; nodes that
    would show the same label show their countries too ("CUT (Chile)"), or else their
    shortest other name ("CO-Lima")."""
    kinds = {key: str(entry["label"]) for key, entry in load_palette()["categories"].items()}
    shorts: dict[Hashable, str] = {}
    for node, attrs in graph.nodes(data=True):
        kind, number = str(attrs.get("type")), attrs.get("number")
        if number and kind in NUMBERED:
            shorts[node] = f"{kinds.get(kind, kind)} {number}"
        else:
            shorts[node] = short_label(label_of(graph, node), strings(attrs.get("aliases")))
    shared = Counter(shorts.values())
    for node, attrs in graph.nodes(data=True):
        if shared[shorts[node]] > 1:
            shorts[node] = _told_apart(shorts[node], attrs)
    return shorts


def _told_apart(short: str, attrs: dict[str, Any]) -> str:
    countries = [str(c) for c in strings(attrs.get("countries"))]
    if countries:
        return f"{short} ({', '.join(countries)})"
    names = [str(a) for a in strings(attrs.get("aliases")) if len(str(a)) <= SHORT_NAME]
    return min(names, key=lambda name: (len(name), name), default=short)


def place_labels(
    pos: dict[Hashable, tuple[float, float]],
    radius: dict[Hashable, float],
    centrality: dict[Hashable, float],
    labels: dict[Hashable, str],
    communities: dict[Hashable, int],
    max_labels: int,
    *,
    first: Iterable[Hashable] = (),
    seed: int = 1,
) -> Placed:
    """Where the nodes go and which labels show at the first (fitted) zoom: those of
    ``first`` (a view's focus), the most central node's, the most central node's of
    each community, then the most central others', each clear of the labels chosen
    before; the nodes are then pushed out of the labels' boxes (when they do not all
    fit, only the first half of the labels show, and so on). The other labels are too
    small to show until the user zooms in."""
    import numpy as np

    if not pos:
        return Placed(pos, {}, [], LABEL_PX)
    nodes = list(pos)
    scale = _fitted_scale(pos)
    shown_font = LABEL_PX / scale
    hidden_font = LABEL_THRESHOLD_PX / scale
    top = max(centrality.values()) or 1.0
    fonts = {
        n: hidden_font * (0.3 + 0.45 * math.sqrt(max(c, 0.0) / top)) for n, c in centrality.items()
    }
    order, rank = _priorities(centrality, communities, list(first), max_labels)
    chosen = _choose(pos, radius, labels, order, rank, max_labels, shown_font)
    shown = [n for n in order if n in chosen]
    start = np.array([pos[n] for n in nodes])
    while True:  # make room for the labels; if there is none, for the first half of them
        extent = np.array(
            [label_extent(radius[n], labels[n] if n in shown else None, shown_font) for n in nodes]
        )
        # vis-network reads positions as whole numbers: round them before checking
        moved = separate(start, extent, seed=seed, rounds=LABEL_ROUNDS, grow=LABEL_GROW)
        xy = np.rint(moved)
        if not shown or not overlaps(xy, extent):
            break
        shown = shown[: len(shown) // 2]
    fonts.update(dict.fromkeys(shown, shown_font))
    placed = {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}
    return Placed(placed, fonts, shown, shown_font)


def label_extent(radius: float, label: str | None, font: float) -> tuple[float, ...]:
    """Distances from a node's centre to the left, top, right and bottom of its box:
    its shape, and its label hanging below it when the label shows."""
    if label is None:
        return (radius, radius, radius, radius)
    half = max(radius, (text_em(label) + LABEL_PAD) * font / 2)
    return (half, radius, half, radius + LABEL_DROP[0] * font + LABEL_DROP[1])


def text_em(text: str) -> float:
    """The width of ``text`` in ems, at least as wide as DejaVu Sans draws it (the
    sans-serif of Chromium on Debian, among the widest) and so most fonts.

    >>> text_em("ILO"), text_em("Mali")
    (2.02, 2.5)
    """
    width = 0.0
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            continue
        if char in WIDE_CHARS or unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char in NARROW_CHARS:
            width += 0.42
        else:
            width += 0.8 if char.isupper() else 0.66
    return round(width, 6)


def _fitted_scale(pos: dict[Hashable, tuple[float, float]]) -> float:
    """Screen pixels per world unit when the layout fills the assumed canvas."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = max(xs) - min(xs) + 2 * RADIUS[1]
    span_y = max(ys) - min(ys) + 2 * RADIUS[1]
    return min(CANVAS_PX[0] / span_x, CANVAS_PX[1] / span_y)


def _choose(
    pos: dict[Hashable, tuple[float, float]],
    radius: dict[Hashable, float],
    labels: dict[Hashable, str],
    order: list[Hashable],
    rank: dict[Hashable, int],
    max_labels: int,
    font: float,
) -> set[Hashable]:
    """The labels to show, in ``order``: each clear of the boxes of the nodes chosen
    before (shape and label), covering few other nodes (they will be pushed aside): at
    most ``MAX_COVERED[rank]``, ``rank`` 1 for hubs and each community's most central
    node, 2 for the most central node."""
    from scipy.spatial import cKDTree

    nodes = list(pos)
    tree = cKDTree([pos[n] for n in nodes])
    boxes: list[tuple[float, float, float, float]] = []
    chosen: set[Hashable] = set()
    for node in order:
        if len(chosen) >= max_labels:
            break
        box = _box(pos[node], label_extent(radius[node], labels[node], font))
        if chosen and any(_overlap(box, other) for other in boxes):
            continue
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        reach = math.hypot(box[2] - box[0], box[3] - box[1]) / 2 + RADIUS[1]
        covered = [
            nodes[i]
            for i in tree.query_ball_point(centre, reach)
            if nodes[i] != node
            and _overlap(box, _box(pos[nodes[i]], label_extent(radius[nodes[i]], None, font)))
        ]
        if len(covered) > MAX_COVERED[rank.get(node, 0)]:
            continue
        chosen.add(node)
        boxes.append(box)
    return chosen


def _box(at: tuple[float, float], extent: tuple[float, ...]) -> tuple[float, float, float, float]:
    x, y = at
    return (x - extent[0], y - extent[1], x + extent[2], y + extent[3])


def _priorities(
    centrality: dict[Hashable, float],
    communities: dict[Hashable, int],
    first: list[Hashable],
    max_labels: int,
) -> tuple[list[Hashable], dict[Hashable, int]]:
    """The nodes whose labels may show, in order (``first``, then :func:`_label_order`),
    and the rank of each (see :func:`_choose`)."""
    ranked = [n for n in _label_order(centrality, communities) if n not in first]
    order = (first + ranked)[: 8 * max_labels]
    top = max(centrality.values()) or 1.0
    leaders: dict[int, Hashable] = {}  # the most central node of each community
    for node in sorted(centrality, key=lambda n: (-centrality[n], str(n))):
        leaders.setdefault(communities[node], node)
    rank = dict.fromkeys([*leaders.values(), *(n for n in order if centrality[n] >= HUB * top)], 1)
    return order, rank | dict.fromkeys([*first, *ranked[:1]], 2)


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
