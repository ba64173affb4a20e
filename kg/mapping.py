"""Record → RDF: the triples of one lesson record and the named graph that holds them.

The terms and IRIs are described in ``docs/model.md``; the ontology in
``ontology/evalkg.ttl``. The mapping builds terms through a :class:`~kg.terms.Terms`
factory, Oxigraph's by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import lang
from .geo import Country, region_slug, resolve_country, scope_of
from .iris import DEFAULT_BASE_IRI, check_base_iri, is_valid_iri, short_hash, slug
from .linking import field_languages, link_triples, record_countries, record_fields
from .recognize import Recognizer
from .record import TEXT_FIELDS, Record
from .terms import Terms, oxigraph_terms
from .titles import parse_title
from .vocab import DCT, EK, FOAF, PROV, RDF, SKOS, XSD

#: Lesson text field → property IRI.
TEXT_PROPERTIES = {
    "comments": EK + "targetedUsers",
    "challenges": EK + "challenges",
    "success": EK + "success",
    "context": EK + "context",
    "description": DCT + "description",
    "administrative_issues": EK + "administrativeIssues",
}
_LESSON_ID = re.compile(r"/lessons?/([^/?#]+)")
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(slots=True)
class Mapped:
    """The triples of one record and the IRI of its named graph: ``triples``, the
    record's own (each names its lesson, record, or one of their parts), and ``shared``,
    those that describe entities other records may describe too (see :mod:`kg.shared`)."""

    graph: Any
    triples: list[tuple[Any, Any, Any]]
    lesson: Any
    shared: list[tuple[Any, Any, Any]]


def _safe_id(value: str) -> str:
    return value if _SAFE_ID.fullmatch(value) else slug(value)


def lesson_key(record: Record) -> str:
    """The lesson id (last segment of the lesson URL), else ``x-<hash of the source>``."""
    if record.lesson_url:
        found = _LESSON_ID.search(record.lesson_url)
        tail = found.group(1) if found else record.lesson_url.rstrip("/").rsplit("/", 1)[-1]
        if tail.strip():
            return _safe_id(tail)
    return "x-" + short_hash(record.where)


class Mapper:
    """Maps records to triples under ``base_iri``; ``read_time`` (an ``xsd:dateTime``
    lexical form) is recorded as when evalkg read each record."""

    def __init__(
        self,
        *,
        base_iri: str = DEFAULT_BASE_IRI,
        read_time: str,
        terms: Terms | None = None,
        recognizer: Recognizer | None = None,
    ) -> None:
        self.base = check_base_iri(base_iri)
        self.recognizer = recognizer
        self.t = terms or oxigraph_terms()
        self.read_time = read_time
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
        return self.t.literal(value, None, XSD + datatype)

    def map(self, record: Record) -> Mapped:
        """The triples of ``record`` (see ``docs/model.md``)."""
        key = lesson_key(record)
        graph = self.t.iri(f"{self.base}record/{key}")
        lesson_iri = f"{self.base}lesson/{key}"
        lesson = self.t.iri(lesson_iri)
        out: list[tuple[Any, Any, Any]] = []
        shared: list[tuple[Any, Any, Any]] = []
        add, share = out.append, shared.append
        i = self.iri
        a = i(RDF + "type")
        record_lang, languages = field_languages(record)

        # The source record (provenance).
        add((graph, a, i(EK + "SourceRecord")))
        add((graph, a, i(PROV + "Entity")))
        add((graph, i(EK + "sourceFile"), self.t.literal(record.source, None, None)))
        if record.line is not None:
            add((graph, i(EK + "sourceLine"), self.typed(str(record.line), "integer")))
        add((graph, i(EK + "sha256"), self.t.literal(record.sha256, None, None)))
        add((graph, i(PROV + "generatedAtTime"), self.typed(self.read_time, "dateTime")))
        if record_lang:
            add((graph, i(EK + "recordLanguage"), self.t.literal(record_lang, None, None)))
        if record.heading is not None:
            heading = self.text(record.heading, lang.detect(record.heading, record_lang))
            add((graph, i(EK + "pageHeading"), heading))

        # The lesson.
        add((lesson, a, i(EK + "Lesson")))
        add((lesson, i(EK + "record"), graph))
        if record.lesson_url is not None:
            add((lesson, i(EK + "lessonUrl"), self.typed(record.lesson_url, "anyURI")))
            if is_valid_iri(record.lesson_url):
                page = self.t.iri(record.lesson_url)
                add((lesson, i(FOAF + "page"), page))
                add((graph, i(PROV + "wasDerivedFrom"), page))
        for name in TEXT_FIELDS:
            value = record.texts.get(name)
            if value is not None:
                add((lesson, i(TEXT_PROPERTIES[name]), self.text(value, languages[name])))

        evaluation = self._evaluation(record, key, record_lang, share)
        add((lesson, i(EK + "evaluation"), evaluation))
        add((evaluation, i(EK + "hasLesson"), lesson))
        self._themes(record, lesson, lesson_iri, add, share)
        self._locations(record, lesson, lesson_iri, add, share)
        for n, (name, value) in enumerate(record.extra, start=1):
            node = self.t.iri(f"{lesson_iri}/field/{n}")
            add((lesson, i(EK + "extraField"), node))
            add((node, a, i(EK + "ExtraField")))
            add((node, i(EK + "fieldName"), self.t.literal(name, None, None)))
            add((node, i(EK + "fieldValue"), self.text(value, languages.get(name))))
        if self.recognizer is not None:
            found = self.recognizer.recognize(
                record_fields(record, languages), record_countries(record)
            )
            link_triples(self, found, lesson, lesson_iri, add, share)
        for warning in record.warnings:  # last: mapping may add warnings of its own
            add((graph, i(EK + "warning"), self.t.literal(warning, None, None)))
        return Mapped(graph, out, lesson, shared)

    def _evaluation(self, record: Record, key: str, record_lang: str | None, add: Any) -> Any:
        i = self.iri
        number = record.eval_number
        ident = _safe_id(number) if number else "x-" + short_hash(record.title or key)
        evaluation = i(f"{self.base}evaluation/{ident}")
        add((evaluation, i(RDF + "type"), i(EK + "Evaluation")))
        if number is not None:
            add((evaluation, i(EK + "evalNumber"), self.t.literal(number, None, None)))
        if record.eval_url is not None:
            add((evaluation, i(EK + "evalUrl"), self.typed(record.eval_url, "anyURI")))
            if is_valid_iri(record.eval_url):
                add((evaluation, i(FOAF + "page"), self.t.iri(record.eval_url)))
        title = record.title
        if title is None:
            return evaluation
        title_lang = lang.detect(title, record_lang)
        add((evaluation, i(DCT + "title"), self.text(title, title_lang)))
        kind = parse_title(title)
        add((evaluation, i(EK + "projectTitle"), self.text(kind.project, title_lang)))
        if kind.label is not None:
            add((evaluation, i(EK + "evaluationKindLabel"), self.text(kind.label, title_lang)))
        if kind.timing is not None:
            add((evaluation, i(EK + "timing"), i(EK + kind.timing)))
        if kind.nature is not None:
            add((evaluation, i(EK + "nature"), i(EK + kind.nature)))
        truncated = "true" if kind.truncated else "false"
        add((evaluation, i(EK + "titleTruncated"), self.typed(truncated, "boolean")))
        if kind.year is not None:
            add((evaluation, i(EK + "year"), self.typed(kind.year, "gYear")))
        return evaluation

    def _concept(self, kind: str, label: str, add: Any) -> Any:
        """A theme or category concept, by slug, labelled verbatim."""
        i = self.iri
        node = i(f"{self.base}{kind.lower()}/{slug(label)}")
        add((node, i(RDF + "type"), i(EK + kind)))
        add((node, i(SKOS + "prefLabel"), self.text(label, lang.detect(label))))
        add((node, i(SKOS + "inScheme"), i(f"{EK}{kind}Scheme")))
        return node

    def _themes(self, record: Record, lesson: Any, lesson_iri: str, add: Any, share: Any) -> None:
        i = self.iri
        for n, pair in enumerate(record.themes, start=1):
            if pair.theme is None and pair.category is None:
                continue
            node = self.t.iri(f"{lesson_iri}/theme/{n}")
            add((lesson, i(EK + "themeAssignment"), node))
            add((node, i(RDF + "type"), i(EK + "ThemeAssignment")))
            for kind, value in (("Theme", pair.theme), ("Category", pair.category)):
                if value is not None:
                    concept = self._concept(kind, value, share)
                    prop = i(EK + kind.lower())
                    add((node, prop, concept))
                    add((lesson, prop, concept))

    def _locations(
        self, record: Record, lesson: Any, lesson_iri: str, add: Any, share: Any
    ) -> None:
        i = self.iri
        for n, pair in enumerate(record.locations, start=1):
            if pair.country is None and pair.region is None:
                continue
            node = self.t.iri(f"{lesson_iri}/location/{n}")
            add((lesson, i(EK + "location"), node))
            add((node, i(RDF + "type"), i(EK + "Location")))
            region = None
            if pair.region is not None:
                add((node, i(EK + "regionName"), self.t.literal(pair.region, None, None)))
                region = self._region(pair.region, record, share)
                add((node, i(EK + "region"), region))
                add((lesson, i(EK + "region"), region))
            if pair.country is None:
                continue
            add((node, i(EK + "countryName"), self.t.literal(pair.country, None, None)))
            country = resolve_country(pair.country)
            if country is None:
                scope = scope_of(pair.country)
                if scope is not None:
                    add((node, i(EK + "scope"), i(EK + scope)))
                else:
                    record.warnings.append(
                        f"{record.where}: location {pair.country!r} is not a country evalkg "
                        "knows; kept as a name only"
                    )
                continue
            country_node = self.country_iri(country)
            add((node, i(EK + "country"), country_node))
            add((lesson, i(EK + "country"), country_node))
            if region is not None:
                share((country_node, i(EK + "inRegion"), region))

    def _region(self, value: str, record: Record, add: Any) -> Any:
        i = self.iri
        known = region_slug(value)
        node = i(f"{self.base}region/{known or slug(value)}")
        if known is None:
            record.warnings.append(f"{record.where}: region {value!r} is not an ILO region")
            add((node, i(RDF + "type"), i(EK + "Region")))
            add((node, i(SKOS + "prefLabel"), self.text(value, lang.detect(value))))
            add((node, i(SKOS + "inScheme"), i(EK + "RegionScheme")))
        return node

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
