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

from kg.errors import RecordError
from kg.extract.actors import Actor
from kg.extract.gazetteer import Place
from kg.extract.recognize import Recognizer
from kg.extract.recordtext import field_languages, recognize
from kg.extract.textscan import lower_plain
from kg.ingest.reader import Rejected, read_file
from kg.ingest.record import Record


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
    return {" ".join(lower_plain(n).split()) for n in names if n}


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


def _entries(gold_path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, entry)`` of each line of the gold file, checked: a JSON object with
    ``source`` (text) and ``organizations``, ``places`` (lists of objects with a ``name``).
    Anything else is a :class:`RecordError` naming the file and the line (and
    :func:`_load` refuses a file with no entry at all, which would score a perfect 1.000).
    """
    where = str(gold_path)
    try:
        with gold_path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    reason = f"not UTF-8 text (byte {exc.start + 1}: {exc.reason})"
                    raise RecordError(reason, path=where, line=number) from None
                if line.strip():
                    yield number, _entry(line, where, number)
    except OSError as exc:
        raise RecordError(f"cannot read the gold file ({exc.strerror})", path=where) from None


def _entry(line: str, where: str, number: int) -> dict[str, Any]:
    """One line of a gold file as a checked entry (see :func:`_entries`)."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        reason = f"not JSON ({exc.msg} at column {exc.colno})"
        raise RecordError(reason, path=where, line=number) from None
    except (ValueError, RecursionError) as exc:
        raise RecordError(f"not JSON ({exc})", path=where, line=number) from None
    if not isinstance(entry, dict):
        raise RecordError(
            "not a JSON object with source, organizations and places",
            path=where,
            line=number,
            value=entry,
        )
    if not isinstance(entry.get("source"), str) or not entry["source"]:
        raise RecordError("no 'source' (the path of the annotated page)", path=where, line=number)
    for kind in ("organizations", "places"):
        names = entry.get(kind)
        if not isinstance(names, list):
            raise RecordError(f"no {kind!r} list", path=where, line=number, value=names)
        for item in names:
            if not (isinstance(item, dict) and isinstance(item.get("name"), str)):
                raise RecordError(
                    f"an entry of {kind!r} without a 'name'", path=where, line=number, value=item
                )
            aliases = item.get("aliases", [])
            if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
                raise RecordError(
                    f"'aliases' in {kind!r} is not a list of texts",
                    path=where,
                    line=number,
                    value=aliases,
                )
    entry.setdefault("id", entry["source"])
    return entry


def _load(gold_path: Path, root: Path) -> Iterator[tuple[dict[str, Any], Record]]:
    cache: dict[Path, list[Record]] = {}
    where = str(gold_path)
    count = 0
    for number, entry in _entries(gold_path):
        count += 1
        source = root / entry["source"]
        if source not in cache:
            if not source.is_file():
                raise RecordError(
                    f"gold source does not exist (in {root})",
                    path=where,
                    line=number,
                    value=entry["source"],
                )
            items = list(read_file(source))
            bad = [i for i in items if isinstance(i, Rejected)]
            if bad or not items:
                raise RecordError(
                    "gold source is not a record", path=where, line=number, value=entry["source"]
                )
            cache[source] = [i for i in items if isinstance(i, Record)]
        records = cache[source]
        _, _, index = str(entry["id"]).partition(".jsonl:")
        if not index:
            yield entry, records[0]
            continue
        if not index.isdigit() or not 1 <= int(index) <= len(records):
            raise RecordError(
                f"no record {index} in its source ({len(records)} records)",
                path=where,
                line=number,
                value=entry["id"],
            )
        yield entry, records[int(index) - 1]
    if count == 0:
        raise RecordError("no gold records (an empty gold set scores nothing)", path=where)


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
    first = next((entry for _, entry in _entries(gold_path)), None)
    if first is None:
        return Path.cwd()
    for candidate in [Path.cwd(), *gold_path.resolve().parents]:
        if (candidate / first["source"]).exists():
            return candidate
    return Path.cwd()
