"""Benchmark: the HTML network view of a synthetic corpus, against pyvis's defaults.

    python benchmarks/bench_view.py [--records N] [--store DIR] [--network actors]
                                    [--repeat K] [--pyvis-timeout S] [--compare-layouts]
                                    [--json FILE]

1. The store: ``--store DIR`` when it already holds a build, else N synthetic records
   (``synthetic``, as ``bench_build.py``) built into DIR (or a temporary folder).
   The build is timed but is not what this benchmark is about.
2. evalkg: project the network (``kg.networks.projection.project``), compute its metrics
   (``kg.networks.metrics.compute_metrics``), lay it out and build the page's data
   (``kg.views.viewdata.view_data``), render and write the HTML — K times, median seconds of
   each stage and of the whole ("HTML written"). When the store's lesson index is
   complete (``kg.store.lessonindex``; a build writes it), the projection reads it; the same
   projection from SPARQL alone is then timed too, K times, and checked equal.
3. In headless Chromium (Debian's, ``make browser-deps``; a fresh profile; every request
   but the file refused), K times: the time from navigation start to the first frame
   drawn, and the time from typing a name in the search box and pressing Enter to the
   node being selected and its details shown.
4. pyvis's defaults on the same networkx graph, in a child process (``Network()``,
   ``from_nx``, ``write_html``; vis-network inlined with ``cdn_resources="in_line"``
   because the default, ``"local"``, loads vis-network from cdnjs, which an offline page
   cannot): the time to write the HTML, its size, and in Chromium the time until its
   physics has stabilized and the network is drawn, each within ``--pyvis-timeout``.
5. With ``--compare-layouts``: the layouts considered, on a 5,000-node graph (the
   network itself when it has 5,000 nodes or more, else a weighted planted-partition
   graph): python-igraph's Fruchterman–Reingold, evalkg's whole layout
   (``kg.views.layout.positions``), networkx's ``spring_layout`` and ``forceatlas2_layout``.

It prints figures; it asserts nothing. Targets (issue 5, at 100,000 records): HTML
written in under 15 s, drawn in under 3 s, under 20 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_build import add_profile_argument, fmt, machine, say
from headless import chromium, offline

PYVIS_CHILD = r"""
import json, sys, time, pickle
graph = pickle.load(open(sys.argv[1], "rb"))
from pyvis.network import Network
start = time.perf_counter()
net = Network(cdn_resources="in_line")
net.from_nx(graph)
net.write_html(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def open_store(args: argparse.Namespace, work: Path) -> tuple[Any, dict[str, Any]]:
    """The store to draw from, built from N synthetic records when needed."""
    from synthetic import write_corpus

    from kg.load.build import build
    from kg.store.evalstore import EvalStore

    folder = Path(args.store) if args.store else work / "store"
    if folder.is_dir() and any(folder.iterdir()):
        from kg.sparql.stats import stats

        store = EvalStore.open(folder)
        lessons = stats(store)["lessons"]
        say(f"Store {folder}: reused, {lessons:,} lessons")
        return store, {"reused": True, "records": lessons}
    corpus = work / "corpus"
    write_corpus(corpus, args.records, seed=args.seed, profile=args.profile)
    start = time.perf_counter()
    report = build([corpus], store=EvalStore.create(folder))
    seconds = time.perf_counter() - start
    say(f"Store {folder}: {report.accepted:,} records, {report.triples:,} triples, {seconds:.0f} s")
    return EvalStore.open(folder), {"records": report.accepted, "build_s": seconds}


def time_ours(store: Any, network: str, target: Path, repeat: int) -> dict[str, Any]:
    """Projection, metrics, layout + data, template, write: K runs, medians."""
    from kg.networks.metrics import compute_metrics
    from kg.networks.projection import project
    from kg.views.view import View, _render_page
    from kg.views.viewdata import view_data

    stages: dict[str, list[float]] = {k: [] for k in ("project", "metrics", "layout", "html")}
    totals: list[float] = []
    graph: Any = None
    view: Any = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        graph = project(store, network)
        t1 = time.perf_counter()
        compute_metrics(graph)
        t2 = time.perf_counter()
        data = view_data(graph)
        t3 = time.perf_counter()
        view = View(html=_render_page(data), data=data)
        view.save(target)
        t4 = time.perf_counter()
        for key, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[key].append(seconds)
        totals.append(t4 - t0)
    return {
        "graph": graph,
        "view": view,
        "total_s": median(totals),
        **{f"{k}_s": median(v) for k, v in stages.items()},
        "bytes": target.stat().st_size,
    }


def time_sparql_projection(store: Any, network: str, repeat: int) -> dict[str, Any]:
    """The projection read from SPARQL instead of the lesson index (when the store has a
    complete one), K runs, median; checked equal to the index's."""
    from kg.networks.netdata import NetworkData
    from kg.networks.projection import project

    if NetworkData(store).index is None:
        say("lesson index: not complete in this store; every projection reads SPARQL")
        return {"index": False, "sparql_project_s": None}
    seconds: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        graph = project(store, network, use_index=False)
        seconds.append(time.perf_counter() - start)
    fast = project(store, network)
    same = set(graph.edges) == set(fast.edges) and dict(graph.nodes(data=True)) == dict(
        fast.nodes(data=True)
    )
    say(f"lesson index: used; the projection from SPARQL is {'the same' if same else 'DIFFERENT'}")
    return {"index": True, "sparql_project_s": median(seconds), "same_as_sparql": same}


def time_browser_ours(target: Path, query: str, node: str, repeat: int) -> dict[str, Any]:
    """Navigation start to first frame drawn; search typed to node selected."""
    drawn: list[float] = []
    ready: list[float] = []
    search: list[float] = []
    refused: list[str] = []
    errors: list[str] = []
    url = target.resolve().as_uri()
    with chromium() as browser:
        for _ in range(repeat):
            page = browser.new_page()
            refused += offline(page, url)
            page.on("pageerror", lambda e: errors.append(str(e)))
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function("window.evalkg && window.evalkg.ready === true", timeout=0)
            ready.append(time.perf_counter() - start)
            drawn.append(page.evaluate("window.evalkg.timings.drawnAt") / 1000)
            start = time.perf_counter()
            page.fill("#search", query)
            page.press("#search", "Enter")
            page.wait_for_function(
                """(id) => window.network.getSelectedNodes()[0] === id
                    && !document.getElementById('details').hidden""",
                arg=node,
            )
            search.append(time.perf_counter() - start)
            page.close()
    return {
        "drawn_s": median(drawn),
        "ready_s": median(ready),
        "search_s": median(search),
        "refused": len(refused),
        "errors": errors,
    }


def time_pyvis(graph: Any, work: Path, timeout: float) -> dict[str, Any]:
    """pyvis's defaults on the same graph, in a child process (it may not finish)."""
    import pickle

    source = work / "graph.pickle"
    with source.open("wb") as out:
        pickle.dump(graph, out)
    target = work / "pyvis.html"
    try:
        done = subprocess.run(
            [sys.executable, "-c", PYVIS_CHILD, str(source), str(target)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {"written": False, "total_s": f"> {timeout:.0f}"}
    result = {"written": True, "total_s": json.loads(done.stdout)["seconds"]}
    result["bytes"] = target.stat().st_size
    result.update(time_browser_pyvis(target, timeout))
    return result


HOOK = """(() => {
  const hook = () => {
    if (window.network && window.network.on) {
      window.network.on('afterDrawing', () => { window.__drawnAt ??= performance.now(); });
      window.network.on('stabilizationIterationsDone', () => {
        window.__stableAt ??= performance.now(); });
    } else { setTimeout(hook, 2); }
  };
  hook();
})();"""


def time_browser_pyvis(target: Path, timeout: float) -> dict[str, Any]:
    """Navigation start to physics stabilized and the network drawn."""
    url = target.resolve().as_uri()
    with chromium() as browser:
        page = browser.new_page()
        refused = offline(page, url)
        page.add_init_script(HOOK)
        page.goto(url, wait_until="load", timeout=timeout * 1000)
        try:
            page.wait_for_function(
                "window.__stableAt !== undefined && window.__drawnAt >= window.__stableAt",
                timeout=timeout * 1000,
            )
        except Exception:  # Playwright's TimeoutError: report, do not crash
            return {"drawn_s": f"> {timeout:.0f}", "refused": len(refused)}
        drawn = page.evaluate("window.__drawnAt") / 1000
    return {"drawn_s": drawn, "refused": len(refused)}


def compare_layouts(graph: Any) -> list[tuple[str, Any, Any, Any]]:
    """Seconds of each candidate layout on a 5,000-node weighted graph."""
    import networkx as nx

    from kg.views.layout import _force_layout, positions

    if graph.number_of_nodes() < 5000:
        graph = nx.planted_partition_graph(50, 100, 0.08, 0.0008, seed=1)
        for u, v in graph.edges:
            graph.edges[u, v]["weight"] = float(1 + (u * 31 + v * 17) % 5)
        what = "planted partition (50 x 100 nodes)"
    else:
        what = f"the {graph.graph.get('network')} network"
    say(
        f"\nLayouts on {what}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges"
    )
    runs: list[tuple[str, Any]] = [
        (
            "python-igraph Fruchterman-Reingold (500 iterations)",
            lambda: _force_layout(graph, list(graph), seed=1, iterations=500),
        ),
        (
            "evalkg layout (kg.views.layout.positions, per community + overlaps)",
            lambda: positions(graph, dict.fromkeys(graph, 5.0), communities=_louvain(graph)),
        ),
        (
            "networkx spring_layout (50 iterations)",
            lambda: nx.spring_layout(graph, weight="weight", seed=1),
        ),
        (
            "networkx forceatlas2_layout (100 iterations)",
            lambda: nx.forceatlas2_layout(graph, weight="weight", seed=1),
        ),
    ]
    rows: list[tuple[str, Any, Any, Any]] = []
    for name, run in runs:
        start = time.perf_counter()
        run()
        rows.append((name, round(time.perf_counter() - start, 2), "", ""))
        say(f"  {name}: {rows[-1][1]} s")
    return rows


def _louvain(graph: Any) -> dict[Any, int]:
    from kg.networks.metrics import compute_metrics

    return {n: m["community"] for n, m in compute_metrics(graph.copy()).items()}


def search_target(graph: Any) -> tuple[str, str]:
    """A node of middling centrality and a query that finds it first (its label)."""
    ranked = sorted(graph, key=lambda n: -graph.degree(n, weight="weight"))
    node = ranked[min(len(ranked) - 1, len(ranked) // 10)]
    return graph.nodes[node]["label"], node


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--store", default=None, help="store folder: reused if built")
    parser.add_argument("--network", default="actors")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    add_profile_argument(parser)
    parser.add_argument("--pyvis-timeout", type=float, default=600.0)
    parser.add_argument("--compare-layouts", action="store_true")
    parser.add_argument("--json", default=None, help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    say(f"machine: {json.dumps(machine())}; load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="evalkg-bench-view-") as tmp:
        work = Path(tmp)
        store, built = open_store(args, work)
        ours = time_ours(store, args.network, work / "evalkg.html", args.repeat)
        ours.update(time_sparql_projection(store, args.network, args.repeat))
        graph, view = ours.pop("graph"), ours.pop("view")
        query, node = search_target(graph)
        ours.update(time_browser_ours(work / "evalkg.html", query, node, args.repeat))
        pyvis = time_pyvis(graph, work, args.pyvis_timeout)
        layouts = compare_layouts(graph) if args.compare_layouts else []
    rows = report_rows(graph, view, ours, pyvis)
    records = built.get("records", "reused store")
    say(
        f"\nevalkg view benchmark: {args.network} network, {records} records; "
        f"median of {args.repeat}"
    )
    say(table([("metric", "evalkg view", "pyvis defaults", "ratio evalkg/pyvis"), *rows]))
    say(
        f"search query: {query!r}; page errors: {ours['errors'] or 'none'}; "
        f"load {os.getloadavg()[0]:.2f}"
    )
    if args.json:
        figures = {"built": built, "rows": rows, "layouts": layouts}
        Path(args.json).write_text(json.dumps(figures, default=str, indent=1), encoding="utf-8")
    return 0


def report_rows(
    graph: Any, view: Any, ours: dict[str, Any], pyvis: dict[str, Any]
) -> list[tuple[str, Any, Any, Any]]:
    """The side-by-side table: evalkg's stages and totals against pyvis's defaults."""
    from_graph = ours["metrics_s"] + ours["layout_s"] + ours["html_s"]
    theirs = pyvis["total_s"]
    with_projection = ours["project_s"] + theirs if isinstance(theirs, float) else theirs
    mb = 1_000_000
    return [
        ("nodes", graph.number_of_nodes(), graph.number_of_nodes(), ""),
        ("edges (drawn)", view.data.edges_shown, graph.number_of_edges(), ""),
        ("project network (s)", ours["project_s"], ours["project_s"], ""),
        (
            "  the same from SPARQL, no lesson index (s)",
            ours["sparql_project_s"] if ours["index"] else "-",
            "",
            _ratio(ours["project_s"], ours["sparql_project_s"]),
        ),
        ("metrics (s)", ours["metrics_s"], "", ""),
        ("layout + page data (s)", ours["layout_s"], "", ""),
        ("render + write HTML (s)", ours["html_s"], "", ""),
        ("HTML written from the graph (s)", from_graph, theirs, _ratio(from_graph, theirs)),
        (
            "HTML written, with the projection (s)",
            ours["total_s"],
            with_projection,
            _ratio(ours["total_s"], with_projection),
        ),
        (
            "HTML size (MB)",
            ours["bytes"] / mb,
            pyvis.get("bytes", 0) / mb or "-",
            _ratio(ours["bytes"], pyvis.get("bytes")),
        ),
        (
            "drawn, from navigation start (s)",
            ours["drawn_s"],
            pyvis.get("drawn_s", "-"),
            _ratio(ours["drawn_s"], pyvis.get("drawn_s")),
        ),
        ("search answered (s)", ours["search_s"], "no search box", ""),
        ("requests refused (outside the file)", ours["refused"], pyvis.get("refused", "-"), ""),
    ]


def table(rows: list[tuple[str, Any, Any, Any]]) -> str:
    """Rows as an aligned text table; the first row is the header."""
    cells = [tuple(fmt(c) if i else str(c) for i, c in enumerate(row)) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def _ratio(a: Any, b: Any) -> str:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b > 0:
        return f"{a / b:.3f}"
    return ""


if __name__ == "__main__":
    raise SystemExit(main())
