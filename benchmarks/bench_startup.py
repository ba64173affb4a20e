"""How long ``evalkg --help`` takes to start, for this checkout and another revision,
interleaved in one run (medians; the machine is shared, so compare the two columns,
not runs on different days).

    python benchmarks/bench_startup.py --baseline fde82ef --runs 21
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = "from kg.cli import main; main()"


def unpack(revision: str, into: Path) -> Path:
    """``kg/`` of ``revision`` (git archive) unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "archive", revision, "kg"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def once(tree: Path, cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``--help`` with ``kg`` taken from ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    before, start = os.times(), time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", PROBE, "--help"],
        env=env,
        cwd=cwd,  # not the checkout: the current folder comes first on sys.path
        stdout=subprocess.DEVNULL,
        check=True,
    )
    wall, after = time.perf_counter() - start, os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="fde82ef", help="git revision to compare")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {
            f"baseline {args.baseline}": unpack(args.baseline, Path(tmp) / "baseline"),
            "this checkout": ROOT,
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                times[name].append(once(tree, Path(tmp)))
    say = sys.stdout.write
    say(f"evalkg --help start-up, median of {args.runs} interleaved runs\n")
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        say(f"{name:24} wall {wall * 1000:6.0f} ms   CPU {cpu * 1000:6.0f} ms\n")


if __name__ == "__main__":
    main()
