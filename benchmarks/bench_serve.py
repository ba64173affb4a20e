"""Benchmark: queries per second of one small named query with 8 concurrent clients,
``evalkg serve`` against the embedded store, side by side in one run.

    python benchmarks/bench_serve.py [--records N] [--store DIR] [--query NAME]
                                     [--param NAME=VALUE ...] [--clients C]
                                     [--rounds R] [--seconds S] [--seed N]
                                     [--profile real|dense] [--json FILE]

1. The graph: N synthetic records (``synthetic``, default 100,000) built with
   ``kg.load.build.build`` (``bench_queries.build_store``; its time printed), or the store
   already in ``--store DIR`` (built there first if DIR is empty; kept).
2. The query: ``evaluation-lessons`` unless ``--query`` names another, its parameters
   picked from the graph by ``benchmarks/params/`` (``number``: the evaluation with the
   most lessons) unless ``--param`` gives them, bound as ``evalkg query`` binds them
   (``kg.sparql.queries.load_request``): one index lookup of an evaluation number, a
   handful of rows, so the figures are the cost of a request, not of a big answer.
3. Four ways of asking it, C clients each (default 8), each as fast as it can for S
   seconds (default 10), in R rounds (default 5) taken in turn:

   - ``embedded, threads``: C threads of this process sharing one ``EvalStore.open``,
     each calling ``kg.sparql.query.run_query`` (the safety check, then the engine in
     the calling thread: no deadline, so no child process);
   - ``embedded, processes``: C processes, each with its own ``EvalStore.open`` of the
     folder (read-only), the same loop: what threads give if the GIL serializes them;
   - ``served, /queries/NAME``: ``evalkg serve`` on a free port of 127.0.0.1 (a child
     process, its default deadline and slots: its queries run in the query workers it
     starts), C threads of this process each with one
     keep-alive ``http.client`` connection, ``GET /queries/NAME?param=…``, JSON results;
   - ``served, /sparql``: the same, ``GET /sparql?query=`` with the text that runs.

   Before the rounds, once: the same C HTTP clients against a static file of the
   server (``/static/serve/serve.css``: the ceiling of client + HTTP, no query), one
   thread of ``run_query`` alone (against C threads: do threads scale?), and what one
   query costs in process and through the deadline's child process
   (``bench_queries.child_overhead``), with the child's start split into Python +
   ``import pyoxigraph`` and opening the store read-only.
4. Every answer's rows (order-free, ``GROUP_CONCAT`` cells as sets:
   ``bench_queries.comparable``) are compared with the rows of one ``run_query`` before
   the rounds; a wrong answer, a status other than 200 or a failed request is counted,
   and any count above 0 is printed loudly.

Printed: each round's q/s per way, their medians, the latency p50 and p95 over every
request of the rounds (client side, answer read and parsed), the ratios embedded/served,
the machine, the records, quads and the command. The clients run on the same cores as the
server. The script prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import queue
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any

from bench_build import add_profile_argument, machine, say, source_fingerprint
from bench_queries import build_store, child_overhead, comparable, pick_params

ONE, THREADS, PROCESSES = "embedded, 1 thread", "embedded, threads", "embedded, processes"
NAMED, SPARQL = "served, /queries/NAME", "served, /sparql"
#: The ways of asking, in the order each round takes them; ONE is one client, the others
#: ``--clients``.
WAYS = (ONE, THREADS, PROCESSES, NAMED, SPARQL)
JSON_RESULTS = "application/sparql-results+json"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
#: A query of about a second at 100,000 records, for :func:`gil_check`.
GIL_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?o }"
#: What one child of the deadline costs before its query: Python + pyoxigraph, the open.
CHILD_START = """
import sys, time
t0 = time.perf_counter()
import pyoxigraph as ox
t1 = time.perf_counter()
ox.Store.read_only(sys.argv[1])
print(t1 - t0, time.perf_counter() - t1)
"""


class Work:
    """What every client asks and checks: the text, the path of each served way, the
    expected rows' digest."""

    def __init__(self, name: str, text: str, params: dict[str, str], rows: int) -> None:
        self.name, self.text, self.params, self.rows = name, text, params, rows
        self.digest = ""
        query = urllib.parse.urlencode({**params, "format": "json"})
        self.paths = {
            NAMED: f"/queries/{urllib.parse.quote(name)}?{query}",
            SPARQL: "/sparql?" + urllib.parse.urlencode({"query": text, "format": "json"}),
        }


