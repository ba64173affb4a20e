"""Benchmark: evalkg's build into its on-disk Oxigraph store against a plain rdflib baseline.

    python benchmarks/bench_build.py --records N [--baseline-records M] [--repeat K]
                                     [--seed S] [--profile real|dense] [--rounds R]
                                     [--json FILE]

1. N synthetic pages are written to a temporary folder (``synthetic``, profile
   ``real`` unless told: lessons, recommendations and good practices shaped as the real
   pages; ``dense`` is the lessons-only stress case of the earlier figures; not timed).
2. evalkg, in a fresh process: ``EvalStore.create`` + ``kg.load.build.build`` end to end (read,
   map, load into the on-disk store).
3. Baseline, in a fresh process: the same reader and the same mapper with rdflib terms,
   each triple (a record's own and the ones it shares) added to an in-memory
   ``rdflib.Graph`` with ``graph.add``, plus the same reference graphs and the same
   bookkeeping triples as the build, so both hold the same triples. It runs on the first
   M pages (M = N unless told: rdflib needs about 0.35 GB per 1,000 records). When M < N,
   evalkg builds those M pages too, for a same-size comparison, and the evalkg run on N is
   set against the baseline on M: rdflib on N would be no faster per record or per query,
   so those ratios are bounds in rdflib's favour.
4. The SPARQL queries of ``benchmarks/queries/*.rq``, each run K times on both (the store
   opened with ``EvalStore.open``, queried with ``kg.sparql.query.run_query``; ``graph.query``
   on the baseline graph), median seconds.
5. The physical floor of the build: the quads of evalkg's store exported to N-Quads
   (``kg.publish.export``; not timed) and loaded, in a fresh process, into a fresh store folder
   with pyoxigraph's ``Store.bulk_load`` (lenient, as the build loads) then ``optimize``
   (as the build compacts): what loading these very quads costs with nothing else done
   (no reading, mapping, recognizing, lesson index nor statistics). With ``--rounds R``
   the build and the floor run R times each, alternately (queries in the first round
   only), and their medians are compared.

Peak RSS is each child process's own (``getrusage(RUSAGE_SELF).ru_maxrss`` right after
the build, before the queries); build CPU is the child's user + system time over the build
(all threads), less sensitive than wall time to other work on the machine, whose 1-minute
load average is printed at the start and the end. The script prints figures; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

QUERY_DIR = Path(__file__).resolve().parent / "queries"


def say(text: str = "") -> None:
    """Print a line of the report."""
    sys.stdout.write(text + "\n")


# --- measuring (inside the child processes) -----------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children so far (all
    threads; the build's worker processes are children)."""
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def children_peak_rss_mb() -> float:
    """The largest peak RSS of this process's finished children (the build's workers),
    in MB; 0 when it had none."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rows_digest(rows: list[tuple[str | None, ...]]) -> str:
    """Order-independent digest of result rows given as strings."""
    text = "\n".join(sorted("\t".join("" if v is None else v for v in row) for row in rows))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def time_queries(run: Any, repeat: int) -> dict[str, dict[str, Any]]:
    """Run each query ``repeat`` times with ``run(text) -> rows as strings``."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        seconds = []
        rows: list[tuple[str | None, ...]] = []
        for _ in range(repeat):
            started = time.perf_counter()
            rows = run(text)
            seconds.append(time.perf_counter() - started)
        out[path.stem] = {
            "median_s": statistics.median(seconds),
            "rows": len(rows),
            "digest": rows_digest(rows),
        }
    return out


