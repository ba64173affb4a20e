"""A record's locations: each country (with the ILO's region for it), region or scope
(``Global``, ``Inter-Regional``, a region's regional scope) the page gives."""

from __future__ import annotations

from typing import Any

from kg.extract import lang
from kg.extract.geo import ilo_region, region_slug, regional_scope, resolve_country, scope_of
from kg.ingest.record import Record
from kg.iris import slug
from kg.rdf.nodes import Nodes
from kg.vocab import EK, RDF, SKOS


def location_triples(
    nodes: Nodes, record: Record, lesson: Any, lesson_iri: str, add: Any, share: Any
) -> None:
    """Each country/region pair of ``record``: a location node of ``lesson`` with the
    names as written, the country and region they name (a country with a region the ILO
    does not give it is kept as the page says, with a warning)."""
    i = nodes.iri
    for n, pair in enumerate(record.locations, start=1):
        if pair.country is None and pair.region is None:
            continue
        node = nodes.t.iri(f"{lesson_iri}/location/{n}")
        add((lesson, i(EK + "location"), node))
        add((node, i(RDF + "type"), i(EK + "Location")))
        region = None
        if pair.region is not None:
            add((node, i(EK + "regionName"), nodes.t.literal(pair.region, None, None)))
            region = _region(nodes, pair.region, record, share)
            add((node, i(EK + "region"), region))
            add((lesson, i(EK + "region"), region))
        if pair.country is None:
            continue
        add((node, i(EK + "countryName"), nodes.t.literal(pair.country, None, None)))
        country = resolve_country(pair.country)
        if country is None:
            _scope(nodes, record, pair.country, pair.region, node, lesson, add, share)
            continue
        country_node = nodes.country_iri(country)
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
    nodes: Nodes,
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
    i = nodes.iri
    regional = regional_scope(value)
    if regional is not None:
        add((node, i(EK + "scope"), i(EK + "RegionalScope")))
        region = i(f"{nodes.base}region/{regional}")
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


def _region(nodes: Nodes, value: str, record: Record, add: Any) -> Any:
    i = nodes.iri
    known = region_slug(value)
    node = i(f"{nodes.base}region/{known or slug(value)}")
    if known is None:
        record.warnings.append(f"{record.where}: region {value!r} is not an ILO region")
        add((node, i(RDF + "type"), i(EK + "Region")))
        add((node, i(SKOS + "prefLabel"), nodes.text(value, lang.detect(value))))
        add((node, i(SKOS + "inScheme"), i(EK + "RegionScheme")))
    return node
