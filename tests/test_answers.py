"""Large answers and terminals: rows are written as they come, the deadline covers
writing them, the table shows control characters as escapes, and the data formats keep
them byte for byte."""

from __future__ import annotations

import csv
import io
import json
import time
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import EXIT_ERROR, main
from kg.errors import QueryError
from kg.sparql import results
from kg.sparql.deadline import QueryTimeout
from kg.sparql.query import open_store, run_query, stream_query
from kg.sparql.results import ResultStream, terminal_text, write_result
from kg.store.evalstore import EvalStore

DIGITS = "VALUES ?{} {{ 0 1 2 3 4 5 6 7 8 9 }}"
#: 10^9 rows, the first at once: no deadline of a test is long enough for all of them.
ENDLESS = "SELECT * WHERE { " + " ".join(DIGITS.format(f"d{i}") for i in range(9)) + " }"
#: Record text a terminal would act on: an ANSI colour, a C1 CSI, DEL, a bell, a
#: right-to-left override, a zero-width space.
HOSTILE = "a\x1b[31mred\x1b[0m \x9b2J \x7f \x07 \u202eevil \u200bz"
#: The same, as the table shows it.
SHOWN = r"a\x1b[31mred\x1b[0m \x9b2J \x7f \x07 \u202eevil \u200bz"
RAW = ("\x1b", "\x9b", "\x7f", "\x07", "\u202e", "\u200b")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty store folder: the queries bring their own rows (VALUES)."""
    path = tmp_path_factory.mktemp("answers") / "store"
    store = EvalStore.create(path)
    store.flush()
    del store
    return path


def hostile_query() -> str:
    literal = ox.Literal(HOSTILE)
    return f"SELECT ?n ?text WHERE {{ VALUES (?n ?text) {{ (1 {literal}) (2 'plain') }} }}"


def invoke(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


# --- streaming and the deadline ---------------------------------------------------------


def test_rows_come_before_the_query_ends(folder: Path) -> None:
    """The first rows of an answer that would take hours arrive at once, and leaving the
    block stops the child process."""
    started = time.monotonic()
    with stream_query(open_store(str(folder)), ENDLESS, timeout=60) as answer:
        first = list(islice(answer.rows, 5))
    assert answer.variables == [f"d{i}" for i in range(9)]
    assert len(first) == 5 and all(len(row) == 9 for row in first)
    assert time.monotonic() - started < 30


def test_the_command_stops_a_large_answer_at_its_deadline(folder: Path, tmp_path: Path) -> None:
    """Rows written as they come, then a clear error at the deadline (before: the whole
    answer was read into memory first and the writing ran past the deadline)."""
    started = time.monotonic()
    code, out, err = invoke(
        "query", "-e", ENDLESS, "-f", "csv", "--timeout", "3", "--store", str(folder)
    )
    assert time.monotonic() - started < 30
    assert code == EXIT_ERROR
    assert err.startswith("Error: <-e>: query stopped after 3 s (the timeout) with ")
    assert "rows read, the answer incomplete; give a longer --timeout" in err
    lines = out.splitlines()
    assert lines[0] == b"d0,d1,d2,d3,d4,d5,d6,d7,d8"
    assert len(lines) > 100  # written before the query ended (it never would)
    target = tmp_path / "answer.csv"
    code, _, err = invoke("query", "-e", ENDLESS, "-o", str(target), "--timeout", "2",
                          "--store", str(folder))  # fmt: skip
    assert code == EXIT_ERROR and "query stopped after 2 s" in err
    assert list(tmp_path.iterdir()) == []  # no partial file


def test_the_deadline_covers_reading_the_rows(folder: Path) -> None:
    """A query the child answers at once, read slower than the deadline allows."""
    sparql = f"SELECT * WHERE {{ {DIGITS.format('a')} {DIGITS.format('b')} }}"
    read = 0
    stopped = pytest.raises(QueryTimeout, match=r"stopped after 2 s \(the timeout\) with \d+ rows")
    with stopped, stream_query(open_store(str(folder)), sparql, timeout=2) as answer:
        for _ in answer.rows:
            read += 1
            time.sleep(0.05)
    assert 0 < read < 100


def test_streamed_answers_are_the_whole_answers(folder: Path) -> None:
    store = open_store(str(folder))
    sparql = f"SELECT * WHERE {{ {DIGITS.format('a')} {DIGITS.format('b')} }}"
    whole = run_query(store, sparql)
    for timeout in (None, 30):
        with stream_query(store, sparql, timeout=timeout) as answer:
            assert answer.collect() == whole
    construct = "CONSTRUCT { <urn:x:s> <urn:x:p> ?a } WHERE { " + DIGITS.format("a") + " }"
    with stream_query(store, construct, timeout=30) as answer:
        assert set(answer.triples) == set(run_query(store, construct).triples)
    with stream_query(store, "ASK { FILTER(true) }", timeout=30) as answer:
        assert answer.kind == "ask" and answer.boolean is True


def test_a_streamed_querys_error_is_a_query_error(folder: Path) -> None:
    store = open_store(str(folder))
    for timeout in (None, 30):
        answer = stream_query(store, "SELECT ?x WHERE { ?x", timeout=timeout)
        with pytest.raises(QueryError, match="SPARQL syntax error"), answer:
            pass


# --- the table on a terminal --------------------------------------------------------------


def test_terminal_text_shows_controls_as_escapes() -> None:
    assert terminal_text(HOSTILE) == SHOWN
    assert terminal_text("two\nlines\tand\r\na tab") == "two lines and a tab"
    assert terminal_text("\x85\u2028\x00") == r"\x85\u2028\x00"
    assert terminal_text("x" * 10, 5) == "xxxx…"


def test_the_table_shows_control_characters_as_escapes(folder: Path) -> None:
    code, out, _ = invoke("query", "-e", hostile_query(), "--store", str(folder))
    assert code == 0
    text = out.decode("utf-8")
    assert SHOWN in text and not any(c in text for c in RAW)
    table = run_query(open_store(str(folder)), hostile_query()).serialize("table")
    assert SHOWN in table and not any(c in table for c in RAW)


def test_the_table_sizes_columns_from_its_first_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "TABLE_LOOKAHEAD", 2)
    rows = [(ox.Literal("ab"),), (ox.Literal("abc"),), (ox.Literal("abcdefgh"),)]
    out = io.BytesIO()
    write_result(ResultStream("select", ["x"], iter(rows)), out, fmt="table")
    assert out.getvalue().decode("utf-8").splitlines() == [
        "x", "---", "ab", "abc", "ab…", "(3 rows)"
    ]  # fmt: skip


# --- data formats keep the data -------------------------------------------------------------


@pytest.mark.parametrize("to_file", [False, True])
def test_data_formats_keep_control_characters(folder: Path, tmp_path: Path, to_file: bool) -> None:
    """csv, tsv, json and md on standard output (not a terminal: click.echo used to drop
    the escape sequences there) and in a file keep the text byte for byte."""
    for fmt in ("csv", "tsv", "json", "md"):
        args = ["query", "-e", hostile_query(), "-f", fmt, "--store", str(folder)]
        target = tmp_path / f"answer.{fmt}"
        if to_file:
            args += ["-o", str(target)]
        code, out, _ = invoke(*args)
        assert code == 0
        data = target.read_bytes() if to_file else out
        if fmt == "csv":
            assert list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1] == [
                "1", HOSTILE
            ]  # fmt: skip
        elif fmt == "md":
            assert HOSTILE.encode("utf-8") in data
        else:
            kind = ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.TSV
            parsed = ox.parse_query_results(data, format=kind)
            assert isinstance(parsed, ox.QuerySolutions)
            assert next(s["text"] for s in parsed) == ox.Literal(HOSTILE)
            # freed here: the next run's click exception keeps this frame in a cycle,
            # which the collector may free in another thread (pyoxigraph refuses that)
            del parsed


def test_the_format_follows_the_output_files_extension(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "answer.json"
    code, out, _ = invoke("query", "-e", hostile_query(), "-o", str(target), "--store", str(folder))
    assert code == 0 and out == b""
    bindings = json.loads(target.read_text(encoding="utf-8"))["results"]["bindings"]
    assert bindings[0]["text"]["value"] == HOSTILE


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "answer.csv"
    target.write_text("before")

    def rows():  # type: ignore[no-untyped-def]
        yield (ox.Literal("one"),)
        raise QueryTimeout("query stopped")

    with pytest.raises(QueryTimeout):
        write_result(ResultStream("select", ["x"], rows()), target, fmt="csv")
    assert [p.name for p in tmp_path.iterdir()] == ["answer.csv"]
    assert target.read_text() == "before"