def child_ours(
    corpus: Path, store_dir: Path, repeat: int, workers: int | None, compact: bool = True
) -> dict[str, Any]:
    """evalkg: build into an on-disk store, then query it opened read-only."""
    from kg.load.build import build
    from kg.load.pipeline import default_workers
    from kg.sparql.query import run_query
    from kg.store.evalstore import EvalStore

    started, cpu = time.perf_counter(), cpu_seconds()
    store = EvalStore.create(store_dir)
    report = build([corpus], store=store, workers=workers, compact=compact)
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    worker_rss = children_peak_rss_mb()
    used = workers if workers is not None else default_workers()
    figures: dict[str, Any] = {
        "records": report.accepted,
        "rejected": len(report.rejected),
        "warnings": len(report.warnings),
        "triples": report.triples,
        "wall_s": wall,
        "cpu_s": cpu,
        "compact_s": report.compact_seconds,
        "count_s": report.count_seconds,
        "workers": used,
        "main_peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": worker_rss,
        # upper bound of the build's total: main's peak plus every worker at the peak
        # of the largest one
        "peak_rss_mb": peak_rss_mb() + (used * worker_rss if worker_rss else 0.0),
    }
    del store
    figures["disk_mb"] = disk_mb(store_dir)
    if repeat == 0:  # a later round: the build only
        figures["queries"] = {}
        return figures
    reader = EvalStore.open(store_dir)

    def run(text: str) -> list[tuple[str | None, ...]]:
        result = run_query(reader, text)
        return [tuple(None if v is None else v.value for v in row) for row in result.rows]

    figures["queries"] = time_queries(run, repeat)
    return figures


def disk_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def child_floor(nquads: Path, store_dir: Path) -> dict[str, Any]:
    """The floor: ``bulk_load`` of the N-Quads file into a fresh store folder, then
    ``optimize``, each timed."""
    import pyoxigraph as ox

    started, cpu = time.perf_counter(), cpu_seconds()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=True)
    loaded = time.perf_counter()
    store.optimize()
    done = time.perf_counter()
    cpu = cpu_seconds() - cpu
    figures = {
        "quads": len(store),
        "load_s": loaded - started,
        "optimize_s": done - loaded,
        "cpu_s": cpu,
        "peak_rss_mb": peak_rss_mb(),
    }
    del store
    figures["disk_mb"] = disk_mb(store_dir)
    return figures


def export_quads(store_dir: Path, target: Path) -> dict[str, Any]:
    """Every quad of the built store, as N-Quads (what the floor loads)."""
    from kg.publish.export import export
    from kg.store.evalstore import EvalStore

    started = time.perf_counter()
    store = EvalStore.open(store_dir)
    export(store, target, format="nquads")
    del store
    return {"export_s": time.perf_counter() - started, "nquads_mb": target.stat().st_size / 1e6}


def load_reference_rdflib(graph: Any, base_iri: str, read_time: str) -> None:
    """What ``kg.load.build.load_reference`` puts in the store, with rdflib terms."""
    from kg.load.build import reference_graphs
    from kg.rdf.terms import to_rdflib_term

    for _, _, triples in reference_graphs(base_iri, read_time):
        for triple in triples:
            graph.add(tuple(to_rdflib_term(term) for term in triple))


def child_baseline(corpus: Path, repeat: int) -> dict[str, Any]:
    """Baseline: same reader and mapper, rdflib terms, ``graph.add`` into a Graph."""
    from rdflib import Graph, Literal, URIRef

    from kg.extract.recognize import Recognizer
    from kg.ingest.reader import Rejected, read_records
    from kg.iris import DEFAULT_BASE_IRI
    from kg.load.build import MAPPING_VERSION, read_time
    from kg.rdf.mapping import Mapper
    from kg.rdf.terms import rdflib_terms
    from kg.vocab import EK

    started, cpu = time.perf_counter(), cpu_seconds()
    graph = Graph()
    now = read_time()
    load_reference_rdflib(graph, DEFAULT_BASE_IRI, now)
    mapper = Mapper(read_time=now, terms=rdflib_terms(), recognizer=Recognizer())
    version = (URIRef(EK + "mappingVersion"), Literal(MAPPING_VERSION))
    accepted = rejected = warnings = 0
    for item in read_records([corpus]):
        if isinstance(item, Rejected):
            rejected += 1
            continue
        mapped = mapper.map(item)
        for triple in mapped.triples:
            graph.add(triple)
        for triple in mapped.shared:
            graph.add(triple)
        graph.add((mapped.graph, *version))
        accepted += 1
        warnings += len(item.warnings)
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    figures: dict[str, Any] = {
        "records": accepted,
        "rejected": rejected,
        "warnings": warnings,
        "triples": len(graph),
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mb": peak_rss_mb(),
    }

    def run(text: str) -> list[tuple[str | None, ...]]:
        result: Any = graph.query(text)
        return [tuple(None if v is None else str(v) for v in row) for row in result]

    figures["queries"] = time_queries(run, repeat)
    return figures


