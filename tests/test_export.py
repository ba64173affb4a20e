"""Exports re-parse to the store's content (compared by isomorphism)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.export import FORMATS, export, guess_format
from kg.store import EvalStore
from kg.terms import to_rdflib
from kg.validate import to_rdflib as graph_to_rdflib

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
    assert isomorphic(parsed, graph_to_rdflib(sample_store))
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
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
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