def embedded_digest(store: Any, text: str) -> str:
    """One ``run_query`` of ``text``, its rows as a digest."""
    from kg.sparql.query import run_query

    result = run_query(store, text)
    rows = [tuple(None if v is None else v.value for v in row) for row in result.rows]
    return comparable(rows, result.variables, text)


def served_digest(body: bytes, text: str) -> str:
    """A SPARQL results JSON answer's rows as a digest."""
    answer = json.loads(body)
    names = answer["head"]["vars"]
    rows = [
        tuple(b[n]["value"] if n in b else None for n in names)
        for b in answer["results"]["bindings"]
    ]
    return comparable(rows, names, text)


def client_loop(ask: Callable[[], str], digest: str, sync: Any) -> dict[str, Any]:
    """Ask once (warm-up), say so on ``sync.ready``, wait for ``sync.start``, then ask
    until ``sync.deadline.value`` (``time.monotonic``): the latency of every answer
    (status 200), the failed requests and the answers whose rows are wrong."""
    tally: dict[str, Any] = {"latencies": [], "errors": 0, "wrong": 0, "first_error": ""}

    def once() -> None:
        began = time.perf_counter()
        try:
            got = ask()
        except Exception as exc:  # a failed request is counted, not raised
            tally["errors"] += 1
            tally["first_error"] = tally["first_error"] or f"{type(exc).__name__}: {exc}"[:200]
            return
        tally["latencies"].append(time.perf_counter() - began)
        tally["wrong"] += got != digest

    once()  # the warm-up: a connection, the store's caches
    tally.update(latencies=[], errors=0, wrong=0, first_error="")
    sync.ready.put(None)
    sync.start.wait()
    while time.monotonic() < sync.deadline.value:
        once()
    tally["ended"] = time.monotonic()
    return tally


def http_asker(port: int, path: str, text: str | None) -> Callable[[], str]:
    """A client with one keep-alive connection asking ``path`` (JSON results: their rows'
    digest; ``text`` ``None``: any body, its length); a failure closes the connection."""
    box: dict[str, http.client.HTTPConnection] = {}

    def ask() -> str:
        if "c" not in box:
            box["c"] = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            box["c"].request("GET", path, headers={"Accept": JSON_RESULTS})
            answer = box["c"].getresponse()
            body = answer.read()
        except Exception:
            box.pop("c").close()
            raise
        if answer.status != 200:
            raise RuntimeError(f"status {answer.status}: {body[:160]!r}")
        return str(len(body)) if text is None else served_digest(body, text)

    return ask


class Sync:
    """How the clients of one run start together: each says it is ready, then waits."""

    def __init__(self, ready: Any, start: Any, deadline: Any) -> None:
        self.ready, self.start, self.deadline = ready, start, deadline


def go(sync: Sync, clients: int, seconds: float) -> float:
    """Wait for every client's warm-up, then start the clock; when it started."""
    for _ in range(clients):
        sync.ready.get(timeout=600)
    began = time.monotonic()
    sync.deadline.value = began + seconds
    sync.start.set()
    return began


def run_threads(
    clients: int, seconds: float, make: Callable[[], Callable[[], str]], digest: str
) -> dict[str, Any]:
    """``clients`` threads of this process, each with its own ``make()`` asker."""
    sync = Sync(queue.Queue(), threading.Event(), mp.Value("d", 0.0, lock=False))
    tallies: list[dict[str, Any]] = []

    def client() -> None:
        tallies.append(client_loop(make(), digest, sync))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    cpu = time.process_time()
    began = go(sync, clients, seconds)
    for thread in threads:
        thread.join()
    figures = merge(tallies, began)
    figures["cpu_s"] = time.process_time() - cpu  # this process: the clients (and the
    return figures  # embedded engine, which runs in their threads)


