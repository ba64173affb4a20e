"""JSON Lines that try to break the build (issue 17 §3): each bad line is one rejected
line naming the file, the line and the bad value; the other lines are still read; values
are kept as written, and a key written twice is warned of, never silently dropped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.errors import RecordError
from kg.extract.titles import conflicting_titles
from kg.ingest.jsonvalues import MAX_DEPTH
from kg.ingest.reader import Rejected, iter_files, parse_jsonl, read_file, shown_path
from kg.ingest.record import TYPE_CONTAINERS, Record
from kg.load.build import build
from kg.store.evalstore import EvalStore

GOOD = {
    "title": "Rural roads - Final evaluation",
    "eval_number": "77",
    "lessons_learned": {"context": "Crews hired locally finished sooner.", "url": ""},
}


def good(n: int) -> str:
    """A good line, its own record (its own address)."""
    line = json.loads(json.dumps(GOOD))
    line["lessons_learned"]["url"] = f"https://example.org/ievaldiscovery/lessons/{n}"
    return json.dumps(line)


def around(bad: str) -> bytes:
    """``bad`` as line 2 of 3, between two good lines."""
    return "\n".join((good(1), bad, good(3))).encode("utf-8")


def rejected_line_2(bad: str) -> Rejected:
    """The rejected line 2 of ``around(bad)``, having checked lines 1 and 3 are read."""
    first, second, third = list(parse_jsonl(around(bad), source="h.jsonl"))
    assert isinstance(first, Record) and first.line == 1
    assert isinstance(third, Record) and third.line == 3
    assert isinstance(second, Rejected), second
    assert (second.source, second.error.path, second.error.line) == ("h.jsonl:2", "h.jsonl", 2)
    assert str(second.error).startswith("h.jsonl:2: ")
    str(second.error).encode("utf-8")  # the reason can be printed and written
    return second


def one(line: str) -> Record:
    (record,) = list(parse_jsonl(line.encode("utf-8"), source="one.jsonl"))
    assert isinstance(record, Record), record
    return record


# --- containers ------------------------------------------------------------------------


@pytest.mark.parametrize("container", TYPE_CONTAINERS.values())
@pytest.mark.parametrize(
    ("value", "says"),
    [
        ('"Keep the crews local."', "holds a string"),
        ("5", "holds a number"),
        ("true", "holds true"),
    ],
)
def test_a_container_holding_a_plain_value_is_a_rejected_line(
    container: str, value: str, says: str
) -> None:
    item = rejected_line_2(f'{{"eval_number": "8", "{container}": {value}}}')
    assert f"'{container}' {says}" in item.error.message
    assert "not an object" in item.error.message


@pytest.mark.parametrize("container", TYPE_CONTAINERS.values())
@pytest.mark.parametrize(
    ("value", "says"),
    [("[]", "an empty list"), ("{}", "an empty object"), ("[{}]", "item 1 of")],
)
def test_an_empty_container_is_a_rejected_line(container: str, value: str, says: str) -> None:
    item = rejected_line_2(f'{{"eval_number": "8", "{container}": {value}}}')
    assert says in item.error.message and "no record" in item.error.message


@pytest.mark.parametrize("other", ['"text"', "null", "[1]"])
def test_a_list_of_records_holding_something_else_is_a_rejected_line(other: str) -> None:
    bad = f'{{"lessons_learned": [{{"context": "Fine."}}, {other}]}}'
    item = rejected_line_2(bad)
    assert "item 2 of 'lessons_learned'" in item.error.message
    assert item.error.value == other  # as written


def test_a_null_container_is_a_record_of_the_line_fields() -> None:
    record = one('{"eval_number": "8", "eval_title": "T", "lessons_learned": null}')
    assert (record.eval_number, record.eval_title, record.kind) == ("8", "T", "lesson")


def test_a_record_type_key_inside_a_record_is_kept_as_a_field() -> None:
    record = one('{"lessons_learned": {"context": "C.", "good_practices": "Share tools."}}')
    assert record.texts == {"context": "C."}
    assert ("good_practices", "Share tools.") in record.extra
    assert any("'good_practices'" in w and "one.jsonl:1" in w for w in record.warnings)


# --- numbers, nesting, text --------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["1e400", "-1e400", "3642.0000000000000001", "3642.0", "-0", "1E+2", "9" * 4301, "NaN"],
)
def test_numbers_are_kept_as_written(number: str) -> None:
    record = one(f'{{"eval_number": {number}, "lessons_learned": {{"context": {number}}}}}')
    assert record.eval_number == number and record.texts["context"] == number


def test_numbers_in_nested_data_are_kept_as_written() -> None:
    line = '{"lessons_learned": {"context": "C.", "extra": [1e400, {"b": 1.10, "b": -0}]}}'
    record = one(line)
    assert record.extra == [("extra", '[1e400, {"b": 1.10, "b": -0}]')]


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, 1000, 100_000])  # and two levels above
def test_nesting_too_deep_is_a_rejected_line(depth: int) -> None:
    nested = "[" * depth + "]" * depth
    item = rejected_line_2(f'{{"lessons_learned": {{"context": "C.", "n": {nested}}}}}')
    assert f"nested more than {MAX_DEPTH} levels deep" in item.error.message
    assert str(item.error).endswith("...")  # the line, cut short


def test_nesting_within_the_limit_is_kept_as_json() -> None:
    nested = "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)  # the line: MAX_DEPTH levels
    record = one(f'{{"lessons_learned": {{"context": "C.", "n": {nested}}}}}')
    assert record.extra == [("n", nested)]


@pytest.mark.parametrize(
    ("bad", "says", "shown"),
    [
        ('{"lessons_learned": {"context": "a\\ud800b"}}', "the value of 'context'", "'a\\ud800b'"),
        ('{"lessons_learned": {"con\\udfffx": "b"}}', "a key", "'con\\udfffx'"),
        ('{"title": "T", "themes": [{"theme": ["x", "\\udc00"]}]}', "of 'theme'", "'\\udc00'"),
        ('{"eval_number": "\\ud83d", "lessons_learned": {"context": "C."}}', "", "'\\ud83d'"),
    ],
)
def test_a_lone_surrogate_is_a_rejected_line(bad: str, says: str, shown: str) -> None:
    item = rejected_line_2(bad)
    assert "lone surrogate" in item.error.message and says in item.error.message
    assert str(item.error).endswith(shown)  # escaped, as repr shows it


def test_an_escaped_surrogate_pair_is_one_character() -> None:
    record = one('{"lessons_learned": {"context": "ok \\ud83d\\ude00"}}')
    assert record.texts["context"] == "ok \U0001f600"


# --- keys written twice ------------------------------------------------------------------


def test_a_single_value_key_written_twice_keeps_the_first_and_the_later_as_extra() -> None:
    record = one(
        '{"eval_number": "12", "eval_number": 13, "lessons_learned": '
        '{"context": "First.", "context": "Second.", "url": null, "url": null}}'
    )
    assert (record.eval_number, record.texts["context"]) == ("12", "First.")
    assert record.extra == [("eval_number", "13"), ("context", "Second.")]
    twice = [w for w in record.warnings if "written twice" in w]
    assert twice == [
        "one.jsonl:1: key 'eval_number' written twice in one object; the first value kept, "
        "the later one '13' as an extra field",
        "one.jsonl:1: key 'context' written twice in one object; the first value kept, "
        "the later one 'Second.' as an extra field",
        "one.jsonl:1: key 'url' written twice in one object; the first value kept "
        "(the later one is null)",
    ]


def test_keys_that_hold_several_values_keep_both() -> None:
    record = one(
        '{"themes": [{"theme": "Roads"}], "themes": [{"theme": "Jobs", "theme": "Skills"}],'
        ' "location": {"country": "Ghana"}, "location": {"country": "Togo"},'
        ' "lessons_learned": {"context": "C.", "note": "a", "note": "b"}}'
    )
    assert [t.theme for t in record.themes] == ["Roads", "Jobs", "Skills"]
    assert [x.country for x in record.locations] == ["Ghana", "Togo"]
    assert record.extra == [("note", "a"), ("note", "b")]
    twice = [w.split(";")[0] for w in record.warnings if "written twice" in w]
    assert twice == [
        f"one.jsonl:1: key {key!r} written twice in one object"
        for key in ("themes", "theme", "location", "note")
    ]


def test_a_container_written_twice_gives_the_records_of_both() -> None:
    items = list(
        parse_jsonl(
            b'{"eval_number": "4", "lessons_learned": {"context": "A."},'
            b' "lessons_learned": [{"context": "B."}, {"context": "C."}]}',
            source="c.jsonl",
        )
    )
    assert [r.texts["context"] for r in items if isinstance(r, Record)] == ["A.", "B.", "C."]
    assert len({r.sha256 for r in items if isinstance(r, Record)}) == 3
    assert all(
        any("'lessons_learned' written 2 times" in w for w in r.warnings)
        for r in items
        if isinstance(r, Record)
    )


def test_a_second_heading_is_kept_as_a_field() -> None:
    record = one('{"heading": "H1", "title": "H2", "lessons_learned": {"context": "C."}}')
    assert record.heading == "H1" and ("title", "H2") in record.extra
    assert any("second heading" in w and "'H2'" in w for w in record.warnings)


# --- file names --------------------------------------------------------------------------


def bad_name(folder: Path, name: bytes, data: bytes) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
    try:
        path.write_bytes(data)
    except (OSError, UnicodeEncodeError):  # a file system that takes only UTF-8 names
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


@pytest.mark.parametrize("suffix", [b".jsonl", b".txt"])
def test_a_file_name_not_in_utf8_is_a_rejected_file(tmp_path: Path, suffix: bytes) -> None:
    path = bad_name(tmp_path, b"caf\xe9" + suffix, around(good(2)))
    (tmp_path / "fine.jsonl").write_bytes(around(good(2)))
    files = list(iter_files([tmp_path]))
    assert len(files) == 2
    (item,) = list(read_file(path))
    assert isinstance(item, Rejected)
    shown = str(tmp_path / "caf\\xe9") + suffix.decode()
    assert item.source == item.error.path == shown
    assert "file name is not UTF-8" in item.error.message
    str(item.error).encode("utf-8")
    assert [type(x) for x in read_file(tmp_path / "fine.jsonl")] == [Record] * 3


def test_a_missing_path_with_a_name_not_in_utf8_is_named_escaped(tmp_path: Path) -> None:
    missing = os.fsdecode(os.fsencode(tmp_path) + b"/gone\xff")
    assert shown_path(missing).endswith("gone\\xff")
    with pytest.raises(RecordError) as info:
        list(iter_files([missing]))
    assert info.value.path == shown_path(missing)


# --- the whole build ---------------------------------------------------------------------

HOSTILE = [
    '{"eval_number": "8", "lessons_learned": "Keep the crews local."}',
    '{"eval_number": "8", "good_practices": 5}',
    '{"eval_number": "8", "recommendations": []}',
    '{"eval_number": "8", "lessons_learned": {}}',
    '{"eval_number": ' + "9" * 4301 + ', "lessons_learned": {"context": "Big number."}}',
    '{"lessons_learned": {"context": "Deep.", "n": ' + "[" * 1000 + "]" * 1000 + "}}",
    '{"lessons_learned": {"context": "a\\ud800"}}',
    '{"lessons_learned": {"\\udc80": "b"}}',
    '{"eval_number": 1e400, "eval_number": 3642.0000000000000001, '
    '"lessons_learned": {"context": "Odd numbers.", "url": "https://example.org/lessons/99"}}',
]


def test_the_build_goes_on_past_every_hostile_line(tmp_path: Path) -> None:
    lines = [good(0)]
    for n, bad in enumerate(HOSTILE, start=1):
        lines += [bad, good(n)]
    (tmp_path / "hostile.jsonl").write_text("\n".join(lines), encoding="utf-8")
    bad_name(tmp_path, b"r\xe9sum\xe9.jsonl", good(100).encode())
    report = build([tmp_path], store=EvalStore(), workers=1)
    where = str(tmp_path / "hostile.jsonl")
    rejected = sorted(str(item.error) for item in report.rejected)
    expected_lines = [2, 4, 6, 8, 12, 14, 16]  # the bad lines but the two kept as written
    assert [r.split(": ")[0] for r in rejected if r.startswith(where)] == sorted(
        f"{where}:{n}" for n in expected_lines
    )
    assert any("file name is not UTF-8" in r for r in rejected)
    assert len(report.rejected) == len(expected_lines) + 1
    assert report.accepted == len(HOSTILE) + 1 + 2  # the good lines, two odd ones kept
    assert report.added == report.accepted  # each in the store
    assert any(f"{where}:18: key 'eval_number' written twice" in w for w in report.warnings)


def test_the_store_keeps_numbers_as_written(tmp_path: Path) -> None:
    (tmp_path / "n.jsonl").write_text(HOSTILE[-1], encoding="utf-8")
    store = EvalStore()
    assert build([tmp_path], store=store, workers=1).ok
    found = {
        str(row[0].value)
        for row in store.query(
            "PREFIX ek: <https://w3id.org/evalkg/ontology#> "
            "SELECT ?n WHERE { { ?e ek:evalNumber ?n } UNION "
            "{ GRAPH ?g { ?f ek:extraField/ek:fieldValue ?n } } }"
        )
    }
    assert found == {"1e400", "3642.0000000000000001"}


# --- titles ------------------------------------------------------------------------------


def test_conflicting_titles_name_both_records() -> None:
    warnings = conflicting_titles(
        [
            ("a.jsonl:1", "5", "Roads - Final evaluation"),
            ("a.jsonl:2", "5", "Roads - Final evaluation"),
            ("b.txt", "5", "Roads - Midterm evaluation"),
            ("c.txt", "5", None),
            ("d.txt", None, "Anything"),
            ("e.txt", "6", "Other"),
            ("f.txt", "5", "Roads - Midterm evaluation"),
        ]
    )
    assert warnings == [
        "b.txt: evaluation 5 is titled 'Roads - Midterm evaluation' here, "
        "'Roads - Final evaluation' in a.jsonl:1"
    ]
