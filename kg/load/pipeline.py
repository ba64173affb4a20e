"""Records to N-Quads, in worker processes when a build is big enough.

Reading and mapping a record (its text recognition above all) is most of a build's work,
and it depends on the record alone, so batches of files go to ``workers`` processes and
come back, in input order, as N-Quads text that the store's bulk loader parses natively,
with the lesson's row of the lesson index (:mod:`kg.store.lessonindex`).
The result does not depend on the number of workers.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.ingest.reader import Rejected, read_file
from kg.ingest.record import Record
from kg.store.lessonindex import LessonRow, lesson_row

#: Files per task sent to a worker.
CHUNK = 16
#: Below this many files, a build maps in its own process (starting workers costs more).
MIN_FILES_FOR_WORKERS = 4 * CHUNK


@dataclass(slots=True)
class MappedRecord:
    """One record mapped: its named graph and, unless it was skipped as unchanged, its own
    triples as N-Quads in that graph and its shared triples (see :mod:`kg.store.shared`) as
    N-Triples lines without the final `` .``."""

    where: str
    source: str
    line: int | None
    graph: str
    sha256: str
    warnings: list[str] = field(default_factory=list)
    unknown_keys: list[str] = field(default_factory=list)
    nquads: bytes | None = None
    shared: list[bytes] = field(default_factory=list)
    row: LessonRow | None = None  # the finding's row of the lesson index
    kind: str = "lesson"  # the record type (kg.ingest.record.RECORD_TYPES)
    #: Which of two copies of one record wins (the greater): a complete page, then more
    #: text, then the dash layout (it keeps line breaks), then the earlier file name.
    rank: tuple[bool, int, bool, str] = (False, 0, False, "")
    #: The evaluation number and title the record gives (checked across records).
    eval_number: str | None = None
    title: str | None = None

    def triples(self) -> list[tuple[Any, Any, Any]]:
        """The record's triples, parsed back from :attr:`nquads`."""
        import pyoxigraph as ox

        if self.nquads is None:
            return []
        graph = ox.NamedNode(self.graph)
        return [
            q.triple
            for q in ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS)
            if q.graph_name == graph
        ]


@dataclass(frozen=True, slots=True)
class Job:
    """What every worker needs: where IRIs go, the read time, the mapping version, and
    the ``(sha256, mapping version)`` of each graph already in the store (records whose
    digest matches are not mapped again)."""

    base_iri: str
    read_time: str
    version: str
    known: dict[str, tuple[str, str]]


class RecordMapper:
    """Reads files and maps their records to :class:`MappedRecord` (one per process)."""

    def __init__(self, job: Job) -> None:
        from kg.extract.recognize import Recognizer
        from kg.rdf.mapping import Mapper
        from kg.rdf.terms import ntriples_terms
        from kg.vocab import EK

        self.job = job
        terms = ntriples_terms()
        self.mapper = Mapper(
            base_iri=job.base_iri, read_time=job.read_time, terms=terms, recognizer=Recognizer()
        )
        version = terms.literal(job.version, None, None)
        self._version = (self.mapper.iri(EK + "mappingVersion"), version)

    def map_file(self, path: Path) -> list[MappedRecord | Rejected]:
        """Every record of ``path``, mapped, or the reason it was rejected."""
        from kg.errors import EvalkgError, RecordError

        out: list[MappedRecord | Rejected] = []
        for item in read_file(path):
            if isinstance(item, Rejected):
                out.append(item)
                continue
            try:
                out.append(self.map_record(item))
            except EvalkgError as exc:
                err = RecordError(exc.message, path=item.source, line=item.line, value=exc.value)
                out.append(Rejected(item.where, err))
        return out

    def map_record(self, record: Record, *, force: bool = False) -> MappedRecord:
        """``record`` mapped; not mapped (``nquads`` is ``None``) when the store already
        holds it with the same digest and mapping version, unless ``force``."""
        from kg.rdf.mapping import record_graph

        graph = record_graph(self.job.base_iri, record)
        result = MappedRecord(
            record.where,
            record.source,
            record.line,
            graph,
            record.sha256,
            unknown_keys=record.unknown_keys,
            kind=record.kind,
            rank=copy_rank(record),
            eval_number=record.eval_number,
            title=record.title,
        )
        if not force and self.job.known.get(graph) == (record.sha256, self.job.version):
            result.warnings = list(record.warnings)
            return result
        mapped = self.mapper.map(record)
        mapped.triples.append((mapped.graph, *self._version))
        result.warnings = list(record.warnings)
        result.nquads = to_nquads(mapped.graph, mapped.triples)
        result.shared = [f"{s} {p} {o}".encode() for s, p, o in mapped.shared]
        result.row = index_row(record, mapped)
        return result


