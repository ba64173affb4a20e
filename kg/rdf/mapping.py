"""Record → RDF: the triples of one lesson record and the named graph that holds them.

The terms and IRIs are described in ``docs/model.md``; the ontology in
``ontology/evalkg.ttl``. The mapping builds terms through a :class:`~kg.rdf.terms.Terms`
factory, Oxigraph's by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.extract import lang
from kg.extract.recognize import Recognizer
from kg.extract.recordtext import field_languages, recognize
from kg.extract.titles import parse_title
from kg.ingest.record import LESSON, RECOMMENDATION, TEXT_FIELDS, Record
from kg.ingest.repair import repaired
from kg.iris import DEFAULT_BASE_IRI, short_hash, slug

# A record's identity and the properties of its fields: importable from here too, as
# before they were split off.
from kg.rdf.keys import content_key as content_key
from kg.rdf.keys import lesson_key as lesson_key
from kg.rdf.keys import record_graph as record_graph
from kg.rdf.keys import record_key as record_key
from kg.rdf.keys import safe_id
from kg.rdf.keys import web_address as web_address
from kg.rdf.linking import link_triples
from kg.rdf.locations import location_triples
from kg.rdf.nodes import Nodes
from kg.rdf.properties import FIELD_PROPERTIES as FIELD_PROPERTIES
from kg.rdf.properties import TEXT_PROPERTIES as TEXT_PROPERTIES
from kg.rdf.properties import TYPE_CLASSES as TYPE_CLASSES
from kg.rdf.properties import field_property as field_property
from kg.rdf.recommendation import recommendation_triples
from kg.rdf.terms import Terms
from kg.vocab import DCT, EK, FOAF, PROV, RDF, SKOS


@dataclass(slots=True)
class Mapped:
    """The triples of one record and the IRI of its named graph: ``triples``, the
    record's own (each names its finding, record, or one of their parts), and ``shared``,
    those that describe entities other records may describe too (see :mod:`kg.store.shared`)."""

    graph: Any
    triples: list[tuple[Any, Any, Any]]
    lesson: Any
    shared: list[tuple[Any, Any, Any]]

    @property
    def finding(self) -> Any:
        """The finding's node (a lesson, good practice or recommendation)."""
        return self.lesson


