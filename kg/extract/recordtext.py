"""What a record's text names, read as a build reads it: its free-text fields, the
language of each, the countries it is read in, and what the recognizer finds there, with
offsets into the verbatim text (:mod:`kg.rdf.linking` turns that into triples)."""

from __future__ import annotations

from typing import Any

from kg.extract import lang
from kg.extract.geo import resolve_country
from kg.extract.mention import Recognition
from kg.ingest.record import TEXT_FIELDS, Record
from kg.ingest.repair import repair

#: Fields whose values are codes, not prose: what they name is mapped from the field itself
#: (``kg.rdf.mapping``), not looked for by the recognizer.
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
    repaired (:mod:`kg.ingest.repair`); each mention's offsets and matched text point into the
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
    from kg.extract.gazetteer import find_countries
    from kg.extract.textscan import tokens

    return list(dict.fromkeys(code for _, _, code in find_countries(tokens(record.title))))