# --- orchestrating (the parent process) ---------------------------------------------


def run_child(mode: str, work: Path, tag: str, options: list[str]) -> dict[str, Any]:
    """Run one side in a fresh interpreter; its figures come back as a JSON file."""
    out = work / f"{mode}-{tag}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, *options]
    command += ["--out", str(out)]
    sys.stderr.write(f"... running {mode} ({tag})\n")
    sys.stderr.flush()
    subprocess.run(command, check=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def run_ours(
    corpus: Path, store: Path, repeat: int, workers: int | None, compact: bool
) -> dict[str, Any]:
    """evalkg's build of ``corpus`` into the new store folder ``store``."""
    options = ["--corpus", str(corpus), "--store", str(store), "--repeat", str(repeat)]
    if workers is not None:
        options += ["--workers", str(workers)]
    if not compact:
        options += ["--no-compact"]
    return run_child("ours", store.parent, store.name, options)


def run_floor(nquads: Path, store: Path) -> dict[str, Any]:
    """The floor: ``bulk_load`` + ``optimize`` of ``nquads`` into the new folder ``store``."""
    return run_child(
        "floor", store.parent, store.name, ["--nquads", str(nquads), "--store", str(store)]
    )


def source_fingerprint() -> str:
    """Digest of the kg sources and ontology files that the children import and read."""
    import kg
    from kg.resources import data_dir

    files = sorted(Path(kg.__file__).parent.glob("*.py"))
    files += sorted(data_dir("ontology").glob("*.ttl"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    versions = {}
    for package in ("pyoxigraph", "rdflib", "lingua-language-detector"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
    }


def rates(side: dict[str, Any]) -> dict[str, float]:
    wall = side["wall_s"]
    return {"records_per_s": side["records"] / wall, "triples_per_s": side["triples"] / wall}


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows: list[tuple[str, Any, Any, Any]]) -> str:
    header = ("metric", "evalkg (oxigraph)", "rdflib baseline", "ratio evalkg/rdflib")
    cells = [header] + [(m, fmt(a), fmt(b), fmt(r)) for m, a, b, r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def ratio(a: float, b: float) -> float | str:
    return a / b if b else "n/a"


def summary_rows(ours: dict[str, Any], base: dict[str, Any]) -> list[tuple[str, Any, Any, Any]]:
    """The final table; sizes-dependent figures get no ratio when the sizes differ."""
    same = ours["records"] == base["records"]
    r_o, r_b = rates(ours), rates(base)
    rows: list[tuple[str, Any, Any, Any]] = [
        ("records", ours["records"], base["records"], ""),
        ("triples (default graph)", ours["triples"], base["triples"], ""),
        ("build wall (s)", ours["wall_s"], base["wall_s"], ""),
        ("  of which compacting the store (s)", ours["compact_s"], "", ""),
        ("  of which counting the statistics graph (s)", ours["count_s"], "", ""),
        ("build CPU user+sys (s)", ours["cpu_s"], base["cpu_s"], ""),
        ("records/s", r_o["records_per_s"], r_b["records_per_s"], ""),
        ("triples/s", r_o["triples_per_s"], r_b["triples_per_s"], ""),
        ("peak RSS (MB; evalkg: main + workers)", ours["peak_rss_mb"], base["peak_rss_mb"], ""),
        ("  main process peak RSS (MB)", ours["main_peak_rss_mb"], base["peak_rss_mb"], ""),
        (f"  each of {ours['workers']} workers, peak RSS (MB)", ours["worker_peak_rss_mb"], "", ""),
        ("store on disk (MB)", ours["disk_mb"], "(in memory)", ""),
    ]
    for i, (name, a, b, _) in enumerate(rows):
        per_unit = name.endswith("/s")
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and (same or per_unit):
            rows[i] = (name, a, b, ratio(a, b))
        elif isinstance(b, (int, float)):
            rows[i] = (name, a, b, "n/a (sizes differ)")
    for name, q in ours["queries"].items():
        b = base["queries"][name]
        r = ratio(q["median_s"], b["median_s"]) if same else "n/a (sizes differ)"
        rows.append((f"query {name} median (s)", q["median_s"], b["median_s"], r))
    return rows


def print_report(n: int, ours: dict[str, Any], base: dict[str, Any], repeat: int) -> None:
    """Both sides on the same ``n`` records."""
    say(f"\nevalkg build benchmark: {n:,} synthetic records (synthetic), both sides")
    for label, side in (("evalkg", ours), ("baseline", base)):
        say(
            f"{label}: {side['records']:,} records accepted, {side['rejected']} rejected, "
            f"{side['warnings']} warnings, {side['triples']:,} triples"
        )
    same = "yes" if ours["triples"] == base["triples"] else "NO"
    say(f"same triple count in both: {same}")
    say(f"\nqueries ({repeat} runs each, median):")
    for name, q in ours["queries"].items():
        b = base["queries"][name]
        match = "rows identical" if q["digest"] == b["digest"] else "rows DIFFER"
        say(f"  {name}: evalkg {q['rows']} rows, baseline {b['rows']} rows, {match}")
    say()
    say(table(summary_rows(ours, base)))
    info = machine()
    pkgs = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    say(
        f"\nmachine: nproc {info['nproc']}, {info['implementation']} {info['python']}, "
        f"{info['platform']}; {pkgs}"
    )


def print_bound(n: int, m: int, ours: dict[str, Any], base: dict[str, Any]) -> None:
    """evalkg on ``n`` records against rdflib on the first ``m``: rdflib on ``n`` would be
    no faster per record and no faster to query, so these ratios are bounds."""
    say(
        f"\nevalkg on {n:,} records against the rdflib baseline on the first {m:,} (the "
        f"baseline does not fit in memory at {n:,}; on more records it is no faster per "
        "record nor per query, so each ratio is a bound in rdflib's favour)"
    )
    rows = [("records/s", rates(ours)["records_per_s"], rates(base)["records_per_s"])]
    rows += [("peak RSS (MB)", ours["peak_rss_mb"], base["peak_rss_mb"])]
    for name, q in ours["queries"].items():
        rows.append((f"query {name} median (s)", q["median_s"], base["queries"][name]["median_s"]))
    header = ("metric", f"evalkg, {n:,}", f"rdflib, {m:,}", "ratio evalkg/rdflib")
    cells = [header] + [(k, fmt(a), fmt(b), fmt(ratio(a, b))) for k, a, b in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    say("\n".join(lines))


def print_ours_only(n: int, ours: dict[str, Any], repeat: int) -> None:
    """The report of a run without the baseline (--no-baseline)."""
    say(f"\nevalkg build benchmark: {n:,} synthetic records (synthetic), no baseline")
    say(
        f"evalkg: {ours['records']:,} records accepted, {ours['rejected']} rejected, "
        f"{ours['warnings']} warnings, {ours['triples']:,} triples"
    )
    r = rates(ours)
    rows = [
        ("build wall (s)", ours["wall_s"]),
        ("  of which compacting the store (s)", ours["compact_s"]),
        ("  of which counting the statistics graph (s)", ours["count_s"]),
        ("build CPU user+sys, all processes (s)", ours["cpu_s"]),
        ("records/s", r["records_per_s"]),
        ("triples/s", r["triples_per_s"]),
        ("peak RSS, main + workers (MB, upper bound)", ours["peak_rss_mb"]),
        ("  main process peak RSS (MB)", ours["main_peak_rss_mb"]),
        (f"  each of {ours['workers']} workers, peak RSS (MB)", ours["worker_peak_rss_mb"]),
        ("store on disk (MB)", ours["disk_mb"]),
    ]
    rows += [
        (f"query {k} median of {repeat} (s)", q["median_s"]) for k, q in ours["queries"].items()
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        say(f"{name.ljust(width)}  {fmt(value)}")


def floor_summary(
    builds: list[dict[str, Any]], floors: list[dict[str, Any]], compact: bool
) -> dict[str, Any]:
    """Medians of the build's wall time and the floor's (load, plus optimize when the
    build compacts), and their ratio."""
    floor_walls = [f["load_s"] + (f["optimize_s"] if compact else 0.0) for f in floors]
    build = statistics.median(b["wall_s"] for b in builds)
    floor = statistics.median(floor_walls)
    return {
        "rounds": len(builds),
        "build_wall_s": [b["wall_s"] for b in builds],
        "floor_wall_s": floor_walls,
        "median_build_s": build,
        "median_floor_s": floor,
        "ratio_build_to_floor": build / floor if floor else None,
    }


def print_floor(
    builds: list[dict[str, Any]],
    floors: list[dict[str, Any]],
    exported: dict[str, Any],
    compact: bool,
) -> None:
    """The build against the physical floor, round by round and as medians."""
    summary = floor_summary(builds, floors, compact)
    what = "bulk_load + optimize" if compact else "bulk_load (the build did not compact)"
    say(
        f"\nphysical floor: pyoxigraph Store.bulk_load + optimize of the build's own quads "
        f"({floors[0]['quads']:,} quads, {exported['nquads_mb']:,.0f} MB of N-Quads exported "
        f"in {exported['export_s']:.1f} s, not timed), fresh process, fresh store folder"
    )
    names = [f"round {k + 1}" for k in range(len(builds))]
    names += ["median"] if len(builds) > 1 else []
    rows: list[tuple[str, list[float]]] = [
        ("build wall (s)", summary["build_wall_s"]),
        (f"floor wall (s): {what}", summary["floor_wall_s"]),
        ("  of which bulk_load (s)", [f["load_s"] for f in floors]),
        ("  of which optimize (s)", [f["optimize_s"] for f in floors]),
        ("build CPU user+sys (s)", [b["cpu_s"] for b in builds]),
        ("floor CPU user+sys (s)", [f["cpu_s"] for f in floors]),
        ("floor peak RSS (MB)", [f["peak_rss_mb"] for f in floors]),
        ("floor store on disk (MB)", [f["disk_mb"] for f in floors]),
    ]
    ratios = [b / f for b, f in zip(summary["build_wall_s"], summary["floor_wall_s"], strict=True)]
    rows.append(("ratio build / floor (wall)", ratios))
    cells = [("", *names)]
    for name, values in rows:
        extra = [statistics.median(values)] if len(values) > 1 else []
        if name.startswith("ratio") and extra:
            extra = [summary["ratio_build_to_floor"]]  # the ratio of the medians
        cells.append((name, *(fmt(v) for v in [*values, *extra])))
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    for row in cells:
        say("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def add_profile_argument(parser: argparse.ArgumentParser) -> None:
    """``--profile``: the ``synthetic`` profile of a benchmark's corpus."""
    from synthetic import DEFAULT_PROFILE, PROFILES

    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default=DEFAULT_PROFILE,
        help=f"synthetic corpus profile (default {DEFAULT_PROFILE}; dense: the lessons-only "
        "stress case the figures before the real profile were measured on)",
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=2000, help="N records (default 2000)")
    parser.add_argument("--baseline-records", type=int, help="M records for rdflib (default N)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed")
    add_profile_argument(parser)
    parser.add_argument(
        "--rounds", type=int, default=1, help="build and floor runs each (default 1; medians)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--workers", type=int, help="evalkg's worker processes (default: one less than the CPUs)"
    )
    parser.add_argument(
        "--no-compact", action="store_true", help="evalkg does not compact its store"
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="evalkg only (the rdflib baseline needs about 0.9 GB per 1,000,000 triples)",
    )
    parser.add_argument("--child", choices=("ours", "baseline", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--nquads", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_as_child(args: argparse.Namespace) -> int:
    if args.child == "ours":
        compact = not args.no_compact
        figures = child_ours(args.corpus, args.store, args.repeat, args.workers, compact)
    elif args.child == "floor":
        figures = child_floor(args.nquads, args.store)
    else:
        figures = child_baseline(args.corpus, args.repeat)
    args.out.write_text(json.dumps(figures), encoding="utf-8")
    return 0


def build_and_floor(
    work: Path, args: argparse.Namespace
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """evalkg's build of the corpus and the floor, ``args.rounds`` times each in turn;
    the queries run in the first round only. Store folders are removed once used."""
    compact = not args.no_compact
    builds: list[dict[str, Any]] = []
    floors: list[dict[str, Any]] = []
    nquads, exported = work / "build.nq", {}
    for k in range(args.rounds):
        store = work / f"store-{k}"
        repeat = args.repeat if k == 0 else 0
        builds.append(run_ours(work / "corpus", store, repeat, args.workers, compact))
        if k == 0:
            exported = export_quads(store, nquads)
        shutil.rmtree(store)
        floors.append(run_floor(nquads, work / f"floor-{k}"))
        shutil.rmtree(work / f"floor-{k}")
    nquads.unlink()
    return builds, floors, exported


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return run_as_child(args)
    from synthetic import write_corpus

    n = args.records
    m = min(n, args.baseline_records if args.baseline_records is not None else n)
    compact = not args.no_compact
    with tempfile.TemporaryDirectory(prefix="evalkg-bench-") as tmp:
        work = Path(tmp)
        write_corpus(work / "corpus", n, seed=args.seed, profile=args.profile)
        base_corpus = work / "corpus"
        if m < n:  # the same first m pages: generate() is a prefix-stable stream
            base_corpus = work / "corpus-baseline"
            write_corpus(base_corpus, m, seed=args.seed, profile=args.profile)
        before, load = source_fingerprint(), [os.getloadavg()[0]]
        builds, floors, exported = build_and_floor(work, args)
        ours = builds[0]
        base = ours_m = None
        if not args.no_baseline:
            if m < n:  # evalkg on the baseline's records too, for a same-size comparison
                store = work / "store-baseline-records"
                ours_m = run_ours(base_corpus, store, args.repeat, args.workers, compact)
            options = ["--corpus", str(base_corpus), "--repeat", str(args.repeat)]
            base = run_child("baseline", work, "baseline", options)
        after = source_fingerprint()
        load.append(os.getloadavg()[0])
    say(f"corpus: synthetic, profile {args.profile}, seed {args.seed}, {n:,} pages")
    if base is None:
        print_ours_only(n, ours, args.repeat)
    elif ours_m is None:
        print_report(n, ours, base, args.repeat)
    else:
        print_report(m, ours_m, base, args.repeat)
        print_ours_only(n, ours, args.repeat)
        print_bound(n, m, ours, base)
    print_floor(builds, floors, exported, compact)
    say(f"load average (1 min) at start {load[0]:.2f}, at end {load[1]:.2f}")
    say(f"sources: kg/ and ontology/ fingerprint {before}")
    if after != before:
        say(
            f"WARNING: kg/ or ontology/ changed during the run ({before} -> {after}); the two "
            "sides may have run different code. Rerun on a quiet tree."
        )
    if args.json:
        data = {"records": n, "baseline_records": m, "repeat": args.repeat, "seed": args.seed}
        data.update(profile=args.profile, machine=machine(), sources=[before, after], load=load)
        data.update(evalkg=ours, baseline=base)
        data["floor"] = {
            **floor_summary(builds, floors, compact),
            **exported,
            "floors": floors,
            "builds": builds,
        }
        if ours_m is not None:
            data["evalkg_on_baseline_records"] = {**ours_m, **rates(ours_m)}
        data["evalkg"].update(rates(ours))
        if base is not None:
            data["baseline"].update(rates(base))
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
