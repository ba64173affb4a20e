"""Benchmark: how much of a canned query's time is reading its rows out of the store.

    python benchmarks/bench_read.py --store DIR [--records N] [--repeat K]
                                    [--only NAME ...] [--param NAME=VALUE ...]

The question behind it: a canned query over the 1 s target at 100,000 records lists tens
of thousands of rows. How much of its time is the engine finding and sorting them, and
how much reading them out? Oxigraph keeps each IRI, and each literal longer than a few
bytes, as a hash in the quads and its text in a dictionary (a RocksDB table): a row
read out costs one dictionary look-up per such term, whatever the query.

1. The store: ``--store DIR``, built there first from N synthetic records if DIR is empty
   (``bench_queries.build_store``), opened read-only.
2. Each canned SELECT question of ``queries/`` (not evalkg's own ``network/``, ``push/``
   and ``statistics/`` queries), with the parameter values ``bench_queries.py`` picks
   (the busiest region, organization, kind...) unless ``--param NAME=VALUE`` gives one,
   bound and narrowed by the text index as ``evalkg query`` does, runs two ways, one run
   of each in turn, K times (medians):
   - *read*: as ``kg.sparql.query.run_query`` runs it, every row read into Python;
   - *counted*: the same query as a subquery of ``SELECT (COUNT(*) ...)``, so that the
     engine finds, joins, groups and sorts the same rows (the timings show Oxigraph keeps
     a subquery's ``ORDER BY``) but reads none of them out.
   *read* − *counted* is what reading the rows out costs; the report gives it per row and
   per cell (a bound value).
3. A floor for comparison: the first N lessons' IRIs (N the largest answer above), read
   and counted the same way: what one IRI costs to read out, with no join and no sort.

The script prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_build import add_profile_argument, machine, say
from bench_queries import add_choice_arguments, build_store, choose

FLOOR = """PREFIX ek: <https://w3id.org/evalkg/ontology#>
SELECT ?lesson WHERE {{ ?lesson a ek:Lesson }} LIMIT {n}
"""


def counted(sparql: str) -> str:
    r"""``sparql`` (a SELECT) as a subquery whose rows the engine counts: the prologue
    (comments, ``PREFIX``, ``BASE``) stays in front, the rest goes inside.

    >>> print(counted("PREFIX a: <urn:a#>\nSELECT ?s { ?s a:p ?o } ORDER BY ?s"))
    PREFIX a: <urn:a#>
    SELECT (COUNT(*) AS ?evalkgRows) WHERE {
    SELECT ?s { ?s a:p ?o } ORDER BY ?s
    }
    <BLANKLINE>
    """
    from kg.sparql.safety import query_form

    if query_form(sparql) != "SELECT":
        raise ValueError("not a SELECT query")
    lines = sparql.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.lstrip().upper().startswith("SELECT"))
    prologue, body = "".join(lines[:at]), "".join(lines[at:])
    return f"{prologue}SELECT (COUNT(*) AS ?evalkgRows) WHERE {{\n{body}\n}}\n"


def alternate(store: Any, texts: dict[str, str], repeat: int) -> dict[str, Any]:
    """Each text of ``texts`` run once in turn, ``repeat`` times: median seconds, last
    result."""
    from kg.sparql.query import run_query

    runs: dict[str, list[float]] = {side: [] for side in texts}
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for side, text in texts.items():
            started = time.perf_counter()
            results[side] = run_query(store, text)
            runs[side].append(time.perf_counter() - started)
    return {
        side: {"median_s": statistics.median(runs[side]), "result": results[side]} for side in texts
    }


def measure(store: Any, work: list[tuple[str, str, str]], repeat: int) -> dict[str, Any]:
    """Each ``(name, query, counted query)`` of ``work``, the two run in alternation."""
    out: dict[str, Any] = {}
    for name, text, wrapped in work:
        timed = alternate(store, {"read": text, "counted": wrapped}, repeat)
        read = timed["read"]["result"]
        rows = len(read.rows)
        cells = sum(value is not None for row in read.rows for value in row)
        engine_rows = int(timed["counted"]["result"].rows[0][0].value)
        out[name] = {
            "rows": rows,
            "cells": cells,
            "same_count": engine_rows == rows,
            "read_s": timed["read"]["median_s"],
            "counted_s": timed["counted"]["median_s"],
        }
        sys.stderr.write(
            f"    {name}: {out[name]['read_s']:.3f} s read, "
            f"{out[name]['counted_s']:.3f} s counted, {rows:,} rows\n"
        )
    return out


def fmt_row(cells: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


def report(figures: dict[str, Any], floor: dict[str, Any], repeat: int, store: Path) -> None:
    say(
        f"\nreading rows out of the embedded store ({store}); medians of {repeat} runs "
        "of each side, in alternation"
    )
    header = (
        "query",
        "rows",
        "cells",
        "read (s)",
        "counted (s)",
        "reading out (s)",
        "share",
        "µs a cell",
    )
    table = [header]
    for name, q in figures.items():
        out = q["read_s"] - q["counted_s"]
        table.append(
            (
                name,
                f"{q['rows']:,}",
                f"{q['cells']:,}",
                f"{q['read_s']:.3f}",
                f"{q['counted_s']:.3f}",
                f"{out:.3f}",
                f"{out / q['read_s']:.0%}" if q["read_s"] else "",
                f"{out / q['cells'] * 1e6:.1f}" if q["cells"] else "",
            )
        )
    for line in fmt_row(table):
        say(line)
    wrong = [name for name, q in figures.items() if not q["same_count"]]
    if wrong:
        say(f"the engine counted other rows than were read for: {', '.join(wrong)}")
    out = floor["read_s"] - floor["counted_s"]
    say(
        f"\nfloor: the first {floor['rows']:,} lessons' IRIs, {floor['read_s']:.3f} s read, "
        f"{floor['counted_s']:.3f} s counted: {out / max(floor['rows'], 1) * 1e6:.1f} µs "
        "to read one IRI out (a dictionary look-up and a Python object)"
    )
    info = machine()
    pkgs = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    say(f"machine: nproc {info['nproc']}, {info['implementation']} {info['python']}; {pkgs}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="the store (built if empty)")
    parser.add_argument(
        "--records", type=int, default=100_000, help="N records if the store is built (100,000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed")
    add_profile_argument(parser)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (default 5)")
    add_choice_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    from kg.sparql.queries import bind, list_queries
    from kg.sparql.textsearch import narrow
    from kg.store.evalstore import EvalStore

    args = parse_args(argv)
    if not (args.store / "evalkg.json").is_file():
        build_store(args.store, args.records, args.seed, args.profile)
    store = EvalStore.open(args.store)
    work = []
    for named, params in choose(store, list_queries(), args.only, args.param):
        text = narrow(store, named, bind(named, params), params)
        try:
            work.append((named.name, text, counted(text)))
        except ValueError:
            sys.stderr.write(f"    {named.name}: not a SELECT query, skipped\n")
    figures = measure(store, work, args.repeat)
    largest = max((q["rows"] for q in figures.values()), default=1000)
    timed = alternate(
        store,
        {"read": FLOOR.format(n=largest), "counted": counted(FLOOR.format(n=largest))},
        args.repeat,
    )
    floor = {
        "rows": len(timed["read"]["result"].rows),
        "read_s": timed["read"]["median_s"],
        "counted_s": timed["counted"]["median_s"],
    }
    report(figures, floor, args.repeat, args.store)


if __name__ == "__main__":
    main()
