"""Run a SPARQL request with a deadline.

pyoxigraph has no timeout and cannot cancel a running query, so:

- on a store in a folder, the query runs in a child process (``kg/sparql/_worker.py``, which
  imports pyoxigraph only) that opens the store read-only and sends its result back; at
  the deadline the child is killed, which stops the work for real;
- on an in-memory store (the Python API only; the command line always has a folder) the
  query runs in a thread and the caller stops *waiting* at the deadline: the thread
  cannot be stopped and runs on until the query ends, using a core;
- an update runs in a thread too (a child cannot open a store the caller holds for
  writing); Oxigraph applies an update in one transaction, so a process that exits at
  the deadline (the command line does) leaves the store as it was.

A result crosses the process boundary as SPARQL 1.1 TSV results (CONSTRUCT: N-Triples),
through a pipe, as the child writes it: :func:`stream` gives the rows as they arrive (the
child waits while the pipe is full), so a caller writes an answer of any size in bounded
memory. The deadline covers reading the answer too: it is checked at every row, and a
timer kills the child at the deadline if the caller is waiting on it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

from kg.errors import QueryError
from kg.sparql.results import QueryResult, ResultStream
from kg.sparql.safety import names_dataset
from kg.store.dataset import Dataset
from kg.store.evalstore import EvalStore

#: Seconds a query may run on the command line, and one exchange with a SPARQL server may
#: take (:class:`kg.sparql.remote.Remote`), unless ``--timeout`` says otherwise.
DEFAULT_TIMEOUT = 60.0
#: The child's exit status after it wrote a pyoxigraph error on its standard error
#: (``kg/sparql/_worker.py`` says the same).
ERROR_STATUS = 3


class QueryTimeout(QueryError):
    """A query that did not finish before its deadline."""


def execute(
    store: EvalStore,
    sparql: str,
    *,
    kind: str = "query",
    timeout: float | None = None,
    limit: int | None = None,
    source: str = "<query>",
    dataset: Dataset | None = None,
) -> QueryResult:
    """Run ``sparql`` (``kind`` ``query`` or ``update``) on ``store``, at most ``limit``
    rows, stopped after ``timeout`` seconds (``None`` or 0: no deadline) with
    :class:`QueryTimeout`; a query on ``dataset`` when given (:mod:`kg.store.dataset`).
    An update leaves the store's lesson index unused and drops its statistics graph
    (:meth:`EvalStore.changed`); counting them again is the caller's
    (:func:`kg.sparql.query.run_query` does)."""
    if kind == "update":
        return _update(store, sparql, timeout=timeout, source=source)
    if not timeout:
        return run_here(store, sparql, kind=kind, limit=limit, source=source, dataset=dataset)
    if kind == "query" and store.database is not None:
        with _Child(
            store.database, sparql, timeout=timeout, limit=limit, source=source, dataset=dataset
        ) as child:
            return child.answer().collect()
    return _in_thread(
        store, sparql, kind=kind, timeout=timeout, limit=limit, source=source, dataset=dataset
    )


@contextmanager
def stream(
    store: EvalStore,
    sparql: str,
    *,
    kind: str = "query",
    timeout: float | None = None,
    limit: int | None = None,
    source: str = "<query>",
    dataset: Dataset | None = None,
) -> Iterator[ResultStream]:
    """As :func:`execute`, the answer as a :class:`ResultStream` whose rows are read as
    they come, until ``timeout`` seconds after the call: reading them is part of the
    deadline. A query on a store in a folder streams from the child process, one
    without a deadline from the store itself; on an in-memory store with a deadline,
    and for an update, the whole answer is read first (see the module's notes). Leaving
    the ``with`` block stops the query, read to the end or not."""
    if kind == "query" and not timeout:
        yield lazily(store, sparql, limit=limit, source=source, dataset=dataset)
    elif kind == "query" and timeout and store.database is not None:
        with _Child(
            store.database, sparql, timeout=timeout, limit=limit, source=source, dataset=dataset
        ) as child:
            yield child.answer()
    else:
        whole = execute(
            store, sparql, kind=kind, timeout=timeout, limit=limit, source=source, dataset=dataset
        )
        yield whole.stream()


def _update(store: EvalStore, sparql: str, *, timeout: float | None, source: str) -> QueryResult:
    """An update; the store's lesson index and statistics graph are dropped first
    (:meth:`EvalStore.changed`)."""
    store.changed()  # drops the statistics
    if not timeout:
        return run_here(store, sparql, kind="update", source=source)
    return _in_thread(store, sparql, kind="update", timeout=timeout, limit=None, source=source)


def run_here(
    store: EvalStore,
    sparql: str,
    *,
    kind: str = "query",
    limit: int | None = None,
    source: str,
    dataset: Dataset | None = None,
) -> QueryResult:
    """Run on ``store`` in this thread, pyoxigraph's errors as :class:`QueryError`. A
    query that gives no dataset of its own (and is given none) runs on the union of
    the graphs."""
    try:
        if kind == "update":
            store.update(sparql)
            return QueryResult("update")
        union = not names_dataset(sparql)
        return collect(store.query(sparql, union=union, dataset=dataset), limit=limit)
    except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
        raise _error(type(exc).__name__, str(exc), source) from None


def lazily(
    store: EvalStore,
    sparql: str,
    *,
    limit: int | None = None,
    source: str,
    dataset: Dataset | None = None,
) -> ResultStream:
    """As :func:`run_here`, the rows read from the store as the caller takes them."""
    import pyoxigraph as ox

    try:
        answer = store.query(sparql, union=not names_dataset(sparql), dataset=dataset)
    except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
        raise _error(type(exc).__name__, str(exc), source) from None
    if isinstance(answer, ox.QueryBoolean):
        return ResultStream("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return ResultStream("graph", triples=_guarded(islice(answer, limit), source))
    variables = [v.value for v in answer.variables]
    rows = _guarded((tuple(s) for s in islice(answer, limit)), source)
    return ResultStream("select", variables=variables, rows=rows)


def _guarded(items: Iterable[Any], source: str) -> Iterator[Any]:
    """``items``, pyoxigraph's errors while they are read as :class:`QueryError`."""
    try:
        yield from items
    except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
        raise _error(type(exc).__name__, str(exc), source) from None


def _error(kind: str, message: str, source: str) -> QueryError:
    """pyoxigraph's exception (by class name, as the child reports it) as a QueryError."""
    if kind == "SyntaxError":
        return QueryError(f"SPARQL syntax error: {message}", path=source)
    if kind == "OSError":
        return QueryError(f"query failed: {message}", path=source)
    return QueryError(f"query cannot run: {message}", path=source)


def collect(answer: Any, *, limit: int | None = None) -> QueryResult:
    """A pyoxigraph query answer as a :class:`QueryResult` (at most ``limit`` rows or
    triples, read lazily: the rest is never computed)."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return QueryResult("graph", triples=list(islice(answer, limit)))
    variables = [v.value for v in answer.variables]
    # tuple(solution): the values in the variables' order, None where unbound (faster
    # than looking each variable up by name: 0.36 s against 0.45 s for 300,000 terms)
    rows = [tuple(solution) for solution in islice(answer, limit)]
    return QueryResult("select", variables=variables, rows=rows)


def _stopped(timeout: float, source: str, extra: str = "") -> QueryTimeout:
    return QueryTimeout(
        f"query stopped after {timeout:g} s (the timeout){extra}; give a longer --timeout, "
        "or --timeout 0 for none",
        path=source,
    )


def _in_thread(
    store: EvalStore,
    sparql: str,
    *,
    kind: str,
    timeout: float,
    limit: int | None,
    source: str,
    dataset: Dataset | None = None,
) -> QueryResult:
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = run_here(
                store, sparql, kind=kind, limit=limit, source=source, dataset=dataset
            )
        except QueryError as exc:
            box["error"] = exc

    worker = threading.Thread(target=work, name="evalkg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        extra = "; in memory it cannot be interrupted and ends in the background"
        raise _stopped(timeout, source, extra)
    if "error" in box:
        raise box["error"]
    result: QueryResult = box["result"]
    return result


class _Child:
    """The child process of one query (``kg/sparql/_worker.py``) and its answer, parsed from its
    standard output as it comes. A timer kills the child at the deadline (a parser
    waiting on it then meets the end of the pipe), and the deadline is checked before
    each row is handed on, so it also stops a reader that is slow to write the rows. A
    row is handed on once the next one is parsed, or the child has ended well: the last
    line of a killed child may be cut short. The child reports a failure on its
    standard error (a file: it never blocks) and exits with :data:`ERROR_STATUS`."""

    def __init__(
        self,
        database: Path,
        sparql: str,
        *,
        timeout: float,
        limit: int | None,
        source: str,
        dataset: Dataset | None = None,
    ) -> None:
        self.timeout, self.source = timeout, source
        self.deadline = time.monotonic() + timeout
        self.expired = False
        request = {
            "db": str(database),
            "sparql": sparql,
            "limit": limit,
            "union": not names_dataset(sparql),
            "dataset": None if dataset is None else dataset.as_json(),
        }
        worker = Path(__file__).resolve().parent / "_worker.py"
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        try:
            self.process = subprocess.Popen(
                [sys.executable, str(worker)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
            )
        except BaseException:
            self.errors.close()
            raise
        self.output = cast(IO[bytes], self.process.stdout)  # stdout=PIPE: a file
        self.timer = threading.Timer(timeout, self._expire)
        self.timer.daemon = True
        self.timer.start()
        pipe = self.process.stdin
        try:
            if pipe is not None:
                with pipe:
                    pipe.write(json.dumps(request).encode("utf-8"))
        except OSError:
            pass  # the child is gone (killed at the deadline, or failed): _ended() says which

    def __enter__(self) -> _Child:
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()
        self._kill()
        self.process.wait()
        self.output.close()
        self.errors.close()

    def _expire(self) -> None:
        self.expired = True
        self._kill()

    def _kill(self) -> None:
        if self.process.poll() is None:
            with suppress(OSError):  # it ended meanwhile
                self.process.kill()

    def _check(self) -> None:
        """:class:`QueryTimeout` past the deadline."""
        if time.monotonic() >= self.deadline:
            self._expire()
        if self.expired:
            raise _stopped(self.timeout, self.source)

    def _ended(self) -> None:
        """At the end of the output: nothing if the child exited well, else its error."""
        status = self.process.wait()
        if status == 0:
            return
        if self.expired:
            raise _stopped(self.timeout, self.source)
        self.errors.seek(0)
        lines = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        if status == ERROR_STATUS and lines:
            error = json.loads(lines[-1])
            raise _error(error["kind"], error["message"], self.source)
        detail = lines[-1] if lines else "no output"
        raise QueryError(f"query process failed (status {status}): {detail}", path=self.source)

    def answer(self) -> ResultStream:
        """The answer: its kind (the first line) read now, its rows as they come."""
        import pyoxigraph as ox

        kind = self.output.readline().strip()  # the timer ends a child that keeps it waiting
        try:
            if kind == b"ask":
                boolean = self.output.read() == b"true"
                self._ended()
                return ResultStream("ask", boolean=boolean)
            if kind == b"graph":
                quads = ox.parse(self.output, format=ox.RdfFormat.N_TRIPLES)
                return ResultStream("graph", triples=self._held(quads, "triples"))
            if kind == b"select":
                parsed = ox.parse_query_results(self.output, format=ox.QueryResultsFormat.TSV)
                if isinstance(parsed, ox.QuerySolutions):
                    variables = [v.value for v in parsed.variables]
                    return ResultStream("select", variables, self._held(parsed, "rows"))
        except SyntaxError:
            pass  # a header cut short
        self._ended()  # the child's error, or the deadline
        raise QueryError(f"query process answered {kind!r}, not a result", path=self.source)

    def _held(self, parsed: Iterable[Any], noun: str) -> Iterator[Any]:
        """The rows (tuples of terms) or triples of ``parsed``, each handed on once the
        next is parsed (the last once the child has ended well); the deadline checked at
        each."""
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
                    held, holding = (item.triple if noun == "triples" else tuple(item)), True
            except SyntaxError as exc:
                self._ended()  # a line cut short: the deadline, or the child's error
                message = f"query process failed: its answer does not parse ({exc})"
                raise QueryError(message, path=self.source) from None
            self._ended()
        except QueryTimeout:
            if not count:
                raise
            extra = f" with {count:,} {noun} read, the answer incomplete"
            raise _stopped(self.timeout, self.source, extra) from None
        if holding:
            yield held
