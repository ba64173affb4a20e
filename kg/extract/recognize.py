"""Recognize the organizations, places, countries and initiatives a record's text names.

What a record names depends on the record alone (and the reference data): an acronym
learnt from a "Long Name (ACRONYM)" pair resolves the bare acronym elsewhere in the same
record, not in other records. So records can be recognized in any order, in parallel, and
a rebuilt record gets the links it got the first time.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kg.extract.actors import Actor, Lexicon, copy_lexicon, pick, reference_lexicon
from kg.extract.gazetteer import Place, find_countries, find_places
from kg.extract.geo import resolve_country
from kg.extract.patterns import (
    INITIATIVE_HEADS,
    ORG_HEADS,
    ORG_WORDS,
    POSSESSIVE,
    acronym_after,
    find_spans,
    initials_span,
)
from kg.extract.textscan import Token, tokens
from kg.iris import slug

_CLAUSE = re.compile(r"[.;!?\n]\s")
_RUN_BY = re.compile(
    r"implementad[oa]s? por|ejecutad[oa]s? por|gestionad[oa]s? por|a cargo de|liderad[oa]s? "
    r"por|inaugur|lanz[oó]|implemented by|run by|led by|managed by|operated by|launched|"
    r"opened|mis en [œo]euvre par|g[ée]r[ée]e?s? par|pilot[ée]e?s? par|men[ée]e?s? par|"
    r"port[ée]e?s? par|lanc[ée]|ouvert",
    re.IGNORECASE,
)
_ADMIN_WORDS = frozenset(
    [
        "province",
        "provincia",
        "region",
        "oblast",
        "department",
        "departamento",
        "district",
        "distrito",
        "governorate",
        "state",
        "county",
        "prefecture",
        "municipality",
    ]
)
_GENERIC_PLACE_WORDS = frozenset(
    [
        "ciudad",
        "city",
        "ville",
        "estado",
        "state",
        "provincia",
        "province",
        "república",
        "republica",
        "république",
    ]
)
_QUOTED = re.compile(r"[“«\"]\s*([A-ZÁÉÍÓÚÑÀÂÇÈÊÎÔÛ][^“”«»\"\n]{2,80}?)\s*[”»\"]")


@dataclass(frozen=True, slots=True)
class Initiative:
    key: str
    label: str


@dataclass
class Mention:
    """Text ``field[start:end]`` names ``entity`` (an Actor, Place, Initiative or an
    ISO alpha-3 country code), found by ``method``."""

    field: str
    start: int
    end: int
    text: str
    method: str
    entity: Actor | Place | Initiative | str


@dataclass
class Recognition:
    """What one record names, and how its initiatives relate to actors and places."""

    mentions: list[Mention] = field(default_factory=list)
    run_by: set[tuple[str, str]] = field(default_factory=set)
    located_in: set[tuple[str, str]] = field(default_factory=set)
    audience: set[str] = field(default_factory=set)


class Recognizer:
    """Finds entities in the text of one record at a time."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = copy_lexicon(lexicon or reference_lexicon())
        self.learned: dict[str, list[Actor]] = {}
        self._home: str | None = None
        self._own: list[str] = []
        self.found: dict[str, Actor] = {}

    def recognize(
        self, fields: Iterable[tuple[str, str, str | None]], countries: Iterable[str]
    ) -> Recognition:
        """``fields`` are ``(name, text, language)``; ``countries`` the record's ISO
        alpha-3 codes (countries named in the text are added)."""
        result = Recognition()
        countries = list(countries)
        self.learned, self.found = {}, {}
        texts = []
        for name, text, language in fields:
            toks = tokens(text)
            texts.append((name, text, language, toks, find_countries(toks)))
        # ordered: the record's own countries first, then those its text names
        wanted = dict.fromkeys(countries)
        for *_, in_text in texts:
            wanted.update(dict.fromkeys(sorted(code for _, _, code in in_text)))
        self._home = next(iter(wanted), None)
        self._own = list(dict.fromkeys(countries))  # the record's own, not those of its text
        for name, text, language, toks, in_text in texts:
            self._field(result, name, text, language, toks, list(wanted), in_text)
        return result

    def _field(
        self,
        result: Recognition,
        name: str,
        text: str,
        language: str | None,
        toks: list[Token],
        countries: list[str],
        in_text: list[tuple[int, int, str]],
    ) -> None:
        mentions: list[Mention] = []

        def add(
            first: int, last: int, entity: Actor | Place | Initiative | str, method: str
        ) -> None:
            start, end = toks[first].start, toks[last].end
            mentions.append(Mention(name, start, end, text[start:end], method, entity))

        refs = self.lexicon.find(toks, countries, text)
        hard = {
            k
            for m in refs
            if m.first != m.last or toks[m.first].all_caps
            for k in range(m.first, m.last + 1)
        }
        org_spans, init_spans = find_spans(text, toks, language, hard)
        covered: set[int] = set()
        ilo = {m.first: m for m in refs if m.actor.key == ILO}
        for match in refs:  # "ILO ROAP", "ILO-IPEC", "ILO’s EVAL": one mention of the unit
            owner = _owner_before(text, toks, match.first, ilo)
            if match.actor.kind == UNIT and owner is not None:
                add(owner, match.last, match.actor, match.method)
                covered.update(range(owner, match.last + 1))
        _lower_case_units(text, toks, covered, add, ilo)
        for span in org_spans:
            if any(k in covered for k in range(span.first, span.last + 1)):
                continue
            owner = _owner_before(text, toks, span.first, ilo, slash=False)  # not "ILO/Lab"
            words = {t.folded for t in toks[span.first : span.last + 1]}
            last = span.last
            if owner is not None and toks[last].folded in _UNIT_HEADS and not words - _GENERIC:
                last = _seat_after(text, toks, last)  # "ILO Country Office in Dhaka"
            if owner is not None and toks[span.last].folded in _UNIT_HEADS and last > span.last:
                words.add(toks[last].folded)
            if owner is not None and toks[span.last].folded in _UNIT_HEADS and words - _GENERIC:
                unit = self._unit_for(text, toks, span.first, last)
                add(owner, last, unit, unit_method(unit))
                covered.update(range(owner, last + 1))
                self._learn_pair(text, toks, last, unit)
                continue
            if _part_of_known(text, toks, span.first, span.last, hard):
                continue
            pair = acronym_after(text, toks[span.last].end)
            # of the record's countries, the one its sentence names first, if any
            near = _sentence_countries(text, toks, span.first, in_text, self._own)
            candidates = self.lexicon.acronyms.get(pair[0], ()) if pair else ()
            named = pick(candidates, near) or pick(candidates, countries) if pair else None
            actor = named or self._actor_for(
                text, toks, span.first, span.last, span.kind, near + countries
            )
            add(
                span.first,
                span.last,
                actor,
                "PatternMethod" if not actor.reference else "ReferenceListMethod",
            )
            covered.update(range(span.first, span.last + 1))
            self._learn_pair(text, toks, span.last, actor)
        for match in refs:
            if match.first in covered:
                continue
            add(match.first, match.last, match.actor, match.method)
            covered.update(range(match.first, match.last + 1))
            self._learn_pair(text, toks, match.last, match.actor)
        self._pairs_without_head(text, toks, covered, countries, add)
        self._bare_acronyms(toks, covered, countries, add)
        self._governments(text, toks, covered, countries, add)
        if ilo:
            _unit_lists(text, toks, covered, add, {m.last for m in ilo.values()})
        for place in find_places(toks, countries):
            if _inside_name(text, toks, place):
                continue
            last = place.last
            if last + 1 < len(toks) and toks[last + 1].folded in _ADMIN_WORDS:
                last += 1
            add(place.first, last, place.place, "GazetteerMethod")
        for first, last, code in in_text:
            start, end = toks[first].start, toks[last].end
            if not any(
                start >= m.start and end <= m.end for m in mentions if isinstance(m.entity, Place)
            ):
                add(first, last, code, "GazetteerMethod")
        for span in init_spans:
            label = text[toks[span.first].start : toks[span.last].end]
            add(
                span.first,
                span.last,
                Initiative("initiative/" + slug(label), label),
                "PatternMethod",
            )
        for quoted in _QUOTED.finditer(text):
            label = quoted.group(1).strip()
            start = quoted.start(1)
            if not any(m.start <= start < m.end for m in mentions):
                entity = Initiative("initiative/" + slug(label), label)
                mentions.append(
                    Mention(name, start, start + len(label), label, "PatternMethod", entity)
                )
        mentions.sort(key=lambda m: (m.start, m.end))
        result.mentions.extend(mentions)
        if name == "comments":
            result.audience.update(m.entity.key for m in mentions if isinstance(m.entity, Actor))
        _link_initiatives(result, text, mentions)

    def _actor_for(
        self, text: str, toks: list[Token], first: int, last: int, kind: str, countries: list[str]
    ) -> Actor:
        """The actor a pattern-found name denotes: a known one, else a new one, of the
        country its name says, else of the first of ``countries`` (the sentence's, then
        the record's)."""
        name = text[toks[first].start : toks[last].end]
        known = pick(self.lexicon.lookup_name(name), countries)
        if known is not None:
            return known
        name = _strip_country(name) if kind == "Municipality" else name
        home = _home_country(name) or (kind == "Municipality" and _city_country(name, countries))
        home = home or (countries[0] if countries else self._home)
        key = "org/" + slug(name) + (f"-{home.lower()}" if home else "")
        return self.found.setdefault(key, Actor(key, name, kind, home, reference=False))

    def _unit_for(self, text: str, toks: list[Token], first: int, last: int) -> Actor:
        """The ILO unit "ILO’s Evaluation Office" names: a known one, else a new unit of
        the ILO (never an organization of its own)."""
        name = text[toks[first].start : toks[last].end]
        known = [a for a in self.lexicon.lookup_name(name) if a.kind == UNIT]
        known += [a for a in self.lexicon.lookup_name("ILO " + name) if a.kind == UNIT]
        if known:
            return known[0]
        key = "unit/" + slug(name)
        return self.found.setdefault(key, Actor(key, "ILO " + name, UNIT, None, reference=False))

    def _learn_pair(self, text: str, toks: list[Token], last: int, actor: Actor) -> None:
        pair = acronym_after(text, toks[last].end)
        if pair is None:
            return
        bucket = self.learned.setdefault(pair[0], [])
        if all(a.key != actor.key for a in bucket):
            bucket.append(actor)

    def _pairs_without_head(
        self, text: str, toks: list[Token], covered: set[int], countries: list[str], add: Any
    ) -> None:
        """ "Long Name (ACR)" where the long name has no head word: initials decide."""
        for i, tok in enumerate(toks[:-1]):
            if i in covered:
                continue
            pair = acronym_after(text, tok.end)
            if pair is None or pair[0] in self.lexicon.acronyms:
                continue
            first = initials_span(toks, i, pair[0])
            if first is None or any(k in covered for k in range(first, i + 1)):
                continue
            words = {t.folded for t in toks[first : i + 1]}
            if not words & ORG_WORDS or toks[first].folded in INITIATIVE_HEADS:
                continue
            actor = self._actor_for(text, toks, first, i, "OtherOrganization", countries)
            add(first, i, actor, "PatternMethod")
            covered.update(range(first, i + 1))
            self._learn_pair(text, toks, i, actor)

    def _bare_acronyms(
        self, toks: list[Token], covered: set[int], countries: list[str], add: Any
    ) -> None:
        for i, tok in enumerate(toks):
            if i in covered or not tok.all_caps:
                continue
            actor = pick(self.learned.get(tok.text, ()), countries)
            if actor is not None:
                add(i, i, actor, "AcronymMethod")
                covered.add(i)

    def _governments(
        self, text: str, toks: list[Token], covered: set[int], countries: list[str], add: Any
    ) -> None:
        """ "GoB", "GoN", "GoSL": the government of the record's country whose name has
        those initials, the actor "Government of Bangladesh" would be."""
        for i, tok in enumerate(toks):
            if i in covered or not _GOVERNMENT.fullmatch(tok.text):
                continue
            country = next((c for c in countries if _initials(c) == tok.text[2:]), None)
            if country is None:
                continue
            name = f"Government of {_country_name(country)}"
            key = "org/" + slug(name) + f"-{country.lower()}"
            actor = self.found.setdefault(key, Actor(key, name, "GovernmentBody", country, False))
            add(i, i, actor, "AcronymMethod")
            covered.add(i)


