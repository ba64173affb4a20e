"""RDF term factories: the mapping builds terms through one of these, so the same mapping
feeds Oxigraph (the store) or rdflib (the in-memory baseline and rdflib users).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True, slots=True)
class Terms:
    """Constructors of one RDF library: ``iri(value)``, ``literal(value, language,
    datatype_iri)``, ``quad(s, p, o, graph)`` and the default graph."""

    name: str
    iri: Callable[[str], Any]
    literal: Callable[[str, str | None, str | None], Any]
    quad: Callable[[Any, Any, Any, Any], Any]
    default_graph: Any


def oxigraph_terms() -> Terms:
    """Terms for :mod:`pyoxigraph` (the store)."""
    import pyoxigraph as ox

    def literal(value: str, language: str | None, datatype: str | None) -> Any:
        if language:
            return ox.Literal(value, language=language)
        if datatype:
            return ox.Literal(value, datatype=ox.NamedNode(datatype))
        return ox.Literal(value)

    return Terms("oxigraph", ox.NamedNode, literal, ox.Quad, ox.DefaultGraph())


def ntriples_terms() -> Terms:
    """Terms as their N-Triples text, written by :mod:`pyoxigraph` (which checks IRIs and
    escapes literals), for a build that hands N-Quads text to the bulk loader; a quad is
    one N-Quads line."""
    import pyoxigraph as ox

    def iri(value: str) -> str:
        return str(ox.NamedNode(value))

    cache: dict[tuple[str, str | None, str | None], str] = {}

    def literal(value: str, language: str | None, datatype: str | None) -> str:
        key = (value, language, datatype)
        found = cache.get(key)
        if found is not None:
            return found
        if language:
            text = str(ox.Literal(value, language=language))
        elif datatype:
            text = str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
        else:
            text = str(ox.Literal(value))
        if len(value) <= 64:  # short values repeat: offsets, field names, acronyms
            if len(cache) > 100_000:
                cache.clear()
            cache[key] = text
        return text

    def quad(s: str, p: str, o: str, g: str | None) -> str:
        return f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n"

    return Terms("ntriples", iri, literal, quad, None)


def rdflib_terms() -> Terms:
    """Terms for :mod:`rdflib`; a quad is an ``(s, p, o, graph IRI)`` tuple."""
    from rdflib import Literal, URIRef

    def literal(value: str, language: str | None, datatype: str | None) -> Any:
        if language:
            return Literal(value, lang=language)
        if datatype:
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)

    return Terms("rdflib", URIRef, literal, lambda s, p, o, g: (s, p, o, g), None)


def to_rdflib_term(term: Any) -> Any:
    """A pyoxigraph term as the equal rdflib term (a whole store as an ``rdflib.Graph``:
    :func:`kg.publish.validate.to_rdflib`)."""
    from rdflib import BNode, Literal, URIRef

    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":  # RDF 1.1: a simple literal is an xsd:string
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))
