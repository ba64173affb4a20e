"""Build: read records, map them to RDF, and load them into a store.

New records are bulk-loaded; a record whose bytes changed replaces its named graph; a
record whose bytes did not change is left as it is, so building the same input twice
changes nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.clock import read_time
from kg.errors import RecordError, StoreError
from kg.extract.titles import conflicting_titles
from kg.ingest.reader import Rejected, iter_files, read_file, shown_path
from kg.ingest.record import Record
from kg.load.pipeline import Job, MappedRecord, RecordMapper, map_files
from kg.load.report import BuildReport as BuildReport  # kg.BuildReport, as before
from kg.rdf.mapping import Mapper
from kg.resources import ontology_file
from kg.sparql.stats import refresh as refresh_statistics
from kg.store.evalstore import EvalStore, store_path
from kg.store.journal import BuildJournal
from kg.store.lessonindex import LessonRow
from kg.store.recovery import rebuild_index, recover, settle_index
from kg.vocab import EK, PROV, RDF, XSD

#: Bumped whenever the mapping changes the triples it makes for the same record, so that
#: a rebuild refreshes records built by an older evalkg. 6: the kinds of evaluation titles
#: are the ontology's ("intermedia", "intermédiaire": interim; "autoevaluación": self).
MAPPING_VERSION = "6"
#: Reference files of ``ontology/`` loaded into the store, each into a graph of its own.
REFERENCE_FILES = ("evalkg.ttl", "regions.ttl", "actors.ttl", "ilo-units.ttl", "constituents.ttl")


def build(
    paths: Iterable[str | os.PathLike[str]],
    *,
    store: EvalStore,
    on_progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    compact: bool = True,
    on_compact: Callable[[], None] | None = None,
    on_count: Callable[[], None] | None = None,
    prune: bool = False,
) -> BuildReport:
    """Read every record below ``paths`` into ``store``; ``on_progress(done, total)`` is
    called after each file. Bad files are reported in the result, never raised. The
    report counts the records the store holds that this build did not read
    (``unseen``: their files are gone, or were not given); with ``prune`` they are
    removed, with their shared triples and index rows.

    Records are mapped in ``workers`` processes (default: one less than the CPUs; see
    :mod:`kg.load.pipeline`); the result is the same whatever their number. When the build
    wrote to a store folder and ``compact`` holds, the store is then compacted
    (:meth:`EvalStore.compact`; ``on_compact()`` is called first): the bulk loader leaves
    overlapping files that make queries 2-4x slower until they are merged. Last, the
    statistics graph is counted again (:func:`kg.sparql.stats.refresh`; ``on_count()`` is
    called first)."""
    started = time.perf_counter()
    report = BuildReport(store=str(store.path or "<memory>"))
    journal = store.journal
    recovered = recover(store, journal)
    if recovered is not None:
        report.recovered = recovered.describe()
    journal.begin()
    try:
        _write(paths, store, report, on_progress, workers)
        _unseen(store, report, prune=prune)
        journal.committed()
        changed = report.added or report.replaced or report.pruned or recovered
        _finish(
            store,
            report,
            compact=bool(compact and changed),
            on_compact=on_compact,
            on_count=on_count,
        )
    except BaseException as exc:
        journal.close()
        _roll_back(store, journal)
        if isinstance(exc, (OSError, sqlite3.Error)):
            where = getattr(exc, "filename", None) or str(store.path or "<memory>")
            raise StoreError(
                f"the build stopped ({exc}); the records it was writing were taken out of "
                "the store, the next build puts them in",
                path=where,
            ) from exc
        raise
    journal.end()
    report.seconds = time.perf_counter() - started
    return report


def _finish(
    store: EvalStore,
    report: BuildReport,
    *,
    compact: bool,
    on_compact: Callable[[], None] | None,
    on_count: Callable[[], None] | None,
) -> None:
    """Compact a store folder (when ``compact``; ``on_compact()`` first), settle the
    lesson index and count the statistics graph again (``on_count()`` first)."""
    if compact and store.path is not None:
        if on_compact is not None:
            on_compact()
        begun = time.perf_counter()
        store.compact()
        report.compact_seconds = time.perf_counter() - begun
    settle_index(store)
    if on_count is not None:
        on_count()
    begun = time.perf_counter()
    report.triples = refresh_statistics(store, now=report.now)
    report.count_seconds = time.perf_counter() - begun


def _write(
    paths: Iterable[str | os.PathLike[str]],
    store: EvalStore,
    report: BuildReport,
    on_progress: Callable[[int, int], None] | None,
    workers: int | None,
) -> None:
    """Read, map and load the records of ``paths`` (new ones in bulk, changed ones one by
    one), after the ontology and reference data."""
    skipped: list[Path] = []
    files = list(iter_files(paths, skipped=skipped))
    report.files = len(files)
    report.skipped = [shown_path(p) for p in skipped]
    store.drop_statistics()  # an interrupted build leaves no counts rather than stale ones
    load_reference(store)
    report.now = now = read_time()
    job = Job(store.base_iri, now, MAPPING_VERSION, store.graph_digests())
    later: list[MappedRecord] = []
    mapped = map_files(files, job, workers=workers)
    # the first file mapped now: the worker processes fork before the loader's thread starts
    first = next(mapped, None)
    results = mapped if first is None else itertools.chain([first], mapped)
    store.load_records(_new_graphs(results, job, report, later, len(files), on_progress))
    if later:
        for item in later:  # on disk, all at once, before the first is replaced
            store.journal.pending(item.graph)
        store.journal.sync()
        local = RecordMapper(job)
        for item in later:
            if item.nquads is None:  # skipped as unchanged, yet a later duplicate: map it
                item = local.map_record(_reread(item), force=True)
            store.replace_record(store.iri(item.graph), item.triples(), item.shared, item.row)
    store.flush()


def _unseen(store: EvalStore, report: BuildReport, *, prune: bool) -> None:
    """Count (and with ``prune`` remove) the record graphs this build did not read."""
    unseen = sorted(store.record_graphs() - report.graphs_seen)
    report.unseen = len(unseen)
    if prune:
        for graph in unseen:
            store.journal.pending(graph)
        store.journal.sync()
        for graph in unseen:
            store.replace_record(store.iri(graph), [], [], None)
        report.pruned = len(unseen)


def _roll_back(store: EvalStore, journal: BuildJournal) -> None:
    """After a failed build: take out the records it was writing and count again, so that
    the store is whole; when that fails too (a disk still full), the journal stays and the
    next build does it."""
    try:
        recover(store, journal)
        settle_index(store)
        refresh_statistics(store)
    except Exception:  # the first error is the one to report
        return
    journal.remove()


def _new_graphs(
    results: Iterable[list[MappedRecord | Rejected]],
    job: Job,
    report: BuildReport,
    later: list[MappedRecord],
    total: int,
    on_progress: Callable[[int, int], None] | None,
) -> Iterator[tuple[str, bytes, list[bytes], LessonRow | None]]:
    """The records new to the store, as :meth:`EvalStore.load_records` takes them; changed
    and repeated ones go to ``later``."""
    seen: dict[str, MappedRecord] = {}
    titles: list[tuple[str, str | None, str | None]] = []
    for done, items in enumerate(results, start=1):
        for item in items:
            if isinstance(item, Rejected):
                report.rejected.append(item)
                continue
            report.accepted += 1
            report.graphs_seen.add(item.graph)
            titles.append((item.where, item.eval_number, item.title))
            report.by_type[item.kind] = report.by_type.get(item.kind, 0) + 1
            report.warnings.extend(item.warnings)
            for key in item.unknown_keys:
                report.unknown_keys.setdefault(key, []).append(item.where)
            first = seen.get(item.graph)
            if first is not None:
                kept, other = (item, first) if item.rank > first.rank else (first, item)
                report.duplicates.append((kept.where, other.where))
                report.warnings.append(
                    f"{item.where}: the same {item.kind} as {first.where} (one address or one "
                    f"content); {kept.where} is kept (complete page first, then more text, "
                    "then the dash layout, then the first file name)"
                )
                if kept is item:
                    seen[item.graph] = item
                    if first in later:  # not loaded yet: the store may hold this copy
                        later.remove(first)
                        report.replaced -= 1
                        if job.known.get(item.graph) == (item.sha256, job.version):
                            report.unchanged += 1
                            continue
                    later.append(item)
                    report.replaced += 1
                continue
            seen[item.graph] = item
            stored = job.known.get(item.graph)
            if stored == (item.sha256, job.version):
                report.unchanged += 1
            elif stored is not None:
                later.append(item)
                report.replaced += 1
            elif item.nquads is not None:
                report.added += 1
                yield item.graph, item.nquads, item.shared, item.row
        if on_progress is not None:
            on_progress(done, total)
    report.warnings.extend(conflicting_titles(titles))


def _reread(item: MappedRecord) -> Record:
    """The record ``item`` was mapped from, read again from its file."""
    for record in read_file(item.source):
        if isinstance(record, Record) and record.line == item.line:
            return record
    raise RecordError("record vanished from its file during the build", path=item.where)


def reference_graphs(base_iri: str, now: str) -> Iterator[tuple[Any, str, list[Any]]]:
    """``(graph IRI, SHA-256, triples)`` of each reference graph, as pyoxigraph terms: the
    files of :data:`REFERENCE_FILES` (``<base>graph/<file stem>``) and every ISO country
    with its codes and names (``<base>graph/countries``, from pycountry). Each graph
    describes itself: source, SHA-256 of its source, mapping version, ``now``."""
    import pyoxigraph as ox

    from kg.extract.geo import all_countries

    sources = [(name, ontology_file(name).read_bytes()) for name in REFERENCE_FILES]
    mapper = Mapper(base_iri=base_iri, read_time=now)
    countries: list[Any] = []
    for country in all_countries():
        mapper.describe_country(country, lambda t: countries.append(ox.Triple(*t)))
    sources.append(("countries", ox.serialize(countries, format=ox.RdfFormat.N_TRIPLES) or b""))
    for name, data in sources:
        stem = name.removesuffix(".ttl")
        graph = ox.NamedNode(f"{base_iri}graph/{stem}")
        digest = hashlib.sha256(data).hexdigest()
        origin = f"ontology/{name}" if name.endswith(".ttl") else "pycountry"
        triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri)]
        triples += [
            ox.Triple(graph, ox.NamedNode(RDF + "type"), ox.NamedNode(EK + "ReferenceGraph")),
            ox.Triple(graph, ox.NamedNode(EK + "sourceFile"), ox.Literal(origin)),
            ox.Triple(graph, ox.NamedNode(EK + "sha256"), ox.Literal(digest)),
            ox.Triple(graph, ox.NamedNode(EK + "mappingVersion"), ox.Literal(MAPPING_VERSION)),
            ox.Triple(
                graph,
                ox.NamedNode(PROV + "generatedAtTime"),
                ox.Literal(now, datatype=ox.NamedNode(XSD + "dateTime")),
            ),
        ]
        yield graph, digest, triples


def load_reference(store: EvalStore) -> None:
    """Load (or refresh) the ontology and reference data, each into its own named graph
    (see :func:`reference_graphs`), which records its source's SHA-256."""
    for graph, digest, triples in reference_graphs(store.base_iri, read_time()):
        if store.graph_digest(graph) != (digest, MAPPING_VERSION):
            store.replace_graph(graph, [(t[0], t[1], t[2]) for t in triples])


def reindex(store: EvalStore) -> tuple[int, int]:
    """``evalkg build --reindex``: the lesson index (:func:`kg.store.recovery.rebuild_index`)
    and the statistics (:func:`kg.sparql.stats.refresh`) made again from ``store``; ``(rows,
    triples counted)``. Refused after an interrupted build, which only a build with the
    sources repairs (it takes out the records the build was writing)."""
    if store.journal.interrupted:
        raise StoreError(
            "the last build was interrupted; run 'evalkg build' with its sources to repair it",
            path=str(store.path),
        )
    rows = rebuild_index(store)
    return rows, refresh_statistics(store)


def reindex_folder(path: str | os.PathLike[str] | None = None) -> tuple[int, int]:
    """:func:`reindex` on the store folder ``path`` (as :func:`kg.store.evalstore.store_path`
    finds it); :class:`StoreError` when there is no store there (none is made)."""
    folder = store_path(path)
    EvalStore.open(folder).close()  # a StoreError naming the folder when it holds no store
    with EvalStore.create(folder) as store:
        return reindex(store)