_GOVERNMENT = re.compile(r"Go[A-Z]{1,3}")


@lru_cache(maxsize=512)
def _country_name(code: str) -> str:
    """The short English name of a country ("Bangladesh", "Sri Lanka", "Viet Nam")."""
    import pycountry

    country: Any = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name).split(",")[0]


@lru_cache(maxsize=512)
def _initials(code: str) -> str:
    """The capitals a government's acronym takes from its country: B, SL, TL, RM."""
    words = re.findall(r"[A-Za-z]+", _country_name(code).replace("-", " "))
    return "".join(w[0].upper() for w in words if w[0].isupper())


ILO = "org/ilo"
#: The kind (ek: class) of the ILO's own offices, departments and programmes.
UNIT = "IloUnit"
#: Last words of a name that, after "ILO" or "ILO’s", make it one of the ILO's units.
_UNIT_HEADS = frozenset(
    (
        *("department", "departments", "branch", "unit", "office", "offices", "bureau"),
        *("service", "section", "division", "team", "teams", "programme", "secretariat"),
    )
)


#: Words that name a kind of ILO office, not one office: "ILO Country Office", "the ILO
#: project team" are the ILO.
_GENERIC = _UNIT_HEADS | frozenset(
    (
        *("country", "regional", "subregional", "sub", "field", "project", "national"),
        *("local", "liaison", "technical", "the", "its", "headquarters", "hq"),
    )
)


