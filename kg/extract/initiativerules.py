"""Rules for initiatives: names built on an initiative's head word ("Programa …"), names
in quotes, and who runs them and where, by the clause that names them. The phrases that
say who runs one are in ``wordlists/recognize.toml`` (``[initiatives]``)."""

from __future__ import annotations

import itertools
import re
from functools import cache

from kg.extract import wordlists
from kg.extract.actors import Actor
from kg.extract.gazetteer import Place
from kg.extract.mention import FieldText, Initiative, Mention, Recognition, entity_key
from kg.extract.patterns import Span
from kg.iris import slug

_CLAUSE = re.compile(r"[.;!?\n]\s")
_QUOTED = re.compile(r"[“«\"]\s*([A-ZÁÉÍÓÚÑÀÂÇÈÊÎÔÛ][^“”«»\"\n]{2,80}?)\s*[”»\"]")
#: The file of the recognizer's own words: ``wordlists/recognize.toml``.
WORDS_FILE = "recognize"


@cache
def run_by() -> re.Pattern[str]:
    """The phrases that say who runs an initiative, as one expression (read once)."""
    phrases = wordlists.phrases(WORDS_FILE, "initiatives", "run_by")
    return re.compile("|".join(phrases), re.IGNORECASE)


def initiative_mentions(f: FieldText, spans: list[Span]) -> None:
    """The initiatives named on a head word (``spans``), then those named in quotes
    that no mention holds already."""
    text = f.text
    for span in spans:
        label = text[f.toks[span.first].start : f.toks[span.last].end]
        f.add(
            span.first, span.last, Initiative("initiative/" + slug(label), label), "PatternMethod"
        )
    for quoted in _QUOTED.finditer(text):
        label = quoted.group(1).strip()
        start = quoted.start(1)
        if not any(m.start <= start < m.end for m in f.mentions):
            entity = Initiative("initiative/" + slug(label), label)
            f.mentions.append(
                Mention(f.name, start, start + len(label), label, "PatternMethod", entity)
            )


def link_initiatives(result: Recognition, text: str, mentions: list[Mention]) -> None:
    """In each clause that says who runs an initiative, link it to the clause's
    organization and place (or country)."""
    bounds = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]
    says = run_by()
    for left, right in itertools.pairwise(bounds):
        inside = [m for m in mentions if left <= m.start < right]
        initiatives = [m for m in inside if isinstance(m.entity, Initiative)]
        if not initiatives:
            continue
        orgs = [m for m in inside if isinstance(m.entity, Actor)]
        places = [m for m in inside if isinstance(m.entity, (Place, str))]
        says_who = says.search(text, left, right) is not None
        for init in initiatives:
            start = init.start
            if orgs and says_who:
                actor = min(orgs, key=lambda m: abs(m.start - start)).entity
                result.run_by.add((entity_key(init.entity), entity_key(actor)))
            if places:
                place = min(places, key=lambda m: abs(m.start - start)).entity
                result.located_in.add((entity_key(init.entity), entity_key(place)))
