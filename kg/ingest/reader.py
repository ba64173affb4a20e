"""Read finding records: crawled i-eval Discovery pages (``.txt``) and JSON Lines.

The site serves each page in two layouts. In the first (the seed's), ``- key:`` lines are
each followed by their value on ``- `` lines; a value may continue on lines without a
dash and on further ``- `` lines (bullet lists) until the next key. In the second, a
``Go to ILO main website`` line comes first, keys are written ``key:`` with no dash,
values on plain lines (their line breaks flattened) and blank lines separate groups.
Keys decide, not positions: any order is read, and each ``country`` is paired with its
``region`` whichever comes first. ``-``, ``N/A``… mean "no value" (kept as placeholders).

>>> rec = parse_page(b"Back to index\\nT - Independent Final Evaluation\\n- eval_number:\\n- 12\\n")
>>> rec.heading, rec.eval_number, rec.layout
('T - Independent Final Evaluation', '12', 'dash')
>>> rec = parse_page(b"Go to ILO main website\\nBack to index\\n\\nT\\n\\neval_number:\\n12\\n")
>>> rec.eval_number, rec.layout, rec.kind
('12', 'plain', 'lesson')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import RecordError
from kg.ingest.record import (
    CONTAINERS,
    EVALUATION_FIELDS,
    KNOWN_FIELDS,
    LESSON,
    PAIR_FIELDS,
    RECOMMENDATION,
    RECORD_TYPES,
    TEXT_FIELDS,
    TYPE_CONTAINERS,
    TYPE_FIELDS,
    URL_SEGMENTS,
    LocationPair,
    Record,
    ThemePair,
)

PAGE_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
HEADER = "Back to index"
FOOTER = "Skip to top"
_EVAL_NUMBER_IN_URL = re.compile(r"/eval/(\d+)")
_SEGMENT_TYPES = {segment: kind for kind, segment in URL_SEGMENTS.items()}
# A record's address: its type's segment, then its id, at the end of the url.
ADDRESS = re.compile(r"/(lessons|practices|recommendations)/([^/?#\s][^/?#]*?)/?\s*(?:[?#].*)?$")
_UNLABELLED = "_unlabelled_text"


@dataclass(slots=True)
class Rejected:
    """A source that is not a record, with the reason (a :class:`RecordError`)."""

    source: str
    error: RecordError


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


# --- pages -------------------------------------------------------------------------

#: Lines of the site's page chrome before the heading (the second layout adds the first).
HEADERS = ("Go to ILO main website", HEADER)
#: Values that mean "no value" (compared case-insensitively, stripped).
PLACEHOLDERS = frozenset(("-", ".", "n/a", "na", "not applicable", "not applicable."))
#: First lines of the site's list pages (an index of records, not one record).
LIST_PAGES = frozenset(
    ("lessons learned", "emerging good practices", "good practices", "recommendations")
)
# A line that looks like a key: an optional dash, a name of up to three words, a colon.
_KEYLIKE = re.compile(r"\s*(-?)\s*([A-Za-z][A-Za-z0-9_]*(?: [A-Za-z0-9_]+){0,2})\s*:\s*")
# The site's own way of writing a key, in either layout.
_SITE_KEY = re.compile(r"(- )?([a-z][a-z0-9_]*):")
#: Record type → keys only that type has (to tell the type of a page cut before its url).
_TYPE_KEYS = {
    kind: frozenset(TYPE_FIELDS[kind]) - {"comments", "context", "description"}
    for kind in RECORD_TYPES
}


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


def record_type(url: str | None) -> str | None:
    """The record type an address names, else ``None``.

    >>> record_type("https://analyticstest.ilo.org/ievaldiscovery/practices/218646")
    'practice'
    >>> record_type("https://webapps.ilo.org/ievaldiscovery/recommendations") is None
    True
    """
    found = ADDRESS.search(url or "")
    return None if found is None else _SEGMENT_TYPES[found.group(1)]


def parse_page(data: bytes, *, source: str = "<bytes>") -> Record:
    """Parse one crawled page, in either of the site's layouts, into a :class:`Record`.

    Raises :class:`RecordError` (naming ``source`` and the line) when the bytes are not a
    record page: empty, binary, not UTF-8, an HTML page, a list page of the site, or no
    key line at all.
    """
    text = decode(data, source=source)
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise RecordError("empty file, not a record page", path=source, line=1)
    opening = lines[first].strip()
    if opening.startswith("<"):
        raise RecordError(
            "an HTML/XML page, not a record page", path=source, line=first + 1, value=opening
        )
    record = Record(source=source, sha256=hashlib.sha256(data).hexdigest())
    keyed = _key_lines(lines, record)
    if not keyed:
        if opening.casefold() in LIST_PAGES:
            raise RecordError(
                "a list page of i-eval Discovery (an index of records), not a record page",
                path=source,
                line=first + 1,
                value=opening,
            )
        raise RecordError(
            "no key line ('- key:' or 'key:'): not an i-eval Discovery record page",
            path=source,
            line=first + 1,
            value=opening,
        )
    dashed = sum(1 for _, _, dash in keyed if dash)
    plain_chrome = any(line.strip() == HEADERS[0] for line in lines[: keyed[0][0]])
    record.layout = "plain" if plain_chrome or dashed * 2 < len(keyed) else "dash"
    _read_preamble(record, lines[: keyed[0][0]], source)
    end = _footer_index(lines)
    if end < keyed[-1][0]:
        end = len(lines)
    if end < len(lines) and any(line.strip() for line in lines[end + 1 :]):
        record.warnings.append(f"{source}:{end + 2}: text after '{FOOTER}' kept as a field")
        record.extra.append((_UNLABELLED, "\n".join(lines[end + 1 :]).strip("\n")))
    if end == len(lines):
        record.truncated = True
        end = _cut_tail(lines, keyed[-1][0], record)
    fields = []
    for n, (start, key, _) in enumerate(keyed):
        stop = keyed[n + 1][0] if n + 1 < len(keyed) else end
        fields.append((key, lines[start + 1 : stop], start + 1))
    _assemble(record, fields)
    record.kind = _page_type(record, [key for _, key, _ in keyed])
    if record.truncated:
        record.warnings.append(f"{source}: no '{FOOTER}' footer: the page is cut short")
    return finish(record)


def _key_lines(lines: list[str], record: Record) -> list[tuple[int, str, bool]]:
    """``(index, key, dashed)`` of each key line. The site's keys are read whatever their
    case and spacing (with a warning when not written as the site writes them); an
    unknown ``- name:`` line is a key evalkg does not know; other lines that look like
    keys stay text, with a warning."""
    out = []
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        found = _KEYLIKE.fullmatch(line)
        if found is None:
            continue
        name = found.group(2).lower().replace(" ", "_")
        site = _SITE_KEY.fullmatch(line)
        if name in KNOWN_FIELDS:
            if site is None:
                record.warnings.append(
                    f"{record.source}:{i + 1}: key written {line.strip()!r}; read as {name!r}"
                )
            out.append((i, name, bool(found.group(1))))
        elif site is not None and (site.group(1) or "_" in name):
            out.append((i, name, bool(site.group(1))))
        else:
            record.warnings.append(
                f"{record.source}:{i + 1}: {line.strip()!r} looks like a key but is not one "
                "of the site's; kept as text"
            )
    return out


def _cut_tail(lines: list[str], last_key: int, record: Record) -> int:
    """Where the text of a page with no footer ends: a last line that is the start of the
    footer (``Skip to t``) or of a key name (``- administra``) is where the crawl
    stopped, not text; it is left out with a warning that quotes it."""
    end = len(lines)
    while end > last_key + 1 and not lines[end - 1].strip():
        end -= 1
    if end <= last_key + 1:
        return end
    tail = lines[end - 1].strip()
    name = tail[1:].strip() if tail.startswith("-") else tail
    if len(tail) >= 4 and FOOTER.startswith(tail):
        what = "inside the footer"
    elif len(name) >= 3 and re.fullmatch(r"[A-Za-z_]+", name) and _starts_a_key(name.lower()):
        what = "inside a key name"
    else:
        return len(lines)
    record.warnings.append(
        f"{record.source}:{end}: the page stops {what}: {tail!r} left out of the values"
    )
    return end - 1


def _starts_a_key(name: str) -> bool:
    return any(key.startswith(name) for key in KNOWN_FIELDS)


def _page_type(record: Record, keys: list[str]) -> str:
    """The record's type: its address says; else its container key; else the keys only
    one type has; else a lesson, with a warning."""
    by_url = record_type(record.url)
    by_keys = next((k for k, c in TYPE_CONTAINERS.items() if c in keys), None)
    if by_keys is None:
        seen = set(keys)
        by_keys = next((k for k in RECORD_TYPES if _TYPE_KEYS[k] & seen), None)
    if by_url is not None:
        if by_keys is not None and by_keys != by_url:
            record.warnings.append(
                f"{record.where}: the address says {by_url} but the keys say {by_keys}; "
                f"read as a {by_url}"
            )
        return by_url
    if by_keys is None:
        record.warnings.append(
            f"{record.where}: no address and no key tells the type; read as a lesson"
        )
        return LESSON
    return by_keys


def _footer_index(lines: list[str]) -> int:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() == FOOTER:
            return i
    return len(lines)


def _read_preamble(record: Record, head: list[str], source: str) -> None:
    """The lines before the first key: the site's chrome and the heading."""
    rest = [(i, line) for i, line in enumerate(head) if line.strip()]
    back = next((n for n, (_, line) in enumerate(rest) if line.strip() == HEADER), None)
    if back is None:
        record.warnings.append(f"{source}:1: no '{HEADER}' line")
        while rest and rest[0][1].strip() in HEADERS:
            rest = rest[1:]
    else:  # the site's chrome ends with "Back to index"; anything else before it is kept
        before = [(i, line) for i, line in rest[:back] if line.strip() not in HEADERS]
        if before:
            record.warnings.append(
                f"{source}:{before[0][0] + 1}: unlabelled text before '{HEADER}'"
            )
            record.extra.append((_UNLABELLED, "\n".join(line for _, line in before)))
        rest = rest[back + 1 :]
    if rest:
        record.heading = rest[0][1]
        rest = rest[1:]
    if rest:
        record.warnings.append(f"{source}:{rest[0][0] + 1}: unlabelled text before the fields")
        record.extra.append((_UNLABELLED, "\n".join(line for _, line in rest)))


