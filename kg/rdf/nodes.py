"""The nodes and literals of the graph under one base IRI, made with one RDF library's
:class:`~kg.rdf.terms.Terms`: IRIs (cached), verbatim texts, typed literals, countries."""

from __future__ import annotations

from typing import Any

from kg.extract.geo import Country
from kg.iris import DEFAULT_BASE_IRI, check_base_iri
from kg.rdf.terms import Terms, oxigraph_terms
from kg.vocab import EK, RDF, SKOS, XSD


class Nodes:
    """Makes the terms of the graph under ``base_iri`` (Oxigraph's by default)."""

    def __init__(self, *, base_iri: str = DEFAULT_BASE_IRI, terms: Terms | None = None) -> None:
        self.base = check_base_iri(base_iri)
        self.t = terms or oxigraph_terms()
        self._iri_cache: dict[str, Any] = {}

    def iri(self, value: str) -> Any:
        """A cached IRI term (vocabulary and shared entities repeat across records)."""
        term = self._iri_cache.get(value)
        if term is None:
            if len(self._iri_cache) > 200_000:
                self._iri_cache.clear()
            term = self._iri_cache[value] = self.t.iri(value)
        return term

    def text(self, value: str, language: str | None) -> Any:
        """A verbatim text literal, language-tagged when the language is known."""
        return self.t.literal(value, language, None)

    def typed(self, value: str, datatype: str) -> Any:
        """A literal of ``xsd:<datatype>`` (``integer``, ``date``…)."""
        return self.t.literal(value, None, XSD + datatype)

    def country_iri(self, country: Country) -> Any:
        """The node of ``country`` (described once, in the store's reference graph of
        countries: see :meth:`describe_country`)."""
        return self.iri(f"{self.base}country/{country.alpha_3}")

    def describe_country(self, country: Country, add: Any) -> Any:
        """The node of ``country``, described (codes, names in three languages)."""
        i = self.iri
        node = self.country_iri(country)
        add((node, i(RDF + "type"), i(EK + "Country")))
        add((node, i(EK + "iso3166Alpha3"), self.t.literal(country.alpha_3, None, None)))
        add((node, i(EK + "iso3166Alpha2"), self.t.literal(country.alpha_2, None, None)))
        add((node, i(EK + "iso3166Numeric"), self.t.literal(country.numeric, None, None)))
        for code, name in country.names:
            add((node, i(SKOS + "prefLabel"), self.text(name, code)))
        return node
