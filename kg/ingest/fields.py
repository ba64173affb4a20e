"""What the page reader and the JSON Lines reader share: decoding, a record's address,
the values that mean "no value", putting a value in its slot, and what a record implies.
"""

from __future__ import annotations

import re

from kg.errors import RecordError
from kg.ingest.record import (
    KNOWN_FIELDS,
    RECORD_TYPES,
    TEXT_FIELDS,
    TYPE_FIELDS,
    URL_SEGMENTS,
    Record,
)

_EVAL_NUMBER_IN_URL = re.compile(r"/eval/(\d+)")
_SEGMENT_TYPES = {segment: kind for kind, segment in URL_SEGMENTS.items()}
# A record's address: its type's segment, then its id, at the end of the url.
ADDRESS = re.compile(r"/(lessons|practices|recommendations)/([^/?#\s][^/?#]*?)/?\s*(?:[?#].*)?$")
#: Values that mean "no value" (compared case-insensitively, stripped).
PLACEHOLDERS = frozenset(("-", ".", "n/a", "na", "not applicable", "not applicable."))
#: Record type → keys only that type has (to tell the type of a page cut before its url).
TYPE_KEYS = {
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


def put_field(record: Record, key: str, value: str | None, where: str) -> None:
    """Put ``value`` in the slot of ``key``: a known field's second value and an unknown
    key's value are kept as extra fields (the first with a warning naming ``where``)."""
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
