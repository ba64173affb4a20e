"""What the map page shows, computed from :class:`kg.networks.geodata.GeoData`.

Every spot (country, place, ILO office, region) gets its three measures (findings,
evaluations, organizations), its findings (the latest evaluations first, at most
``max_findings``), the organizations its findings name (most often named first) and its
strongest ties: the other spots that share most findings with it. Findings and
evaluations are listed once in the page and referred to by index. Every string stays
plain text here; the page shows it with ``textContent``.

>>> describe_filters({"country": "Chile"}, ("lesson",))
'country: Chile · lessons only'
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kg.errors import ConfigError
from kg.networks.geodata import FINDING_TYPES, SPOT_KINDS, GeoData, Spot, finding_type
from kg.networks.netdata import excerpt
from kg.resources import data_dir
from kg.views.rows import safe_url

MEASURES = ("findings", "evaluations", "organizations")
#: The network view that holds each kind of spot (``--views`` links to it).
NETWORK_OF = {"country": "places", "place": "places", "office": "places", "region": "themes"}
TITLE_CHARS = 160  # characters of a finding's title in the page
#: The names of the finding types, one and many.
TYPE_NAMES = {
    "lesson": ("lesson", "lessons"),
    "practice": ("good practice", "good practices"),
    "recommendation": ("recommendation", "recommendations"),
}


@dataclass(frozen=True)
class MapSettings:
    """Options of a map; ``views``: where the network views are, a path or URL with
    ``{network}`` (e.g. ``views/{network}.html``), for the panel's links to them."""

    max_findings: int = 20
    max_organizations: int = 12
    max_ties: int = 8
    views: str | None = None


