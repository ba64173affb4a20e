"""What a recommendation's coded fields mean: its number, date, the management response
and progress (concepts of ``ontology/evalkg.ttl``), the ILO units it is addressed to and
the projects it belongs to."""

from __future__ import annotations

import re
from typing import Any

from kg.extract.actors import ilo_unit, notations
from kg.ingest.record import Record
from kg.iris import slug
from kg.rdf.followup import response_concept, split_values
from kg.rdf.nodes import Nodes
from kg.vocab import DCT, EK, ORG, RDF, SKOS

# "Recommendation 3:", "Recomendación 8.", "Recommandation 2 :", "7)", "3." at the start.
_REC_NUMBER = re.compile(
    r"\s*(?:(?:recommendations?|recomendaci[oó]n|recommandation|rec\.?)\s*(?:n[o°º]\.?\s*)?"
    r"(\d{1,3})\s*[:.)\-–]|(\d{1,3})\s*[).:](?!\d))",
    re.IGNORECASE,
)
_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*")


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


def recommendation_triples(
    nodes: Nodes, record: Record, node: Any, evaluation: Any, add: Any, share: Any
) -> None:
    """What a recommendation's coded fields mean: its number, date, the management
    response and progress (concepts of ``ontology/evalkg.ttl``), the ILO units it is
    addressed to and the projects it belongs to."""
    i, texts = nodes.iri, record.texts
    a = i(RDF + "type")
    text = texts.get("title")
    number = recommendation_number(text) if text is not None else None
    if number is not None:
        add((node, i(EK + "recommendationNumber"), nodes.typed(str(number), "integer")))
    date = texts.get("date")
    if date is not None:
        parsed = site_date(date)
        if parsed is None:
            record.warnings.append(f"{record.where}: date {date!r} is not a date; kept as text")
        else:
            add((node, i(DCT + "date"), nodes.typed(parsed, "date")))
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
    ilo = i(nodes.base + "org/ilo")
    for unit_name in split_values(texts.get("admin_units")):
        code = nodes.t.literal(unit_name, None, None)
        known = ilo_unit(unit_name)  # the node the recognizer gives the unit in text
        if known is not None:  # its reference graph describes it: only a new code is kept
            unit = i(nodes.base + known.key)
            if unit_name not in notations(known):
                share((unit, i(SKOS + "notation"), code))
        else:
            record.warnings.append(
                f"{record.where}: admin_units {unit_name!r} is not an ILO unit evalkg "
                "knows (ontology/ilo-units.ttl); kept as a unit of its own"
            )
            unit = i(f"{nodes.base}unit/{slug(unit_name)}")
            share((unit, a, i(EK + "IloUnit")))
            share((unit, i(SKOS + "prefLabel"), code))
            share((unit, i(SKOS + "notation"), code))
            share((unit, i(ORG + "unitOf"), ilo))
        add((node, i(EK + "addressedTo"), unit))
    for symbol in split_values(texts.get("project_symbols")):
        project = i(f"{nodes.base}project/{slug(symbol)}")
        add((node, i(EK + "project"), project))
        share((project, a, i(EK + "Project")))
        share((project, i(EK + "projectSymbol"), nodes.t.literal(symbol, None, None)))
        share((evaluation, i(EK + "project"), project))
