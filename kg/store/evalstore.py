"""The embedded store: an Oxigraph database in a folder (or in memory).

Each record's own triples live in its named graph ``<base>record/<id>``; the triples
records share (descriptions of evaluations, themes, places, organizations…) live once in
``<base>graph/entities``, kept while some record states them (:mod:`kg.store.shared`); the
ontology and reference data have graphs of their own. No triple is in two graphs, so
SPARQL runs on their union as its default graph and sees each fact once, and
``GRAPH ?g`` tells where it came from. The folder holds ``oxigraph/`` (the database),
``shared.sqlite`` (the counts of shared triples), ``lessons.sqlite`` (the lesson index
the network views read, :mod:`kg.store.lessonindex`), ``evalkg.json`` (the store format
and the base IRI it was built with) and, while a build runs or after one that did not
end, ``build.journal`` (:mod:`kg.store.journal`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.iris import DEFAULT_BASE_IRI, check_base_iri
from kg.store.journal import BuildJournal
from kg.store.lessonindex import LessonIndex, LessonRow
from kg.store.shared import SharedCounts
from kg.vocab import EK

DEFAULT_STORE = "evalkg-data"
STORE_ENV = "EVALKG_STORE"
_META = "evalkg.json"
_DB = "oxigraph"
_SHARED = "shared.sqlite"
_LESSONS = "lessons.sqlite"
#: The layout of the store folder; a store of another format must be built anew.
FORMAT = 2
#: Bytes of N-Quads per call of Oxigraph's bulk loader (about 700,000 quads: one batch of its
#: own; measured on 10,000 records, 25 % less CPU than 64 MB for 400 MB more memory).
BATCH_BYTES = 128_000_000


def store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: ``path``, else ``$EVALKG_STORE``, else ``./evalkg-data``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


class EvalStore:
    """An evalkg store. ``EvalStore()`` is in memory; ``EvalStore.open(folder)`` reads an
    existing folder; ``EvalStore.create(folder)`` opens one for writing (made if missing).
    A context manager: leaving the ``with`` block closes it (:meth:`close`).

    >>> with EvalStore() as store:
    ...     len(store)
    0
    >>> store.closed
    True
    """

    def __init__(
        self,
        *,
        base_iri: str = DEFAULT_BASE_IRI,
        _inner: Any = None,
        path: Path | None = None,
        read_only: bool = False,
    ) -> None:
        import pyoxigraph as ox

        self.base_iri = check_base_iri(base_iri)
        self._inner: Any = _inner if _inner is not None else ox.Store()
        self.path = path
        self.read_only = read_only
        self.entities = ox.NamedNode(self.base_iri + "graph/entities")
        #: The counts derived from the other graphs (:mod:`kg.sparql.stats`); any change made
        #: through this class removes them until :func:`kg.sparql.stats.refresh` counts again.
        self.statistics = ox.NamedNode(self.base_iri + "graph/statistics")
        self._shared: SharedCounts | None = None
        self._lessons: LessonIndex | None = None
        #: The record graphs a build is writing (:mod:`kg.store.journal`).
        self.journal = BuildJournal(None if read_only else path)

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, base_iri: str | None = None) -> EvalStore:
        """Open the store folder ``path`` for writing, creating it if needed.

        A store keeps the base IRI it was first built with; asking for another one is an
        error (the IRIs would not match)."""
        import pyoxigraph as ox

        folder = Path(path)
        meta = _read_meta(folder)
        if meta is None:
            if folder.exists() and any(folder.iterdir()):
                raise StoreError("folder exists and is not an evalkg store", path=str(folder))
            chosen = check_base_iri(base_iri or DEFAULT_BASE_IRI)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / _META).write_text(
                json.dumps({"format": FORMAT, "base_iri": chosen}, indent=2) + "\n",
                encoding="utf-8",
            )
        else:
            chosen = meta["base_iri"]
            if base_iri is not None and check_base_iri(base_iri) != chosen:
                raise StoreError(
                    f"store was built with base IRI {chosen}; rebuild into a new store to "
                    "change it",
                    path=str(folder),
                    value=base_iri,
                )
        try:
            inner = ox.Store(str(folder / _DB))
        except OSError as exc:
            raise StoreError(f"cannot open store for writing ({exc})", path=str(folder)) from None
        return cls(base_iri=chosen, _inner=inner, path=folder)

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> EvalStore:
        """Open an existing store folder read-only (``path`` as in :func:`store_path`)."""
        import pyoxigraph as ox

        folder = store_path(path)
        meta = _read_meta(folder)
        if meta is None:
            raise StoreError(
                "no evalkg store here; run 'evalkg build PATH' first (or pass --store)",
                path=str(folder),
            )
        try:
            inner = ox.Store.read_only(str(folder / _DB))
        except OSError as exc:
            raise StoreError(f"cannot open store ({exc})", path=str(folder)) from None
        return cls(base_iri=meta["base_iri"], _inner=inner, path=folder, read_only=True)

    def __enter__(self) -> EvalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store: its SQLite files (shared counts, lesson index; what was not
        committed is not written), its journal, and its reference to the Oxigraph
        database, which releases the folder's lock so that it can be opened for writing
        again. Using a closed store raises :class:`StoreError`; closing it again does
        nothing."""
        for part in (self._shared, self._lessons):
            if part is not None:
                part.close()
        self._shared, self._lessons = None, None
        self.journal.close()
        self._inner = None

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._inner is None

    @property
    def inner(self) -> Any:
        """The pyoxigraph store behind this one; :class:`StoreError` once closed."""
        return self._live()

    @inner.setter
    def inner(self, engine: Any) -> None:  # tests put a failing engine in
        self._inner = engine

    def _live(self) -> Any:
        if self._inner is None:
            where = "<memory>" if self.path is None else str(self.path)
            raise StoreError("the store was closed; open it again to use it", path=where)
        return self._inner

    @property
    def build_interrupted(self) -> bool:
        """Whether the last build of this store folder did not end (:mod:`kg.store.journal`): the
        next build repairs it; until then records it was writing may be missing."""
        return self.path is not None and (self.path / BuildJournal.NAME).exists()

    @property
    def database(self) -> Path | None:
        """The Oxigraph database folder inside the store folder (``None`` in memory)."""
        return None if self.path is None else self.path / _DB

    # --- reading -------------------------------------------------------------------

    def __len__(self) -> int:
        """Number of triples (of the union of the graphs), counted by the SPARQL engine (a
        Python loop over the quads is 10x slower)."""
        rows: Any = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return next((int(row["n"].value) for row in rows), 0)

    def query(self, sparql: str) -> Any:
        """Run a SPARQL query with the union of the graphs as its default graph (for
        evalkg's own queries; users' go through :func:`kg.sparql.query.run_query`)."""
        return self.inner.query(sparql, use_default_graph_as_union=True)

    def graph_digest(self, graph: Any) -> tuple[str, str] | None:
        """The ``ek:sha256`` and ``ek:mappingVersion`` a named graph records about
        itself, or ``None`` when the store does not have that graph."""
        import pyoxigraph as ox

        found = []
        for name in ("sha256", "mappingVersion"):
            values = self.inner.quads_for_pattern(graph, ox.NamedNode(EK + name), None, graph)
            found.append(next((str(getattr(q.object, "value", "")) for q in values), ""))
        return (found[0], found[1]) if found[0] else None

    def graph_digests(self) -> dict[str, tuple[str, str]]:
        """``{graph IRI: (sha256, mapping version)}`` for every named graph that records
        them (one query; see :meth:`graph_digest`)."""
        rows: Any = self.inner.query(
            "PREFIX ek: <" + EK + "> SELECT ?g ?sha ?version "
            "WHERE { GRAPH ?g { ?g ek:sha256 ?sha ; ek:mappingVersion ?version } }"
        )
        return {row["g"].value: (row["sha"].value, row["version"].value) for row in rows}

    def iri(self, value: str) -> Any:
        """``value`` as an IRI term of the store."""
        import pyoxigraph as ox

        return ox.NamedNode(value)

    def named_quads(self) -> Iterator[Any]:
        """Every quad of the named graphs (evalkg writes nothing else; an update run
        with ``--allow-update`` may)."""
        import pyoxigraph as ox

        for quad in self.inner:
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def default_triples(self) -> Iterator[Any]:
        """The triples SPARQL sees by default: those of every graph, each once."""
        import pyoxigraph as ox

        default = ox.DefaultGraph()
        for quad in self.inner:
            if quad.graph_name == default:
                s, p, o = quad.triple
                same = self.inner.quads_for_pattern(s, p, o, None)
                if any(q.graph_name != default for q in same):
                    continue  # also in a named graph: given once, with it
            yield quad.triple

    # --- writing -------------------------------------------------------------------

    @property
    def shared(self) -> SharedCounts:
        """The counts of the shared triples (:mod:`kg.store.shared`)."""
        if self._shared is None:
            self._live()
            self._shared = SharedCounts(None if self.path is None else self.path / _SHARED)
        return self._shared

    @property
    def lesson_index(self) -> LessonIndex:
        """The lesson index the network views read (:mod:`kg.store.lessonindex`)."""
        if self._lessons is None:
            self._live()
            where = None if self.path is None else self.path / _LESSONS
            self._lessons = LessonIndex(where, read_only=self.read_only)
        return self._lessons

    def load_records(
        self, records: Iterable[tuple[str, bytes, list[bytes], LessonRow | None]]
    ) -> None:
        """Load records new to the store, fast: ``(graph IRI, its own triples as N-Quads
        in that graph, its shared triples as N-Triples lines without `` .``, its lesson
        index row)``; a record without a row leaves the lesson index incomplete.

        Shared triples already in the store are counted, not loaded again. Text goes to
        Oxigraph's bulk loader in batches of about :data:`BATCH_BYTES`: given one long
        stream, the loader's memory grows with the stream, in batches it stays flat."""
        self.drop_statistics()
        shared, index = self.shared, self.lesson_index
        index.start(empty_store=not self._has_records())
        complete = index.complete
        index.invalidate("build")  # until every row is written
        tail = f" {self.entities} .\n".encode()
        journal = self.journal

        def chunks() -> Iterator[bytes]:
            nonlocal complete
            for graph, nquads, lines, row in records:
                journal.pending(graph)  # on disk before its batch is loaded
                yield nquads
                new = shared.add(graph, lines)
                if new:
                    yield tail.join(new) + tail
                if row is None:
                    complete = False
                else:
                    index.add(graph, row)

        self._bulk_load(chunks(), before_batch=journal.sync)
        shared.commit()
        index.commit()
        if complete:
            index.mark_complete()

    def record_graphs(self) -> set[str]:
        """The IRIs of the store's record graphs (``<base>record/…``)."""
        prefix = self.base_iri + "record/"
        return {g.value for g in self.inner.named_graphs() if g.value.startswith(prefix)}

    def _has_records(self) -> bool:
        prefix = self.base_iri + "record/"
        return any(g.value.startswith(prefix) for g in self.inner.named_graphs())

    def replace_record(
        self,
        graph: Any,
        triples: Iterable[Any],
        shared: list[bytes],
        row: LessonRow | None = None,
    ) -> None:
        """Make the record graph ``graph`` hold exactly ``triples`` and the record state
        the shared triples ``shared`` (N-Triples lines without `` .``): those no other
        record states leave the store, new ones join it. ``row`` is its lesson index row
        (without one, a record that has triples leaves the index incomplete)."""
        import pyoxigraph as ox

        triples = list(triples)
        self.drop_statistics()
        self.journal.pending(graph.value)  # a build syncs its journal before replacing
        self._replace_graph(graph, triples)
        index = self.lesson_index
        index.start(empty_store=False)
        if row is None and triples:
            index.invalidate()
        index.replace(graph.value, row if triples else None)
        added, removed = self.shared.replace(graph.value, shared)
        for lines, change in ((removed, self.inner.remove), (added, self.inner.add)):
            if lines:
                data = b" .\n".join(lines) + b" .\n"
                for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                    change(ox.Quad(q.subject, q.predicate, q.object, self.entities))

    def _bulk_load(self, chunks: Iterable[bytes], *, before_batch: Any = None) -> None:
        """Feed ``chunks`` to the bulk loader in batches, loaded by a thread of their own
        (Oxigraph releases the GIL) while this one gathers the next batch; at most one
        batch waits, so memory stays at about three batches. ``before_batch()`` is called
        before a batch is handed over (the build syncs its journal)."""
        import queue
        import threading

        import pyoxigraph as ox

        batches: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        failed: list[BaseException] = []

        def load() -> None:
            while (data := batches.get()) is not None:
                if not failed:
                    try:
                        # lenient: the text was written by pyoxigraph from checked terms
                        self.inner.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
                    except BaseException as exc:  # re-raised in the caller's thread
                        failed.append(exc)

        loader = threading.Thread(target=load, name="evalkg-bulk-load", daemon=True)
        loader.start()
        try:
            batch: list[bytes] = []
            size = 0
            for chunk in chunks:
                if failed:
                    break
                batch.append(chunk)
                size += len(chunk)
                if size >= BATCH_BYTES:
                    if before_batch is not None:
                        before_batch()
                    batches.put(b"".join(batch))
                    batch, size = [], 0
            if batch and not failed:
                if before_batch is not None:
                    before_batch()
                batches.put(b"".join(batch))
        finally:
            batches.put(None)
            loader.join()
        if failed:
            raise failed[0]

    def replace_graph(self, graph: Any, triples: Iterable[Any]) -> None:
        """Make the named graph ``graph`` hold exactly ``triples`` (``(s, p, o)``). For a
        record's graph, :meth:`replace_record` keeps the lesson index; this does not."""
        if str(graph.value).startswith(self.base_iri + "record/"):
            self.changed()
        elif graph != self.statistics:
            self.drop_statistics()
        self._replace_graph(graph, triples)

    def changed(self) -> None:
        """The store was changed by other means than records (a SPARQL update): the
        lesson index no longer follows it, nor do the statistics (removed)."""
        if not self.read_only:
            self.lesson_index.invalidate()
            self.drop_statistics()

    def drop_statistics(self) -> None:
        """Remove the statistics graph (:mod:`kg.sparql.stats`), before a change: a change that
        is not followed by a recount then leaves no counts rather than stale ones."""
        if not self.read_only and self.inner.contains_named_graph(self.statistics):
            self.inner.remove_graph(self.statistics)

    def add_statistics(self, triples: Iterable[Any], *, bulk: bool = False) -> None:
        """Add ``triples`` (``(s, p, o)``) to the statistics graph
        (:func:`kg.sparql.stats.refresh`),
        in one transaction, or with ``bulk`` through the bulk loader (faster and smaller,
        not atomic: ``refresh`` writes its time stamp last)."""
        import pyoxigraph as ox

        quads = (ox.Quad(s, p, o, self.statistics) for s, p, o in triples)
        if bulk:
            self.inner.bulk_extend(quads)
        else:
            self.inner.extend(quads)

    def _replace_graph(self, graph: Any, triples: Iterable[Any]) -> None:
        import pyoxigraph as ox

        if self.inner.contains_named_graph(graph):
            self.inner.remove_graph(graph)
        self.inner.extend(ox.Quad(s, p, o, graph) for s, p, o in triples)

    def flush(self) -> None:
        """Write buffered data to disk (no-op in memory)."""
        if self.path is not None:
            self.inner.flush()

    def compact(self) -> None:
        """Merge the database's files (Oxigraph's ``optimize``): after a bulk load,
        queries are 2-4x faster once done (``benchmarks/bench_build.py``, 20,000 and
        100,000 records, where it took 13 s and 151 s). No-op in memory."""
        if self.path is not None:
            self.inner.optimize()


def _read_meta(folder: Path) -> dict[str, Any] | None:
    meta = folder / _META
    if not meta.is_file():
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"unreadable store metadata ({exc})", path=str(meta)) from None
    if not isinstance(data, dict) or "base_iri" not in data:
        raise StoreError("store metadata has no base_iri", path=str(meta))
    if data.get("format") != FORMAT:
        raise StoreError(
            f"store has format {data.get('format')!r}, this evalkg reads format {FORMAT}; "
            "build it again into a new folder",
            path=str(folder),
        )
    return data
