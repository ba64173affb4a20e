"""Exports re-parse to the store's content (compared by isomorphism)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.errors import ConfigError
from kg.load.build import build
from kg.publish.export import FORMATS, export, export_file, guess_format, output_format
from kg.publish.validate import to_rdflib as graph_to_rdflib
from kg.rdf.terms import to_rdflib_term
from kg.store.evalstore import EvalStore

RDFLIB_NAMES = {
    "turtle": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "nquads": "nquads",
    "trig": "trig",
    "rdfxml": "xml",
}
#: Format name -> the extension pyoxigraph's strict parsers know it by.
EXTENSIONS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "rdfxml": "rdf"}


def exported(store: EvalStore, fmt: str) -> bytes:
    out = io.BytesIO()
    export(store, out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "rdfxml"])
def test_triple_formats_round_trip(sample_store: EvalStore, fmt: str) -> None:
    data = exported(sample_store, fmt)
    parsed = rdflib.Graph().parse(data=data, format=RDFLIB_NAMES[fmt])
    assert isomorphic(parsed, graph_to_rdflib(sample_store))
    strict = list(ox.parse(data, format=ox.RdfFormat.from_extension(EXTENSIONS[fmt])))
    assert len(strict) == len(sample_store) == len(parsed)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_quad_formats_round_trip(sample_store: EvalStore, fmt: str) -> None:
    data = exported(sample_store, fmt)
    parsed = rdflib.Dataset()
    parsed.parse(data=data, format=RDFLIB_NAMES[fmt])
    expected: dict[str, rdflib.Graph] = {}
    for quad in sample_store.named_quads():
        graph = expected.setdefault(quad.graph_name.value, rdflib.Graph())
        graph.add(
            (
                to_rdflib_term(quad.subject),
                to_rdflib_term(quad.predicate),
                to_rdflib_term(quad.object),
            )
        )
    got = {str(g.identifier): g for g in parsed.graphs() if len(g)}
    assert set(got) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(got[name], graph), name
    strict = list(
        ox.parse(data, format=ox.RdfFormat.from_extension("nq" if fmt == "nquads" else "trig"))
    )
    assert len(strict) == sum(1 for _ in sample_store.named_quads())


def test_every_format_is_tested() -> None:
    assert set(FORMATS) == set(RDFLIB_NAMES)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("g.ttl", "turtle"),
        ("g.nq", "nquads"),
        ("g.trig", "trig"),
        ("g.jsonld", "jsonld"),
        ("g.nt", "nt"),
        ("g.rdf", "rdfxml"),
        ("g.xyz", None),
    ],
)
def test_guess_format(name: str, fmt: str | None) -> None:
    assert guess_format(name) == fmt


def test_only_web_addresses_become_links(tmp_path: Path) -> None:
    """A record's ``javascript:`` or ``data:`` address stays text (its ek:lessonUrl,
    verbatim) and is never an IRI (foaf:page, prov:wasDerivedFrom) of the export; nor
    does it give the record the id of the lesson its text ends with."""
    urls = {
        "javascript:alert(1)": "data:text/html,<script>alert(2)</script>",
        "javascript:x//lessons/242868": "vbscript:msgbox(3)",
        "https://webapps.ilo.org/ievaldiscovery/lessons/9001": "https://www.ilo.org/e/9001",
    }
    lines = [
        {"url": url, "eval_url": eval_url, "eval_number": str(n), "eval_title": f"T{n}",
         "context": f"Text {n}"}
        for n, (url, eval_url) in enumerate(urls.items())
    ]  # fmt: skip
    (tmp_path / "records.jsonl").write_text("\n".join(json.dumps(line) for line in lines))
    store = EvalStore()
    assert build([tmp_path], store=store).accepted == 3
    turtle = exported(store, "turtle")
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    iris = {str(t) for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}
    assert not {iri for iri in iris if iri.split(":")[0] not in ("http", "https", "urn")}
    texts = {str(o) for o in graph.objects() if isinstance(o, rdflib.Literal)}
    assert set(urls) | set(urls.values()) <= texts
    assert b"<javascript:" not in turtle and b"<data:" not in turtle
    web = {"https://webapps.ilo.org/ievaldiscovery/lessons/9001", "https://www.ilo.org/e/9001"}
    assert web <= iris  # web addresses are still links
    lessons = {iri.rsplit("/", 1)[1] for iri in iris if "/id/lesson/" in iri}
    assert "242868" not in lessons and "9001" in lessons and len(lessons) == 3


def test_output_format_refuses_an_unknown_extension(tmp_path: Path) -> None:
    """``-o graph.rdf`` writes RDF/XML; an extension evalkg does not know is refused
    (naming it and the file), not written as Turtle under a misleading name."""
    assert output_format(tmp_path / "g.rdf") == "rdfxml"
    assert output_format(tmp_path / "graph") == "turtle"
    assert output_format(tmp_path / "g.txt", "nt") == "nt"  # a format given wins
    with pytest.raises(ConfigError) as info:
        output_format(tmp_path / "g.xml")
    assert info.value.value == ".xml" and info.value.path == str(tmp_path / "g.xml")
    assert ".rdf" in str(info.value)
    with pytest.raises(ConfigError) as info:
        output_format(tmp_path / "g.ttl", "n3")
    assert info.value.value == "n3"


def test_export_file_writes_rdf_xml(sample_store: EvalStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.rdf"
    assert export_file(sample_store, path) == ("rdfxml", 0)
    assert path.read_bytes().startswith(b"<?xml")
    parsed = rdflib.Graph().parse(path, format="xml")  # a strict XML parser
    assert len(parsed) == len(sample_store)
    with pytest.raises(ConfigError, match="unknown extension"):
        export_file(sample_store, tmp_path / "graph.xyz")
    assert not (tmp_path / "graph.xyz").exists()


def test_rdf_xml_replaces_what_xml_cannot_hold(tmp_path: Path) -> None:
    """Record text with C0 controls, U+FFFF, quotes and markup: XML 1.0 cannot hold the
    controls even as character references, so RDF/XML writes each as U+FFFD (and says how
    many literals it changed); markup and quotes are escaped; Turtle keeps it all."""
    text = "Ctrl \x01\x08\x0b\x1f\uffff end, <script>alert(\"x\")</script> & 'q'\ttab"
    line = {"url": "https://webapps.ilo.org/ievaldiscovery/lessons/77", "eval_number": "7",
            "eval_title": "T\x02", "context": text}  # fmt: skip
    (tmp_path / "r.jsonl").write_text(json.dumps(line), encoding="utf-8")
    store = EvalStore()
    assert build([tmp_path], store=store).accepted == 1
    out = io.BytesIO()
    changed = export(store, out, format="rdfxml")
    parsed = rdflib.Graph().parse(data=out.getvalue(), format="xml")
    texts = {str(o) for o in parsed.objects() if isinstance(o, rdflib.Literal)}
    wanted = text.translate(dict.fromkeys([1, 8, 11, 31, 0xFFFF], "\ufffd"))
    assert wanted in texts and "T\ufffd" in texts
    assert not {t for t in texts if any(c in t for c in "\x01\x02\x08\x0b\x1f\uffff")}
    literals = [o.value for _, _, o in store.default_triples() if isinstance(o, ox.Literal)]
    controls = [t for t in literals if any(c in t for c in "\x01\x02\uffff")]
    assert changed == len(controls) >= 2  # one per triple
    assert len(parsed) == len(store)
    turtle = rdflib.Graph().parse(data=exported(store, "turtle"), format="turtle")
    assert text in {str(o) for o in turtle.objects()}


def test_rdf_xml_refuses_a_predicate_it_cannot_write() -> None:
    store = EvalStore()
    store.inner.add(
        ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("http://example.org/p/1"), ox.Literal("x"))
    )
    with pytest.raises(ConfigError) as info:
        export(store, io.BytesIO(), format="rdfxml")
    assert info.value.value == "http://example.org/p/1"