def process_client(folder: str, text: str, digest: str, sync: Sync, out: Any) -> None:
    """One client process of the embedded processes: its own read-only store."""
    from kg.store.evalstore import EvalStore

    with EvalStore.open(folder) as store:
        out.put(client_loop(partial(embedded_digest, store, text), digest, sync))


def run_processes(clients: int, seconds: float, folder: Path, work: Work) -> dict[str, Any]:
    """``clients`` fresh (spawned) processes, each opening the store; timed from when
    every one has opened it and asked once."""
    ctx = mp.get_context("spawn")
    sync = Sync(ctx.Queue(), ctx.Event(), ctx.Value("d", 0.0))
    out = ctx.Queue()
    args = (str(folder), work.text, work.digest, sync, out)
    procs = [ctx.Process(target=process_client, args=args) for _ in range(clients)]
    for proc in procs:
        proc.start()
    began = go(sync, clients, seconds)
    tallies = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    return merge(tallies, began)


def merge(tallies: list[dict[str, Any]], began: float) -> dict[str, Any]:
    """One run's figures from its clients' tallies."""
    latencies = [s for t in tallies for s in t["latencies"]]
    wall = max(t["ended"] for t in tallies) - began
    errors = [t["first_error"] for t in tallies if t["first_error"]]
    return {
        "answers": len(latencies),
        "seconds": wall,
        "qps": len(latencies) / wall,
        "latencies": latencies,
        "errors": sum(t["errors"] for t in tallies),
        "wrong": sum(t["wrong"] for t in tallies),
        "first_error": errors[0] if errors else "",
    }


# --- the server ----------------------------------------------------------------------


def server_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of the process ``pid``, and of its children: those
    that ended and those that run (the query workers)."""
    tick = os.sysconf("SC_CLK_TCK")

    def times(process: int) -> list[int]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        return [int(value) for value in fields[11:15]]

    own = times(pid)
    running = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with suppress(OSError):  # the thread ended meanwhile
            children = (task / "children").read_text().split()
            for child in children:
                with suppress(OSError):  # it ended meanwhile (counted as ended, above)
                    running += sum(times(int(child))[:2])
    return (own[0] + own[1]) / tick, (own[2] + own[3] + running) / tick


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def evalkg_serve(folder: Path, log: Path) -> Iterator[tuple[int, int]]:
    """``evalkg serve`` on ``folder`` (a child process, 127.0.0.1, a free port, its
    defaults otherwise), its log to ``log``; its port and process id once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(folder)]
    with log.open("wb") as sink:
        process = subprocess.Popen([*command, "--port", str(port)], stderr=sink)
    try:
        ready_by = time.monotonic() + 300
        while True:
            try:
                http_asker(port, "/static/serve/serve.css", None)()
                break
            except (OSError, RuntimeError):
                if process.poll() is not None or time.monotonic() > ready_by:
                    raise SystemExit(f"evalkg serve did not start; its log: {log}") from None
                time.sleep(0.2)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def child_start(folder: Path, repeat: int) -> dict[str, float]:
    """Median seconds of what the deadline's child process does before its query: a
    fresh Python (wall time of the whole process, seen from here), of which importing
    pyoxigraph and opening the store's database read-only (seen from inside)."""
    from kg.store.evalstore import EvalStore

    with EvalStore.open(folder) as store:
        database = str(store.database)
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD_START, database], capture_output=True, check=True
        )
        runs.append([time.perf_counter() - began, *(float(x) for x in done.stdout.split())])
    return {
        key: statistics.median(run[i] for run in runs)
        for i, key in enumerate(("process_s", "import_s", "open_s"))
    }


