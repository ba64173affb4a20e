"""What an evaluation title says about the evaluation: its kind (timing and nature), in
English, Spanish or French, whether the page cut it with "...", and its year.

>>> kind = parse_title("Desarrollo de capacidades... - Evaluación final independiente")
>>> kind.timing, kind.nature, kind.truncated, kind.label
('FinalTiming', 'IndependentNature', True, 'Evaluación final independiente')
>>> parse_title("Decent work in Asia (2019-2022) - Évaluation à mi-parcours indépendante").timing
'MidtermTiming'
>>> parse_title("Decent work in Asia (2019-2022) - Independent Midterm Evaluation").year
'2022'

The kinds are the concepts the ontology's labels name: "intermedia" is interim, as
``ek:InterimTiming``'s label "evaluación intermedia" says, and a page cut in the last word
still says it:

>>> kind = parse_title("Empleo juvenil - AUTOEVALUACIÓN intermedia")
>>> kind.timing, kind.nature
('InterimTiming', 'SelfNature')
>>> parse_title("Jobs for youth - Joint evalu").nature
'JointNature'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kg.extract import wordlists
from kg.extract.textscan import name_key

#: The file of the words of a title's kind: ``wordlists/titles.toml``.
WORDS_FILE = "titles"


@dataclass(frozen=True, slots=True)
class KindWords:
    """The words of ``wordlists/titles.toml``: ``(phrase, ek: concept)`` of the timings
    and natures, in the order they are tried, and the words of an evaluation."""

    timing: tuple[tuple[str, str], ...]
    nature: tuple[tuple[str, str], ...]
    evaluation: frozenset[str]


@cache
def kind_words() -> KindWords:
    """The words of a title's kind, read once."""
    return KindWords(
        tuple(wordlists.inverted(WORDS_FILE, "timing").items()),
        tuple(wordlists.inverted(WORDS_FILE, "nature").items()),
        wordlists.words(WORDS_FILE, "words", "evaluation"),
    )


#: The fewest letters a page can leave of a title's last word for it to be read as the
#: evaluation word it starts ("evalua", not "eval").
_CUT_WORD = 5
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_TRUNCATED = ("...", "…")


@dataclass(frozen=True, slots=True)
class TitleKind:
    """The parts of an evaluation title. ``label`` is the kind suffix, verbatim."""

    project: str
    label: str | None = None
    timing: str | None = None
    nature: str | None = None
    truncated: bool = False
    year: str | None = None


def _find(words: str, table: tuple[tuple[str, str], ...]) -> str | None:
    padded = f" {words} "
    for key, value in table:
        if f" {key} " in padded:
            return value
    return None


def _says_evaluation(words: list[str], evaluation: frozenset[str]) -> bool:
    """Whether ``words`` hold an evaluation word, or end in the start of one (the page cut
    the title there)."""
    if any(word in evaluation for word in words):
        return True
    last = words[-1] if words else ""
    return len(last) >= _CUT_WORD and any(word.startswith(last) for word in evaluation)


def parse_title(title: str) -> TitleKind:
    """Split ``"<project> - <kind>"`` and read the kind; a title without a recognizable
    kind is all project (``label`` is then ``None``)."""
    project, sep, suffix = title.rpartition(" - ")
    words = name_key(suffix) if sep else ""
    table = kind_words()
    timing = _find(words, table.timing) if words else None
    nature = _find(words, table.nature) if words else None
    is_kind = (timing or nature) and _says_evaluation(words.split(), table.evaluation)
    if not is_kind:
        project, suffix, timing, nature = title, "", None, None
    years = _YEAR.findall(title)
    return TitleKind(
        project=project,
        label=suffix.strip() or None,
        timing=timing,
        nature=nature,
        truncated=project.rstrip().endswith(_TRUNCATED),
        year=years[-1] if years else None,
    )


def conflicting_titles(items: Iterable[tuple[str, str | None, str | None]]) -> list[str]:
    """Warnings for evaluations that records give different titles: ``items`` are
    ``(where, evaluation number, title)`` of each record, in reading order. Each title
    of a number that differs from the first one read gives one warning, naming the record
    that first gave it and the record that gave the first title; records without a number
    or a title are left aside (they do not share an evaluation by number), and so is a
    title that is the start of the other (a page cut in the middle of it).

    >>> for warning in conflicting_titles([
    ...     ("a.txt", "12", "Jobs - Final"),
    ...     ("b.jsonl:3", "12", "Jobs - Midterm"),
    ...     ("c.txt", "12", "Jobs - Midterm"),
    ...     ("d.txt", "13", "Other"),
    ...     ("e.txt", "12", "Jobs - Fin"),
    ... ]):
    ...     print(warning)
    b.jsonl:3: evaluation 12 is titled 'Jobs - Midterm' here, 'Jobs - Final' in a.txt
    """
    first: dict[str, tuple[str, str]] = {}
    seen: set[tuple[str, str]] = set()
    out = []
    for where, number, title in items:
        if number is None or title is None or (number, title) in seen:
            continue
        seen.add((number, title))
        if number not in first:
            first[number] = (where, title)
            continue
        where_first, title_first = first[number]
        short, long = sorted((" ".join(title.split()), " ".join(title_first.split())), key=len)
        if long.startswith(short.rstrip(".…")):  # one is cut short (a page cut mid-title)
            continue
        out.append(
            f"{where}: evaluation {number} is titled {_shown(title)} here, "
            f"{_shown(title_first)} in {where_first}"
        )
    return out


def _shown(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
