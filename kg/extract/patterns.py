"""Organizations and initiatives that no list knows, found by how their names are built
in English, Spanish and French: a head word ("Municipalidad", "Ministry", "Confédération",
"Vicaría", …) followed by the words of the name, and "Long Name (ACRONYM)" pairs.

English and Spanish names capitalize their words ("Ministerio de Trabajo y Previsión
Social"); French ones often do not ("Agence nationale pour l'emploi"), so in French the
name may run over lower-case words until punctuation or a word that starts a clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.extract import wordlists
from kg.extract.textscan import Token, gap

_MAX_TOKENS = 12
#: The file of the words names are built on: ``wordlists/names.toml``.
WORDS_FILE = "names"


@dataclass(frozen=True, slots=True)
class NameWords:
    """The words of ``wordlists/names.toml`` (each described there), folded."""

    heads: dict[str, str]  # head word → the kind of organization its name is
    initiative_heads: frozenset[str]
    connectors: frozenset[str]
    possessive: frozenset[str]
    org_words: frozenset[str]
    and_: frozenset[str]
    articles: frozenset[str]
    fr_stop: frozenset[str]
    not_after_head: frozenset[str]
    listing_heads: frozenset[str]
    joins_nothing: frozenset[str]  # with the bodies
    not_org_tails: frozenset[str]
    last_heads: frozenset[str]
    not_first: frozenset[str]
    generic_modifiers: frozenset[str]
    fr_adjective_endings: tuple[str, ...]
    employers: frozenset[str]
    workers: frozenset[str]
    city: frozenset[str]
    national: frozenset[str]
    civil: frozenset[str]
    employer_bodies: frozenset[str]
    union_heads: frozenset[str]


@cache
def name_words() -> NameWords:
    """The words names are built on, read once from ``wordlists/names.toml``."""

    def listed(table: str, key: str) -> frozenset[str]:
        return wordlists.words(WORDS_FILE, table, key)

    return NameWords(
        heads=wordlists.inverted(WORDS_FILE, "heads"),
        initiative_heads=listed("words", "initiative_heads"),
        connectors=listed("words", "connectors"),
        possessive=listed("words", "possessive"),
        org_words=listed("words", "org_words"),
        and_=listed("words", "and"),
        articles=listed("words", "articles"),
        fr_stop=listed("words", "fr_stop"),
        not_after_head=listed("words", "not_after_head"),
        listing_heads=listed("words", "listing_heads"),
        joins_nothing=listed("words", "joins_nothing") | listed("words", "bodies"),
        not_org_tails=listed("words", "not_org_tails"),
        last_heads=listed("words", "last_heads"),
        not_first=listed("words", "not_first"),
        generic_modifiers=listed("words", "generic_modifiers"),
        fr_adjective_endings=wordlists.phrases(WORDS_FILE, "words", "fr_adjective_endings"),
        employers=listed("kinds", "employers"),
        workers=listed("kinds", "workers"),
        city=listed("kinds", "city"),
        national=listed("kinds", "national"),
        civil=listed("kinds", "civil"),
        employer_bodies=listed("kinds", "employer_bodies"),
        union_heads=listed("kinds", "union_heads"),
    )


_ACRONYM = re.compile(r"\s*\(([A-ZÀ-Ý][A-ZÀ-Ýa-z0-9&-]{1,11})\)")


@dataclass
class Span:
    """Tokens ``first..last`` (inclusive) form a name; ``kind`` an ek: class name."""

    first: int
    last: int
    kind: str


def _joinable(text: str, left: Token, right: Token) -> bool:
    """Two tokens are in one name only when separated by a space, an apostrophe, a hyphen
    or a period of an abbreviation — never a comma, parenthesis, quote or line break."""
    between = gap(text, left, right)
    return between in (" ", "'", "’", "-", " - ")


def extend_name(
    text: str, toks: list[Token], head: int, language: str | None, blocked: set[int]
) -> int:
    """The last token of the name that starts at ``head`` (``head`` if none)."""
    w = name_words()
    last = head
    j = head + 1
    lowercase_ok = language == "fr"
    listing = toks[head].folded in w.listing_heads
    while j < len(toks) and j - head < _MAX_TOKENS + 6 * listing and j not in blocked:
        tok = toks[j]
        if not _joinable(text, toks[j - 1], tok) and not (
            listing and last == j - 1 and _listed(text, toks[j - 1], tok, lowercase_ok)
        ):
            break
        word = tok.folded
        if (
            word in w.and_
            and j + 1 < len(toks)
            and (
                toks[j + 1].folded in w.articles
                or toks[j + 1].all_caps
                or j + 1 in blocked
                or (toks[j + 1].capitalized and toks[j + 1].folded in w.joins_nothing)
            )
        ):
            break  # "Council of Ministers and Parliament": two bodies
        if j == head + 1 and word in w.not_after_head:
            break
        if tok.capitalized or tok.text[:1].isdigit():
            last = j
        elif word in w.connectors or (word == "en" and _capital_not_country(toks, j + 1)):
            pass
        elif (
            lowercase_ok
            and word not in w.fr_stop
            and tok.text.isalpha()
            and (j > head + 1 or word.endswith(w.fr_adjective_endings))
        ):
            last = j
        else:
            break
        j += 1
    return last


def _capital_not_country(toks: list[Token], j: int) -> bool:
    from kg.extract.geo import resolve_country

    return j < len(toks) and toks[j].capitalized and resolve_country(toks[j].text) is None


def _listed(text: str, left: Token, right: Token, lowercase_ok: bool) -> bool:
    """ ", Employment" or ", de la Formation": the next portfolio of a ministry's name."""
    w = name_words()
    if gap(text, left, right) != ", " or right.all_caps:
        return False
    return right.capitalized or (lowercase_ok and right.folded not in w.articles | w.fr_stop)


