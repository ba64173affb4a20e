"""SHACL validation: the sample conforms; broken graphs do not, with readable reports."""

from __future__ import annotations

import pyoxigraph as ox

from kg.load.build import build
from kg.publish.validate import validate
from kg.store.evalstore import EvalStore
from kg.vocab import EK


def test_sample_conforms(sample_store: EvalStore) -> None:
    report = validate(sample_store)
    assert report.conforms, report.summary()


def test_broken_graph_is_reported(seed_path) -> None:  # type: ignore[no-untyped-def]
    store = EvalStore()
    build([seed_path], store=store)
    lesson = ox.NamedNode(store.base_iri + "lesson/242868")
    evaluation = ox.NamedNode(store.base_iri + "evaluation/3642")
    store.replace_graph(
        ox.NamedNode(store.base_iri + "record/broken"),
        [
            (
                ox.NamedNode(store.base_iri + "country/XX"),
                ox.NamedNode(EK + "iso3166Alpha3"),
                ox.Literal("chl"),
            ),
            (
                ox.NamedNode(store.base_iri + "country/XX"),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(EK + "Country"),
            ),
            (
                lesson,
                ox.NamedNode(EK + "evaluation"),
                ox.NamedNode(store.base_iri + "evaluation/9"),
            ),
        ],
    )
    report = validate(store)
    assert not report.conforms
    text = report.summary()
    assert "Does not conform" in text
    assert f"{store.base_iri}country/XX" in text
    assert any(v.focus == lesson.value for v in report.violations)
    assert evaluation.value not in {v.focus for v in report.violations}
