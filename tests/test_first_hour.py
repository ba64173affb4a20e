"""Rough edges a new user meets in the first hour (issue 20), each through the command
line in-process with click's CliRunner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import EXIT_ERROR, EXIT_USAGE, main

Run = Callable[..., tuple[int, str, str]]
CHECKOUT = Path(__file__).resolve().parent.parent
#: One well-formed gold line (the seed page, nothing annotated).
GOOD = '{"source": "kg/sample/000_e1502d68e7aac5ea.txt", "organizations": [], "places": []}'


@pytest.fixture()
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke ``evalkg`` with $EVALKG_STORE pointing at a folder that does not exist, so a
    command that ignores its --store fails."""
    monkeypatch.setenv("EVALKG_STORE", str(tmp_path / "not-this-store"))
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_store_is_accepted_before_the_command(run: Run, sample_folder: Path) -> None:
    code, out, err = run("--store", str(sample_folder), "stats", "--json")
    assert code == 0, err
    assert '"lessons": 18' in out
    code, out, err = run("--store", str(sample_folder), "export", "--format", "nt")
    assert code == 0, err
    assert out.count("\n") > 1000
    # after the command it wins over the one before it
    code, _, err = run("--store", str(sample_folder), "stats", "--store", "/nonexistent/x")
    assert code == EXIT_ERROR and "/nonexistent/x" in err
    _, main_help, _ = run("--help")
    _, stats_help, _ = run("stats", "--help")
    assert "--store DIR" in main_help and "after the command" in main_help
    assert "before the command" in stats_help


def test_a_missing_path_is_an_error_and_makes_no_store(
    run: Run, tmp_path: Path, seed_path: Path
) -> None:
    store = tmp_path / "S"
    missing = tmp_path / "nonexistent"
    code, _, err = run("build", str(seed_path), str(missing), "--store", str(store))
    assert code == EXIT_USAGE
    assert "Error:" in err and str(missing) in err and "does not exist" in err
    assert not store.exists()


