"""Interactive HTML network views: one self-contained page per projection.

The page is ``visualizations/view.html.j2`` rendered by Jinja2 with autoescaping on,
with vis-network (``visualizations/vendor/``), ``view.js`` and ``view.css`` inlined:
no CDN, nothing fetched, and a Content-Security-Policy that lets only those inlined
scripts run (by hash) and forbids every network request. The graph travels as JSON in
a ``<script type="application/json">`` element with ``<``, ``>``, ``&`` and U+2028/2029
escaped, so record text can never close it; the page script shows every string with
``textContent``.

>>> import networkx as nx
>>> g = nx.Graph(network="actors", title="Actors <b>")
>>> g.add_node("urn:a", label="<script>alert(1)</script>", type="organization")
>>> page = to_html(g)
>>> "<script>alert(1)" in page, "Actors &lt;b&gt;" in page
(False, True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from kg.progress import OnStep, step
from kg.views.page import (
    Page,
    content_policy,
    evalkg_version,
    read_asset,
    script_json,
    template,
)
from kg.views.viewdata import ViewData, ViewSettings, view_data

__all__ = ["View", "render", "script_json", "to_html", "view_network", "write_html"]

TEMPLATE = "view.html.j2"
VIS_DIR = "vendor/vis-network-9.1.2"


@dataclass
class View(Page):
    """A rendered view: the page (``html``) and what it shows (``data``)."""

    data: ViewData
    kind: ClassVar[str] = "view"

    def __repr__(self) -> str:
        """A line, not the page (which runs to megabytes)."""
        data = self.data
        shown = f"{data.nodes:,} nodes, {data.edges_shown:,} of {data.edges_total:,} edges"
        return f"<View {data.title!r}: {shown}, {self.size:,} bytes>"

    def to_pyvis(self, **options: Any) -> Any:
        """This view as a ``pyvis.network.Network``: see :func:`kg.views.topyvis.to_pyvis`."""
        from kg.views.topyvis import to_pyvis

        return to_pyvis(self.data, **options)


def render(graph: Any, settings: ViewSettings | None = None) -> View:
    """Lay out ``graph`` (a projection of :mod:`kg.networks.projection`) and render its page."""
    data = view_data(graph, settings)
    return View(html=_render_page(data), data=data)


def to_html(graph: Any, **options: Any) -> str:
    """The page of ``graph`` as text; ``options`` are :class:`ViewSettings` fields."""
    return render(graph, ViewSettings(**options)).html


def write_html(graph: Any, path: str | Path, **options: Any) -> Path:
    """Write the page of ``graph`` to ``path`` and return the path; ``options`` are
    :class:`ViewSettings` fields (``physics``, ``max_edges``, ``size_by``,
    ``max_labels``...). :func:`render` gives the view itself."""
    return render(graph, ViewSettings(**options)).save(path)


def view_network(
    store: Any,
    network: str,
    *,
    filters: Any = None,
    focus: str | None = None,
    depth: int = 1,
    settings: ViewSettings | None = None,
    on_step: OnStep | None = None,
) -> View:
    """Project ``network`` from ``store`` (with filters and focus), compute its metrics
    and render its page: what ``evalkg view`` does (``on_step``: told each step, see
    :mod:`kg.progress`)."""
    from kg.networks.metrics import compute_metrics
    from kg.networks.projection import project

    step(on_step, f"projecting the {network} network")
    graph = project(store, network, filters=filters, focus=focus, depth=depth)
    nodes, ties = graph.number_of_nodes(), graph.number_of_edges()
    step(on_step, f"metrics of {nodes:,} nodes, {ties:,} ties")
    compute_metrics(graph)
    step(on_step, "laying out and drawing the page")
    return render(graph, settings)


def _render_page(data: ViewData) -> str:
    from markupsafe import Markup

    assets = _assets()
    shown = (
        f"{data.edges_shown:,} of {data.edges_total:,}"
        if data.edges_hidden
        else f"{data.edges_total:,}"
    )
    return str(
        template(TEMPLATE).render(
            title=data.title,
            summary=f"{data.nodes:,} nodes · {shown} ties drawn",
            notes=data.notes,
            version=evalkg_version(),
            csp=assets["csp"],
            vis_css=Markup(assets["vis_css"]),
            view_css=Markup(assets["view_css"]),
            vis_js=Markup(assets["vis_js"]),
            page_js=Markup(assets["page_js"]),
            view_js=Markup(assets["view_js"]),
            data_json=Markup(script_json(data.payload)),
        )
    )


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """The inlined scripts and style sheets, checked, and the page's CSP with their
    hashes."""
    from kg.resources import data_dir

    folder = data_dir("visualizations")
    assets = {
        "vis_js": read_asset(folder / VIS_DIR / "vis-network.min.js", "script"),
        "page_js": read_asset(folder / "page.js", "script"),
        "view_js": read_asset(folder / "view.js", "script"),
        "vis_css": read_asset(folder / VIS_DIR / "vis-network.css", "style"),
        "view_css": read_asset(folder / "view.css", "style"),
    }
    assets["csp"] = content_policy(
        [assets["vis_js"], assets["page_js"], assets["view_js"]],
        [assets["vis_css"], assets["view_css"]],
    )
    return assets
