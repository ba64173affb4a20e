"""The kinds of organization are defined once (``kg.extract.actors.KINDS``): the ontology's
classes, the views' palette and the network data agree with it; and the evaluation kinds
of the ontology are those the network filter takes and the titles are read as (issue 19)."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import rdflib

from kg.extract.actors import KINDS
from kg.extract.titles import kind_words, parse_title
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


#: Labels of the ontology that evaluation titles read as another kind, or as none (none
#: since "intermedia"/"intermédiaire" are read as interim and "autoevaluación" as a
#: self-evaluation).
TITLE_DISAGREES: dict[tuple[str, str], str] = {}


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


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@pytest.mark.parametrize("case", ["upper", "lower", "unaccented"])
@pytest.mark.parametrize(("kind", "label"), _label_cases())
def test_a_kinds_label_is_read_in_any_case_with_or_without_accents(
    kind: str, label: str, case: str
) -> None:
    """Titles write the kind as the site's editors did: "EVALUACIÓN INTERMEDIA",
    "evaluation a mi-parcours"."""
    written = {"upper": label.upper(), "lower": label.lower(), "unaccented": unaccented(label)}
    found = parse_title(f"Decent work for all - {written[case]}")
    assert kind in (found.timing, found.nature)


def test_the_title_words_name_exactly_the_ontologys_kinds() -> None:
    """Each list of ``wordlists/titles.toml`` is a concept of the scheme of its table."""
    words = kind_words()
    schemes = {"EvaluationTimingScheme": words.timing, "EvaluationNatureScheme": words.nature}
    graph = rdflib.Graph().parse(ontology_file("evalkg.ttl"))
    for scheme, table in schemes.items():
        concepts = graph.subjects(rdflib.SKOS.inScheme, rdflib.URIRef(EK + scheme))
        assert {str(c)[len(EK) :] for c in concepts} == {kind for _, kind in table}, scheme


#: Kind suffixes as titles write them, in the three languages, and the kinds they name
#: (``None``: no kind of the ontology; the suffix then stays in the project title).
TITLE_KINDS: list[tuple[str, str | None, str | None]] = [
    ("Independent Mid-Term Evaluation", "MidtermTiming", "IndependentNature"),
    ("MIDTERM REVIEW", "MidtermTiming", None),
    ("Midterm cluster evaluation", "MidtermTiming", None),
    ("Interim Independent Evaluation", "InterimTiming", "IndependentNature"),
    ("Ex-Post Evaluation", "ExPostTiming", None),
    ("Expost evaluation", "ExPostTiming", None),
    ("Final Internal Evaluation", "FinalTiming", "InternalNature"),
    ("Joint final review", "FinalTiming", "JointNature"),
    ("Self-Evaluation", None, "SelfNature"),
    ("Joint final evaluat", "FinalTiming", "JointNature"),  # the page cut it
    ("Evaluación intermedia independiente", "InterimTiming", "IndependentNature"),
    ("EVALUACIÓN INTERMEDIA INTERNA", "InterimTiming", "InternalNature"),
    ("Examen intermedio", "InterimTiming", None),
    ("Evaluación de medio término", "MidtermTiming", None),
    ("Evaluación Ex-Post", "ExPostTiming", None),
    ("Evaluación interna final", "FinalTiming", "InternalNature"),
    ("Examen conjunto", None, "JointNature"),
    ("Autoevaluación final", "FinalTiming", "SelfNature"),
    ("Auto-evaluación", None, "SelfNature"),
    ("Évaluation intermédiaire indépendante", "InterimTiming", "IndependentNature"),
    ("ÉVALUATION À MI-PARCOURS", "MidtermTiming", None),
    ("Evaluation a mi-parcours", "MidtermTiming", None),
    ("Évaluation ex post", "ExPostTiming", None),
    ("Évaluation interne finale", "FinalTiming", "InternalNature"),
    ("Examen conjoint", None, "JointNature"),
    ("Autoévaluation", None, "SelfNature"),
    ("Auto-évaluation finale", "FinalTiming", "SelfNature"),
    ("Cluster evaluation", None, None),  # the ontology has no cluster kind
    ("Clustered evaluation", None, None),
    ("Final report", None, None),  # no evaluation word
    ("Independent eval", None, None),  # cut too short to tell
]


@pytest.mark.parametrize(
    ("suffix", "timing", "nature"), TITLE_KINDS, ids=[c[0] for c in TITLE_KINDS]
)
def test_a_title_suffix_names_its_kind(suffix: str, timing: str | None, nature: str | None) -> None:
    title = f"Decent work for all (2020-2023) - {suffix}"
    found = parse_title(title)
    assert (found.timing, found.nature) == (timing, nature)
    kind = timing or nature
    assert (found.project, found.label) == (
        ("Decent work for all (2020-2023)", suffix) if kind else (title, None)
    )
