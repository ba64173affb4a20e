"""``evalkg publish DIR``: the graph as a static linked-data site for any web host.

The site holds, for every IRI under the base IRI, the page ``evalkg serve`` shows for it
(:mod:`kg.publish.entitypage`, its links made relative) and its description as Turtle
and JSON-LD (``queries/serve/describe.rq``), at ``id/PATH.html``, ``.ttl``, ``.jsonld``
(:func:`kg.publish.sitefiles.site_names`); the dumps (Turtle, gzipped N-Triples, TriG);
the DCAT-AP and VoID descriptions (``dcat.ttl``, ``void.ttl`` and ``.well-known/void``:
:mod:`kg.publish.sitedcat`, the server's queries); ``sitemap.xml``; ``index.html``; and
an empty ``.nojekyll`` (GitHub Pages otherwise skips folders whose name starts with ``.``
or ``_``). A re-run writes only the files whose bytes change and removes the ones the site no
longer holds.
"""

from __future__ import annotations

import gzip
import io
import posixpath
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.publish import entitypage, sitedcat
from kg.publish.dataset import DEFAULT_LICENSE, check_license
from kg.publish.export import export
from kg.publish.irimap import IriMap
from kg.publish.pages import render
from kg.publish.sitefiles import SiteFolder, SiteReport, site_names
from kg.publish.sitequery import NamedRunner
from kg.resources import data_dir
from kg.sparql.queries import load_request
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore
from kg.vocab import PREFIXES

#: Where the entity files live in the site.
ENTITIES = "id/"
#: Suffix → the name of an entity's RDF format (:mod:`kg.publish.export`), and its type.
ENTITY_FORMATS = {".ttl": ("turtle", "text/turtle"), ".jsonld": ("jsonld", "application/ld+json")}
MENU = (
    ("index.html", "evalkg"),
    ("index.html", "Index"),
    ("dcat.ttl", "Dataset (DCAT)"),
    ("void.ttl", "VoID"),
)
STYLE = "static/serve/serve.css"
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _entities(store: EvalStore) -> list[str]:
    """Every IRI under the base IRI the graph holds (as subject or object)."""
    text, source = load_request("serve/site-entities", None, {"base": store.base_iri})
    return sorted({row[0].value for row in run_query(store, text, source=source).rows})


def rdf_bytes(triples: Any, fmt: str, *, base_iri: str) -> bytes:
    """``triples`` in ``fmt`` (``turtle``, ``jsonld``, ``nt``), sorted so that the same
    triples give the same bytes."""
    import pyoxigraph as ox

    ordered = sorted(triples, key=str)
    target = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.JSON_LD
    if fmt == "nt":
        data = ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES)
    else:
        data = ox.serialize(ordered, format=target, prefixes={**PREFIXES, "id": base_iri})
    return data or b""


def _relink(page: entitypage.EntityPage, here: str, hrefs: dict[str, str]) -> None:
    """Point each value of ``page`` (the page at ``here``) at its file in the site."""
    folder = posixpath.dirname(here)
    values = [*page.kinds, *(v.finding for v in page.evidence)]
    for link in (*page.links_out, *page.links_in):
        values += [link.prop, link.other]
    for value in values:
        target = hrefs.get(value.iri or "")
        value.path = None if target is None else posixpath.relpath(target, folder)


def _menu(here: str) -> dict[str, Any]:
    depth = here.count("/")
    return {"root": "../" * depth, "menu": MENU}


def _entity_files(
    run: NamedRunner, iri: str, name: str, hrefs: dict[str, str], mapping: IriMap
) -> tuple[dict[str, bytes], str]:
    """The page, Turtle and JSON-LD of ``iri`` (its file stem ``name``), and its title."""
    here = hrefs[iri]
    page = entitypage.gather(run.store, iri, mapping, timeout=0, run=run)
    _relink(page, here, hrefs)
    stem = posixpath.basename(name)
    formats = {suffix: media for suffix, (_, media) in ENTITY_FORMATS.items()}
    html = render(
        "entity.html.j2",
        page=page,
        title=page.title,
        languages=entitypage.LANGUAGES,
        formats=formats,
        path=stem,
        site=_menu(here),
    )
    files = {here: html.encode("utf-8")}
    triples = run("serve/describe", {"entity": f"<{iri}>"}).triples
    for suffix, (fmt, _) in ENTITY_FORMATS.items():
        data = rdf_bytes(triples, fmt, base_iri=run.store.base_iri)
        files[ENTITIES + name + suffix] = data
    return files, page.title


