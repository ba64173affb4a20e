"""Finishing what an interrupted build left: a store that the next build repairs to
exactly what a fresh build gives.

A build names the record graphs it is about to write in its journal
(:mod:`kg.store.journal`). When a build starts and finds a journal, the previous one was killed,
ran out of disk or failed: :func:`recover` then

1. deletes the bulk loader's unfinished files (``bulk-*.sst``: the loader writes them,
   then hands them to the database; a killed loader leaves them behind, never used);
2. takes every journaled graph out of Oxigraph, the shared-triple counts and the lesson
   index, whatever each had committed: the build that follows finds no digest for those
   records and maps them again;
3. makes the shared graph (``<base>graph/entities``) hold exactly the triples the counts
   say some record states: the loader may have written shared triples whose counts were
   never committed, or the counts may name triples a replacement had not yet added.

The lesson index and the statistics are settled at the end of that build
(:func:`settle_index`, :func:`kg.sparql.stats.refresh`), and the store is compacted again;
``evalkg build --reindex`` makes both again from the store (:func:`kg.load.build.reindex`).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.store.evalstore import EvalStore
from kg.store.journal import BuildJournal
from kg.vocab import EK


@dataclass
class Recovery:
    """What :func:`recover` repaired."""

    graphs: int = 0
    loader_files: int = 0
    #: The build had committed its records: only compaction and counts were left.
    committed: bool = False
    shared_added: int = 0
    shared_removed: int = 0

    def describe(self) -> str:
        """One sentence for the user."""
        if self.committed:
            return (
                "the last build was interrupted after its records were committed; its "
                "compaction and counts are done now"
            )
        return (
            f"the last build was interrupted; {self.graphs} record graph(s) it was writing "
            f"were taken out to be built again, {self.loader_files} unfinished loader file(s) "
            f"deleted, the shared graph repaired (+{self.shared_added} / "
            f"-{self.shared_removed} triples)"
        )


def recover(store: EvalStore, journal: BuildJournal) -> Recovery | None:
    """Repair ``store`` after the build ``journal`` tells of; ``None`` when the last build
    ended. Running it again after it was itself interrupted gives the same store."""
    if not journal.interrupted:
        return None
    report = Recovery()
    if store.database is not None:
        for leftover in store.database.glob("bulk-*.sst"):
            leftover.unlink()
            report.loader_files += 1
    store.drop_statistics()
    index = store.lesson_index
    index.start(empty_store=False)
    report.committed = journal.was_committed
    graphs = journal.graphs()
    if report.committed:  # killed after every record was committed: compaction, counts left
        return report
    for graph in graphs:
        term = store.iri(graph)
        if store.inner.contains_named_graph(term):
            store.inner.remove_graph(term)
    index.forget(graphs)
    store.shared.forget(graphs)
    report.graphs = len(graphs)
    report.shared_added, report.shared_removed = _repair_shared(store)
    store.flush()
    return report


def _repair_shared(store: EvalStore) -> tuple[int, int]:
    """Make the shared graph hold exactly the triples the counts list: ``(added,
    removed)``."""
    import pyoxigraph as ox

    lines = [line for line in store.shared.triples() if line]
    data = b" .\n".join(lines) + b" .\n" if lines else b""
    wanted = {q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)} if data else set()
    held = {q.triple for q in store.inner.quads_for_pattern(None, None, None, store.entities)}
    extra, missing = held - wanted, wanted - held
    store.inner.extend(ox.Quad(s, p, o, store.entities) for s, p, o in missing)
    for s, p, o in extra:
        store.inner.remove(ox.Quad(s, p, o, store.entities))
    return len(missing), len(extra)


def settle_index(store: EvalStore) -> bool:
    """At the end of a build: the lesson index is complete again when every record graph
    of the store has its row and only builds turned it off (a SPARQL update keeps it
    off). Returns whether it is complete."""
    index = store.lesson_index
    if index.complete:
        return True
    if index.off_reason != "build":  # an update, or rows of an earlier evalkg: stays off
        return False
    prefix = store.base_iri + "record/"
    graphs = {g.value for g in store.inner.named_graphs() if g.value.startswith(prefix)}
    if graphs == index.graphs():
        index.mark_complete()
        return True
    return False


def rebuild_index(store: EvalStore) -> int:
    """Make the lesson index again from the store alone (no source read): each record
    graph's own triples, and its shared triples as the counts list them. Returns the rows
    written; the index is then complete. A store changed by SPARQL updates gets rows for
    what its graphs say now."""
    import pyoxigraph as ox

    from kg.ingest.record import TEXT_FIELDS
    from kg.rdf.mapping import TYPE_CLASSES, field_property
    from kg.store.lessonindex import lesson_row
    from kg.vocab import DCT

    kinds = {EK + cls: kind for kind, (cls, _) in TYPE_CLASSES.items()}
    urls = {EK + "lessonUrl", EK + "pageUrl"}
    index = store.lesson_index
    index.invalidate("build")
    index.clear()
    prefix = store.base_iri + "record/"
    graphs = sorted(g.value for g in store.inner.named_graphs() if g.value.startswith(prefix))
    for graph in graphs:
        quads = list(store.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        finding = next((q.subject for q in quads if q.predicate.value == EK + "record"), None)
        if finding is None:
            continue
        own = [q for q in quads if q.subject == finding]
        kind = next((kinds[q.object.value] for q in own if q.object.value in kinds), None)
        if kind is None:
            continue
        values = {q.predicate.value: q.object.value for q in own}
        found = ((name, values.get(field_property(kind, name))) for name in TEXT_FIELDS)
        texts = [(field_property(kind, name), v) for name, v in found if v is not None]
        first = (values.get(field_property(kind, n)) for n in ("title", "description", "context"))
        lines = store.shared.lines_of(graph)
        shared = [tuple(line.decode("utf-8").split(" ", 2)) for line in lines]
        evaluation = values.get(EK + "evaluation")
        title = None
        for line in lines:
            if line.startswith(f"<{evaluation}> <{DCT}title> ".encode()):
                parsed = next(ox.parse(line + b" .\n", format=ox.RdfFormat.N_TRIPLES))
                title = parsed.object.value
        row = lesson_row(
            str(finding),
            [(str(q.subject), str(q.predicate), str(q.object)) for q in quads],
            shared,  # type: ignore[arg-type]
            url=next((values[p] for p in urls if p in values), None),
            text=next((t for t in first if t is not None), None),
            title=title,
            texts=texts,
        )
        index.add(graph, row)
    index.commit()
    index.mark_complete()
    return len(graphs)
