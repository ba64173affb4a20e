"""``evalkg publish DIR``: the static site (kg/publish/site.py)."""

from __future__ import annotations

import gzip
import html.parser
import posixpath
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg
from kg.errors import ConfigError
from kg.publish.dataset import DEFAULT_LICENSE
from kg.publish.site import publish_site
from kg.publish.sitedcat import dcat_triples, void_triples
from kg.publish.sitefiles import MANIFEST, site_names
from kg.resources import data_dir
from kg.sparql.stats import data_triples

BASE = "https://w3id.org/evalkg/id/"
CUT = BASE + "org/cut-chile"
SITE = {"base_url": "https://example.org/site/", "endpoint": "https://example.org/sparql"}
VOID = "http://rdfs.org/ns/void#"
DUMPS = {"dumps/evalkg.ttl", "dumps/evalkg.nt.gz", "dumps/evalkg.trig"}
RDF_FILES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".trig": ox.RdfFormat.TRIG,
}


@pytest.fixture(scope="module")
def sample() -> kg.EvalStore:
    store = kg.EvalStore()
    kg.build([kg.sample_dir()], store=store)
    return store


@pytest.fixture(scope="module")
def site(sample: kg.EvalStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    report = publish_site(sample, folder, **SITE)
    assert report.written and not report.unchanged and not report.removed
    return folder


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST]


def test_every_rdf_file_parses_strictly(site: Path) -> None:
    checked = 0
    for path in _files(site):
        if path.name.endswith(".nt.gz"):
            data, fmt = gzip.decompress(path.read_bytes()), ox.RdfFormat.N_TRIPLES
        elif path.suffix in RDF_FILES:
            data, fmt = path.read_bytes(), RDF_FILES[path.suffix]
        else:
            continue
        list(ox.parse(data, format=fmt, base_iri=None, lenient=False))
        checked += 1
    assert checked > 4000


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in ("href", "src") and v is not None]


def _broken(folder: Path) -> list[str]:
    broken = []
    for page in folder.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        here = page.relative_to(folder).parent.as_posix()
        for link in parser.links:
            if link.startswith(("http://", "https://", "data:")):
                continue
            target = posixpath.normpath(posixpath.join(here, link.split("#")[0]))
            if target.startswith("..") or not (folder / target).is_file():
                broken.append(f"{page.relative_to(folder)}: {link}")
    return broken


def test_every_link_resolves_inside_the_site(site: Path) -> None:
    assert _broken(site) == []


