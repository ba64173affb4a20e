"""Score the recognizer against an annotated gold set: precision, recall and F1 for
organizations and for places.

A gold file is JSON Lines, one object per record: ``source`` (path of the page or JSON
Lines file; ``id`` ``"file.jsonl:N"`` names line N), ``organizations`` and ``places``
(each ``{"name", "aliases"[, "country"]}``). A predicted entity matches a gold one when
one of the texts it was found by (or its label) equals, folded, the gold name or an alias
(and, for places, the country is the same); each gold entity matches at most once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actors import Actor
from .errors import RecordError
from .gazetteer import Place
from .reader import Rejected, read_file
from .recognize import Recognizer
from .record import Record
from .recordtext import field_languages, recognize
from .textscan import fold


@dataclass
class Tally:
    """True positives, false positives and false negatives of one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Tallies for organizations and places over ``records`` gold records."""

    records: int = 0
    organizations: Tally = field(default_factory=Tally)
    places: Tally = field(default_factory=Tally)

    def table(self, title: str = "") -> str:
        lines = [
            f"{title + ': ' if title else ''}{self.records} gold records",
            f"{'':14} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}",
        ]
        for name, t in (("organizations", self.organizations), ("places", self.places)):
            lines.append(
                f"{name:14} {t.precision:9.3f} {t.recall:7.3f} {t.f1:6.3f} "
                f"{t.tp:5d} {t.fp:5d} {t.fn:5d}"
            )
        return "\n".join(lines) + "\n"


def _keys(*names: str) -> set[str]:
    return {" ".join(fold(n).split()) for n in names if n}


def _match(predicted: dict[str, set[str]], gold: list[set[str]], tally: Tally, where: str) -> None:
    unmatched = list(range(len(gold)))
    for key, names in predicted.items():
        hit = next((g for g in unmatched if names & gold[g]), None)
        if hit is None:
            tally.fp += 1
            tally.errors.append(f"{where}: FP {key} {sorted(names)}")
        else:
            tally.tp += 1
            unmatched.remove(hit)
    tally.fn += len(unmatched)
    tally.errors.extend(f"{where}: FN {sorted(gold[g])}" for g in unmatched)


def _load(gold_path: Path, root: Path) -> Iterator[tuple[dict[str, Any], Record]]:
    cache: dict[Path, list[Record]] = {}
    with gold_path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            entry = json.loads(line)
            source = root / entry["source"]
            if source not in cache:
                items = list(read_file(source))
                bad = [i for i in items if isinstance(i, Rejected)]
                if bad or not items:
                    raise RecordError(
                        "gold source is not a record",
                        path=str(gold_path),
                        line=number,
                        value=entry["source"],
                    )
                cache[source] = [i for i in items if isinstance(i, Record)]
            records = cache[source]
            _, _, index = str(entry["id"]).partition(".jsonl:")
            yield entry, records[int(index) - 1] if index else records[0]


def score(gold_path: str | Path, *, root: str | Path | None = None) -> Score:
    """Run the recognizer on every gold record and tally what it found."""
    path = Path(gold_path)
    base = Path(root) if root is not None else _find_root(path)
    recognizer = Recognizer()
    result = Score()
    for entry, record in _load(path, base):
        result.records += 1
        found = recognize(recognizer, record, field_languages(record)[1])  # as a build does
        orgs: dict[str, set[str]] = {}
        places: dict[str, set[str]] = {}
        for m in found.mentions:
            if isinstance(m.entity, Actor):
                orgs.setdefault(m.entity.key, _keys(m.entity.label)).update(_keys(m.text))
            elif isinstance(m.entity, Place):
                slot = places.setdefault(m.entity.key, set())
                slot.update(f"{k}|{m.entity.country}" for k in _keys(m.text, m.entity.label))
        gold_orgs = [_keys(o["name"], *o.get("aliases", [])) for o in entry["organizations"]]
        gold_places = [
            {f"{k}|{p.get('country', '')}" for k in _keys(p["name"], *p.get("aliases", []))}
            for p in entry["places"]
        ]
        _match(orgs, gold_orgs, result.organizations, entry["id"])
        _match(places, gold_places, result.places, entry["id"])
    return result


def _find_root(gold_path: Path) -> Path:
    """The folder the gold file's ``source`` paths are relative to: the current folder
    if they resolve there, else the nearest parent of the gold file where they do."""
    with gold_path.open(encoding="utf-8") as lines:
        first = next((json.loads(line) for line in lines if line.strip()), None)
    if first is None:
        return Path.cwd()
    for candidate in [Path.cwd(), *gold_path.resolve().parents]:
        if (candidate / first["source"]).exists():
            return candidate
    return Path.cwd()
