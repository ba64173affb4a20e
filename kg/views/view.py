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

import base64
import functools
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.progress import OnStep, step
from kg.views.viewdata import ViewData, ViewSettings, view_data

TEMPLATE = "view.html.j2"
VIS_DIR = "vendor/vis-network-9.1.2"
NOTEBOOK_HEIGHT = 640
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


@dataclass
class View:
    """A rendered view: the page (``html``) and what it shows (``data``).

    In Jupyter it displays inline (an ``<iframe srcdoc>`` holding the page).
    """

    html: str
    data: ViewData

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        target = Path(path)
        try:
            target.write_text(self.html, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot write the view: {exc.strerror}", path=str(target)) from exc
        return target

    @property
    def size(self) -> int:
        """Size of the page in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    def __repr__(self) -> str:
        """A line, not the page (which runs to megabytes)."""
        data = self.data
        shown = f"{data.nodes:,} nodes, {data.edges_shown:,} of {data.edges_total:,} edges"
        return f"<View {data.title!r}: {shown}, {self.size:,} bytes>"

    def to_pyvis(self, **options: Any) -> Any:
        """This view as a ``pyvis.network.Network``: see :func:`kg.views.topyvis.to_pyvis`."""
        from kg.views.topyvis import to_pyvis

        return to_pyvis(self.data, **options)

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width:100%;height:{NOTEBOOK_HEIGHT}px;border:1px solid #ddd" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>'
        )


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


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    >>> script_json({"a": "</script><b>&\u2028"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def _render_page(data: ViewData) -> str:
    from importlib.metadata import PackageNotFoundError, version

    from markupsafe import Markup

    assets = _assets()
    try:
        evalkg_version = version("evalkg")
    except PackageNotFoundError:
        evalkg_version = "dev"
    shown = (
        f"{data.edges_shown:,} of {data.edges_total:,}"
        if data.edges_hidden
        else f"{data.edges_total:,}"
    )
    return str(
        _template().render(
            title=data.title,
            summary=f"{data.nodes:,} nodes · {shown} ties drawn",
            notes=data.notes,
            version=evalkg_version,
            csp=assets["csp"],
            vis_css=Markup(assets["vis_css"]),
            view_css=Markup(assets["view_css"]),
            vis_js=Markup(assets["vis_js"]),
            view_js=Markup(assets["view_js"]),
            data_json=Markup(script_json(data.payload)),
        )
    )


@functools.lru_cache(maxsize=1)
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from kg.resources import data_dir

    env = Environment(
        loader=FileSystemLoader(str(data_dir("visualizations"))),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(TEMPLATE)


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """The inlined scripts and style sheets, checked, and the page's CSP with their
    hashes."""
    from kg.resources import data_dir

    folder = data_dir("visualizations")
    assets = {
        "vis_js": _read_asset(folder / VIS_DIR / "vis-network.min.js", "script"),
        "view_js": _read_asset(folder / "view.js", "script"),
        "vis_css": _read_asset(folder / VIS_DIR / "vis-network.css", "style"),
        "view_css": _read_asset(folder / "view.css", "style"),
    }
    scripts = " ".join(_sha256(assets[k]) for k in ("vis_js", "view_js"))
    styles = " ".join(_sha256(assets[k]) for k in ("vis_css", "view_css"))
    assets["csp"] = (
        f"default-src 'none'; script-src {scripts}; style-src {styles}; "
        "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'; object-src 'none'"
    )
    return assets


def _read_asset(path: Path, tag: str) -> str:
    """An asset to inline in a ``<tag>`` element; refused if it could end that element."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"missing view asset: {exc.strerror}", path=str(path)) from exc
    lowered = text.lower()
    for marker in (f"</{tag}", "<!--"):
        if marker in lowered:
            raise ConfigError(f"asset cannot be inlined in <{tag}>", path=str(path), value=marker)
    return text


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
