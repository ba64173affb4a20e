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

from kg.extract.textscan import name_key
from kg.resources import ontology_file

SKOS = "http://www.w3.org/2004/02/skos/core#"

# Spellings of the ILO's reports that pycountry's names and translations do not carry.
# Keys are name keys (see ``kg.extract.textscan.name_key``).
_COUNTRY_ALIASES = {
    "bolivia plurinational state of": "BOL",
    "congo democratic republic of the": "COD",
    "democratic republic of the congo": "COD",
    "republica democratica del congo": "COD",
    "republique democratique du congo": "COD",
    "iran islamic republic of": "IRN",
    "lao people s democratic republic": "LAO",
    "laos": "LAO",
    "moldova republic of": "MDA",
    "occupied palestinian territory": "PSE",
    "palestine": "PSE",
    "territoire palestinien occupe": "PSE",
    "territorio palestino ocupado": "PSE",
    "russia": "RUS",
    "south korea": "KOR",
    "republic of korea": "KOR",
    "republica de corea": "KOR",
    "republique de coree": "KOR",
    "korea republic of": "KOR",
    "syria": "SYR",
    "tanzania": "TZA",
    "tanzania united republic of": "TZA",
    "turkey": "TUR",
    "turquia": "TUR",
    "turquie": "TUR",
    "vietnam": "VNM",
    "venezuela bolivarian republic of": "VEN",
    "cote d ivoire": "CIV",
    "ivory coast": "CIV",
    "swaziland": "SWZ",
    "cape verde": "CPV",
    "east timor": "TLS",
    "timor leste": "TLS",
    "turkiye": "TUR",
    "burma": "MMR",
    "macedonia": "MKD",
    "the former yugoslav republic of macedonia": "MKD",
}

# Location values that are not countries: folded value -> ek: scope individual.
_SCOPES = {
    "global": "GlobalScope",
    "mundial": "GlobalScope",
    "monde": "GlobalScope",
    "worldwide": "GlobalScope",
    "inter regional": "InterRegionalScope",
    "interregional": "InterRegionalScope",
    "interregionale": "InterRegionalScope",
    "multi country": "InterRegionalScope",
    "regional": "RegionalScope",
    "regionale": "RegionalScope",
}


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
    for alias, code in _COUNTRY_ALIASES.items():
        index.setdefault(alias, by_code[code])
    return index


@lru_cache(maxsize=4096)
def resolve_country(value: str) -> Country | None:
    """The country a location value names (any of its English, Spanish or French names,
    official or common, or its alpha-3 code), or ``None`` when it is not a country."""
    key = name_key(value)
    if key in _SCOPES or regional_scope(value) is not None:
        return None
    return _countries().get(key)


def scope_of(value: str) -> str | None:
    """The ek: scope of a non-country location value (``Global``, ``Inter-Regional``)."""
    key = name_key(value)
    if key in _SCOPES:
        return _SCOPES[key]
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
