"""The lesson index: what the network views read about each lesson, kept beside the graph.

A network view needs, for every lesson, its evaluation (with its title, year and kinds),
its page, the start of its text and the entities it links to
(``ek:mentionsOrganization``, ``ek:country``, …). On a
large store, reading those from SPARQL is most of the time a view takes: Oxigraph looks
up every IRI of every row (about 7 s for the 645,000 lesson-organization pairs of
100,000 records, ``benchmarks/bench_view.py``). The build already has them in hand when
it maps a record, so it keeps them here, one row per record, next to the record's graph;
replacing a record replaces its row. The rows hold exactly what the queries
``queries/network/lessons.rq``, ``full.rq`` and ``evaluation-details.rq`` would return,
and the tests check that every network drawn from the index equals the one drawn from
SPARQL.

The index lives in SQLite (``lessons.sqlite`` in the store folder; in memory for an
in-memory store). It is only used while it is *complete*: a store that held records
before it had an index, or that was changed through SPARQL Update or by replacing a
record's graph directly, marks it incomplete, and the views go back to SPARQL.

>>> index = LessonIndex()
>>> index.start(empty_store=True)
>>> row = LessonRow("urn:l", "urn:e", None, "Text", {"country": ["urn:c"]}, "T", None, ())
>>> index.add("urn:g", row)
>>> index.commit()
>>> [r.links for r in index.rows()], index.complete
([{'country': ['urn:c']}], True)
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from kg.store.textfold import folded_text
from kg.vocab import DCT, EK

#: The lesson → entity properties the network queries read (``queries/network/full.rq``).
LINK_PROPERTIES = (
    "evaluation",
    "theme",
    "category",
    "country",
    "region",
    "mentionsOrganization",
    "mentionsPlace",
    "mentionsCountry",
    "mentionsInitiative",
    "addressedTo",
)
#: Characters of the lesson's text kept (``queries/network/lessons.rq``).
TEXT_CHARS = 240


#: The lesson table's columns for what a :class:`LessonRow` says besides its links (the
#: names of its fields; ``evaluation_kinds`` space-separated), with their constraints.
DETAILS = {
    "lesson": "NOT NULL",
    "url": "",
    "text": "",
    "evaluation_title": "",
    "evaluation_year": "",
    "evaluation_kinds": "NOT NULL",
}
#: The lesson table's columns, in order: the record graph, :data:`DETAILS`, then one per
#: :data:`LINK_PROPERTIES` (IRIs never hold spaces: a property's IRIs, space-separated).
COLUMNS = ("graph", *DETAILS, *LINK_PROPERTIES)

#: Bumped when the tables change; an index of another version is not used.
VERSION = "4"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS lesson (
    graph TEXT PRIMARY KEY,
    {", ".join(f"{name} TEXT {rule}".rstrip() for name, rule in DETAILS.items())},
    {", ".join(f"{name} TEXT NOT NULL" for name in LINK_PROPERTIES)}
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lesson_text (
    id INTEGER PRIMARY KEY, graph TEXT NOT NULL, lesson TEXT NOT NULL,
    property TEXT NOT NULL, unknown INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lesson_text_graph ON lesson_text (graph);
CREATE INDEX IF NOT EXISTS lesson_text_unknown ON lesson_text (unknown) WHERE unknown;
"""
# The folded texts, rowid = lesson_text.id; case-sensitive: they are folded already. No
# positions (detail none: 40 % faster to write, half the size): GLOB looks trigrams up in
# the index, then checks each text it finds.
_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS lesson_fts
USING fts5 (folded, tokenize = 'trigram case_sensitive 1', detail = none);
"""
_GLOB_SPECIAL = re.compile(r"([*?\[])")
_DETAIL_VALUES = attrgetter(*DETAILS)
_BATCH = 20_000
_LINKS = {f"<{EK}{name}>": name for name in LINK_PROPERTIES}
_TITLE, _YEAR = f"<{DCT}title>", f"<{EK}year>"
_KINDS = (f"<{EK}timing>", f"<{EK}nature>")


class LessonRow(NamedTuple):
    """One lesson: its IRI, its evaluation's IRI, its page (``ek:lessonUrl``), the first
    :data:`TEXT_CHARS` characters of its description (else its context), the IRIs it
    links to, by property name (each list sorted, without repeats), and what its record
    says of the evaluation: ``dct:title``, ``ek:year`` and the ``ek:timing`` and
    ``ek:nature`` IRIs."""

    lesson: str
    evaluation: str | None
    url: str | None
    text: str | None
    links: dict[str, list[str]]
    evaluation_title: str | None
    evaluation_year: str | None
    evaluation_kinds: tuple[str, ...]
    #: ``(property IRI, folded text)`` of each text (:func:`kg.store.textfold.folded_text`;
    #: ``None``: a character it cannot vouch for); empty as read back by :meth:`rows`.
    texts: tuple[tuple[str, str | None], ...] = ()


def lesson_row(
    lesson: str,
    triples: Iterable[tuple[str, str, str]],
    shared: Iterable[tuple[str, str, str]] = (),
    *,
    url: str | None,
    text: str | None,
    title: str | None = None,
    texts: Iterable[tuple[str, str]],
) -> LessonRow:
    """The row of the lesson ``lesson`` (N-Triples ``<iri>``) from its record's own and
    shared triples (terms as N-Triples text, :func:`kg.rdf.terms.ntriples_terms`); ``title``
    is the record's evaluation title, verbatim (the ``dct:title`` the triples hold);
    ``texts`` the ``(property IRI, text)`` of each of its texts, verbatim (every one: the
    keyword search trusts a complete index to hold them all)."""
    found: dict[str, set[str]] = {}
    for s, p, o in triples:
        name = _LINKS.get(p) if s == lesson else None
        if name is not None and o.startswith("<"):
            found.setdefault(name, set()).add(o[1:-1])
    links = {name: sorted(found[name]) for name in LINK_PROPERTIES if name in found}
    evaluation = links.get("evaluation", [None])[0]
    has_title, year, kinds = False, None, set()
    subject = f"<{evaluation}>"
    for s, p, o in shared:
        if s != subject:
            continue
        if p == _TITLE:
            has_title = True
        elif p == _YEAR and o.startswith('"'):
            year = o[1:].split('"', 1)[0]  # an xsd:gYear: digits, nothing to unescape
        elif p in _KINDS and o.startswith("<"):
            kinds.add(o[1:-1])
    short = None if text is None else text[:TEXT_CHARS]
    title = title if has_title else None
    folded = tuple((prop, folded_text(value)) for prop, value in texts)
    return LessonRow(
        lesson[1:-1], evaluation, url, short, links, title, year, tuple(sorted(kinds)), folded
    )


class LessonIndex:
    """The lesson rows of a store, by record graph. ``path`` ``None``: in memory.
    ``read_only``: an existing file, opened for reading (a missing one reads as empty and
    incomplete), by any thread (a server's requests run in several; SQLite serializes
    the calls: :data:`sqlite3.threadsafety` 3)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self._rows: list[tuple[str | None, ...]] = []
        self._texts: list[tuple[int, str, str, str, int]] = []
        self._folded: list[tuple[int, str]] = []
        self._pending: set[str] = set()
        self._next_id: int | None = None
        if path is None:
            self.db = sqlite3.connect(":memory:")
        elif read_only:
            if not path.is_file():
                self.db = sqlite3.connect(":memory:", check_same_thread=False)
                self.db.executescript(_SCHEMA)
                self._set_complete(False)
                self.fts = False
                return
            where = f"{path.resolve().as_uri()}?mode=ro"
            self.db = sqlite3.connect(where, uri=True, check_same_thread=False)
            self.fts = self._has_table("lesson_fts")
            return
        else:
            self.db = sqlite3.connect(str(path))
        self.db.executescript(_SCHEMA)
        found = self.db.execute("SELECT value FROM state WHERE key = 'version'").fetchone()
        if found is not None and found[0] != VERSION:  # rows of another layout: start over
            drop = "DROP TABLE IF EXISTS lesson; DROP TABLE IF EXISTS lesson_text;"
            self.db.executescript(drop + "DROP TABLE IF EXISTS lesson_fts;" + _SCHEMA)
            self.db.execute("INSERT OR REPLACE INTO state VALUES ('version', ?)", (VERSION,))
            self._set_complete(False, "version")  # the store's records have no rows here
        try:
            self.db.executescript(_FTS)
            self.fts = True
        except sqlite3.OperationalError:  # an SQLite without FTS5 or its trigram tokenizer
            self.fts = False

    def _has_table(self, name: str) -> bool:
        query = "SELECT 1 FROM sqlite_master WHERE name = ?"
        return self.db.execute(query, (name,)).fetchone() is not None

    @property
    def complete(self) -> bool:
        """Whether the index holds a row for every record of the store, and nothing else
        changed what the rows say (and it is of this :data:`VERSION`)."""
        state = dict(self.db.execute("SELECT key, value FROM state"))
        return state.get("complete") == "1" and state.get("version") == VERSION

    def start(self, *, empty_store: bool) -> None:
        """Before the first row of a store: complete only if the store holds no record yet."""
        if self.db.execute("SELECT 1 FROM state WHERE key = 'complete'").fetchone() is None:
            self.db.execute("INSERT OR REPLACE INTO state VALUES ('version', ?)", (VERSION,))
            self._set_complete(empty_store, "" if empty_store else "earlier")

    def invalidate(self, reason: str = "update") -> None:
        """Stop using the rows: ``"update"``, the store changed in a way the rows do not
        follow (they stay off); ``"build"``, a build is writing rows (complete again when
        it ends with a row for every record, :func:`kg.store.recovery.settle_index`)."""
        self._set_complete(False, reason)

    @property
    def off_reason(self) -> str | None:
        """Why the index is off (``"update"``, ``"build"``, ``"version"``…; ``None``: on,
        or no reason recorded)."""
        found = self.db.execute("SELECT value FROM state WHERE key = 'reason'").fetchone()
        return None if found is None or self.complete else str(found[0])

    def graphs(self) -> set[str]:
        """The record graphs that have a row."""
        return {graph for (graph,) in self.db.execute("SELECT graph FROM lesson")}

    def mark_complete(self) -> None:
        """Every record of the store has its row again (after a load that began complete)."""
        self._set_complete(True)

    def _set_complete(self, value: bool, reason: str = "") -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO state VALUES ('complete', ?)", ("1" if value else "0",)
        )
        self.db.execute("INSERT OR REPLACE INTO state VALUES ('reason', ?)", (reason,))
        self.db.commit()

    def add(self, graph: str, row: LessonRow) -> None:
        """The row of the record graph ``graph`` (buffered; :meth:`commit` writes), which
        replaces the one it had."""
        links = row.links
        if graph in self._pending:  # its texts would be written twice
            self._write()
        self._pending.add(graph)
        details = (" ".join(v) if isinstance(v, tuple) else v for v in _DETAIL_VALUES(row))
        links_text = (" ".join(links.get(name, ())) for name in LINK_PROPERTIES)
        self._rows.append((graph, *details, *links_text))
        if self._next_id is None:
            last = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM lesson_text").fetchone()
            self._next_id = int(last[0]) + 1
        for prop, folded in row.texts:
            number = self._next_id
            self._next_id += 1
            self._texts.append((number, graph, row.lesson, prop, int(folded is None)))
            if folded is not None:
                self._folded.append((number, folded))
        if len(self._rows) >= _BATCH:
            self._write()

    def replace(self, graph: str, row: LessonRow | None) -> None:
        """The record graph ``graph`` now has ``row`` (``None``: it is gone). Written at once."""
        self.commit()
        if row is None:
            self._drop_texts([(graph,)])
            self.db.execute("DELETE FROM lesson WHERE graph = ?", (graph,))
        else:
            self.add(graph, row)
            self._write()
        self.db.commit()

    def clear(self) -> None:
        """Remove every row (before the index is made again from the store)."""
        self.commit()
        self.db.execute("DELETE FROM lesson")
        self.db.execute("DELETE FROM lesson_text")
        if self.fts:
            self.db.execute("DELETE FROM lesson_fts")
        self.db.commit()
        self._next_id = None

    def forget(self, graphs: list[str]) -> None:
        """The rows of ``graphs`` go (records taken out after an interrupted build)."""
        self.commit()
        keys = [(graph,) for graph in graphs]
        self._drop_texts(keys)
        self.db.executemany("DELETE FROM lesson WHERE graph = ?", keys)
        self.db.commit()

    def close(self) -> None:
        """Close the database; what was not committed is not written."""
        self.db.close()

    def commit(self) -> None:
        """Write what :meth:`add` buffered."""
        self._write()
        self.db.commit()

    def _write(self) -> None:
        if self._rows:
            marks = ", ".join("?" * len(COLUMNS))
            insert = f"INSERT OR REPLACE INTO lesson VALUES ({marks})"
            self._drop_texts([(graph,) for graph in self._pending])
            self.db.executemany(insert, self._rows)
            self.db.executemany("INSERT INTO lesson_text VALUES (?, ?, ?, ?, ?)", self._texts)
            if self.fts:
                insert = "INSERT INTO lesson_fts (rowid, folded) VALUES (?, ?)"
                self.db.executemany(insert, self._folded)
            self._rows, self._texts, self._folded = [], [], []
            self._pending = set()

    def _drop_texts(self, graphs: list[tuple[str]]) -> None:
        """Forget the texts of ``graphs`` (a graph's earlier row, before its new one)."""
        if not self.db.execute("SELECT 1 FROM lesson_text LIMIT 1").fetchone():
            return  # a first build: nothing to forget, no look-up per graph
        if self.fts:
            ids = "SELECT id FROM lesson_text WHERE graph = ?"
            self.db.executemany(f"DELETE FROM lesson_fts WHERE rowid IN ({ids})", graphs)
        self.db.executemany("DELETE FROM lesson_text WHERE graph = ?", graphs)

    def text_candidates(self, key: str, limit: int) -> list[tuple[str, str]] | None:
        """The ``(lesson, property)`` IRIs of the texts whose folded form contains
        ``key`` (:func:`kg.store.textfold.fold`, at least three characters), and of the texts
        not folded; ``None`` when the index cannot say (incomplete, no FTS5) or more than
        ``limit`` texts are candidates."""
        if not self.fts or not self.complete:
            return None
        pattern = "*" + _GLOB_SPECIAL.sub(r"[\1]", key) + "*"  # ``[*]``: a literal ``*``
        query = (
            "SELECT t.lesson, t.property FROM lesson_fts JOIN lesson_text AS t"
            " ON t.id = lesson_fts.rowid WHERE lesson_fts.folded GLOB ?"
            " UNION SELECT lesson, property FROM lesson_text WHERE unknown LIMIT ?"
        )
        try:
            found = self.db.execute(query, (pattern, limit + 1)).fetchall()
        except sqlite3.OperationalError:  # this SQLite cannot read the FTS5 table
            return None
        return None if len(found) > limit else found

    def rows(self, properties: Iterable[str] = LINK_PROPERTIES) -> Iterator[LessonRow]:
        """Every lesson row, in the order of the record graphs' IRIs, with the links of
        ``properties`` only (names of :data:`LINK_PROPERTIES`; the evaluation always)."""
        wanted = set(properties)
        names = [n for n in LINK_PROPERTIES if n in wanted and n != "evaluation"]
        columns = ", ".join([*DETAILS, "evaluation", *names])
        size = len(DETAILS)
        for values in self.db.execute(f"SELECT {columns} FROM lesson ORDER BY graph"):
            details = dict(zip(DETAILS, values[:size], strict=True))
            details["evaluation_kinds"] = tuple(details["evaluation_kinds"].split())
            evaluations = values[size]
            pairs = zip(names, values[size + 1 :], strict=True)
            links = {name: found.split() for name, found in pairs if found}
            evaluation = None
            if evaluations:  # one IRI (a record names one evaluation): no split needed
                links["evaluation"] = evaluations.split() if " " in evaluations else [evaluations]
                evaluation = links["evaluation"][0]
            yield LessonRow(evaluation=evaluation, links=links, **details)
