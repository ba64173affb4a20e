"""The worker process of :mod:`kg.sparql.workers`: open a store folder read-only once, then
run the SPARQL queries it is sent, one after the other, writing each result as it comes.

It is run as a script (``python kg/sparql/_worker.py DB``), not as ``python -m kg…``, so
that it imports pyoxigraph only, not the kg package: it starts in a fraction of the time.

Input (stdin): one JSON request per line, ``{"sparql": "…", "limit": n | null, "union":
true | false, "dataset": {"default": [IRI…], "named": [IRI…]} | null}`` (union: the
default graph is the union of the graphs; dataset: the Protocol's, which overrides both
the union and the query's ``FROM``, :mod:`kg.store.dataset`). The worker ends at the end
of its input.

Output (stdout), for each request, in frames (a 4-byte big-endian length, then that many
bytes): the answer, in frames of at most 8 KiB as it is written: a first line
``select``, ``ask`` or ``graph``, then the SPARQL 1.1 TSV results, ``true``/``false`` or
N-Triples, row by row (the pipe holds a few kilobytes: the worker waits while the reader
is behind); an empty frame, the end of the answer; then one frame of JSON, the status:
``{}``, or ``{"kind": …, "message": …}`` for pyoxigraph's error, before or during the
rows (the rows written until then stand). Nothing else is written: a worker killed
half-way leaves a frame cut short or no status, never a status it did not mean.
"""

from __future__ import annotations

import io
import json
import os
import sys
from itertools import islice
from typing import Any, BinaryIO

#: What a frame's length is written in.
HEADER_BYTES = 4
#: The largest frame of an answer the worker writes (larger writes of pyoxigraph's are
#: one frame each).
FRAME_BYTES = 8192
#: pyoxigraph's errors: the query's, reported in the status; any other ends the worker.
ERRORS = (SyntaxError, RuntimeError, ValueError, OSError)


class Frames(io.RawIOBase):
    """A writable stream that writes each write as one frame on the file descriptor
    ``fd`` (whole: a pipe may take part of a write)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(data)
        if size:
            write_all(self.fd, size.to_bytes(HEADER_BYTES, "big") + bytes(data))
        return size


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def answer(
    store: Any,
    sparql: str,
    limit: int | None,
    out: BinaryIO,
    union: bool = True,
    dataset: dict[str, list[str]] | None = None,
) -> None:
    """Run ``sparql`` on the pyoxigraph ``store`` and write the result to ``out``,
    pyoxigraph's errors raised."""
    import pyoxigraph as ox

    if dataset is not None:  # as kg.store.dataset.Dataset.engine_options says
        default: list[Any] = [ox.NamedNode(iri) for iri in dataset["default"]]
        named: list[Any] = [ox.NamedNode(iri) for iri in dataset["named"]]
        result: Any = store.query(sparql, default_graph=default, named_graphs=named)
    else:  # the store's graphs hold each triple once; their union is the default graph
        result = store.query(sparql, use_default_graph_as_union=union)
    if isinstance(result, ox.QueryBoolean):
        out.write(b"ask\n" + (b"true" if bool(result) else b"false"))
    elif isinstance(result, ox.QueryTriples):
        out.write(b"graph\n")
        ox.serialize(islice(result, limit), output=out, format=ox.RdfFormat.N_TRIPLES)
    elif limit is None:
        # every row, written by pyoxigraph itself (36,084 rows of five terms at
        # 100,000 records: 1.03 s against 1.44 s cell by cell here; ad hoc, medians of 3)
        out.write(b"select\n")
        result.serialize(output=out, format=ox.QueryResultsFormat.TSV)
    else:
        names = [v.value for v in result.variables]
        out.write(b"select\n" + "\t".join("?" + name for name in names).encode("utf-8") + b"\n")
        for solution in islice(result, limit):
            cells = (solution[name] for name in names)
            line = "\t".join("" if cell is None else str(cell) for cell in cells) + "\n"
            out.write(line.encode("utf-8"))


def run(store: Any, request: dict[str, Any], fd: int) -> None:
    """Answer one request on the file descriptor ``fd``: the answer's frames, the end,
    the status."""
    out = io.BufferedWriter(Frames(fd), buffer_size=FRAME_BYTES)
    status: dict[str, str] = {}
    try:
        if isinstance(store, BaseException):  # the store did not open
            raise store
        arguments = (request["limit"], out, request["union"], request.get("dataset"))
        answer(store, request["sparql"], *arguments)
    except ERRORS as exc:
        kind = next(error for error in ERRORS if isinstance(exc, error))  # not a subclass
        status = {"kind": kind.__name__, "message": str(exc)}
    finally:
        out.flush()
    text = json.dumps(status).encode("utf-8")
    write_all(fd, bytes(HEADER_BYTES) + len(text).to_bytes(HEADER_BYTES, "big") + text)


def main(argv: list[str]) -> int:
    """Open the store folder ``argv[1]`` and answer the requests of stdin; the exit
    status."""
    import pyoxigraph as ox

    store: Any
    try:
        store = ox.Store.read_only(argv[1])
    except ERRORS as exc:  # said in the status of each request
        store = exc
    fd = sys.stdout.fileno()
    for line in sys.stdin.buffer:
        if line.strip():
            run(store, json.loads(line), fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
