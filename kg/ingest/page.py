"""Read a crawled i-eval Discovery page (``.txt``), in either of the site's layouts.

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
import re
from typing import Any

from kg.errors import RecordError
from kg.ingest.fields import PLACEHOLDERS, TYPE_KEYS, decode, finish, put_field, record_type
from kg.ingest.record import (
    CONTAINERS,
    KNOWN_FIELDS,
    LESSON,
    PAIR_FIELDS,
    RECORD_TYPES,
    TYPE_CONTAINERS,
    LocationPair,
    Record,
    ThemePair,
)

HEADER = "Back to index"
FOOTER = "Skip to top"
_UNLABELLED = "_unlabelled_text"

#: Lines of the site's page chrome before the heading (the second layout adds the first).
HEADERS = ("Go to ILO main website", HEADER)
#: First lines of the site's list pages (an index of records, not one record).
LIST_PAGES = frozenset(
    ("lessons learned", "emerging good practices", "good practices", "recommendations")
)
# A line that looks like a key: an optional dash, a name of up to three words, a colon.
_KEYLIKE = re.compile(r"\s*(-?)\s*([A-Za-z][A-Za-z0-9_]*(?: [A-Za-z0-9_]+){0,2})\s*:\s*")
# The site's own way of writing a key, in either layout.
_SITE_KEY = re.compile(r"(- )?([a-z][a-z0-9_]*):")


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
        by_keys = next((k for k in RECORD_TYPES if TYPE_KEYS[k] & seen), None)
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
            put_field(record, key, value, where)


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
