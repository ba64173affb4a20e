"""The command line, in-process with click's CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import EXIT_ERROR, EXIT_FAILED, EXIT_OK, EXIT_USAGE, EvalkgGroup, main
from kg.errors import ConfigError, EndpointError, EvalkgError, QueryError, RecordError, StoreError

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


def test_export_writes_geojson_rdfxml_and_refuses_unknown_extensions(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    import json

    from rdflib import Graph

    run("build", "--sample", "-q")
    places = tmp_path / "places.geojson"
    code, out = run("export", "-o", str(places))
    assert code == EXIT_OK and "countries" in out, out
    features = json.loads(places.read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["kind"] for f in features} == {"country", "office", "place"}
    rdf = tmp_path / "graph.rdf"
    assert run("export", "-o", str(rdf))[0] == EXIT_OK
    assert len(Graph().parse(rdf, format="xml")) > 1000
    code, out = run("export", "-o", str(tmp_path / "graph.xyz"))
    assert code == EXIT_ERROR and "unknown extension" in out
    assert not (tmp_path / "graph.xyz").exists()


def test_export_network_writes_what_networkx_reads_back(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import networkx as nx

    run("build", "--sample", "-q")
    target = tmp_path / "actors.graphml"
    code, out = run("export-network", "--network", "actors", "-o", str(target))
    assert code == EXIT_OK, out
    graph = nx.read_graphml(target)
    nodes, edges = (int(n.replace(",", "")) for n in re.findall(r"([\d,]+) (?:nodes|edges)", out))
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges) != (0, 0)
    assert {"label", "kind", "community"} <= set(next(iter(graph.nodes.values())))
    code, out = run("export-network", "-o", str(tmp_path / "actors.txt"))
    assert code == EXIT_ERROR and "actors.txt" in out


def commands() -> list[str]:
    return sorted(main.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert re.search(rf"evalkg {command}\b", README.read_text(encoding="utf-8")), command


# --- exit statuses (issue 20) ---------------------------------------------------------

DOCS = README.parent / "docs" / "commands.md"


def test_the_exit_statuses_are_distinct_and_documented() -> None:
    """0 done, 1 a failure the command reports, 2 click's usage errors, 3 evalkg's
    errors: listed by ``evalkg --help``, docs/commands.md and the README."""
    assert (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ERROR) == (0, 1, 2, 3)
    shown = CliRunner().invoke(main, ["--help"]).output
    listed = shown.split("Exit status:", 1)[1]
    assert [int(n) for n in re.findall(r"^ +(\d)  ", listed, flags=re.MULTILINE)] == [0, 1, 2, 3]
    docs = DOCS.read_text(encoding="utf-8")
    assert [int(n) for n in re.findall(r"^\| (\d) \|", docs, flags=re.MULTILINE)] == [0, 1, 2, 3]
    assert "docs/commands.md" in README.read_text(encoding="utf-8")


def test_a_usage_error_exits_2_and_an_evalkg_error_3(run) -> None:  # type: ignore[no-untyped-def]
    code, out = run("query")
    assert code == EXIT_USAGE == 2 and "Error: give exactly one of QUERY or -e" in out
    code, out = run("query", "stats", "--format", "xml")
    assert code == 2 and "Invalid value for '-f' / '--format'" in out
    code, out = run("build", "--reindex", "--sample")
    assert code == 2 and "--reindex reads the store only" in out
    code, out = run("stats")  # no store: a StoreError
    assert code == EXIT_ERROR == 3 and out.startswith("Error: ") and "Traceback" not in out
    code, out = run("build", "--reindex")  # nothing to reindex: no store is made either
    assert code == 3 and "no evalkg store here" in out


@pytest.mark.parametrize(
    "error", [EvalkgError, RecordError, StoreError, QueryError, ConfigError, EndpointError]
)
def test_every_evalkg_error_is_a_message_and_the_error_status(error: type[EvalkgError]) -> None:
    """The group maps an EvalkgError of any kind, raised by a command or by an option's
    callback, to ``Error: …`` and EXIT_ERROR; click's own errors keep theirs."""

    def refuse(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value is not None:
            raise error("bad option value", value=value)

    group = EvalkgGroup()

    @group.command()
    @click.option("--opt", callback=refuse)
    @click.option("--count", type=int)
    def fail(opt: str | None, count: int | None) -> None:
        raise error("bad thing", path="f.txt", line=3, value="x")

    runner = CliRunner()
    result = runner.invoke(group, ["fail"])
    assert (result.exit_code, result.output) == (EXIT_ERROR, "Error: f.txt:3: bad thing: 'x'\n")
    result = runner.invoke(group, ["fail", "--opt", "y"])
    assert (result.exit_code, result.output) == (EXIT_ERROR, "Error: bad option value: 'y'\n")
    assert runner.invoke(group, ["fail", "--count", "many"]).exit_code == EXIT_USAGE


# --- options from the library's registries and constants (issue 19) -------------------


def _option(command: str, name: str) -> click.Option:
    found = [p for p in main.commands[command].params if p.name == name]  # type: ignore[attr-defined]
    assert len(found) == 1 and isinstance(found[0], click.Option), (command, name)
    return found[0]


def _choices(command: str, name: str) -> list[str]:
    kind = _option(command, name).type
    assert isinstance(kind, click.Choice), (command, name)
    return list(kind.choices)


def _default(command: str, name: str) -> object:
    option = _option(command, name)
    return option.get_default(click.Context(main.commands[command]))  # type: ignore[attr-defined]


def test_option_choices_and_defaults_are_the_library_s() -> None:
    from kg.networks.metrics import REPORT_FORMATS, SORT_KEYS
    from kg.networks.projection import NETWORKS
    from kg.publish.files import GRAPH_FORMATS
    from kg.publish.push import CHUNK_SIZE, METHODS
    from kg.publish.validate import ValidationReport
    from kg.sparql.deadline import DEFAULT_TIMEOUT
    from kg.sparql.remote import DEFAULT_RETRIES
    from kg.sparql.results import RESULT_FORMATS
    from kg.views.viewdata import MAX_NODES, SIZE_METRICS, ViewSettings

    assert _choices("query", "fmt") == list(RESULT_FORMATS)
    assert _choices("export", "fmt") == list(GRAPH_FORMATS)
    assert (
        _choices("metrics", "fmt") == list(REPORT_FORMATS) and _default("metrics", "fmt") == "table"
    )
    assert _choices("metrics", "sort") == list(SORT_KEYS)
    assert _choices("view", "size_by") == list(SIZE_METRICS)
    assert _default("view", "size_by") == ViewSettings().size_by
    assert _choices("view", "network") == _choices("metrics", "network") == list(NETWORKS)
    assert _choices("push", "method") == list(METHODS) and _default("push", "method") == "gsp"
    assert _default("push", "chunk_size") == CHUNK_SIZE
    assert _default("view", "max_nodes") == MAX_NODES
    assert _default("validate", "limit") == ValidationReport.summary.__kwdefaults__["limit"]
    # one default timeout, and one number of retries, for every command
    assert _default("query", "timeout") == _default("push", "timeout") == DEFAULT_TIMEOUT
    assert _default("query", "retries") == _default("push", "retries") == DEFAULT_RETRIES
    shown = CliRunner().invoke(main, ["push", "--help"]).output
    assert f"[default: {CHUNK_SIZE}; x>=1]" in shown and "[gsp|update]" in shown


def test_help_imports_only_what_it_shows() -> None:
    """The choices and defaults are read from the library when shown or used, so that
    ``evalkg --help`` does not import the modules behind them (HTTP, networks, views)."""
    import subprocess
    import sys

    heavy = [
        "kg.publish.push",
        "kg.sparql.endpoint",
        "kg.sparql.ask",
        "kg.networks.metrics",
        "kg.views.viewdata",
        "networkx",
    ]
    code = (
        "import sys\nfrom kg.cli import main\nmain(['--help'], standalone_mode=False)\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=README.parent, check=True
    )
    assert done.stdout.rstrip().endswith("[]"), done.stdout[-500:]


# --- the library functions the commands call (issue 19) --------------------------------


def test_ask_decides_what_the_query_command_did(sample_folder: Path, tmp_path: Path) -> None:
    from kg.networks.hints import unknown_names
    from kg.sparql.ask import ask

    notes: list[str] = []
    with ask(
        "lessons-by-country",
        params=["country=Atlantis"],
        store=sample_folder,
        output=tmp_path / "answer.CSV",
        on_note=notes.append,
        explain_empty=unknown_names,
    ) as asked:
        assert asked.fmt == "csv" and list(asked.answer.rows) == []
    assert len(notes) == 1 and notes[0].startswith("--param country: no country of that name")
    with ask(expression="ASK { ?l a ek:Lesson }", store=str(sample_folder)) as asked:
        assert asked.fmt == "table" and asked.answer.collect().boolean is True
    # a table format asked of a graph is refused before any store is opened
    with (
        pytest.raises(ConfigError, match=r"^<-e>: a CONSTRUCT query gives a graph"),
        ask(expression="CONSTRUCT WHERE { ?s ?p ?o }", fmt="csv", store=tmp_path / "none"),
    ):
        pass


def test_a_store_opened_for_reading_says_what_is_off(sample_folder: Path, tmp_path: Path) -> None:
    import shutil

    from kg.sparql.ask import open_for_queries
    from kg.sparql.query import run_query
    from kg.store.evalstore import EvalStore
    from kg.store.health import open_checked

    notes: list[str] = []
    with open_checked(sample_folder, on_note=notes.append, lesson_index=True) as store:
        assert store.read_only and len(store) > 0
    assert notes == []
    folder = tmp_path / "copy"
    shutil.copytree(sample_folder, folder)
    with EvalStore.create(folder) as store:
        run_query(store, 'INSERT DATA { <urn:a> <urn:b> "c" }', allow_update=True)
    with open_checked(folder, on_note=notes.append, lesson_index=True):
        pass
    assert len(notes) == 1 and "changed by a SPARQL update" in notes[0]
    (folder / "build.journal").write_text("", encoding="utf-8")  # as a killed build leaves it
    notes.clear()
    with open_for_queries(folder, on_note=notes.append):
        pass
    assert len(notes) == 1 and notes[0].startswith("the last build of this store did not end")


def test_a_build_report_tells_itself(tmp_path: Path, seed_path: Path) -> None:
    from kg.load.build import build
    from kg.store.evalstore import EvalStore

    (tmp_path / "bad.txt").write_bytes(b"<html>oops</html>")
    with EvalStore() as store:
        report = build([seed_path, tmp_path / "bad.txt"], store=store)
    report.recovered = "an interrupted build"
    lines = report.lines()
    assert lines[0] == ("Repaired: an interrupted build.", True)
    assert lines[1].text.startswith("Read 2 file(s), 2 record(s): 1 accepted (1 lesson), 1 ")
    assert lines[2].text.startswith("Store <memory>: ") and not lines[2].alert
    assert [line.alert for line in lines[-2:]] == [True, True]
    assert lines[-2:][0].text == "Rejected 1:" and "an HTML/XML page" in lines[-1].text


def test_reindex_folder_needs_a_store(tmp_path: Path) -> None:
    from kg.load.build import reindex_folder

    with pytest.raises(StoreError, match="no evalkg store here") as refused:
        reindex_folder(tmp_path / "none")
    assert refused.value.path == str(tmp_path / "none") and not (tmp_path / "none").exists()


def test_the_default_gold_sets_are_a_checkout_s(tmp_path: Path) -> None:
    from kg.extract.goldsets import CHECKOUT, REAL_GOLD, REAL_PAGES, TEAM_GOLD, gold_sets

    assert README.parent == CHECKOUT
    checkout = tmp_path / "evalkg"
    assert gold_sets(checkout=checkout).sets == []  # an installed evalkg: give the file
    for name in (TEAM_GOLD, REAL_GOLD):
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        (checkout / name).write_text("\n", encoding="utf-8")
    found = gold_sets(checkout=checkout, root="r")
    assert [(s.title, s.root) for s in found.sets] == [("team gold", Path("r"))]
    assert found.missing_pages == tmp_path / REAL_PAGES
    (tmp_path / REAL_PAGES).mkdir(parents=True)
    found = gold_sets(checkout=checkout)
    assert [s.title for s in found.sets] == ["team gold", "real-pages gold"]
    assert found.sets[1].root == tmp_path / REAL_PAGES and found.missing_pages is None


# --- progress on long commands (issue 20) ------------------------------------------


def test_long_commands_tell_each_step(sample_folder: Path, tmp_path: Path) -> None:
    """validate, metrics and export name each step as it starts; on a terminal the
    command shows it in a status line (with the time taken), elsewhere nothing."""
    import io
    import time

    from rich.console import Console

    from kg.cli.common import Status
    from kg.load.build import build
    from kg.networks.metrics import network_metrics
    from kg.publish.files import write_graph
    from kg.publish.validate import validate
    from kg.store.evalstore import EvalStore
    from kg.views.view import view_network

    with EvalStore() as store:
        build([sample_folder], store=store)
        steps: list[str] = []
        validate(store, on_step=steps.append)
        network_metrics(store, "actors", on_step=steps.append)
        write_graph(store, tmp_path / "g.nt", on_step=steps.append)
        view_network(store, "themes", on_step=steps.append)
    assert steps[:2] == ["reading the shapes", "reading the graph"]
    assert re.fullmatch(r"checking [\d,]+ triples against the SHACL shapes", steps[2])
    assert steps[3] == "projecting the actors network"
    assert re.fullmatch(r"metrics of [\d,]+ nodes, [\d,]+ ties", steps[4])
    assert steps[5] == "writing the graph"
    assert steps[6] == "projecting the themes network"
    assert steps[8:] == ["laying out and drawing the page"]

    with Status("Validating", enabled=True) as on_step:  # stderr is no terminal here
        assert on_step is None
    shown = io.StringIO()
    console = Console(file=shown, force_terminal=True, width=100)
    with Status("Validating", console=console) as on_step:
        assert on_step is not None
        on_step("reading [the] graph")
        time.sleep(0.3)  # the status line is redrawn 12.5 times a second
    assert "Validating: reading [the] graph… (" in shown.getvalue()


def test_map_writes_one_offline_page(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("build", "--sample", "-q")
    target = tmp_path / "map.html"
    code, out = run("map", "--type", "lesson", "-o", str(target))
    assert code == EXIT_OK, out
    assert re.match(r"Wrote .*map\.html: \d+ findings · \d+ countries", out)
    page = target.read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp and "default-src &#39;none&#39;" in csp[1] and "connect-src &#39;none&#39;" in csp[1]
    code, out = run("map", "--type", "memo", "-o", str(target))
    assert code == EXIT_USAGE
