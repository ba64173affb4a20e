"""What a build did (:class:`BuildReport`), and the lines that tell it (:meth:`BuildReport.lines`).

>>> report = BuildReport(files=1, accepted=1, added=1, by_type={"lesson": 1}, store="s")
>>> for line in report.lines():
...     print(line.text)
Read 1 file(s), 1 record(s): 1 accepted (1 lesson), 0 rejected (1 new, 0 replaced, 0 unchanged).
Store s: 0 triples; took 0.0 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import NamedTuple

from kg.ingest.reader import Rejected
from kg.ingest.record import RECORD_TYPES, TYPE_NAMES

#: Warnings a report lists unless asked for all of them.
WARNINGS_SHOWN = 10


class Line(NamedTuple):
    """A line of a report; ``alert``: a repair or a rejection, which the command line
    writes to standard error."""

    text: str
    alert: bool = False


@dataclass
class BuildReport:
    """What a build did. ``read == accepted + len(rejected)`` always holds."""

    files: int = 0
    accepted: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    unknown_keys: dict[str, list[str]] = field(default_factory=dict)
    triples: int = 0
    seconds: float = 0.0
    compact_seconds: float = 0.0
    #: Seconds spent counting the statistics graph (:func:`kg.sparql.stats.refresh`).
    count_seconds: float = 0.0
    #: Records accepted, by type (``lesson``, ``practice``, ``recommendation``).
    by_type: dict[str, int] = field(default_factory=dict)
    #: Copies of a record read more than once: ``(kept, left out)`` sources.
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    #: What was repaired after an interrupted build (:mod:`kg.store.recovery`), if anything.
    recovered: str | None = None
    #: The build's time stamp (``prov:generatedAtTime``).
    now: str = ""
    #: The record graphs this build read (accepted, whether new, changed or unchanged).
    graphs_seen: set[str] = field(default_factory=set)
    #: Records the store held that this build did not read, and of those, removed.
    unseen: int = 0
    pruned: int = 0
    #: Files of the folders that were not read: neither record pages nor JSON Lines
    #: (their suffix is not one of :data:`kg.ingest.reader.PAGE_SUFFIXES`, ``JSONL_SUFFIXES``).
    skipped: list[str] = field(default_factory=list)
    #: The store folder written (``<memory>``: an in-memory store).
    store: str = "<memory>"

    @property
    def read(self) -> int:
        """Records read: pages, JSON Lines records, and what was rejected."""
        return self.accepted + len(self.rejected)

    @property
    def ok(self) -> bool:
        """True when nothing was rejected."""
        return not self.rejected

    def lines(self, *, quiet: bool = False, verbose: bool = False) -> list[Line]:
        """The report as lines: a repair, the records no longer given, what was read,
        skipped and written, unknown fields, the first :data:`WARNINGS_SHOWN` warnings
        (``verbose``: all; ``quiet``: none), then every rejection."""
        lines = [Line(f"Repaired: {self.recovered}.", alert=True)] if self.recovered else []
        lines += [Line(text) for text in (self._unseen(), self._read(), self._skipped())]
        lines.append(Line(self._written()))
        for key, where in sorted(self.unknown_keys.items()):
            text = f"Unknown field {key!r} in {len(where)} record(s), first {where[0]}; kept."
            lines.append(Line(text))
        if self.warnings and not quiet:
            shown = self.warnings if verbose else self.warnings[:WARNINGS_SHOWN]
            lines.append(Line(f"{len(self.warnings)} warning(s):"))
            lines += [Line(f"  {warning}") for warning in shown]
            if len(shown) < len(self.warnings):
                lines.append(Line("  ... (--verbose lists them all)"))
        if self.rejected:
            lines.append(Line(f"Rejected {len(self.rejected)}:", alert=True))
            lines += [Line(f"  {item.error}", alert=True) for item in self.rejected]
        return [line for line in lines if line.text]

    def _unseen(self) -> str:
        if self.pruned:
            return f"Removed {self.pruned} record(s) that PATHS no longer give (--prune)."
        if self.unseen:
            return (
                f"The store holds {self.unseen} record(s) this build did not read (their "
                "files are gone, or were not given); --prune removes them."
            )
        return ""

    def _read(self) -> str:
        types = ", ".join(
            f"{n} {TYPE_NAMES[kind] if n != 1 else TYPE_NAMES[kind].removesuffix('s')}"
            for kind in RECORD_TYPES
            if (n := self.by_type.get(kind, 0))
        )
        copies = f"; {len(self.duplicates)} copies of records read twice" if self.duplicates else ""
        return (
            f"Read {self.files} file(s), {self.read} record(s): {self.accepted} accepted"
            f"{f' ({types})' if types else ''}, {len(self.rejected)} rejected{copies} "
            f"({self.added} new, {self.replaced} replaced, {self.unchanged} unchanged)."
        )

    def _skipped(self) -> str:
        """``Skipped 2 file(s) that are not record pages or JSON Lines (.bin, .html): first …``"""
        if not self.skipped:
            return ""
        kinds = sorted({PurePath(p).suffix.lower() or "no extension" for p in self.skipped})
        return (
            f"Skipped {len(self.skipped)} file(s) that are not record pages or JSON Lines "
            f"({', '.join(kinds)}): first {self.skipped[0]}."
        )

    def _written(self) -> str:
        parts = [
            f"{what} {seconds:.1f} s"
            for what, seconds in (
                ("compacting", self.compact_seconds),
                ("counting statistics", self.count_seconds),
            )
            if seconds >= 0.1
        ]
        compacted = f" ({', '.join(parts)})" if parts else ""
        return (
            f"Store {self.store}: {self.triples:,} triples; took {self.seconds:.1f} s{compacted}."
        )
