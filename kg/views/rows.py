"""The rows of a view's page: a node's names, metrics, lessons and strongest ties; a
tie's lessons; lessons and evaluations listed once and referred to by index. Every
string stays plain text; links only from http(s) URLs.

>>> safe_url("javascript:alert(1)") is None
True
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable
from typing import Any
from urllib.parse import urlsplit

TITLE_CHARS = 220  # characters of a lesson title kept for the details panel


class LessonTable:
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


def node_row(
    graph: Any,
    node: Hashable,
    index: dict[Hashable, int],
    metrics: dict[str, Any],
    lessons: LessonTable,
    max_lessons: int,
    max_ties: int,
) -> dict[str, Any]:
    """The row of ``node`` the page reads."""
    attrs = graph.nodes[node]
    own = list(attrs.get("lessons") or [])
    label = label_of(graph, node)
    return {
        "id": str(node),
        "label": label,
        "type": str(attrs.get("type") or ""),
        "kind": str(attrs.get("kind") or ""),
        "aliases": [str(a) for a in strings(attrs.get("aliases")) if str(a) != label],
        "countries": [str(c) for c in strings(attrs.get("countries"))],
        "coordinates": _coordinates(attrs.get("coordinates")),
        "lessons": [lessons.add(lesson) for lesson in own[:max_lessons]],
        "nLessons": len(own),
        "ties": _ties(graph, node, index, max_ties),
        "degree": metrics["degree"],
        "wdeg": round(metrics["weighted_degree"], 3),
        "betweenness": round(metrics["betweenness"], 5),
        "community": metrics["community"],
        "broker": metrics["broker"],
        "brokerVia": str(attrs.get("broker_via") or ""),
        "focus": bool(attrs.get("focus", False)),
    }


def _coordinates(value: object) -> list[float] | None:
    """``[latitude, longitude]`` (5 decimals, about a metre), or ``None``."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None
    try:
        return [round(float(value[0]), 5), round(float(value[1]), 5)]
    except (TypeError, ValueError):
        return None


def label_of(graph: Any, node: Hashable) -> str:
    return str(graph.nodes[node].get("label") or node)


def strings(value: object) -> Iterable[object]:
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


def edge_row(
    graph: Any, u: Hashable, v: Hashable, index: dict[Hashable, int], lessons: LessonTable
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
