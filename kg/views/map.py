"""The map: one self-contained, offline HTML page of where a store's findings are.

Countries are shaded by how many findings apply to them (or their evaluations, or the
organizations they name); regional and inter-regional findings are listed apart; the
places the findings name and the ILO's offices are markers sized by findings, clustered
where they crowd (:mod:`kg.networks.geodata`, :mod:`kg.views.mapdata`). The page is
``visualizations/map.html.j2`` rendered by Jinja2 with autoescaping on, with Leaflet,
Leaflet.markercluster and topojson-client (``visualizations/vendor/``), ``map.js`` and
``map.css`` inlined, and Natural Earth's countries (world-atlas, 1:50m TopoJSON) as data:
no tile server, no CDN, nothing fetched, and a Content-Security-Policy that lets only
those inlined scripts run (by hash) and forbids every network request. Data travels as
JSON in ``<script type="application/json">`` elements (:func:`kg.views.view.script_json`);
the page script shows every string with ``textContent``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from kg.errors import ConfigError
from kg.networks.geodata import GeoData, geo_data
from kg.networks.netdata import Filters
from kg.store.evalstore import EvalStore
from kg.views.mapdata import MapData, MapSettings, map_data
from kg.views.page import (
    Page,
    content_policy,
    evalkg_version,
    read_asset,
    script_json,
    template,
)

TEMPLATE = "map.html.j2"
#: The inlined scripts, in the order they run (folder of visualizations/, file).
SCRIPTS = (
    ("vendor/leaflet-1.9.4", "leaflet.js"),
    ("vendor/leaflet.markercluster-1.5.3", "leaflet.markercluster.js"),
    ("vendor/topojson-client-3.1.0", "topojson-client.min.js"),
    ("", "page.js"),
    ("", "map.js"),
)
STYLES = (
    ("vendor/leaflet-1.9.4", "leaflet.css"),
    ("vendor/leaflet.markercluster-1.5.3", "MarkerCluster.css"),
    ("", "map.css"),
)
ATLAS = ("vendor/world-atlas-2.0.2", "countries-50m.json")


@dataclass
class MapView(Page):
    """A rendered map: the page (``html``) and what it shows (``data``)."""

    data: MapData
    kind: ClassVar[str] = "map"

    def __repr__(self) -> str:
        """A line, not the page."""
        return f"<MapView {self.data.title!r}: {self.data.summary}, {self.size:,} bytes>"


def render_map(geo: GeoData, settings: MapSettings | None = None) -> MapView:
    """The page of ``geo`` (see :func:`kg.networks.geodata.geo_data`)."""
    data = map_data(geo, settings, drawable=atlas_codes())
    return MapView(html=_render_page(data), data=data)


def map_view(
    store: EvalStore,
    *,
    filters: Filters | None = None,
    types: str | Iterable[str] | None = None,
    focus: str | None = None,
    settings: MapSettings | None = None,
) -> MapView:
    """The map of the findings of ``store`` that ``filters`` and ``types`` (``lesson``,
    ``practice``, ``recommendation``) keep; with ``focus``, of the findings linked to the
    entity of that name. Raises :class:`ConfigError` for a bad filter, type or focus."""
    return render_map(geo_data(store, filters=filters, types=types, focus=focus), settings)


def write_map(
    store: EvalStore,
    path: str | Path,
    *,
    filters: Filters | None = None,
    types: str | Iterable[str] | None = None,
    focus: str | None = None,
    **options: Any,
) -> MapView:
    """Write the map of ``store`` to ``path``: what ``evalkg map`` does. ``options`` are
    :class:`~kg.views.mapdata.MapSettings` fields (``views``, ``max_findings``...)."""
    view = map_view(
        store, filters=filters, types=types, focus=focus, settings=MapSettings(**options)
    )
    view.save(path)
    return view


def _render_page(data: MapData) -> str:
    from markupsafe import Markup

    assets = _assets()
    return str(
        template(TEMPLATE).render(
            title=data.title,
            summary=data.summary,
            filters=data.payload["filters"],
            notes=data.notes,
            version=evalkg_version(),
            csp=assets["csp"],
            styles=[Markup(s) for s in assets["styles"]],
            scripts=[Markup(s) for s in assets["scripts"]],
            world_json=Markup(assets["world"]),
            data_json=Markup(script_json(data.payload)),
        )
    )


@functools.lru_cache(maxsize=1)
def _world() -> dict[str, Any]:
    """The world atlas's TopoJSON, parsed."""
    from kg.resources import data_dir

    path = data_dir("visualizations").joinpath(*ATLAS)
    try:
        world: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"unreadable world atlas: {exc}", path=str(path)) from exc
    return world


@functools.lru_cache(maxsize=1)
def atlas_codes() -> frozenset[str]:
    """The ISO 3166-1 numeric codes of the countries the base map can draw."""
    shapes = _world()["objects"]["countries"]["geometries"]
    return frozenset(str(s["id"]) for s in shapes if "id" in s)


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, Any]:
    """The inlined scripts, style sheets and atlas, checked, and the page's CSP with the
    scripts' and style sheets' hashes."""
    from kg.resources import data_dir

    folder = data_dir("visualizations")
    scripts = [read_asset(folder / sub / name, "script") for sub, name in SCRIPTS]
    styles = [read_asset(folder / sub / name, "style") for sub, name in STYLES]
    csp = content_policy(scripts, styles)
    return {"scripts": scripts, "styles": styles, "world": script_json(_world()), "csp": csp}
