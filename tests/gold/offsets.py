"""Write and check the offsets of the real-pages gold set.

    python tests/gold/offsets.py [--pages ../shared/real-pages] [--check] [PARTS...]

Reads ``tests/gold/real.jsonl`` (or, given PARTS, those files in turn: the annotators'
parts, merged into ``real.jsonl`` in the order of their records' sources), reads each
record's page with the reader, and gives every organization and place a ``mentions``
list: each occurrence of each of its aliases in the record's text fields, at word
boundaries, as ``{"field", "start", "end"}`` offsets into the field's text as
``kg.extract.recordtext.record_fields`` returns it. An alias that occurs nowhere is an error.
``--check`` writes nothing and fails (exit 1) when a stored offset does not hold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLD = HERE / "real.jsonl"


def fields_of(page: Path) -> dict[str, str]:
    from kg.extract.recordtext import record_fields
    from kg.ingest.reader import read_file
    from kg.ingest.record import Record

    record = next(r for r in read_file(page) if isinstance(r, Record))
    return {name: text for name, text, _ in record_fields(record)}


def occurrences(alias: str, fields: dict[str, str]) -> list[dict[str, Any]]:
    pattern = re.compile(r"(?<!\w)" + re.escape(alias) + r"(?!\w)")
    return [
        {"field": name, "start": m.start(), "end": m.end()}
        for name, text in fields.items()
        for m in pattern.finditer(text)
    ]


def annotate(entry: dict[str, Any], pages: Path, errors: list[str]) -> dict[str, Any]:
    """Each entity's mentions: every occurrence of its aliases, less those inside a longer
    occurrence of another entity of its group ("ILO" inside "ILO CO-Dhaka")."""
    fields = fields_of(pages / entry["source"])
    for group in ("organizations", "places"):
        entities = entry.get(group, [])
        spans: list[tuple[int, dict[str, Any]]] = []
        for n, entity in enumerate(entities):
            for alias in entity.get("aliases", []):
                hits = occurrences(alias, fields)
                if not hits:
                    errors.append(f"{entry['id']}: {group} alias {alias!r} is not in the text")
                spans.extend((n, h) for h in hits)
        for n, entity in enumerate(entities):
            found = [
                h
                for k, h in spans
                if k == n
                and not any(
                    j != n
                    and o["field"] == h["field"]
                    and o["start"] <= h["start"]
                    and h["end"] <= o["end"]
                    and (o["end"] - o["start"]) > (h["end"] - h["start"])
                    for j, o in spans
                )
            ]
            entity["mentions"] = sorted(
                {(h["field"], h["start"], h["end"]): h for h in found}.values(),
                key=lambda h: (list(fields).index(h["field"]), h["start"], h["end"]),
            )
    return entry


def check(entry: dict[str, Any], pages: Path, errors: list[str]) -> None:
    fields = fields_of(pages / entry["source"])
    for group in ("organizations", "places"):
        for entity in entry.get(group, []):
            forms = set(entity.get("aliases", []))
            for m in entity.get("mentions", []):
                text = fields.get(m["field"], "")[m["start"] : m["end"]]
                if text not in forms:
                    name = entity["name"]
                    errors.append(f"{entry['id']}: {group} {name!r}: offset {m} reads {text!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", type=Path)
    parser.add_argument("--pages", type=Path, default=HERE.parents[2] / "shared" / "real-pages")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    sources = args.parts or [GOLD]
    entries = [
        json.loads(line)
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    entries.sort(key=lambda e: e["source"])
    errors: list[str] = []
    if args.check:
        for entry in entries:
            check(entry, args.pages, errors)
    else:
        entries = [annotate(e, args.pages, errors) for e in entries]
        GOLD.write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8"
        )
    for line in errors:
        sys.stderr.write(line + "\n")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
