"""The map (``kg.networks.geodata``, ``kg.views.mapdata``, ``kg.views.map``), without a
browser: what the sample's map holds, the same from SPARQL as from the lesson index,
filters, finding types and focus, a self-contained page, every sink escaped.

The browser side (drawing, search, clicks, no script runs) is tests/test_map_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hostile_map import HOSTILE, HOSTILE_PAGE, JS_URL, SCRIPT, hostile_geo

from kg.errors import ConfigError
from kg.load.build import build
from kg.networks.geodata import GeoData, geo_data
from kg.networks.netdata import Filters
from kg.resources import sample_dir
from kg.store.evalstore import EvalStore
from kg.views.map import MapView, atlas_codes, render_map, write_map
from kg.views.mapdata import MapSettings, map_data, views_pattern
from kg.views.page import read_asset

ID = "https://w3id.org/evalkg/id/"
SEED_LESSON = ID + "lesson/242868"
SEED_PLACES = {
    "Santiago": ID + "place/geonames-3871336",
    "Ciudad de México": ID + "place/geonames-3530597",
    "San Bernardo": ID + "place/geonames-3872348",
    "Quillota": ID + "place/geonames-3874119",
    "Pudahuel": ID + "place/CHL-pudahuel",
}


class Page(HTMLParser):
    """Every tag with its attributes, and the text of each script element."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: dict[str, str] = {}
        self._open: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._open:
            return
        tag, attrs = self._open[-1]
        if tag == "script":
            self.scripts[-1] = (self.scripts[-1][0], self.scripts[-1][1] + data)
        key = f"{tag}#{attrs['id']}" if attrs.get("id") else tag
        self.text[key] = self.text.get(key, "") + data

    def json(self, element: str) -> Any:
        (found,) = [s for a, s in self.scripts if a.get("id") == element]
        return json.loads(found)

    def csp(self) -> str:
        return next(
            str(a["content"])
            for _, a in self.tags
            if a.get("http-equiv") == "Content-Security-Policy"
        )


@pytest.fixture(scope="module")
def sample_geo(sample_store: EvalStore) -> GeoData:
    return geo_data(sample_store)


@pytest.fixture(scope="module")
def sample_map(sample_geo: GeoData) -> MapView:
    return render_map(sample_geo)


@pytest.fixture(scope="module")
def hostile_store() -> EvalStore:
    store = EvalStore()
    assert build([HOSTILE_PAGE], store=store).ok
    return store


# --- what the sample's map holds -------------------------------------------------------


def test_the_seed_countries_are_shaded_and_its_places_are_markers(sample_geo: GeoData) -> None:
    spots = sample_geo.spots
    chile, mexico = spots[ID + "country/CHL"], spots[ID + "country/MEX"]
    assert (chile.kind, chile.code, mexico.code) == ("country", "152", "484")
    assert SEED_LESSON in chile.findings and SEED_LESSON in mexico.findings
    assert len(chile.findings) == 3 and {"152", "484"} <= atlas_codes()
    for name, iri in SEED_PLACES.items():
        place = spots[iri]
        assert place.kind == "place" and name in (place.label, *place.aliases), name
        assert place.lat is not None and place.lon is not None and SEED_LESSON in place.findings
    santiago = spots[SEED_PLACES["Santiago"]]
    assert (round(santiago.lat or 0), round(santiago.lon or 0)) == (-33, -71)
    assert santiago.within == ID + "country/CHL"
    assert spots[SEED_PLACES["Ciudad de México"]].label == "Mexico City"  # the alias is as written


def test_regional_findings_are_apart_and_offices_at_their_seats(sample_geo: GeoData) -> None:
    regional = ID + "lesson/226841"  # Inter-Regional, no country
    region = sample_geo.spots[ID + "region/inter-regional"]
    assert region.kind == "region" and regional in region.findings
    countries = [s for s in sample_geo.spots.values() if s.kind == "country"]
    assert all(regional not in s.findings for s in countries)
    assert not any(s.kind == "region" and s.label == "Americas" for s in sample_geo.spots.values())
    dhaka = sample_geo.spots[ID + "unit/co-dhaka"]
    assert (dhaka.kind, dhaka.within, round(dhaka.lat or 0)) == ("office", "Dhaka", 24)
    branch = next(
        s for s in sample_geo.spots.values() if s.label == "Skills and Employability Branch"
    )
    assert (branch.within, round(branch.lat or 0), round(branch.lon or 0)) == ("Geneva", 46, 6)
    assert ID + "org/ilo" not in sample_geo.spots  # the ILO itself is no office
    assert ID + "place/iso-PK-BA" in sample_geo.uncharted  # Balochistan: no coordinates