def _sentence_countries(
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


def _unit_lists(
    text: str, toks: list[Token], covered: set[int], add: Any, ilo_ends: set[int]
) -> None:
    """In a field that names the ILO, a list of capitalized words two or more of which
    are the codes of headquarters units ("colleagues in Fundamentals, Evaluation,
    Skills and Research"), or one in brackets just after the ILO ("ILO Geneva
    (Statistics and …)"): those are the units, and so are the items a unit's name
    starts with."""
    from kg.extract.actors import ilo_unit, ilo_unit_starting

    i = 0
    while i < len(toks):
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
                add(a, b, unit, "ReferenceListMethod")
                covered.update(range(a, b + 1))
        i = max(j, i) + 1


def _lower_case_units(
    text: str, toks: list[Token], covered: set[int], add: Any, ilo: dict[int, Any]
) -> None:
    """ "ILO Multi department": the ILO, a unit's code or first words, a unit word in
    lower case."""
    from kg.extract.actors import ilo_unit, ilo_unit_starting

    for start, match in ilo.items():
        first = match.last + 1
        head = first + 1
        if head >= len(toks) or covered & {start, first, head}:
            continue
        word, after = toks[first], toks[head]
        if not (word.capitalized and after.text in _UNIT_HEADS) or not (
            text[toks[match.last].end : word.start] == " " == text[word.end : after.start]
        ):
            continue
        unit = ilo_unit(word.text.upper()) or ilo_unit_starting(word.text)
        if unit is not None:
            add(start, head, unit, "ReferenceListMethod")
            covered.update(range(start, head + 1))


def _glued(text: str, left: Token, right: Token) -> bool:
    """Two capitalized words of one list item ("Labour Law")."""
    return right.capitalized and not right.all_caps and text[left.end : right.start] == " "


def _seat_after(text: str, toks: list[Token], last: int) -> int:
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


def unit_method(actor: Actor) -> str:
    return "ReferenceListMethod" if actor.reference else "PatternMethod"


def _owner_before(
    text: str, toks: list[Token], first: int, ilo: dict[int, Any], *, slash: bool = True
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


def _city_country(name: str, countries: list[str]) -> str | None:
    """The country, of ``countries``, of the place a municipality's name names
    ("Municipalidad de Lima": Peru, in a record about Colombia, Ecuador and Peru)."""
    toks = tokens(name)
    found = find_places(toks, list(dict.fromkeys(countries)))
    return found[0].place.country if found and found[0].place.country in countries else None


def _strip_country(name: str) -> str:
    """ "Municipalidad de Santiago de Chile" → "Municipalidad de Santiago"."""
    head, sep, tail = name.rpartition(" de ")
    generic = head.rsplit(" ", 1)[-1].lower() in _GENERIC_PLACE_WORDS
    if sep and head.count(" ") >= 1 and not generic and resolve_country(tail) is not None:
        return head
    return name


@lru_cache(maxsize=65536)
def _home_country(name: str) -> str | None:
    """The country a national actor's name says it belongs to, if any."""
    for tok in tokens(name):
        country = resolve_country(tok.text)
        if country is not None and len(tok.text) > 3:
            return country.alpha_3
    return None


def _inside_name(text: str, toks: list[Token], place: Any) -> bool:
    """A place word that begins or continues another name: "Federación Argentina",
    "La Unión Europea"."""
    first, last = toks[place.first], place.last
    if first.folded in ORG_HEADS or first.folded in INITIATIVE_HEADS:
        return True
    if last + 1 < len(toks):
        after = toks[last + 1]
        joined = text[toks[last].end : after.start] == " "
        return (
            joined
            and after.capitalized
            and not after.all_caps
            and (after.folded not in _ADMIN_WORDS and after.folded not in ORG_HEADS)
        )
    return False


def _part_of_known(text: str, toks: list[Token], first: int, last: int, hard: set[int]) -> bool:
    """A unit of a known organization: "ILO Country Office", "Oficina de País de la OIT"
    (not a name after a known one and a comma: "(MOLES), Ministry of Education")."""
    if first - 1 in hard and text[toks[first - 1].end : toks[first].start] in (" ", "-", "/"):
        return True
    j = last + 1
    if j < len(toks) and text[toks[last].end : toks[j].start] != " ":
        return False  # "Ministry of Labour, the Council for …": not "… of the …"
    while j < len(toks) and toks[j].folded in POSSESSIVE:
        j += 1
    return j > last + 1 and j in hard


def _link_initiatives(result: Recognition, text: str, mentions: list[Mention]) -> None:
    """In each clause that says who runs an initiative, link it to the clause's
    organization and place (or country)."""
    bounds = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]
    for left, right in itertools.pairwise(bounds):
        inside = [m for m in mentions if left <= m.start < right]
        initiatives = [m for m in inside if isinstance(m.entity, Initiative)]
        if not initiatives:
            continue
        orgs = [m for m in inside if isinstance(m.entity, Actor)]
        places = [m for m in inside if isinstance(m.entity, (Place, str))]
        says_who = _RUN_BY.search(text, left, right) is not None
        for init in initiatives:
            start = init.start
            if orgs and says_who:
                actor = min(orgs, key=lambda m: abs(m.start - start)).entity
                result.run_by.add((entity_key(init.entity), entity_key(actor)))
            if places:
                place = min(places, key=lambda m: abs(m.start - start)).entity
                result.located_in.add((entity_key(init.entity), entity_key(place)))


def entity_key(entity: Actor | Place | Initiative | str) -> str:
    """The IRI of an entity below the base: ``org/ilo``, ``country/CHL``…"""
    return f"country/{entity}" if isinstance(entity, str) else entity.key
