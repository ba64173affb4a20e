"""Ask the graph one question, as ``evalkg query`` does: a named query, a ``.rq`` file or
SPARQL text, with its parameters bound, on the store folder or on a SPARQL endpoint.

:func:`ask` decides what the command line would: where the query runs (the store, or
``endpoint``), whether the store opens for writing (an update that is allowed), which
named query the store's text index narrows, the deadline (:data:`DEFAULT_TIMEOUT`
unless told) and the result format (``fmt``, else the extension of ``output``, else
``table``). What a reader should know about the store (:func:`open_for_queries`) goes
to ``on_note`` before the query runs.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from kg.errors import ConfigError
from kg.sparql.deadline import DEFAULT_TIMEOUT
from kg.sparql.endpoint import Remote, run_remote_query
from kg.sparql.params import parse_params
from kg.sparql.queries import load_request
from kg.sparql.query import open_store, stream_query
from kg.sparql.remote import DEFAULT_RETRIES
from kg.sparql.results import RESULT_FORMATS, QueryResult, ResultStream
from kg.sparql.safety import is_update, query_form
from kg.sparql.stats import has_statistics
from kg.store.evalstore import EvalStore
from kg.store.health import OnNote, holds_graphs, notes

__all__ = ["DEFAULT_TIMEOUT", "Asked", "ask", "open_for_queries", "result_format"]

#: Says why a query found nothing: ``(store, parameters) → hints``
#: (:func:`kg.networks.hints.unknown_names`).
Explain = Callable[[EvalStore, Mapping[str, str]], Iterable[str]]

NO_STATISTICS = (
    "this store has no statistics graph of this evalkg (it was built by an earlier evalkg, "
    "or changed since without a recount), so 'evalkg stats' and the queries stats, "
    "top-organizations, bridging-organizations, organization-partners and "
    "organization-profile count nothing or less. Run 'evalkg build' on the store again: it "
    "counts them."
)


@dataclass
class Asked:
    """A question's answer (rows as they come, or all of them from an endpoint) and the
    result format to write it in (:func:`kg.sparql.results.write_result`)."""

    answer: ResultStream | QueryResult
    fmt: str


def result_format(fmt: str | None, output: str | os.PathLike[str] | None) -> str:
    """``fmt``, else the result format the extension of ``output`` names (``.csv``,
    ``.json``…), else ``table``.

    >>> result_format(None, "chile.CSV"), result_format(None, "a.ttl"), result_format("md", None)
    ('csv', 'table', 'md')
    """
    if fmt is not None:
        return fmt
    suffix = "" if output is None else os.fspath(output).rpartition(".")[2].lower()
    return suffix if suffix in RESULT_FORMATS else "table"


def _check_graph_format(text: str, source: str, fmt: str | None, chosen: str) -> None:
    """Refuse a result format other than the table for a CONSTRUCT or DESCRIBE query: its
    graph is written as Turtle only."""
    form = query_form(text)
    if chosen != "table" and form in ("CONSTRUCT", "DESCRIBE"):
        how = "--format" if fmt else "-o's extension"
        raise ConfigError(
            f"a {form} query gives a graph, which is written as Turtle only; {chosen} "
            f"({how}) is for SELECT and ASK answers (leave --format out, or write -o "
            "FILE.ttl)",
            path=source,
        )


def statistics_note(store: EvalStore) -> str | None:
    """A note when ``store`` holds graphs but no statistics graph of this evalkg
    (:func:`kg.sparql.stats.has_statistics`): the queries that read it count nothing."""
    return NO_STATISTICS if holds_graphs(store) and not has_statistics(store) else None


@contextmanager
def open_for_queries(
    path: str | os.PathLike[str] | None = None,
    *,
    writable: bool = False,
    on_note: OnNote | None = None,
) -> Iterator[EvalStore]:
    """The store folder ``path`` (:func:`kg.sparql.query.open_store`), closed after the
    ``with`` block; a build that did not end and a missing statistics graph are said to
    ``on_note`` first."""
    with open_store(None if path is None else os.fspath(path), writable=writable) as store:
        if on_note is not None:
            for note in [*notes(store), statistics_note(store)]:
                if note is not None:
                    on_note(note)
        yield store


@contextmanager
def ask(
    query: str | None = None,
    *,
    expression: str | None = None,
    params: Mapping[str, str] | Iterable[str] = (),
    store: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    fmt: str | None = None,
    output: str | os.PathLike[str] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = None,
    retries: int = DEFAULT_RETRIES,
    allow_service: bool = False,
    allow_update: bool = False,
    on_note: OnNote | None = None,
    explain_empty: Explain | None = None,
) -> Iterator[Asked]:
    """Run the named query or ``.rq`` file ``query``, or the SPARQL text ``expression``,
    with ``params`` (a mapping, or ``NAME=VALUE`` pairs) bound, on the store folder
    ``store`` or, given its URL, on ``endpoint`` (credentials from the environment,
    :meth:`kg.sparql.endpoint.Remote.from_env`, ``retries`` of transient failures).

    The query stops after ``timeout`` seconds (``None`` or 0: no limit), reading its rows
    included; ``allow_service`` and ``allow_update`` are :func:`kg.sparql.query.run_query`'s
    (an update opens the store for writing). When a named SELECT query finds no row on
    the store, ``explain_empty(store, params)`` gives hints for ``on_note``. Raises
    :class:`kg.errors.QueryError` for a bad request, :class:`kg.errors.ConfigError` for a
    table format asked of a graph, before anything runs. Leaving the ``with`` block stops
    the query and closes the store.
    """
    given = dict(params) if isinstance(params, Mapping) else parse_params(params)
    text, source = load_request(query, expression, given)
    chosen = result_format(fmt, output)
    _check_graph_format(text, source, fmt, chosen)
    if endpoint is not None:
        remote = Remote.from_env(endpoint, timeout=timeout, retries=retries)
        found = run_remote_query(
            remote, text, source=source, limit=limit, allow_service=allow_service
        )
        yield Asked(found, chosen)
        return
    writable = allow_update and is_update(text)
    with open_for_queries(store, writable=writable, on_note=on_note) as opened:
        if expression is None:  # the same query, narrowed where the store's text index can
            text, source = load_request(query, None, given, opened)
        with stream_query(
            opened,
            text,
            source=source,
            timeout=timeout,
            limit=limit,
            allow_service=allow_service,
            allow_update=allow_update,
        ) as answer:
            if answer.kind == "select" and expression is None and explain_empty is not None:
                _explain(answer, opened, given, explain_empty, on_note)
            yield Asked(answer, chosen)


def _explain(
    answer: ResultStream,
    store: EvalStore,
    given: dict[str, str],
    explain: Explain,
    on_note: OnNote | None,
) -> None:
    """Read ahead the first row of ``answer``; when there is none, say ``explain``'s hints."""
    rows = iter(answer.rows)
    first = next(rows, None)
    if first is None:
        for hint in explain(store, given):
            if on_note is not None:
                on_note(hint)
    answer.rows = rows if first is None else itertools.chain([first], rows)
