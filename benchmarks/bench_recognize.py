"""Benchmark: the recognizer's time per record, this checkout against an earlier revision,
side by side in one run.

    python benchmarks/bench_recognize.py [--baseline REV] [--records N] [--rounds R]

1. N synthetic pages (``synthetic``, profile ``real``: lessons, recommendations and
   good practices shaped as the real pages) are written to a temporary folder, and the
   real pages of ``../shared/real-pages`` are added when that folder exists.
2. The package and reference data of REV (default: the last commit before issue 18's
   reference lists and rules) are extracted with ``git archive``.
3. R rounds, alternately, each in a fresh process: read every record, then time
   ``kg.extract.recordtext.recognize`` over them all (the lexicons, gazetteers and word
   lists loaded first, timed apart), once with the checkout's ``kg``, once with REV's.
   Prints the median milliseconds per record of each, their ratio and the median time
   to load. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from bench_build import say

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-pages"
BASELINE = "c6412f7"

_CHILD = """
import json, sys, time
try:
    from kg.extract.recognize import Recognizer
    from kg.extract.recordtext import field_languages, recognize
    from kg.ingest.reader import iter_files, read_file
    from kg.ingest.record import Record
except ImportError:  # a revision before kg/ was split into layer sub-packages
    from kg.reader import iter_files, read_file
    from kg.recognize import Recognizer
    from kg.record import Record
    try:
        from kg.recordtext import field_languages, recognize
    except ImportError:  # a revision before kg/recordtext.py
        from kg.linking import field_languages, recognize

records = [r for path in iter_files(sys.argv[1:]) for r in read_file(path) if isinstance(r, Record)]
languages = [field_languages(r)[1] for r in records]
loading = time.perf_counter()
recognizer = Recognizer()
recognize(recognizer, records[0], languages[0])  # lexicons and gazetteers loaded
start = time.perf_counter()
found = 0
for record, langs in zip(records, languages):
    found += len(recognize(recognizer, record, langs).mentions)
took = time.perf_counter() - start
load = start - loading
print(json.dumps({"records": len(records), "seconds": took, "mentions": found, "load": load}))
"""


#: The folders a revision's recognizer reads (``wordlists`` since issue 19), when it has them.
FOLDERS = ("kg", "ontology", "wordlists")


def _extract(revision: str, target: Path) -> None:
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", revision],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    folders = [name for name in FOLDERS if name in listed]
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, *folders],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as archive:
        archive.extractall(target, filter="data")


def _run(path: Path, folders: list[str]) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(path)}
    command = [sys.executable, "-c", _CHILD, *folders]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from synthetic import write_corpus

    with tempfile.TemporaryDirectory(prefix="evalkg-bench-recognize-") as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, args.records)
        folders = [str(corpus)] + ([str(REAL)] if REAL.is_dir() else [])
        old = Path(tmp) / "baseline"
        _extract(args.baseline, old)
        times: dict[str, list[float]] = {"checkout": [], args.baseline: []}
        loads: dict[str, list[float]] = {"checkout": [], args.baseline: []}
        counts: dict[str, tuple[int, int]] = {}
        for _ in range(args.rounds):
            for name, path in (("checkout", ROOT), (args.baseline, old)):
                result = _run(path, folders)
                times[name].append(result["seconds"] / result["records"] * 1000)
                loads[name].append(result["load"] * 1000)
                counts[name] = (int(result["records"]), int(result["mentions"]))
    say(f"recognizer, {counts['checkout'][0]:,} records ({args.records:,} synthetic + real pages)")
    say(f"median of {args.rounds} rounds, alternating, ms per record (and ms to load the")
    say("reference data and word lists, the first record's recognition):")
    for name, values in times.items():
        per_record, load = statistics.median(values), statistics.median(loads[name])
        say(f"  {name:10} {per_record:7.3f}  ({counts[name][1]:,} mentions; load {load:,.0f})")
    ratio = statistics.median(times["checkout"]) / statistics.median(times[args.baseline])
    say(f"  checkout / {args.baseline}: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