def gil_check(store: Any) -> dict[str, float]:
    """Whether pyoxigraph lets other threads run while it evaluates: how often a thread
    that sleeps 1 ms at a time wakes per second, idle, during one long query
    (:data:`GIL_QUERY`, run by ``EvalStore.query``), and during a pure Python loop
    (which holds the GIL but for the interpreter's switches)."""
    ticks, stop = [0], threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            time.sleep(0.001)
            ticks[0] += 1

    def rate(work: Callable[[], object]) -> tuple[float, float]:
        before, began = ticks[0], time.perf_counter()
        work()
        seconds = time.perf_counter() - began
        return (ticks[0] - before) / seconds, seconds

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        idle, _ = rate(partial(time.sleep, 1.0))
        during, query_s = rate(lambda: list(store.query(GIL_QUERY)))
        python, _ = rate(lambda: sum(i * i for i in range(5_000_000)))
    finally:
        stop.set()
        thread.join()
    return {"idle": idle, "query": during, "query_s": query_s, "python": python}


# --- the run -------------------------------------------------------------------------


def prepare(store: Any, name: str, given: list[str] | None) -> Work:
    """The named query ``name`` bound as ``evalkg query`` binds it, with its parameters
    (picked from the graph, ``--param`` first), and the digest of its rows."""
    from kg.sparql.params import parse_params
    from kg.sparql.queries import get_query, load_request
    from kg.sparql.query import run_query

    named = get_query(name)
    params = pick_params(store, named)
    params.update({k: v for k, v in parse_params(given or []).items() if k in named.params})
    text, _ = load_request(name, None, params)
    work = Work(name, text, params, len(run_query(store, text).rows))
    work.digest = embedded_digest(store, text)
    return work


def one_round(
    args: argparse.Namespace, store: Any, folder: Path, server: tuple[int, int], work: Work
) -> dict[str, dict[str, Any]]:
    """Each way once, in turn, for ``args.seconds``."""
    n, s = args.clients, args.seconds
    port, pid = server
    embedded = partial(partial, embedded_digest, store, work.text)
    out = {
        ONE: run_threads(1, s, embedded, work.digest),
        THREADS: run_threads(n, s, embedded, work.digest),
        PROCESSES: run_processes(n, s, folder, work),
    }
    for way in (NAMED, SPARQL):
        path = work.paths[way]
        before = server_cpu(pid)
        out[way] = run_threads(n, s, partial(http_asker, port, path, work.text), work.digest)
        after = server_cpu(pid)
        out[way]["server_cpu_s"] = after[0] - before[0]
        out[way]["children_cpu_s"] = after[1] - before[1]
    return out


def run(args: argparse.Namespace, folder: Path, log: Path) -> dict[str, Any]:
    from kg.sparql.stats import stats
    from kg.store.evalstore import EvalStore

    built_s = None
    if not (folder / "evalkg.json").is_file():
        built_s = build_store(folder, args.records, args.seed, args.profile)
    figures: dict[str, Any] = {"store": str(folder), "built_s": built_s, "load": []}
    with EvalStore.open(folder) as store:
        figures["counts"] = stats(store)
        figures["quads"] = int(next(iter(store.query(COUNT_QUADS, union=False)))["n"].value)
        work = prepare(store, args.query, args.param)
        figures.update(query=work.name, params=work.params, text=work.text, rows=work.rows)
        figures["start"] = child_start(folder, 5)
        figures["gil"] = gil_check(store)
        here, child = child_overhead(store, 5)
        figures["overhead"] = {"in_process_s": here, "child_process_s": child}
        figures["load"].append(os.getloadavg()[0])
        with evalkg_serve(folder, log) as (port, pid):
            static = "/static/serve/serve.css"
            figures["ceiling"] = run_threads(
                args.clients, args.seconds / 2, partial(http_asker, port, static, None), "-"
            )
            figures["ceiling"]["wrong"] = 0  # a length is no digest
            rounds = []
            for k in range(args.rounds):
                sys.stderr.write(f"... round {k + 1} of {args.rounds}\n")
                rounds.append(one_round(args, store, folder, (port, pid), work))
            figures["rounds"] = rounds
    figures["load"].append(os.getloadavg()[0])
    figures["machine"] = machine()
    return figures


