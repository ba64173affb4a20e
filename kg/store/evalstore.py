"""The embedded store: an Oxigraph database in a folder (or in memory).

Each record's own triples live in its named graph ``<base>record/<id>``; the triples
records share (descriptions of evaluations, themes, places, organizations…) live once in
``<base>graph/entities``, kept while some record states them (:mod:`kg.store.shared`); the
ontology and reference data have graphs of their own. No triple is in two graphs, so
SPARQL runs on their union as its default graph and sees each fact once, and
``GRAPH ?g`` tells where it came from. Beside the database, a store keeps the counts of
shared triples, the lesson index the network views read (:mod:`kg.store.lessonindex`) and
the journal of a build (:mod:`kg.store.journal`); :mod:`kg.store.folder` says where.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.iris import DEFAULT_BASE_IRI, check_base_iri
from kg.store.bulkload import bulk_load
from kg.store.dataset import Dataset
from kg.store.folder import (
    DATABASE,
    DEFAULT_STORE,
    FORMAT,
    LESSONS,
    SHARED,
    STORE_ENV,
    open_for_reading,
    open_for_writing,
    store_path,
)
from kg.store.journal import BuildJournal
from kg.store.lessonindex import LessonIndex, LessonRow
from kg.store.shared import SharedCounts
from kg.vocab import EK

__all__ = ["DEFAULT_STORE", "FORMAT", "STORE_ENV", "EvalStore", "store_path"]

_OPENING = threading.Lock()


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
        folder = Path(path)
        chosen, engine = open_for_writing(folder, base_iri)
        return cls(base_iri=chosen, _inner=engine, path=folder)

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> EvalStore:
        """Open an existing store folder read-only (``path`` as in :func:`store_path`)."""
        folder = store_path(path)
        base_iri, engine = open_for_reading(folder)
        return cls(base_iri=base_iri, _inner=engine, path=folder, read_only=True)

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
        """The pyoxigraph store behind this one, for the store layer (``kg/store/``) and
        tests: the other layers use the methods of this class
        (``tests/test_store_boundary.py``). :class:`StoreError` once closed."""
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
        return None if self.path is None else self.path / DATABASE

    # --- reading -------------------------------------------------------------------

    def __len__(self) -> int:
        """Number of triples (of the union of the graphs), counted by the SPARQL engine (a
        Python loop over the quads is 10x slower)."""
        rows: Any = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return next((int(row["n"].value) for row in rows), 0)

    def query(self, sparql: str, *, union: bool = True, dataset: Dataset | None = None) -> Any:
        """Run a SPARQL query, with the union of the graphs as its default graph unless
        ``union`` is false, or on ``dataset`` (:mod:`kg.store.dataset`: the Protocol's,
        over the query's ``FROM``); pyoxigraph's answer and errors (users' queries go
        through :func:`kg.sparql.query.run_query`)."""
        if dataset is not None:
            return self.inner.query(sparql, **dataset.engine_options())
        return self.inner.query(sparql, use_default_graph_as_union=union)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update as it is, pyoxigraph's errors raised. The lesson index and
        the statistics do not follow it: call :meth:`changed` first
        (:func:`kg.sparql.deadline.execute` does)."""
        self.inner.update(sparql)

    def graph_names(self) -> Iterator[str]:
        """The IRIs (or blank node ids) of the store's named graphs, read as they come."""
        return (str(name.value) for name in self.inner.named_graphs())

    def has_graph(self, graph: Any) -> bool:
        """Whether the store holds the named graph ``graph`` (a term, or an IRI as a
        string: ``False`` for a string that is not one)."""
        import pyoxigraph as ox

        if isinstance(graph, str):
            try:
                graph = ox.NamedNode(graph)
            except ValueError:
                return False
        return bool(self.inner.contains_named_graph(graph))

    def quads(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph: Any = None
    ) -> Iterator[Any]:
        """The quads that have these terms (``None``: any; ``graph`` ``None``: in any graph,
        the default one included), read as they come."""
        return iter(self.inner.quads_for_pattern(subject, predicate, object, graph))

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
            self._shared = SharedCounts(None if self.path is None else self.path / SHARED)
        return self._shared

    @property
    def lesson_index(self) -> LessonIndex:
        """The lesson index the network views read (:mod:`kg.store.lessonindex`), opened
        once also when threads ask at once (a server's requests)."""
        with _OPENING:
            if self._lessons is None:
                self._live()
                where = None if self.path is None else self.path / LESSONS
                self._lessons = LessonIndex(where, read_only=self.read_only)
        return self._lessons

    def load_records(
        self, records: Iterable[tuple[str, bytes, list[bytes], LessonRow | None]]
    ) -> None:
        """Load records new to the store, fast: ``(graph IRI, its own triples as N-Quads
        in that graph, its shared triples as N-Triples lines without `` .``, its lesson
        index row)``; a record without a row leaves the lesson index incomplete.

        Shared triples already in the store are counted, not loaded again. The text goes
        to Oxigraph's bulk loader in batches (:func:`kg.store.bulkload.bulk_load`)."""
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

        bulk_load(self.inner, chunks(), before_batch=journal.sync)
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
