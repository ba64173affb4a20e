"""The embedded store: an Oxigraph database in a folder (or in memory).

Each record's triples live in a named graph; the default graph is their merge, kept in
step on every write, so that plain SPARQL sees each fact once and ``GRAPH ?g`` tells
where it came from. The folder holds ``oxigraph/`` (the database) and ``evalkg.json``
(the base IRI the store was built with).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import StoreError
from .iris import DEFAULT_BASE_IRI, check_base_iri
from .vocab import EK

DEFAULT_STORE = "evalkg-data"
STORE_ENV = "EVALKG_STORE"
_META = "evalkg.json"
_DB = "oxigraph"
#: Bytes of N-Quads per call of Oxigraph's bulk loader (about 400,000 quads).
BATCH_BYTES = 64_000_000


def store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: ``path``, else ``$EVALKG_STORE``, else ``./evalkg-data``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


class EvalStore:
    """An evalkg store. ``EvalStore()`` is in memory; ``EvalStore.open(folder)`` reads an
    existing folder; ``EvalStore.create(folder)`` opens one for writing (made if missing).
    """

    def __init__(
        self, *, base_iri: str = DEFAULT_BASE_IRI, _inner: Any = None, path: Path | None = None
    ) -> None:
        import pyoxigraph as ox

        self.base_iri = check_base_iri(base_iri)
        self.inner = _inner if _inner is not None else ox.Store()
        self.path = path

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
                json.dumps({"format": 1, "base_iri": chosen}, indent=2) + "\n",
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
        return cls(base_iri=meta["base_iri"], _inner=inner, path=folder)

    @property
    def database(self) -> Path | None:
        """The Oxigraph database folder inside the store folder (``None`` in memory)."""
        return None if self.path is None else self.path / _DB

    # --- reading -------------------------------------------------------------------

    def __len__(self) -> int:
        """Number of triples in the default graph (the merged view), counted by the
        SPARQL engine (a Python loop over the quads is 10x slower)."""
        rows: Any = self.inner.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return next((int(row["n"].value) for row in rows), 0)

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
        """Every quad of the named graphs (the default graph is their merge)."""
        import pyoxigraph as ox

        for quad in self.inner:
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def default_triples(self) -> Iterator[Any]:
        """The triples of the default graph."""
        import pyoxigraph as ox

        for quad in self.inner.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield quad.triple

    # --- writing -------------------------------------------------------------------

    def bulk_load_nquads(self, chunks: Iterable[bytes]) -> None:
        """Load N-Quads text fast, for graphs not in the store yet (each triple must come
        in its named graph and in the default graph, as :func:`kg.pipeline.to_nquads`
        writes it).

        Text goes to Oxigraph's bulk loader in batches of about :data:`BATCH_BYTES`:
        given one long stream, the loader's memory grows with the stream, in batches it
        stays flat."""
        import pyoxigraph as ox

        batch: list[bytes] = []
        size = 0
        for chunk in chunks:
            batch.append(chunk)
            size += len(chunk)
            if size >= BATCH_BYTES:
                self.inner.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
                batch, size = [], 0
        if batch:
            self.inner.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)

    def replace_graph(self, graph: Any, triples: Iterable[tuple[Any, Any, Any]]) -> None:
        """Make ``graph`` hold exactly ``triples``, keeping the default graph the merge of
        all named graphs: a triple leaves it only when no other named graph has it."""
        import pyoxigraph as ox

        default = ox.DefaultGraph()
        new = set(triples)
        old = {q.triple for q in self.inner.quads_for_pattern(None, None, None, graph)}
        if self.inner.contains_named_graph(graph):
            self.inner.remove_graph(graph)
        for triple in old:
            s, p, o = triple
            if (s, p, o) in new:
                continue
            still = any(
                not isinstance(q.graph_name, ox.DefaultGraph)
                for q in self.inner.quads_for_pattern(s, p, o, None)
            )
            if not still:
                self.inner.remove(ox.Quad(s, p, o, default))
        self.inner.extend([ox.Quad(s, p, o, g) for s, p, o in new for g in (graph, default)])

    def flush(self) -> None:
        """Write buffered data to disk (no-op in memory)."""
        if self.path is not None:
            self.inner.flush()


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
    return data
