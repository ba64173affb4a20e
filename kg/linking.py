"""What the recognizer found, as triples: one ``ek:Mention`` per mention with its
evidence (field, offsets, matched text, method), direct links from the lesson, and the
descriptions of entities that no reference file describes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import lang
from .actors import Actor
from .gazetteer import Place
from .geo import resolve_country
from .recognize import Initiative, Recognition, entity_key
from .record import TEXT_FIELDS, Record
from .repair import repair
from .vocab import EK, GEO, ORG, RDF, SKOS

#: Fields whose values are codes, not prose: what they name is mapped from the field itself
#: (``kg.mapping``), not looked for by the recognizer.
CODED_FIELDS = frozenset(
    (
        "date",
        "management_response",
        "progress",
        "admin_units",
        "project_symbols",
        "information_source",
    )
)

_LINK = {Actor: "mentionsOrganization", Place: "mentionsPlace", Initiative: "mentionsInitiative"}


def record_fields(
    record: Record,
    languages: dict[str, str | None] | None = None,
) -> list[tuple[str, str, str | None]]:
    """The free-text fields of a record to search: ``(field, text, language)``, the known
    text fields first, then the fields evalkg does not know."""
    langs = languages if languages is not None else field_languages(record)[1]
    fields = [
        (name, record.texts[name], langs.get(name))
        for name in TEXT_FIELDS
        if name in record.texts and name not in CODED_FIELDS
    ]
    fields += [(key, value, langs.get(key)) for key, value in record.extra]
    return fields


def recognize(recognizer: Any, record: Record, languages: dict[str, str | None]) -> Recognition:
    """What ``recognizer`` finds in the record's free text, read with its mojibake
    repaired (:mod:`kg.repair`); each mention's offsets and matched text point into the
    verbatim text the graph keeps."""
    fields = record_fields(record, languages)
    repairs = {name: repair(text) for name, text, _ in fields}
    found: Recognition = recognizer.recognize(
        [(name, repairs[name].text, language) for name, _, language in fields],
        recognition_countries(record),
    )
    for mention in found.mentions:
        fixed = repairs.get(mention.field)
        if fixed is not None and fixed.changed:
            mention.start, mention.end = fixed.original(mention.start, mention.end)
            mention.text = fixed.verbatim[mention.start : mention.end]
    return found


def field_languages(record: Record) -> tuple[str | None, dict[str, str | None]]:
    """The record's language and each text field's (detected; the record's when a field
    does not tell)."""
    sample = " ".join(record.texts.values())[:2000] or (record.title or "")
    record_lang = lang.detect(sample) if sample else None
    fields = {**record.texts, **dict(record.extra)}
    return record_lang, {name: lang.detect(text, record_lang) for name, text in fields.items()}


def record_countries(record: Record) -> list[str]:
    """ISO alpha-3 codes of the record's location countries."""
    codes = []
    for pair in record.locations:
        country = resolve_country(pair.country) if pair.country else None
        if country is not None and country.alpha_3 not in codes:
            codes.append(country.alpha_3)
    return codes


def recognition_countries(record: Record) -> list[str]:
    """The countries a record's text is read in: its location countries, else (a page
    without a location, or only regions) those its evaluation's title names ("… in
    Myanmar - Final Evaluation"): acronyms such as MOLES or CETU are told apart by them."""
    codes = record_countries(record)
    if codes or not record.title:
        return codes
    from .gazetteer import find_countries
    from .textscan import tokens

    return list(dict.fromkeys(code for _, _, code in find_countries(tokens(record.title))))


def link_triples(
    mapper: Any,
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
    mapper: Any,
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
    mapper: Any, node: Any, prop: str, code: str, add: Callable[[tuple[Any, Any, Any]], None]
) -> None:
    country = resolve_country(code)
    if country is not None:
        add((node, mapper.iri(EK + prop), mapper.country_iri(country)))
