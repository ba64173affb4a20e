"""By hand: kill ``evalkg build`` (SIGKILL) at several moments, build again, and compare
the store with a fresh build, quad for quad.

    python benchmarks/kill_build.py [--records 3000] [--at 2,5,9,14] [--seed 0] [--small-batches]

1. N synthetic pages (``synthetic``, profile ``real``) are written to a temporary folder.
2. A fresh build into its own folder (``evalkg build -q -w 1``), with ``SOURCE_DATE_EPOCH``
   fixed so that time stamps match.
3. For each moment T (seconds after start): ``evalkg build`` into a new folder is killed at
   T; ``evalkg build`` runs again, to the end; the store is compared with the fresh one:
   its quads (those with blank nodes only counted: the ontology's lists get new names at
   each parse), the shared-triple counts, the lesson index, the lesson index's state,
   leftover loader files and the journal. ``--small-batches`` makes the bulk loader take
   batches of 1 MB instead of 128 MB, so that kills fall between batches.

Prints one line per moment: what the kill interrupted (from the journal and the files
left), what the rebuild said it repaired, and whether every part matches. It asserts
nothing; the test suite's ``tests/test_crash.py`` does, on 160 records at fixed points.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_build import say

EPOCH = "1780000000"
_SMALL = (
    "import sys, kg.store.bulkload; kg.store.bulkload.BATCH_BYTES = 1_000_000; "
    "from kg.cli import main; main(sys.argv[1:])"
)


def _evalkg(small: bool) -> list[str]:
    if small:
        return [sys.executable, "-c", _SMALL]
    return [sys.executable, "-c", "import sys; from kg.cli import main; main(sys.argv[1:])"]


def _state(folder: Path) -> dict[str, object]:
    """What a store holds, comparable between two stores: the crash tests' own reading
    (tests/test_crash.py), so that the test and this script compare the same things."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_crash import _state as state  # type: ignore[import-not-found]

    found: dict[str, object] = state(folder)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--at", default="2,5,9,14", help="seconds after the start, comma-separated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--small-batches", action="store_true")
    args = parser.parse_args()
    from synthetic import write_corpus

    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = _evalkg(args.small_batches)
    with tempfile.TemporaryDirectory(prefix="evalkg-kill-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        write_corpus(corpus, args.records, seed=args.seed)
        fresh = root / "fresh"
        began = time.perf_counter()
        build = [*command, "build", "-q", "-w", "1", str(corpus), "--store"]
        subprocess.run([*build, str(fresh)], env=env, check=True, capture_output=True)
        took = time.perf_counter() - began
        expected = _state(fresh)
        say(
            f"{args.records} records; fresh build {took:.1f} s, {len(expected['quads']):,} "  # type: ignore[arg-type]
            f"quads (+{expected['blank']} with blank nodes)"
        )
        for moment in (float(t) for t in args.at.split(",")):
            folder = root / f"killed-{moment:g}"
            child = subprocess.Popen([*build, str(folder)], env=env, stdout=subprocess.DEVNULL)
            try:
                child.wait(timeout=moment)
                say(f"kill at {moment:g} s: the build had ended; nothing to interrupt")
                continue
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
            journal = folder / "build.journal"
            journaled = len(journal.read_bytes().splitlines()) - 1 if journal.exists() else 0
            leftovers = len(list((folder / "oxigraph").glob("bulk-*"))) if folder.exists() else 0
            again = subprocess.run(
                [*build, str(folder)], env=env, capture_output=True, text=True, check=False
            )
            repaired = next(
                (line for line in again.stderr.splitlines() if line.startswith("Repaired")),
                "no repair reported",
            )
            found = _state(folder)
            parts = ("quads", "blank", "tables", "leftovers", "journal", "complete")
            same = {part: found[part] == expected[part] for part in parts}
            missing = len(expected["quads"] - found["quads"])  # type: ignore[operator]
            extra = len(found["quads"] - expected["quads"])  # type: ignore[operator]
            say(
                f"kill at {moment:g} s: journal named {journaled} graph(s), {leftovers} loader "
                f"file(s) left; rebuild exit {again.returncode}; {repaired}\n"
                f"  {len(found['quads']):,} quads ({missing} missing, {extra} extra); "  # type: ignore[arg-type]
                + ", ".join(f"{part} {'same' if ok else 'DIFFERENT'}" for part, ok in same.items())
            )


if __name__ == "__main__":
    main()
