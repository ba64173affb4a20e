"""Benchmark: every canned query of queries/ (and evalkg's own queries of queries/network/
and queries/push/, timed with no target) on a synthetic graph, the embedded Oxigraph
store against the same triples in a plain in-memory rdflib graph, side by side.

    python benchmarks/bench_queries.py [--records N] [--store DIR] [--repeat K]
                                       [--baseline-max-triples T] [--baseline-cap S]
                                       [--seed N] [--json FILE]
                                       [--only NAME ...] [--against FOLDER]
                                       [--param NAME=VALUE ...]

1. The graph: N synthetic records (``synthetic``, default 100,000) built with
   ``kg.load.build.build`` into an on-disk store (not timed), or the store already in
   ``--store DIR`` (built there first if DIR is empty; kept).
2. Parameters: each query runs with values that exist in that graph, picked by
   ``benchmarks/params/NAME.rq`` (the busiest country, organization, theme...; see the
   README there), else its header example's values, unless ``--param NAME=VALUE``
   gives one (for a small answer, say). The report prints them.
3. evalkg: the store opened read-only (``EvalStore.open``), each query bound with
   ``kg.sparql.queries.bind``, narrowed by the store's text index where the query says so
   (``kg.sparql.textsearch.narrow``, as ``evalkg query`` does; inside the timing, and the
   plain query timed too, side by side) and run with
   ``kg.sparql.query.run_query`` in this process (no timeout, so no child process: the
   engine's own latency), K times, median.
4. Baseline: the store's merged graph (the triples every query reads) loaded into
   an ``rdflib.Graph``, each query run with ``graph.query`` K times, median; skipped when
   the graph holds more than T triples (rdflib needs about 1 KB a triple). A query
   whose K runs take more than ``--baseline-cap`` seconds is stopped and shown as such.
5. Both sides must give the same rows (order-free digest; ``GROUP_CONCAT`` cells, which
   have no order in SPARQL, compared as sets).

``--only NAME`` (repeatable) runs those queries only. ``--against FOLDER`` also times the
query files of the same names in FOLDER (another version of ``queries/``, e.g.
``git worktree add /tmp/prev REV`` and ``--against /tmp/prev/queries``) on the same
store with the same parameter values, each run of one version followed by a run of the
other, and prints both medians, their ratio and whether the rows are the same.

Also printed: the cost of the command line's timeout, i.e. one small query run through
the child process (``timeout=60``) against the same query in process. The script prints
figures; it asserts nothing. The target is every canned query under 1 s median on the
embedded store at 100,000 records.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_build import add_profile_argument, machine, rows_digest, say, source_fingerprint

PARAMS_DIR = Path(__file__).resolve().parent / "params"
TARGET_S = 1.0
_CONCAT = re.compile(r"GROUP_CONCAT\s*\(.*?\)\s+AS\s+\?(\w+)", re.IGNORECASE | re.DOTALL)


def build_store(folder: Path, records: int, seed: int, profile: str) -> float:
    """Write N synthetic records and build them into ``folder``; seconds taken."""
    from synthetic import write_corpus

    from kg.load.build import build
    from kg.store.evalstore import EvalStore

    with tempfile.TemporaryDirectory(prefix="evalkg-bench-q-") as tmp:
        write_corpus(Path(tmp) / "corpus", records, seed=seed, profile=profile)
        sys.stderr.write(f"... building {records:,} records into {folder}\n")
        started = time.perf_counter()
        store = EvalStore.create(folder)
        report = build([Path(tmp) / "corpus"], store=store)
        store.flush()
        seconds = time.perf_counter() - started
    sys.stderr.write(f"... built: {report.accepted:,} records, {report.triples:,} triples\n")
    return seconds


def pick_params(store: Any, named: Any) -> dict[str, str]:
    """The query's parameters: picked from the graph where ``params/NAME.rq`` says how."""
    from kg.sparql.query import run_query

    values: dict[str, str] = named.example_params()
    for name in named.params:
        picker = PARAMS_DIR / f"{name}.rq"
        if picker.is_file():
            rows = run_query(store, picker.read_text(encoding="utf-8")).rows
            if rows and rows[0][0] is not None:
                values[name] = rows[0][0].value
    return values


def comparable(rows: list[tuple[str | None, ...]], variables: list[str], text: str) -> str:
    """Order-free digest of rows, ``GROUP_CONCAT`` cells as sorted sets."""
    concat = {variables.index(v) for v in _CONCAT.findall(text) if v in variables}
    fixed = [
        tuple(
            " ".join(sorted(re.split(r"[\s,|]+", cell))) if i in concat and cell else cell
            for i, cell in enumerate(row)
        )
        for row in rows
    ]
    return rows_digest(fixed)


