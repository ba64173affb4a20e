"""Keyword search through the text index: the lesson texts that may contain a keyword,
found without reading every text.

``queries/keyword-search.rq`` folds each lesson text and the keyword to lower case
without accents and keeps the texts that contain the keyword: on a large store it reads
every text (600,000 at 100,000 records). The lesson index (:mod:`kg.store.lessonindex`) also
keeps each text *folded* here, in an SQLite FTS5 table with the trigram tokenizer, which
finds the texts holding a substring through an index. A query whose header says
``# narrow: PARAM`` has a slot ``VALUES (?lesson ?property) { (UNDEF UNDEF) }`` (on its
own it binds nothing); :func:`narrow` fills it with the ``(lesson, property)`` pairs of
the texts that hold the folded value of ``PARAM``. The query still applies its own
``FILTER`` to those texts, so the index only has to find a *superset* of the matches,
never the matches themselves; the rows are the same with or without it (the tests run
both ways).

Why a superset: see :mod:`kg.store.textfold`, the fold the index keeps.

Not narrowed (the query reads every text, as without an index): a store whose lesson
index is incomplete (:attr:`kg.store.lessonindex.LessonIndex.complete`), an SQLite without
FTS5, a folded keyword shorter than :data:`MIN_KEY` characters (trigrams), and a
keyword that more than :data:`MAX_CANDIDATES` texts hold (the gain shrinks as the
``VALUES`` grows: at 100,000 records, 20,691 candidates took 3.4 s against 8.2 s reading
every text, 45,569 took 7.8 s against 10.7 s).

>>> narrow_slot("SELECT * { VALUES (?lesson ?property) { (UNDEF UNDEF) } }", [])
'SELECT * { VALUES (?lesson ?property) { } }'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from kg.store.textfold import fold, known

if TYPE_CHECKING:
    from kg.store.evalstore import EvalStore

#: The shortest folded keyword the trigram index can look up.
MIN_KEY = 3
#: Above this many candidate texts the query reads every text instead.
MAX_CANDIDATES = 50_000


class Narrowable(Protocol):
    """A query that may say ``# narrow: PARAM`` (:class:`kg.sparql.queries.NamedQuery`)."""

    @property
    def narrow(self) -> str | None:
        """The parameter whose folded value the text index looks up, if any."""


_SLOT = re.compile(
    r"VALUES\s*\(\s*[?$]lesson\s+[?$]property\s*\)\s*\{\s*\(\s*UNDEF\s+UNDEF\s*\)\s*\}",
    re.IGNORECASE,
)


def narrow_slot(sparql: str, pairs: Sequence[tuple[str, str]]) -> str:
    """``sparql`` with its slot ``VALUES (?lesson ?property) { (UNDEF UNDEF) }`` holding
    ``pairs`` of IRIs (each written by pyoxigraph, which refuses a non-IRI)."""
    import pyoxigraph as ox

    rows = " ".join(f"({ox.NamedNode(lesson)} {ox.NamedNode(prop)})" for lesson, prop in pairs)
    filled = "VALUES (?lesson ?property) {" + (f" {rows} " if rows else " ") + "}"
    return _SLOT.sub(lambda _: filled, sparql, count=1)


def narrow(store: EvalStore, query: Narrowable, sparql: str, params: Mapping[str, str]) -> str:
    """The bound ``sparql`` of ``query``, its text slot filled from the store's text
    index when the query says ``# narrow: PARAM`` and the index can (see the module's
    text); else ``sparql`` unchanged."""
    name = query.narrow
    if not name or name not in params or not _SLOT.search(sparql):
        return sparql
    value = unicodedata.normalize("NFC", params[name])  # as kg.sparql.params binds a string
    if not known(value):
        return sparql
    key = fold(value)
    if len(key) < MIN_KEY:
        return sparql
    pairs = store.lesson_index.text_candidates(key, MAX_CANDIDATES)
    return sparql if pairs is None else narrow_slot(sparql, pairs)
