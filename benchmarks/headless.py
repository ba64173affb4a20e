"""Headless Chromium for the view benchmark and the README screenshot: Debian's
``/usr/bin/chromium`` (``make browser-deps``) driven by Playwright, a fresh profile each
time, nothing downloaded."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium(width: int = 1440, height: int = 900) -> Iterator[Any]:
    """A Playwright browser context of headless Chromium with a fresh user-data-dir."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit("Chromium is missing: run 'make browser-deps'")
    with (
        tempfile.TemporaryDirectory(prefix="evalkg-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()


def offline(page: Any, allowed: str) -> list[str]:
    """Let ``page`` load only ``allowed`` (its own file) and data: URLs; every other
    request is aborted and listed in the returned list."""
    refused: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url == allowed or url.startswith("data:"):
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    page.route("**/*", route)
    return refused