def _value(lines: list[str], dashed: bool) -> tuple[str | None, str | None]:
    """``(value, placeholder)`` of a key from its lines: the value is ``None`` for no
    value, and the placeholder is what the page wrote for it (``N/A``, ``-``…), if
    anything. In the dash layout each line's ``- `` is the layout's, not the text's."""
    out = []
    for line in lines:
        if dashed and line.startswith("- "):
            out.append(line[2:])
        elif dashed and line.rstrip() == "-":
            out.append("-")
        else:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    if not out:
        return None, None
    joined = "\n".join(out)
    if joined.strip().casefold() in PLACEHOLDERS:
        return None, joined
    if out[0].strip() == "-":  # a bare "-" line, then the text: the text
        out.pop(0)
        while out and not out[0].strip():
            out.pop(0)
        return "\n".join(out), None
    return joined, None


def _assemble(record: Record, fields: list[tuple[str, list[str], int]]) -> None:
    """Put each ``(key, lines, line number)`` into the record's slots."""
    dashed = record.layout == "dash"
    pairs = _Pairs(record)
    for key, lines, line in fields:
        value, placeholder = _value(lines, dashed)
        if key in CONTAINERS:
            if value is not None or placeholder is not None:
                record.warnings.append(
                    f"{record.source}:{line}: container '{key}' has a value; kept as a field"
                )
                record.extra.append((key, value if value is not None else str(placeholder)))
            continue
        if placeholder is not None:
            record.placeholders.setdefault(key, placeholder)
        where = f"{record.source}:{line}"
        if key in PAIR_FIELDS:
            pairs.put(key, value)
        else:
            _put(record, key, value, where)


