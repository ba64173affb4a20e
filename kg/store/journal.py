"""The build journal: which record graphs a build is writing, on disk before it writes them.

A store is three databases that cannot commit together: Oxigraph (the triples), and the
SQLite files of the shared-triple counts (:mod:`kg.store.shared`) and of the lesson index
(:mod:`kg.store.lessonindex`). A build killed between their commits would leave a record whose
graph and digest are stored but whose shared triples or index row are not, and the next
build, finding the digest, would call the record unchanged and never repair it.

So before a batch of records reaches any of them, the build appends the records' graph
IRIs to ``build.journal`` in the store folder and syncs it to disk; the file is removed
only when the whole build (load, compaction, statistics) is done. A journal found when a
build starts means the last one was interrupted: :func:`kg.store.recovery.recover` takes the
graphs it names out of all three databases, and the build maps them again, so no record
is trusted that was not committed everywhere.

>>> journal = BuildJournal(None)  # an in-memory store's journal is a list
>>> journal.begin(); journal.pending("urn:g"); journal.close()
>>> journal.interrupted, journal.graphs()
(True, ['urn:g'])
>>> journal.end(); journal.interrupted
False
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

_BEGIN = b"# evalkg build journal: record graphs being written\n"
_COMMITTED = b"# committed\n"


class BuildJournal:
    """The journal of the store folder ``folder`` (``None``: an in-memory store, whose
    journal is a list, kept for the build's own roll-back after a failure)."""

    NAME = "build.journal"

    def __init__(self, folder: Path | None) -> None:
        self.path = None if folder is None else folder / self.NAME
        self._file: BinaryIO | None = None
        self._memory: list[str] | None = None
        self._active = False
        self._done = False

    @property
    def interrupted(self) -> bool:
        """Whether a build began and did not end (its journal is still there)."""
        if self._active:
            return False
        return self._memory is not None if self.path is None else self.path.exists()

    @property
    def was_committed(self) -> bool:
        """Whether the interrupted build had committed its records (:meth:`committed`)."""
        if self.path is None:
            return self._done
        return self.path.exists() and _COMMITTED in self.path.read_bytes()

    def graphs(self) -> list[str]:
        """The graph IRIs the interrupted build had begun to write, each once, in order;
        none when it had committed them everywhere (:meth:`committed`). A last line
        without its line break was never synced, so no write followed it."""
        if self.path is None:
            return [] if self._done else list(dict.fromkeys(self._memory or []))
        if not self.path.exists():
            return []
        data = self.path.read_bytes()
        if _COMMITTED in data:
            return []
        lines = data.split(b"\n")[:-1]
        found = (line.decode("utf-8", "replace") for line in lines if not line.startswith(b"#"))
        return list(dict.fromkeys(line for line in found if line))

    def begin(self) -> None:
        """Start the journal of a build (the previous one, if any, has been recovered)."""
        self._active = True
        self._done = False
        if self.path is None:
            self._memory = []
            return
        self._file = open(self.path, "wb")  # noqa: SIM115 - closed by end() or close()
        self._file.write(_BEGIN)
        self.sync()
        _sync_folder(self.path.parent)

    def pending(self, graph: str) -> None:
        """``graph`` is about to be written (buffered: :meth:`sync` before writing it)."""
        if self._file is not None:
            self._file.write(graph.encode("utf-8") + b"\n")
        elif self._active and self._memory is not None:
            self._memory.append(graph)

    def sync(self) -> None:
        """Put the graphs named so far on disk."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())

    def committed(self) -> None:
        """Every record the build wrote is committed in all three databases: what is
        left (compaction, the statistics) an interrupted build finishes without taking
        any record out."""
        self._done = True
        if self._file is not None:
            self._file.write(_COMMITTED)
            self.sync()

    def end(self) -> None:
        """The build is done and committed everywhere: remove the journal."""
        self.remove()

    def remove(self) -> None:
        """Remove the journal (a build that ended, or whose records were taken out)."""
        self.close()
        self._memory = None
        if self.path is not None and self.path.exists():
            self.path.unlink()
            _sync_folder(self.path.parent)

    def close(self) -> None:
        """Stop journaling without ending (a failed build: the journal stays for
        :func:`kg.store.recovery.recover`)."""
        self._active = False
        if self._file is not None:
            self._file.close()
            self._file = None


def _sync_folder(folder: Path) -> None:
    """Make a file's creation or removal in ``folder`` durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform that cannot open folders: nothing more to do
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
