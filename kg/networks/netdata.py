"""The data behind the network views: lessons, their facets, the names of entities, and
the lessons the filters keep.

Everything is read with the ``queries/network/*.rq`` queries, or, for what records say
about their lessons, from the store's lesson index when it is complete (the same rows,
without SPARQL's cost of looking up every IRI; :mod:`kg.store.lessonindex`); nothing here
builds a graph (see :mod:`kg.networks.projection`). Text from the records is kept verbatim:
it is hostile until whoever displays it escapes it. The filters are
:mod:`kg.networks.filters`, the entities :mod:`kg.networks.entities`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kg.errors import ConfigError
from kg.extract.textscan import name_key
from kg.networks.entities import (
    LANGUAGE_RANK,
    NODE_TYPES,
    ORGANIZATION_KINDS,
    PROPERTY_RANK,
    Entity,
    Location,
    close_names,
    finding,
    locations,
    make_entity,
)
from kg.networks.filters import (
    EVALUATION_KINDS,
    FACETS,
    NO_DETAILS,
    EvaluationDetails,
    Filters,
    evaluation_details,
    kind_key,
)
from kg.sparql.queries import get_query
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore
from kg.store.lessonindex import LINK_PROPERTIES, LessonRow
from kg.vocab import EK, RDF

__all__ = [  # the names of kg.networks.filters and .entities stay importable from here
    "EVALUATION_KINDS",
    "FACETS",
    "NODE_TYPES",
    "ORGANIZATION_KINDS",
    "Entity",
    "EvaluationDetails",
    "Filters",
    "NetworkData",
    "close_names",
    "excerpt",
    "kind_key",
    "rows",
]

EXCERPT = 120


def rows(store: EvalStore, name: str) -> Iterator[tuple[Any, ...]]:
    """The rows of the named query ``name`` (pyoxigraph terms, ``None`` when unbound)."""
    named = get_query(name)
    return iter(run_query(store, named.text, source=str(named.path)).rows)


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def excerpt(text: str | None, limit: int = EXCERPT) -> str | None:
    """The start of ``text`` on one line, cut at a word near ``limit`` characters.

    >>> excerpt("Local   partners\\nmatter most for reach.", 20)
    'Local partners…'
    """
    if not text:
        return None
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


@dataclass
class NetworkData:
    """Lessons, facets and entity names of a store, and the lessons ``filters`` keep.

    Queries run lazily, once each. ``use_index``: read lessons from the store's lesson
    index when it is complete (else always from SPARQL); ``properties``: the links a
    network reads from it (besides evaluations, regions, and the facets filters test);
    ``evaluation_names``: whether entities include evaluations (named by their titles;
    a network without evaluation nodes reads ``queries/network/names.rq``, which leaves them
    out, instead of ``queries/network/labels.rq``).
    """

    store: EvalStore
    filters: Filters = field(default_factory=Filters)
    use_index: bool = True
    properties: tuple[str, ...] = LINK_PROPERTIES
    evaluation_names: bool = True

    @cached_property
    def index(self) -> list[LessonRow] | None:
        """The rows of the store's lesson index, or ``None`` when it is not used."""
        if not self.use_index:
            return None
        index = self.store.lesson_index
        if not index.complete:
            return None
        return list(index.rows(self._index_columns))

    @property
    def _index_columns(self) -> set[str]:
        """The links read from the index: the network's, regions, and the filters' facets."""
        return {*self.properties, "region", *(FACETS if self.filters.active() else ())}

    @cached_property
    def evaluations(self) -> dict[str, EvaluationDetails]:
        """Evaluation IRI → its title, year and kinds."""
        found: Iterable[tuple[str, str | None, str | None, Iterable[str]]]
        if self.index is not None:
            found = (
                (r.evaluation, r.evaluation_title, r.evaluation_year, r.evaluation_kinds)
                for r in self.index
                if r.evaluation is not None
            )
        else:
            found = (
                (e.value, _value(title), _value(year), [k.value for k in (timing, nature) if k])
                for e, title, year, timing, nature in rows(self.store, "network/evaluation-details")
            )
        return evaluation_details(found)

    @cached_property
    def lessons(self) -> dict[str, dict[str, Any]]:
        """Lesson IRI → ``{iri, title, evaluation, evaluation_title, url}``."""
        details = self.evaluations
        table: dict[str, dict[str, Any]] = {}
        found: Iterable[tuple[str, str | None, str | None, str | None]]
        if self.index is not None:
            found = ((r.lesson, r.evaluation, r.url, r.text) for r in self.index)
        else:
            found = (
                (lesson.value, _value(evaluation), _value(url), _value(text))
                for lesson, evaluation, url, text in rows(self.store, "network/lessons")
            )
        for iri, evaluation, url, text in found:
            if iri in table:
                continue
            table[iri] = {
                "iri": iri,
                "title": excerpt(text) or "Lesson " + iri.rstrip("/").rsplit("/", 1)[-1],
                "evaluation": evaluation,
                "evaluation_title": details[evaluation].title if evaluation in details else None,
                "url": url,
            }
        return table

    def _evaluation_of(self, lesson: str) -> EvaluationDetails:
        found = self.lessons[lesson]["evaluation"]
        return self.evaluations.get(found or "", NO_DETAILS)

    @cached_property
    def facets(self) -> dict[str, dict[str, set[str]]]:
        """Facet (``country``, ``region``, ``theme``, ``category``) → entity → lessons."""
        table: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        if self.index is not None:
            loaded = self._index_columns >= set(FACETS)
            for row in self.index if loaded else self.store.lesson_index.rows(FACETS):
                for facet in FACETS:
                    for entity in row.links.get(facet, ()):
                        table[facet][entity].add(row.lesson)
            return table
        for lesson, facet, entity in rows(self.store, "network/facets"):
            table[facet.value[len(EK) :]][entity.value].add(lesson.value)
        return table

    @cached_property
    def regions(self) -> dict[str, list[str]]:
        """Lesson IRI → the IRIs of its regions (sorted)."""
        table: dict[str, list[str]] = defaultdict(list)
        if self.index is not None:
            for row in self.index:
                if "region" in row.links:
                    table[row.lesson] = list(row.links["region"])
            return table
        for lesson, region in rows(self.store, "network/lesson-regions"):
            table[lesson.value].append(region.value)
        for regions in table.values():
            regions.sort()
        return table

    @cached_property
    def entities(self) -> dict[str, Entity]:
        """Entity IRI → its label, aliases, type and kind."""
        names: dict[str, set[tuple[int, int, str]]] = defaultdict(set)
        classes: dict[str, set[str]] = defaultdict(set)
        query = "network/labels" if self.evaluation_names else "network/names"
        for entity, prop, label in rows(self.store, query):
            iri = entity.value
            if prop.value == RDF + "type":
                classes[iri].add(label.value)
                continue
            language = getattr(label, "language", None) or ""
            rank = (PROPERTY_RANK[prop.value], LANGUAGE_RANK.get(language, 9), label.value)
            names[iri].add(rank)
        named = set(names) | set(classes)
        return {iri: make_entity(iri, names.get(iri, set()), classes[iri]) for iri in named}

    @cached_property
    def locations(self) -> dict[str, Location]:
        """Organization or place IRI → its countries and coordinates."""
        return locations(
            (e.value, p.value, v.value) for e, p, v in rows(self.store, "network/locations")
        )

    def entity(self, iri: str) -> Entity:
        """The entity ``iri`` (a finding: a lesson, good practice or recommendation, by the
        segment of its IRI; or a bare IRI when it has no names)."""
        if iri in self.lessons:
            return finding(iri, self.lessons[iri]["title"])
        found = self.entities.get(iri)
        if found is not None:
            return found
        return make_entity(iri, set(), set())

    @cached_property
    def allowed(self) -> set[str] | None:
        """The lessons the filters keep (``None``: all of them)."""
        chosen = self.filters
        if not chosen.active():
            return None
        keep = set(self.lessons)
        if chosen.country is not None:
            keep &= self._facet_lessons(("country",), chosen.country, ("country",))
        if chosen.region is not None:
            keep &= self._facet_lessons(("region",), chosen.region, ("region",))
        if chosen.theme is not None:
            keep &= self._facet_lessons(("theme", "category"), chosen.theme, ("theme", "category"))
        if chosen.year is not None:
            year = str(chosen.year).strip()
            keep = {iri for iri in keep if self._evaluation_of(iri).year == year}
        if chosen.kind is not None:
            kind = kind_key(chosen.kind)
            if kind not in EVALUATION_KINDS:
                known = ", ".join(EVALUATION_KINDS)
                raise ConfigError(f"unknown kind (use {known})", value=chosen.kind)
            keep = {iri for iri in keep if kind in self._evaluation_of(iri).kinds}
        return keep

    def keeps(self, lesson: str) -> bool:
        """Whether the filters keep ``lesson``."""
        allowed = self.allowed
        return allowed is None or lesson in allowed

    def _facet_lessons(self, facets: Iterable[str], value: str, types: Collection[str]) -> set[str]:
        matched = self.find(value, types=types, what=" or ".join(types))
        out: set[str] = set()
        for facet in facets:
            for iri in matched:
                out |= self.facets[facet].get(iri, set())
        return out

    def find(self, value: str, *, types: Collection[str], what: str) -> set[str]:
        """The entities of ``types`` named ``value`` (or with IRI ``value``);
        :class:`ConfigError` listing close names when there is none."""
        candidates = {iri: e for iri, e in self.entities.items() if e.type in types}
        if value in candidates:
            return {value}
        key = name_key(value)
        found = {iri for iri, e in candidates.items() if key in e.folded}
        if not found:
            close = close_names(value, candidates)
            raise ConfigError(f"no {what} of that name{close}", value=value)
        return found
