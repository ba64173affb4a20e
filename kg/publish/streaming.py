"""An answer as an HTTP body: the query runs, and its answer is written, in a thread of
its own, which hands the bytes to the server's event loop a chunk at a time.

The thread blocks while :data:`QUEUED` chunks wait for a slow client, so an answer of
any size takes bounded memory, and the query's deadline (:mod:`kg.sparql.deadline`)
stops a client that reads too slowly as it stops a slow query. The event loop never
waits on the thread: other clients are served meanwhile. A client that goes away stops
the thread at its next chunk (and the query with it).

The job says when its answer is about to be written (:meth:`Sink.ready`): an error
before that is the request's error (the server answers it with a status); one after it
cuts the body short, the only way HTTP has to say that an answer under way failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

#: Bytes gathered before they are handed on.
CHUNK = 64 * 1024
#: Chunks held for a client that reads slowly.
QUEUED = 8
#: How often a waiting thread looks whether the client went away (seconds).
POLL = 0.2


class ClientGone(Exception):
    """The client went away: the job stops where it is."""


class AnswerBroken(Exception):
    """The answer failed after its first bytes were sent (the body is cut short)."""


class Sink(io.RawIOBase):
    """The binary file a job writes its answer to."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue(QUEUED)
        self.stopped = threading.Event()
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self._hand(("data", bytes(self.buffer)))
            self.buffer.clear()
        return len(data)

    def ready(self) -> None:
        """The answer is about to be written: the request has succeeded so far."""
        self._hand(("ready", None))

    def finish(self) -> None:
        if self.buffer:
            self._hand(("data", bytes(self.buffer)))
            self.buffer.clear()
        self._hand(("end", None))

    def _hand(self, item: tuple[str, Any]) -> None:
        """Put ``item`` on the event loop's queue, waiting while it is full;
        :class:`ClientGone` once the client went away."""
        future = asyncio.run_coroutine_threadsafe(self.queue.put(item), self.loop)
        while True:
            if self.stopped.is_set():
                future.cancel()
                raise ClientGone
            try:
                future.result(timeout=POLL)
                return
            except FutureTimeout:
                continue


Job = Callable[[Sink], None]


def _run(job: Job, sink: Sink) -> None:
    try:
        job(sink)
        sink.finish()
    except ClientGone:
        pass
    except BaseException as exc:  # the job's error, told to the server as it is
        with contextlib.suppress(ClientGone):
            sink._hand(("error", exc))


async def start(job: Job) -> AsyncIterator[bytes]:
    """Run ``job`` in a thread; once it is :meth:`~Sink.ready`, the body it writes, chunk
    by chunk. Raises the job's error when it fails before."""
    sink = Sink(asyncio.get_running_loop())
    threading.Thread(target=_run, args=(job, sink), name="evalkg-answer", daemon=True).start()
    kind, value = await sink.queue.get()
    if kind == "error":
        sink.stopped.set()
        raise value
    return _body(sink) if kind == "ready" else _early(sink, kind, value)


async def _early(sink: Sink, kind: str, value: Any) -> AsyncIterator[bytes]:
    """A job that wrote without saying ready (or ended at once)."""
    if kind == "data":
        yield value
    if kind != "end":
        async for chunk in _body(sink):
            yield chunk


async def _body(sink: Sink) -> AsyncIterator[bytes]:
    try:
        while True:
            kind, value = await sink.queue.get()
            if kind == "data":
                yield value
            elif kind == "end":
                return
            elif kind == "error":
                raise AnswerBroken(f"the answer failed after it began: {value}") from value
    finally:
        sink.stopped.set()
