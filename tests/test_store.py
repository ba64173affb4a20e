"""The store's lifecycle: a store is a context manager; closing it closes its SQLite files
and releases the Oxigraph folder's lock, and a closed store refuses to be used."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.errors import StoreError
from kg.load.build import build
from kg.sparql.query import open_store, run_query
from kg.sparql.stats import stats
from kg.store.evalstore import EvalStore


def test_a_folder_held_for_writing_cannot_be_opened_for_writing_again(tmp_path: Path) -> None:
    """What closing is for: while one handle holds the folder, another writer is refused."""
    first = EvalStore.create(tmp_path / "store")
    with pytest.raises(StoreError, match="cannot open store for writing"):
        EvalStore.create(tmp_path / "store")
    first.close()


def test_after_close_the_folder_opens_for_writing_again(tmp_path: Path, seed_path: Path) -> None:
    folder = tmp_path / "store"
    store = EvalStore.create(folder)
    assert build([seed_path], store=store).ok
    triples = len(store)
    store.close()
    assert store.closed
    again = EvalStore.create(folder)  # the same process, the old object still referenced
    assert len(again) == triples
    assert again.lesson_index.complete
    again.close()


def test_leaving_the_with_block_closes_the_store(tmp_path: Path, seed_path: Path) -> None:
    folder = tmp_path / "store"
    with EvalStore.create(folder) as store:
        assert build([seed_path], store=store).ok
        assert not store.closed
    assert store.closed
    with EvalStore.create(folder) as again:
        assert stats(again)["lessons"] > 0
    with open_store(str(folder), writable=True) as writer:
        assert not writer.read_only
    with open_store(str(folder)) as reader, EvalStore.create(folder) as writer:
        assert reader.read_only and not writer.read_only  # a reader takes no lock


def test_an_error_in_the_with_block_still_closes_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with pytest.raises(RuntimeError), EvalStore.create(folder) as store:
        raise RuntimeError("stop")
    assert store.closed
    EvalStore.create(folder).close()


USES: dict[str, Callable[[EvalStore], Any]] = {
    "len": len,
    "query": lambda s: s.query("ASK { ?s ?p ?o }"),
    "inner": lambda s: s.inner,
    "lesson index": lambda s: s.lesson_index,
    "shared counts": lambda s: s.shared,
    "run_query": lambda s: run_query(s, "ASK { ?s ?p ?o }"),
    "stats": stats,
    "flush": lambda s: s.flush(),
    "graph names": lambda s: s.graph_names(),
    "has graph": lambda s: s.has_graph(s.statistics),
    "quads": lambda s: s.quads(),
    "update": lambda s: s.update("CLEAR ALL"),
}


@pytest.mark.parametrize("use", USES.values(), ids=USES.keys())
def test_a_closed_store_raises_store_error(tmp_path: Path, use: Callable[[EvalStore], Any]) -> None:
    folder = tmp_path / "store"
    with EvalStore.create(folder) as store:
        store.lesson_index.commit()  # opened, so that closing has a connection to close
    with pytest.raises(StoreError, match="closed") as raised:
        use(store)
    assert raised.value.path == str(folder)


def test_a_closed_store_in_memory_raises_too() -> None:
    store = EvalStore()
    store.close()
    store.close()  # again: nothing to do
    with pytest.raises(StoreError, match=r"^<memory>: the store was closed"):
        len(store)


def test_closing_closes_the_sqlite_connections(tmp_path: Path) -> None:
    store = EvalStore.create(tmp_path / "store")
    index, shared = store.lesson_index.db, store.shared.db
    store.close()
    for db in (index, shared):
        with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
            db.execute("SELECT 1")


def test_the_store_answers_for_its_engine() -> None:
    """What the other layers ask of the Oxigraph database, through the store's methods."""
    with EvalStore() as store:
        store.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> <urn:o> } }")
        assert list(store.graph_names()) == ["urn:g"]
        assert store.has_graph("urn:g") and store.has_graph(store.iri("urn:g"))
        assert not store.has_graph("urn:other") and not store.has_graph("not an IRI")
        (quad,) = store.quads(graph=store.iri("urn:g"))
        assert quad.triple.subject == store.iri("urn:s")
        assert not list(store.quads(store.iri("urn:o")))
        assert bool(store.query("ASK { <urn:s> ?p ?o }"))  # the union of the graphs
        assert not bool(store.query("ASK { <urn:s> ?p ?o }", union=False))