def test_an_office_the_build_minted_has_no_seat(tmp_path: Path) -> None:
    """A unit the reference list lacks is kept (a unit of the ILO) but not drawn: its
    seat is unknown, and it is no headquarters unit."""
    line = (sample_dir() / "findings.jsonl").read_text(encoding="utf-8").splitlines()[1]
    record = json.loads(line)
    record["recommendations"]["admin_units"] = "CO-Atlantis"
    source = tmp_path / "minted.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    store = EvalStore()
    assert build([source], store=store).ok
    minted = ID + "unit/co-atlantis"
    assert geo_data(store).data.entity(minted).kind == "IloUnit"
    offices = {s.iri: s for s in geo_data(store).of_kind("office")}
    assert minted not in offices
    assert offices[ID + "unit/roas"].within == "Beirut"  # RO-Arab States, named in the text


def test_the_page_data_lists_santiagos_findings(sample_map: MapView) -> None:
    data = Page(sample_map.html).json("evalkg-data")
    by_id = {s["id"]: s for s in data["spots"]}
    santiago = by_id[SEED_PLACES["Santiago"]]
    listed = [data["findings"][i] for i in santiago["f"]]
    assert SEED_LESSON in [row[0] for row in listed]
    assert "https://webapps.ilo.org/ievaldiscovery/lessons/242868" in [row[3] for row in listed]
    assert santiago["n"][0] == len(santiago["f"]) == 3
    tied = {data["spots"][i]["id"]: n for i, n in santiago["ties"]}
    assert tied[ID + "country/CHL"] == 3 and SEED_PLACES["Pudahuel"] in tied
    names = [data["organizations"][i][1] for i, _ in santiago["orgs"]]
    assert "International Labour Organization" in names
    assert "Ciudad de México" in by_id[SEED_PLACES["Ciudad de México"]]["aliases"]
    chile = by_id[ID + "country/CHL"]
    assert chile["n"][0] == 3 and chile["n"][1] >= 2 and chile["n"][2] > 5
    assert sample_map.data.counts["place"] == sum(1 for s in data["spots"] if s["kind"] == "place")


def test_sparql_gives_the_map_the_lesson_index_gives(sample_store: EvalStore) -> None:
    for options in ({}, {"types": "recommendation"}, {"focus": "CUT"}):
        fast = geo_data(sample_store, **options)  # type: ignore[arg-type]
        slow = geo_data(sample_store, use_index=False, **options)  # type: ignore[arg-type]
        assert fast.data.index is not None and slow.data.index is None
        assert fast.spots == slow.spots and fast.links == slow.links, options


# --- filters, types, focus ---------------------------------------------------------------


def test_filters_types_and_focus_choose_the_findings(sample_store: EvalStore) -> None:
    chile = geo_data(sample_store, filters=Filters(country="Chile"))
    assert {s.label for s in chile.of_kind("country")} == {"Chile", "Mexico"}  # the seed: both
    practices = geo_data(sample_store, types="practice")
    assert practices.links and all("/practice/" in f for f in practices.links)
    both = geo_data(sample_store, types=["lesson", "Recommendation"])
    assert both.types == ("lesson", "recommendation")
    assert not any("/practice/" in f for f in both.links)
    caritas = geo_data(sample_store, focus="Vicaría de la Pastoral Social Cáritas")
    assert list(caritas.links) == [SEED_LESSON]
    assert {s.label for s in caritas.of_kind("place")} >= {"Santiago", "Pudahuel"}
    page = Page(render_map(caritas).html)
    assert page.text["h1#title"].endswith("linked to Vicaría de la Pastoral Social Cáritas")
    on_map = geo_data(sample_store, focus="Santiago")
    assert SEED_PLACES["Santiago"] in on_map.focus
    data = Page(render_map(on_map).html).json("evalkg-data")
    assert [data["spots"][i]["id"] for i in data["focus"]] == [SEED_PLACES["Santiago"]]


