"""Worker processes that run queries on a store folder (``kg/sparql/_worker.py``), and a
pool of them kept warm for a server.

A worker opens the store read-only when it starts and answers requests one after the
other, in frames (``_worker.py`` says how), so that the end of one answer is known
without the end of the process. :mod:`kg.sparql.deadline` kills a worker at a query's
deadline, which stops the work for real; a worker killed, or left half-way through an
answer, is never used again.

Starting a worker (Python, ``import pyoxigraph``, opening the store) costs tens of
milliseconds of a core (``benchmarks/bench_serve.py`` prints it), more than a small query
itself: the command line pays it once per query, a server keeps a :class:`WorkerPool` of
started workers. A pooled worker answers from the store as it was when the worker opened
it, as the server's own read-only store does.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import threading
from contextlib import suppress
from pathlib import Path
from typing import IO, Any, cast

#: The worker script.
SCRIPT = Path(__file__).resolve().parent / "_worker.py"
#: What a frame's length is written in (``_worker.py`` says the same).
HEADER_BYTES = 4
#: The largest status frame read (a pyoxigraph error message).
MAX_STATUS_BYTES = 1 << 20


class Worker:
    """One worker process of the store folder ``database``."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        try:
            self.process = subprocess.Popen(
                [sys.executable, str(SCRIPT), str(database)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
            )
        except BaseException:
            self.errors.close()
            raise
        self.stdin = cast(IO[bytes], self.process.stdin)  # stdin=PIPE: a file
        self.stdout = cast(IO[bytes], self.process.stdout)
        #: False once the worker was killed, or an answer was not read to its status.
        self.clean = True
        #: Started past the size of its pool: ended when it is given back.
        self.extra = False

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: dict[str, Any]) -> bool:
        """Send one request; False when the worker is gone."""
        try:
            self.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.stdin.flush()
        except OSError:
            self.clean = False
            return False
        return True

    def answer(self) -> FrameReader:
        """The answer to the request sent, as a raw stream that ends at its end."""
        return FrameReader(self.stdout)

    def status(self) -> dict[str, str] | None:
        """After the answer: the status frame (``{}``, or pyoxigraph's error), ``None``
        when the worker ended before it wrote it whole."""
        size = _read_header(self.stdout)
        if size is None or size > MAX_STATUS_BYTES:
            return None
        text = self.stdout.read(size)
        if len(text) < size:
            return None
        status: dict[str, str] = json.loads(text)
        return status

    def failure(self) -> str:
        """How a worker that ended by itself ended: its exit status and last line of
        standard error."""
        status = self.process.wait()
        self.errors.seek(0)
        lines = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        return f"status {status}: {lines[-1] if lines else 'no output'}"

    def kill(self) -> None:
        self.clean = False
        if self.process.poll() is None:
            with suppress(OSError):  # it ended meanwhile
                self.process.kill()

    def close(self) -> None:
        """End the worker (at the end of its input; killed if it is busy), and wait."""
        if not self.clean:
            self.kill()
        with suppress(OSError):
            self.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait()
        self.stdout.close()
        self.errors.close()


class FrameReader(io.RawIOBase):
    """The frames of one answer on ``pipe`` as one stream, which ends at the answer's end
    frame (``ended``), or where the pipe ends first (``broken``: the worker is gone)."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self.pipe, self.left = pipe, 0
        self.ended = self.broken = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.ended or self.broken:
            return 0
        if not self.left:
            size = _read_header(self.pipe)
            if size is None:
                self.broken = True
                return 0
            if not size:
                self.ended = True
                return 0
            self.left = size
        view = memoryview(buffer).cast("B")[: self.left]
        count = self.pipe.readinto(view)  # type: ignore[attr-defined]
        if not count:
            self.broken = True
            return 0
        self.left -= count
        return int(count)


def _read_header(pipe: IO[bytes]) -> int | None:
    head = pipe.read(HEADER_BYTES)
    return int.from_bytes(head, "big") if len(head) == HEADER_BYTES else None


class WorkerPool:
    """``size`` workers of the store folder ``database``, started at once: a caller takes
    one (:meth:`take`), runs one query, and gives it back (:meth:`give_back`: kept if it
    read the answer to its end, else ended and replaced by a new one). When every worker
    is taken, :meth:`take` starts an extra one, ended when it is given back. Safe to
    share between threads."""

    def __init__(self, database: Path, size: int) -> None:
        self.database, self.size = database, max(1, size)
        self.lock = threading.Lock()
        self.idle: list[Worker] = []
        self.busy: set[Worker] = set()
        self.closed = False
        for _ in range(self.size):
            self.idle.append(Worker(database))

    def take(self) -> Worker:
        """A started worker: an idle one, else a new one (an extra one when ``size`` are
        busy)."""
        with self.lock:
            if self.closed:
                raise RuntimeError("the worker pool is closed")
            while self.idle:
                worker = self.idle.pop()
                if worker.alive:
                    break
                worker.close()
            else:
                worker = Worker(self.database)
                worker.extra = len(self.busy) >= self.size
            self.busy.add(worker)
            return worker

    def give_back(self, worker: Worker) -> None:
        """Keep ``worker`` if it can answer again, else end it and start its replacement;
        an extra worker is ended."""
        with self.lock:
            self.busy.discard(worker)
            if not (worker.extra or self.closed):
                if worker.clean and worker.alive:
                    self.idle.append(worker)
                    return
                self.idle.append(Worker(self.database))
        worker.close()

    def close(self) -> None:
        """End every worker (the busy ones killed)."""
        with self.lock:
            self.closed = True
            idle, busy = self.idle, list(self.busy)
            self.idle = []
        for worker in busy:  # its caller closes it when it gives it back
            worker.kill()
        for worker in idle:
            worker.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
