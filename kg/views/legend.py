"""The legend of a view: colour, shape and label of each type (organizations by kind),
from ``visualizations/palette.json``."""

from __future__ import annotations

import json
from collections.abc import Hashable
from typing import Any

from kg.resources import data_dir


def load_palette() -> dict[str, Any]:
    """``visualizations/palette.json``: colour and legend label by type or kind."""
    path = data_dir("visualizations") / "palette.json"
    palette: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return palette


def categories(graph: Any) -> tuple[list[dict[str, Any]], dict[Hashable, int]]:
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
