"""Take docs/map.png: the bundled sample's map in headless Chromium.

    python benchmarks/screenshot_map.py [--output docs/map.png] [--place Santiago]

Builds the sample into an in-memory store, writes its map with the defaults of
``evalkg map``, opens it offline, finds ``--place`` with the search box (the details of
its findings open beside the map), zooms back out to the world and saves a 1440x900
screenshot once every marker is drawn.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from headless import chromium, offline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="docs/map.png")
    parser.add_argument("--place", default="Santiago")
    args = parser.parse_args(argv)

    import kg
    from kg.views.map import map_view

    store = kg.EvalStore()
    report = kg.build([kg.sample_dir()], store=store)
    if not report.ok:
        raise SystemExit(f"the sample did not build: {report.rejected}")
    view = map_view(store)
    with tempfile.TemporaryDirectory() as folder, chromium() as browser:
        page_file = view.save(Path(folder) / "map.html")
        url = page_file.resolve().as_uri()
        page = browser.new_page()
        refused = offline(page, url)
        page.goto(url)
        page.wait_for_function("window.evalkg && window.evalkg.ready === true")
        page.fill("#search", args.place)
        page.press("#search", "Enter")
        page.evaluate("() => { window.evalkg.map.setView([12, 5], 2.25, {animate: false}); }")
        page.wait_for_timeout(500)  # let the fonts settle
        page.screenshot(path=args.output)
    sys.stdout.write(
        f"Wrote {args.output}: {view.data.summary}; refused requests: {len(refused)}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
