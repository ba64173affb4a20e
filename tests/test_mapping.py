"""Record → RDF: verbatim values, languages, IRIs, countries, provenance."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest.reader import Rejected, parse_page
from kg.rdf.mapping import Mapper, lesson_key
from kg.resources import sample_dir
from kg.store.evalstore import EvalStore
from kg.vocab import DCT, EK, FOAF, PROV, SKOS, XSD

BASE = "https://w3id.org/evalkg/id/"


def objects(store: EvalStore, subject: str, predicate: str) -> list[ox.Literal | ox.NamedNode]:
    quads = store.inner.quads_for_pattern(
        ox.NamedNode(subject), ox.NamedNode(predicate), None, None
    )
    return [q.object for q in quads]


def values(store: EvalStore, subject: str, predicate: str) -> set[str]:
    return {o.value for o in objects(store, subject, predicate)}


def test_every_seed_value_is_in_the_graph_verbatim(seed_store: EvalStore, seed_path: Path) -> None:
    lines = seed_path.read_text(encoding="utf-8").split("\n")
    raw = {
        lines[i][2:-1]: lines[i + 1][2:]
        for i in range(len(lines) - 1)
        if lines[i].startswith("- ") and lines[i].endswith(":")
    }
    lesson, evaluation = BASE + "lesson/242868", BASE + "evaluation/3642"
    record = BASE + "record/242868"
    context = lines[lines.index("- context:") + 1][2:] + "\n" + lines[lines.index("- context:") + 2]
    expected = [
        (record, EK + "pageHeading", lines[1]),
        (evaluation, EK + "evalNumber", raw["eval_number"]),
        (evaluation, EK + "evalUrl", raw["eval_url"]),
        (evaluation, DCT + "title", raw["eval_title"]),
        (lesson, EK + "targetedUsers", raw["comments"]),
        (lesson, EK + "challenges", raw["challenges"]),
        (lesson, EK + "context", context),
        (lesson, DCT + "description", raw["description"]),
        (lesson, EK + "administrativeIssues", raw["administrative_issues"]),
        (lesson, EK + "lessonUrl", raw["url"]),
        (BASE + "theme/programme-implementation", SKOS + "prefLabel", "Programme implementation"),
        (BASE + "theme/organizational-issues", SKOS + "prefLabel", "Organizational issues"),
        (lesson + "/location/1", EK + "countryName", "Chile"),
        (lesson + "/location/2", EK + "countryName", "Mexico"),
        (lesson + "/location/1", EK + "regionName", "Americas"),
        (lesson + "/location/2", EK + "regionName", "Americas"),
    ]
    for subject, predicate, value in expected:
        assert value in values(seed_store, subject, predicate), (subject, predicate, value)
    assert not objects(seed_store, lesson, EK + "success")  # "- -": no value, no triple
    assert values(seed_store, record, PROV + "wasDerivedFrom") == {raw["url"]}
    assert values(seed_store, lesson, FOAF + "page") == {raw["url"]}


def test_seed_languages_and_kind(seed_store: EvalStore) -> None:
    lesson, evaluation = BASE + "lesson/242868", BASE + "evaluation/3642"
    context = objects(seed_store, lesson, EK + "context")[0]
    assert isinstance(context, ox.Literal) and context.language == "es"
    assert values(seed_store, evaluation, EK + "timing") == {EK + "FinalTiming"}
    assert values(seed_store, evaluation, EK + "nature") == {EK + "IndependentNature"}
    assert values(seed_store, evaluation, EK + "titleTruncated") == {"true"}
    assert values(seed_store, evaluation, EK + "evaluationKindLabel") == {
        "Evaluación final independiente"
    }


def test_countries_resolve_with_names_in_three_languages(seed_store: EvalStore) -> None:
    labels = objects(seed_store, BASE + "country/MEX", SKOS + "prefLabel")
    assert {(o.value, o.language) for o in labels if isinstance(o, ox.Literal)} == {
        ("Mexico", "en"),
        ("México", "es"),
        ("Mexique", "fr"),
    }
    assert values(seed_store, BASE + "country/CHL", EK + "inRegion") == {BASE + "region/americas"}


def _map(*lines: str) -> list[tuple[object, object, object]]:
    data = "\n".join(["Back to index", "T - Independent Final Evaluation", *lines, "Skip to top"])
    record = parse_page(data.encode(), source="t.txt")
    return Mapper(read_time="2026-01-01T00:00:00Z").map(record).triples


def test_non_countries_are_never_fake_countries() -> None:
    triples = _map(
        "- location:",
        "- country:",
        "- Inter-Regional",
        "- region:",
        "- Inter-Regional",
        "- country:",
        "- Atlantis",
        "- region:",
        "- Africa",
    )
    countries = [o for _, p, o in triples if p == ox.NamedNode(EK + "country")]
    assert countries == []
    scopes = [o for _, p, o in triples if p == ox.NamedNode(EK + "scope")]
    assert scopes == [ox.NamedNode(EK + "InterRegionalScope")]
    names = {o.value for _, p, o in triples if p == ox.NamedNode(EK + "countryName")}
    assert names == {"Inter-Regional", "Atlantis"}
    warnings = [o.value for _, p, o in triples if p == ox.NamedNode(EK + "warning")]
    assert any("Atlantis" in w for w in warnings)


def test_unknown_field_becomes_an_extra_field() -> None:
    triples = _map("- url:", "- https://x.org/lessons/5", "- funding:", "- EU <b>&</b>")
    got = {(p.value, o.value) for s, p, o in triples if s.value.endswith("/field/1")}
    assert (EK + "fieldName", "funding") in got
    assert (EK + "fieldValue", "EU <b>&</b>") in got


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://webapps.ilo.org/ievaldiscovery/lessons/242868", "242868"),
        ('https://x.org/lessons/a b"c', "a-b-c"),
        ("https://x.org/lessons/ü#frag", "u"),
    ],
)
def test_lesson_key(url: str, key: str) -> None:
    record = parse_page(f"- url:\n- {url}\n".encode())
    assert lesson_key(record) == key


@pytest.mark.parametrize(
    "url", ["javascript:x//lessons/242868", "data:,/lessons/242868", "file:///lessons/242868"]
)
def test_only_a_web_address_gives_the_key(url: str) -> None:
    """Another scheme's text that ends like a lesson's address does not take its id."""
    record = parse_page(f"- url:\n- {url}\n- context:\n- Text\n".encode())
    assert lesson_key(record).startswith("x-")
    triples = Mapper(read_time="2026-01-01T00:00:00Z").map(record).triples
    assert ox.Literal(url, datatype=ox.NamedNode(XSD + "anyURI")) in [o for _, _, o in triples]
    assert not [o for _, p, o in triples if p.value in (FOAF + "page", PROV + "wasDerivedFrom")]


def test_no_url_identifies_a_record_by_its_content() -> None:
    """A page cut before its address is one record wherever it is read from, and two
    different pages are two records."""
    one = parse_page(b"- eval_number:\n- 1\n- context:\n- Text\n", source="a/b.txt")
    again = parse_page(b"- eval_number:\n- 1\n- context:\n- Text\n", source="c/d.txt")
    two = parse_page(b"- eval_number:\n- 2\n- context:\n- Text\n", source="a/b.txt")
    assert lesson_key(one) == lesson_key(again) != lesson_key(two)
    assert lesson_key(one).startswith("x-")


def test_ntriples_terms_give_the_same_triples_as_oxigraph_terms() -> None:
    """The build writes terms as N-Triples text; parsed back, they are the terms the
    Oxigraph factory makes, hostile text included."""
    from kg.extract.recognize import Recognizer
    from kg.ingest.reader import read_records
    from kg.load.pipeline import to_nquads
    from kg.rdf.terms import ntriples_terms

    records = [r for r in read_records([sample_dir()]) if not isinstance(r, Rejected)]
    records[0].texts["context"] = 'say "hi" \\ there\r\n\u2028 <script> \x00 end'
    for record in records:
        plain = Mapper(read_time="2026-01-01T00:00:00Z", recognizer=Recognizer()).map(record)
        text = Mapper(
            read_time="2026-01-01T00:00:00Z", terms=ntriples_terms(), recognizer=Recognizer()
        ).map(record)
        parsed = list(ox.parse(to_nquads(text.graph, text.triples), format=ox.RdfFormat.N_QUADS))
        graph = ox.NamedNode(plain.graph.value)
        assert {q.triple for q in parsed if q.graph_name == graph} == {
            ox.Triple(*t) for t in plain.triples
        }
        assert len(parsed) == len(text.triples)
        shared = " .\n".join(f"{s} {p} {o}" for s, p, o in text.shared) + " .\n"
        assert {q.triple for q in ox.parse(shared.encode(), format=ox.RdfFormat.N_TRIPLES)} == {
            ox.Triple(*t) for t in plain.shared
        }


def test_mojibake_is_repaired_for_recognition_and_evidence_points_into_the_verbatim_text() -> None:
    """Recognition reads ``CÃ´te dâ€™Ivoire`` as ``Côte d’Ivoire``; the literal stays
    verbatim and the mention's offsets and matched text are the verbatim text's."""
    from kg.extract.recognize import Recognizer

    text = "The employersÂ’ federation worked with OIT¿s office in CÃ´te dâ€™Ivoire."
    record = parse_page(
        f"- context:\n- {text}\n- url:\n- https://x.org/lessons/9\n".encode(), source="m.txt"
    )
    mapped = Mapper(read_time="2026-01-01T00:00:00Z", recognizer=Recognizer()).map(record)
    values = {(p.value, o.value) for _, p, o in mapped.triples if isinstance(o, ox.Literal)}
    assert (EK + "context", text) in values
    starts = {s: o.value for s, p, o in mapped.triples if p.value == EK + "start"}
    ends = {s: o.value for s, p, o in mapped.triples if p.value == EK + "end"}
    matched = {s: o.value for s, p, o in mapped.triples if p.value == EK + "matchedText"}
    assert {"OIT", "CÃ´te dâ€™Ivoire"} <= set(matched.values())
    for node, found in matched.items():
        assert text[int(starts[node]) : int(ends[node])] == found
