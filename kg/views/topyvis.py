"""A view as a :class:`pyvis.network.Network`, for users who customize views with pyvis.

:func:`to_pyvis` reads the same :class:`~kg.views.viewdata.ViewData` the HTML view draws
and gives pyvis the same nodes (ids, drawn labels), positions, colours and shapes by
category, sizes, label sizes and ties, with the page's tooltips as plain text (vis-network
shows a string title as text) and physics off (the positions are the layout's). What
pyvis writes is pyvis's page, not evalkg's: it has no Content-Security-Policy and loads
Bootstrap from a CDN. Two of its habits are disarmed here: it inserts the heading as
HTML, so the heading is escaped; and it shows every tooltip as HTML when any title holds
the word ``href``, so that word is broken by a zero-width space in titles.

>>> import networkx as nx
>>> g = nx.Graph(network="actors", title="Actors <b>")
>>> g.add_node("urn:a", label="A <i>href</i>", type="organization", kind="Donor")
>>> g.add_node("urn:b", label="B", type="organization", kind="Donor")
>>> g.add_edge("urn:a", "urn:b", weight=2.0, lessons=[], evaluations=1)
>>> net = to_pyvis(g)
>>> [n["id"] for n in net.nodes], net.options.physics.enabled, net.heading
(['urn:a', 'urn:b'], False, 'Actors &lt;b&gt;')
>>> net.nodes[0]["title"].splitlines()[0]
'A <i>hre\\u200bf</i>'
"""

from __future__ import annotations

import html
import math
from typing import Any

from kg.views.viewdata import ViewData, ViewSettings, view_data

#: Edge colour of the page (view.js), alpha by the number of ties drawn.
_EDGE_RGB = "110,120,135"
_HREF = "href"


def to_pyvis(
    view: ViewData | Any,
    *,
    settings: ViewSettings | None = None,
    notebook: bool = False,
    height: str = "750px",
    cdn_resources: str = "in_line",
) -> Any:
    """A pyvis ``Network`` of ``view`` (the :class:`ViewData` of a view, or a network
    graph, laid out here with ``settings``). ``notebook``, ``height`` and
    ``cdn_resources`` go to pyvis (``in_line``: its scripts inlined, no local ``lib/``)."""
    from pyvis.network import Network

    data = view if isinstance(view, ViewData) else view_data(view, settings)
    payload = data.payload
    net = Network(
        height=height,
        width="100%",
        notebook=notebook,
        heading=html.escape(data.title),
        cdn_resources=cdn_resources,
    )
    categories = payload["categories"]
    for row in payload["nodes"]:
        category = categories[row["cat"]]
        net.add_node(
            row["id"],
            label=row["short"],
            title=_text(tooltip(row, category["label"])),
            x=row["x"],
            y=row["y"],
            size=row["size"],
            color=_colour(row, category["color"]),
            shape=category["shape"],
            font={"size": row["font"]},
            borderWidth=max(1.5, min(4.0, row["size"] * 0.2)) if _ringed(row) else 1,
        )
    _add_edges(net, payload)
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False
    return net


def tooltip(row: dict[str, Any], kind: str) -> str:
    """A node's tooltip, as the page writes it: label, kind, lessons, ties, other names."""
    lines = [
        row["label"],
        f"{kind} · {row['nLessons']:,} lesson(s) · {row['degree']:,} tie(s)",
    ]
    if row["aliases"]:
        lines.append("also: " + ", ".join(row["aliases"][:6]))
    return "\n".join(lines)


def _add_edges(net: Any, payload: dict[str, Any]) -> None:
    nodes = payload["nodes"]
    edges = payload["edges"]
    top = max((edge[2] for edge in edges), default=1.0)
    scale = math.log1p(max(top, 1.0))
    alpha = max(0.08, min(0.3, 0.3 * math.sqrt(600 / max(len(edges), 1))))
    for source, target, weight, evaluations, *_ in edges:
        a, b = nodes[source], nodes[target]
        title = (
            f"{a['label']} — {b['label']}\n{weight:g} shared lesson(s), "
            f"{evaluations:,} shared evaluation(s)"
        )
        net.add_edge(
            a["id"],
            b["id"],
            width=0.4 + 2.2 * math.log1p(weight) / scale,
            title=_text(title),
            color=f"rgba({_EDGE_RGB},{alpha:.3f})",
        )


def _text(title: str) -> str:
    """``title`` with the word pyvis takes for HTML broken (a zero-width space)."""
    return title.replace(_HREF, "hre\u200bf")


def _ringed(row: dict[str, Any]) -> bool:
    """Brokers between communities get a dark ring, as on the page."""
    return bool(row["broker"]) and (not row["brokerVia"] or "communities" in row["brokerVia"])


def _colour(row: dict[str, Any], colour: str) -> dict[str, Any]:
    border = "#222222" if _ringed(row) else colour
    return {
        "background": colour,
        "border": border,
        "highlight": {"background": colour, "border": "#000000"},
        "hover": {"background": colour, "border": "#000000"},
    }
