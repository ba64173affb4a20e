"""The ``evalkg`` command: a thin layer over the :mod:`kg` library.

Each command parses its options, calls one library function, prints the result, and
turns evalkg errors into a message and an exit status.
"""

from __future__ import annotations

import functools
import itertools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg.errors import EvalkgError

F = TypeVar("F", bound=Callable[..., Any])
STORE_HELP = (
    "Store folder, here or before the command ('evalkg --store DIR COMMAND'); default: "
    "$EVALKG_STORE, else ./evalkg-data."
)


def handle_errors(func: F) -> F:
    """Print an :class:`EvalkgError` as ``Error: …`` and exit with status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EvalkgError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _store_or_group(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A command's ``--store``, else the one given before the command (``evalkg --store
    DIR COMMAND``), else ``None`` (then $EVALKG_STORE, else ./evalkg-data)."""
    if value is not None:
        return value
    root = ctx.find_root()
    given = root.params.get("store") if root is not ctx else None
    return given if isinstance(given, str) else None


store_option = click.option(
    "--store", "store", default=None, metavar="DIR", help=STORE_HELP, callback=_store_or_group
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evalkg")
@click.option(
    "--store",
    default=None,
    metavar="DIR",
    help="Store folder of every command (also accepted after the command, which wins); "
    "default: $EVALKG_STORE, else ./evalkg-data.",
)
def main(store: str | None) -> None:  # the commands read it (_store_or_group)
    """evalkg: a knowledge graph of ILO evaluations, their lessons, actors and places.

    \b
    Quick start:
      evalkg build --sample          # build the bundled sample into ./evalkg-data
      evalkg stats                   # what the graph holds
      evalkg queries                 # the canned analyst questions
      evalkg query stats             # run one
      evalkg export -o graph.ttl     # Turtle, N-Triples, JSON-LD, N-Quads or TriG
      evalkg --store other stats     # --store DIR goes before or after the command
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))  # checked before the store is made
@click.option("--sample", is_flag=True, help="Also build the bundled sample records.")
@store_option
@click.option(
    "--base-iri",
    envvar="EVALKG_BASE_IRI",
    default=None,
    help="Base IRI of minted entities (new stores only; $EVALKG_BASE_IRI).",
)
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that map records (default: one less than the CPUs; 1: the build's own).",
)
@click.option(
    "--compact/--no-compact",
    default=True,
    help="Compact the store after writing (default; queries are 2-4x faster after a big build).",
)
@click.option(
    "--reindex",
    is_flag=True,
    help="Make the lesson index and the statistics again from the store (no PATHS read).",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the records the store holds that PATHS no longer give (files deleted).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warning list.")
@click.option("-v", "--verbose", is_flag=True, help="List every warning.")
@handle_errors
def build(
    paths: tuple[str, ...],
    sample: bool,
    store: str | None,
    base_iri: str | None,
    workers: int | None,
    compact: bool,
    reindex: bool,
    prune: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Read lesson pages (.txt) and JSON Lines records (.jsonl) into the store.

    PATHS are files or folders (searched recursively). A record whose file did not
    change is left as it is; a changed one replaces its own triples only. Files that are
    not records are listed with the reason, and the exit status is then 1. Records the
    store holds that PATHS did not give are counted; --prune removes them. After
    writing, the store is compacted for fast queries (--no-compact skips it).

    \b
    Example:
      evalkg build records/ more/page.txt --store evalkg-data
    """
    from kg.ingest.record import RECORD_TYPES, TYPE_NAMES
    from kg.load.build import build as run_build
    from kg.resources import sample_dir
    from kg.store.evalstore import EvalStore, store_path

    targets = [*paths, *([str(sample_dir())] if sample else [])]
    if reindex:
        if targets:
            raise click.UsageError("--reindex reads the store only: give no PATHS")
        _reindex(store)
        return
    if not targets:
        raise click.UsageError("give PATHS to build, or --sample (or --reindex)")
    folder = store_path(store)

    def compacting() -> None:  # minutes on a big store: say so on a terminal
        if not quiet and sys.stderr.isatty():
            click.echo("Compacting the store for fast queries...", err=True)

    def counting() -> None:
        if not quiet and sys.stderr.isatty():
            click.echo("Counting the statistics graph...", err=True)

    with (
        EvalStore.create(folder, base_iri=base_iri) as target_store,
        _progress(enabled=not quiet) as on_progress,
    ):
        report = run_build(
            targets,
            store=target_store,
            on_progress=on_progress,
            workers=workers,
            compact=compact,
            on_compact=compacting,
            on_count=counting,
            prune=prune,
        )
    if report.recovered:
        click.echo(f"Repaired: {report.recovered}.", err=True)
    if report.pruned:
        click.echo(f"Removed {report.pruned} record(s) that PATHS no longer give (--prune).")
    elif report.unseen:
        click.echo(
            f"The store holds {report.unseen} record(s) this build did not read (their files "
            "are gone, or were not given); --prune removes them."
        )
    types = ", ".join(
        f"{n} {TYPE_NAMES[kind] if n != 1 else TYPE_NAMES[kind].removesuffix('s')}"
        for kind in RECORD_TYPES
        if (n := report.by_type.get(kind, 0))
    )
    copies = f"; {len(report.duplicates)} copies of records read twice" if report.duplicates else ""
    click.echo(
        f"Read {report.files} file(s), {report.read} record(s): {report.accepted} accepted"
        f"{f' ({types})' if types else ''}, {len(report.rejected)} rejected{copies} "
        f"({report.added} new, {report.replaced} replaced, {report.unchanged} unchanged)."
    )
    if report.skipped:
        click.echo(_skipped_line(report.skipped))
    parts = [
        f"{what} {seconds:.1f} s"
        for what, seconds in (
            ("compacting", report.compact_seconds),
            ("counting statistics", report.count_seconds),
        )
        if seconds >= 0.1
    ]
    compacted = f" ({', '.join(parts)})" if parts else ""
    click.echo(
        f"Store {folder}: {report.triples:,} triples; took {report.seconds:.1f} s{compacted}."
    )
    for key, where in sorted(report.unknown_keys.items()):
        click.echo(f"Unknown field {key!r} in {len(where)} record(s), first {where[0]}; kept.")
    if report.warnings and not quiet:
        shown = report.warnings if verbose else report.warnings[:10]
        click.echo(f"{len(report.warnings)} warning(s):")
        for warning in shown:
            click.echo(f"  {warning}")
        if len(shown) < len(report.warnings):
            click.echo("  ... (--verbose lists them all)")
    if report.rejected:
        click.echo(f"Rejected {len(report.rejected)}:", err=True)
        for item in report.rejected:
            click.echo(f"  {item.error}", err=True)
        sys.exit(1)


def _skipped_line(skipped: list[str]) -> str:
    """``Skipped 2 file(s) that are not record pages or JSON Lines (.bin, .html): first …``"""
    from pathlib import PurePath

    kinds = sorted({PurePath(p).suffix.lower() or "no extension" for p in skipped})
    return (
        f"Skipped {len(skipped)} file(s) that are not record pages or JSON Lines "
        f"({', '.join(kinds)}): first {skipped[0]}."
    )


def _reindex(store: str | None) -> None:
    """``build --reindex``: the lesson index and statistics made again from the store."""
    from kg.load.build import reindex
    from kg.store.evalstore import EvalStore, store_path

    folder = store_path(store)
    if not (folder / "evalkg.json").is_file():
        raise click.UsageError(f"no evalkg store at {folder} to reindex")
    with EvalStore.create(folder) as opened:
        rows, triples = reindex(opened)
    click.echo(
        f"Store {folder}: the lesson index ({rows:,} rows) and the statistics "
        f"({triples:,} triples counted) were made again from the store; no source was read."
    )


class _progress:
    """A rich progress bar on stderr for builds of many files (only on a terminal)."""

    def __init__(self, *, enabled: bool, label: str = "Building") -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.__enter__()
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@handle_errors
def stats(store: str | None, as_json: bool) -> None:
    """Count evaluations, lessons, good practices, recommendations, countries, themes...

    \b
    Example:
      evalkg stats --json
    """
    from kg.sparql.stats import stats as run_stats
    from kg.store.evalstore import EvalStore

    with EvalStore.open(store) as opened:
        note_statistics(opened)
        counts = run_stats(opened)
    if as_json:
        click.echo(json.dumps(counts))
        return
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        click.echo(f"{key.ljust(width)}  {value:,}")


@main.command()
@click.argument("query", required=False)
@click.option("-e", "--expression", help="SPARQL text to run (instead of QUERY).")
@click.option(
    "-f",
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["table", "csv", "tsv", "json", "md"]),
    help="Output format of SELECT and ASK answers (default: from -o's extension, else "
    "table); CONSTRUCT and DESCRIBE graphs are written as Turtle (any other is refused).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the answer to FILE (it appears once complete) instead of standard output.",
)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N rows.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter the query declares, as an RDF term of its declared type.",
)
@click.option(
    "--timeout",
    "seconds",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Stop the query, and writing its answer, after this many seconds (default 60; "
    "0: no limit).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Allow SERVICE, LOAD and FROM of graphs the store does not hold (network, files).",
)
@click.option("--allow-update", is_flag=True, help="Allow SPARQL Update (writes to the store).")
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Run on this SPARQL endpoint instead of the store (credentials: "
    "$EVALKG_ENDPOINT_USER and $EVALKG_ENDPOINT_PASSWORD, or $EVALKG_ENDPOINT_TOKEN).",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="With --endpoint: retries of transient failures (refused, 429, 502-504).",
)
@store_option
@handle_errors
def query(
    query: str | None,
    expression: str | None,
    fmt: str | None,
    output: str | None,
    limit: int | None,
    params: tuple[str, ...],
    seconds: float | None,
    allow_service: bool,
    allow_update: bool,
    endpoint: str | None,
    retries: int,
    store: str | None,
) -> None:
    """Run SPARQL: a named query (see 'evalkg queries'; evalkg's own ones as
    folder/name, see 'evalkg queries --all'), a .rq file, or -e TEXT.

    Parameters fill the query's 'VALUES ?name { UNDEF }' slots as RDF terms, never as
    text. SERVICE, LOAD, FROM of graphs the store does not hold and updates are refused
    unless allowed; every query stops after --timeout seconds, the answer written or not.
    Rows are written as they come; the table shows control characters as escapes.

    \b
    Examples:
      evalkg query stats
      evalkg query lessons-by-country --param country=CHL
      evalkg query organization-profile --param actor="Cáritas" --format csv
      evalkg query my-question.rq --format json --timeout 10
      evalkg query lessons-by-country -p country=CHL -o chile.csv
      evalkg query network/lesson-regions --limit 5
      evalkg query -e 'SELECT ?t WHERE { ?e <http://purl.org/dc/terms/title> ?t }'
      evalkg query stats --endpoint http://127.0.0.1:7878/query
    """
    from kg.sparql.deadline import DEFAULT_TIMEOUT
    from kg.sparql.params import parse_params
    from kg.sparql.queries import load_request
    from kg.sparql.query import open_store, stream_query
    from kg.sparql.safety import is_update

    if (query is None) == (expression is None):
        raise click.UsageError("give exactly one of QUERY or -e/--expression")
    given = parse_params(params)
    text, source = load_request(query, expression, given)
    _check_graph_format(text, source, fmt, output)
    fmt = fmt or _format_of(output)
    if endpoint is not None:
        _query_endpoint(endpoint, text, source, fmt, output, limit, seconds, retries, allow_service)
        return
    with open_store(store, writable=allow_update and is_update(text)) as opened:
        if expression is None:  # the same query, narrowed where the store's text index can
            text, source = load_request(query, None, given, opened)
        note_statistics(opened)
        with stream_query(
            opened,
            text,
            source=source,
            timeout=DEFAULT_TIMEOUT if seconds is None else seconds,
            limit=limit,
            allow_service=allow_service,
            allow_update=allow_update,
        ) as answer:
            if answer.kind == "update":
                click.echo("Update done.", err=True)
            if answer.kind == "select" and expression is None:
                rows = iter(answer.rows)  # the first row, if any, read ahead
                first = next(rows, None)
                if first is None:
                    _note_unknown_names(opened, given)
                answer.rows = rows if first is None else itertools.chain([first], rows)
            _write_answer(answer, fmt, output)


#: Query parameters that name an entity the views resolve too, and its node types.
_NAMED_PARAMS = {"country": ("country",), "region": ("region",)}


def _note_unknown_names(store: Any, given: dict[str, str]) -> None:
    """When a query finds nothing: say on stderr which ``country`` or ``region``
    value names no entity of the store, with close names, as the views say it."""
    from kg.errors import ConfigError
    from kg.network.netdata import NetworkData

    names = NetworkData(store, evaluation_names=False)
    for param, types in _NAMED_PARAMS.items():
        if param in given:
            try:
                names.find(given[param], types=types, what=param)
            except ConfigError as exc:
                click.echo(f"Note: --param {param}: {exc}", err=True)


def _check_graph_format(text: str, source: str, fmt: str | None, output: str | None) -> None:
    """Refuse a result format (``--format``, or ``-o``'s extension) other than the table
    for a CONSTRUCT or DESCRIBE query: its graph is written as Turtle only."""
    from kg.errors import ConfigError
    from kg.sparql.safety import query_form

    chosen = fmt or _format_of(output)
    form = query_form(text)
    if chosen != "table" and form in ("CONSTRUCT", "DESCRIBE"):
        how = "--format" if fmt else "-o's extension"
        raise ConfigError(
            f"a {form} query gives a graph, which is written as Turtle only; {chosen} "
            f"({how}) is for SELECT and ASK answers (leave --format out, or write -o "
            "FILE.ttl)",
            path=source,
        )


def _format_of(output: str | None) -> str:
    """The result format ``-o``'s extension names (``.csv``, ``.json``...), else ``table``."""
    from kg.sparql.results import RESULT_FORMATS

    suffix = "" if output is None else output.rpartition(".")[2].lower()
    return suffix if suffix in RESULT_FORMATS else "table"


def _write_answer(answer: Any, fmt: str, output: str | None) -> None:
    """Write a query's answer to ``output`` or standard output as bytes, as it comes (not
    through click.echo, which drops escape sequences when the output is not a terminal);
    a reader that goes away (``| head``) ends the command quietly."""
    from kg.sparql.results import write_result

    if output is not None:
        write_result(answer, output, fmt=fmt)
        return
    out = click.get_binary_stream("stdout")
    try:
        write_result(answer, out, fmt=fmt)
        out.flush()
    except BrokenPipeError:
        # nothing more can be written: silence the flush at exit, as Python's docs advise
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


def _query_endpoint(
    url: str,
    text: str,
    source: str,
    fmt: str,
    output: str | None,
    limit: int | None,
    seconds: float | None,
    retries: int,
    allow_service: bool,
) -> None:
    """``evalkg query --endpoint``: the same query, on a remote endpoint."""
    from kg.sparql.deadline import DEFAULT_TIMEOUT
    from kg.sparql.endpoint import Remote, run_remote_query

    timeout = DEFAULT_TIMEOUT if seconds is None else seconds
    remote = Remote.from_env(url, timeout=timeout, retries=retries)
    result = run_remote_query(remote, text, source=source, limit=limit, allow_service=allow_service)
    _write_answer(result, fmt, output)


@main.command()
@handle_errors
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also list evalkg's own queries: network/ (the views' projections), push/ and "
    "statistics/ (what a build counts); they run by that name, e.g. "
    "'evalkg query network/actors --limit 5'.",
)
@click.argument("name", required=False)
def queries(show_all: bool, name: str | None) -> None:
    """List the named queries with what each answers and the parameters it takes; with
    NAME (or a .rq file), show that one: its title, description, parameters (type,
    required or optional), example and SPARQL text.

    \b
    Example:
      evalkg queries
      evalkg queries --all
      evalkg queries lessons-by-country
    """
    from kg.sparql.queries import list_queries, resolve_query

    if name is not None:
        click.echo(resolve_query(name).describe(), nl=False)
        return

    named = list_queries(internal=show_all)
    width = max(len(q.name) for q in named)
    for q in named:
        takes = (
            f" [{', '.join(p.name + ('?' if p.optional else '') for p in q.params.values())}]"
            if q.params
            else ""
        )
        click.echo(f"{q.name.ljust(width)}  {q.description or q.title}{takes}")