def time_runs(run: Any, repeat: int) -> tuple[float, Any]:
    seconds, answer = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        answer = run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), answer


def measure_store(
    store: Any, work: list[tuple[Any, str]], params: dict[str, dict[str, str]], repeat: int
) -> dict[str, Any]:
    from kg.sparql.query import run_query
    from kg.sparql.textsearch import narrow

    out = {}
    for named, text in work:
        given = params[named.name]

        def once(named: Any = named, text: str = text, given: dict[str, str] = given) -> Any:
            return run_query(store, narrow(store, named, text, given))

        median, result = time_runs(once, repeat)
        plain = None
        if named.narrow and narrow(store, named, text, given) != text:
            # the same query unnarrowed, side by side: what the text index saves
            plain, _ = time_runs(lambda text=text: run_query(store, text), repeat)
        variables: list[str] = result.variables
        rows = _rows(result)
        out[named.name] = {
            "median_s": median,
            "rows": len(rows),
            "digest": comparable(rows, variables, text),
            "plain_median_s": plain,
        }
        sys.stderr.write(f"    evalkg {named.name}: {median:.3f} s, {len(rows)} rows\n")
    return out


def measure_against(
    store: Any,
    work: list[tuple[Any, str]],
    params: dict[str, dict[str, str]],
    folder: Path,
    repeat: int,
) -> dict[str, Any]:
    """Each query of ``work`` and its namesake in ``folder``, timed in alternation."""
    from kg.sparql.queries import bind, parse_query_file
    from kg.sparql.query import run_query
    from kg.sparql.textsearch import narrow

    out: dict[str, Any] = {}
    for named, text in work:
        path = folder / f"{named.name}.rq"
        if not path.is_file():
            out[named.name] = {"error": f"no {path.name} in {folder}"}
            continue
        other = parse_query_file(path)
        given = params[named.name]
        if set(other.params) != set(named.params):
            out[named.name] = {"error": "other parameters: " + ", ".join(other.params)}
            continue
        other_text = bind(other, given)
        runs: dict[str, list[float]] = {"this": [], "other": []}
        answers: dict[str, Any] = {}
        for _ in range(repeat):
            for side, query, sparql in (("this", named, text), ("other", other, other_text)):
                started = time.perf_counter()
                answers[side] = run_query(store, narrow(store, query, sparql, given))
                runs[side].append(time.perf_counter() - started)
        digests = [
            comparable(_rows(answers[side]), answers[side].variables, sparql)
            for side, sparql in (("this", text), ("other", other_text))
        ]
        out[named.name] = {
            "median_s": statistics.median(runs["this"]),
            "other_median_s": statistics.median(runs["other"]),
            "same_rows": digests[0] == digests[1],
        }
        sys.stderr.write(
            f"    against {named.name}: {out[named.name]['median_s']:.3f} s, "
            f"{out[named.name]['other_median_s']:.3f} s in {folder}\n"
        )
    return out


def _rows(result: Any) -> list[tuple[str | None, ...]]:
    if result.kind == "graph":
        return [tuple(term.value for term in triple) for triple in result.triples]
    return [tuple(None if v is None else v.value for v in row) for row in result.rows]


def materialize(answer: Any) -> tuple[list[str], list[tuple[str | None, ...]]]:
    """An rdflib query result as variables and rows of strings (triples for CONSTRUCT)."""
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        return [], [tuple(str(term) for term in triple) for triple in answer.graph]
    if answer.type == "ASK":
        return [], [(str(answer.askAnswer),)]
    rows = [tuple(None if v is None else str(v) for v in row) for row in answer]
    return [str(v) for v in answer.vars], rows


