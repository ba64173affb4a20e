"""Benchmark: network projections and metrics on a store, and the metric engines side by side.

    python benchmarks/bench_network.py (--store DIR | --records N) [--network NAME]
                                       [--repeat K] [--seed S]

1. With ``--records N``, N synthetic lesson pages (``synthetic``) are built into a
   temporary on-disk store (not timed); ``--store DIR`` uses a built store instead.
2. The projection (``kg.networks.projection.project``), stage by stage: each query of
   ``queries/network/*.rq`` it reads, then the whole projection from a cold start.
3. ``kg.networks.metrics.compute_metrics`` (python-igraph: Louvain and betweenness with edge
   length 1/weight, exact or sampled by its work budget), against networkx on the same
   graph: ``louvain_communities(seed=…)`` and ``betweenness_centrality`` with the same
   number of sampled sources (exact when igraph's was exact).

Every figure is the median of K runs (networkx's betweenness: one run), in this one
process, one after the other; the stages show wall and CPU time (CPU time is less
sensitive to other work on the machine). The 1-minute load average is printed at the
start and the end. The script prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_build import add_profile_argument

from kg.store.evalstore import EvalStore


def say(text: str = "") -> None:
    """Print a line of the report."""
    sys.stdout.write(text + "\n")


CPU: dict[str, float] = {}


def median_seconds(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median wall time of ``repeat`` calls of ``run``, and its last result; the median
    CPU time of this process over the same calls is left in ``CPU["last"]``."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times), result


def built_store(records: int, seed: int, profile: str, folder: Path) -> EvalStore:
    """A store of ``records`` synthetic pages, built into ``folder``."""
    from synthetic import write_corpus

    from kg.load.build import build

    pages = folder / "pages"
    write_corpus(pages, records, seed=seed, profile=profile)
    store = EvalStore.create(folder / "store")
    report = build([pages], store=store)
    say(f"built {report.accepted:,} records, {report.triples:,} triples in {report.seconds:.1f} s")
    return store


def stage_rows(store: EvalStore, network: str, repeat: int) -> list[tuple[str, float, float, str]]:
    """Seconds for each query the projection reads, and for the whole projection."""
    from kg.networks.netdata import rows
    from kg.networks.projection import NETWORKS, project

    out = []
    queries = [
        "network/lessons",
        "network/evaluation-details",
        "network/lesson-regions",
        "network/labels",
        NETWORKS[network].query,
    ]
    for name in queries:
        seconds, found = median_seconds(lambda name=name: list(rows(store, name)), repeat)
        out.append((f"query {name}", seconds, CPU["last"], f"{len(found):,} rows"))
    seconds, graph = median_seconds(lambda: project(store, network), repeat)
    size = f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges"
    out.append((f"project({network!r}) from cold", seconds, CPU["last"], size))
    return out


def engine_rows(
    graph: Any, repeat: int, seed: int, networkx: bool = True
) -> list[tuple[str, float, float, str]]:
    """(metric, igraph seconds, networkx seconds, note) on ``graph``; without
    ``networkx``, its figures are NaN."""
    import networkx as nx

    from kg.networks.metrics import compute_metrics

    total, _ = median_seconds(lambda: compute_metrics(graph, seed=seed), repeat)
    how = graph.graph["metrics"]["betweenness"]
    sources = None
    if how.startswith("estimated from "):
        sources = int(how.split()[2].replace(",", ""))
    if not networkx:
        return [("compute_metrics (all, igraph)", total, float("nan"), how)]
    nx_louvain, _ = median_seconds(
        lambda: nx.community.louvain_communities(graph, weight="weight", seed=seed), repeat
    )
    nx_between, _ = median_seconds(
        lambda: nx.betweenness_centrality(
            graph, k=sources, seed=seed, weight=lambda u, v, d: 1 / d["weight"]
        ),
        1,
    )
    return [
        (
            "compute_metrics (all, igraph) vs louvain + betweenness (networkx)",
            total,
            nx_louvain + nx_between,
            how,
        ),
        ("  of which networkx louvain_communities", float("nan"), nx_louvain, ""),
        ("  of which networkx betweenness_centrality (1 run)", float("nan"), nx_between, ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", help="a built evalkg store folder")
    where.add_argument("--records", type=int, help="build this many synthetic records first")
    parser.add_argument("--network", default="actors")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    add_profile_argument(parser)
    parser.add_argument(
        "--no-networkx", action="store_true", help="skip the (slow) networkx comparison"
    )
    args = parser.parse_args()
    say(f"load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="evalkg-bench-network-") as tmp:
        if args.store:
            store = EvalStore.open(args.store)
        else:
            store = built_store(args.records, args.seed, args.profile, Path(tmp))
        stages = stage_rows(store, args.network, args.repeat)
        from kg.networks.projection import project

        graph = project(store, args.network)
        engines = engine_rows(graph, args.repeat, seed=42, networkx=not args.no_networkx)
    say()
    say(f"{'stage':<48} | {'wall (s)':>8} | {'CPU (s)':>8} | size")
    say(f"{'-' * 48}-+-{'-' * 8}-+-{'-' * 8}-+-{'-' * 30}")
    for name, seconds, cpu, size in stages:
        say(f"{name:<48} | {seconds:>8.3f} | {cpu:>8.3f} | {size}")
    say()
    say(f"{'metrics':<66} | {'igraph (s)':>10} | {'networkx (s)':>12} | {'ratio nx/ig':>11}")
    say(f"{'-' * 66}-+-{'-' * 10}-+-{'-' * 12}-+-{'-' * 11}")
    for name, ig_s, nx_s, note in engines:
        ratio = f"{nx_s / ig_s:>11.1f}" if ig_s > 0 and nx_s == nx_s else " " * 11
        shown = f"{ig_s:>10.3f}" if ig_s == ig_s else " " * 10
        nx_shown = f"{nx_s:>12.3f}" if nx_s == nx_s else " " * 12
        say(f"{name:<66} | {shown} | {nx_shown} | {ratio}")
        if note:
            say(f"  betweenness: {note}")
    say()
    say(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
