"""The HTML network views in a real browser: Debian's Chromium, headless, driven by
Playwright (no browser download: ``make browser-deps`` installs ``/usr/bin/chromium``).

Each page must load with no console error and no request outside its own file, draw as
many nodes as the projection holds, focus a node found by the search box, open the
details of a clicked node, and, built from records full of markup, run none of it
(no dialog, no ``window.pwned``) while showing it literally.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.load.build import build
from kg.networks.metrics import compute_metrics
from kg.networks.projection import NETWORKS, project
from kg.store.evalstore import EvalStore
from kg.views.view import View, render

pytestmark = pytest.mark.browser

HOSTILE_PAGE = Path(__file__).parent / "data" / "hostile" / "hostile.txt"
SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'
SVG = '"><svg onload=window.pwned=1>'
ID = "https://w3id.org/evalkg/id/"
ILO = ID + "org/ilo"
EVALUATION = ID + "evaluation/3642"
SEED_LESSON = "https://webapps.ilo.org/ievaldiscovery/lessons/242868"
NOTHING_RAN = """() => window.pwned === undefined
    && document.querySelectorAll('[onerror],[onload],img,iframe,object,embed').length === 0
    && document.querySelectorAll('a[href]:not([href^="http:"]):not([href^="https:"])')
        .length === 0"""


@dataclass
class Opened:
    """A page of a view, with what went wrong while it was open."""

    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.errors or self.outside or self.dialogs)


@pytest.fixture()
def open_view(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Write a view to a file and open it, recording errors, dialogs and requests."""
    pages: list[Any] = []

    def opener(view: View, name: str = "view.html") -> Opened:
        path = tmp_path / name
        view.save(path)
        url = path.resolve().as_uri()
        opened = Opened(browser.new_page())
        pages.append(opened.page)
        page = opened.page
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))

        def route(request_route: Any) -> None:
            target = request_route.request.url
            if target == url or target.startswith("data:"):
                request_route.continue_()
            else:
                opened.outside.append(target)
                request_route.abort()

        page.route("**/*", route)
        page.goto(url)
        page.wait_for_function("window.evalkg && window.evalkg.ready === true")
        return opened

    yield opener
    for page in pages:
        page.close()


@pytest.fixture(scope="module")
def hostile_store() -> EvalStore:
    store = EvalStore()
    assert build([HOSTILE_PAGE], store=store).ok
    return store


def projected(store: EvalStore, network: str, **options: Any) -> nx.Graph:
    graph = project(store, network, **options)
    compute_metrics(graph)
    return graph


def drawn_nodes(page: Any) -> int:
    count: int = page.evaluate(
        "() => Object.keys(window.network.body.nodes)"
        ".filter(id => window.network.body.data.nodes.get(id) !== null).length"
    )
    return count