# --- the report ----------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank); NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per way: the rounds' q/s and their median, latency p50/p95 over every answer,
    the answers, errors and wrong answers."""
    out = {}
    for way in WAYS:
        runs = [r[way] for r in rounds]
        latencies = [s for run in runs for s in run["latencies"]]
        out[way] = {
            "qps": [run["qps"] for run in runs],
            "median_qps": statistics.median(run["qps"] for run in runs),
            "p50_ms": 1000 * percentile(latencies, 0.50),
            "p95_ms": 1000 * percentile(latencies, 0.95),
            "answers": len(latencies),
            "errors": sum(run["errors"] for run in runs),
            "wrong": sum(run["wrong"] for run in runs),
            "first_error": next((run["first_error"] for run in runs if run["first_error"]), ""),
            "busy": sum(run["seconds"] for run in runs),
        }
        for part in ("cpu_s", "server_cpu_s", "children_cpu_s"):
            if part in runs[0]:
                out[way][part] = sum(run[part] for run in runs)
    return out


def cpu_lines(table_rows: dict[str, dict[str, Any]]) -> list[str]:
    """Where the CPU went, per answer (ms): this process (the clients; embedded, the
    engine too), the server, its queries' child processes."""
    lines = []
    names = {"cpu_s": "this process", "server_cpu_s": "server", "children_cpu_s": "its children"}
    for way, row in table_rows.items():
        parts = [
            f"{names[k]} {1000 * row[k] / row['answers']:.1f}"
            for k in names
            if k in row and row["answers"]
        ]
        if parts:
            share = row["cpu_s"] / row["busy"]
            lines.append(f"  {way}: {', '.join(parts)} (this process: {share:.2f} cores busy)")
    return lines


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


