"""Rules for the ILO's own units: "ILO ROAP", "ILO’s Evaluation Office", "ILO Country
Office in Dhaka", "ILO Multi department", and lists of headquarters units ("colleagues in
Fundamentals, Evaluation, Skills and Research"). Their words are in
``wordlists/recognize.toml`` (``[units]``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.extract import wordlists
from kg.extract.actors import Actor, Match, ilo_unit, ilo_unit_starting
from kg.extract.mention import FieldText
from kg.extract.textscan import Token

ILO = "org/ilo"
#: The kind (ek: class) of the ILO's own offices, departments and programmes.
UNIT = "IloUnit"
#: The file of the recognizer's own words: ``wordlists/recognize.toml``.
WORDS_FILE = "recognize"


@dataclass(frozen=True, slots=True)
class UnitWords:
    """The words of ``[units]`` in ``wordlists/recognize.toml``."""

    heads: frozenset[str]  # last words that, after "ILO", make a name one of its units
    generic: frozenset[str]  # words of a kind of office, not one office (the heads too)


@cache
def unit_words() -> UnitWords:
    """The words of the ILO's units, read once."""
    heads = wordlists.words(WORDS_FILE, "units", "heads")
    return UnitWords(heads, heads | wordlists.words(WORDS_FILE, "units", "generic"))


def unit_method(actor: Actor) -> str:
    """How a unit was found: from a reference list, or by the pattern of its name."""
    return "ReferenceListMethod" if actor.reference else "PatternMethod"


def owned_units(f: FieldText, refs: list[Match], ilo: dict[int, Match]) -> None:
    """ "ILO ROAP", "ILO-IPEC", "ILO’s EVAL": a unit of a reference list just after an ILO
    mention is one mention of the unit, from the ILO on."""
    for match in refs:
        owner = owner_before(f.text, f.toks, match.first, ilo)
        if match.actor.kind == UNIT and owner is not None:
            f.take(owner, match.last, match.actor, match.method)


def unit_lists(f: FieldText, ilo_ends: set[int]) -> None:
    """In a field that names the ILO, a list of capitalized words two or more of which
    are the codes of headquarters units ("colleagues in Fundamentals, Evaluation,
    Skills and Research"), or one in brackets just after the ILO ("ILO Geneva
    (Statistics and …)"): those are the units, and so are the items a unit's name
    starts with."""
    text, toks, covered = f.text, f.toks, f.covered
    i = 0
    while i < len(toks):
        items, j = _list_items(text, toks, i)
        units = [(a, b, ilo_unit(text[toks[a].start : toks[b].end].upper())) for a, b in items]
        known = [(a, b, u) for a, b, u in units if u is not None and not covered & {a, b}]
        bracketed = (
            i > 0
            and text[toks[i - 1].end : toks[i].start] == " ("
            and bool(ilo_ends & {i - 1, i - 2})
        )
        if len(known) >= (1 if bracketed else 2):  # its other items: units by their start
            named = {(a, b) for a, b, _ in known}
            for a, b in items:
                start = ilo_unit_starting(text[toks[a].start : toks[b].end])
                if (a, b) not in named and start is not None and not covered & {a, b}:
                    known.append((a, b, start))
            for a, b, unit in known:
                f.take(a, b, unit, "ReferenceListMethod")
        i = max(j, i) + 1


def _list_items(text: str, toks: list[Token], i: int) -> tuple[list[tuple[int, int]], int]:
    """The items (``(first, last)`` tokens) of the list of capitalized words that starts
    at token ``i``, and the token its last item starts at."""
    items: list[tuple[int, int]] = []
    j = i
    while j < len(toks) and toks[j].capitalized and not toks[j].all_caps:
        end = j + 1 if j + 1 < len(toks) and _glued(text, toks[j], toks[j + 1]) else j
        items.append((j, end))
        k = end + 1
        if k + 1 < len(toks) and toks[k].folded in ("and", "y", "et"):
            k += 1  # ", and X" / " and X": the word is a token of its own
        between = text[toks[end].end : toks[k].start] if k < len(toks) else ""
        if between not in (", ", " and ", ", and ", " y ", " et "):
            break
        j = k
    return items, j


def lower_case_units(f: FieldText, ilo: dict[int, Match]) -> None:
    """ "ILO Multi department": the ILO, a unit's code or first words, a unit word in
    lower case."""
    text, toks = f.text, f.toks
    heads = unit_words().heads
    for start, match in ilo.items():
        first = match.last + 1
        head = first + 1
        if head >= len(toks) or f.covered & {start, first, head}:
            continue
        word, after = toks[first], toks[head]
        if not (word.capitalized and after.text in heads) or not (
            text[toks[match.last].end : word.start] == " " == text[word.end : after.start]
        ):
            continue
        unit = ilo_unit(word.text.upper()) or ilo_unit_starting(word.text)
        if unit is not None:
            f.take(start, head, unit, "ReferenceListMethod")


def _glued(text: str, left: Token, right: Token) -> bool:
    """Two capitalized words of one list item ("Labour Law")."""
    return right.capitalized and not right.all_caps and text[left.end : right.start] == " "


def seat_after(text: str, toks: list[Token], last: int) -> int:
    """The last token of " in Dhaka" / " for Bangladesh" after an office's name (``last``
    when none follows)."""
    j = last + 1
    if not (j + 1 < len(toks) and toks[j].folded in ("in", "for") and toks[j + 1].capitalized):
        return last
    if text[toks[last].end : toks[j + 1].start] != f" {toks[j].text} ":
        return last
    end = j + 1
    while end + 1 < len(toks) and toks[end + 1].capitalized and not toks[end + 1].all_caps:
        if text[toks[end].end : toks[end + 1].start] != " ":
            break
        end += 1
    return end


def owner_before(
    text: str, toks: list[Token], first: int, ilo: dict[int, Match], *, slash: bool = True
) -> int | None:
    """The first token of an ILO mention just before token ``first`` ("ILO ", "ILO-",
    "ILO’s ", and with ``slash`` "ILO/"), else ``None``."""
    joiners = (" ", "-", " - ", "/") if slash else (" ", "-", " - ")
    for start, match in ilo.items():
        end = match.last
        between = text[toks[end].end : toks[first].start] if end < first else None
        if end == first - 1 and between in joiners:
            return int(start)
        if (
            end == first - 2
            and toks[first - 1].text == "s"
            and text[toks[end].end : toks[first - 1].start] in ("’", "'", "¿", "´")
            and text[toks[first - 1].end : toks[first].start] == " "
        ):
            return int(start)
    return None
