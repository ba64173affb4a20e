"""Benchmark: the map (``evalkg map``) of a synthetic corpus.

    python benchmarks/bench_map.py [--records N] [--store DIR] [--repeat K]
                                   [--profile real|dense] [--json FILE]

1. The store: ``--store DIR`` when it already holds a build, else N synthetic records
   (``synthetic``, as ``bench_build.py``) built into DIR (or a temporary folder). The
   build is timed but is not what this benchmark is about.
2. evalkg: read where the findings are (``kg.networks.geodata.geo_data``), build the
   page's data (``kg.views.mapdata.map_data``), render and write the HTML — K times,
   median seconds of each stage and of the whole ("HTML written"), and the file's size.
3. In headless Chromium (Debian's, ``make browser-deps``; a fresh profile; every request
   but the file refused), K times: the time from navigation start to the countries and
   every marker drawn (``window.evalkg.timings.drawnAt``), the markers drawn against the
   markers in the data, and the time from typing a place's name in the search box and
   pressing Enter to its details being shown.

It prints figures; it asserts nothing. Targets (issue 22, at 100,000 records): drawn in
under 3 s, the file under 20 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from bench_build import add_profile_argument, fmt, machine, say
from bench_view import median, open_store
from headless import chromium, offline


def time_ours(store: Any, target: Path, repeat: int) -> dict[str, Any]:
    """Where the findings are, page data, template + write: K runs, medians."""
    from kg.networks.geodata import geo_data
    from kg.views.map import MapView, _render_page, atlas_codes
    from kg.views.mapdata import map_data

    stages: dict[str, list[float]] = {k: [] for k in ("geo", "data", "html")}
    totals: list[float] = []
    view: Any = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        geo = geo_data(store)
        t1 = time.perf_counter()
        data = map_data(geo, drawable=atlas_codes())
        t2 = time.perf_counter()
        view = MapView(html=_render_page(data), data=data)
        view.save(target)
        t3 = time.perf_counter()
        for key, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            stages[key].append(seconds)
        totals.append(t3 - t0)
    return {
        "view": view,
        "total_s": median(totals),
        **{f"{k}_s": median(v) for k, v in stages.items()},
        "bytes": target.stat().st_size,
    }


def time_browser(target: Path, query: str, repeat: int) -> dict[str, Any]:
    """Navigation start to every marker drawn; search typed to details shown."""
    drawn: list[float] = []
    search: list[float] = []
    markers: list[int] = []
    refused: list[str] = []
    errors: list[str] = []
    url = target.resolve().as_uri()
    with chromium() as browser:
        for _ in range(repeat):
            page = browser.new_page()
            refused += offline(page, url)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            page.wait_for_function("window.evalkg && window.evalkg.ready === true", timeout=0)
            drawn.append(page.evaluate("window.evalkg.timings.drawnAt") / 1000)
            markers.append(page.evaluate("window.evalkg.drawnMarkers()"))
            start = time.perf_counter()
            page.fill("#search", query)
            page.press("#search", "Enter")
            page.wait_for_function(
                "(q) => document.querySelector('#details h2')?.textContent === q", arg=query
            )
            search.append(time.perf_counter() - start)
            page.close()
    return {
        "drawn_s": median(drawn),
        "search_s": median(search),
        "markers_drawn": min(markers),
        "refused": len(refused),
        "errors": errors,
    }


def search_target(payload: dict[str, Any]) -> str:
    """A place of middling weight whose label no other spot shares (the search's first hit)."""
    labels = [s["label"] for s in payload["spots"]]
    places = sorted(
        (s for s in payload["spots"] if s["kind"] == "place" and labels.count(s["label"]) == 1),
        key=lambda s: -s["n"][0],
    )
    return str(places[len(places) // 10]["label"]) if places else str(labels[0])


def report_rows(view: Any, ours: dict[str, Any]) -> list[tuple[str, Any]]:
    data = view.data
    markers = data.counts["place"] + data.counts["office"]
    return [
        ("findings on the map", data.findings),
        ("countries shaded", data.counts["country"]),
        ("regions apart", data.counts["region"]),
        ("markers (places + ILO offices)", markers),
        ("markers drawn in Chromium (singles + inside clusters)", ours["markers_drawn"]),
        ("where the findings are: geo_data (s)", ours["geo_s"]),
        ("page data: map_data (s)", ours["data_s"]),
        ("render + write HTML (s)", ours["html_s"]),
        ("HTML written, from the store (s)", ours["total_s"]),
        ("HTML size (MB)", ours["bytes"] / 1_000_000),
        ("drawn, from navigation start (s)", ours["drawn_s"]),
        ("search answered (s)", ours["search_s"]),
        ("requests refused (outside the file)", ours["refused"]),
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--store", default=None, help="store folder: reused if built")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    add_profile_argument(parser)
    parser.add_argument("--json", default=None, help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import tempfile

    args = parse_args(argv)
    say(f"machine: {json.dumps(machine())}; load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="evalkg-bench-map-") as tmp:
        work = Path(tmp)
        store, built = open_store(args, work)
        target = work / "map.html"
        ours = time_ours(store, target, args.repeat)
        view = ours.pop("view")
        query = search_target(view.data.payload)
        ours.update(time_browser(target, query, args.repeat))
    rows = report_rows(view, ours)
    fresh = f"{built.get('records', 0):,} synthetic records ({args.profile})"
    corpus = "a reused store" if built.get("reused") else fresh
    say(f"\nevalkg map benchmark: {corpus}; median of {args.repeat}")
    width = max(len(name) for name, _ in rows)
    say("\n".join(f"{name.ljust(width)} | {fmt(value)}" for name, value in rows))
    say(f"search query: {query!r}; page errors: {ours['errors'] or 'none'}")
    say(f"load {os.getloadavg()[0]:.2f}")
    if args.json:
        figures = {"built": built, "rows": rows}
        Path(args.json).write_text(json.dumps(figures, default=str, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
