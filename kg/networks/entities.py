"""The entities a network's nodes stand for: their label, other names, type and
organization kind, read from the names and classes ``queries/network/labels.rq`` gives.

>>> make_entity("https://w3id.org/evalkg/id/org/ilo", {(0, 0, "ILO")}, set()).type
'organization'
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from kg.extract.actors import KINDS
from kg.extract.textscan import name_key
from kg.vocab import DCT, EK, GEO, SKOS

#: Node types a network can hold.
NODE_TYPES = (
    "organization",
    "country",
    "place",
    "region",
    "evaluation",
    "lesson",
    "practice",
    "recommendation",
    "theme",
    "category",
    "initiative",
)
#: Organization kinds (subclasses of ek:Organization), as node ``kind``.
ORGANIZATION_KINDS = KINDS

_CLASSES: dict[str, tuple[str, str | None]] = {
    **{EK + name.capitalize(): (name, None) for name in NODE_TYPES},
    **{EK + kind: ("organization", kind) for kind in ORGANIZATION_KINDS},  # IloUnit too
}
NUMBER_RANK = 6  # an evaluation's number: a name of the evaluation, and its number
#: Which names make the label: lower rank first (then language, then text).
PROPERTY_RANK = {
    SKOS + "prefLabel": 0,
    DCT + "title": 1,
    SKOS + "altLabel": 2,
    EK + "acronym": 3,
    EK + "iso3166Alpha3": 4,
    EK + "iso3166Alpha2": 5,
    EK + "evalNumber": NUMBER_RANK,
}
LANGUAGE_RANK = {"en": 0, "": 1, "es": 2, "fr": 3}
_IRI_SEGMENT = {"org": "organization", "unit": "organization", **{n: n for n in NODE_TYPES}}


@dataclass(frozen=True)
class Entity:
    """What a node shows: its label, other names, type and organization kind."""

    label: str
    aliases: list[str]
    type: str
    kind: str | None = None
    number: str | None = None  # an evaluation's or a finding's

    @cached_property
    def folded(self) -> frozenset[str]:
        """Folded names (case, accents and punctuation ignored), for lookups."""
        return frozenset(name_key(name) for name in (self.label, *self.aliases)) - {""}


def make_entity(iri: str, ranked: set[tuple[int, int, str]], classes: set[str]) -> Entity:
    """The entity ``iri`` from its names ``(property rank, language rank, text)`` and
    its classes (an organization's kind first; a concept both a sub-topic and a broad
    theme is a theme); without a known class, the type its IRI's segment names."""
    typed = sorted(
        (_CLASSES[c][1] is None, NODE_TYPES.index(_CLASSES[c][0]), _CLASSES[c])
        for c in classes
        if c in _CLASSES
    )
    if typed:
        node_type, kind = typed[0][2]
    else:
        segment = iri.rstrip("/").rsplit("/", 2)[-2] if iri.count("/") >= 2 else ""
        node_type, kind = _IRI_SEGMENT.get(segment, "organization"), None
    ordered = [text for _, _, text in sorted(ranked)]
    label = ordered[0] if ordered else iri.rstrip("/#").rsplit("/", 1)[-1]
    aliases = [name for name in dict.fromkeys(ordered) if name != label]
    number = min((text for rank, _, text in ranked if rank == NUMBER_RANK), default=None)
    return Entity(label, aliases, node_type, kind, number)


def finding(iri: str, title: str) -> Entity:
    """A lesson, good practice or recommendation (by the segment of its IRI), named by
    its title; its number (the IRI's last segment, when digits) is an alias.

    >>> finding("https://w3id.org/evalkg/id/practice/123", "Train trainers")
    Entity(label='Train trainers', aliases=['123'], type='practice', kind=None, number='123')
    """
    segment, last = iri.rstrip("/").rsplit("/", 2)[-2:]
    kind = segment if segment in ("practice", "recommendation") else "lesson"
    number = last if last.isdigit() else None
    return Entity(title, [number] if number else [], kind, None, number)


class Location(NamedTuple):
    """Where an organization or a place is: its countries' IRIs, its coordinates."""

    countries: tuple[str, ...]
    coordinates: tuple[float, float] | None


def locations(found: Iterable[tuple[str, str, str]]) -> dict[str, Location]:
    """Entity IRI → its location, from ``(entity, property, value)`` rows of
    ``queries/network/locations.rq`` (an organization's ek:country, a place's
    ek:inCountry, geo:lat and geo:long)."""
    countries: dict[str, set[str]] = defaultdict(set)
    coordinates: dict[str, dict[str, float]] = defaultdict(dict)
    for entity, prop, value in found:
        if prop in (EK + "country", EK + "inCountry"):
            countries[entity].add(value)
        elif prop in (GEO + "lat", GEO + "long"):
            coordinates[entity][prop[len(GEO) :]] = float(value)
    return {
        iri: Location(
            tuple(sorted(countries.get(iri, ()))),
            (at["lat"], at["long"]) if len(at := coordinates.get(iri, {})) == 2 else None,
        )
        for iri in set(countries) | set(coordinates)
    }


def close_names(value: str, entities: dict[str, Entity], n: int = 5) -> str:
    """``" (close: A, B)"`` naming entities whose names resemble ``value``, else ``""``."""
    by_key: dict[str, str] = {}
    for e in entities.values():
        for name in (e.label, *e.aliases):
            by_key.setdefault(name_key(name), e.label)
    key = name_key(value)
    keys = [k for k in by_key if key and len(key) >= 3 and key in k]
    keys += difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6)
    labels = list(dict.fromkeys(by_key[k] for k in keys))[:n]
    return f" (close: {', '.join(labels)})" if labels else ""