@dataclass
class MapData:
    """The page's data (``payload``, JSON-ready) and what it holds."""

    payload: dict[str, Any]
    title: str
    findings: int
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line: how many findings, countries, places, offices and regions.

        >>> MapData({}, "Map", 1, {"country": 2, "place": 0, "office": 1, "region": 1}).summary
        '1 finding · 2 countries · 0 places · 1 ILO office · 1 region apart'
        """
        names = {
            "country": ("country", "countries"),
            "place": ("place", "places"),
            "office": ("ILO office", "ILO offices"),
            "region": ("region apart", "regions apart"),
        }
        parts = [_count(self.findings, ("finding", "findings"))]
        parts += [_count(self.counts[k], names[k]) for k in SPOT_KINDS]
        return " · ".join(parts)


def _count(n: int, names: tuple[str, str]) -> str:
    return f"{n:,} {names[0] if n == 1 else names[1]}"


def load_map_palette() -> dict[str, Any]:
    """``visualizations/map-palette.json``: the colours of the map."""
    path = data_dir("visualizations") / "map-palette.json"
    palette: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return palette


def views_pattern(pattern: str | None) -> str | None:
    """``pattern`` when it is a relative path or an http(s) or file URL holding
    ``{network}``; :class:`ConfigError` otherwise (never a ``javascript:`` link)."""
    if pattern is None:
        return None
    scheme = urlsplit(pattern.strip()).scheme.lower()
    if "{network}" not in pattern or scheme not in ("", "http", "https", "file"):
        raise ConfigError(
            "views must be a path or http(s) URL with {network}, e.g. views/{network}.html",
            value=pattern,
        )
    return pattern.strip()


def map_data(
    geo: GeoData,
    settings: MapSettings | None = None,
    *,
    drawable: Collection[str] = (),
) -> MapData:
    """Everything the page needs; ``drawable``: the country codes the base map has."""
    settings = settings or MapSettings()
    views = views_pattern(settings.views)
    spots = sorted(geo.spots.values(), key=lambda s: (SPOT_KINDS.index(s.kind), s.label, s.iri))
    index = {s.iri: i for i, s in enumerate(spots)}
    table = _Table(geo)
    rows = [_spot_row(geo, s, index, table, settings) for s in spots]
    focus = [index[iri] for iri in geo.focus if iri in index]
    title = "Where the findings are"
    if geo.focus:
        labels = dict.fromkeys(geo.data.entity(iri).label for iri in geo.focus)
        title += " — linked to " + ", ".join(labels)
    data = MapData(
        payload={},
        title=title,
        findings=len(geo.links),
        counts={k: sum(1 for s in spots if s.kind == k) for k in SPOT_KINDS},
    )
    data.notes = _notes(geo, spots, drawable)
    data.payload = {
        "title": title,
        "filters": describe_filters(geo.data.filters.active(), geo.types),
        "measures": list(MEASURES),
        "types": [TYPE_NAMES[t][0] for t in FINDING_TYPES],
        "spots": rows,
        "findings": table.findings,
        "evaluations": table.evaluations,
        "organizations": table.organizations,
        "focus": focus,
        "views": views,
        "networkOf": NETWORK_OF,
        "palette": load_map_palette(),
        "notes": data.notes,
    }
    return data


def describe_filters(active: dict[str, str], types: tuple[str, ...]) -> str:
    """The filters of a map, as one line of text ('' when none)."""
    parts = [f"{name}: {value}" for name, value in active.items()]
    if tuple(types) != FINDING_TYPES:
        parts.append(" and ".join(TYPE_NAMES[t][1] for t in types) + " only")
    return " · ".join(parts)


class _Table:
    """Findings, evaluations and organizations listed once in the page."""

    def __init__(self, geo: GeoData) -> None:
        self.geo = geo
        self.findings: list[list[Any]] = []
        self.evaluations: list[list[Any]] = []
        self.organizations: list[list[str]] = []
        self._finding: dict[str, int] = {}
        self._evaluation: dict[str, int] = {}
        self._organization: dict[str, int] = {}

    def finding(self, iri: str) -> int:
        if iri not in self._finding:
            row = self.geo.data.lessons.get(iri, {})
            title = excerpt(str(row.get("title") or ""), TITLE_CHARS) or iri
            evaluation = self._evaluation_of(row.get("evaluation"))
            self._finding[iri] = len(self.findings)
            kind = FINDING_TYPES.index(finding_type(iri))
            self.findings.append([iri, title, evaluation, safe_url(row.get("url")), kind])
        return self._finding[iri]

    def organization(self, iri: str) -> int:
        if iri not in self._organization:
            self._organization[iri] = len(self.organizations)
            self.organizations.append([iri, self.geo.data.entity(iri).label])
        return self._organization[iri]

    def _evaluation_of(self, iri: object) -> int | None:
        if not iri:
            return None
        key = str(iri)
        if key not in self._evaluation:
            details = self.geo.data.evaluations.get(key)
            title = details.title if details else None
            year = details.year if details else None
            self._evaluation[key] = len(self.evaluations)
            self.evaluations.append([key, title or "", year])
        return self._evaluation[key]

    def year(self, finding: str) -> str:
        evaluation = self.geo.data.lessons.get(finding, {}).get("evaluation")
        details = self.geo.data.evaluations.get(evaluation or "")
        return (details.year if details else None) or ""


def _spot_row(
    geo: GeoData, spot: Spot, index: dict[str, int], table: _Table, settings: MapSettings
) -> dict[str, Any]:
    """A spot as the page reads it."""
    organizations = geo.organizations(spot)
    latest = heapq.nlargest(settings.max_findings, spot.findings, key=lambda f: (table.year(f), f))
    top = sorted(organizations.items(), key=lambda kv: (-kv[1], kv[0]))
    ties = sorted(geo.ties(spot).items(), key=lambda kv: (-kv[1], index[kv[0]]))
    within = spot.within
    if spot.kind == "place" and within:
        within = geo.data.entity(within).label
    return {
        "id": spot.iri,
        "kind": spot.kind,
        "label": spot.label,
        "aliases": [a for a in spot.aliases if a != spot.label],
        "lat": None if spot.lat is None else round(spot.lat, 5),
        "lon": None if spot.lon is None else round(spot.lon, 5),
        "code": spot.code,
        "within": within,
        "n": [len(spot.findings), len(geo.evaluations(spot)), len(organizations)],
        "f": [table.finding(f) for f in latest],
        "orgs": [[table.organization(o), n] for o, n in top[: settings.max_organizations]],
        "ties": [[index[o], n] for o, n in ties[: settings.max_ties]],
        "focus": spot.iri in geo.focus,
    }


def _notes(geo: GeoData, spots: list[Spot], drawable: Collection[str]) -> list[str]:
    """Plain-text notes: what the map cannot draw, and why."""
    notes = []
    if geo.unlocated:
        notes.append(
            f"{geo.unlocated:,} findings name no country and no region: they are on no "
            "country and in no regional list."
        )
    if geo.uncharted:
        names = [geo.data.entity(iri).label for iri in geo.uncharted]
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
        notes.append(
            f"{len(names):,} places the findings name have no coordinates in the graph "
            f"(subdivisions such as {shown}): no marker."
        )
    missing = [s for s in spots if s.kind == "country" and drawable and s.code not in drawable]
    if missing:
        shown = ", ".join(f"{s.label} ({len(s.findings):,})" for s in missing[:8])
        notes.append(
            f"{len(missing):,} countries with findings have no shape on the base map "
            f"(Natural Earth 1:50m): {shown}{', …' if len(missing) > 8 else ''}; the search "
            "box finds them."
        )
    return notes
