"""The map in a real browser: Debian's Chromium, headless, driven by Playwright (no
browser download: ``make browser-deps`` installs ``/usr/bin/chromium``).

The sample's map must load with no console error and no request outside its own file,
draw every country and every marker, shade the seed's countries, find places by any
name, open the findings of a clicked place or country, and, built from records full of
markup, run none of it while showing it literally. A network view opened from the map's
link focuses the node it names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hostile_map import HOSTILE, HOSTILE_PAGE, SCRIPT, hostile_geo

from kg.load.build import build
from kg.networks.geodata import geo_data
from kg.store.evalstore import EvalStore
from kg.views.map import MapView, render_map
from kg.views.mapdata import MapSettings
from kg.views.view import view_network

pytestmark = pytest.mark.browser

ID = "https://w3id.org/evalkg/id/"
SEED_URL = "https://webapps.ilo.org/ievaldiscovery/lessons/242868"
SEED_PLACES = ("Santiago", "Mexico City", "San Bernardo", "Quillota", "Pudahuel")
#: No script of a record ran, and no link leads anywhere but to an http(s) page (or is one
#: of Leaflet's zoom buttons, ``<a href="#">``).
NOTHING_RAN = """() => window.pwned === undefined
    && document.querySelectorAll('[onerror],[onload],img,iframe,object,embed').length === 0
    && document.querySelectorAll('a[href]:not([href^="http:"]):not([href^="https:"])'
        + ':not(.leaflet-control-zoom-in):not(.leaflet-control-zoom-out)').length === 0"""


@dataclass
class Opened:
    """A page, with what went wrong while it was open."""

    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.errors or self.outside or self.dialogs)

    def spot(self, label: str) -> int:
        """The index of the spot of that label."""
        found: int = self.page.evaluate(
            "(l) => window.evalkg.data.spots.findIndex(s => s.label === l)", label
        )
        assert found >= 0, label
        return found


@pytest.fixture()
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Open a written page, recording errors, dialogs and requests for anything but the
    files ``allowed`` (the page itself by default)."""
    pages: list[Any] = []

    def opener(path: Path, ready: str, allowed: tuple[Path, ...] = ()) -> Opened:
        url = path.resolve().as_uri()
        allow = {url, *(p.resolve().as_uri() for p in allowed)}
        opened = Opened(browser.new_page())
        pages.append(opened.page)
        page = opened.page
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))

        def route(request_route: Any) -> None:
            target = request_route.request.url.split("#", 1)[0]
            if target in allow or target.startswith("data:"):
                request_route.continue_()
            else:
                opened.outside.append(target)
                request_route.abort()

        page.route("**/*", route)
        page.goto(url)
        page.wait_for_function(ready)
        return opened

    yield opener
    for page in pages:
        page.close()


MAP_READY = "window.evalkg && window.evalkg.ready === true"


@pytest.fixture()
def open_map(open_page: Any, tmp_path: Path) -> Any:
    def opener(view: MapView, name: str = "map.html") -> Opened:
        path = view.save(tmp_path / name)
        opened: Opened = open_page(path, MAP_READY)
        return opened

    return opener


@pytest.fixture(scope="module")
def sample_map(sample_store: EvalStore) -> MapView:
    return render_map(geo_data(sample_store))


def marker_centre(page: Any, index: int) -> tuple[float, float]:
    """Page coordinates of the centre of a spot's marker icon (it must be on the map)."""
    x, y = page.evaluate(
        """(i) => {
            const box = window.evalkg.markers.get(i)._icon.getBoundingClientRect();
            return [box.left + box.width / 2, box.top + box.height / 2];
        }""",
        index,
    )
    return float(x), float(y)


# --- the sample's map --------------------------------------------------------------------