@main.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["turtle", "nt", "nquads", "trig", "jsonld"]),
    help="Format; guessed from -o's extension, else turtle.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write (default: standard output).",
)
@store_option
@handle_errors
def export(fmt: str | None, output: str | None, store: str | None) -> None:
    """Write the graph as Turtle, N-Triples, JSON-LD (every triple once) or N-Quads, TriG
    (every record's named graph, with provenance).

    \b
    Examples:
      evalkg export -o graph.ttl
      evalkg export --format trig > graph.trig
    """
    from kg.publish.export import export as run_export
    from kg.publish.export import guess_format
    from kg.store.evalstore import EvalStore

    chosen = fmt or (guess_format(output) if output else None) or "turtle"
    with EvalStore.open(store) as source:
        run_export(source, sys.stdout.buffer if output is None else output, format=chosen)
    if output is not None:
        click.echo(f"Wrote {output} ({chosen}).", err=True)


@main.command()
@store_option
@click.option("--limit", default=50, show_default=True, help="Results to list in detail.")
@handle_errors
def validate(store: str | None, limit: int) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); exit 1 if it
    does not conform.

    \b
    Example:
      evalkg validate
    """
    from kg.publish.validate import validate as run_validate
    from kg.store.evalstore import EvalStore

    with EvalStore.open(store) as source:
        report = run_validate(source)
    click.echo(report.summary(limit=limit), nl=False)
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder the gold file's source paths are relative to.",
)
@click.option(
    "--real-pages",
    type=click.Path(file_okay=False),
    default=None,
    help="The crawl's real pages, for the real-pages gold set (default ../shared/real-pages "
    "beside a source checkout).",
)
@click.option("--errors", is_flag=True, help="List every false positive and negative.")
@handle_errors
def score(gold: str | None, root: str | None, real_pages: str | None, errors: bool) -> None:
    """Precision, recall and F1 of the actor and place recognizer on gold sets.

    GOLD is a JSON Lines file of annotated records. Without it, both of the project's
    gold sets are scored, each on its own: the team's (tests/gold/gold.jsonl, pages the
    team wrote) and the real pages' (tests/gold/real.jsonl, annotations of the crawl's
    pages, read from --real-pages), in a source checkout.

    \b
    Example:
      evalkg score --errors
      evalkg score tests/gold/gold.jsonl
    """
    from pathlib import Path

    from kg.extract.scoring import score as run_score

    checkout = Path(__file__).resolve().parents[2]
    sets: list[tuple[str, Path, str | None]] = []
    if gold:
        sets.append(("gold", Path(gold), root))
    else:
        sets.append(("team gold", checkout / "tests/gold/gold.jsonl", root))
        pages = Path(real_pages) if real_pages else checkout.parent / "shared" / "real-pages"
        real = checkout / "tests/gold/real.jsonl"
        if real.is_file() and pages.is_dir():
            sets.append(("real-pages gold", real, str(pages)))
        elif real.is_file():
            click.echo(f"Real-pages gold skipped: no pages at {pages} (--real-pages DIR)", err=True)
    if not sets[0][1].is_file():
        raise click.UsageError("give the GOLD file (the default is in a source checkout only)")
    for n, (title, path, base) in enumerate(sets):
        result = run_score(path, root=base)
        click.echo(("\n" if n else "") + result.table(title), nl=False)
        if errors:
            for line in result.organizations.errors:
                click.echo(f"organization {line}")
            for line in result.places.errors:
                click.echo(f"place {line}")


def network_options(func: F) -> F:
    """The options that choose a network: ``--network``, ``--focus``, ``--depth`` and the
    lesson filters ``--country``, ``--region``, ``--theme``, ``--year``, ``--kind``
    (turn them into :class:`kg.network.projection.Filters` with :func:`network_filters`)."""
    from kg.network.netdata import EVALUATION_KINDS
    from kg.network.projection import NETWORKS

    options = [
        click.option(
            "--network",
            type=click.Choice(list(NETWORKS)),
            default="actors",
            show_default=True,
            help="actors: organizations named in the same lessons; places: organizations, "
            "countries and places; evaluations: evaluations, lessons, themes, countries, "
            "organizations; themes: themes and categories against countries and regions; "
            "full: lessons and everything they link to.",
        ),
        click.option(
            "--focus",
            metavar="LABEL",
            default=None,
            help="Only the neighbourhood of the node with this name, alias or acronym "
            "(any case or accents).",
        ),
        click.option(
            "--depth",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="How many links from --focus to keep.",
        ),
        click.option("--country", metavar="NAME", help="Only lessons in this country or ISO code."),
        click.option("--region", metavar="NAME", help="Only lessons in this region."),
        click.option("--theme", metavar="NAME", help="Only lessons of this theme or category."),
        click.option("--year", type=int, default=None, help="Only evaluations of this year."),
        click.option(
            "--kind",
            metavar="KIND",
            help=f"Only evaluations of this kind: {', '.join(EVALUATION_KINDS)}.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def network_filters(options: dict[str, Any]) -> Any:
    """:class:`kg.network.projection.Filters` from the filter options of :func:`network_options`."""
    from kg.network.projection import Filters

    return Filters(**{k: options[k] for k in ("country", "region", "theme", "year", "kind")})


@main.command()
@network_options
@click.option(
    "-f",
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "json"]),
    help="Output format.",
)
@click.option(
    "--sort",
    default="betweenness",
    show_default=True,
    type=click.Choice(["betweenness", "weighted_degree", "degree", "community", "label"]),
    help="Order of the nodes.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="At most N nodes (default: 25 in the table, all in csv and json).",
)
@store_option
@handle_errors
def metrics(
    network: str,
    focus: str | None,
    depth: int,
    fmt: str,
    sort: str,
    limit: int | None,
    store: str | None,
    **filters: Any,
) -> None:
    """Degree, weighted degree, betweenness, community and broker role of every node of
    a network (see 'evalkg view' for the same network drawn).

    Betweenness uses edge length 1/weight; on large networks it is estimated from a
    seeded sample of source nodes, and the first line of the table says so.
    Communities are Louvain's (seeded, so every run gives the same). A broker ties
    communities together (high betweenness, ties into another community) or ties
    organizations of regions that share no lesson.

    \b
    Examples:
      evalkg metrics --network actors
      evalkg metrics --network places --country Chile --format csv
      evalkg metrics --focus "Cáritas" --depth 2 --format json
    """
    from kg.network.metrics import network_metrics
    from kg.store.evalstore import EvalStore

    with EvalStore.open(store) as source:
        note_lesson_index(source)
        report = network_metrics(
            source,
            network,
            filters=network_filters(filters),
            focus=focus,
            depth=depth,
        )
    shown = limit if limit is not None else (25 if fmt == "table" else None)
    click.echo(report.serialize(fmt, sort=sort, limit=shown), nl=False)


def note_statistics(store: Any) -> None:
    """Say on stderr when a store with records has no statistics graph (see
    :mod:`kg.sparql.stats`): the queries that read it then count nothing."""
    from kg.sparql.stats import has_statistics

    if store.build_interrupted:
        click.echo(
            "Note: the last build of this store did not end (killed, or out of disk), so "
            "records it was writing may be missing. Run 'evalkg build' with the same "
            "sources: it repairs the store.",
            err=True,
        )
    if next(iter(store.inner.named_graphs()), None) is not None and not has_statistics(store):
        click.echo(
            "Note: this store has no statistics graph of this evalkg (it was built by an "
            "earlier evalkg, or changed since without a recount), so 'evalkg stats' and the "
            "queries stats, top-organizations, bridging-organizations, organization-partners "
            "and organization-profile count nothing or less. Run 'evalkg build' on the store "
            "again: it counts them.",
            err=True,
        )


def note_lesson_index(store: Any) -> None:
    """Say on stderr when the store's lesson index is off: networks then read SPARQL."""
    index = store.lesson_index
    if not index.complete:
        why = {
            "build": "a build was interrupted or is running; the next build that ends turns it on",
            "update": "the store was changed by a SPARQL update",
        }.get(index.off_reason or "", "the store was built by an earlier evalkg")
        click.echo(
            f"Note: this store's lesson index is off ({why}), so networks are read from "
            "SPARQL: the same result, slower on large stores. 'evalkg build --reindex' "
            "rebuilds it from the store.",
            err=True,
        )


