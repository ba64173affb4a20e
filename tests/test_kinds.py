"""The kinds of organization are defined once (``kg.extract.actors.KINDS``): the ontology's
classes, the views' palette and the network data agree with it (issue 19)."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib

from kg.extract.actors import KINDS
from kg.network.netdata import ORGANIZATION_KINDS
from kg.resources import data_dir, ontology_file

EK = "https://w3id.org/evalkg/ontology#"


def test_the_ontology_defines_exactly_the_kinds_the_code_knows() -> None:
    graph = rdflib.Graph().parse(ontology_file("evalkg.ttl"))
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?c WHERE { "
        f"{{ ?c rdfs:subClassOf+ <{EK}Organization> }} UNION "
        f"{{ ?c rdfs:subClassOf <http://www.w3.org/ns/org#OrganizationalUnit> }} }}"
    )
    classes = {str(row[0])[len(EK) :] for row in graph.query(query) if str(row[0]).startswith(EK)}
    assert classes == set(KINDS)


def test_the_palette_and_the_network_data_have_every_kind() -> None:
    palette = json.loads(Path(data_dir("visualizations"), "palette.json").read_text())
    assert set(KINDS) <= set(palette["categories"])
    assert tuple(ORGANIZATION_KINDS) == KINDS