class _Late(Exception):
    """A baseline query that ran past ``--baseline-cap``."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the (pure Python) rdflib evaluation after ``seconds`` (Unix timers)."""

    def late(signum: int, frame: Any) -> None:
        raise _Late

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def measure_rdflib(
    store: Any, work: list[tuple[Any, str]], repeat: int, cap: float
) -> dict[str, Any]:
    import pyoxigraph as ox
    import rdflib

    started = time.perf_counter()
    data = ox.serialize(store.default_triples(), format=ox.RdfFormat.N_TRIPLES) or b""
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    del data
    out: dict[str, Any] = {"load_s": time.perf_counter() - started, "triples": len(graph)}
    for named, text in work:
        try:
            with _deadline(cap):
                median, (variables, rows) = time_runs(
                    lambda t=text: materialize(graph.query(t)), repeat
                )
        except _Late:
            out[named.name] = {"error": f"stopped after {cap:g} s"}
            sys.stderr.write(f"    rdflib {named.name}: stopped after {cap:g} s\n")
            continue
        except Exception as exc:  # rdflib's own errors are plain Exceptions
            out[named.name] = {"error": "failed: " + str(exc).splitlines()[0][:40]}
            sys.stderr.write(f"    rdflib {named.name}: failed ({exc})\n")
            continue
        out[named.name] = {
            "median_s": median,
            "rows": len(rows),
            "digest": comparable(rows, variables, text),
        }
        sys.stderr.write(f"    rdflib {named.name}: {median:.3f} s, {len(rows)} rows\n")
    return out


def child_overhead(store: Any, repeat: int) -> tuple[float, float]:
    """Median seconds of one small query in process and through the timeout's child."""
    from kg.sparql.query import run_query

    text = "ASK { ?s ?p ?o }"
    here, _ = time_runs(lambda: run_query(store, text), repeat)
    child, _ = time_runs(lambda: run_query(store, text, timeout=60), repeat)
    return here, child


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def over_target(name: str, figures: dict[str, Any]) -> bool:
    """An analyst question (not one of evalkg's own ``folder/name`` queries) at or over
    the target."""
    return "/" not in name and figures["median_s"] >= TARGET_S


def report_table(ours: dict[str, Any], base: dict[str, Any] | None) -> list[str]:
    header = ("query", "evalkg (s)", "rdflib (s)", "ratio evalkg/rdflib", "rows", "same rows")
    cells = [header]
    for name, q in ours.items():
        b = (base or {}).get(name)
        failed = b is not None and "error" in b
        ratio = q["median_s"] / b["median_s"] if b and not failed and b["median_s"] else None
        same = "-" if b is None or failed else ("yes" if b["digest"] == q["digest"] else "NO")
        theirs = "skipped" if b is None else b["error"] if failed else b["median_s"]
        cells.append(
            (
                name,
                fmt(q["median_s"]) + (" *" if over_target(name, q) else ""),
                fmt(theirs),
                "" if ratio is None else fmt(ratio),
                fmt(q["rows"]),
                same,
            )
        )
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


def add_choice_arguments(parser: argparse.ArgumentParser) -> None:
    """``--only NAME`` and ``--param NAME=VALUE``, for :func:`choose`."""
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run this query only (repeatable)"
    )
    parser.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="give every query that takes parameter NAME this value instead of the picked "
        "one (repeatable), e.g. to time a small answer",
    )


