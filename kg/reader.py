"""Read lesson records: crawled i-eval Discovery pages (``.txt``) and JSON Lines.

A page is flattened: ``- key:`` lines, each followed by its value on ``- `` lines; a value
may continue on lines without a dash and on further ``- `` lines (bullet lists) until the
next ``- key:`` line. ``-`` or an empty value means "no value".

>>> rec = parse_page(b"Back to index\\nT - Independent Final Evaluation\\n- eval_number:\\n- 12\\n")
>>> rec.heading, rec.eval_number
('T - Independent Final Evaluation', '12')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import RecordError
from .record import (
    CONTAINERS,
    EVALUATION_FIELDS,
    KNOWN_FIELDS,
    TEXT_FIELDS,
    LocationPair,
    Record,
    ThemePair,
)

PAGE_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
HEADER = "Back to index"
FOOTER = "Skip to top"
_KEY_LINE = re.compile(r"- ([a-z][a-z0-9_]*):")
_EVAL_NUMBER_IN_URL = re.compile(r"/eval/(\d+)")
_UNLABELLED = "_unlabelled_text"


@dataclass(slots=True)
class Rejected:
    """A source that is not a record, with the reason (a :class:`RecordError`)."""

    source: str
    error: RecordError


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files to read: each file as given, and the ``.txt``/``.jsonl`` files below each
    folder (recursively, sorted). A missing path raises :class:`RecordError`."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = (
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES + JSONL_SUFFIXES
            )
            yield from sorted(found)
        elif path.is_file():
            yield path
        else:
            raise RecordError("no such file or folder", path=str(path))


def read_file(path: str | Path) -> Iterator[Record | Rejected]:
    """Read one file: a page gives one record, a JSON Lines file one per line.

    Never raises for bad content: what is not a record is yielded as :class:`Rejected`.
    """
    name = str(path)
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


# --- pages -------------------------------------------------------------------------


def decode(data: bytes, *, source: str) -> str:
    """UTF-8 (with or without BOM) to text with ``\\n`` line ends; rejects binary data."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise RecordError(
            "binary file (NUL byte), not a lesson page",
            path=source,
            line=data.count(b"\n", 0, nul) + 1,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(
            "not UTF-8 text",
            path=source,
            line=data.count(b"\n", 0, exc.start) + 1,
            value=data[exc.start : exc.start + 8],
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_page(data: bytes, *, source: str = "<bytes>") -> Record:
    """Parse one crawled lesson page into a :class:`Record`.

    Raises :class:`RecordError` (naming ``source`` and the line) when the bytes are not a
    lesson page: empty, binary, not UTF-8, an HTML page, or no ``- key:`` line at all.
    """
    text = decode(data, source=source)
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise RecordError("empty file, not a lesson page", path=source, line=1)
    if lines[first].lstrip().startswith("<"):
        raise RecordError(
            "an HTML/XML page, not a lesson page",
            path=source,
            line=first + 1,
            value=lines[first].strip(),
        )
    keyed = [
        (i, found.group(1))
        for i, line in enumerate(lines)
        if (found := _KEY_LINE.fullmatch(line.rstrip()))
    ]
    keys = [i for i, _ in keyed]
    if not keys:
        raise RecordError(
            "no '- key:' line: not a lesson page",
            path=source,
            line=first + 1,
            value=lines[first].strip(),
        )
    record = Record(source=source, sha256=hashlib.sha256(data).hexdigest())
    _read_preamble(record, lines[: keys[0]], source)
    end = _footer_index(lines)
    if end < keys[-1]:
        end = len(lines)
    if end < len(lines) and any(line.strip() for line in lines[end + 1 :]):
        record.warnings.append(f"{source}:{end + 2}: text after '{FOOTER}' kept as a field")
        record.extra.append((_UNLABELLED, "\n".join(lines[end + 1 :]).strip("\n")))
    fields = []
    for n, (start, key) in enumerate(keyed):
        stop = keys[n + 1] if n + 1 < len(keys) else end
        fields.append((key, _value(lines[start + 1 : stop]), start + 1))
    _assemble(record, fields)
    if end == len(lines):
        record.warnings.append(f"{source}: no '{FOOTER}' footer (page may be cut)")
    return finish(record)


def _footer_index(lines: list[str]) -> int:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() == FOOTER:
            return i
    return len(lines)


def _read_preamble(record: Record, head: list[str], source: str) -> None:
    """The lines before the first key: ``Back to index`` and the heading."""
    rest = [(i, line) for i, line in enumerate(head) if line.strip()]
    if rest and rest[0][1].strip() == HEADER:
        rest = rest[1:]
    else:
        record.warnings.append(f"{source}:1: no '{HEADER}' line")
    if rest:
        record.heading = rest[0][1]
        rest = rest[1:]
    if rest:
        record.warnings.append(f"{source}:{rest[0][0] + 1}: unlabelled text before the fields")
        record.extra.append((_UNLABELLED, "\n".join(line for _, line in rest)))


def _value(lines: list[str]) -> str | None:
    """The value of a key from its lines; ``None`` for no value."""
    out = []
    for line in lines:
        if line.startswith("- "):
            out.append(line[2:])
        elif line.rstrip() == "-":
            out.append("-")
        else:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    if not out or (len(out) == 1 and out[0].strip() == "-"):
        return None
    return "\n".join(out)


def _assemble(record: Record, fields: list[tuple[str, str | None, int]]) -> None:
    """Put ``(key, value, line)`` triples into the record's slots."""
    for key, value, line in fields:
        if key in CONTAINERS:
            if value is not None:
                record.warnings.append(
                    f"{record.where}:{line}: container '{key}' has a value; kept as a field"
                )
                record.extra.append((key, value))
            continue
        _put(record, key, value, line)


def _put(record: Record, key: str, value: str | None, line: int | None) -> None:
    where = record.where if line is None else f"{record.source}:{line}"
    if key == "theme":
        record.themes.append(ThemePair(theme=value))
    elif key == "category":
        if record.themes and record.themes[-1].category is None:
            record.themes[-1].category = value
        else:
            record.themes.append(ThemePair(category=value))
    elif key == "country":
        record.locations.append(LocationPair(country=value))
    elif key == "region":
        if record.locations and record.locations[-1].region is None:
            record.locations[-1].region = value
        else:
            record.locations.append(LocationPair(region=value))
    elif value is None:
        return
    elif key in KNOWN_FIELDS:
        slot = "lesson_url" if key == "url" else key
        current = record.texts.get(key) if key in TEXT_FIELDS else getattr(record, slot)
        if current is not None:
            record.warnings.append(f"{where}: field '{key}' repeated; later value kept as a field")
            record.extra.append((key, value))
        elif key in TEXT_FIELDS:
            record.texts[key] = value
        else:
            setattr(record, slot, value)
    else:
        record.extra.append((key, value))


def finish(record: Record) -> Record:
    """Derive what the page implies: the eval number from ``eval_url``; warn on gaps."""
    if record.eval_number is None and record.eval_url:
        found = _EVAL_NUMBER_IN_URL.search(record.eval_url)
        if found:
            record.eval_number = found.group(1)
    missing = [
        key
        for key in ("eval_number", "url", "eval_title")
        if (record.lesson_url if key == "url" else getattr(record, key)) is None
    ]
    if missing:
        record.warnings.append(f"{record.where}: missing field(s): {', '.join(missing)}")
    return record


# --- JSON Lines ----------------------------------------------------------------------


def parse_jsonl(data: bytes, *, source: str = "<bytes>") -> Iterator[Record | Rejected]:
    """Records from JSON Lines: one JSON object per line, the page's field names and
    nesting (``lessons_learned`` → ``themes`` → ``theme``/``category``; ``location`` →
    ``country``/``region``). A bad line is yielded as :class:`Rejected`, the rest goes on."""
    try:
        text = decode(data, source=source)
    except RecordError as exc:
        yield Rejected(source, exc)
        return
    if not text.strip():
        yield Rejected(source, RecordError("empty file, no records", path=source, line=1))
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        raw = line.encode("utf-8")
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            err = RecordError(f"not JSON ({exc.msg})", path=source, line=number, value=line)
            yield Rejected(f"{source}:{number}", err)
            continue
        if not isinstance(obj, dict):
            err = RecordError("not a JSON object", path=source, line=number, value=line)
            yield Rejected(f"{source}:{number}", err)
            continue
        yield from _records_from_json(obj, raw, source, number)


def _records_from_json(
    obj: dict[str, object], raw: bytes, source: str, number: int
) -> Iterator[Record | Rejected]:
    lessons = obj.get("lessons_learned")
    items = lessons if isinstance(lessons, list) else [lessons]
    digest = hashlib.sha256(raw).hexdigest()
    for index, lesson in enumerate(items):
        record = Record(source=source, line=number, sha256=digest)
        if len(items) > 1:
            record.sha256 = hashlib.sha256(raw + f"#{index}".encode()).hexdigest()
        for key, value in obj.items():
            if key == "lessons_learned":
                continue
            _put_json(record, key, value)
        if isinstance(lesson, dict):
            for key, value in lesson.items():
                _put_json(record, key, value)
        elif lesson is not None:
            _put_json(record, "lessons_learned", lesson)
        has_fields = any(
            (
                record.heading,
                record.lesson_url,
                record.texts,
                record.themes,
                record.locations,
                *(getattr(record, k) for k in EVALUATION_FIELDS),
            )
        )
        if not has_fields and not record.extra:
            err = RecordError("JSON object with no lesson fields", path=source, line=number)
            yield Rejected(f"{source}:{number}", err)
            continue
        yield finish(record)


def _put_json(record: Record, key: str, value: object) -> None:
    if key in ("title", "heading"):
        record.heading = _scalar(value)
    elif key in ("themes", "location"):
        inner = "theme" if key == "themes" else "country"
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                first = [(inner, item.get(inner))]
                rest = [(k, v) for k, v in item.items() if k != inner]
                for k, v in first + rest:
                    _put_json(record, k, v)
            elif item is not None:
                _put_json(record, inner, item)
    elif isinstance(value, (dict, list)):
        record.warnings.append(f"{record.where}: field '{key}' holds nested data; kept as JSON")
        record.extra.append((key, json.dumps(value, ensure_ascii=False)))
    else:
        _put(record, key, _scalar(value), None)


def _scalar(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return None if text.strip() in ("", "-") else text
