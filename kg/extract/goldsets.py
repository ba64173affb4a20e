"""The gold sets the recognizer is scored on (:func:`kg.extract.scoring.score`).

A developer's default only: in a source checkout, the team's gold set
(``tests/gold/gold.jsonl``, pages the team wrote) and the real pages' one
(``tests/gold/real.jsonl``, annotations of the crawl's pages, read from
``../shared/real-pages`` beside the checkout). An installed evalkg has neither: give
the gold file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: The source checkout this module would be part of (its tests/gold is the default).
CHECKOUT = Path(__file__).resolve().parents[2]
TEAM_GOLD = Path("tests", "gold", "gold.jsonl")
REAL_GOLD = Path("tests", "gold", "real.jsonl")
#: The crawl's real pages, relative to the folder that holds the checkout.
REAL_PAGES = Path("shared", "real-pages")


@dataclass(frozen=True)
class GoldSet:
    """A gold file, its title, and the folder its sources are relative to (``None``:
    found from the file, :func:`kg.extract.scoring.score`)."""

    title: str
    path: Path
    root: Path | None = None


@dataclass
class GoldSets:
    """The gold sets to score (none: give a gold file), and where the real pages were
    looked for in vain (their gold set is then left out)."""

    sets: list[GoldSet] = field(default_factory=list)
    missing_pages: Path | None = None


def gold_sets(
    gold: str | os.PathLike[str] | None = None,
    *,
    root: str | os.PathLike[str] | None = None,
    real_pages: str | os.PathLike[str] | None = None,
    checkout: Path = CHECKOUT,
) -> GoldSets:
    """The file ``gold`` (its sources relative to ``root``), else the gold sets of the
    source ``checkout``: the team's (relative to ``root``) and, when its pages are found
    (``real_pages``, else ``../shared/real-pages`` beside the checkout), the real pages'.

    >>> [(s.title, s.path.name) for s in gold_sets("mine.jsonl").sets]
    [('gold', 'mine.jsonl')]
    """
    base = None if root is None else Path(root)
    if gold is not None:
        return GoldSets([GoldSet("gold", Path(gold), base)])
    team = checkout / TEAM_GOLD
    if not team.is_file():
        return GoldSets()
    found = GoldSets([GoldSet("team gold", team, base)])
    pages = Path(real_pages) if real_pages else checkout.parent / REAL_PAGES
    real = checkout / REAL_GOLD
    if real.is_file() and pages.is_dir():
        found.sets.append(GoldSet("real-pages gold", real, pages))
    elif real.is_file():
        found.missing_pages = pages
    return found
