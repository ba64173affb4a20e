"""The network views a server serves (a folder of pages written by ``evalkg view``), and
where each entity stands on them: its degree, weighted degree, community and whether it
brokers between communities, read from the data each page carries.

A page's data is the JSON of its ``<script id="evalkg-data">`` element (see
:mod:`kg.views.view`), read with the standard library's HTML parser; a page without it
(the map, any other page) is served and listed, with no entity on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

DATA_ID = "evalkg-data"


@dataclass(frozen=True)
class Place:
    """An entity on one view."""

    view: str  # the page's file name
    title: str
    degree: int
    weighted_degree: float
    community: int
    broker: bool


@dataclass
class ViewIndex:
    """The pages of ``folder`` (file name → title) and the entities on them."""

    folder: Path | None = None
    pages: dict[str, str] = field(default_factory=dict)
    entities: dict[str, list[Place]] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path | None) -> ViewIndex:
        """The index of the ``.html`` pages of ``folder`` (``None``: no views)."""
        index = cls(folder)
        if folder is None:
            return index
        for path in sorted(folder.glob("*.html")):
            data = page_data(path.read_text(encoding="utf-8", errors="replace"))
            title = str(data.get("title") or path.stem) if data else path.stem
            index.pages[path.name] = title
            for node in data.get("nodes", []) if data else []:
                index.entities.setdefault(str(node.get("id", "")), []).append(
                    Place(
                        view=path.name,
                        title=title,
                        degree=int(node.get("degree") or 0),
                        weighted_degree=float(node.get("wdeg") or 0.0),
                        community=int(node.get("community") or 0),
                        broker=bool(node.get("broker")),
                    )
                )
        return index

    def places(self, iri: str) -> list[Place]:
        """The views ``iri`` is on."""
        return self.entities.get(iri, [])


class _DataScript(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "script" and ("id", DATA_ID) in attrs

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text.append(data)


def page_data(html: str) -> dict[str, Any] | None:
    """The view data a page carries, or ``None``.

    >>> page_data('<script id="evalkg-data" type="application/json">{"nodes": []}</script>')
    {'nodes': []}
    """
    parser = _DataScript()
    parser.feed(html)
    parser.close()
    if not parser.text:
        return None
    try:
        data = json.loads("".join(parser.text))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