class Mapper(Nodes):
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
        super().__init__(base_iri=base_iri, terms=terms)
        self.recognizer = recognizer
        self.read_time = read_time

    def map(self, record: Record) -> Mapped:
        """The triples of ``record`` (see ``docs/model.md``)."""
        kind = record.kind
        key = record_key(record)
        graph = self.t.iri(record_graph(self.base, record))
        finding_iri = f"{self.base}{kind}/{key}"
        finding = self.t.iri(finding_iri)
        out: list[tuple[Any, Any, Any]] = []
        shared: list[tuple[Any, Any, Any]] = []
        add, share = out.append, shared.append
        i = self.iri
        record_lang, languages = field_languages(record)
        self._source(record, graph, record_lang, add)
        self._finding(record, graph, finding, languages, add)
        evaluation = self._evaluation(record, key, record_lang, share)
        if kind == RECOMMENDATION:
            recommendation_triples(self, record, finding, evaluation, add, share)
        self._empty_fields(record, finding, finding_iri, add)
        add((finding, i(EK + "evaluation"), evaluation))
        add((evaluation, i(EK + TYPE_CLASSES[kind][1]), finding))
        self._themes(record, finding, finding_iri, add, share)
        location_triples(self, record, finding, finding_iri, add, share)
        self._extra_fields(record, finding, finding_iri, languages, add)
        if self.recognizer is not None:
            found = recognize(self.recognizer, record, languages)
            link_triples(self, found, finding, finding_iri, add, share)
        for warning in record.warnings:  # last: mapping may add warnings of its own
            add((graph, i(EK + "warning"), self.t.literal(warning, None, None)))
        return Mapped(graph, out, finding, shared)

    def _source(self, record: Record, graph: Any, record_lang: str | None, add: Any) -> None:
        """The source record (provenance): its file, line, digest, layout, read time."""
        i = self.iri
        a = i(RDF + "type")
        add((graph, a, i(EK + "SourceRecord")))
        add((graph, a, i(PROV + "Entity")))
        add((graph, i(EK + "sourceFile"), self.t.literal(record.source, None, None)))
        if record.line is not None:
            add((graph, i(EK + "sourceLine"), self.typed(str(record.line), "integer")))
        add((graph, i(EK + "sha256"), self.t.literal(record.sha256, None, None)))
        add((graph, i(EK + "pageLayout"), self.t.literal(record.layout, None, None)))
        if record.truncated:
            add((graph, i(EK + "truncated"), self.typed("true", "boolean")))
        add((graph, i(PROV + "generatedAtTime"), self.typed(self.read_time, "dateTime")))
        if record_lang:
            add((graph, i(EK + "recordLanguage"), self.t.literal(record_lang, None, None)))
        if record.heading is not None:
            heading = self.text(record.heading, lang.detect(record.heading, record_lang))
            add((graph, i(EK + "pageHeading"), heading))

    def _finding(
        self, record: Record, graph: Any, finding: Any, languages: dict[str, str | None], add: Any
    ) -> None:
        """The finding: its class, record, page and the verbatim text of each field."""
        i, kind = self.iri, record.kind
        add((finding, i(RDF + "type"), i(EK + TYPE_CLASSES[kind][0])))
        add((finding, i(EK + "record"), graph))
        if record.url is not None:
            prop = "lessonUrl" if kind == LESSON else "pageUrl"
            add((finding, i(EK + prop), self.typed(record.url, "anyURI")))
            if web_address(record.url):
                page = self.t.iri(record.url)
                add((finding, i(FOAF + "page"), page))
                add((graph, i(PROV + "wasDerivedFrom"), page))
        for name in TEXT_FIELDS:
            value = record.texts.get(name)
            if value is not None:
                prop = field_property(kind, name)
                add((finding, i(prop), self.text(value, languages.get(name))))

    def _empty_fields(self, record: Record, finding: Any, finding_iri: str, add: Any) -> None:
        """The fields the page left empty, each with what it wrote for "no value"."""
        i = self.iri
        for n, (name, placeholder) in enumerate(sorted(record.placeholders.items()), start=1):
            node = self.t.iri(f"{finding_iri}/empty/{n}")
            add((finding, i(EK + "emptyField"), node))
            add((node, i(RDF + "type"), i(EK + "EmptyField")))
            add((node, i(EK + "fieldName"), self.t.literal(name, None, None)))
            add((node, i(EK + "placeholder"), self.t.literal(placeholder, None, None)))

    def _extra_fields(
        self,
        record: Record,
        finding: Any,
        finding_iri: str,
        languages: dict[str, str | None],
        add: Any,
    ) -> None:
        """The fields evalkg does not know, each with its name and value."""
        i = self.iri
        for n, (name, value) in enumerate(record.extra, start=1):
            node = self.t.iri(f"{finding_iri}/field/{n}")
            add((finding, i(EK + "extraField"), node))
            add((node, i(RDF + "type"), i(EK + "ExtraField")))
            add((node, i(EK + "fieldName"), self.t.literal(name, None, None)))
            add((node, i(EK + "fieldValue"), self.text(value, languages.get(name))))

    def _evaluation(self, record: Record, key: str, record_lang: str | None, add: Any) -> Any:
        i = self.iri
        number = record.eval_number
        ident = safe_id(number) if number else "x-" + short_hash(record.title or key)
        evaluation = i(f"{self.base}evaluation/{ident}")
        add((evaluation, i(RDF + "type"), i(EK + "Evaluation")))
        if number is not None:
            add((evaluation, i(EK + "evalNumber"), self.t.literal(number, None, None)))
        if record.eval_url is not None:
            add((evaluation, i(EK + "evalUrl"), self.typed(record.eval_url, "anyURI")))
            if web_address(record.eval_url):
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

    def _concept(self, label: str, role: str, add: Any) -> Any:
        """A theme concept, by the slug of its (repaired) name, in the one theme scheme
        whatever the record type; ``role`` (``Theme`` or ``Category``) is its type too."""
        i = self.iri
        name = repaired(label)
        node = i(f"{self.base}theme/{slug(name)}")
        add((node, i(RDF + "type"), i(SKOS + "Concept")))
        add((node, i(RDF + "type"), i(EK + role)))
        add((node, i(SKOS + "prefLabel"), self.text(name, lang.detect(name))))
        add((node, i(SKOS + "inScheme"), i(EK + "ThemeScheme")))
        return node

    def _themes(self, record: Record, lesson: Any, lesson_iri: str, add: Any, share: Any) -> None:
        """Each ``theme``/``category`` pair: ``ek:theme`` the sub-topic, ``ek:category`` the
        broad theme (``skos:broader`` of the sub-topic). Lessons and good practices write
        the sub-topic in ``theme``; recommendations in ``category``."""
        i = self.iri
        swap = record.kind == RECOMMENDATION
        for n, pair in enumerate(record.themes, start=1):
            if pair.theme is None and pair.category is None:
                continue
            node = self.t.iri(f"{lesson_iri}/theme/{n}")
            add((lesson, i(EK + "themeAssignment"), node))
            add((node, i(RDF + "type"), i(EK + "ThemeAssignment")))
            sub, broad = (pair.category, pair.theme) if swap else (pair.theme, pair.category)
            for key, value in (("theme", pair.theme), ("category", pair.category)):
                if value is not None:
                    add((node, i(EK + key + "Name"), self.t.literal(value, None, None)))
            concepts = {}
            for role, value in (("Theme", sub), ("Category", broad)):
                if value is not None:
                    concept = concepts[role] = self._concept(value, role, share)
                    prop = i(EK + role.lower())
                    add((node, prop, concept))
                    add((lesson, prop, concept))
            if len(concepts) == 2 and concepts["Theme"] != concepts["Category"]:
                share((concepts["Theme"], i(SKOS + "broader"), concepts["Category"]))
