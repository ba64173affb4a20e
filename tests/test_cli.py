"""The command line, in-process with click's CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import EXIT_ERROR, main

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture()
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVALKG_STORE", str(tmp_path / "store"))
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        return result.exit_code, result.output

    return invoke


def test_seed_acceptance(run, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out = run("build", str(seed_path.parent / seed_path.name))
    assert code == 0, out
    assert "1 accepted (1 lesson), 0 rejected" in out
    code, out = run("stats", "--json")
    counts = json.loads(out)
    assert {
        k: counts[k]
        for k in ("evaluations", "lessons", "countries", "regions", "themes", "categories")
    } == {
        "evaluations": 1,
        "lessons": 1,
        "countries": 2,
        "regions": 1,
        "themes": 1,
        "categories": 1,
    }
    assert {"organizations", "triples"} <= set(counts)
    sparql = (
        "PREFIX ek: <https://w3id.org/evalkg/ontology#> SELECT DISTINCT ?a3 WHERE "
        "{ ?l a ek:Lesson ; ek:country ?c . ?c ek:iso3166Alpha3 ?a3 } ORDER BY ?a3"
    )
    code, out = run("query", "-e", sparql, "--format", "csv")
    assert out.split() == ["a3", "CHL", "MEX"]


def test_bad_files_exit_1_and_are_listed(run, tmp_path: Path, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(seed_path.read_bytes())
    (folder / "bad.txt").write_bytes(b"<html>oops</html>")
    code, out = run("build", str(folder))
    assert code == 1
    assert "Read 2 file(s), 2 record(s): 1 accepted (1 lesson), 1 rejected" in out
    assert f"{folder / 'bad.txt'}:1: an HTML/XML page" in out


def test_query_errors_are_messages_not_tracebacks(run) -> None:  # type: ignore[no-untyped-def]
    run("build", "--sample", "-q")
    code, out = run("query", "-e", "SELEKT nonsense")
    assert code == EXIT_ERROR and out.startswith("Error: <-e>: SPARQL syntax error")
    code, out = run("query", "no-such-query")
    assert code == EXIT_ERROR and "no query of that name" in out


def test_missing_store(run) -> None:  # type: ignore[no-untyped-def]
    code, out = run("stats")
    assert code == EXIT_ERROR and "evalkg build" in out


def test_export_and_validate(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("build", "--sample", "-q")
    target = tmp_path / "g.trig"
    code, _ = run("export", "-o", str(target))
    assert (
        code == 0
        and target.read_text(encoding="utf-8").count("GRAPH")
        + target.read_text(encoding="utf-8").count("{")
        > 10
    )
    code, out = run("validate")
    assert code == 0, out
    assert out.startswith("Conforms")


def commands() -> list[str]:
    return sorted(main.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert re.search(rf"evalkg {command}\b", README.read_text(encoding="utf-8")), command