def copy_rank(record: Record) -> tuple[bool, int, bool, str]:
    """See :attr:`MappedRecord.rank`; the file name counts down (inverted code points) so
    that the greater rank is the earlier name."""
    size = sum(len("".join(value.split())) for value in record.texts.values())
    inverted = "".join(chr(0x10FFFF - ord(c)) for c in record.where)
    return (not record.truncated, size, record.layout == "dash", inverted)


def index_row(record: Record, mapped: Any) -> LessonRow:
    """The lesson index row of ``record``, from its mapping (``kg.rdf.mapping.Mapped``, terms
    as N-Triples text): the text is a recommendation's own text, else the description,
    else the context; every text goes to the text index under the property that holds it
    in the graph."""
    from kg.ingest.record import TEXT_FIELDS
    from kg.rdf.mapping import field_property

    found = ((name, record.texts.get(name)) for name in TEXT_FIELDS)  # as kg.rdf.mapping maps
    texts = [(field_property(record.kind, name), v) for name, v in found if v is not None]
    first = (record.texts.get(name) for name in ("title", "description", "context"))
    return lesson_row(
        mapped.lesson,
        mapped.triples,
        mapped.shared,
        url=record.url,
        text=next((t for t in first if t is not None), None),
        title=record.title,
        texts=texts,
    )


def to_nquads(graph: str, triples: list[tuple[str, str, str]]) -> bytes:
    """``triples`` (terms as N-Triples text, see :func:`kg.rdf.terms.ntriples_terms`) as
    N-Quads in ``graph``."""
    if not triples:
        return b""
    in_graph = f" {graph} .\n"
    return (in_graph.join(f"{s} {p} {o}" for s, p, o in triples) + in_graph).encode("utf-8")


_WORKER: RecordMapper | None = None


def _start_worker(job: Job) -> None:
    global _WORKER
    _WORKER = RecordMapper(job)


def _map_chunk(paths: list[Path]) -> list[list[MappedRecord | Rejected]]:
    if _WORKER is None:  # pragma: no cover - the pool's initializer sets it
        raise RuntimeError("worker not started")
    return [_WORKER.map_file(path) for path in paths]


def default_workers() -> int:
    """One less than the CPUs this process may use, at least 1: the build's own process
    loads the store (Oxigraph's loader runs in threads of its own), so on two CPUs it
    maps too, which measured faster than handing records to one worker process."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus - 1)


def map_files(
    files: list[Path], job: Job, *, workers: int | None = None
) -> Iterator[list[MappedRecord | Rejected]]:
    """The records of each file, in the order of ``files``, mapped by ``workers``
    processes (default: :func:`default_workers`; 1 maps here, as do small builds)."""
    count = default_workers() if workers is None else max(1, workers)
    if count == 1 or len(files) < MIN_FILES_FOR_WORKERS:
        local = RecordMapper(job)
        for path in files:
            yield local.map_file(path)
        return
    import multiprocessing

    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    # fork where it is the default (Linux): no re-import, and a script that calls
    # build() needs no ``if __name__ == "__main__"`` guard. The children only map
    # records; they never touch the parent's store or its threads.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if sys.platform == "darwin":
        method = "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(count, initializer=_start_worker, initargs=(job,)) as pool:
        # a bounded window of tasks in flight: when loading is slower than mapping,
        # mapped records wait in the workers, not in this process's memory
        todo = iter(chunks)
        pending = deque(
            pool.apply_async(_map_chunk, (chunk,)) for chunk in itertools.islice(todo, 2 * count)
        )
        while pending:
            results = pending.popleft().get()
            following = next(todo, None)
            if following is not None:
                pending.append(pool.apply_async(_map_chunk, (following,)))
            yield from results
