"""Countries (ISO 3166-1 via pycountry, names in English, Spanish and French) and the
ILO's regions (``ontology/regions.ttl``).

>>> resolve_country("México").alpha_3, resolve_country("Côte d'Ivoire").alpha_3
('MEX', 'CIV')
>>> resolve_country("Inter-Regional") is None
True
>>> scope_of("Inter-Regional"), scope_of("Global"), scope_of("Chile")
('InterRegionalScope', 'GlobalScope', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.errors import DataError
from kg.extract import wordlists
from kg.extract.textscan import name_key
from kg.resources import ontology_file

SKOS = "http://www.w3.org/2004/02/skos/core#"

#: The file of the names of places and countries: ``wordlists/places.toml``.
WORDS_FILE = "places"


@lru_cache(maxsize=1)
def _scopes() -> dict[str, str]:
    """Name key of a location value that is not a country → its ek: scope individual."""
    return wordlists.inverted(WORDS_FILE, "scopes")


@dataclass(frozen=True, slots=True)
class Country:
    """An ISO 3166-1 country with its names in English, Spanish and French."""

    alpha_3: str
    alpha_2: str
    numeric: str
    names: tuple[tuple[str, str], ...]  # (language, name)


def all_countries() -> list[Country]:
    """Every ISO 3166-1 country, by alpha-3 code."""
    return sorted({c.alpha_3: c for c in _countries().values()}.values(), key=lambda c: c.alpha_3)


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    """Folded name → country, from pycountry's names, official and common names and
    their Spanish and French translations (pycountry's gettext catalogues)."""
    import gettext

    import pycountry

    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("es", "fr")
    }
    index: dict[str, Country] = {}
    by_code: dict[str, Country] = {}
    for entry in pycountry.countries:
        official = getattr(entry, "official_name", None)
        names = [("en", getattr(entry, "common_name", None) or entry.name)]
        names += [(lang, tr.gettext(entry.name)) for lang, tr in translations.items()]
        country = Country(entry.alpha_3, entry.alpha_2, entry.numeric, tuple(names))
        by_code[entry.alpha_3] = country
        spellings = {entry.name, entry.alpha_3, *(name for _, name in names)}
        if official:
            spellings.add(official)
            spellings.update(tr.gettext(official) for tr in translations.values())
        for spelling in spellings:
            index.setdefault(name_key(spelling), country)
    for alias, code in wordlists.inverted(WORDS_FILE, "country_aliases").items():
        if code not in by_code:
            message = "[country_aliases] names no ISO 3166-1 alpha-3 code"
            raise DataError(message, path=wordlists.word_file(WORDS_FILE), value=code)
        index.setdefault(alias, by_code[code])
    return index


@lru_cache(maxsize=4096)
def resolve_country(value: str) -> Country | None:
    """The country a location value names (any of its English, Spanish or French names,
    official or common, or its alpha-3 code), or ``None`` when it is not a country."""
    key = name_key(value)
    if key in _scopes() or regional_scope(value) is not None:
        return None
    return _countries().get(key)


def scope_of(value: str) -> str | None:
    """The ek: scope of a non-country location value (``Global``, ``Inter-Regional``)."""
    scope = _scopes().get(name_key(value))
    if scope is not None:
        return scope
    if region_slug(value) is not None or regional_scope(value) is not None:
        return "RegionalScope"
    return None


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    """Folded label or alias → slug of the ILO region (from ``ontology/regions.ttl``)."""
    import pyoxigraph as ox

    quads = ox.parse(path=ontology_file("regions.ttl"), base_iri="http://regions.invalid/")
    index: dict[str, str] = {}
    for quad in quads:
        if quad.predicate.value in (SKOS + "prefLabel", SKOS + "altLabel"):
            index[name_key(quad.object.value)] = quad.subject.value.rsplit("/", 1)[1]
    return index


_EK = "https://w3id.org/evalkg/ontology#"
# "Africa - regional", "Asia and the Pacific – Regional", "Regional - Americas".
_REGIONAL = re.compile(
    r"\s*(?:(?P<a>.+?)\s*[-–—(]\s*(?:regional|r[ée]gional|regionale)\)?|"
    r"(?:regional|r[ée]gional)\s*[-–—:]\s*(?P<b>.+?))\s*",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _members() -> dict[str, str]:
    """Alpha-3 code → slug of the ILO region (``ek:hasCountry`` of ``ontology/regions.ttl``)."""
    import pyoxigraph as ox

    quads = ox.parse(path=ontology_file("regions.ttl"), base_iri="http://regions.invalid/")
    return {
        q.object.value.rsplit("/", 1)[1]: q.subject.value.rsplit("/", 1)[1]
        for q in quads
        if q.predicate.value == _EK + "hasCountry"
    }


def ilo_region(alpha_3: str) -> str | None:
    """The slug of the ILO region a country belongs to, if ``ontology/regions.ttl`` says.

    >>> ilo_region("CHL"), ilo_region("VUT"), ilo_region("ATA")
    ('americas', 'asia-and-the-pacific', None)
    """
    return _members().get(alpha_3)


def regional_scope(value: str) -> str | None:
    """The slug of the ILO region whose regional scope ``value`` names
    (``Africa - regional``), else ``None``: such a value is never a country.

    >>> regional_scope("Asia and the Pacific - regional"), regional_scope("Chile")
    ('asia-and-the-pacific', None)
    """
    found = _REGIONAL.fullmatch(value)
    if found is None:
        return None
    return region_slug(found.group("a") or found.group("b"))


def region_slug(value: str) -> str | None:
    """The slug of the ILO region ``value`` names in any of its spellings, else ``None``.

    >>> region_slug("Asia y el Pacífico"), region_slug("Atlantis")
    ('asia-and-the-pacific', None)
    """
    return _regions().get(name_key(value))
