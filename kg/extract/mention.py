"""What the recognizer finds: mentions of entities in a field's text, and the field it
works through (its tokens, the mentions found so far, the tokens they cover)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.actors import Actor
from kg.extract.gazetteer import Place
from kg.extract.textscan import Token


@dataclass(frozen=True, slots=True)
class Initiative:
    """A programme, project or plan a text names (no list knows them)."""

    key: str
    label: str


#: What a mention names: an organization or ILO unit, a place, an initiative, or a
#: country (its ISO alpha-3 code).
Entity = Actor | Place | Initiative | str


@dataclass
class Mention:
    """Text ``field[start:end]`` names ``entity`` (an Actor, Place, Initiative or an
    ISO alpha-3 country code), found by ``method``."""

    field: str
    start: int
    end: int
    text: str
    method: str
    entity: Entity


@dataclass
class Recognition:
    """What one record names, and how its initiatives relate to actors and places."""

    mentions: list[Mention] = field(default_factory=list)
    run_by: set[tuple[str, str]] = field(default_factory=set)
    located_in: set[tuple[str, str]] = field(default_factory=set)
    audience: set[str] = field(default_factory=set)


@dataclass(slots=True)
class FieldText:
    """One field of a record as the rules go through it: ``countries`` are the record's
    and those its text names (``in_text``: ``(first, last, code)`` of each such
    country's tokens); ``covered`` the tokens the mentions found so far take."""

    name: str
    text: str
    language: str | None
    toks: list[Token]
    countries: list[str]
    in_text: list[tuple[int, int, str]]
    mentions: list[Mention] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)

    def add(self, first: int, last: int, entity: Entity, method: str) -> None:
        """A mention of ``entity`` by tokens ``first..last`` (it does not cover them)."""
        start, end = self.toks[first].start, self.toks[last].end
        self.mentions.append(Mention(self.name, start, end, self.text[start:end], method, entity))

    def take(self, first: int, last: int, entity: Entity, method: str) -> None:
        """A mention of ``entity`` by tokens ``first..last``, which it covers."""
        self.add(first, last, entity, method)
        self.covered.update(range(first, last + 1))


def entity_key(entity: Entity) -> str:
    """The IRI of an entity below the base: ``org/ilo``, ``country/CHL``…"""
    return f"country/{entity}" if isinstance(entity, str) else entity.key
