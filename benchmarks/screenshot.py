"""Take docs/actors-view.png: the bundled sample's actor view in headless Chromium.

    python benchmarks/screenshot.py [--output docs/actors-view.png] [--network actors]

Builds the sample into an in-memory store, renders the view with the defaults of
``evalkg view``, opens it offline and saves a 1440x900 screenshot once it is drawn.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from headless import chromium, offline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="docs/actors-view.png")
    parser.add_argument("--network", default="actors")
    args = parser.parse_args(argv)

    import kg
    from kg.views.view import view_network

    store = kg.EvalStore()
    report = kg.build([kg.sample_dir()], store=store)
    if not report.ok:
        raise SystemExit(f"the sample did not build: {report.rejected}")
    view = view_network(store, args.network)
    with tempfile.TemporaryDirectory() as folder, chromium() as browser:
        page_file = view.save(Path(folder) / "view.html")
        url = page_file.resolve().as_uri()
        page = browser.new_page()
        refused = offline(page, url)
        page.goto(url)
        page.wait_for_function("window.evalkg && window.evalkg.ready === true")
        page.wait_for_timeout(500)  # let the fonts settle
        page.screenshot(path=args.output)
    sys.stdout.write(
        f"Wrote {args.output}: {view.data.nodes} nodes, {view.data.edges_shown} of "
        f"{view.data.edges_total} ties drawn; refused requests: {len(refused)}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
