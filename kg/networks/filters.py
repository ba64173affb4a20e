"""Which lessons a network is drawn from: the filters, and the evaluation details
(year, kinds) the ``year`` and ``kind`` filters test.

>>> Filters().active()
{}
>>> Filters(country="Chile", year=2022).active()
{'country': 'Chile', 'year': '2022'}
>>> kind_key("Mid-term")
'midterm'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import NamedTuple

from kg.extract.textscan import name_key

#: The lesson properties a filter can test (``queries/network/facets.rq``).
FACETS = ("country", "region", "theme", "category")
#: Evaluation kinds the ``kind`` filter takes (ek:timing and ek:nature individuals).
EVALUATION_KINDS = (
    "final",
    "midterm",
    "interim",
    "expost",
    "independent",
    "internal",
    "joint",
    "self",
)


@dataclass(frozen=True)
class Filters:
    """Which lessons a network is drawn from; ``None`` means no restriction. All given
    filters must hold (AND).

    ``country``, ``region`` and ``theme`` are names (any label, alias or ISO code, any
    case or accents) or IRIs: the lesson's location country, its region, its theme or
    category. ``year`` is the evaluation's year; ``kind`` its timing or nature (one of
    :data:`EVALUATION_KINDS`, e.g. ``final``, ``midterm``, ``independent``).
    """

    country: str | None = None
    region: str | None = None
    theme: str | None = None
    year: int | str | None = None
    kind: str | None = None

    def active(self) -> dict[str, str]:
        """The filters that are set, as strings."""
        return {f.name: str(v) for f in fields(self) if (v := getattr(self, f.name)) is not None}


class EvaluationDetails(NamedTuple):
    """An evaluation's title, year and kinds (see :func:`kind_key`)."""

    title: str | None
    year: str | None
    kinds: frozenset[str]


NO_DETAILS = EvaluationDetails(None, None, frozenset())


def kind_key(value: str) -> str:
    """An evaluation kind as a key: ``"Ex-post"`` → ``expost``, ``FinalTiming`` → ``final``."""
    key = name_key(value).replace(" ", "")
    for suffix in ("timing", "nature"):
        if key.endswith(suffix) and key != suffix:
            key = key[: -len(suffix)]
    return key


def evaluation_details(
    found: Iterable[tuple[str, str | None, str | None, Iterable[str]]],
) -> dict[str, EvaluationDetails]:
    """Evaluation IRI → details, from ``(IRI, title, year, kind IRIs)`` rows. An
    evaluation whose records disagree gets the least title and year and every kind, so
    the result does not depend on the order of the rows."""
    keys: dict[str, str] = {}  # kind IRI -> key: few distinct, many rows
    titles: dict[str, set[str]] = defaultdict(set)
    years: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for evaluation, title, year, kind_iris in found:
        if title is not None:
            titles[evaluation].add(title)
        if year is not None:
            years[evaluation].add(year)
        for iri in kind_iris:
            if iri not in keys:
                keys[iri] = kind_key(iri.rsplit("#", 1)[-1])
            kinds[evaluation].add(keys[iri])
    return {
        e: EvaluationDetails(
            min(titles[e]) if e in titles else None,
            min(years[e]) if e in years else None,
            frozenset(kinds[e]),
        )
        for e in kinds
    }