def _dumps(store: EvalStore) -> dict[str, bytes]:
    files = {}
    for dump in sitedcat.DUMPS:
        buffer = io.BytesIO()
        export(store, buffer, format=dump.format)
        data = buffer.getvalue()
        files[dump.name] = gzip.compress(data, mtime=0) if dump.gzipped else data
    return files


def _sitemap(base_url: str, pages: list[str]) -> bytes:
    import xml.etree.ElementTree as ET

    root = ET.Element("urlset", xmlns=_SITEMAP)
    for page in pages:
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = base_url + page
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _index(titles: dict[str, str], endpoint: str | None) -> bytes:
    groups: dict[str, list[tuple[str, str]]] = {}
    for href, title in sorted(titles.items()):
        local = href[len(ENTITIES) :]
        group = local.split("/", 1)[0] if "/" in local and not local.startswith("_/") else ""
        groups.setdefault(group or "other", []).append((href, title))
    files = [(d.name, d.about) for d in sitedcat.DUMPS] + [
        ("dcat.ttl", "the dataset as DCAT-AP"),
        ("void.ttl", "the dataset as VoID"),
        (".well-known/void", "the same VoID, where VoID's discovery looks for it"),
        ("sitemap.xml", "the pages, for search engines"),
    ]
    html = render(
        "site-index.html.j2",
        title="evalkg",
        description="The lessons learned, good practices and recommendations of ILO "
        "evaluations as linked data: a page per entity, the dumps and the dataset's "
        "description.",
        files=files,
        endpoint=endpoint,
        groups=groups,
        count=len(titles),
        site=_menu("index.html"),
    )
    return html.encode("utf-8")


def _check_url(base_url: str) -> str:
    if not base_url.startswith(("http://", "https://", "file:///")):
        raise ConfigError("the site's base URL must be an http(s) or file URL", value=base_url)
    return base_url if base_url.endswith("/") else base_url + "/"


def publish_site(
    store: EvalStore,
    folder: str | Path,
    *,
    base_url: str | None = None,
    endpoint: str | None = None,
    license: str = DEFAULT_LICENSE,
) -> SiteReport:
    """Write the static site of ``store`` into ``folder``, to be served at ``base_url``
    (default: the folder's ``file:`` URL) with ``endpoint`` as its SPARQL endpoint in
    the descriptions (default: none), which declare ``license`` (an http(s) IRI,
    :func:`kg.publish.dataset.check_license`); only files whose bytes change are
    written."""
    from kg.clock import read_time

    check_license(license)
    site = SiteFolder(folder)
    url = _check_url(base_url or Path(folder).resolve().as_uri() + "/")
    mapping = IriMap(store.base_iri)
    iris = _entities(store)
    names = site_names(store.base_iri, iris)
    hrefs = {iri: ENTITIES + name + ".html" for iri, name in names.items()}
    titles = {}
    run = NamedRunner(store)
    for iri in iris:
        files, titles[hrefs[iri]] = _entity_files(run, iri, names[iri], hrefs, mapping)
        for path, data in files.items():
            site.put(path, data)
    for path, data in _dumps(store).items():
        site.put(path, data)
    issued = site.issued or read_time()
    dcat = sitedcat.dcat_triples(
        store, base_url=url, endpoint=endpoint, issued=issued, license=license
    )
    site.put("dcat.ttl", rdf_bytes(dcat, "turtle", base_iri=store.base_iri))
    void_triples = sitedcat.void_triples(store, base_url=url, endpoint=endpoint, license=license)
    void = rdf_bytes(void_triples, "turtle", base_iri=store.base_iri)
    for name in sitedcat.VOID_FILES:
        site.put(name, void)
    site.put(STYLE, (data_dir("visualizations") / "serve" / "serve.css").read_bytes())
    site.put("index.html", _index(titles, endpoint))
    site.put("sitemap.xml", _sitemap(url, ["index.html", *sorted(titles)]))
    site.put(".nojekyll", b"")  # GitHub Pages: serve .well-known/ and id/_/ as they are
    site.report.entities = len(iris)
    return site.finish(issued)
