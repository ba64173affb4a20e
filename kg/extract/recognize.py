"""Recognize the organizations, places, countries and initiatives a record's text names.

What a record names depends on the record alone (and the reference data): an acronym
learnt from a "Long Name (ACRONYM)" pair resolves the bare acronym elsewhere in the same
record, not in other records. So records can be recognized in any order, in parallel, and
a rebuilt record gets the links it got the first time.

The :class:`Recognizer` runs the rules in order over each field, each taking the tokens
the ones before it left: the ILO's units (:mod:`~kg.extract.unitrules`), names built on
a head word (:mod:`~kg.extract.patterns`, :mod:`~kg.extract.orgrules`), the reference
lists (:mod:`~kg.extract.actors`), acronyms, places (:mod:`~kg.extract.placerules`) and
initiatives (:mod:`~kg.extract.initiativerules`).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.extract.actors import Actor, Lexicon, Match, copy_lexicon, pick, reference_lexicon
from kg.extract.gazetteer import find_countries
from kg.extract.initiativerules import initiative_mentions, link_initiatives
from kg.extract.mention import FieldText, Recognition
from kg.extract.orgrules import (
    GOVERNMENT,
    city_country,
    country_name,
    home_country,
    initials,
    part_of_known,
    sentence_countries,
    strip_country,
)
from kg.extract.patterns import Span, acronym_after, find_spans, initials_span, name_words
from kg.extract.placerules import place_mentions
from kg.extract.textscan import Token, tokens
from kg.extract.unitrules import (
    ILO,
    UNIT,
    lower_case_units,
    owned_units,
    owner_before,
    seat_after,
    unit_lists,
    unit_method,
    unit_words,
)
from kg.iris import slug


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
            self._field(result, FieldText(name, text, language, toks, list(wanted), in_text))
        return result

    def _field(self, result: Recognition, f: FieldText) -> None:
        """Run the rules over one field, in order; add its mentions to ``result``."""
        refs = self.lexicon.find(f.toks, f.countries, f.text)
        hard = {
            k
            for m in refs
            if m.first != m.last or f.toks[m.first].all_caps
            for k in range(m.first, m.last + 1)
        }
        org_spans, init_spans = find_spans(f.text, f.toks, f.language, hard)
        ilo = {m.first: m for m in refs if m.actor.key == ILO}
        owned_units(f, refs, ilo)
        lower_case_units(f, ilo)
        for span in org_spans:
            if any(k in f.covered for k in range(span.first, span.last + 1)):
                continue
            if not self._unit_span(f, span, ilo):
                self._org_span(f, span, hard)
        for match in refs:
            if match.first not in f.covered:
                f.take(match.first, match.last, match.actor, match.method)
                self._learn_pair(f.text, f.toks, match.last, match.actor)
        self._pairs_without_head(f)
        self._bare_acronyms(f)
        self._governments(f)
        if ilo:
            unit_lists(f, {m.last for m in ilo.values()})
        place_mentions(f)
        initiative_mentions(f, init_spans)
        f.mentions.sort(key=lambda m: (m.start, m.end))
        result.mentions.extend(f.mentions)
        if f.name == "comments":
            result.audience.update(m.entity.key for m in f.mentions if isinstance(m.entity, Actor))
        link_initiatives(result, f.text, f.mentions)

    def _unit_span(self, f: FieldText, span: Span, ilo: dict[int, Match]) -> bool:
        """A name after "ILO"/"ILO’s" that ends on a unit word ("ILO’s Evaluation Office",
        "ILO Country Office in Dhaka"): one of the ILO's units, unless its words only say
        a kind of office. Whether the span was taken so."""
        text, toks = f.text, f.toks
        words = unit_words()
        owner = owner_before(text, toks, span.first, ilo, slash=False)  # not "ILO/Lab"
        if owner is None or toks[span.last].folded not in words.heads:
            return False
        named = {t.folded for t in toks[span.first : span.last + 1]}
        last = span.last
        if not named - words.generic:
            last = seat_after(text, toks, last)  # "ILO Country Office in Dhaka"
        if last > span.last:
            named.add(toks[last].folded)
        if not named - words.generic:
            return False
        unit = self._unit_for(text, toks, span.first, last)
        f.take(owner, last, unit, unit_method(unit))
        self._learn_pair(text, toks, last, unit)
        return True

    def _org_span(self, f: FieldText, span: Span, hard: set[int]) -> None:
        """A name built on a head word: the actor its acronym names, a known one, or a new
        one (not when it is part of a known name)."""
        text, toks, countries = f.text, f.toks, f.countries
        if part_of_known(text, toks, span.first, span.last, hard):
            return
        pair = acronym_after(text, toks[span.last].end)
        # of the record's countries, the one its sentence names first, if any
        near = sentence_countries(text, toks, span.first, f.in_text, self._own)
        candidates = self.lexicon.acronyms.get(pair[0], ()) if pair else ()
        named = pick(candidates, near) or pick(candidates, countries) if pair else None
        actor = named or self._actor_for(
            text, toks, span.first, span.last, span.kind, near + countries
        )
        method = "PatternMethod" if not actor.reference else "ReferenceListMethod"
        f.take(span.first, span.last, actor, method)
        self._learn_pair(text, toks, span.last, actor)

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
        name = strip_country(name) if kind == "Municipality" else name
        home = home_country(name) or (kind == "Municipality" and city_country(name, countries))
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
        """Remember the acronym in brackets after token ``last`` as one of ``actor``."""
        pair = acronym_after(text, toks[last].end)
        if pair is None:
            return
        bucket = self.learned.setdefault(pair[0], [])
        if all(a.key != actor.key for a in bucket):
            bucket.append(actor)

    def _pairs_without_head(self, f: FieldText) -> None:
        """ "Long Name (ACR)" where the long name has no head word: initials decide."""
        text, toks, covered = f.text, f.toks, f.covered
        words = name_words()
        for i, tok in enumerate(toks[:-1]):
            if i in covered:
                continue
            pair = acronym_after(text, tok.end)
            if pair is None or pair[0] in self.lexicon.acronyms:
                continue
            first = initials_span(toks, i, pair[0])
            if first is None or any(k in covered for k in range(first, i + 1)):
                continue
            named = {t.folded for t in toks[first : i + 1]}
            if not named & words.org_words or toks[first].folded in words.initiative_heads:
                continue
            actor = self._actor_for(text, toks, first, i, "OtherOrganization", f.countries)
            f.take(first, i, actor, "PatternMethod")
            self._learn_pair(text, toks, i, actor)

    def _bare_acronyms(self, f: FieldText) -> None:
        """An acronym alone that the record paired with a name before: that name's actor."""
        for i, tok in enumerate(f.toks):
            if i in f.covered or not tok.all_caps:
                continue
            actor = pick(self.learned.get(tok.text, ()), f.countries)
            if actor is not None:
                f.take(i, i, actor, "AcronymMethod")

    def _governments(self, f: FieldText) -> None:
        """ "GoB", "GoN", "GoSL": the government of the record's country whose name has
        those initials, the actor "Government of Bangladesh" would be."""
        for i, tok in enumerate(f.toks):
            if i in f.covered or not GOVERNMENT.fullmatch(tok.text):
                continue
            country = next((c for c in f.countries if initials(c) == tok.text[2:]), None)
            if country is None:
                continue
            name = f"Government of {country_name(country)}"
            key = "org/" + slug(name) + f"-{country.lower()}"
            actor = self.found.setdefault(key, Actor(key, name, "GovernmentBody", country, False))
            f.take(i, i, actor, "AcronymMethod")
