"""Read finding records from files and folders: crawled i-eval Discovery pages
(``.txt``, :mod:`kg.ingest.page`) and JSON Lines (``.jsonl``, :mod:`kg.ingest.jsonl`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import RecordError

# The two readers and what they give: importable from here too, as before they were
# split off.
from kg.ingest.jsonl import parse_jsonl as parse_jsonl
from kg.ingest.page import parse_page as parse_page
from kg.ingest.record import Record
from kg.ingest.record import Rejected as Rejected

PAGE_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")


def iter_files(
    paths: Iterable[str | os.PathLike[str]], *, skipped: list[Path] | None = None
) -> Iterator[Path]:
    """Files to read: each file as given, and the ``.txt``/``.jsonl`` files below each
    folder (recursively, sorted); the other files of the folders are appended to
    ``skipped`` when it is given (sorted too), but for notes beside the records
    (``.md``) and hidden files (``.DS_Store``), which no one takes for records. A missing
    path raises :class:`RecordError`.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: list[Path] = []
            for p in sorted(p for p in path.rglob("*") if p.is_file()):
                if p.suffix.lower() in PAGE_SUFFIXES + JSONL_SUFFIXES:
                    found.append(p)
                elif skipped is not None and not _beside_records(p):
                    skipped.append(p)
            yield from found
        elif path.is_file():
            yield path
        else:
            raise RecordError("no such file or folder", path=shown_path(path))


def _beside_records(path: Path) -> bool:
    """A note (Markdown) or a hidden file in a folder of records."""
    return path.suffix.lower() == ".md" or path.name.startswith(".")


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text that can be printed and written: bytes of a name that are not
    UTF-8 (kept by Python as lone surrogates) are shown as ``\\xNN``.

    >>> shown_path(os.fsdecode(b"caf\\xe9.jsonl"))
    'caf\\\\xe9.jsonl'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_file(path: str | Path) -> Iterator[Record | Rejected]:
    """Read one file: a page gives one record, a JSON Lines file one per line.

    Never raises for bad content: what is not a record is yielded as :class:`Rejected`.
    """
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = shown_path(name)
        reason = "file name is not UTF-8 (rename the file); not read"
        yield Rejected(shown, RecordError(reason, path=shown, value=os.fsencode(name)))
        return
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield Rejected(name, RecordError(f"cannot read file ({exc.strerror})", path=name))
        return
    if Path(path).suffix.lower() in JSONL_SUFFIXES:
        yield from parse_jsonl(data, source=name)
        return
    try:
        yield parse_page(data, source=name)
    except RecordError as exc:
        yield Rejected(name, exc)


def read_records(paths: Iterable[str | Path]) -> Iterator[Record | Rejected]:
    """Read every file below ``paths`` (see :func:`iter_files`, :func:`read_file`)."""
    for path in iter_files(paths):
        yield from read_file(path)