def test_bad_types_focus_and_views_are_errors_naming_the_value(sample_store: EvalStore) -> None:
    with pytest.raises(ConfigError, match="unknown finding type") as info:
        geo_data(sample_store, types="memo")
    assert info.value.value == "memo"
    with pytest.raises(ConfigError, match=r"no entity of that name \(close: .*Santiago") as info:
        geo_data(sample_store, focus="Santiagoo")
    assert info.value.value == "Santiagoo"
    with pytest.raises(ConfigError, match="unknown kind"):
        geo_data(sample_store, filters=Filters(kind="sideways"))
    for bad in (JS_URL + "{network}", "views/places.html", "data:text/html,{network}"):
        with pytest.raises(ConfigError, match="views must be"):
            views_pattern(bad)
    assert views_pattern("views/{network}.html") == "views/{network}.html"
    assert views_pattern("https://example.org/{network}.html") is not None


# --- a self-contained page -----------------------------------------------------------------


def test_page_is_self_contained(sample_map: MapView) -> None:
    page = Page(sample_map.html)
    for tag, attrs in page.tags:
        assert tag not in {"link", "iframe", "img", "object", "embed", "base"}, tag
        for name in ("src", "href", "srcset", "action"):
            assert attrs.get(name) is None, (tag, name, attrs.get(name))
    servers = r"unpkg\.com|jsdelivr|cdnjs|googleapis|openstreetmap|arcgisonline|mapbox|\{z\}/\{x\}"
    assert not re.search(servers, sample_map.html)  # no CDN, no tile server
    assert not re.search(r"""(?:src|srcset)\s*=\s*["']?\s*(?:https?:)?//""", sample_map.html)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", sample_map.html)
    links = re.findall(r"""href\s*=\s*["']?\s*((?:https?:)?//[^"' >]*)""", sample_map.html)
    assert set(links) == {"https://leafletjs.com"}  # Leaflet's attribution: a link, no load
    csp = page.csp()
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    code = [body for attrs, body in page.scripts if "type" not in attrs]
    assert len(code) == 5  # Leaflet, markercluster, topojson-client, page.js, map.js
    for body in code:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    world = page.json("evalkg-world")
    assert len(world["objects"]["countries"]["geometries"]) == 241


def test_an_asset_that_could_close_its_element_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.css"
    bad.write_text("a { content: '</Style>' }", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cannot be inlined in <style>") as info:
        read_asset(bad, "style")
    assert info.value.path == str(bad)


def test_write_map_reports_what_it_wrote(sample_store: EvalStore, tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    view = write_map(sample_store, target, types="lesson", views="views/{network}.html")
    assert target.read_text(encoding="utf-8") == view.html and view.size == target.stat().st_size
    data = Page(view.html).json("evalkg-data")
    assert data["views"] == "views/{network}.html" and data["filters"] == "lessons only"
    assert re.fullmatch(r"<MapView 'Where the findings are': \d+ findings · .* bytes>", repr(view))
    shown = view._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and shown.count("<") == 2
    with pytest.raises(ConfigError, match="cannot write the map"):
        write_map(sample_store, tmp_path / "missing" / "map.html")


# --- hostile text --------------------------------------------------------------------------


def test_hostile_records_through_the_real_pipeline(hostile_store: EvalStore) -> None:
    view = render_map(geo_data(hostile_store))
    page = Page(view.html)
    assert [t for t, _ in page.tags if t in {"img", "svg"}] == []
    assert all(not k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert len(page.scripts) == 7
    data = page.json("evalkg-data")
    assert SCRIPT in data["findings"][0][1] and data["findings"][0][3] is None  # no js: link
    assert SCRIPT in data["evaluations"][0][1]
    assert JS_URL not in json.dumps(data)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_text_in_every_sink(hostile_store: EvalStore, text: str) -> None:
    geo = hostile_geo(hostile_store, text)
    view = render_map(geo, MapSettings())
    page = Page(view.html)
    assert [t for t, _ in page.tags if t in {"img", "svg"}] == []
    assert all(not k.startswith("on") for _, attrs in page.tags for k in attrs)
    data = page.json("evalkg-data")
    assert {s["label"] for s in data["spots"]} >= {f"label {text}", f"region {text}"}
    assert all(f"alias {text}" in s["aliases"] for s in data["spots"] if s["kind"] != "region")
    assert data["findings"][0][1] == f"title {text}" and data["findings"][0][3] is None
    assert data["evaluations"][0][1] == f"evaluation {text}"
    assert f"org {text}" in {row[1] for row in data["organizations"]}
    assert map_data(geo).payload == data