class _Pairs:
    """Pairs ``theme``/``category`` and ``country``/``region`` keys in page order, whichever
    of the two comes first: a key opens a new pair when the current one has that key
    already."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.filled: dict[str, set[str]] = {"theme": set(), "location": set()}

    def put(self, key: str, value: str | None) -> None:
        record = self.record
        group = "theme" if key in ("theme", "category") else "location"
        items: list[Any] = record.themes if group == "theme" else record.locations
        filled = self.filled[group]
        if not items or key in filled:
            items.append(ThemePair() if group == "theme" else LocationPair())
            filled.clear()
        filled.add(key)
        setattr(items[-1], key, value)


def _put(record: Record, key: str, value: str | None, where: str) -> None:
    if value is None:
        return
    if key in KNOWN_FIELDS:
        current = record.texts.get(key) if key in TEXT_FIELDS else getattr(record, key)
        if current is not None:
            record.warnings.append(f"{where}: field '{key}' repeated; later value kept as a field")
            record.extra.append((key, value))
        elif key in TEXT_FIELDS:
            record.texts[key] = value
        else:
            setattr(record, key, value)
    else:
        record.extra.append((key, value))


def finish(record: Record) -> Record:
    """Derive what the page implies: the eval number from ``eval_url``; warn on gaps."""
    if record.eval_number is None and record.eval_url:
        found = _EVAL_NUMBER_IN_URL.search(record.eval_url)
        if found:
            record.eval_number = found.group(1)
    if record.url is not None and record_type(record.url) is None:
        record.warnings.append(
            f"{record.where}: url {record.url!r} names no record (cut short?); the record is "
            "identified by its content"
        )
    missing = [key for key in ("eval_number", "url", "eval_title") if getattr(record, key) is None]
    if missing:
        record.warnings.append(f"{record.where}: missing field(s): {', '.join(missing)}")
    return record


# --- JSON Lines ----------------------------------------------------------------------

#: How deep a line may nest (a record nests four levels: the line, its container,
#: ``themes``, a pair); a deeper line is rejected.
MAX_DEPTH = 64
#: Keys that hold one value: written twice in one object, the first is kept.
_SINGLE = frozenset((*EVALUATION_FIELDS, *TEXT_FIELDS, "url", "heading"))


class JsonNumber(str):
    """A JSON number (or ``NaN``, ``Infinity``) as written: ``1e400`` stays ``1e400`` and
    ``3642.0000000000000001`` keeps every digit; never converted to an int or a float.

    >>> _loads('{"n": 1e400, "m": 3642.0000000000000001}')
    {'n': '1e400', 'm': '3642.0000000000000001'}
    """

    __slots__ = ()


class JsonObject(dict[str, object]):
    """A JSON object: the first value of each key, and in :attr:`members` every member as
    written, repeated keys included.

    >>> _loads('{"a": 1, "a": 2}').members
    [('a', '1'), ('a', '2')]
    """

    __slots__ = ("members",)

    def __init__(self, members: list[tuple[str, object]]) -> None:
        super().__init__(members)
        if len(self) < len(members):  # a key repeated: its first value, not its last
            for key, value in reversed(members):
                self[key] = value
        self.members = members


_DECODER = json.JSONDecoder(
    object_pairs_hook=JsonObject,
    parse_int=JsonNumber,
    parse_float=JsonNumber,
    parse_constant=JsonNumber,
)


def _loads(line: str) -> object:
    return _DECODER.decode(line)


def parse_jsonl(data: bytes, *, source: str = "<bytes>") -> Iterator[Record | Rejected]:
    """Records from JSON Lines: one JSON object per line, the page's field names and
    nesting (``lessons_learned`` → ``themes`` → ``theme``/``category``; ``location`` →
    ``country``/``region``). Values are kept as written (numbers too). A bad line is
    yielded as :class:`Rejected`, the rest goes on."""
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
        try:
            obj = _loads(line)
        except json.JSONDecodeError as exc:
            # the parser's message names what is wrong ("Unterminated string starting
            # at"); the column says where, and the value shown is the line from there
            message = f"not JSON: {exc.msg} column {exc.colno}"
            err = RecordError(message, path=source, line=number, value=line[exc.pos :][:60])
            yield Rejected(f"{source}:{number}", err)
            continue
        except RecursionError:  # the parser's own limit, far beyond MAX_DEPTH
            message = f"nested more than {MAX_DEPTH} levels deep"
            err = RecordError(message, path=source, line=number, value=line)
            yield Rejected(f"{source}:{number}", err)
            continue
        if not isinstance(obj, JsonObject):
            err = RecordError("not a JSON object", path=source, line=number, value=line)
            yield Rejected(f"{source}:{number}", err)
            continue
        problem = _unreadable(obj, line)
        if problem is not None:
            bad = line if problem[1] is None else problem[1]
            err = RecordError(problem[0], path=source, line=number, value=bad)
            yield Rejected(f"{source}:{number}", err)
            continue
        yield from _records_from_json(obj, line.encode("utf-8"), source, number)


def _unreadable(obj: JsonObject, line: str) -> tuple[str, object] | None:
    """Why the ``line`` read as ``obj`` cannot be kept as it was written, and the bad
    part: it nests deeper than :data:`MAX_DEPTH`, or a key or a string holds a lone
    surrogate (a ``\\uD800`` escape not in a pair), which is no text and could not be
    written out."""
    if "\\u" not in line and line.count("[") + line.count("{") <= MAX_DEPTH:
        return None  # only an escape makes a surrogate; each level takes a bracket
    stack: list[tuple[object, int, str]] = [(obj, 1, "")]
    while stack:
        value, depth, key = stack.pop()
        inner: list[tuple[str, object]] = []
        if isinstance(value, JsonObject):
            inner = value.members
        elif isinstance(value, list):
            inner = [(key, item) for item in value]
        elif isinstance(value, str) and not _is_text(value):
            return f"a lone surrogate in the value of {key!r}: not text", value
        if isinstance(value, (dict, list)) and depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep", None
        for name, item in inner:
            if isinstance(value, JsonObject) and not _is_text(name):
                return "a lone surrogate in a key: not text", name
            stack.append((item, depth + 1, name))
    return None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_type(value: object) -> str:
    if isinstance(value, JsonNumber):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else "an object"


def _container_items(
    obj: JsonObject, container: str | None, source: str, number: int
) -> list[JsonObject | None]:
    """The records a line holds: its container's object, or each object of its list (of
    each, when the key is written twice); ``[None]`` for a line with no container or a
    ``null`` one (the record is then the line's own fields). Raises :class:`RecordError`
    when the container holds no record or something else than objects."""
    if container is None:
        return [None]
    items: list[JsonObject | None] = []
    for key, value in obj.members:
        if key != container or value is None:
            continue
        if isinstance(value, JsonObject):
            listed = [value]
            if not value:
                message = f"'{container}' is an empty object: no record in this line"
                raise RecordError(message, path=source, line=number)
        elif isinstance(value, list):
            listed = value
            if not value:
                message = f"'{container}' is an empty list: no record in this line"
                raise RecordError(message, path=source, line=number)
        else:
            message = f"'{container}' holds {_json_type(value)}, not an object or a list of them"
            raise RecordError(message, path=source, line=number, value=value)
        for n, item in enumerate(listed, start=1):
            if not isinstance(item, JsonObject):
                message = f"item {n} of '{container}' is {_json_type(item)}, not an object"
                raise RecordError(message, path=source, line=number, value=_dump(item))
            if not item:
                message = f"item {n} of '{container}' is an empty object: no record in it"
                raise RecordError(message, path=source, line=number)
            items.append(item)
    return items or [None]


def _members(obj: JsonObject) -> list[tuple[str, object, bool]]:
    """``(key, value, repeated)`` of each member of ``obj``, as written."""
    if len(obj) == len(obj.members):
        return [(key, value, False) for key, value in obj.members]
    seen: set[str] = set()
    out = []
    for key, value in obj.members:
        out.append((key, value, key in seen))
        seen.add(key)
    return out


def _records_from_json(
    obj: JsonObject, raw: bytes, source: str, number: int
) -> Iterator[Record | Rejected]:
    kind = next((k for k, c in TYPE_CONTAINERS.items() if c in obj), None)
    container = TYPE_CONTAINERS[kind] if kind is not None else None
    try:
        items = _container_items(obj, container, source, number)
    except RecordError as exc:
        yield Rejected(f"{source}:{number}", exc)
        return
    times = sum(1 for key, _ in obj.members if key == container) if container else 0
    digest = hashlib.sha256(raw).hexdigest()
    for index, item in enumerate(items):
        record = Record(source=source, line=number, sha256=digest, layout="json")
        if len(items) > 1:
            record.sha256 = hashlib.sha256(raw + f"#{index}".encode()).hexdigest()
        record.kind = kind or LESSON
        if times > 1:
            record.warnings.append(
                f"{record.where}: key {container!r} written {times} times in one object; "
                "the records of each are read"
            )
        for key, value, repeated in _members(obj):
            if key == container:
                continue
            if key in TYPE_CONTAINERS.values():
                record.warnings.append(
                    f"{record.where}: a second record type ({key!r}) in one line; kept as a field"
                )
                record.extra.append((key, _dump(value)))
                continue
            _put_member(record, key, value, repeated=repeated, inside=False)
        if item is not None:
            for key, value, repeated in _members(item):
                _put_member(record, key, value, repeated=repeated, inside=True)
        has_fields = any(
            (
                record.heading,
                record.url,
                record.texts,
                record.themes,
                record.locations,
                *(getattr(record, k) for k in EVALUATION_FIELDS),
            )
        )
        if not has_fields and not record.extra:
            err = RecordError("JSON object with no record fields", path=source, line=number)
            yield Rejected(f"{source}:{number}", err)
            continue
        by_url = record_type(record.url)
        if kind is None:
            seen = set(record.texts)
            by_keys = next((k for k in RECORD_TYPES if _TYPE_KEYS[k] & seen), None)
            record.kind = by_url or by_keys or LESSON
        elif by_url is not None and by_url != kind:
            record.warnings.append(
                f"{record.where}: the address says {by_url} but the keys say {kind}; "
                f"read as a {by_url}"
            )
            record.kind = by_url
        yield finish(record)


def _put_member(record: Record, key: str, value: object, *, repeated: bool, inside: bool) -> None:
    """One member of an object. A key written twice in one object is warned of: a key
    that holds several values (themes, locations, keys evalkg does not know) keeps both;
    one that holds one value keeps the first, and the later one as an extra field."""
    if not repeated:
        _put_json(record, key, value, inside=inside)
        return
    twice = f"{record.where}: key {key!r} written twice in one object"
    if key not in _SINGLE:
        record.warnings.append(f"{twice}; both values kept")
        _put_json(record, key, value, inside=inside)
    elif value is None:
        record.warnings.append(f"{twice}; the first value kept (the later one is null)")
    else:
        text = value if isinstance(value, str) else _dump(value)
        record.warnings.append(
            f"{twice}; the first value kept, the later one {_shown(text)} as an extra field"
        )
        record.extra.append((key, text))


def _put_json(record: Record, key: str, value: object, *, inside: bool) -> None:
    """One JSON member. ``title`` is the heading, except inside a recommendation, where it
    is the recommendation's own text (as on the page)."""
    if key == "heading" or (key == "title" and not (inside and record.kind == RECOMMENDATION)):
        heading = _scalar(value, record, key)
        if heading is not None and record.heading is not None:
            record.warnings.append(
                f"{record.where}: {key!r} gives a second heading; the first kept, "
                f"{_shown(heading)} as an extra field"
            )
            record.extra.append((key, heading))
        elif heading is not None:
            record.heading = heading
    elif key in ("themes", "location"):
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, JsonObject):
                if key == "themes":
                    pair: Any = ThemePair()
                    record.themes.append(pair)
                else:
                    pair = LocationPair()
                    record.locations.append(pair)
                for k, v, repeated in _members(item):
                    if k in PAIR_FIELDS and hasattr(pair, k) and not repeated:
                        setattr(pair, k, _scalar(v, record, k))
                    else:
                        _put_member(record, k, v, repeated=repeated, inside=inside)
            elif item is not None:
                inner = "theme" if key == "themes" else "country"
                _put_json(record, inner, item, inside=inside)
    elif key in TYPE_CONTAINERS.values():
        record.warnings.append(
            f"{record.where}: a record type ({key!r}) inside a record; kept as a field"
        )
        record.extra.append((key, value if isinstance(value, str) else _dump(value)))
    elif isinstance(value, (dict, list)):
        record.warnings.append(f"{record.where}: field '{key}' holds nested data; kept as JSON")
        record.extra.append((key, _dump(value)))
    elif key in PAIR_FIELDS:
        scalar = _scalar(value, record, key)
        if key in ("theme", "category"):
            record.themes.append(ThemePair(**{key: scalar}))
        else:
            record.locations.append(LocationPair(**{key: scalar}))
    else:
        _put(record, key, _scalar(value, record, key), record.where)


def _scalar(value: object, record: Record, key: str) -> str | None:
    if value is None:
        return None
    text = str(value) if isinstance(value, str) else _dump(value)
    if not text.strip():
        return None
    if text.strip().casefold() in PLACEHOLDERS:
        record.placeholders.setdefault(key, text)
        return None
    return text


def _dump(value: object) -> str:
    """``value`` as JSON: numbers as written, every member of an object, repeated keys
    included.

    >>> _dump(_loads('{"n": 1e400, "n": [true, null, "é"]}'))
    '{"n": 1e400, "n": [true, null, "é"]}'
    """
    if isinstance(value, JsonNumber):
        return str(value)
    if isinstance(value, dict):
        members = value.members if isinstance(value, JsonObject) else list(value.items())
        inner = (f"{json.dumps(k, ensure_ascii=False)}: {_dump(v)}" for k, v in members)
        return "{" + ", ".join(inner) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _shown(value: object) -> str:
    """``value`` for a message: its ``repr`` (escaped), cut at 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
