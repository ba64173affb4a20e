"""The labels a view draws on the canvas: short names (acronyms of long ones), and which
labels show at the first, fitted zoom without covering another label or node.

>>> short_label("International Labour Organization", ["OIT", "ILO"])
'ILO'
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable
from typing import Any

from kg.views.layout import RADIUS

LABEL_PX = 15.0  # on-screen font of the labels shown at first sight
LABEL_THRESHOLD_PX = 9.0  # vis-network hides labels smaller than this on screen
CANVAS_PX = (1100.0, 700.0)  # canvas assumed when choosing the first labels
SHORT_LABEL = 42  # characters of a label drawn on the canvas (tooltips show it all)
SHORT_NAME = 24  # a longer name is drawn as its acronym when it has one


def label_fonts(
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
