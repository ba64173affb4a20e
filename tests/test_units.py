"""The ILO's own units (``ontology/ilo-units.ttl``): one node per unit, ``org:unitOf`` the
ILO, named in three languages, found in text and in a recommendation's ``admin_units``
as the same node. The real pages' tests skip when ``../shared/real-pages/`` is absent."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import ORG, RDF, SKOS

from kg.extract.actors import Actor, ilo_unit, reference_lexicon
from kg.extract.gazetteer import country_index
from kg.extract.recognize import Recognizer
from kg.extract.textscan import tokens
from kg.ingest.reader import read_file
from kg.ingest.record import RECOMMENDATION, Record
from kg.rdf.followup import split_values
from kg.rdf.mapping import Mapper
from kg.resources import ontology_file
from kg.vocab import DCT, EK, SCHEMA

BASE = "https://w3id.org/evalkg/id/"
REAL = Path(__file__).resolve().parents[2] / "shared" / "real-pages"
ILO = rdflib.URIRef(BASE + "org/ilo")
IloUnit = rdflib.URIRef(EK + "IloUnit")


@pytest.fixture(scope="module")
def units() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(ontology_file("ilo-units.ttl"), format="turtle", publicID=BASE)
    return graph


def unit_nodes(graph: rdflib.Graph) -> list[rdflib.term.Node]:
    return sorted(graph.subjects(RDF.type, IloUnit))


def named(name: str) -> Actor | None:
    """The one reference actor the lexicon finds spanning all of ``name``."""
    toks = tokens(name)
    found = reference_lexicon().find(toks, [], name)
    if len(found) == 1 and (found[0].first, found[0].last) == (0, len(toks) - 1):
        return found[0].actor
    return None


def test_the_file_parses_and_holds_the_five_regional_offices(units: rdflib.Graph) -> None:
    nodes = unit_nodes(units)
    assert len(nodes) >= 80
    keys = {str(n)[len(BASE) :] for n in nodes}
    assert {"unit/roaf", "unit/roap", "unit/roas", "unit/rolac", "unit/roeca"} <= keys
    assert all(k.startswith("unit/") for k in keys)


def test_each_unit_is_one_unit_of_the_ilo_named_in_three_languages(units: rdflib.Graph) -> None:
    for node in unit_nodes(units):
        assert list(units.objects(node, RDF.type)) == [IloUnit], node
        assert list(units.objects(node, ORG.unitOf)) == [ILO], node
        labels = list(units.objects(node, SKOS.prefLabel))
        languages = sorted(label.language for label in labels)  # type: ignore[attr-defined]
        assert languages == ["en", "es", "fr"], node


def test_the_ilo_and_its_training_centre_are_not_units(units: rdflib.Graph) -> None:
    assert (ILO, RDF.type, IloUnit) not in units
    assert (rdflib.URIRef(BASE + "org/itc-ilo"), RDF.type, IloUnit) not in units
    assert reference_lexicon().acronyms["ILO"][0].key == "org/ilo"
    assert named("International Labour Office").key == "org/ilo"  # type: ignore[union-attr]


def test_no_code_or_acronym_names_two_units(units: rdflib.Graph) -> None:
    owners: dict[str, set[rdflib.term.Node]] = {}
    for prop in (SKOS.notation, rdflib.URIRef(EK + "acronym")):
        for node, code in units.subject_objects(prop):
            owners.setdefault(str(code), set()).add(node)
    shared = {code: nodes for code, nodes in owners.items() if len(nodes) > 1}
    assert not shared


def test_every_site_is_the_gazetteer_place_of_its_city(units: rdflib.Graph) -> None:
    sites = list(units.subject_objects(ORG.hasSite))
    assert len(sites) >= 45
    for unit, site in sites:
        assert str(site) == f"{unit}/site"
        (city,) = units.objects(site, SKOS.prefLabel)
        (country,) = units.objects(site, rdflib.URIRef(EK + "country"))
        (place,) = units.objects(site, rdflib.URIRef(SCHEMA + "containedInPlace"))
        code = str(country).rsplit("/", 1)[1]
        toks = tokens(str(city))
        last, found = country_index(code).longest(toks, 0)
        assert last == len(toks) - 1, (city, code)
        assert str(place) == BASE + found.key, (city, code)  # type: ignore[attr-defined]


def test_covered_countries_are_iso_codes(units: rdflib.Graph) -> None:
    import pycountry

    for _, country in units.subject_objects(rdflib.URIRef(DCT + "spatial")):
        code = str(country).rsplit("/", 1)[1]
        assert pycountry.countries.get(alpha_3=code) is not None, code


@pytest.mark.parametrize(
    "name", ["ROAP", "ILO ROAP", "RO-Bangkok", "ILO Regional Office for Asia and the Pacific"]
)
def test_names_of_the_regional_office_for_asia_are_one_node(name: str) -> None:
    assert named(name) == ilo_unit("RO-Asia and the Pacific")
    assert ilo_unit("RO-Asia and the Pacific").key == "unit/roap"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name",
    [
        "CO-Dhaka",
        "ILO CO-Dhaka",
        "ILO Country Office for Bangladesh",
        "ILO Country Office in Dhaka",
        "ILO Office in Dhaka",
        "ILO Dhaka Office",
        "Bureau de pays de l'OIT pour le Bangladesh",
    ],
)
def test_names_of_the_country_office_for_bangladesh_are_one_node(name: str) -> None:
    assert named(name) == ilo_unit("CO-Dhaka")
    assert ilo_unit("CO-Dhaka").key == "unit/co-dhaka"  # type: ignore[union-attr]


def test_acronyms_of_several_words_match_only_as_written() -> None:
    assert named("DWT/CO-Lima").key == "unit/dwt-co-lima"  # type: ignore[union-attr]
    assert named("dwt/co-lima") is None
    assert named("ILO Roap") is None


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("CO-Dhaka", "unit/co-dhaka"),
        ("CO – Dhaka", "unit/co-dhaka"),
        ("DWT/CO-Lima", "unit/dwt-co-lima"),
        ("RO-Arab States/DWT-Beirut", "unit/roas"),
        ("RO-Latin America and the Caribbean", "unit/rolac"),
        ("FUNDAMENTALS", "unit/fundamentals"),
        ("LAB/ADMIN", "unit/lab-admin"),
        ("LABADMIN/OSH", "unit/labadmin-osh"),
        ("SKILLS", "unit/skills"),
        ("IPEC+", "unit/ipec-plus"),
        ("ILO-IPEC", "unit/ipec"),
    ],
)
def test_admin_units_codes_resolve(value: str, key: str) -> None:
    unit = ilo_unit(value)
    assert unit is not None and unit.key == key and unit.kind == "IloUnit"


@pytest.mark.parametrize("value", ["Country Office", "Head Quarters", "ILO", "Bangkok", ""])
def test_what_names_no_unit_resolves_to_none(value: str) -> None:
    assert ilo_unit(value) is None


def test_a_common_word_code_is_not_found_in_text() -> None:
    found = Recognizer().recognize([("description", "SKILLS AND EMPLOYMENT FOR YOUTH", "en")], [])
    assert not [m for m in found.mentions if isinstance(m.entity, Actor)]


def test_a_hidden_label_names_the_unit_only_in_its_countries() -> None:
    text = "The ILO Liaison Office signed the agreement."

    def units_in(countries: list[str]) -> set[str]:
        found = Recognizer().recognize([("description", text, "en")], countries)
        return {m.entity.key for m in found.mentions if isinstance(m.entity, Actor)}

    assert "unit/ilo-liaison-office-for-myanmar" in units_in(["MMR"])
    assert "unit/ilo-liaison-office-for-myanmar" not in units_in(["THA"])


def recommendation(admin_units: str) -> Record:
    return Record(
        source="units.txt",
        sha256="0" * 64,
        kind=RECOMMENDATION,
        url="https://webapps.ilo.org/ievaldiscovery/recommendations/1",
        texts={"title": "Recommendation 1: Act.", "admin_units": admin_units},
    )


def addressed(admin_units: str) -> tuple[list[str], dict[str, set[str]], list[str]]:
    record = recommendation(admin_units)
    mapped = Mapper(base_iri=BASE, read_time="2025-01-01T00:00:00Z").map(record)
    units = [o.value for s, p, o in mapped.triples if p.value == EK + "addressedTo"]
    about: dict[str, set[str]] = {}
    for s, p, o in mapped.shared:
        about.setdefault(s.value, set()).add(f"{p.value} {o.value}")
    return units, about, record.warnings


def test_admin_units_address_the_reference_node_and_keep_the_code() -> None:
    units, about, warnings = addressed("CO-Dhaka; RO-Asia and the Pacific")
    assert units == [BASE + "unit/co-dhaka", BASE + "unit/roap"]
    # the reference graph describes both units: a record adds only a code it lacks
    assert about[BASE + "unit/co-dhaka"] == {f"{SKOS.notation} CO-Dhaka"}
    assert BASE + "unit/roap" not in about
    assert not warnings


def test_an_unknown_admin_unit_keeps_a_node_of_its_own_and_a_warning() -> None:
    units, about, warnings = addressed("CO-Atlantis")
    assert units == [BASE + "unit/co-atlantis"]
    assert f"{SKOS.prefLabel} CO-Atlantis" in about[BASE + "unit/co-atlantis"]
    assert f"{ORG.unitOf} {ILO}" in about[BASE + "unit/co-atlantis"]
    assert len(warnings) == 1 and "CO-Atlantis" in warnings[0]


def real_admin_units() -> list[str]:
    if not REAL.is_dir():
        return []
    values = []
    for page in sorted(REAL.glob("*.txt")):
        for item in read_file(page):
            if isinstance(item, Record):
                values += split_values(item.texts.get("admin_units"))
    return values


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-pages/ is not here")
def test_every_admin_units_value_of_the_real_pages_is_a_reference_unit() -> None:
    values = real_admin_units()
    assert len(values) >= 8
    unknown = [v for v in values if ilo_unit(v) is None]
    assert not unknown


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-pages/ is not here")
def test_the_real_pages_store_addresses_reference_units_by_their_codes() -> None:
    """Every recommendation's unit is a reference unit of the ILO (in its own graph), and
    the code the page wrote is one of its skos:notation values, whichever graph holds it."""
    import pyoxigraph as ox

    from kg.load.build import build
    from kg.store.evalstore import EvalStore

    store = EvalStore()
    build([REAL], store=store, workers=1)

    def objects(subject: ox.NamedNode, predicate: str, graph: object = None) -> list[str]:
        quads = store.inner.quads_for_pattern(subject, ox.NamedNode(predicate), None, graph)
        return [q.object.value for q in quads]

    reference = ox.NamedNode(BASE + "graph/ilo-units")
    addressed = list(store.inner.quads_for_pattern(None, ox.NamedNode(EK + "addressedTo"), None))
    assert len(addressed) >= 8
    for quad in addressed:
        unit = quad.object
        assert isinstance(unit, ox.NamedNode)
        assert objects(unit, str(ORG.unitOf), reference) == [str(ILO)], unit
        (code,) = objects(quad.subject, EK + "adminUnitsText")
        assert code in objects(unit, str(SKOS.notation)), unit
