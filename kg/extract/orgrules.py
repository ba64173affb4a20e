"""Rules for organizations that no list knows: the country a new actor belongs to, a name
that is part of a known one, and a government named by its initials ("GoB")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kg.extract.gazetteer import find_places
from kg.extract.geo import resolve_country
from kg.extract.patterns import name_words
from kg.extract.placerules import place_words
from kg.extract.textscan import Token, tokens

#: "GoB", "GoN", "GoSL": the government of a country, by the country's initials.
GOVERNMENT = re.compile(r"Go[A-Z]{1,3}")


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """The short English name of a country ("Bangladesh", "Sri Lanka", "Viet Nam")."""
    import pycountry

    country: Any = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name).split(",")[0]


@lru_cache(maxsize=512)
def initials(code: str) -> str:
    """The capitals a government's acronym takes from its country: B, SL, TL, RM."""
    words = re.findall(r"[A-Za-z]+", country_name(code).replace("-", " "))
    return "".join(w[0].upper() for w in words if w[0].isupper())


def sentence_countries(
    text: str, toks: list[Token], at: int, in_text: list[tuple[int, int, str]], countries: list[str]
) -> list[str]:
    """The record's ``countries`` that the sentence of token ``at`` names ("… and with the
    Ministry of Labour … in Lebanon"): the nearest after the token first, then before."""
    start = max(text.rfind(". ", 0, toks[at].start), text.rfind("\n", 0, toks[at].start))
    end = min(
        (k for k in (text.find(". ", toks[at].end), text.find("\n", toks[at].end)) if k >= 0),
        default=len(text),
    )
    here = toks[at].start
    after = sorted((toks[f].start - here, c) for f, _, c in in_text if here < toks[f].start < end)
    before = sorted(
        (here - toks[f].start, c) for f, _, c in in_text if start < toks[f].start < here
    )
    found = [code for _, code in after + before]  # the nearest after it, then before it
    return [code for code in dict.fromkeys(found) if code in countries]


def city_country(name: str, countries: list[str]) -> str | None:
    """The country, of ``countries``, of the place a municipality's name names
    ("Municipalidad de Lima": Peru, in a record about Colombia, Ecuador and Peru)."""
    toks = tokens(name)
    found = find_places(toks, list(dict.fromkeys(countries)))
    return found[0].place.country if found and found[0].place.country in countries else None


def strip_country(name: str) -> str:
    """ "Municipalidad de Santiago de Chile" → "Municipalidad de Santiago"."""
    head, sep, tail = name.rpartition(" de ")
    generic = head.rsplit(" ", 1)[-1].lower() in place_words().generic
    if sep and head.count(" ") >= 1 and not generic and resolve_country(tail) is not None:
        return head
    return name


@lru_cache(maxsize=65536)
def home_country(name: str) -> str | None:
    """The country a national actor's name says it belongs to, if any."""
    for tok in tokens(name):
        country = resolve_country(tok.text)
        if country is not None and len(tok.text) > 3:
            return country.alpha_3
    return None


def part_of_known(text: str, toks: list[Token], first: int, last: int, hard: set[int]) -> bool:
    """A unit of a known organization: "ILO Country Office", "Oficina de País de la OIT"
    (not a name after a known one and a comma: "(MOLES), Ministry of Education")."""
    if first - 1 in hard and text[toks[first - 1].end : toks[first].start] in (" ", "-", "/"):
        return True
    j = last + 1
    if j < len(toks) and text[toks[last].end : toks[j].start] != " ":
        return False  # "Ministry of Labour, the Council for …": not "… of the …"
    possessive = name_words().possessive
    while j < len(toks) and toks[j].folded in possessive:
        j += 1
    return j > last + 1 and j in hard