def test_the_seed_cut_has_its_page_turtle_and_jsonld(site: Path) -> None:
    page = (site / "id/org/cut-chile.html").read_text(encoding="utf-8")
    assert "Unitary Workers&#39; Central of Chile" in page
    assert 'href="cut-chile.ttl"' in page
    graph = ox.parse((site / "id/org/cut-chile.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    assert any(t.subject == ox.NamedNode(CUT) for t in graph)
    assert "id/org/cut-chile.html" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'href="id/org/cut-chile.html"' in (site / "index.html").read_text(encoding="utf-8")


def test_the_dcat_description_conforms_to_the_dcat_ap_shapes(site: Path) -> None:
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(site / "dcat.ttl", format="turtle")
    shapes = str(data_dir("ontology") / "dcat-ap-shapes.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text
    dcat = rdflib.DCAT
    assert (None, dcat.endpointURL, rdflib.URIRef("https://example.org/sparql")) in data
    downloads = {str(o) for o in data.objects(None, dcat.downloadURL)}
    assert {u.removeprefix(SITE["base_url"]) for u in downloads} == {
        "dumps/evalkg.ttl",
        "dumps/evalkg.nt.gz",
        "dumps/evalkg.trig",
    }


def _void(triples: list[ox.Triple]) -> dict[str, set[str]]:
    """``property → values`` of the dataset in ``triples``, and ``partition counts`` (a
    partition's class or property with its count, each as text)."""
    dataset = ox.NamedNode(BASE + "dataset")
    found: dict[str, set[str]] = {}
    for t in triples:
        if t.subject == dataset:
            found.setdefault(t.predicate.value, set()).add(t.object.value)
    parts = {t.object for t in triples if t.predicate.value.endswith("Partition")}
    for part in parts:
        of = {
            t.predicate.value.removeprefix(VOID): t.object.value
            for t in triples
            if t.subject == part
        }
        kind = of.get("class") or of.get("property", "")
        count = of.get("entities") or of.get("distinctObjects") or of.get("triples", "")
        found.setdefault("partition counts", set()).add(f"{kind} {count}")
    return found


def test_the_void_description_is_the_server_s_with_the_dumps(
    sample: kg.EvalStore, site: Path
) -> None:
    assert (site / ".nojekyll").read_bytes() == b""  # GitHub Pages serves .well-known/
    data = (site / ".well-known" / "void").read_bytes()
    assert data == (site / "void.ttl").read_bytes()
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=None, lenient=False))
    void = _void(triples)
    # the counts are those of the store's statistics graph
    statistics = [quad.triple for quad in sample.quads(graph=sample.statistics)]
    counted = _void(statistics)
    assert void["partition counts"] == counted["partition counts"]
    assert len(void["partition counts"]) >= 4
    assert void[VOID + "triples"] == counted[VOID + "triples"] == {str(data_triples(sample))}
    assert {u.removeprefix(SITE["base_url"]) for u in void[VOID + "dataDump"]} == DUMPS
    assert all((site / name).is_file() for name in DUMPS)
    assert void[VOID + "sparqlEndpoint"] == {SITE["endpoint"]}
    assert void["http://purl.org/dc/terms/license"] == {DEFAULT_LICENSE}
    # found from the DCAT description and the index page
    dcat = ox.parse((site / "dcat.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    see_also = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    linked = ox.NamedNode(SITE["base_url"] + "void.ttl")
    assert ox.Triple(ox.NamedNode(BASE + "dataset"), see_also, linked) in [q.triple for q in dcat]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="void.ttl"' in index and 'href=".well-known/void"' in index


def test_another_licence_is_declared_and_the_shapes_still_pass(
    sample: kg.EvalStore, tmp_path: Path
) -> None:
    import pyshacl
    import rdflib

    other = "https://opendatacommons.org/licenses/odbl/1-0/"
    where = {"base_url": SITE["base_url"], "endpoint": SITE["endpoint"], "license": other}
    triples = dcat_triples(sample, issued="2026-01-01T00:00:00Z", **where)
    data = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                                format="nt")  # fmt: skip
    shapes = str(data_dir("ontology") / "dcat-ap-shapes.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text
    licences = {str(o) for o in data.objects(None, rdflib.DCTERMS.license)}
    assert licences == {other}
    assert len(list(data.subject_objects(rdflib.DCTERMS.license))) == 2 + len(DUMPS)
    void = void_triples(sample, **where)
    assert {t.object.value for t in void if t.predicate.value.endswith("/license")} == {other}
    with pytest.raises(ConfigError, match="absolute http") as refused:
        publish_site(sample, tmp_path / "site", license="CC-BY-4.0")
    assert refused.value.value == "CC-BY-4.0"
    assert not (tmp_path / "site").exists()


def test_the_shapes_catch_a_missing_mandatory_property(site: Path) -> None:
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(site / "dcat.ttl", format="turtle")
    data.remove((None, rdflib.DCTERMS.title, None))
    shapes = str(data_dir("ontology") / "dcat-ap-shapes.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert not conforms and "title" in text


def test_a_rerun_writes_nothing_and_a_change_rewrites_only_what_changed(
    sample: kg.EvalStore, site: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(site, folder)
    report = publish_site(sample, folder, **SITE)
    assert report.written == [] and report.removed == []
    assert len(report.unchanged) == len(_files(folder))
    extra = (
        f"GRAPH <{BASE}graph/extra> {{ <{CUT}> "
        '<http://www.w3.org/2004/02/skos/core#altLabel> "CUT"@es }'
    )
    sample.update(f"INSERT DATA {{ {extra} }}")
    try:
        report = publish_site(sample, folder, **SITE)
    finally:
        sample.update(f"DELETE DATA {{ {extra} }}")
    written = set(report.written)
    cut = {"id/org/cut-chile.html", "id/org/cut-chile.ttl", "id/org/cut-chile.jsonld"}
    dumps = {"dumps/evalkg.ttl", "dumps/evalkg.nt.gz", "dumps/evalkg.trig"}
    assert written == cut | dumps  # the descriptions count the triples of the statistics
    assert report.removed == []


def test_a_hostile_iri_and_label_stay_inside_and_are_shown_as_text(tmp_path: Path) -> None:
    store = kg.EvalStore()
    hostile = BASE + "org/../../../etc/passwd%20<x>"
    store.update(
        f"INSERT DATA {{ GRAPH <{BASE}graph/h> {{ <{BASE}org/ok> "
        f"<http://www.w3.org/2004/02/skos/core#related> <{BASE}org/..%2F..%2Fevil> . "
        f"<{BASE}org/..%2F..%2Fevil> <http://www.w3.org/2004/02/skos/core#prefLabel> "
        f'"<script>alert(1)</script>"@en }} }}'
    )
    assert "/" not in site_names(BASE, [hostile])[hostile].removeprefix("_/")
    folder = tmp_path / "site"
    report = publish_site(store, folder)
    for name in report.written:
        assert ".." not in Path(name).parts and not Path(name).is_absolute()
        assert (folder / name).resolve().is_relative_to(folder.resolve())
        assert all(c.isalnum() or c in "/._-" for c in name), name
    pages = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.html"))
    assert "<script>alert(1)" not in pages and "&lt;script&gt;alert(1)" in pages
    assert _broken(folder) == []
    assert list(tmp_path.iterdir()) == [folder]


def test_files_the_site_no_longer_holds_are_removed(tmp_path: Path) -> None:
    store = kg.EvalStore()
    store.update(f'INSERT DATA {{ GRAPH <{BASE}graph/a> {{ <{BASE}org/a> '
                 '<http://www.w3.org/2004/02/skos/core#prefLabel> "A" } }')  # fmt: skip
    publish_site(store, tmp_path)
    (tmp_path / "mine.txt").write_text("kept", encoding="utf-8")
    store.update(f"DROP GRAPH <{BASE}graph/a>")
    report = publish_site(store, tmp_path)
    assert "id/org/a.html" in report.removed and not (tmp_path / "id/org/a.html").exists()
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "kept"


def test_the_cli_publishes(tmp_path: Path) -> None:
    from kg.cli import main

    store = kg.EvalStore.create(tmp_path / "store")
    store.update(f'INSERT DATA {{ GRAPH <{BASE}graph/a> {{ <{BASE}org/a> '
                 '<http://www.w3.org/2004/02/skos/core#prefLabel> "A" } }')  # fmt: skip
    store.close()
    args = ["publish", str(tmp_path / "site"), "--store", str(tmp_path / "store")]
    result = CliRunner().invoke(main, [*args, "--base-url", "https://example.org/s"])
    assert result.exit_code == 0, result.output
    assert "entity pages" in result.output
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/s/id/org/a.html</loc>" in sitemap
    assert f"<{DEFAULT_LICENSE}>" in (tmp_path / "site" / "dcat.ttl").read_text(encoding="utf-8")
    other = ["--license", "https://example.org/licence"]
    result = CliRunner().invoke(main, [*args, *other])
    assert result.exit_code == 0, result.output
    for name in ("dcat.ttl", "void.ttl", ".well-known/void"):
        text = (tmp_path / "site" / name).read_text(encoding="utf-8")
        assert "<https://example.org/licence>" in text and DEFAULT_LICENSE not in text, name
    result = CliRunner().invoke(main, [*args, "--license", "ftp://example.org/licence"])
    assert result.exit_code == 3
    assert "licence must be an absolute http(s) IRI: 'ftp://example.org/licence'" in result.output
