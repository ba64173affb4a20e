"""The kinds of organization are defined once (``kg.extract.actors.KINDS``): the ontology's
classes, the views' palette and the network data agree with it; and the evaluation kinds
of the ontology are those the network filter takes and the titles are read as (issue 19)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import rdflib

from kg.extract.actors import KINDS
from kg.extract.titles import parse_title
from kg.networks.netdata import EVALUATION_KINDS, ORGANIZATION_KINDS, kind_key
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


# --- evaluation kinds: the timings and natures of ek:EvaluationTimingScheme and
# ek:EvaluationNatureScheme; no colour of the palette depends on them.

SKOS = "http://www.w3.org/2004/02/skos/core#"


@cache
def evaluation_kinds() -> dict[str, list[rdflib.Literal]]:
    """The ontology's evaluation kinds (local names) and their preferred labels."""
    graph = rdflib.Graph().parse(ontology_file("evalkg.ttl"))
    query = (
        f"SELECT ?kind ?label WHERE {{ VALUES ?scheme {{ <{EK}EvaluationTimingScheme> "
        f"<{EK}EvaluationNatureScheme> }} ?kind <{SKOS}inScheme> ?scheme ; "
        f"<{SKOS}prefLabel> ?label }}"
    )
    kinds: dict[str, list[rdflib.Literal]] = {}
    for kind, label in graph.query(query):
        kinds.setdefault(str(kind)[len(EK) :], []).append(label)
    return kinds


def test_the_kind_filter_takes_exactly_the_ontologys_evaluation_kinds() -> None:
    keys = [kind_key(kind) for kind in evaluation_kinds()]
    assert len(set(keys)) == len(keys) == len(EVALUATION_KINDS)
    assert set(keys) == set(EVALUATION_KINDS)


#: Labels of the ontology that evaluation titles read as another kind, or as none.
TITLE_DISAGREES = {
    ("InterimTiming", "es"): "titles.py reads 'intermedia' as a midterm",
    ("InterimTiming", "fr"): "titles.py reads 'intermédiaire' as a midterm",
    ("SelfNature", "es"): "'autoevaluación' has no separate evaluation word",
}


def _label_cases() -> list[Any]:
    cases = []
    for kind, labels in sorted(evaluation_kinds().items()):
        for label in sorted(labels, key=lambda label: str(label.language)):
            reason = TITLE_DISAGREES.get((kind, str(label.language)))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            cases.append(pytest.param(kind, str(label), id=f"{kind}-{label.language}", marks=marks))
    return cases


@pytest.mark.parametrize(("kind", "label"), _label_cases())
def test_a_title_ending_in_a_kinds_label_has_that_kind(kind: str, label: str) -> None:
    """What the extraction reads in a title is the ontology's kind of that name."""
    found = parse_title(f"Decent work for all - {label}")
    assert kind in (found.timing, found.nature)
