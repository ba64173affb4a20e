"""Rules for places: the gazetteer's places and the countries a field's text names, but
not a place word that is part of another name ("Federación Argentina"). Their words are in
``wordlists/places.toml`` (``[recognize]``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.extract import wordlists
from kg.extract.gazetteer import Place, PlaceMatch, find_places
from kg.extract.mention import FieldText
from kg.extract.patterns import name_words
from kg.extract.textscan import Token

#: The file of the names of places and countries: ``wordlists/places.toml``.
WORDS_FILE = "places"


@dataclass(frozen=True, slots=True)
class PlaceWords:
    """The words of ``[recognize]`` in ``wordlists/places.toml``."""

    admin: frozenset[str]  # words that may follow a place's name ("Region", "District")
    generic: frozenset[str]  # "Ciudad", "Estado"…: as written, lower case, accents kept


@cache
def place_words() -> PlaceWords:
    """The words of places, read once."""
    return PlaceWords(
        wordlists.words(WORDS_FILE, "recognize", "admin"),
        wordlists.words(WORDS_FILE, "recognize", "generic"),
    )


def place_mentions(f: FieldText) -> None:
    """The places of the gazetteer the field names (with an administrative word after
    one: "Cusco Region"), then the countries it names that no place mention holds."""
    toks = f.toks
    admin = place_words().admin
    for place in find_places(toks, f.countries):
        if inside_name(f.text, toks, place):
            continue
        last = place.last
        if last + 1 < len(toks) and toks[last + 1].folded in admin:
            last += 1
        f.add(place.first, last, place.place, "GazetteerMethod")
    for first, last, code in f.in_text:
        start, end = toks[first].start, toks[last].end
        if not any(
            start >= m.start and end <= m.end for m in f.mentions if isinstance(m.entity, Place)
        ):
            f.add(first, last, code, "GazetteerMethod")


def inside_name(text: str, toks: list[Token], place: PlaceMatch) -> bool:
    """A place word that begins or continues another name: "Federación Argentina",
    "La Unión Europea"."""
    words = name_words()
    first, last = toks[place.first], place.last
    if first.folded in words.heads or first.folded in words.initiative_heads:
        return True
    if last + 1 < len(toks):
        after = toks[last + 1]
        joined = text[toks[last].end : after.start] == " "
        return (
            joined
            and after.capitalized
            and not after.all_caps
            and (after.folded not in place_words().admin and after.folded not in words.heads)
        )
    return False
