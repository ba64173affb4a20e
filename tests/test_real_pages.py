"""The real i-eval Discovery pages of ``../shared/real-pages/`` (skipped when absent):
every record page is read as the type its address says, in both layouts, and every value
it holds reaches the graph. Their text stays there: these tests read it, never copy it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.extract.geo import regional_scope, resolve_country, scope_of
from kg.ingest.reader import Rejected, read_file
from kg.ingest.record import Record
from kg.load.build import build
from kg.rdf.mapping import record_graph
from kg.store.evalstore import EvalStore
from kg.vocab import EK

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-pages"
pytestmark = pytest.mark.skipif(
    not (REAL / "manifest.json").is_file(), reason="../shared/real-pages/ is not here"
)
BASE = "https://w3id.org/evalkg/id/"
LAYOUTS = {"dash": "dash", "nodash": "plain"}
# Literals that provenance adds per copy (they differ between two copies of one page).
PER_COPY = {EK + name for name in ("sourceFile", "sha256", "pageLayout", "warning", "truncated")}


def manifest() -> list[dict[str, Any]]:
    if not (REAL / "manifest.json").is_file():
        return []
    entries: list[dict[str, Any]] = json.loads((REAL / "manifest.json").read_text())
    return entries


def record_pages() -> list[dict[str, Any]]:
    return [e for e in manifest() if e["type"] != "other"]


def read_one(name: str) -> Record:
    (item,) = list(read_file(REAL / name))
    assert isinstance(item, Record), item
    return item


@pytest.fixture(scope="module")
def real_store() -> EvalStore:
    store = EvalStore()
    build([REAL], store=store, workers=1)
    return store


@pytest.mark.parametrize("entry", record_pages(), ids=lambda e: e["file"])
def test_every_record_page_is_read_as_its_type_and_layout(entry: dict[str, Any]) -> None:
    record = read_one(entry["file"])
    assert record.kind == entry["type"]
    assert record.layout == LAYOUTS[entry["layout"]]
    assert record.eval_number == entry["eval_number"]
    assert record.truncated == entry["truncated"]
    if record.url is not None and not entry["truncated"]:
        assert record.url == entry["url"]


def test_list_pages_are_rejected_with_a_reason_that_says_so() -> None:
    others = [e for e in manifest() if e["type"] == "other"]
    assert others
    for entry in others:
        (item,) = list(read_file(REAL / entry["file"]))
        assert isinstance(item, Rejected)
        assert "list page" in str(item.error) and entry["file"] in str(item.error)


def test_build_reads_every_record_page_and_rejects_only_the_list_pages(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(REAL), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1  # the two list pages
    entries = manifest()
    pages = record_pages()
    by_type = {t: sum(1 for e in pages if e["type"] == t) for t in ("lesson", "practice")}
    recommendations = sum(1 for e in pages if e["type"] == "recommendation")
    assert (
        f"Read {len(entries)} file(s), {len(entries)} record(s): {len(pages)} accepted "
        f"({by_type['lesson']} lessons, {by_type['practice']} good practices, "
        f"{recommendations} recommendations), {len(entries) - len(pages)} rejected"
    ) in result.output
    distinct = len({e["url"] for e in pages})
    copies = len(pages) - distinct
    assert f"; {copies} copies of records read twice ({distinct} new, " in result.output


def test_each_address_is_one_record(real_store: EvalStore) -> None:
    graphs = {g.value for g in real_store.inner.named_graphs() if "/record/" in g.value}
    assert len(graphs) == len({e["url"] for e in record_pages()})


def literals(store: EvalStore, graph: str) -> list[tuple[str, str]]:
    """``(predicate, whitespace-collapsed value)`` of the literals of a finding's graph,
    without those that differ from copy to copy."""
    out = []
    for quad in store.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        if isinstance(quad.object, ox.Literal) and quad.predicate.value not in PER_COPY:
            out.append((quad.predicate.value, " ".join(quad.object.value.split())))
    return sorted(out)


@pytest.mark.parametrize("address", ["235123", "239430", "2351744", "2380983"])
def test_both_layouts_of_one_address_give_the_same_record(address: str) -> None:
    dash = read_one(f"lesson_{address}_dash.txt")
    plain = read_one(f"lesson_{address}_nodash.txt")
    assert record_graph(BASE, dash) == record_graph(BASE, plain)
    mapped = []
    for record in (dash, plain):
        store = EvalStore()
        build([REAL / Path(record.source).name], store=store, workers=1)
        mapped.append(literals(store, record_graph(BASE, record)))
    if dash.truncated and dash.texts != plain.texts:
        # the two copies stop at different points: the shorter's texts start the longer's
        for name, text in dash.texts.items():
            short, long = sorted((" ".join(text.split()), " ".join(plain.texts[name].split())))
            assert long.startswith(short.removesuffix("..."))
        return
    assert mapped[0] == mapped[1]


def test_every_value_of_every_page_reaches_the_graph(real_store: EvalStore) -> None:
    entities = {
        q.object.value
        for q in real_store.inner.quads_for_pattern(None, None, None, None)
        if isinstance(q.object, ox.Literal)
    }
    for entry in record_pages():
        record = read_one(entry["file"])
        graph = record_graph(BASE, record)
        own = {
            q.object.value
            for q in real_store.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            if isinstance(q.object, ox.Literal)
        }
        values = [*record.texts.values(), *record.placeholders.values()]
        values += [v for _, v in record.extra]
        values += [record.eval_number, record.eval_url, record.url, record.title]
        for pair in record.themes:
            values += [pair.theme, pair.category]
        for loc in record.locations:
            values += [loc.country, loc.region]
        for value in values:
            if value is None:
                continue
            # the kept copy of an address read twice may be the other file's
            if graph_source(real_store, graph) != record.source:
                break
            assert value in own or value in entities, (entry["file"], value[:60])


def graph_source(store: EvalStore, graph: str) -> str:
    (quad,) = store.inner.quads_for_pattern(
        ox.NamedNode(graph), ox.NamedNode(EK + "sourceFile"), None, ox.NamedNode(graph)
    )
    return str(quad.object.value)


def test_no_fake_country(real_store: EvalStore) -> None:
    countries = {
        q.object.value
        for q in real_store.inner.quads_for_pattern(None, ox.NamedNode(EK + "country"), None)
    }
    assert countries and all(re.fullmatch(BASE + "country/[A-Z]{3}", c) for c in countries)
    for entry in record_pages():
        for loc in read_one(entry["file"]).locations:
            if loc.country is None:
                continue
            known = resolve_country(loc.country) or scope_of(loc.country)
            assert known, loc.country
            if regional_scope(loc.country):
                assert resolve_country(loc.country) is None


def test_pairs_are_right_on_the_test_host_page() -> None:
    (entry,) = [e for e in manifest() if "analyticstest" in e["host"]]
    assert entry["keys"].index("region") < entry["keys"].index("country")
    record = read_one(entry["file"])
    assert record.eval_title is not None and record.eval_number == entry["eval_number"]
    assert [(x.country, x.region) for x in record.locations] == [("Inter-Regional",) * 2]
    assert {"description", "context", "success", "challenges"} <= {
        *record.texts,
        *record.placeholders,
    }


def test_a_stated_region_that_contradicts_the_ilos_is_kept_with_a_warning(
    real_store: EvalStore,
) -> None:
    warned = [
        q.object.value
        for q in real_store.inner.quads_for_pattern(None, ox.NamedNode(EK + "warning"), None)
        if "the ILO's region for it is" in q.object.value
    ]
    for entry in record_pages():
        for loc in read_one(entry["file"]).locations:
            country = resolve_country(loc.country) if loc.country else None
            if country is None or loc.region is None:
                continue
            from kg.extract.geo import ilo_region, region_slug

            if ilo_region(country.alpha_3) not in (None, region_slug(loc.region)):
                assert any(repr(loc.country) in w for w in warned), loc


def test_the_real_pages_graph_conforms_to_the_shapes(real_store: EvalStore) -> None:
    from kg.publish.validate import validate

    report = validate(real_store)
    assert report.conforms, report.summary()
