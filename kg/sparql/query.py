"""Run SPARQL on a store: check what it may do, then run it with a deadline.

>>> import kg
>>> store = kg.EvalStore()
>>> run_query(store, "ASK { ?s ?p ?o }").boolean
False
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kg.errors import QueryError
from kg.sparql.deadline import QueryTimeout, collect, execute, stream
from kg.sparql.queries import with_prefixes
from kg.sparql.results import QueryResult, ResultStream
from kg.sparql.safety import check
from kg.sparql.stats import has_statistics, refresh
from kg.sparql.workers import WorkerPool
from kg.store.dataset import Dataset
from kg.store.evalstore import EvalStore

__all__ = ["collect", "open_store", "run_query", "stream_query"]


def open_store(path: str | None = None, *, writable: bool = False) -> EvalStore:
    """The store folder ``path`` (as :func:`kg.store.evalstore.store_path` finds it), read-only, or
    for writing when ``writable`` (it must exist already); close it after use
    (``with open_store(path) as store: …``)."""
    store = EvalStore.open(path)
    if not writable or store.path is None:
        return store
    folder = store.path
    store.close()  # the read-only handle closes before the writer opens
    return EvalStore.create(folder)


def run_query(
    store: EvalStore,
    sparql: str,
    *,
    source: str = "<query>",
    timeout: float | None = None,
    limit: int | None = None,
    allow_service: bool = False,
    allow_update: bool = False,
    dataset: Dataset | None = None,
    workers: WorkerPool | None = None,
) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query (or, with ``allow_update``, an
    update) on the store: a query without ``FROM`` runs on the union of the store's graphs
    (each triple is in one graph), named graphs available to ``GRAPH``; given a
    ``dataset`` (:mod:`kg.store.dataset`, the SPARQL Protocol's), on that dataset,
    whatever the query's ``FROM``.

    Refused with :class:`kg.sparql.safety.QueryRefused` before it runs: ``SERVICE``, ``LOAD`` and
    ``FROM`` of graphs the store does not hold, a ``dataset`` of such graphs (unless
    ``allow_service``), updates (unless ``allow_update``). Stopped with
    :class:`kg.sparql.deadline.QueryTimeout` after ``timeout`` seconds (``None`` or 0: no
    deadline; see :mod:`kg.sparql.deadline` for what stopping means on an in-memory
    store). At most ``limit`` rows. The prefixes of
    :data:`kg.vocab.PREFIXES` the text uses without declaring them are declared for it
    (:func:`kg.sparql.queries.with_prefixes`; the check reads the text that runs). Parameters
    are bound beforehand with :func:`kg.sparql.queries.bind`. Raises :class:`kg.errors.QueryError`
    naming ``source`` for a malformed query. After an update, a store that had a
    statistics graph has it counted again (:func:`_update`). ``workers``: started worker
    processes of the store to run a query with a deadline (a server's,
    :class:`kg.sparql.workers.WorkerPool`); without them, one is started for the query.
    """
    sparql = with_prefixes(sparql, source=source)
    kind = _checked(store, sparql, source, allow_service, allow_update, dataset)
    if kind == "update":
        return _update(store, sparql, timeout=timeout, source=source)
    return execute(
        store,
        sparql,
        kind=kind,
        timeout=timeout,
        limit=limit,
        source=source,
        dataset=dataset,
        workers=workers,
    )


@contextmanager
def stream_query(
    store: EvalStore,
    sparql: str,
    *,
    source: str = "<query>",
    timeout: float | None = None,
    limit: int | None = None,
    allow_service: bool = False,
    allow_update: bool = False,
    dataset: Dataset | None = None,
    workers: WorkerPool | None = None,
) -> Iterator[ResultStream]:
    r"""As :func:`run_query`, the answer as a :class:`~kg.sparql.results.ResultStream` whose rows
    come as the query gives them, to write an answer of any size in bounded memory
    (:func:`kg.sparql.results.write_result`). The deadline covers reading the rows: past it,
    the next row raises :class:`kg.sparql.deadline.QueryTimeout`. Leaving the ``with`` block
    stops the query.

    >>> from kg.sparql.results import write_result
    >>> import io
    >>> out = io.BytesIO()
    >>> with stream_query(EvalStore(), "SELECT ?n { VALUES ?n { 1 2 } }") as answer:
    ...     write_result(answer, out, fmt="csv")
    >>> out.getvalue()
    b'n\r\n1\r\n2\r\n'
    """
    sparql = with_prefixes(sparql, source=source)
    kind = _checked(store, sparql, source, allow_service, allow_update, dataset)
    if kind == "update":
        yield _update(store, sparql, timeout=timeout, source=source).stream()
        return
    with stream(
        store,
        sparql,
        kind=kind,
        timeout=timeout,
        limit=limit,
        source=source,
        dataset=dataset,
        workers=workers,
    ) as answer:
        yield answer


def _checked(
    store: EvalStore,
    sparql: str,
    source: str,
    allow_service: bool,
    allow_update: bool,
    dataset: Dataset | None,
) -> str:
    """``query`` or ``update`` when the request may run (:func:`kg.sparql.safety.check`,
    the store's graphs as those it may name); a ``dataset`` is a query's only."""
    kind = check(
        sparql,
        graphs=_GraphNames(store),
        dataset=() if dataset is None else dataset.clauses(),
        allow_service=allow_service,
        allow_update=allow_update,
        source=source,
    )
    if kind == "update" and dataset is not None:
        raise QueryError(
            "a dataset of default-graph-uri / named-graph-uri is a query's; an update "
            "names its graphs with USING and WITH",
            path=source,
        )
    return kind


def _update(store: EvalStore, sparql: str, *, timeout: float | None, source: str) -> QueryResult:
    """Run an update; the statistics graph, if the store has one, is dropped first
    (:meth:`EvalStore.changed`) and counted again after (:func:`kg.sparql.stats.refresh`, not
    under the deadline), also after an update that failed (Oxigraph applied none of it),
    but not after one stopped at its deadline: it may still be running (in memory) or be
    killed with the process, and a store without counts says so where stale counts
    would not."""
    counted = has_statistics(store)
    try:
        result = execute(store, sparql, kind="update", timeout=timeout, source=source)
    except QueryTimeout:
        raise
    except BaseException:
        if counted:
            refresh(store)
        raise
    if counted:
        refresh(store)
    return result


class _GraphNames:
    """The store's named graphs as a container, asked one IRI at a time."""

    def __init__(self, store: EvalStore) -> None:
        self.store = store

    def __contains__(self, iri: object) -> bool:
        return self.store.has_graph(str(iri))

    def __iter__(self) -> Iterator[str]:
        return self.store.graph_names()

    def __len__(self) -> int:
        return sum(1 for _ in self.store.graph_names())
