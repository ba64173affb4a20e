"""Push and remote-query benchmark against a real Oxigraph server on 127.0.0.1.

1. N synthetic lesson pages (``synthetic``) are built into an on-disk store (not timed).
2. ``oxigraph serve`` (the binary of the PyPI ``oxigraph`` package) starts on a free port.
3. The store is pushed ``--repeat`` times with each method (Graph Store Protocol, SPARQL
   Update) and chunk size; after every push the server's quad count must equal the
   store's (a push that loses or duplicates data fails the run).
4. A few canned queries run on the store and on the server (median of ``--repeat``),
   and must give the same number of rows.

Prints medians and ratios side by side. Example::

    python benchmarks/bench_push.py --records 300
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench_build import add_profile_argument
from synthetic import write_corpus

from kg.load.build import build
from kg.publish.push import push
from kg.sparql.endpoint import Remote, run_remote_query
from kg.sparql.queries import bind, get_query
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
QUERIES = ("stats", "top-organizations", "lessons-per-country")


def say(text: str) -> None:
    """Print a line of the report (the benchmark's output)."""
    sys.stdout.write(text + "\n")


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``oxigraph serve`` on a free port of 127.0.0.1; the process and its base URL."""
    binary = Path(sys.executable).parent / "oxigraph"
    found = str(binary) if binary.is_file() else shutil.which("oxigraph")
    if found is None:
        raise SystemExit("the oxigraph binary is missing: pip install -e '.[test]'")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [found, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1) as answer:
                answer.read()
            return process, base
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise SystemExit("oxigraph did not start")


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def count(result_rows: list[tuple[object, ...]]) -> int:
    return int(getattr(result_rows[0][0], "value", 0))


def bench_push(store: EvalStore, base: str, args: argparse.Namespace) -> list[list[str]]:
    local = count(run_query(store, COUNT).rows)
    rows, reference = [], None
    for method, path in (("gsp", "/store"), ("update", "/update")):
        for chunk in args.chunk_sizes:
            remote = Remote.from_env(base + path, timeout=600)
            reports = [push(store, remote, method=method, chunk_size=chunk)]
            for _ in range(args.repeat):
                remote_quads = count(run_remote_query(base + "/query", COUNT).rows)
                if remote_quads != local:
                    raise SystemExit(f"{method}: server holds {remote_quads}, store {local}")
                if len(reports) < args.repeat:
                    reports.append(push(store, remote, method=method, chunk_size=chunk))
            times, report = [r.seconds for r in reports], reports[-1]
            median = statistics.median(times)
            reference = reference or median
            rows.append(
                [
                    f"push {method}, chunks of {chunk:,}",
                    f"{median:.3f}",
                    f"{report.triples / median:,.0f}",
                    f"{report.requests:,}",
                    f"{median / reference:.2f}",
                ]
            )
    return rows


def bench_queries(store: EvalStore, base: str, repeat: int) -> list[list[str]]:
    rows = []
    for name in QUERIES:
        named = get_query(name)
        text = bind(named, named.example_params())
        here = median_seconds(partial(run_query, store, text), repeat)
        there = median_seconds(partial(run_remote_query, base + "/query", text), repeat)
        if len(run_query(store, text).rows) != len(run_remote_query(base + "/query", text).rows):
            raise SystemExit(f"{name}: different row counts")
        rows.append([f"query {name} (local | remote)", f"{here:.4f} | {there:.4f}", "", "",
                     f"{there / here:.2f}"])  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-sizes", type=int, nargs="+", default=[50_000, 5_000])
    add_profile_argument(parser)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="evalkg-push-bench-") as tmp:
        work = Path(tmp)
        write_corpus(work / "corpus", args.records, profile=args.profile)
        store = EvalStore.create(work / "store")
        report = build([work / "corpus"], store=store)
        say(f"{report.accepted:,} records, {len(store):,} triples in the default graph")
        process, base = start_server(work / "server")
        try:
            rows = bench_push(store, base, args) + bench_queries(store, base, args.repeat)
        finally:
            process.terminate()
            process.wait()
    header = ["measure", "median (s)", "triples/s", "requests", "ratio"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        say(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    say("ratio: push time / first push row; query remote / local")
    say(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