def test_every_country_and_marker_is_drawn_offline(sample_map: MapView, open_map: Any) -> None:
    opened = open_map(sample_map)
    page = opened.page
    counts = sample_map.data.counts
    markers = counts["place"] + counts["office"]
    assert page.evaluate("window.evalkg.markers.size") == markers > 0
    assert page.evaluate("window.evalkg.drawnMarkers()") == markers  # singles + in clusters
    drawn = page.evaluate("window.evalkg.clusters.getLayers().length")
    assert drawn == markers
    for label in SEED_PLACES:
        index = opened.spot(label)
        assert page.evaluate("(i) => window.evalkg.markers.has(i)", index), label
    none = sample_map.data.payload["palette"]["none"]
    for country in ("Chile", "Mexico"):
        assert page.evaluate("(i) => window.evalkg.colourOf(i)", opened.spot(country)) != none
    assert page.locator("#map canvas").count() == 1  # the countries, drawn on a canvas
    assert page.evaluate("document.querySelectorAll('#scale li').length") >= 2
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_clicking_santiago_lists_the_seed_lesson(sample_map: MapView, open_map: Any) -> None:
    opened = open_map(sample_map)
    page = opened.page
    santiago = opened.spot("Santiago")
    page.fill("#search", "Santiago")
    page.press("#search", "Enter")  # centres Santiago, spreads its cluster
    page.evaluate("(i) => window.evalkg.showDetails(i)", opened.spot("Chile"))
    assert page.text_content("#details h2") == "Chile"
    page.mouse.click(*marker_centre(page, santiago))
    assert page.text_content("#details h2") == "Santiago"
    links = page.eval_on_selector_all("#details ol.findings a", "as => as.map(a => a.href)")
    assert SEED_URL in links
    assert "Place in Chile" in (page.text_content("#details .meta") or "")
    ties = page.eval_on_selector_all("#details ol.ties button", "bs => bs.map(b => b.textContent)")
    assert "Chile" in ties and "Pudahuel" in ties
    page.click("#details ol.ties button >> text='Pudahuel'")
    assert page.text_content("#details h2") == "Pudahuel"
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_search_finds_places_and_countries_by_any_name(sample_map: MapView, open_map: Any) -> None:
    opened = open_map(sample_map)
    page = opened.page
    page.fill("#search", "ciudad de mex")  # as the seed lesson writes Mexico City
    first = page.locator("#suggestions button").first
    assert first.evaluate("b => b.firstChild.textContent") == "Mexico City"
    assert "“Ciudad de México”" in (first.text_content() or "")
    page.press("#search", "Enter")
    assert page.text_content("#details h2") == "Mexico City"
    page.fill("#search", "Chili")  # Chile in French
    page.press("#search", "Enter")
    assert page.text_content("#details h2") == "Chile"
    links = page.eval_on_selector_all("#details ol.findings a", "as => as.map(a => a.href)")
    assert SEED_URL in links
    assert page.evaluate("window.evalkg.map.getZoom()") > 2  # zoomed to Chile
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_clicking_a_country_and_a_region(sample_map: MapView, open_map: Any) -> None:
    opened = open_map(sample_map)
    page = opened.page
    page.evaluate("window.evalkg.setLayer('place', false); window.evalkg.setLayer('office', false)")
    assert page.evaluate("window.evalkg.drawnMarkers()") == 0
    page.evaluate("() => { window.evalkg.map.setView([-38.5, -72.3], 5, {animate: false}); }")
    x, y = page.evaluate(
        """() => {
            const p = window.evalkg.map.latLngToContainerPoint([-38.5, -72.3]);
            const box = document.getElementById('map').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.click(x, y)
    assert page.text_content("#details h2") == "Chile"
    assert "3 findings" in (page.text_content("#details .measures") or "")
    page.click("#region-list button >> text='Inter-Regional'")
    assert page.text_content("#details h2") == "Inter-Regional"
    assert "Region" in (page.text_content("#details .meta") or "")
    page.select_option("#measure", "2")
    assert page.text_content("#measure-name") == "organizations"
    page.check("#layer-places")
    assert page.evaluate("window.evalkg.markers.size") > 0
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_the_network_view_opens_on_the_place(
    sample_store: EvalStore, open_page: Any, tmp_path: Path
) -> None:
    views = tmp_path / "views"
    views.mkdir()
    places = view_network(sample_store, "places").save(views / "places.html")
    target = render_map(geo_data(sample_store), MapSettings(views="views/{network}.html"))
    path = target.save(tmp_path / "map.html")
    opened = open_page(path, MAP_READY, allowed=(places,))
    page = opened.page
    page.evaluate("(i) => window.evalkg.showDetails(i)", opened.spot("Santiago"))
    link = page.locator("#details .network a")
    santiago = ID + "place/geonames-3871336"
    assert link.get_attribute("href") == "views/places.html#focus=" + quote(santiago, safe="")
    link.click()
    page.wait_for_function("window.network && window.evalkg && window.evalkg.ready === true")
    assert page.evaluate("window.network.getSelectedNodes()") == [santiago]
    assert page.text_content("#details h2") == "Santiago"
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


# --- hostile records ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_store() -> EvalStore:
    store = EvalStore()
    assert build([HOSTILE_PAGE], store=store).ok
    return store


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_runs_nothing_and_shows_literally(
    hostile_store: EvalStore, open_map: Any, text: str
) -> None:
    geo = hostile_geo(hostile_store, text)
    view = render_map(geo)
    opened = open_map(view)
    page = opened.page
    spots = view.data.payload["spots"]
    assert page.evaluate("window.evalkg.drawnMarkers()") == view.data.counts["place"] > 0
    for i, spot in enumerate(spots):  # the details panel of every spot
        page.evaluate("(i) => window.evalkg.showDetails(i)", i)
        assert page.text_content("#details h2") == spot["label"]
        assert page.evaluate(NOTHING_RAN), spot["label"]
    shown = page.text_content("#details") or ""
    assert f"title {text}" in shown and f"evaluation {text}" in shown and f"org {text}" in shown
    assert page.eval_on_selector_all("#details ol.findings a", "as => as.length") == 0  # js: URL
    assert f"region {text}" in (page.text_content("#region-list") or "")
    page.fill("#search", f"alias {text}")
    suggestion = page.locator("#suggestions button").first
    assert f"“alias {text}”" in (suggestion.text_content() or "")
    page.press("#search", "Enter")
    assert (page.text_content("#details h2") or "").startswith("label ")
    place = next(i for i, s in enumerate(spots) if s["kind"] == "place")
    # its tooltip: elements holding the text, none made from it (read from the marker,
    # not by hovering: a focus animates the map, and a clustered marker has no icon)
    text_only = page.evaluate(
        """(i) => {
            let content = window.evalkg.markers.get(i).getTooltip().getContent();
            if (typeof content === "function") content = content();  // made when shown
            return [content instanceof Node && typeof content !== "string",
                    content.textContent,
                    content instanceof Element ? content.querySelectorAll(
                        "script,img,svg,iframe,object,embed,[onerror],[onload]").length : 0];
        }""",
        place,
    )
    assert text_only[0] and f"label {text}" in text_only[1] and text_only[2] == 0, text_only
    assert page.evaluate(NOTHING_RAN)
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_hostile_record_through_the_real_pipeline(hostile_store: EvalStore, open_map: Any) -> None:
    view = render_map(geo_data(hostile_store))
    opened = open_map(view)
    page = opened.page
    for i in range(len(view.data.payload["spots"])):
        page.evaluate("(i) => window.evalkg.showDetails(i)", i)
        assert page.evaluate(NOTHING_RAN)
    assert SCRIPT in (page.text_content("#details ol.findings") or "")
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)
