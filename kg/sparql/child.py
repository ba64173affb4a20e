"""One query run by a worker process (:mod:`kg.sparql.workers`) with a deadline, and its
answer parsed as it comes: what :mod:`kg.sparql.deadline` runs for a store in a folder."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.sparql.results import ResultStream
from kg.sparql.safety import names_dataset
from kg.sparql.workers import Worker, WorkerPool
from kg.store.dataset import Dataset


class QueryTimeout(QueryError):
    """A query that did not finish before its deadline."""


def stopped(timeout: float, source: str, extra: str = "") -> QueryTimeout:
    return QueryTimeout(
        f"query stopped after {timeout:g} s (the timeout){extra}; give a longer --timeout, "
        "or --timeout 0 for none",
        path=source,
    )


def engine_error(kind: str, message: str, source: str) -> QueryError:
    """pyoxigraph's exception (by class name, as a worker reports it) as a QueryError."""
    if kind == "SyntaxError":
        return QueryError(f"SPARQL syntax error: {message}", path=source)
    if kind == "OSError":
        return QueryError(f"query failed: {message}", path=source)
    return QueryError(f"query cannot run: {message}", path=source)


class ChildQuery:
    """``sparql`` run by a worker of ``workers`` (a new worker of ``database`` without
    one), and its answer. A timer kills the worker at the deadline (a parser waiting on
    it then meets the end of the pipe), and the deadline is checked before each row is
    handed on, so it also stops a reader that is slow to take the rows. A row is handed
    on once the next one is parsed, or the answer has ended well: the last line of a
    killed worker may be cut short. Leaving the ``with`` block gives the worker back to
    the pool (ended unless its answer and status were read to the end)."""

    def __init__(
        self,
        database: Path,
        sparql: str,
        *,
        timeout: float,
        limit: int | None,
        source: str,
        dataset: Dataset | None = None,
        workers: WorkerPool | None = None,
    ) -> None:
        self.timeout, self.source, self.pool = timeout, source, workers
        self.deadline = time.monotonic() + timeout
        self.expired = False
        #: The answer and its status read whole: the worker may answer again.
        self.answered = False
        self.readers: list[Generator[Any, None, None]] = []
        request = {
            "sparql": sparql,
            "limit": limit,
            "union": not names_dataset(sparql),
            "dataset": None if dataset is None else dataset.as_json(),
        }
        self.worker = self._start(database, request)
        self.raw = self.worker.answer()
        self.output = io.BufferedReader(self.raw)
        self.timer = threading.Timer(timeout, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _start(self, database: Path, request: dict[str, Any]) -> Worker:
        """A worker that took the request (a pooled one that is gone is replaced)."""
        if self.pool is None:
            worker = Worker(database)
            worker.send(request)  # a worker gone at once: _ended() says why
            return worker
        worker = self.pool.take()
        while not worker.send(request):
            self.pool.give_back(worker)
            worker = self.pool.take()
        return worker

    def __enter__(self) -> ChildQuery:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the timer; close the answer's rows, so that pyoxigraph's parser is freed
        in this thread (one the garbage collector frees in another thread is refused by
        pyoxigraph, and leaks); give the worker back (see the class's notes)."""
        self.timer.cancel()
        for rows in self.readers:
            rows.close()
        if not self.answered:
            self.worker.kill()  # its answer or status not read whole: it cannot answer again
        if self.pool is not None:
            self.pool.give_back(self.worker)
        else:
            self.worker.close()

    def _expire(self) -> None:
        self.expired = True
        self.worker.kill()

    def _check(self) -> None:
        """:class:`QueryTimeout` past the deadline."""
        if time.monotonic() >= self.deadline:
            self._expire()
        if self.expired:
            raise stopped(self.timeout, self.source)

    def _ended(self) -> None:
        """At the end of the answer: nothing if it ended well, else the worker's error,
        or the deadline's."""
        self.output.read()  # the rest of the answer, if the parser left any
        status = self.worker.status() if self.raw.ended else None
        self.answered = status is not None
        if self.expired:
            raise stopped(self.timeout, self.source)
        if status is None:
            self.worker.kill()
            failure = self.worker.failure()
            raise QueryError(f"query process failed ({failure})", path=self.source)
        if status:
            raise engine_error(status["kind"], status["message"], self.source)

    def answer(self) -> ResultStream:
        """The answer: its kind (the first line) read now, its rows as they come."""
        import pyoxigraph as ox

        kind = self.output.readline().strip()  # the timer ends a worker that keeps it waiting
        try:
            if kind == b"ask":
                boolean = self.output.read() == b"true"
                self._ended()
                return ResultStream("ask", boolean=boolean)
            if kind == b"graph":
                quads = ox.parse(self.output, format=ox.RdfFormat.N_TRIPLES)
                triples = self._reading(self._held(map(_triple, quads), "triples"))
                return ResultStream("graph", triples=triples)
            if kind == b"select":
                parsed = ox.parse_query_results(self.output, format=ox.QueryResultsFormat.TSV)
                if isinstance(parsed, ox.QuerySolutions):
                    variables = [v.value for v in parsed.variables]
                    rows = self._reading(self._held(map(tuple, parsed), "rows"))
                    return ResultStream("select", variables, rows)
        except SyntaxError:
            pass  # a header cut short
        self._ended()  # the worker's error, or the deadline
        raise QueryError(f"query process answered {kind!r}, not a result", path=self.source)

    def _reading(self, rows: Generator[Any, None, None]) -> Generator[Any, None, None]:
        self.readers.append(rows)
        return rows

    def _held(self, parsed: Iterable[Any], noun: str) -> Generator[Any, None, None]:
        """The rows (tuples of terms) or triples ``parsed``, each handed on once the next
        is parsed (the last once the answer has ended well); the deadline checked at
        each. pyoxigraph's parser is let go of at the end, however it ends (see
        :meth:`__exit__`)."""
        count, held, holding = 0, None, False
        clock, deadline = time.monotonic, self.deadline
        try:
            try:
                for item in parsed:
                    if clock() >= deadline or self.expired:
                        self._check()
                    if holding:
                        yield held
                        count += 1
                    held, holding = item, True
            except SyntaxError as exc:
                self._ended()  # a line cut short: the deadline, or the worker's error
                message = f"query process failed: its answer does not parse ({exc})"
                raise QueryError(message, path=self.source) from None
            self._ended()
        except QueryTimeout:
            if not count:
                raise
            extra = f" with {count:,} {noun} read, the answer incomplete"
            raise stopped(self.timeout, self.source, extra) from None
        finally:
            parsed = ()  # an error's traceback keeps this frame: not the parser
        if holding:
            yield held


def _triple(quad: Any) -> Any:
    return quad.triple