def node_on_screen(page: Any, node: str) -> tuple[float, float]:
    """Page coordinates of a node's centre."""
    x, y = page.evaluate(
        """(id) => {
            const p = window.network.canvasToDOM(window.network.getPosition(id));
            const box = document.querySelector('#network canvas').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        node,
    )
    return float(x), float(y)


#: What vis-network draws, read from its own geometry after one more frame: each node's
#: shape (its square) and, when it shows, its label's box, in canvas units.
DRAWN_BOXES = """() => new Promise(resolve => {
    const net = window.network;
    net.once('afterDrawing', () => {
        const boxes = [];
        for (const id of net.body.nodeIndices) {
            const node = net.body.nodes[id];
            if (node.options.hidden) continue;
            const r = node.shape.width / 2, label = node.labelModule;
            boxes.push([id, 'node', node.x - r, node.y - r, node.x + r, node.y + r]);
            if (label.visible()) {
                const s = label.size;
                boxes.push([id, 'label', s.left, s.top, s.left + s.width, s.top + s.height]);
            }
        }
        resolve(boxes);
    });
    net.redraw();
})"""


def drawn_overlaps(page: Any) -> tuple[int, list[tuple[str, str, str]]]:
    """How many labels show, and the drawn boxes that overlap: two nodes' shapes, two
    labels, or a label and another node's shape (``(what, node, node)``)."""
    boxes = page.evaluate(DRAWN_BOXES)
    found = []
    for a, b in combinations(boxes, 2):
        if a[0] != b[0] and a[2] < b[4] and b[2] < a[4] and a[3] < b[5] and b[3] < a[5]:
            found.append((f"{a[1]}-{b[1]}", a[0], b[0]))
    return sum(1 for box in boxes if box[1] == "label"), found


SWATCHES = "ss => ss.map(s => getComputedStyle(s).color)"


def css_rgb(colour: str) -> str:
    """``#1f77b4`` as the browser reports a colour: ``rgb(31, 119, 180)``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def zoom_to(page: Any, node: str, scale: float = 2.0) -> None:
    page.evaluate(
        "([id, s]) => window.network.moveTo({position: window.network.getPosition(id), scale: s})",
        [node, scale],
    )


def tooltip_of(page: Any, node: str) -> str:
    """Hover a node and read vis-network's tooltip."""
    zoom_to(page, node)
    page.mouse.move(0, 0)
    x, y = node_on_screen(page, node)
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible")
    text: str = page.eval_on_selector(
        "div.vis-tooltip",  # vis-network sets innerText: line breaks become <br>, nothing else
        "t => t.querySelectorAll(':not(br)').length === 0 ? t.innerText : '<has elements>'",
    )
    return text


# --- the sample's views --------------------------------------------------------------


@pytest.mark.parametrize("network", list(NETWORKS))
def test_every_node_is_drawn_offline_without_errors(
    sample_store: EvalStore, open_view: Any, network: str
) -> None:
    graph = projected(sample_store, network)
    view = render(graph)
    opened = open_view(view)
    page = opened.page
    assert drawn_nodes(page) == graph.number_of_nodes() > 0
    assert page.evaluate("window.network.body.data.nodes.length") == graph.number_of_nodes()
    assert page.evaluate("window.network.body.data.edges.length") == view.data.edges_shown
    assert page.evaluate("typeof window.network.getPositions") == "function"
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


@pytest.mark.parametrize(
    ("network", "focus"),
    [("actors", "CUT"), ("evaluations", "ILO"), ("places", "Quillota"), ("places", "Santiago")],
)
def test_small_views_keep_the_layout_and_nothing_overlaps(
    sample_store: EvalStore, open_view: Any, network: str, focus: str
) -> None:
    """Views of 30 nodes or fewer (a focus): vis-network's physics, once on by default
    for them, moved nodes under each other's labels (up to 7 overlaps here)."""
    graph = projected(sample_store, network, focus=focus)
    assert 10 <= graph.number_of_nodes() <= 30
    opened = open_view(render(graph))
    page = opened.page
    assert page.evaluate("window.network.physics.options.enabled") is False
    labels, overlaps = drawn_overlaps(page)
    assert labels >= 8 and overlaps == []
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


@pytest.mark.parametrize("network", list(NETWORKS))
def test_no_drawn_node_or_label_overlaps_another(
    sample_store: EvalStore, open_view: Any, network: str
) -> None:
    """At the first, fitted zoom, on this canvas and on a larger one (issue 20: the
    sample's views had overlapping labels and nodes)."""
    opened = open_view(render(projected(sample_store, network)))
    page = opened.page
    labels, overlaps = drawn_overlaps(page)
    assert labels >= 10 and overlaps == []
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.click("#fit")
    labels, overlaps = drawn_overlaps(page)
    assert labels >= 10 and overlaps == []
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_search_by_alias_focuses_the_node(sample_store: EvalStore, open_view: Any) -> None:
    graph = projected(sample_store, "actors")
    opened = open_view(render(graph))
    page = opened.page
    alias = next(a for a in graph.nodes[ILO]["aliases"] if a != "ILO")
    page.fill("#search", alias[:-1])  # a prefix of another language's name
    first = page.locator("#suggestions button").first
    assert first.is_visible()
    assert first.evaluate("b => b.firstChild.textContent") == "International Labour Organization"
    page.press("#search", "Enter")
    assert page.evaluate("window.network.getSelectedNodes()") == [ILO]
    assert page.text_content("#details h2") == "International Labour Organization"
    page.wait_for_function(
        """(id) => {
            const v = window.network.getViewPosition(), p = window.network.getPosition(id);
            return Math.hypot(v.x - p.x, v.y - p.y) < 1 && window.network.getScale() >= 1;
        }""",
        arg=ILO,
    )
    page.fill("#search", "CUT")  # an acronym
    assert "Unitary Workers' Central of Chile" in page.text_content("#suggestions")
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_clicking_a_node_opens_its_lessons_and_ties(
    sample_store: EvalStore, open_view: Any
) -> None:
    graph = projected(sample_store, "actors")
    caritas = next(n for n in graph if graph.nodes[n]["label"].startswith("Vicaría de la"))
    opened = open_view(render(graph))
    page = opened.page
    assert page.is_hidden("#details")
    zoom_to(page, caritas, 2.5)
    page.mouse.click(*node_on_screen(page, caritas))
    assert page.is_visible("#details")
    assert page.text_content("#details h2") == graph.nodes[caritas]["label"]
    links = page.eval_on_selector_all("#details ol.lessons a", "as => as.map(a => a.href)")
    assert links == [SEED_LESSON]
    ties = page.eval_on_selector_all("#details ol.ties button", "bs => bs.map(b => b.textContent)")
    assert "International Labour Organization" in ties
    page.click("#details ol.ties button >> text='International Labour Organization'")
    assert page.evaluate("window.network.getSelectedNodes()") == [ILO]
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_type_filters_hide_and_show_nodes(sample_store: EvalStore, open_view: Any) -> None:
    graph = projected(sample_store, "places")
    opened = open_view(render(graph))
    page = opened.page
    countries = sum(1 for n in graph if graph.nodes[n]["type"] == "country")
    box = page.locator("#types label", has_text="Country").locator("input")
    box.uncheck()
    hidden = "window.network.body.data.nodes.get({filter: n => n.hidden === true}).length"
    assert page.evaluate(hidden) == countries > 0
    box.check()
    assert page.evaluate(hidden) == 0
    page.select_option("#colour-by", "community")
    assert page.evaluate("window.evalkg.colourMode()") == "community"
    assert opened.clean()


def test_colour_by_community_shows_the_communities_in_the_legend(
    sample_store: EvalStore, open_view: Any
) -> None:
    """The legend followed the colours: it kept showing the types (issue 20)."""
    graph = projected(sample_store, "actors")
    opened = open_view(render(graph))
    page = opened.page
    assert page.is_hidden("#communities")
    type_colours = page.eval_on_selector_all("#types .swatch", "ss => ss.map(s => s.style.color)")
    page.select_option("#colour-by", "community")
    assert page.is_visible("#communities")
    communities = {attrs["community"] for _, attrs in graph.nodes(data=True)}
    entries = page.eval_on_selector_all(
        "#communities li",
        "ls => ls.map(l => [Number(l.dataset.community), l.querySelector('.swatch').style.color,"
        " Number(l.querySelector('.count').textContent)])",
    )
    assert {community for community, _, _ in entries} == communities
    for community, colour, count in entries:
        members = [n for n, a in graph.nodes(data=True) if a["community"] == community]
        assert len(members) == count
        drawn = page.evaluate(
            "ids => ids.map(id => window.network.body.data.nodes.get(id).color.background)",
            members,
        )
        assert {css_rgb(c) for c in drawn} == {colour}
    assert len(set(page.eval_on_selector_all("#types .swatch", SWATCHES))) == 1  # shapes only
    page.select_option("#colour-by", "type")
    assert page.is_hidden("#communities")
    assert page.eval_on_selector_all("#types .swatch", SWATCHES) == type_colours
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_search_matches_whole_words(sample_store: EvalStore, open_view: Any) -> None:
    """'OIT' matched inside 'Exploitation' (issue 20); an evaluation is found by its
    number."""
    opened = open_view(render(projected(sample_store, "full")))
    page = opened.page
    found = "q => window.evalkg.search(q, 50).map(hit => hit.row.id)"
    committee = next(
        n["id"] for n in page.evaluate("window.evalkg.data.nodes") if "Exploitation" in n["label"]
    )
    assert ILO in page.evaluate(found, "OIT") and committee not in page.evaluate(found, "OIT")
    assert committee in page.evaluate(found, "exploitation")  # a whole word, any case
    assert committee in page.evaluate(found, "l'exploitation")  # the French name's words
    assert committee not in page.evaluate(found, "ploit")
    assert page.evaluate(found, "Organización Internacional del Trabaj")[0] == ILO  # typing
    page.fill("#search", "3642")
    page.press("#search", "Enter")
    assert page.evaluate("window.network.getSelectedNodes()") == [EVALUATION]
    assert (page.text_content("#details h2") or "").startswith("Desarrollo de capacidades")
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_details_show_a_place_s_and_a_body_s_country(
    sample_store: EvalStore, open_view: Any
) -> None:
    """A place's details lacked its country and coordinates (issue 20)."""
    graph = projected(sample_store, "places")
    opened = open_view(render(graph))
    page = opened.page
    (pudahuel,) = [n for n, a in graph.nodes(data=True) if a["label"] == "Pudahuel"]
    page.evaluate("(id) => window.evalkg.showDetails(id)", pudahuel)
    assert page.text_content("#details .meta") == "City / place · Chile"
    assert page.text_content("#details .coordinates") == (
        "Coordinates: -33.44000, -70.76000 (latitude, longitude)"
    )
    page.evaluate("(id) => window.evalkg.showDetails(id)", ID + "org/cut-colombia")
    assert (page.text_content("#details .meta") or "").startswith("Trade union · Colombia · also")
    assert "Colombia" in tooltip_of(page, ID + "org/cut-colombia")
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_notebook_iframe_draws_the_view(
    sample_store: EvalStore, browser: Any, tmp_path: Path
) -> None:
    graph = projected(sample_store, "actors")
    view = render(graph)
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><body>{view._repr_html_()}</body>", encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(notebook.resolve().as_uri())
    frame = page.frames[1]
    frame.wait_for_function("window.evalkg && window.evalkg.ready === true")
    assert frame.evaluate("window.network.body.data.nodes.length") == graph.number_of_nodes()
    assert errors == []
    page.close()


# --- hostile records -----------------------------------------------------------------


@pytest.mark.parametrize("network", ["themes", "evaluations", "full"])
def test_hostile_records_run_nothing_and_show_literally(
    hostile_store: EvalStore, open_view: Any, network: str
) -> None:
    graph = projected(hostile_store, network)
    opened = open_view(render(graph))
    page = opened.page
    hostile = [n for n in graph if any(t in graph.nodes[n]["label"] for t in (SCRIPT, IMG, SVG))]
    assert hostile
    for node in graph:  # the details panel of every node: text and http(s) links only
        page.evaluate("(id) => window.evalkg.showDetails(id)", node)
        assert page.text_content("#details h2") == graph.nodes[node]["label"]
        assert page.evaluate(NOTHING_RAN), node
    for i in range(page.evaluate("window.evalkg.data.edges.length")):
        page.evaluate("(i) => window.evalkg.showEdgeDetails(i)", i)
        assert page.evaluate(NOTHING_RAN)
    lesson_titles = page.eval_on_selector_all(
        "#details ol.lessons li > span, #details ol.lessons li > a",
        "es => es.map(e => e.textContent)",
    )
    assert any(SCRIPT in t for t in lesson_titles) or network == "themes"
    for node in hostile:
        assert graph.nodes[node]["label"] in tooltip_of(page, node)
    page.fill("#search", SCRIPT)
    suggestion = page.locator("#suggestions button").first
    assert suggestion.evaluate("b => b.firstChild.textContent").count(SCRIPT) == 1
    page.press("#search", "Enter")
    assert SCRIPT in page.text_content("#details h2")
    assert page.evaluate(NOTHING_RAN)
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


@pytest.mark.parametrize("text", [SCRIPT, IMG, SVG])
def test_hostile_title_legend_aliases_and_links(
    hostile_store: EvalStore, open_view: Any, text: str
) -> None:
    """Every sink a record cannot reach through the pipeline, fed by a graph shaped
    like the projections: heading, legend, aliases, lesson and evaluation titles."""
    graph = projected(hostile_store, "full")
    for node in graph:
        attrs = graph.nodes[node]
        attrs["aliases"] = [*attrs["aliases"], f"alias {text}"]
        if attrs["type"] == "organization":
            attrs["kind"] = f"kind {text}"
        for lesson in attrs["lessons"]:
            lesson.update(title=f"title {text}", evaluation_title=f"evaluation {text}")
    graph.graph["title"] = f"heading {text}"
    opened = open_view(render(graph, None))
    page = opened.page
    assert page.text_content("#title") == f"heading {text}"
    assert page.title() == f"heading {text} · evalkg"
    assert f"kind {text}" in page.eval_on_selector_all(
        "#types label span:nth-of-type(2)", "ss => ss.map(s => s.textContent)"
    )
    page.fill("#search", f"alias {text}")
    assert f"“alias {text}”" in page.text_content("#suggestions")
    page.press("#search", "Enter")
    assert f"alias {text}" in page.text_content("#details .meta")
    texts = page.eval_on_selector_all("#details ol.lessons li", "ls => ls.map(l => l.textContent)")
    assert texts and all(f"title {text}" in t and f"evaluation {text}" in t for t in texts)
    assert page.evaluate(NOTHING_RAN)
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_hostile_focus_label_in_the_heading(hostile_store: EvalStore, open_view: Any) -> None:
    graph = projected(hostile_store, "themes", focus=SCRIPT)
    opened = open_view(render(graph))
    assert re.search(re.escape(SCRIPT) + r"$", opened.page.text_content("#title") or "")
    assert opened.page.text_content("#details h2") == SCRIPT  # the focus opens its details
    assert opened.page.evaluate(NOTHING_RAN)
    assert opened.clean()