def test_files_a_build_skips_are_reported(run: Run, tmp_path: Path, seed_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(seed_path.read_bytes())
    (folder / "data.bin").write_bytes(b"\x00\x01")
    (folder / "sub" / "page.html").write_text("<html></html>", encoding="utf-8")
    code, out, err = run("build", str(folder), "--store", str(tmp_path / "S"))
    assert code == 0, out + err
    assert "Read 1 file(s), 1 record(s)" in out
    assert (
        "Skipped 2 file(s) that are not record pages or JSON Lines (.bin, .html): "
        f"first {folder / 'data.bin'}." in out
    )

    from kg.load.build import build
    from kg.store.evalstore import EvalStore

    report = build([folder], store=EvalStore())
    assert report.files == 1
    assert report.skipped == [str(folder / "data.bin"), str(folder / "sub" / "page.html")]


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        ([GOOD, "{not json"], 2, "not JSON (Expecting property name enclosed in double quotes"),
        (['{"organizations": [], "places": []}'], 1, "no 'source'"),
        (
            ['{"source": "kg/sample/000_e1502d68e7aac5ea.txt", "places": []}'],
            1,
            "no 'organizations'",
        ),
        (['["a list"]'], 1, "not a JSON object"),
        (
            [GOOD.replace("000_e1502d68e7aac5ea.txt", "missing.txt")],
            1,
            "gold source does not exist",
        ),
        (
            [GOOD.replace('"places": []', '"places": [{"nom": "x"}]')],
            1,
            "an entry of 'places' without a 'name'",
        ),
        ([GOOD.replace('"places": []', '"places": 3')], 1, "no 'places' list"),
    ],
)
def test_a_malformed_gold_file_is_an_error_naming_file_and_line(
    run: Run, tmp_path: Path, lines: list[str], line: int, reason: str
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("score", str(gold), "--root", str(CHECKOUT))
    assert code == EXIT_ERROR, out
    assert err.startswith(f"Error: {gold}:{line}: {reason}"), err
    assert "Traceback" not in err


def test_an_empty_gold_file_is_an_error_not_a_perfect_score(run: Run, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n", encoding="utf-8")
    code, out, err = run("score", str(gold))
    assert code == EXIT_ERROR and "1.000" not in out
    assert err.startswith(f"Error: {gold}: no gold records"), err
    gold.write_text(GOOD + "\n", encoding="utf-8")
    code, out, err = run("score", str(gold), "--root", str(CHECKOUT))
    assert code == 0, err
    assert "1 gold records" in out


def test_a_parameter_given_twice_is_an_error_naming_it(run: Run, sample_folder: Path) -> None:
    code, out, err = run(
        "--store", str(sample_folder), "query", "lessons-by-country",
        "--param", "country=Chile", "-p", "country=Peru",
    )  # fmt: skip
    assert code == EXIT_ERROR and not out
    assert err.startswith("Error: parameter given twice (each takes one value): 'country'")


def test_a_country_no_country_matches_gives_the_views_hint(run: Run, sample_folder: Path) -> None:
    from kg.errors import ConfigError
    from kg.networks.netdata import NetworkData
    from kg.store.evalstore import EvalStore

    code, out, err = run(
        "--store", str(sample_folder), "query", "lessons-by-country", "-p", "country=Atlantis"
    )
    assert code == 0 and "(0 rows)" in out
    with EvalStore.open(sample_folder) as store, pytest.raises(ConfigError) as views:
        NetworkData(store).find("Atlantis", types=("country",), what="country")
    assert err == f"Note: --param country: {views.value}\n"
    assert "no country of that name (close: " in err
    code, out, err = run(
        "--store", str(sample_folder), "query", "lessons-by-country", "-p", "country=chili"
    )
    assert code == 0 and "(0 rows)" not in out and not err


def test_ad_hoc_sparql_has_evalkg_s_prefixes(run: Run, sample_folder: Path, tmp_path: Path) -> None:
    from kg.errors import QueryError
    from kg.sparql.query import run_query
    from kg.sparql.safety import QueryRefused
    from kg.store.evalstore import EvalStore

    store = ["--store", str(sample_folder)]
    lessons = (
        "SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a ek:Lesson ; ek:theme/skos:prefLabel ?t }"
    )
    code, out, err = run(*store, "query", "-e", lessons, "--format", "csv")
    assert code == 0, err
    assert out.split() == ["n", "18"]
    # a bound parameter, and a .rq file
    chile = "SELECT ?l WHERE { VALUES ?c { UNDEF } ?l ek:country/ek:iso3166Alpha3 ?c }"
    code, out, err = run(*store, "query", "-e", chile, "-p", "c=CHL", "--format", "csv")
    assert code == 0 and len(out.split()) > 2, err
    rq = tmp_path / "q.rq"
    rq.write_text(
        "# dct: and xsd: undeclared\nASK { ?e dct:title ?t FILTER(xsd:string(?t) != '') }\n"
    )
    code, out, err = run(*store, "query", str(rq), "--format", "csv")
    assert code == 0 and "true" in out, err
    # the library, a prefix the text declares keeps its IRI, an unknown one is named
    with EvalStore.open(sample_folder) as opened:
        assert run_query(opened, "ASK { ?l a ek:Lesson }").boolean is True
        assert (
            run_query(opened, "PREFIX ek: <http://e.org/> ASK { ?l a ek:Lesson }").boolean is False
        )
        with pytest.raises(QueryError, match=r"^<query>: unknown prefix xyz: "):
            run_query(opened, "SELECT * WHERE { ?l a xyz:Lesson }")
        # the safety check reads the text that runs: the prefixed IRIs are refused as before
        with pytest.raises(QueryRefused, match="SERVICE"):
            run_query(opened, "SELECT * WHERE { SERVICE ek:x { ?s ?p ?o } }")
        with pytest.raises(QueryRefused, match="FROM names a graph"):
            run_query(opened, "SELECT * FROM ek:g WHERE { ?s ?p ?o }")
    code, out, err = run(*store, "query", "-e", "SELECT * WHERE { ?l a xyz:Lesson }")
    assert (
        code == EXIT_ERROR
        and err.startswith("Error: <-e>: unknown prefix xyz: ")
        and "\\u{" not in err
    )


def test_queries_name_shows_one_query(run: Run) -> None:
    from kg.sparql.queries import get_query

    code, out, err = run("queries", "recommendations-by-response")
    assert code == 0, err
    named = get_query("recommendations-by-response")
    assert out.startswith(f"recommendations-by-response: {named.title}\n\n{named.description}\n")
    assert "  year     year, optional: the year of the recommendation's date" in out
    assert f"Example:\n  {named.example}\n" in out
    sparql = out.split(f"SPARQL ({named.path}):\n", 1)[1]
    assert "# title:" not in sparql and "# param:" not in sparql
    assert sparql.strip() in named.text and "SELECT" in sparql
    code, out, _ = run("queries", "lessons-by-country")
    assert "  country  string, required: ISO 3166" in out
    code, _, err = run("queries", "no-such-query")
    assert code == EXIT_ERROR and err.startswith("Error: no query of that name")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "md"])
