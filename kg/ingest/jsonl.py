"""Read JSON Lines: one record per line (or one per item of its container), with the
page's field names and nesting; values kept as written, numbers too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from kg.errors import RecordError
from kg.ingest.fields import PLACEHOLDERS, TYPE_KEYS, decode, finish, put_field, record_type
from kg.ingest.jsonvalues import MAX_DEPTH, JsonObject, dump, json_type, loads, unreadable
from kg.ingest.record import (
    EVALUATION_FIELDS,
    LESSON,
    PAIR_FIELDS,
    RECOMMENDATION,
    RECORD_TYPES,
    TEXT_FIELDS,
    TYPE_CONTAINERS,
    LocationPair,
    Record,
    Rejected,
    ThemePair,
)

#: Keys that hold one value: written twice in one object, the first is kept.
_SINGLE = frozenset((*EVALUATION_FIELDS, *TEXT_FIELDS, "url", "heading"))


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
            obj = loads(line)
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
        problem = unreadable(obj, line)
        if problem is not None:
            bad = line if problem[1] is None else problem[1]
            err = RecordError(problem[0], path=source, line=number, value=bad)
            yield Rejected(f"{source}:{number}", err)
            continue
        yield from _records_from_json(obj, line.encode("utf-8"), source, number)


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
            message = f"'{container}' holds {json_type(value)}, not an object or a list of them"
            raise RecordError(message, path=source, line=number, value=value)
        for n, item in enumerate(listed, start=1):
            if not isinstance(item, JsonObject):
                message = f"item {n} of '{container}' is {json_type(item)}, not an object"
                raise RecordError(message, path=source, line=number, value=dump(item))
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
    """The records of one line's object (one per item of its container), or why not."""
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
        _put_line(record, obj, container, item)
        if not _has_fields(record):
            err = RecordError("JSON object with no record fields", path=source, line=number)
            yield Rejected(f"{source}:{number}", err)
            continue
        _settle_kind(record, kind)
        yield finish(record)


def _put_line(
    record: Record, obj: JsonObject, container: str | None, item: JsonObject | None
) -> None:
    """The line's own members, then those of its container's ``item`` (if any)."""
    for key, value, repeated in _members(obj):
        if key == container:
            continue
        if key in TYPE_CONTAINERS.values():
            record.warnings.append(
                f"{record.where}: a second record type ({key!r}) in one line; kept as a field"
            )
            record.extra.append((key, dump(value)))
            continue
        _put_member(record, key, value, repeated=repeated, inside=False)
    if item is not None:
        for key, value, repeated in _members(item):
            _put_member(record, key, value, repeated=repeated, inside=True)


def _has_fields(record: Record) -> bool:
    """Whether the object gave the record anything: a field, a pair or an extra field."""
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
    return has_fields or bool(record.extra)


def _settle_kind(record: Record, kind: str | None) -> None:
    """The record's type: its address says (with a warning when its container said
    another); else its container; else the keys only one type has; else a lesson."""
    by_url = record_type(record.url)
    if kind is None:
        seen = set(record.texts)
        by_keys = next((k for k in RECORD_TYPES if TYPE_KEYS[k] & seen), None)
        record.kind = by_url or by_keys or LESSON
    elif by_url is not None and by_url != kind:
        record.warnings.append(
            f"{record.where}: the address says {by_url} but the keys say {kind}; read as a {by_url}"
        )
        record.kind = by_url


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
        text = value if isinstance(value, str) else dump(value)
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
        record.extra.append((key, value if isinstance(value, str) else dump(value)))
    elif isinstance(value, (dict, list)):
        record.warnings.append(f"{record.where}: field '{key}' holds nested data; kept as JSON")
        record.extra.append((key, dump(value)))
    elif key in PAIR_FIELDS:
        scalar = _scalar(value, record, key)
        if key in ("theme", "category"):
            record.themes.append(ThemePair(**{key: scalar}))
        else:
            record.locations.append(LocationPair(**{key: scalar}))
    else:
        put_field(record, key, _scalar(value, record, key), record.where)


def _scalar(value: object, record: Record, key: str) -> str | None:
    if value is None:
        return None
    text = str(value) if isinstance(value, str) else dump(value)
    if not text.strip():
        return None
    if text.strip().casefold() in PLACEHOLDERS:
        record.placeholders.setdefault(key, text)
        return None
    return text


def _shown(value: object) -> str:
    """``value`` for a message: its ``repr`` (escaped), cut at 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
