"""``evalkg stats``, ``query`` and ``queries``: the graph's counts, SPARQL
(:func:`kg.sparql.ask.ask`) and the named queries."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from kg.cli.common import EXIT_FAILED, FromLibrary, LibraryChoice, note, store_option


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def stats(store: str | None, as_json: bool) -> None:
    """Count evaluations, lessons, good practices, recommendations, countries, themes...

    \b
    Example:
      evalkg stats --json
    """
    from kg.sparql.ask import open_for_queries
    from kg.sparql.stats import stats as run_stats

    with open_for_queries(store, on_note=note) as opened:
        counts = run_stats(opened)
    if as_json:
        click.echo(json.dumps(counts))
        return
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        click.echo(f"{key.ljust(width)}  {value:,}")


@click.command()
@click.argument("query", required=False)
@click.option("-e", "--expression", help="SPARQL text to run (instead of QUERY).")
@click.option(
    "-f",
    "--format",
    "fmt",
    default=None,
    type=LibraryChoice("kg.sparql.results:RESULT_FORMATS"),
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
    type=click.FloatRange(min=0),
    default=FromLibrary("kg.sparql.ask:DEFAULT_TIMEOUT"),
    show_default=True,
    metavar="SECONDS",
    help="Stop the query, and writing its answer, after this many seconds (0: no limit).",
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
    "$EVALKG_ENDPOINT_USER and $EVALKG_ENDPOINT_PASSWORD, basic or with "
    "$EVALKG_ENDPOINT_AUTH=digest, or $EVALKG_ENDPOINT_TOKEN).",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=FromLibrary("kg.sparql.ask:ask(retries)"),
    show_default=True,
    help="With --endpoint: retries of transient failures (refused, 429, 502-504).",
)
@store_option
def query(
    query: str | None,
    expression: str | None,
    fmt: str | None,
    output: str | None,
    limit: int | None,
    params: tuple[str, ...],
    timeout: float,
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
    from kg.networks.hints import unknown_names
    from kg.sparql.ask import ask

    if (query is None) == (expression is None):
        raise click.UsageError("give exactly one of QUERY or -e/--expression")
    with ask(
        query,
        expression=expression,
        params=params,
        store=store,
        endpoint=endpoint,
        fmt=fmt,
        output=output,
        timeout=timeout,
        limit=limit,
        retries=retries,
        allow_service=allow_service,
        allow_update=allow_update,
        on_note=note,
        explain_empty=unknown_names,
    ) as asked:
        if asked.answer.kind == "update":
            click.echo("Update done.", err=True)
        _write_answer(asked.answer, asked.fmt, output)


def _write_answer(answer: Any, fmt: str, output: str | None) -> None:
    """Write a query's answer to ``output`` or standard output as bytes, as it comes (not
    through click.echo, which drops escape sequences when the output is not a terminal);
    a reader that goes away (``| head``) ends the command quietly."""
    from kg.sparql.results import write_result

    if output is not None:
        write_result(answer, output, fmt=fmt)
        return
    out = sys.stdout.buffer
    try:
        write_result(answer, out, fmt=fmt)
        out.flush()
    except BrokenPipeError:
        # nothing more can be written: silence the flush at exit, as Python's docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_FAILED)


@click.command()
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


COMMANDS = [stats, query, queries]