def print_report(figures: dict[str, Any], args: argparse.Namespace) -> None:
    counts, quads = figures["counts"], figures["quads"]
    records = counts["lessons"] + counts["good_practices"] + counts["recommendations"]
    say(
        f"\nevalkg serve against the embedded store: {records:,} records ({counts['lessons']:,} "
        f"lessons, {counts['evaluations']:,} evaluations), {quads:,} quads ({figures['store']})"
    )
    if figures["built_s"] is not None:
        say(f"store built in {figures['built_s']:.0f} s (not part of the figures)")
    params = ", ".join(f"{k}={v!r}" for k, v in figures["params"].items())
    say(
        f"query: {figures['query']} ({params}; {figures['rows']} rows); {args.clients} "
        f"clients per way ({ONE}: one), {args.rounds} rounds of {args.seconds:g} s, the "
        "ways in turn"
    )
    table_rows = summary(figures["rounds"])
    head = (
        "way",
        *(f"round {k + 1} q/s" for k in range(args.rounds)),
        "median q/s",
        "p50 ms",
        "p95 ms",
        "answers",
        "errors",
        "wrong",
    )
    cells = [head]
    for way, s in table_rows.items():
        cells.append(
            (
                way,
                *(f"{q:,.1f}" for q in s["qps"]),
                f"{s['median_qps']:,.1f}",
                f"{s['p50_ms']:,.1f}",
                f"{s['p95_ms']:,.1f}",
                f"{s['answers']:,}",
                str(s["errors"]),
                str(s["wrong"]),
            )
        )
    say()
    for line in table(cells):
        say(line)
    say()
    served = table_rows[NAMED]["median_qps"]
    for way in (THREADS, PROCESSES):
        mine = table_rows[way]["median_qps"]
        for other in (NAMED, SPARQL):
            theirs = table_rows[other]["median_qps"]
            ratio = mine / theirs if theirs else float("nan")
            say(f"ratio {way} / {other}: {ratio:,.1f} (medians)")
    best = max((THREADS, PROCESSES), key=lambda w: table_rows[w]["median_qps"])
    say(
        f"headline: served {served:,.1f} q/s, embedded {table_rows[best]['median_qps']:,.1f} "
        f"q/s ({best}), ratio {table_rows[best]['median_qps'] / served:,.1f}"
        if served
        else "headline: the server answered nothing"
    )
    ceiling = figures["ceiling"]
    scale = table_rows[THREADS]["median_qps"] / table_rows[ONE]["median_qps"]
    gil = figures["gil"]
    say(
        f"threads sharing one store: {args.clients} give {scale:.2f} times the q/s of one; "
        f"the GIL during a query: a thread sleeping 1 ms at a time woke {gil['query']:,.0f} "
        f"times a second during a {gil['query_s']:.2f} s query, {gil['idle']:,.0f} idle, "
        f"{gil['python']:,.0f} during a Python loop"
    )
    say(
        f"client + HTTP ceiling ({args.clients} threads, a static file of the server): "
        f"{ceiling['qps']:,.1f} q/s, p50 {1000 * percentile(ceiling['latencies'], 0.5):.1f} ms"
    )
    over, start = figures["overhead"], figures["start"]
    say(
        f"the deadline's child process: ASK {over['child_process_s'] * 1000:.0f} ms through "
        f"it against {over['in_process_s'] * 1000:.2f} ms in process; a process that only "
        f"imports pyoxigraph and opens the store read-only: {start['process_s'] * 1000:.0f} "
        f"ms, of which the import {start['import_s'] * 1000:.0f} ms and the open "
        f"{start['open_s'] * 1000:.0f} ms (medians of 5)"
    )
    say("CPU per answer (ms):")
    for line in cpu_lines(table_rows):
        say(line)
    bad = {w: s for w, s in table_rows.items() if s["errors"] or s["wrong"]}
    bad_ceiling = ceiling["errors"]
    for way, s in bad.items():
        say(
            f"!!! {way}: {s['errors']} FAILED REQUESTS, {s['wrong']} WRONG ANSWERS; first: "
            f"{s['first_error']}"
        )
    if bad_ceiling:
        say(f"!!! the static file: {bad_ceiling} FAILED REQUESTS; first: {ceiling['first_error']}")
    if not bad and not bad_ceiling:
        say("every answer had the rows of the embedded run; no request failed")
    info = figures["machine"]
    pkgs = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    say(f"machine: nproc {info['nproc']}, {info['implementation']} {info['python']}; {pkgs}")
    load = figures["load"]
    say(f"load average (1 min) at start {load[0]:.2f}, at end {load[1]:.2f}")
    say("command: python benchmarks/bench_serve.py " + shlex.join(sys.argv[1:]))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="N records (100,000)")
    parser.add_argument("--store", type=Path, help="reuse (or build once into) this store")
    parser.add_argument("--query", default="evaluation-lessons", help="the named query")
    parser.add_argument(
        "--param", action="append", metavar="NAME=VALUE", help="a parameter's value"
    )
    parser.add_argument("--clients", type=int, default=8, help="clients per way (8)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (5)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds a way (10)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed")
    add_profile_argument(parser)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    before = source_fingerprint()
    with tempfile.TemporaryDirectory(prefix="evalkg-bench-serve-") as tmp:
        folder = args.store or Path(tmp) / "store"
        figures = run(args, folder, Path(tmp) / "serve.log")
    print_report(figures, args)
    after = source_fingerprint()
    say(f"sources: kg/ and ontology/ fingerprint {before}")
    if after != before:
        say(f"WARNING: kg/ or ontology/ changed during the run ({before} -> {after}).")
    if args.json:
        for run_ in [
            figures["ceiling"],
            *(r[w] for r in figures["rounds"] for w in WAYS),
        ]:
            lat = run_.pop("latencies")
            run_["p50_ms"], run_["p95_ms"] = (1000 * percentile(lat, q) for q in (0.5, 0.95))
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
