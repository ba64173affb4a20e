"""``evalkg serve``'s pages in a real browser (Debian's Chromium, headless, Playwright):
the query page runs a named query and an edited one and shows their rows with nothing
fetched from anywhere but the server; the page of the seed's CUT shows its label, kind,
country, the lesson that names it and the evidence text; and nothing from a hostile
record runs, on its pages or in the query page's results."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from server import evalkg_server

from kg.load.build import build
from kg.store.evalstore import EvalStore

pytestmark = [pytest.mark.browser, pytest.mark.server]

HOSTILE_PAGE = Path(__file__).parent / "data" / "hostile" / "hostile.txt"
NOTHING_RAN = """() => window.pwned === undefined
    && document.querySelectorAll('[onerror],[onload],iframe,object,embed').length === 0
    && document.querySelectorAll('a[href^="javascript:" i]').length === 0"""


@dataclass
class Opened:
    page: Any
    base: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.errors or self.outside or self.dialogs)


@pytest.fixture(scope="module")
def sample_url(sample_folder: Path) -> Iterator[str]:
    with evalkg_server(sample_folder, timeout=10.0) as base:
        yield base


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile-serve") / "store"
    with EvalStore.create(folder) as store:
        assert build([HOSTILE_PAGE], store=store).ok
        store.flush()
    with evalkg_server(folder, timeout=10.0) as base:
        yield base


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Callable[[str, str], Opened]]:
    """Open a page of a server, recording errors, dialogs and any request elsewhere."""
    pages: list[Any] = []

    def opener(base: str, path: str) -> Opened:
        opened = Opened(browser.new_page(), base)
        pages.append(opened.page)
        page = opened.page
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))

        def route(request_route: Any) -> None:
            target = request_route.request.url
            if target.startswith((base + "/", "data:")):
                request_route.continue_()
            else:
                opened.outside.append(target)
                request_route.abort()

        page.route("**/*", route)
        page.goto(base + path)
        return opened

    yield opener
    for page in pages:
        page.close()


ROWS = ".yasr table.dataTable tbody tr"


def test_the_query_page_runs_a_named_and_an_edited_query_offline(
    open_page: Callable[[str, str], Opened], sample_url: str
) -> None:
    opened = open_page(sample_url, "/")
    page = opened.page
    page.wait_for_function("window.evalkg && window.evalkg.ready === true")
    page.select_option("#named", "lessons-by-country")
    page.fill("#named-params input[name=country]", "Chile")
    page.click("#run-named")
    page.wait_for_selector(ROWS)
    assert page.locator(ROWS).count() == 2
    links = page.eval_on_selector_all(
        ".yasr td a[href]", "as => as.map(a => a.getAttribute('href'))"
    )
    assert "/evalkg/id/lesson/242868" in links  # the server's own page of the lesson
    edited = (
        "PREFIX ek: <https://w3id.org/evalkg/ontology#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        'SELECT ?label WHERE { ?c ek:iso3166Alpha3 "CHL" ; skos:prefLabel ?label }'
        " ORDER BY ?label"
    )
    page.evaluate("text => { window.evalkg.yasgui.getTab().setQuery(text); }", edited)
    page.click(".yasqe_queryButton")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.yasr td')]"
        ".some(td => td.textContent.includes('Chili'))"
    )
    assert page.locator(ROWS).count() == 3
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_the_entity_page_of_the_seed_s_cut(
    open_page: Callable[[str, str], Opened], sample_url: str
) -> None:
    opened = open_page(sample_url, "/evalkg/id/org/cut-chile")
    page = opened.page
    assert page.inner_text("#label") == "Unitary Workers' Central of Chile"
    assert "Central Unitaria de Trabajadores de Chile" in page.inner_text("#labels")
    assert page.inner_text("#kinds").strip() == "trade union"
    said = page.inner_text("#links-out")
    assert "country\tChile" in said and "acronym\tCUT" in said
    evidence = page.locator("#evidence li", has=page.locator('a[href="/evalkg/id/lesson/242868"]'))
    assert evidence.count() == 1
    text = evidence.inner_text()
    assert "context:" in text and "y la CUT espera aplicar" in text
    assert evidence.locator("mark").inner_text() == "CUT"
    page.click('#evidence a[href="/evalkg/id/lesson/242868"]')
    page.wait_for_url("**/evalkg/id/lesson/242868")
    assert "lesson learned" in page.inner_text("#kinds")
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)


def test_nothing_from_a_hostile_record_runs(
    open_page: Callable[[str, str], Opened], hostile_url: str
) -> None:
    opened = open_page(hostile_url, "/")
    page = opened.page
    page.wait_for_function("window.evalkg && window.evalkg.ready === true")
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(?o, 'pwned')) }"
    # YASR's table (DataTables, to search and sort) parses cell text as HTML in the page:
    # the event handlers of a record's markup are made, and the CSP blocks each of them
    blocked = "Executing inline event handler violates the following Content Security Policy"
    page.evaluate("text => { window.evalkg.yasgui.getTab().setQuery(text); }", everything)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(ROWS)
    assert page.locator(ROWS).count() > 5
    assert "<script>window.pwned=1</script>" in page.inner_text(".yasr")  # shown as text
    assert page.evaluate(NOTHING_RAN)
    assert any(blocked in error for error in opened.errors)  # the CSP held
    opened.errors[:] = [error for error in opened.errors if blocked not in error]
    lessons = page.eval_on_selector_all(
        ".yasr td a[href^='/evalkg/id/']", "as => [...new Set(as.map(a => a.getAttribute('href')))]"
    )
    assert lessons
    for path in lessons[:6]:
        page.goto(hostile_url + path)
        assert page.evaluate(NOTHING_RAN), path
    assert "<script>window.pwned=1</script>" in page.content().replace("&lt;", "<").replace(
        "&gt;", ">"
    )
    assert opened.clean(), (opened.errors, opened.outside, opened.dialogs)
