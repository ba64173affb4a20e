"""Measure the shape of i-eval Discovery pages: real crawled ones, or synthetic's.

    python benchmarks/real_shape.py [--pages DIR] [--build]
    python benchmarks/real_shape.py --synthetic N [--profile real|dense] [--seed S] [--build]

For each record type (lesson, good practice, recommendation): how many pages, in which
layout (``- key:`` lines or plain ``key:`` lines), how many cut short; per field, how
often the value is a placeholder (``-``, ``N/A``, ``n/a``, ``NA``, ``.``, ``Not
applicable.``) or missing, and the length of the other values in characters (median,
90th percentile); per record, the country/region pairs, the theme/category pairs, the
language and the names the build's recognizer (``kg.extract.recognize``) finds in the texts.
With ``--build``, the pages are also built (``kg.load.build``) into a temporary store and the
triples a record adds are counted (the store's triples less those of an empty build,
over the records accepted).

Cut-short pages count only for the fields they hold whole: the last field of such a page
(whose value, or the key after it, was cut) is left out. The real pages are read from
``../shared/real-pages`` next to the repository, unless ``--pages`` says otherwise. The
script prints figures (no page text); it asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_build import say

from kg.extract.recordtext import CODED_FIELDS
from kg.ingest.fields import PLACEHOLDERS as FOLDED_PLACEHOLDERS
from kg.ingest.record import RECOMMENDATION, TYPE_CONTAINERS, TYPE_FIELDS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = REPO.parent / "shared" / "real-pages"
#: Each record type's keys in the site's order (the order can differ on a page: the
#: site's test host puts the title and the locations first) and its container key.
ORDER: dict[str, tuple[str, ...]] = {
    "lesson": (
        "eval_number",
        "eval_url",
        "lessons_learned",
        "themes",
        "theme",
        "category",
        "comments",
        "challenges",
        "success",
        "context",
        "description",
        "administrative_issues",
        "url",
        "location",
        "country",
        "region",
        "eval_title",
    ),
    "practice": (
        "eval_number",
        "eval_url",
        "good_practices",
        "replication",
        "cause_effect",
        "themes",
        "theme",
        "category",
        "context",
        "description",
        "links",
        "indicators",
        "url",
        "location",
        "country",
        "region",
        "eval_title",
    ),
    "recommendation": (
        "eval_number",
        "eval_url",
        "location",
        "country",
        "region",
        "eval_title",
        "recommendations",
        "date",
        "themes",
        "theme",
        "category",
        "comments",
        "action_plan",
        "management_response",
        "progress",
        "admin_units",
        "title",
        "project_symbols",
        "url",
        "information_source",
    ),
}
#: Each type's container key, its free-text fields and a recommendation's coded fields:
#: the reader's and the mapping's (``kg.ingest.record``, ``kg.rdf.linking``).
KEYS = TYPE_CONTAINERS
TEXTS = {
    kind: tuple(f for f in fields if f not in CODED_FIELDS) for kind, fields in TYPE_FIELDS.items()
}
OTHER = tuple(f for f in TYPE_FIELDS[RECOMMENDATION] if f in CODED_FIELDS)
ALL_KEYS = frozenset(key for keys in ORDER.values() for key in keys)
HEADER, NODASH_HEADER, FOOTER = "Back to index", "Go to ILO main website", "Skip to top"


@dataclass
class Page:
    """What the measure needs of one page: its fields as ``(key, value lines)`` in page
    order (only those it holds whole)."""

    kind: str
    layout: str
    cut: bool
    chars: int
    heading: str
    fields: list[tuple[str, list[str]]] = field(default_factory=list)
    cut_in: tuple[str, int] | None = None  # the field a cut page stops in, chars seen

    def values(self, key: str) -> list[str]:
        return [" ".join(lines) for k, lines in self.fields if k == key]


def _key(line: str, layout: str) -> str | None:
    """The key a line opens, if it is a key line of ``layout``."""
    text = line[2:] if layout == "dash" and line.startswith("- ") else line
    if layout == "dash" and text is line:
        return None
    name = text[:-1] if text.endswith(":") else ""
    return name if name in ALL_KEYS else None


def parse(text: str) -> Page | None:
    """Split a page into its fields; ``None`` for what is not a record page."""
    lines = text.split("\n")
    layout = "nodash" if lines[0] == NODASH_HEADER else "dash"
    body = lines[1:] if layout == "dash" else lines[2:]
    heading = next((line for line in body if line.strip()), "")
    kind = next((k for k, key in KEYS.items() if any(_key(x, layout) == key for x in body)), "")
    if not kind or (lines[0] != HEADER and layout == "dash"):
        return None
    cut = lines[-1] != FOOTER
    page = Page(kind, layout, cut, len(text), heading)
    for line in body[body.index(heading) + 1 :]:
        key = _key(line, layout)
        if key is not None:
            page.fields.append((key, []))
        elif page.fields and line.strip() and line != FOOTER:
            value = line[2:] if layout == "dash" and line.startswith("- ") else line
            page.fields[-1][1].append(value)
    if cut and page.fields:
        last, lines = page.fields.pop()
        page.cut_in = last, len(" ".join(lines))
    for _, lines in page.fields:  # a bare "-" line followed by the text
        if len(lines) > 1 and lines[0] == "-":
            del lines[0]
    return page


def pages_in(folder: Path) -> Iterator[str]:
    for path in sorted(folder.glob("*.txt")):
        yield path.read_text(encoding="utf-8", errors="replace")


def synthetic(n: int, seed: int, profile: str) -> Iterator[str]:
    from synthetic import generate

    for _, data in generate(n, seed=seed, profile=profile):
        yield data.decode("utf-8")


def quantiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"{statistics.median(ordered):,.0f} / {p90:,.0f}"


def placeholder(value: str) -> bool:
    """Whether ``value`` means "no value" to the reader (``N/A``, ``-``…)."""
    return value.strip().casefold() in FOLDED_PLACEHOLDERS


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def field_rows(pages: list[Page], kind: str) -> list[tuple[str, ...]]:
    """Per field: values seen whole, placeholder share, median / p90 length of the
    others, pages cut inside the field (and the median length seen there)."""
    rows: list[tuple[str, ...]] = []
    for key in ("eval_title", *TEXTS[kind]):
        values = [v for p in pages for v in p.values(key)]
        real = [v for v in values if not placeholder(v) and v.strip()]
        lengths = [float(len(v)) for v in real]
        holders = Counter(v.strip() for v in values if placeholder(v) or not v)
        which = ", ".join(f"{k or 'empty'} {c}" for k, c in holders.most_common())
        cut = [float(p.cut_in[1]) for p in pages if p.cut_in and p.cut_in[0] == key]
        cut_text = f"{len(cut)} (>= {statistics.median(cut):,.0f})" if cut else "0"
        absent = sum(1 for p in pages if _passed(p, key) and not p.values(key))
        holder = share(len(values) - len(real), len(values))
        rows.append((key, str(len(values)), str(absent), holder, quantiles(lengths)))
        rows[-1] += (cut_text, which)
    return rows


def _passed(page: Page, key: str) -> bool:
    """Whether the page shows ``key`` absent: it is whole, or in the site's key order
    and holds a key that comes after ``key``."""
    order = ORDER[page.kind]
    if not page.cut:
        return True
    places = [order.index(k) for k, _ in page.fields]
    in_order = all(a <= b for a, b in itertools.pairwise(places))
    return in_order and any(place > order.index(key) for place in places)


def record_rows(pages: list[Page], kind: str) -> list[tuple[str, str]]:
    """Per record: locations, themes, language, names found, page length."""
    whole = [p for p in pages if any(k == "eval_title" for k, _ in p.fields)]
    pairs = [float(len(p.values("country"))) for p in whole]
    regional = sum(1 for p in whole for c in p.values("country") if "regional" in c or "Inter" in c)
    themes = [float(len(p.values("theme"))) for p in pages if p.values("category")]
    names, density = _mentions(pages, kind)
    rows = [
        ("records (cut short)", f"{len(pages)} ({sum(p.cut for p in pages)})"),
        ("layout dash / nodash", "{} / {}".format(*_layouts(pages))),
        ("page chars median / p90", quantiles([float(p.chars) for p in pages])),
        ("heading chars median / p90", quantiles([float(len(p.heading)) for p in pages])),
        ("country/region pairs median / p90 / max", _pairs(pairs)),
        ("records with more than one pair", share(sum(1 for x in pairs if x > 1), len(pairs))),
        ("pairs that are not a country", share(regional, int(sum(pairs)))),
        ("theme/category pairs median / max", _pairs(themes, p90=False)),
        ("language (by the longest text)", _languages(pages, kind)),
        ("names found per whole record median / p90", quantiles(names)),
        ("names found per 1,000 text chars", f"{density:.1f}"),
    ]
    for key in OTHER if kind == "recommendation" else ():
        found = Counter(_shape(v) for p in pages for v in p.values(key))
        rows.append((key, ", ".join(f"{k} {c}" for k, c in found.most_common(6))))
    return rows


def _shape(value: str) -> str:
    """A categorical value as is; a code as its pattern (``BGD/15/03/MUL`` → AAA/9/9/AAA)."""
    if any(ch.isdigit() for ch in value):
        return "".join("9" if ch.isdigit() else "A" if ch.isupper() else ch for ch in value)
    return value


def _layouts(pages: list[Page]) -> tuple[int, int]:
    return sum(p.layout == "dash" for p in pages), sum(p.layout == "nodash" for p in pages)


def _pairs(values: list[float], p90: bool = True) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    middle = [statistics.median(ordered)]
    if p90:
        middle.append(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))])
    return " / ".join(f"{x:g}" for x in [*middle, ordered[-1]])


def _texts(page: Page, kind: str) -> list[tuple[str, str]]:
    out = []
    for key in TEXTS[kind]:
        out += [(key, v) for v in page.values(key) if not placeholder(v)]
    return out


def _languages(pages: list[Page], kind: str) -> str:
    from kg.extract.lang import detect

    found: Counter[str | None] = Counter()
    for page in pages:
        texts = sorted((v for _, v in _texts(page, kind)), key=len)
        found[detect(texts[-1]) if texts else None] += 1
    return ", ".join(f"{k or '?'} {share(c, len(pages))}" for k, c in found.most_common())


def _mentions(pages: list[Page], kind: str) -> tuple[list[float], float]:
    """Names the build's recognizer finds in a record's texts: the count per whole page,
    and per 1,000 characters of text over every page (the fields each holds whole)."""
    from kg.extract.recognize import Recognizer

    recognizer = Recognizer()
    per_page: list[float] = []
    names = chars = 0
    for page in pages:
        fields = [(key, value, None) for key, value in _texts(page, kind)]
        found = len(recognizer.recognize(fields, countries=[]).mentions)
        if not page.cut:
            per_page.append(float(found))
        names += found
        chars += sum(len(value) for _, value, _ in fields)
    return per_page, 1000 * names / chars if chars else 0.0


def table(rows: Iterable[tuple[str, ...]], header: tuple[str, ...]) -> str:
    cells = [header, *rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def triples_per_record(texts: list[str]) -> dict[str, Any]:
    """Build the pages into a temporary store: triples a record adds, on average."""
    from kg.load.build import build
    from kg.store.evalstore import EvalStore

    with tempfile.TemporaryDirectory(prefix="evalkg-shape-") as tmp:
        empty, corpus = Path(tmp) / "empty", Path(tmp) / "corpus"
        empty.mkdir()
        corpus.mkdir()
        for i, text in enumerate(texts):
            (corpus / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        reports = []
        for name, folder in (("base", empty), ("full", corpus)):
            store = EvalStore.create(Path(tmp) / f"store-{name}")
            reports.append(build([folder], store=store, workers=0))
            del store
    base, full = reports
    added = full.triples - base.triples
    return {
        "files": full.files,
        "accepted": full.accepted,
        "rejected": len(full.rejected),
        "triples_added": added,
        "per_record": added / full.accepted if full.accepted else None,
    }


def report(texts: list[str], label: str, build: bool) -> dict[str, Any]:
    parsed = [parse(t) for t in texts]
    pages = [p for p in parsed if p is not None]
    kinds = Counter(p.kind for p in pages)
    say(f"{label}: {len(texts)} pages, {len(pages)} records, {len(texts) - len(pages)} other")
    say(", ".join(f"{k} {c} ({share(c, len(pages))})" for k, c in kinds.most_common()))
    out: dict[str, Any] = {"pages": len(texts), "records": dict(kinds)}
    for kind in KEYS:
        mine = [p for p in pages if p.kind == kind]
        if not mine:
            continue
        say(f"\n== {kind}")
        records = record_rows(mine, kind)
        say(table(records, ("per record", "value")))
        say()
        fields = field_rows(mine, kind)
        header = ("field", "whole", "absent", "placeholder", "chars median / p90", "cut inside")
        say(table(fields, (*header, "placeholders seen")))
        out[kind] = {"records": records, "fields": fields}
    if build:
        out["build"] = triples_per_record(texts)
        figures = out["build"]
        say(
            f"\nbuilt: {figures['accepted']} of {figures['files']} files accepted, "
            f"{figures['rejected']} rejected; {figures['triples_added']:,} triples added, "
            f"{figures['per_record'] or 0:,.0f} a record"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="real pages folder")
    parser.add_argument("--synthetic", type=int, metavar="N", help="measure N synthetic pages")
    parser.add_argument("--profile", default="real", help="synthetic profile (real|dense)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic seed")
    parser.add_argument("--build", action="store_true", help="also count triples per record")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.synthetic is not None:
        texts = list(synthetic(args.synthetic, args.seed, args.profile))
        label = f"synthetic, {args.synthetic} pages, profile {args.profile}, seed {args.seed}"
    else:
        if not args.pages.is_dir():
            sys.stderr.write(f"no such folder: {args.pages}\n")
            return 2
        texts = list(pages_in(args.pages))
        label = str(args.pages)
    figures = report(texts, label, args.build)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
