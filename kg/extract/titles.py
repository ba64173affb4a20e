"""What an evaluation title says about the evaluation: its kind (timing and nature), in
English, Spanish or French, whether the page cut it with "...", and its year.

>>> kind = parse_title("Desarrollo de capacidades... - Evaluación final independiente")
>>> kind.timing, kind.nature, kind.truncated, kind.label
('FinalTiming', 'IndependentNature', True, 'Evaluación final independiente')
>>> parse_title("Decent work in Asia (2019-2022) - Évaluation à mi-parcours indépendante").timing
'MidtermTiming'
>>> parse_title("Decent work in Asia (2019-2022) - Independent Midterm Evaluation").year
'2022'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.extract.geo import fold

# Folded words (see geo.fold) of a kind suffix → ek: individual. Multi-word keys first.
_TIMING = (
    ("mid term", "MidtermTiming"),
    ("midterm", "MidtermTiming"),
    ("mi parcours", "MidtermTiming"),
    ("medio termino", "MidtermTiming"),
    ("intermedia", "MidtermTiming"),
    ("intermediaire", "MidtermTiming"),
    ("ex post", "ExPostTiming"),
    ("expost", "ExPostTiming"),
    ("interim", "InterimTiming"),
    ("final", "FinalTiming"),
    ("finale", "FinalTiming"),
)
_NATURE = (
    ("self", "SelfNature"),
    ("auto", "SelfNature"),
    ("autoevaluacion", "SelfNature"),
    ("autoevaluation", "SelfNature"),
    ("independent", "IndependentNature"),
    ("independiente", "IndependentNature"),
    ("independante", "IndependentNature"),
    ("independant", "IndependentNature"),
    ("internal", "InternalNature"),
    ("interna", "InternalNature"),
    ("interno", "InternalNature"),
    ("interne", "InternalNature"),
    ("joint", "JointNature"),
    ("conjunta", "JointNature"),
    ("conjointe", "JointNature"),
)
_EVALUATION_WORDS = ("evaluation", "evaluacion", "review", "revision", "revue", "examen")
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


def parse_title(title: str) -> TitleKind:
    """Split ``"<project> - <kind>"`` and read the kind; a title without a recognizable
    kind is all project (``label`` is then ``None``)."""
    project, sep, suffix = title.rpartition(" - ")
    words = fold(suffix) if sep else ""
    timing = _find(words, _TIMING) if words else None
    nature = _find(words, _NATURE) if words else None
    is_kind = (timing or nature) and any(w in words.split() for w in _EVALUATION_WORDS)
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
