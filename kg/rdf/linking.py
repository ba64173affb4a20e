"""What the recognizer found, as triples: one ``ek:Mention`` per mention with its
evidence (field, offsets, matched text, method), direct links from the lesson, and the
descriptions of entities that no reference file describes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kg.extract.actors import Actor
from kg.extract.gazetteer import Place
from kg.extract.geo import resolve_country
from kg.extract.mention import Initiative, Recognition, entity_key

# What a record's text names, read as a build reads it (kg.extract.recordtext): importable from
# here too, as before that module was split off.
from kg.extract.recordtext import CODED_FIELDS as CODED_FIELDS
from kg.extract.recordtext import field_languages as field_languages
from kg.extract.recordtext import recognize as recognize
from kg.extract.recordtext import record_fields as record_fields
from kg.rdf.nodes import Nodes
from kg.vocab import EK, GEO, ORG, RDF, SKOS

_LINK = {Actor: "mentionsOrganization", Place: "mentionsPlace", Initiative: "mentionsInitiative"}


def link_triples(
    mapper: Nodes,
    found: Recognition,
    lesson: Any,
    lesson_iri: str,
    add: Callable[[tuple[Any, Any, Any]], None],
    share: Callable[[tuple[Any, Any, Any]], None],
) -> None:
    """Add the triples of ``found`` for ``lesson``: the lesson's own (mentions, links)
    through ``add``, the descriptions of the entities it names and how they relate to each
    other through ``share``."""
    i, t, base = mapper.iri, mapper.t, mapper.base
    a = i(RDF + "type")
    described: set[str] = set()  # entities described and linked from the lesson
    for n, m in enumerate(found.mentions, start=1):
        key = entity_key(m.entity)
        entity = i(base + key)
        node = t.iri(f"{lesson_iri}/mention/{n}")
        add((node, a, i(EK + "Mention")))
        add((node, i(EK + "inField"), t.literal(m.field, None, None)))
        add((node, i(EK + "start"), mapper.typed(str(m.start), "integer")))
        add((node, i(EK + "end"), mapper.typed(str(m.end), "integer")))
        add((node, i(EK + "matchedText"), t.literal(m.text, None, None)))
        add((node, i(EK + "method"), i(EK + m.method)))
        add((node, i(EK + "refersTo"), entity))
        add((node, i(EK + "mentionIn"), lesson))
        if key not in described:
            described.add(key)
            link = "mentionsCountry" if isinstance(m.entity, str) else _LINK[type(m.entity)]
            add((lesson, i(EK + link), entity))
            _describe(mapper, m.entity, entity, share)
    for org in found.audience:
        add((lesson, i(EK + "audience"), i(base + org)))
    for initiative, org in found.run_by:
        share((i(base + initiative), i(EK + "runBy"), i(base + org)))
    for initiative, place in found.located_in:
        share((i(base + initiative), i(EK + "locatedIn"), i(base + place)))


def _describe(
    mapper: Nodes,
    entity: Actor | Place | Initiative | str,
    node: Any,
    add: Callable[[tuple[Any, Any, Any]], None],
) -> None:
    """Describe an entity the reference graphs do not: a new organization, a place, an
    initiative (countries are reference data)."""
    i, t = mapper.iri, mapper.t
    a = i(RDF + "type")
    if isinstance(entity, str):
        return
    if isinstance(entity, Actor):
        if entity.reference:
            return
        add((node, a, i(EK + entity.kind)))
        add((node, i(SKOS + "prefLabel"), t.literal(entity.label, None, None)))
        if entity.kind == "IloUnit":  # an office or department of the ILO the list lacks
            add((node, i(ORG + "unitOf"), i(mapper.base + "org/ilo")))
        if entity.country:
            _country_link(mapper, node, "country", entity.country, add)
        return
    if isinstance(entity, Initiative):
        add((node, a, i(EK + "Initiative")))
        add((node, i(SKOS + "prefLabel"), t.literal(entity.label, None, None)))
        return
    add((node, a, i(EK + "Place")))
    add((node, i(SKOS + "prefLabel"), t.literal(entity.label, None, None)))
    if entity.latitude is not None and entity.longitude is not None:
        add((node, i(GEO + "lat"), mapper.typed(entity.latitude, "decimal")))
        add((node, i(GEO + "long"), mapper.typed(entity.longitude, "decimal")))
    if entity.geonames_id:
        add((node, i(EK + "geonamesId"), t.literal(entity.geonames_id, None, None)))
    if entity.iso_code:
        add((node, i(SKOS + "notation"), t.literal(entity.iso_code, None, None)))
    _country_link(mapper, node, "inCountry", entity.country, add)


def _country_link(
    mapper: Nodes, node: Any, prop: str, code: str, add: Callable[[tuple[Any, Any, Any]], None]
) -> None:
    country = resolve_country(code)
    if country is not None:
        add((node, mapper.iri(EK + prop), mapper.country_iri(country)))
