"""Property tests: the reader never fails in an unplanned way; pages round-trip; records
round-trip through RDF and Turtle; minted IRIs are valid whatever the input."""

from __future__ import annotations

import contextlib
import io
import json

import pyoxigraph as ox
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.errors import RecordError
from kg.ingest.fields import PLACEHOLDERS
from kg.ingest.reader import Rejected, parse_jsonl, parse_page
from kg.ingest.record import KNOWN_FIELDS, TEXT_FIELDS, LocationPair, Record, ThemePair
from kg.iris import is_valid_iri
from kg.load.pipeline import to_nquads
from kg.rdf.mapping import Mapper
from kg.rdf.terms import ntriples_terms, rdflib_terms

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_record_or_a_record_error(data: bytes) -> None:
    try:
        result = parse_page(data, source="fuzz.txt")
    except RecordError as exc:
        assert exc.path == "fuzz.txt"
    else:
        assert isinstance(result, Record)


lines_of_page = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "- eval_number:",
                "- themes:",
                "- theme:",
                "- country:",
                "- url:",
                "- context:",
                "- -",
                "-",
                "",
                "Back to index",
                "Skip to top",
                "- (a) item",
                "\r",
                "\ufeff",
                "- location:",
                "- region:",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=30,
)


@FAST
@given(lines_of_page)
def test_page_like_text_gives_a_record_or_a_record_error(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    with contextlib.suppress(RecordError):
        parse_page(data, source="fuzz.txt")


@FAST
@given(st.binary(max_size=500))
def test_jsonl_never_raises(data: bytes) -> None:
    for item in parse_jsonl(data, source="fuzz.jsonl"):
        assert item is not None


# A value the page format can carry: no line of it looks like a key, it neither starts
# nor ends with a blank line, and it is not the no-value marker.
value_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=60,
).filter(
    lambda s: (
        s.strip() not in ("", "Skip to top")
        and s.strip().casefold() not in PLACEHOLDERS  # "NA", "-"...: no value
        and not s.startswith(("-", " ", "\t"))
        and "\x85" not in s
    )
)
value = st.lists(value_line, min_size=1, max_size=4).map("\n".join)


@FAST
@given(
    st.dictionaries(st.sampled_from(TEXT_FIELDS), value, min_size=1),
    st.lists(st.tuples(value_line, value_line), max_size=3),
    value_line,
)
def test_page_round_trip(texts: dict[str, str], themes: list[tuple[str, str]], title: str) -> None:
    lines = ["Back to index", title, "- themes:"]
    for theme, category in themes:
        lines += ["- theme:", f"- {theme}", "- category:", f"- {category}"]
    for key, text in texts.items():
        first, *rest = text.split("\n")
        lines += [f"- {key}:", f"- {first}", *rest]
    lines.append("Skip to top")
    record = parse_page("\n".join(lines).encode("utf-8"), source="p.txt")
    assert record.texts == texts
    assert [(t.theme, t.category) for t in record.themes] == themes
    assert record.heading == title


hostile = st.text(max_size=30)


@FAST
@given(hostile, hostile, hostile, hostile, value_line)
def test_record_to_rdf_to_turtle_round_trip(
    number: str, lesson: str, theme: str, country: str, text: str
) -> None:
    record = Record(
        source='we"ird <path>.txt',
        sha256="0" * 64,
        eval_number=number or None,
        url=f"https://x.org/lessons/{lesson}",
        eval_title=text,
        texts={"context": text},
    )
    record.themes.append(ThemePair(theme=theme or None))
    record.locations.append(LocationPair(country=country or None))
    mapped = Mapper(read_time="2026-01-01T00:00:00Z", terms=rdflib_terms()).map(record)
    graph = rdflib.Graph()
    for triple in mapped.triples:
        for term in triple:
            if isinstance(term, rdflib.URIRef):
                assert is_valid_iri(str(term)), term
        graph.add(triple)
    data = graph.serialize(format="turtle").encode("utf-8")
    assert isomorphic(rdflib.Graph().parse(data=data, format="turtle"), graph)
    strict = list(ox.parse(io.BytesIO(data), format=ox.RdfFormat.TURTLE))
    assert len(strict) == len(graph)


# JSON Lines written by hand: any key (the reader's or not, with lone surrogates), any
# value (numbers of any size, lone surrogates, nesting), keys repeated in one object.
any_char = st.one_of(
    st.characters(), st.sampled_from("\ud800\udbff\udc00\udfff")
)  # lone surrogates too
json_key = st.one_of(
    st.sampled_from(sorted(KNOWN_FIELDS | {"heading"})),
    st.text(max_size=8),
    st.text(st.characters(exclude_categories=()), max_size=2),
)
json_number = st.one_of(
    st.integers().map(str),
    st.sampled_from(["1e400", "-0", "3642.0000000000000001", "NaN", "-Infinity"]),
    st.integers(4299, 4302).map(lambda n: "9" * n),  # past Python's int-string limit
)


def _json_text(text: str) -> str:
    """``text`` as a JSON string, lone surrogates as ``\\uXXXX`` escapes."""
    return json.dumps(text)


json_value = st.recursive(
    st.one_of(
        st.just("null"),
        st.booleans().map(lambda b: "true" if b else "false"),
        json_number,
        st.text(max_size=12).map(_json_text),
        st.text(any_char, max_size=4).map(_json_text),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(json_key.map(_json_text), inner), max_size=4).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
        ),
    ),
    max_leaves=12,
)
json_line = st.lists(st.tuples(json_key.map(_json_text), json_value), max_size=6).map(
    lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
)


@FAST
@given(st.lists(json_line, min_size=1, max_size=4))
def test_any_json_line_is_a_record_that_maps_or_a_rejected_line(lines: list[str]) -> None:
    items = list(parse_jsonl("\n".join(lines).encode(), source="h.jsonl"))
    numbers = [item.line if isinstance(item, Record) else item.error.line for item in items]
    assert set(numbers) == set(range(1, len(lines) + 1))  # every line: read or rejected
    mapper = Mapper(read_time="2026-01-01T00:00:00Z", terms=ntriples_terms())
    for item in items:
        if isinstance(item, Rejected):
            assert item.error.path == "h.jsonl"
            str(item.error).encode("utf-8")  # a message that can be printed
            continue
        mapped = mapper.map(item)  # as the build maps and loads it
        data = to_nquads(mapped.graph, mapped.triples)
        assert len(list(ox.parse(data, format=ox.RdfFormat.N_QUADS))) == len(mapped.triples)


single = st.sampled_from(["eval_number", "eval_title", "context", "description", "url"])
text_value = st.text(min_size=1, max_size=20).filter(
    lambda s: s.strip() and s.strip().casefold() not in PLACEHOLDERS
)


@FAST
@given(st.lists(st.tuples(single, text_value), min_size=1, max_size=6))
def test_keys_written_twice_lose_no_value(members: list[tuple[str, str]]) -> None:
    inner = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in members)
    line = '{"lessons_learned": {' + inner + "}}"
    (record,) = parse_jsonl(line.encode(), source="d.jsonl")
    assert isinstance(record, Record)
    kept = [*record.texts.values(), *(v for _, v in record.extra)]
    kept += [v for v in (record.eval_number, record.eval_title, record.url) if v is not None]
    assert sorted(kept) == sorted(v for _, v in members)
    repeats = len(members) - len({k for k, _ in members})
    assert sum("written twice" in w for w in record.warnings) == repeats
