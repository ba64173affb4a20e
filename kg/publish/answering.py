"""Answer one SPARQL query over HTTP: run it on the store as ``evalkg query`` does
(:func:`kg.sparql.query.stream_query`: refused SERVICE, LOAD and updates, a worker
process with a deadline, one of the server's started ones) and write its answer in the
negotiated format, a row at a time.

:func:`query_job` is the job :func:`kg.publish.streaming.start` runs in a thread: it reads
the answer's first row before it says it is ready, so that a query that fails or times
out before its first row is answered with its status (:func:`status_of`), not with a
body cut short.
"""

from __future__ import annotations

import itertools
import re
import threading
from typing import IO, cast

from kg.errors import EvalkgError, QueryError
from kg.publish.protocol import ProtocolError
from kg.publish.streaming import Job, Sink
from kg.publish.xmlresults import write_xml
from kg.sparql.deadline import QueryTimeout
from kg.sparql.query import stream_query
from kg.sparql.results import ResultStream, write_result
from kg.sparql.safety import QueryRefused
from kg.sparql.workers import WorkerPool
from kg.store.dataset import Dataset
from kg.store.evalstore import EvalStore
from kg.vocab import PREFIXES

#: Graph format name (:data:`kg.publish.protocol.GRAPH_MEDIA`) → pyoxigraph's format name.
GRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}


def write_answer(answer: ResultStream, out: IO[bytes], fmt: str) -> None:
    """Write ``answer`` to ``out`` in ``fmt``: a results format of
    :data:`kg.publish.protocol.RESULT_MEDIA` for SELECT and ASK, a graph format of
    :data:`GRAPH_FORMATS` for CONSTRUCT and DESCRIBE."""
    if answer.kind == "graph":
        import pyoxigraph as ox

        rdf = getattr(ox.RdfFormat, GRAPH_FORMATS.get(fmt, "TURTLE"))
        prefixes = None if fmt == "nt" else PREFIXES
        ox.serialize(answer.triples, output=out, format=rdf, prefixes=prefixes)
    elif fmt == "xml":
        write_xml(answer, out)
    else:
        write_result(answer, out, fmt=fmt)


def read_ahead(answer: ResultStream) -> bool:
    """Read the first row (or triple) of ``answer`` now, so that a failure or the deadline
    before it is raised now; whether there is one (an ASK answer: whether it is true)."""
    if answer.kind == "select":
        rows = iter(answer.rows)
        first = list(itertools.islice(rows, 1))
        answer.rows = itertools.chain(first, rows)
        return bool(first)
    if answer.kind == "graph":
        triples = iter(answer.triples)
        head = list(itertools.islice(triples, 1))
        answer.triples = itertools.chain(head, triples)
        return bool(head)
    return bool(answer.boolean)


class Busy(EvalkgError):
    """Every query slot is taken, for longer than the query's deadline."""


class NotFound(EvalkgError):
    """A description that the store has nothing for."""


def query_job(
    store: EvalStore,
    text: str,
    *,
    fmt: str,
    timeout: float,
    source: str = "<request>",
    slots: threading.Semaphore | None = None,
    missing: str | None = None,
    dataset: Dataset | None = None,
    workers: WorkerPool | None = None,
) -> Job:
    """The job that answers ``text`` on ``store`` (on ``dataset``, the Protocol's, when
    given) in ``fmt`` within ``timeout`` seconds (waiting for one of ``slots``, the
    queries that may run at once, counts). With ``missing``, an empty answer is
    :class:`NotFound` with that message. ``workers``: the server's started worker
    processes (:class:`kg.sparql.workers.WorkerPool`)."""

    def job(sink: Sink) -> None:
        if slots is not None and not slots.acquire(timeout=timeout):
            raise Busy(f"every query slot stayed busy for {timeout:g} s; try again later")
        try:
            asked = stream_query(
                store, text, source=source, timeout=timeout, dataset=dataset, workers=workers
            )
            with asked as answer:
                if not read_ahead(answer) and missing is not None:
                    raise NotFound(missing)
                sink.ready()
                write_answer(answer, cast(IO[bytes], sink), fmt)
        finally:
            if slots is not None:
                slots.release()

    return job


#: Error class → HTTP status; the first that matches wins.
STATUSES: list[tuple[type[BaseException], int]] = [
    (ProtocolError, 400),
    (NotFound, 404),
    (QueryRefused, 403),
    (QueryTimeout, 503),
    (Busy, 503),
    (QueryError, 400),
    (EvalkgError, 500),
]


def status_of(error: BaseException) -> int:
    """The HTTP status of an error of a request (500 for one evalkg did not expect)."""
    if isinstance(error, ProtocolError):
        return error.status
    return next((status for kind, status in STATUSES if isinstance(error, kind)), 500)


def message_of(error: BaseException) -> str:
    """What the client reads: evalkg's message, or a line for an unexpected error."""
    if isinstance(error, QueryRefused):  # the server has no flag to allow it
        return re.sub(r"\(pass --allow-\w+ to allow it\)", "(this server refuses it)", str(error))
    if isinstance(error, EvalkgError):
        return str(error)
    return f"internal error ({type(error).__name__}); the server's log has the details"