@main.command()
@network_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="HTML file to write (one self-contained page: no CDN, works offline).",
)
@click.option(
    "--physics/--no-physics",
    default=None,
    help="Let nodes move (vis-network physics); default: on up to 30 nodes only.",
)
@click.option(
    "--max-edges",
    type=click.IntRange(min=0),
    default=None,
    help="Draw at most N ties, the strongest (default: 2 per node, at least 300).",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=5000,
    show_default=True,
    help="Draw at most N nodes, the most central (larger pages draw slowly).",
)
@click.option(
    "--size-by",
    type=click.Choice(["weighted_degree", "degree", "betweenness"]),
    default="weighted_degree",
    show_default=True,
    help="The centrality that sizes the nodes.",
)
@store_option
@handle_errors
def view(
    network: str,
    focus: str | None,
    depth: int,
    output: str,
    physics: bool | None,
    max_edges: int | None,
    max_nodes: int,
    size_by: str,
    store: str | None,
    **filters: Any,
) -> None:
    """Draw a network as one interactive HTML page: colour by type, size by centrality,
    a search box (any name or acronym), filters by type, and a details panel listing
    each node's lessons (with links to their pages) and strongest ties.

    The layout is computed before the page opens (communities apart, no overlapping
    nodes); on dense networks the weakest ties are hidden and the page says how many.

    \b
    Examples:
      evalkg view --network actors -o actors.html
      evalkg view --network places --country Chile -o chile.html
      evalkg view --focus "Cáritas" --depth 2 -o caritas.html
    """
    from kg.store.evalstore import EvalStore
    from kg.views.view import view_network
    from kg.views.viewdata import ViewSettings

    with EvalStore.open(store) as source:
        note_lesson_index(source)
        page = view_network(
            source,
            network,
            filters=network_filters(filters),
            focus=focus,
            depth=depth,
            settings=ViewSettings(
                physics=physics, max_edges=max_edges, max_nodes=max_nodes, size_by=size_by
            ),
        )
    page.save(output)
    data = page.data
    nodes = f"{data.nodes:,}" + (f" of {data.nodes_total:,}" if data.nodes_hidden else "")
    click.echo(
        f"Wrote {output}: {nodes} nodes, {data.edges_shown:,} of {data.edges_total:,} "
        f"ties drawn, {page.size / 1e6:.1f} MB."
    )
    for note in data.notes:
        click.echo(note)


timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each answer of the server (0: no limit).",
)
retries_option = click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Retries of a remote endpoint's transient failures (refused, 429, 502-504).",
)


@main.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Graph Store Protocol URL (--method gsp) or SPARQL Update URL (--method update).",
)
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="Put the merged graph into this one named graph (default: every named graph, "
    "and the merged graph as the default graph).",
)
@click.option(
    "--method",
    type=click.Choice(["gsp", "update"]),
    default="gsp",
    show_default=True,
    help="Graph Store Protocol (PUT/POST) or SPARQL Update (DROP + INSERT DATA).",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="Triples per request.",
)
@timeout_option
@retries_option
@store_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@handle_errors
def push(
    endpoint: str,
    graph: str | None,
    method: str,
    chunk_size: int,
    timeout: float,
    retries: int,
    store: str | None,
    quiet: bool,
) -> None:
    """Upload the graph to a SPARQL server; pushing twice leaves the same data.

    Each named graph (one per record, and the reference graphs) replaces the remote
    graph of that name, and the merged graph replaces the remote default graph, so
    that queries there answer as they do here. Credentials come from
    $EVALKG_ENDPOINT_USER and $EVALKG_ENDPOINT_PASSWORD, or $EVALKG_ENDPOINT_TOKEN.

    \b
    Example (an Oxigraph server: pip install oxigraph):
      oxigraph serve --location remote-db --bind 127.0.0.1:7878 &
      evalkg push --endpoint http://127.0.0.1:7878/store
      evalkg query stats --endpoint http://127.0.0.1:7878/query
    """
    from kg.publish.push import push as run_push
    from kg.sparql.endpoint import Remote
    from kg.store.evalstore import EvalStore

    remote = Remote.from_env(endpoint, timeout=timeout, retries=retries)
    with (
        EvalStore.open(store) as source,
        _progress(enabled=not quiet, label="Pushing") as on_progress,
    ):
        report = run_push(
            source,
            remote,
            graph=graph,
            method=method,
            chunk_size=chunk_size,
            on_progress=on_progress,
        )
    graphs, requests = len(report.graphs), report.requests
    click.echo(
        f"Pushed {report.triples:,} triples in {graphs} graph{'s' * (graphs != 1)} "
        f"({requests} request{'s' * (requests != 1)}) to {report.url} "
        f"in {report.seconds:.1f} s."
    )