def test_a_graph_query_refuses_a_table_format(
    run: Run, sample_folder: Path, tmp_path: Path, fmt: str
) -> None:
    store = ["--store", str(sample_folder)]
    construct = "CONSTRUCT { ?l a ek:Lesson } WHERE { ?l a ek:Lesson }"
    code, out, err = run(*store, "query", "-e", construct, "--format", fmt)
    assert code == EXIT_ERROR and not out
    assert err == (
        "Error: <-e>: a CONSTRUCT query gives a graph, which is written as Turtle only; "
        f"{fmt} (--format) is for SELECT and ASK answers (leave --format out, or write -o "
        "FILE.ttl)\n"
    )
    target = tmp_path / f"answer.{fmt}"
    code, _, err = run(
        *store, "query", "-e", "DESCRIBE ?l WHERE { ?l a ek:Lesson }", "-o", str(target)
    )
    graph = "a DESCRIBE query gives a graph, which is written as Turtle only"
    assert code == EXIT_ERROR and f"{graph}; {fmt} (-o's extension)" in err
    assert not target.exists()
    code, out, err = run(*store, "query", "-e", construct)
    assert code == 0 and "a ek:Lesson" in out, err


def test_results_and_views_have_short_reprs_and_results_a_notebook_table() -> None:
    """Issue 20: repr() of a view was 856,000 characters and of a 12,872-row result
    2.7 M; results show as a table in Jupyter, text escaped."""
    from kg.load.build import build
    from kg.networks.projection import project
    from kg.resources import sample_dir
    from kg.sparql.query import run_query
    from kg.store.evalstore import EvalStore
    from kg.views.view import render

    with EvalStore() as store:
        build([sample_dir()], store=store)
        view = render(project(store, "actors"))
        rows = run_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 120")
        hostile = run_query(store, "SELECT ?x WHERE { VALUES ?x { '<b>x</b>' } }")
    assert len(repr(view)) < 200 and repr(view).startswith("<View ")
    assert repr(rows) == "<QueryResult select: 120 rows of s, o>"
    table = rows._repr_html_()
    assert table.count("<tr>") == 51 and "70 more rows" in table
    assert "&lt;b&gt;x&lt;/b&gt;" in hostile._repr_html_()


def test_a_record_whose_file_is_gone_is_counted_and_pruned(tmp_path: Path) -> None:
    """Issue 20: deleted source files stayed in the store for ever ('16 unchanged' after
    deleting one of 16); the build says how many records it did not read, and --prune
    removes them, so the store is what a fresh build of the remaining files gives."""
    import json
    import shutil

    from kg.resources import sample_dir

    pages = tmp_path / "pages"
    shutil.copytree(sample_dir(), pages)
    folder = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(pages), "--store", str(folder)]).exit_code == 0
    gone = sorted(pages.glob("0*.txt"))[0]
    gone.unlink()
    kept = runner.invoke(main, ["build", str(pages), "--store", str(folder)])
    assert kept.exit_code == 0 and "holds 1 record(s) this build did not read" in kept.output
    pruned = runner.invoke(main, ["build", str(pages), "--store", str(folder), "--prune"])
    assert pruned.exit_code == 0 and "Removed 1 record(s)" in pruned.output
    fresh = tmp_path / "fresh"
    assert runner.invoke(main, ["build", str(pages), "--store", str(fresh)]).exit_code == 0
    stats = [runner.invoke(main, ["stats", "--json", "--store", str(f)]) for f in (folder, fresh)]
    counts = [json.loads(r.stdout) for r in stats]
    assert counts[0] == counts[1]