def extend_left(
    text: str,
    toks: list[Token],
    head: int,
    blocked: set[int],
    *,
    closing: bool = False,
) -> int:
    """English names put words before the head ("Bangladesh Employers' Federation"). A
    name the head ``closing`` it may hold other head words ("Project Advisory
    Committee") and start a sentence; otherwise a capital at a sentence's start says
    nothing."""
    w = name_words()
    first = head
    while first > 0:
        prev = toks[first - 1]
        if (
            first - 1 in blocked
            or not prev.capitalized
            or prev.all_caps
            or prev.folded in w.connectors
            or (prev.folded in w.heads and not closing)
            or not _joinable(text, prev, toks[first])
        ):
            break
        before = text[max(0, prev.start - 2) : prev.start]
        starts = (
            prev.start == 0
            or before.strip()[-1:] in (".", "\n", ":", ";", "!", "?")
            or before.endswith("\n")
        )
        if starts and not closing:
            break
        first -= 1
    return first


def org_kind(head_kind: str, words: list[str]) -> str:
    """Refine the head word's kind with the words of the name."""
    w = name_words()
    bag = set(words)
    if head_kind in ("GovernmentBody", "OtherOrganization") and bag & w.city:
        return "Municipality"
    if head_kind == "TradeUnion":
        if bag & w.employers:
            return "EmployersOrganization"
        if bag & w.workers or words[0] in w.union_heads:
            return "TradeUnion"
        return "OtherOrganization"
    if head_kind == "OtherOrganization":
        if bag & w.civil:
            return "CivilSocietyOrganization"
        if bag & w.employers and bag & w.employer_bodies:
            return "EmployersOrganization"
        if bag & w.national:
            return "GovernmentBody"
    return head_kind


def find_spans(
    text: str, toks: list[Token], language: str | None, blocked: set[int]
) -> tuple[list[Span], list[Span]]:
    """Organization and initiative names built on a head word: ``(orgs, initiatives)``."""
    w = name_words()
    orgs: list[Span] = []
    initiatives: list[Span] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.folded
        if i in blocked or not tok.capitalized or tok.all_caps:
            i += 1
            continue
        is_org, is_init = word in w.heads, word in w.initiative_heads
        if not (is_org or is_init):
            closing = _head_last(text, toks, i, blocked) if language in ("en", None) else None
            if closing is not None:
                orgs.append(closing)
            i += 1
            continue
        last = extend_name(text, toks, i, language, blocked)
        named = [t for t in toks[i + 1 : last + 1] if t.folded not in w.connectors]
        english = language in ("en", None)
        if not named or (not any(t.capitalized for t in named) and language != "fr"):
            closing = _head_last(text, toks, i, blocked) if english else None
            if closing is not None:
                orgs.append(closing)
            i += 1
            continue
        first = extend_left(text, toks, i, blocked) if english and is_org else i
        words = [t.folded for t in toks[first : last + 1]]
        closing_head = _head_of(toks[last].folded) if english and last > i else None
        if is_init and closing_head is not None:  # "Project Advisory Committee": a body
            kind = w.heads.get(closing_head, "OtherOrganization")
            first = extend_left(text, toks, i, blocked)
            words = [t.folded for t in toks[first : last + 1]]
            orgs.append(Span(first, last, org_kind(kind, words)))
        elif is_org and toks[last].folded not in w.not_org_tails:
            orgs.append(Span(first, last, org_kind(w.heads[word], words)))
        elif not is_org:
            initiatives.append(Span(first, last, "Initiative"))
        i = last + 1
    return orgs, initiatives


def _head_of(word: str) -> str | None:
    """The head ``word`` is, singular or plural ("committees"), among the ``last_heads``."""
    w = name_words()
    if word in w.last_heads:
        return word
    single = word[:-1] if word.endswith("s") else ""
    return single if single in w.last_heads else None


def _head_last(text: str, toks: list[Token], head: int, blocked: set[int]) -> Span | None:
    """An English name whose head closes it: capitalized words before the head, joined
    by spaces (a sentence's first word too, unless it is one of ``not_first``)."""
    w = name_words()
    word = _head_of(toks[head].folded)
    if word is None:
        return None
    first = extend_left(text, toks, head, blocked, closing=True)
    while first < head and toks[first].folded in w.not_first:
        first += 1
    if first == head or (first == head - 1 and toks[first].folded in w.generic_modifiers):
        return None
    kind = w.heads.get(word) or w.heads.get(toks[head].folded) or "OtherOrganization"
    return Span(first, head, org_kind(kind, [t.folded for t in toks[first : head + 1]]))


def acronym_after(text: str, end: int) -> tuple[str, int, int] | None:
    """``(ACRONYM, start, end)`` when ``text[end:]`` starts with " (ACRONYM)"."""
    found = _ACRONYM.match(text, end)
    if not found:
        return None
    acronym = found.group(1)
    if sum(1 for c in acronym if c.isupper()) < 2:
        return None
    return acronym, found.start(1), found.end(1)


def initials_span(toks: list[Token], before: int, acronym: str) -> int | None:
    """The first token of a name ending at token ``before`` whose initials spell
    ``acronym`` (connectors may be skipped), else ``None``."""
    w = name_words()
    letters = [c for c in acronym.upper() if c.isalpha()]
    k = len(letters) - 1
    j = before
    while j >= 0 and k >= 0 and before - j < _MAX_TOKENS:
        tok = toks[j]
        initial = tok.text[:1].upper()
        if initial == letters[k]:
            k -= 1
            if k < 0:
                return j if tok.capitalized else None
        elif tok.folded not in w.connectors:
            return None
        j -= 1
    return None
