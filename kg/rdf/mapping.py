"""Record → RDF: the triples of one lesson record and the named graph that holds them.

The terms and IRIs are described in ``docs/model.md``; the ontology in
``ontology/evalkg.ttl``. The mapping builds terms through a :class:`~kg.rdf.terms.Terms`
factory, Oxigraph's by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kg.extract import lang
from kg.extract.actors import ilo_unit, notations
from kg.extract.geo import (
    Country,
    ilo_region,
    region_slug,
    regional_scope,
    resolve_country,
    scope_of,
)
from kg.extract.recognize import Recognizer
from kg.extract.recordtext import field_languages, recognize
from kg.extract.titles import parse_title
from kg.ingest.fields import ADDRESS
from kg.ingest.record import LESSON, PRACTICE, RECOMMENDATION, RECORD_TYPES, TEXT_FIELDS, Record
from kg.ingest.repair import repaired
from kg.iris import DEFAULT_BASE_IRI, check_base_iri, is_valid_iri, short_hash, slug
from kg.rdf.followup import response_concept, split_values
from kg.rdf.linking import link_triples
from kg.rdf.terms import Terms, oxigraph_terms
from kg.vocab import DCT, EK, FOAF, ORG, PROV, RDF, SKOS, XSD

#: Lesson text field → property IRI.
TEXT_PROPERTIES = {
    "comments": EK + "targetedUsers",
    "challenges": EK + "challenges",
    "success": EK + "success",
    "context": EK + "context",
    "description": DCT + "description",
    "administrative_issues": EK + "administrativeIssues",
}
#: Record type → field → the property that holds the field's verbatim text.
FIELD_PROPERTIES: dict[str, dict[str, str]] = {
    LESSON: TEXT_PROPERTIES,
    PRACTICE: {
        "replication": EK + "replication",
        "cause_effect": EK + "causeEffect",
        "context": EK + "context",
        "description": DCT + "description",
        "links": EK + "links",
        "indicators": EK + "indicators",
    },
    RECOMMENDATION: {
        "title": EK + "recommendationText",
        "date": EK + "dateText",
        "comments": EK + "managementComments",
        "action_plan": EK + "actionPlan",
        "management_response": EK + "managementResponseText",
        "progress": EK + "progressText",
        "admin_units": EK + "adminUnitsText",
        "project_symbols": EK + "projectSymbolsText",
        "information_source": EK + "informationSource",
    },
}
#: A field met on a record of another type keeps the property of the type it belongs to.
_ANY_TYPE = {
    name: prop for kind in reversed(RECORD_TYPES) for name, prop in FIELD_PROPERTIES[kind].items()
}
#: Record type → (class, the evaluation's property that lists it).
TYPE_CLASSES = {
    LESSON: ("Lesson", "hasLesson"),
    PRACTICE: ("GoodPractice", "hasGoodPractice"),
    RECOMMENDATION: ("Recommendation", "hasRecommendation"),
}
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_WEB = re.compile(r"https?://", re.IGNORECASE)
# "Recommendation 3:", "Recomendación 8.", "Recommandation 2 :", "7)", "3." at the start.
_REC_NUMBER = re.compile(
    r"\s*(?:(?:recommendations?|recomendaci[oó]n|recommandation|rec\.?)\s*(?:n[o°º]\.?\s*)?"
    r"(\d{1,3})\s*[:.)\-–]|(\d{1,3})\s*[).:](?!\d))",
    re.IGNORECASE,
)
_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*")


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


def field_property(kind: str, name: str) -> str:
    """The property that holds field ``name`` of a record of type ``kind``."""
    return FIELD_PROPERTIES[kind].get(name) or _ANY_TYPE[name]


def _safe_id(value: str) -> str:
    return value if _SAFE_ID.fullmatch(value) else slug(value)


def content_key(record: Record) -> str:
    """``x-<hash>`` of what a page says, for a record whose address is missing or cut: its
    type, evaluation and the first 300 characters of its texts (spaces collapsed, fields
    in the site's order), so that two copies of one page, in either layout and cut at
    different points, are one record."""
    texts = " ".join(
        " ".join(record.texts[name].split()) for name in TEXT_FIELDS if name in record.texts
    )
    if not texts:
        texts = " ".join(" ".join(v.split()) for _, v in record.extra)
    basis = "\x1f".join((record.kind, record.eval_number or "", texts[:300]))
    return "x-" + short_hash(basis)


def web_address(value: str | None) -> bool:
    """True for an absolute ``http:`` or ``https:`` IRI, the only addresses a record's
    text becomes a link to (``foaf:page``); ``javascript:``, ``data:``, ``file:`` and the
    rest stay text.

    >>> web_address("https://webapps.ilo.org/lessons/1"), web_address("javascript:alert(1)")
    (True, False)
    """
    if value is None or not _WEB.match(value):
        return False
    return is_valid_iri(value)


def record_key(record: Record) -> str:
    """The record's id: the last segment of its address when that is a web address (the
    same on every host of the site), else :func:`content_key` (a ``javascript:…/lessons/1``
    text does not take lesson 1's id)."""
    url = record.url or ""
    found = ADDRESS.search(url) if _WEB.match(url) else None
    if found is not None:
        return _safe_id(found.group(2))
    return content_key(record)


#: The lesson id (the former name of :func:`record_key`).
lesson_key = record_key


def record_graph(base: str, record: Record) -> str:
    """The IRI of the record's named graph: ``record/<id>`` for a lesson,
    ``record/<type>-<id>`` for the other types (ids are unique within a type only)."""
    key = record_key(record)
    return f"{base}record/{key}" if record.kind == LESSON else f"{base}record/{record.kind}-{key}"


def recommendation_number(text: str) -> int | None:
    """The number a recommendation's text starts with, if any.

    >>> texts = ("Recommendation 3: Do", "7) Do", "Recomendación 8. Ir", "2024 plan")
    >>> [recommendation_number(t) for t in texts]
    [3, 7, 8, None]
    """
    found = _REC_NUMBER.match(text)
    if found is None:
        return None
    return int(found.group(1) or found.group(2))


def site_date(value: str) -> str | None:
    """The ``xsd:date`` of the site's ``2020-12-16 00:00:00.0``, else ``None``.

    >>> site_date("2020-12-16 00:00:00.0"), site_date("soon")
    ('2020-12-16', None)
    """
    found = _DATE.fullmatch(value)
    if found is None:
        return None
    year, month, day = found.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{year}-{month}-{day}"


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
        kind = record.kind
        key = record_key(record)
        graph = self.t.iri(record_graph(self.base, record))
        finding_iri = f"{self.base}{kind}/{key}"
        finding = self.t.iri(finding_iri)
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
        add((graph, i(EK + "pageLayout"), self.t.literal(record.layout, None, None)))
        if record.truncated:
            add((graph, i(EK + "truncated"), self.typed("true", "boolean")))
        add((graph, i(PROV + "generatedAtTime"), self.typed(self.read_time, "dateTime")))
        if record_lang:
            add((graph, i(EK + "recordLanguage"), self.t.literal(record_lang, None, None)))
        if record.heading is not None:
            heading = self.text(record.heading, lang.detect(record.heading, record_lang))
            add((graph, i(EK + "pageHeading"), heading))

        # The finding.
        cls, listed_by = TYPE_CLASSES[kind]
        add((finding, a, i(EK + cls)))
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
        evaluation = self._evaluation(record, key, record_lang, share)
        if kind == RECOMMENDATION:
            self._recommendation(record, finding, evaluation, add, share)
        for n, (name, placeholder) in enumerate(sorted(record.placeholders.items()), start=1):
            node = self.t.iri(f"{finding_iri}/empty/{n}")
            add((finding, i(EK + "emptyField"), node))
            add((node, a, i(EK + "EmptyField")))
            add((node, i(EK + "fieldName"), self.t.literal(name, None, None)))
            add((node, i(EK + "placeholder"), self.t.literal(placeholder, None, None)))

        add((finding, i(EK + "evaluation"), evaluation))
        add((evaluation, i(EK + listed_by), finding))
        self._themes(record, finding, finding_iri, add, share)
        self._locations(record, finding, finding_iri, add, share)
        for n, (name, value) in enumerate(record.extra, start=1):
            node = self.t.iri(f"{finding_iri}/field/{n}")
            add((finding, i(EK + "extraField"), node))
            add((node, a, i(EK + "ExtraField")))
            add((node, i(EK + "fieldName"), self.t.literal(name, None, None)))
            add((node, i(EK + "fieldValue"), self.text(value, languages.get(name))))
        if self.recognizer is not None:
            found = recognize(self.recognizer, record, languages)
            link_triples(self, found, finding, finding_iri, add, share)
        for warning in record.warnings:  # last: mapping may add warnings of its own
            add((graph, i(EK + "warning"), self.t.literal(warning, None, None)))
        return Mapped(graph, out, finding, shared)

    def _recommendation(
        self, record: Record, node: Any, evaluation: Any, add: Any, share: Any
    ) -> None:
        """What a recommendation's coded fields mean: its number, date, the management
        response and progress (concepts of ``ontology/evalkg.ttl``), the ILO units it is
        addressed to and the projects it belongs to."""
        i, texts = self.iri, record.texts
        a = i(RDF + "type")
        text = texts.get("title")
        number = recommendation_number(text) if text is not None else None
        if number is not None:
            add((node, i(EK + "recommendationNumber"), self.typed(str(number), "integer")))
        date = texts.get("date")
        if date is not None:
            parsed = site_date(date)
            if parsed is None:
                record.warnings.append(f"{record.where}: date {date!r} is not a date; kept as text")
            else:
                add((node, i(DCT + "date"), self.typed(parsed, "date")))
        for name, prop in (("management_response", "managementResponse"), ("progress", "progress")):
            value = texts.get(name)
            if value is None:
                continue
            concept = response_concept(name, value)
            if concept is None:
                record.warnings.append(
                    f"{record.where}: {name} {value!r} is not a value evalkg knows; kept as text"
                )
            else:
                add((node, i(EK + prop), i(EK + concept)))
        ilo = i(self.base + "org/ilo")
        for unit_name in split_values(texts.get("admin_units")):
            code = self.t.literal(unit_name, None, None)
            known = ilo_unit(unit_name)  # the node the recognizer gives the unit in text
            if known is not None:  # its reference graph describes it: only a new code is kept
                unit = i(self.base + known.key)
                if unit_name not in notations(known):
                    share((unit, i(SKOS + "notation"), code))
            else:
                record.warnings.append(
                    f"{record.where}: admin_units {unit_name!r} is not an ILO unit evalkg "
                    "knows (ontology/ilo-units.ttl); kept as a unit of its own"
                )
                unit = i(f"{self.base}unit/{slug(unit_name)}")
                share((unit, a, i(EK + "IloUnit")))
                share((unit, i(SKOS + "prefLabel"), code))
                share((unit, i(SKOS + "notation"), code))
                share((unit, i(ORG + "unitOf"), ilo))
            add((node, i(EK + "addressedTo"), unit))
        for symbol in split_values(texts.get("project_symbols")):
            project = i(f"{self.base}project/{slug(symbol)}")
            add((node, i(EK + "project"), project))
            share((project, a, i(EK + "Project")))
            share((project, i(EK + "projectSymbol"), self.t.literal(symbol, None, None)))
            share((evaluation, i(EK + "project"), project))

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
                self._scope(record, pair.country, pair.region, node, lesson, add, share)
                continue
            country_node = self.country_iri(country)
            add((node, i(EK + "country"), country_node))
            add((lesson, i(EK + "country"), country_node))
            expected = ilo_region(country.alpha_3)
            stated = region_slug(pair.region) if pair.region is not None else None
            if stated is not None and expected is not None and stated != expected:
                record.warnings.append(
                    f"{record.where}: {pair.country!r} is given in {pair.region!r}, but the "
                    f"ILO's region for it is {expected!r}; kept as the page says"
                )
            elif region is not None:
                share((country_node, i(EK + "inRegion"), region))

    def _scope(
        self,
        record: Record,
        value: str,
        stated_region: str | None,
        node: Any,
        lesson: Any,
        add: Any,
        share: Any,
    ) -> None:
        """A location value that is not a country: a scope (``Global``,
        ``Inter-Regional``, ``Africa - regional``: the regional scope of that ILO region),
        else a name kept with a warning."""
        i = self.iri
        regional = regional_scope(value)
        if regional is not None:
            add((node, i(EK + "scope"), i(EK + "RegionalScope")))
            region = i(f"{self.base}region/{regional}")
            add((node, i(EK + "scopeRegion"), region))
            if stated_region is None or region_slug(stated_region) != regional:
                add((node, i(EK + "region"), region))
                add((lesson, i(EK + "region"), region))
            return
        scope = scope_of(value)
        if scope is not None:
            add((node, i(EK + "scope"), i(EK + scope)))
            return
        record.warnings.append(
            f"{record.where}: location {value!r} is not a country evalkg knows; kept as a name only"
        )

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
