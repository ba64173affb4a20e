"""Reference counts of the triples records share.

Most of a record's triples are its own: they name its lesson, locations, theme
assignments, mentions or the record itself, and they live in the record's named graph.
The rest describe entities many records name (an evaluation's title, a theme's label, a
place's coordinates, "Chile is in the Americas"); if each record's graph held its own
copy, a query over the union of the graphs would see such a fact once per record. So a
shared triple is stored once, in the graph ``<base>graph/entities``, and stays there
while at least one record produces it: this module counts, per triple, the records that
produce it, and remembers which triples each record produced, so that replacing a record
removes exactly the shared triples that no other record still states.

The counts live in SQLite (``shared.sqlite`` in the store folder; in memory for an
in-memory store). A triple is known by a 64-bit BLAKE2b digest of its N-Triples text
(about one chance in 10^7 of a collision among a million distinct shared triples).

>>> counts = SharedCounts()
>>> counts.add("g1", [b"<a> <b> <c>"]), counts.add("g2", [b"<a> <b> <c>", b"<a> <b> <d>"])
([b'<a> <b> <c>'], [b'<a> <b> <d>'])
>>> counts.commit()
>>> counts.replace("g1", [])
([], [])
>>> counts.replace("g2", [b"<a> <b> <d>"])
([], [b'<a> <b> <c>'])
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from hashlib import blake2b
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS shared (h INTEGER PRIMARY KEY, n INTEGER NOT NULL, triple BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS producer (graph TEXT PRIMARY KEY, hashes BLOB NOT NULL);
"""
#: Rows written per ``executemany`` call.
_BATCH = 20_000


def digest(line: bytes) -> int:
    """The signed 64-bit key of a triple's N-Triples text."""
    return int.from_bytes(blake2b(line, digest_size=8).digest(), "little", signed=True)


class SharedCounts:
    """Which records produce which shared triples. ``path`` ``None``: in memory.

    :meth:`add` is for records new to the store (a bulk build): it buffers, and
    :meth:`commit` writes. :meth:`replace` is for a record the store holds already."""

    def __init__(self, path: Path | None = None) -> None:
        self.db = sqlite3.connect(":memory:" if path is None else str(path))
        self.db.executescript(_SCHEMA)
        self._known: set[int] | None = None
        self._counts: dict[int, int] = {}
        self._lines: dict[int, bytes] = {}
        self._producers: list[tuple[str, bytes]] = []

    def add(self, graph: str, lines: Iterable[bytes]) -> list[bytes]:
        """Count the shared triples of ``graph``, a record new to the store; the triples
        the store does not hold yet (to be loaded) are returned."""
        if self._known is None:
            self._known = {h for (h,) in self.db.execute("SELECT h FROM shared")}
        new: list[bytes] = []
        hashes = array("q")
        counts, known = self._counts, self._known
        for line in dict.fromkeys(lines):
            h = digest(line)
            hashes.append(h)
            seen = counts.get(h)
            if seen is None:
                if h not in known:
                    new.append(line)
                    self._lines[h] = line
                counts[h] = 1
            else:
                counts[h] = seen + 1
        self._producers.append((graph, hashes.tobytes()))
        if len(self._producers) >= _BATCH:
            self._write()
        return new

    def replace(self, graph: str, lines: Iterable[bytes]) -> tuple[list[bytes], list[bytes]]:
        """``graph`` now produces ``lines`` (none: it is gone): the shared triples to
        ``(add to, remove from)`` the store, those no record stated before and those no
        record states now. Written at once."""
        self.commit()
        added, removed = self._replace(graph, lines)
        self.db.commit()
        self._known = None
        return added, removed

    def forget(self, graphs: Iterable[str]) -> None:
        """``graphs`` are gone (taken out after an interrupted build, :mod:`kg.store.recovery`):
        their counts go, in one transaction. Their triples are left to the caller."""
        self.commit()
        for graph in graphs:
            self._replace(graph, [])
        self.db.commit()
        self._known = None

    def _replace(self, graph: str, lines: Iterable[bytes]) -> tuple[list[bytes], list[bytes]]:
        row = self.db.execute("SELECT hashes FROM producer WHERE graph = ?", (graph,)).fetchone()
        old = set(array("q", row[0])) if row else set()
        wanted = {digest(line): line for line in dict.fromkeys(lines)}
        added: list[bytes] = []
        removed: list[bytes] = []
        for h in old - wanted.keys():
            found = self.db.execute("SELECT n, triple FROM shared WHERE h = ?", (h,)).fetchone()
            if found is None:
                continue
            if found[0] <= 1:
                self.db.execute("DELETE FROM shared WHERE h = ?", (h,))
                removed.append(bytes(found[1]))
            else:
                self.db.execute("UPDATE shared SET n = n - 1 WHERE h = ?", (h,))
        for h in wanted.keys() - old:
            found = self.db.execute("SELECT n FROM shared WHERE h = ?", (h,)).fetchone()
            if found is None:
                self.db.execute("INSERT INTO shared VALUES (?, 1, ?)", (h, wanted[h]))
                added.append(wanted[h])
            else:
                self.db.execute("UPDATE shared SET n = n + 1 WHERE h = ?", (h,))
        if wanted:
            hashes = array("q", wanted.keys()).tobytes()
            self.db.execute("INSERT OR REPLACE INTO producer VALUES (?, ?)", (graph, hashes))
        else:
            self.db.execute("DELETE FROM producer WHERE graph = ?", (graph,))
        return sorted(added), sorted(removed)

    def lines_of(self, graph: str) -> list[bytes]:
        """The shared triples ``graph`` states (N-Triples lines without `` .``)."""
        self.commit()
        row = self.db.execute("SELECT hashes FROM producer WHERE graph = ?", (graph,)).fetchone()
        found = []
        for h in array("q", row[0]) if row else ():
            line = self.db.execute("SELECT triple FROM shared WHERE h = ?", (h,)).fetchone()
            if line is not None:
                found.append(bytes(line[0]))
        return found

    def triples(self) -> Iterator[bytes]:
        """The N-Triples line (without `` .``) of every shared triple some record states."""
        for (line,) in self.db.execute("SELECT triple FROM shared"):
            yield bytes(line)

    def close(self) -> None:
        """Close the database; what was not committed is not written."""
        self.db.close()

    def commit(self) -> None:
        """Write what :meth:`add` buffered."""
        self._write()
        self.db.commit()

    def _write(self) -> None:
        """Write the buffered counts and producers (every :data:`_BATCH` records, so the
        buffers stay small)."""
        if self._counts:
            rows = [(h, n, self._lines.get(h, b"")) for h, n in self._counts.items()]
            for i in range(0, len(rows), _BATCH):
                self.db.executemany(
                    "INSERT INTO shared VALUES (?, ?, ?) "
                    "ON CONFLICT (h) DO UPDATE SET n = n + excluded.n",
                    rows[i : i + _BATCH],
                )
            if self._known is not None:
                self._known.update(self._lines)
            self._counts, self._lines = {}, {}
        if self._producers:
            self.db.executemany("INSERT OR REPLACE INTO producer VALUES (?, ?)", self._producers)
            self._producers = []
