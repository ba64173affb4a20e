"""Benchmark: the memory and time of writing a large answer with ``evalkg query``.

    python benchmarks/bench_answers.py [--rows N] [--formats csv json ...]
                                       [--timeout S] [--kg-path DIR]

The question behind it: ``evalkg query`` with 1.37 million rows as JSON took 6.2 GB
before the answer was streamed. Each run is one ``evalkg query -e`` (the command's own
code, in a fresh Python process, its output to ``/dev/null``) whose answer is N rows of
three terms: an IRI, a text of about 40 characters and an integer (a cross product of
``VALUES`` blocks on an empty store folder, so the store costs nothing). It prints, per
format, the wall time and the peak resident memory of the command's process
(``getrusage``), and the same for the answer read whole into a :class:`kg.QueryResult` by
the Python API (``kg.run_query(..., timeout=...)``) and serialized, for comparison; and
once the peak memory of the query's child process (``kg/sparql/_worker.py``) run alone.

``--kg-path DIR`` runs another copy of the package (e.g. ``git archive <commit> kg | tar
-x -C DIR``) to compare with an earlier version; ``--timeout`` is the command's.

The script prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench_build import machine, say

#: Runs one measurement in a fresh process: argv[1] is "cli", "api" or "worker", argv[2]
#: the store, argv[3] the format (worker: the worker's path), argv[4] the timeout, the
#: query on stdin; figures on stderr.
RUNNER = """
import json, os, resource, sys, time
mode, store, fmt, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
sparql = sys.stdin.read()
null = os.open(os.devnull, os.O_WRONLY)
saved = os.dup(1)
os.dup2(null, 1)
started = time.perf_counter()
status = 0
if mode == "cli":
    from kg.cli import main
    try:
        main(["query", "-e", sparql, "-f", fmt, "--timeout", str(timeout), "--store", store],
             standalone_mode=False)
    except SystemExit as exc:
        status = exc.code or 0
elif mode == "worker":  # the child alone, from a small process (getrusage counts a
    import subprocess    # child's memory from the fork, the parent's pages included)
    worker = fmt
    request = {"db": store + "/oxigraph", "sparql": sparql, "limit": None, "union": True}
    subprocess.run([sys.executable, str(worker)], input=json.dumps(request).encode(),
                   stdout=null, check=True)
else:
    from kg.sparql.query import open_store, run_query
    result = run_query(open_store(store), sparql, timeout=timeout)
    os.write(1, result.serialize(fmt).encode("utf-8"))
wall = time.perf_counter() - started
sys.stdout.flush()
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "self_kb": own, "child_kb": child, "status": status}),
      file=sys.stderr)
"""


def cross_product(rows: int) -> str:
    """A SELECT of ``rows`` rows (rounded to a product of two factors)."""
    side = max(1, round(rows**0.5))
    other = max(1, rows // side)
    lessons = " ".join(f"<https://w3id.org/evalkg/id/lesson/{i}>" for i in range(side))
    titles = " ".join(f'"A lesson title of about forty characters {i}"' for i in range(other))
    return (
        "SELECT ?lesson ?title ?n WHERE { "
        f"VALUES ?lesson {{ {lessons} }} VALUES ?title {{ {titles} }} BIND(42 AS ?n) }}"
    )


def measure(
    mode: str, store: Path, fmt: str, timeout: float, sparql: str, kg_path: str | None
) -> dict[str, float]:
    env = dict(os.environ)
    if kg_path:
        env["PYTHONPATH"] = kg_path + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, mode, str(store), fmt, str(timeout)],
        input=sparql.encode("utf-8"),
        capture_output=True,
        env=env,
        check=False,
    )
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    try:
        figures: dict[str, float] = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": 1.0}
    figures["errors"] = float(sum("Error" in line for line in lines[:-1]))
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="+", default=["csv", "tsv", "json", "md", "table"])
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--kg-path", default=None, help="PYTHONPATH of another kg to run")
    parser.add_argument("--no-api", action="store_true", help="skip the Python API runs")
    args = parser.parse_args(argv)
    sparql = cross_product(args.rows)
    say(json.dumps(machine()))
    say(f"rows: {args.rows:,}; timeout {args.timeout:g} s; kg from {args.kg_path or 'here'}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        import kg
        from kg.store.evalstore import EvalStore

        EvalStore.create(store).flush()
        package = Path(args.kg_path) / "kg" if args.kg_path else Path(kg.__file__).parent
        worker = str(package / "_worker.py")
        alone = measure("worker", store, worker, args.timeout, sparql, args.kg_path)
        say(f"the query's child alone (any format): {alone.get('child_kb', 0) / 1024:.0f} MB")
        say(f"{'how':<5} {'format':<6} {'wall s':>7} {'peak MB':>8}  note")
        modes = ["cli"] if args.no_api else ["cli", "api"]
        for fmt in args.formats:
            for mode in modes:
                got = measure(mode, store, fmt, args.timeout, sparql, args.kg_path)
                if "error" in got:
                    say(f"{mode:<5} {fmt:<6} failed")
                    continue
                note = "stopped (status 2)" if got["status"] else ""
                say(f"{mode:<5} {fmt:<6} {got['wall']:7.1f} {got['self_kb'] / 1024:8.0f}  {note}")


if __name__ == "__main__":
    main()
