"""What a reader of a store should know before trusting its answers: that the last build
did not end (records it was writing may be missing), or that the lesson index is off
(networks are then read from SPARQL: the same, slower). :func:`open_checked` opens a store
folder for reading and says so, one note at a time, through a callback.

>>> with EvalStore() as store:
...     notes(store), holds_graphs(store)
([], False)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kg.store.evalstore import EvalStore

#: Receives each note (a sentence; the command line prints it as ``Note: …``).
OnNote = Callable[[str], None]

INTERRUPTED = (
    "the last build of this store did not end (killed, or out of disk), so records it was "
    "writing may be missing. Run 'evalkg build' with the same sources: it repairs the store."
)
#: Why the lesson index is off, by :attr:`kg.store.lessonindex.LessonIndex.off_reason`.
INDEX_OFF = {
    "build": "a build was interrupted or is running; the next build that ends turns it on",
    "update": "the store was changed by a SPARQL update",
}
INDEX_OFF_OTHERWISE = "the store was built by an earlier evalkg"


def build_note(store: EvalStore) -> str | None:
    """A note when the last build of ``store`` did not end (:mod:`kg.store.journal`)."""
    return INTERRUPTED if store.build_interrupted else None


def lesson_index_note(store: EvalStore) -> str | None:
    """A note when the lesson index of ``store`` is off, saying why."""
    index = store.lesson_index
    if index.complete:
        return None
    why = INDEX_OFF.get(index.off_reason or "", INDEX_OFF_OTHERWISE)
    return (
        f"this store's lesson index is off ({why}), so networks are read from SPARQL: the "
        "same result, slower on large stores. 'evalkg build --reindex' rebuilds it from the "
        "store."
    )


def notes(store: EvalStore, *, build: bool = True, lesson_index: bool = False) -> list[str]:
    """The notes on ``store``: an interrupted build (unless not ``build``) and, with
    ``lesson_index``, an index that is off."""
    found = (
        build_note(store) if build else None,
        lesson_index_note(store) if lesson_index else None,
    )
    return [note for note in found if note is not None]


def holds_graphs(store: EvalStore) -> bool:
    """Whether ``store`` holds any named graph (every triple evalkg writes is in one)."""
    return next(store.graph_names(), None) is not None


@contextmanager
def open_checked(
    path: str | os.PathLike[str] | None = None,
    *,
    on_note: OnNote | None = None,
    build: bool = True,
    lesson_index: bool = False,
) -> Iterator[EvalStore]:
    """The store folder ``path`` (as :func:`kg.store.evalstore.store_path` finds it),
    read-only, closed after the ``with`` block; its :func:`notes` go to ``on_note``
    first."""
    with EvalStore.open(path) as store:
        for note in notes(store, build=build, lesson_index=lesson_index):
            if on_note is not None:
                on_note(note)
        yield store