def choose(
    store: Any, every: list[Any], only: list[str] | None, param: list[str] | None
) -> list[tuple[Any, dict[str, str]]]:
    """The queries of ``every`` that ``--only`` names (all without it), each with its
    parameter values: picked from the graph (:func:`pick_params`), ``--param`` first."""
    from kg.sparql.params import parse_params

    given = parse_params(param or [])
    names = set(only or ())
    unknown = names - {named.name for named in every}
    if unknown:
        raise SystemExit(f"--only: no such query: {', '.join(sorted(unknown))}")
    out = []
    for named in every:
        if names and named.name not in names:
            continue
        params = pick_params(store, named)
        params.update({k: v for k, v in given.items() if k in named.params})
        out.append((named, params))
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="N records (100,000)")
    parser.add_argument("--store", type=Path, help="reuse (or build once into) this store")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument(
        "--baseline-max-triples",
        type=int,
        default=3_000_000,
        help="skip the rdflib baseline above this many triples (default 3,000,000)",
    )
    parser.add_argument(
        "--baseline-cap",
        type=float,
        default=120.0,
        help="stop an rdflib query (all its runs) after this many seconds (default 120)",
    )
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed")
    add_profile_argument(parser)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    add_choice_arguments(parser)
    parser.add_argument(
        "--against",
        type=Path,
        metavar="FOLDER",
        help="also time the same-named query files of FOLDER, in alternation",
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from kg.sparql.queries import bind, list_queries
    from kg.sparql.stats import stats
    from kg.store.evalstore import EvalStore

    built_s = None
    if not (folder / "evalkg.json").is_file():
        built_s = build_store(folder, args.records, args.seed, args.profile)
    store = EvalStore.open(folder)
    counts = stats(store)
    # the analyst questions and evalkg's own network/ and push/ queries (timed, no target);
    # not statistics/: those CONSTRUCTs run once per build (bench_build.py times them)
    every = [q for q in list_queries(internal=True) if not q.name.startswith("statistics/")]
    picked = choose(store, every, args.only, args.param)
    chosen = {named.name: params for named, params in picked}
    work = [(named, bind(named, params)) for named, params in picked]
    load = [os.getloadavg()[0]]
    ours = measure_store(store, work, chosen, args.repeat)
    against = None
    if args.against is not None:
        against = measure_against(store, work, chosen, args.against, args.repeat)
    here, child = child_overhead(store, args.repeat)
    base = None
    if counts["triples"] <= args.baseline_max_triples:
        base = measure_rdflib(store, work, args.repeat, args.baseline_cap)
    load.append(os.getloadavg()[0])
    return {
        "store": str(folder),
        "built_s": built_s,
        "counts": counts,
        "params": chosen,
        "repeat": args.repeat,
        "evalkg": ours,
        "baseline": base,
        "against": against,
        "against_folder": None if args.against is None else str(args.against),
        "overhead": {"in_process_s": here, "child_process_s": child},
        "load": load,
        "machine": machine(),
    }


def print_report(figures: dict[str, Any], max_triples: int) -> None:
    counts, base = figures["counts"], figures["baseline"]
    say(
        f"\nevalkg canned-query benchmark: {counts['lessons']:,} lessons, "
        f"{counts['evaluations']:,} evaluations, {counts['triples']:,} triples "
        f"({figures['store']}); median of {figures['repeat']} runs"
    )
    if figures["built_s"] is not None:
        say(f"store built in {figures['built_s']:.0f} s (not part of the figures)")
    say("parameters (picked from the graph by benchmarks/params/, else the header example):")
    for name, params in figures["params"].items():
        if params:
            say(f"  {name}: " + ", ".join(f"{k}={v!r}" for k, v in params.items()))
    if base is None:
        say(f"rdflib baseline skipped: more than {max_triples:,} triples")
    else:
        say(f"rdflib baseline: {base['triples']:,} triples loaded in {base['load_s']:.1f} s")
    say()
    for line in report_table(figures["evalkg"], base):
        say(line)
    asked = [n for n in figures["evalkg"] if "/" not in n]
    slow = [n for n, q in figures["evalkg"].items() if over_target(n, q)]
    say(
        f"\n* over the {TARGET_S:g} s target: {', '.join(slow) if slow else 'none'} "
        f"({len(asked) - len(slow)} of the {len(asked)} canned questions under it; "
        "network/ and push/ are evalkg's own queries, timed with no target: the views "
        "read the lesson index, push counts once per push)"
    )
    for name, q in figures["evalkg"].items():
        if q.get("plain_median_s") is not None:
            say(
                f"{name}: {q['median_s']:.3f} s narrowed by the text index, "
                f"{q['plain_median_s']:.3f} s reading every text (median)"
            )
    for name, a in (figures.get("against") or {}).items():
        if "error" in a:
            say(f"{name} against {figures['against_folder']}: {a['error']}")
            continue
        ratio = a["other_median_s"] / a["median_s"] if a["median_s"] else float("nan")
        say(
            f"{name}: {a['median_s']:.3f} s, {a['other_median_s']:.3f} s the version in "
            f"{figures['against_folder']} (that / this {ratio:.2f}), same rows: "
            f"{'yes' if a['same_rows'] else 'NO'} (medians, in alternation)"
        )
    over = figures["overhead"]
    say(
        f"timeout's child process: {over['child_process_s']:.3f} s for ASK in a child "
        f"against {over['in_process_s']:.4f} s in process (median)"
    )
    info = machine()
    pkgs = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    say(f"machine: nproc {info['nproc']}, {info['implementation']} {info['python']}; {pkgs}")
    load = figures["load"]
    say(f"load average (1 min) at start {load[0]:.2f}, at end {load[1]:.2f}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    before = source_fingerprint()
    if args.store is not None:
        figures = run(args, args.store)
    else:
        with tempfile.TemporaryDirectory(prefix="evalkg-bench-q-") as tmp:
            figures = run(args, Path(tmp) / "store")
    print_report(figures, args.baseline_max_triples)
    after = source_fingerprint()
    say(f"sources: kg/ and ontology/ fingerprint {before}")
    if after != before:
        say(f"WARNING: kg/ or ontology/ changed during the run ({before} -> {after}).")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
