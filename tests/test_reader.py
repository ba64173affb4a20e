"""Reading pages and JSON Lines: every trap of the flattened format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import RecordError
from kg.ingest.reader import Rejected, iter_files, parse_jsonl, parse_page, read_records
from kg.ingest.record import Record
from kg.resources import sample_dir


def page(*lines: str, header: bool = True, footer: bool = True) -> bytes:
    body = ["Back to index", "A title - Independent Final Evaluation"] if header else []
    body += list(lines) + (["Skip to top"] if footer else [])
    return "\n".join(body).encode("utf-8")


def test_seed_fields(seed_path: Path) -> None:
    rec = parse_page(seed_path.read_bytes(), source="seed.txt")
    assert rec.eval_number == "3642"
    assert rec.eval_url == "https://webapps.ilo.org/ievaldiscovery/eval/3642"
    assert rec.lesson_url == "https://webapps.ilo.org/ievaldiscovery/lessons/242868"
    assert [(t.theme, t.category) for t in rec.themes] == [
        ("Programme implementation", "Organizational issues")
    ]
    assert [(loc.country, loc.region) for loc in rec.locations] == [
        ("Chile", "Americas"),
        ("Mexico", "Americas"),
    ]
    assert "success" not in rec.texts  # "- -" is no value
    assert rec.texts["context"].count("\n") == 1  # the continuation line without a dash
    assert rec.texts["context"].startswith("Las actividades del Programa")
    assert rec.texts["context"].endswith("San Bernardo, Quillota y Pudahuel.")
    assert rec.heading == rec.eval_title
    assert rec.warnings == []


def test_bullets_and_continuations_belong_to_the_value() -> None:
    rec = parse_page(
        page(
            "- description:",
            "- Intro:",
            "- (a) first;",
            "- (b) second",
            "tail line",
            "- url:",
            "- https://x.org/lessons/7",
        )
    )
    assert rec.texts["description"] == "Intro:\n(a) first;\n(b) second\ntail line"
    assert rec.lesson_url == "https://x.org/lessons/7"


@pytest.mark.parametrize("value", [["- -"], ["-"], [""], []])
def test_no_value(value: list[str]) -> None:
    rec = parse_page(page("- success:", *value, "- context:", "- real"))
    assert "success" not in rec.texts
    assert rec.texts["context"] == "real"


def test_crlf_and_bom_give_the_same_record(seed_path: Path) -> None:
    raw = seed_path.read_bytes()
    plain = parse_page(raw)
    crlf = parse_page(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    for name in ("heading", "eval_number", "texts", "themes", "locations"):
        assert getattr(crlf, name) == getattr(plain, name)


def test_missing_chrome_is_a_warning_not_an_error() -> None:
    rec = parse_page(page("- eval_number:", "- 9", header=False, footer=False))
    assert rec.eval_number == "9"
    assert any("Back to index" in w for w in rec.warnings)
    assert any("Skip to top" in w for w in rec.warnings)


def test_heading_without_back_to_index() -> None:
    rec = parse_page(b"My title - Evaluaci\xc3\xb3n final independiente\n- eval_number:\n- 5\n")
    assert rec.heading == "My title - Evaluación final independiente"


def test_unknown_key_is_kept_and_reported() -> None:
    rec = parse_page(page("- eval_number:", "- 1", "- donor_note:", "- Funded by X", "- more"))
    assert rec.extra == [("donor_note", "Funded by X\nmore")]
    assert rec.unknown_keys == ["donor_note"]


def test_repeated_field_keeps_both_values() -> None:
    rec = parse_page(page("- context:", "- one", "- context:", "- two"))
    assert rec.texts["context"] == "one"
    assert ("context", "two") in rec.extra
    assert any("repeated" in w for w in rec.warnings)


def test_several_pairs_and_half_pairs() -> None:
    rec = parse_page(
        page(
            "- themes:",
            "- theme:",
            "- A",
            "- category:",
            "- B",
            "- theme:",
            "- C",
            "- category:",
            "- D",
            "- category:",
            "- E",
            "- location:",
            "- country:",
            "- Chile",
            "- region:",
            "- Americas",
            "- region:",
            "- Africa",
        )
    )
    assert [(t.theme, t.category) for t in rec.themes] == [("A", "B"), ("C", "D"), (None, "E")]
    assert [(x.country, x.region) for x in rec.locations] == [
        ("Chile", "Americas"),
        (None, "Africa"),
    ]


def test_eval_number_from_url_and_missing_fields_warned() -> None:
    rec = parse_page(page("- eval_url:", "- https://webapps.ilo.org/ievaldiscovery/eval/777"))
    assert rec.eval_number == "777"
    assert any("missing field(s): url, eval_title" in w for w in rec.warnings)


def test_value_text_is_never_trimmed_of_content() -> None:
    rec = parse_page(page("- context:", "-   indented  text  ", "- (ii) x"))
    assert rec.texts["context"] == "  indented  text  \n(ii) x"


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "empty file", 1),
        (b"\n  \n\n", "empty file", 1),
        (b"<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>", "HTML", 1),
        (b"\n\n<html>\n", "HTML", 3),
        (b"Back to index\nabc\x00def", "binary", 2),
        (b"- eval_number:\n- 1\n\xff\xfe bad", "not UTF-8", 3),
        (b"just some text\nand more\n", "no key line", 1),
    ],
)
def test_non_records_are_rejected_with_file_and_line(data: bytes, message: str, line: int) -> None:
    with pytest.raises(RecordError) as info:
        parse_page(data, source="bad.txt")
    assert message in str(info.value)
    assert info.value.path == "bad.txt"
    assert info.value.line == line
    assert str(info.value).startswith(f"bad.txt:{line}: ")


def test_jsonl_records_match_pages(seed_path: Path) -> None:
    rec = parse_page(seed_path.read_bytes())
    obj = {
        "title": rec.heading,
        "eval_number": 3642,
        "eval_url": rec.eval_url,
        "lessons_learned": {
            "themes": [{"theme": t.theme, "category": t.category} for t in rec.themes],
            **rec.texts,
            "success": "-",
            "url": rec.lesson_url,
            "location": [{"country": x.country, "region": x.region} for x in rec.locations],
        },
        "eval_title": rec.eval_title,
    }
    data = (json.dumps(obj, ensure_ascii=False) + "\n\nnot json\n[1]\n").encode()
    items = list(parse_jsonl(data, source="r.jsonl"))
    assert isinstance(items[0], Record)
    got = items[0]
    assert (got.eval_number, got.texts, got.themes, got.locations, got.heading) == (
        "3642",
        rec.texts,
        rec.themes,
        rec.locations,
        rec.heading,
    )
    assert got.where == "r.jsonl:1"
    assert [type(i) for i in items[1:]] == [Rejected, Rejected]
    assert [i.error.line for i in items[1:] if isinstance(i, Rejected)] == [3, 4]


def test_folder_is_read_recursively_and_sorted(tmp_path: Path, seed_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "notes.md").write_text("ignored: not a record extension")
    assert [p.name for p in iter_files([tmp_path])] == ["a.txt", "x.txt"]
    kinds = [type(r).__name__ for r in read_records([tmp_path])]
    assert kinds == ["Rejected", "Record"]


def test_every_sample_record_reads_cleanly() -> None:
    items = list(read_records([sample_dir()]))
    assert len(items) >= 15
    assert all(isinstance(i, Record) for i in items)
    assert all(not i.warnings for i in items if isinstance(i, Record)), [
        i.warnings for i in items if isinstance(i, Record) and i.warnings
    ]


# --- the site's second layout, three record types, cut pages --------------------------


def plain_page(*lines: str, footer: bool = True) -> bytes:
    head = ["Go to ILO main website", "Back to index", "", "A title - Final evaluation", ""]
    return "\n".join(head + list(lines) + (["Skip to top"] if footer else [])).encode()


def test_the_plain_layout_reads_like_the_dash_layout() -> None:
    dash = parse_page(
        page(
            "- eval_number:",
            "- 41",
            "- recommendations:",
            "- action_plan:",
            "- - First step",
            "- Second step",
            "- location:",
            "- country:",
            "- Peru",
            "- region:",
            "- Americas",
            "- url:",
            "- https://webapps.ilo.org/ievaldiscovery/recommendations/90",
        )
    )
    plain = parse_page(
        plain_page(
            "eval_number:",
            "41",
            "recommendations:",
            "action_plan:",
            "- First step Second step",
            "",
            "location:",
            "country:",
            "Peru",
            "region:",
            "Americas",
            "",
            "url:",
            "https://webapps.ilo.org/ievaldiscovery/recommendations/90",
        )
    )
    assert (dash.layout, plain.layout) == ("dash", "plain")
    assert dash.kind == plain.kind == "recommendation"
    assert dash.texts["action_plan"] == "- First step\nSecond step"  # a value may start "- "
    assert plain.texts["action_plan"] == "- First step Second step"
    assert dash.locations == plain.locations
    assert plain.heading == "A title - Final evaluation"
    assert plain.warnings == ["<bytes>: missing field(s): eval_title"]


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://webapps.ilo.org/ievaldiscovery/lessons/1", "lesson"),
        ("https://analyticstest.ilo.org/ievaldiscovery/practices/2", "practice"),
        ("https://webapps.ilo.org/ievaldiscovery/recommendations/3", "recommendation"),
    ],
)
def test_the_address_gives_the_type(url: str, kind: str) -> None:
    assert parse_page(page("- context:", "- x", "- url:", f"- {url}")).kind == kind


def test_without_an_address_the_keys_give_the_type() -> None:
    assert parse_page(page("- good_practices:", "- replication:", "- x")).kind == "practice"
    assert parse_page(page("- management_response:", "- Completed")).kind == "recommendation"
    rec = parse_page(page("- context:", "- x"))
    assert rec.kind == "lesson" and any("tells the type" in w for w in rec.warnings)


def test_region_before_country_pairs_each_country_with_its_region() -> None:
    rec = parse_page(
        page(
            "- location:",
            "- region:",
            "- Africa",
            "- country:",
            "- Senegal",
            "- region:",
            "- Arab States",
            "- country:",
            "- Jordan",
        )
    )
    assert [(x.country, x.region) for x in rec.locations] == [
        ("Senegal", "Africa"),
        ("Jordan", "Arab States"),
    ]


def test_keys_in_another_case_or_spacing_are_keys_with_a_warning() -> None:
    rec = parse_page(
        page(
            "- description:",
            "- one",
            "- CONTEXT:",
            "- two",
            "-challenges:",
            "- three",
            "-\tsuccess:",
            "- four",
        )
    )
    assert rec.texts == {
        "description": "one",
        "context": "two",
        "challenges": "three",
        "success": "four",
    }
    assert sum("read as" in w for w in rec.warnings) == 3


def test_a_line_that_only_looks_like_a_key_stays_text_with_a_warning() -> None:
    rec = parse_page(page("- context:", "- Recommendation 1:", "- do more"))
    assert rec.texts["context"] == "Recommendation 1:\ndo more"
    assert any("looks like a key" in w for w in rec.warnings)


@pytest.mark.parametrize("placeholder", ["N/A", "n/a", "NA", "-", ".", "Not applicable."])
def test_placeholders_are_no_value_but_are_kept(placeholder: str) -> None:
    rec = parse_page(page("- success:", f"- {placeholder}", "- context:", "- real"))
    assert "success" not in rec.texts and rec.placeholders == {"success": placeholder}


def test_a_bare_dash_line_then_text_is_the_text() -> None:
    rec = parse_page(page("- context:", "- -", "- The text"))
    assert rec.texts["context"] == "The text" and rec.placeholders == {}


@pytest.mark.parametrize("tail", ["- administra", "Skip to t", "- eval_ti"])
def test_a_page_cut_inside_a_key_or_the_footer_keeps_what_it_holds(tail: str) -> None:
    rec = parse_page(page("- eval_number:", "- 7", "- context:", "- kept text", tail, footer=False))
    assert rec.texts["context"] == "kept text" and rec.truncated
    assert any(repr(tail) in w and "stops" in w for w in rec.warnings)


def test_a_url_cut_short_names_no_record_and_says_so() -> None:
    rec = parse_page(
        page("- url:", "- https://webapps.ilo.org/ievaldiscovery/recommendations", footer=False)
    )
    assert rec.url == "https://webapps.ilo.org/ievaldiscovery/recommendations"
    assert any("identified by its content" in w for w in rec.warnings)


@pytest.mark.parametrize("first", ["Lessons learned", "Recommendations", "Emerging good practices"])
def test_list_pages_are_rejected_as_list_pages(first: str) -> None:
    data = f"{first}\n-\nSome evaluation - Final evaluation\nSome finding text.\n".encode()
    with pytest.raises(RecordError, match="list page"):
        parse_page(data, source="list.txt")


def test_jsonl_good_practices_and_recommendations() -> None:
    practice = {
        "title": "T - Final evaluation",
        "eval_number": "8",
        "good_practices": {
            "replication": "N/A",
            "description": "Schools kept the clubs.",
            "themes": [{"theme": "Child labour", "category": "Fundamental rights"}],
            "url": "https://webapps.ilo.org/ievaldiscovery/practices/81",
        },
    }
    recommendation = {
        "title": "T - Final evaluation",
        "eval_number": "8",
        "location": [{"region": "Africa", "country": "Ghana"}],
        "recommendations": {
            "title": "Recommendation 2: Keep the clubs.",
            "management_response": "Completed",
            "admin_units": "CO-Abuja",
        },
    }
    data = "\n".join(json.dumps(x) for x in (practice, recommendation)).encode()
    first, second = list(parse_jsonl(data, source="f.jsonl"))
    assert isinstance(first, Record) and isinstance(second, Record)
    assert (first.kind, first.layout, first.placeholders) == (
        "practice",
        "json",
        {"replication": "N/A"},
    )
    assert first.texts["description"] == "Schools kept the clubs."
    assert second.kind == "recommendation" and second.heading == "T - Final evaluation"
    assert second.texts["title"] == "Recommendation 2: Keep the clubs."
    assert [(x.country, x.region) for x in second.locations] == [("Ghana", "Africa")]


def test_a_short_last_line_of_a_cut_page_is_text_not_a_key() -> None:
    rec = parse_page(page("- context:", "- The programme covered", "- a", footer=False))
    assert rec.texts["context"] == "The programme covered\na"


def test_unknown_chrome_before_back_to_index_is_kept_not_taken_for_the_heading() -> None:
    data = b"Aller au site de l'OIT\nBack to index\n\nMy title\n\neval_number:\n12\n"
    rec = parse_page(data)
    assert rec.heading == "My title" and rec.eval_number == "12"
    assert ("_unlabelled_text", "Aller au site de l'OIT") in rec.extra


def test_an_empty_list_of_records_is_rejected_not_dropped() -> None:
    data = b'{"eval_number": "5", "lessons_learned": []}\n'
    (item,) = list(parse_jsonl(data, source="e.jsonl"))
    assert isinstance(item, Rejected) and "empty list" in str(item.error)
    assert item.error.line == 1


def test_a_line_that_is_not_json_says_what_and_where() -> None:
    """Issue 20: the parser's whole message, the column, and the line from there."""
    line = b'{"eval_number": "1", "lessons_learned": [{"description": "abc}\n'
    (rejected,) = list(parse_jsonl(line, source="x.jsonl"))
    assert isinstance(rejected, Rejected)
    assert str(rejected.error) == (
        "x.jsonl:1: not JSON: Unterminated string starting at column 58: '\"abc}'"
    )
