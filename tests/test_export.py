"""Exports re-parse to the store's content (compared by isomorphism)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.load.build import build
from kg.publish.export import FORMATS, export, guess_format
from kg.publish.validate import to_rdflib
from kg.rdf.terms import to_rdflib_term
from kg.store.evalstore import EvalStore

RDFLIB_NAMES = {
    "turtle": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "nquads": "nquads",
    "trig": "trig",
}


def exported(store: EvalStore, fmt: str) -> bytes:
    out = io.BytesIO()
    export(store, out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_triple_formats_round_trip(sample_store: EvalStore, fmt: str) -> None:
    data = exported(sample_store, fmt)
    parsed = rdflib.Graph().parse(data=data, format=RDFLIB_NAMES[fmt])
    assert isomorphic(parsed, to_rdflib(sample_store))
    strict = list(
        ox.parse(
            data,
            format=ox.RdfFormat.from_extension(
                {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld"}[fmt]
            ),
        )
    )
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
