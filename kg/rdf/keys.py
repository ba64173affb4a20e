"""A record's identity in the graph: its id (from its address, else from its content)
and the IRI of its named graph."""

from __future__ import annotations

import re

from kg.ingest.fields import ADDRESS
from kg.ingest.record import LESSON, TEXT_FIELDS, Record
from kg.iris import is_valid_iri, short_hash, slug

_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_WEB = re.compile(r"https?://", re.IGNORECASE)


def safe_id(value: str) -> str:
    return value if _SAFE_ID.fullmatch(value) else slug(value)


def content_key(record: Record) -> str:
    """``x-<hash>`` of what a page says, for a record whose address is missing or cut: its
    type, evaluation and the first 300 characters of its texts (spaces collapsed, fields
    in the site's order), so that two copies of one page, in either layout and cut at
    different points, are one record."""
    texts = " ".join(
        " ".join(record.texts[name].split()) for name in TEXT_FIELDS if name in record.texts
    )
    if not texts:
        texts = " ".join(" ".join(v.split()) for _, v in record.extra)
    basis = "\x1f".join((record.kind, record.eval_number or "", texts[:300]))
    return "x-" + short_hash(basis)


def web_address(value: str | None) -> bool:
    """True for an absolute ``http:`` or ``https:`` IRI, the only addresses a record's
    text becomes a link to (``foaf:page``); ``javascript:``, ``data:``, ``file:`` and the
    rest stay text.

    >>> web_address("https://webapps.ilo.org/lessons/1"), web_address("javascript:alert(1)")
    (True, False)
    """
    if value is None or not _WEB.match(value):
        return False
    return is_valid_iri(value)


def record_key(record: Record) -> str:
    """The record's id: the last segment of its address when that is a web address (the
    same on every host of the site), else :func:`content_key` (a ``javascript:…/lessons/1``
    text does not take lesson 1's id)."""
    url = record.url or ""
    found = ADDRESS.search(url) if _WEB.match(url) else None
    if found is not None:
        return safe_id(found.group(2))
    return content_key(record)


#: The lesson id (the former name of :func:`record_key`).
lesson_key = record_key


def record_graph(base: str, record: Record) -> str:
    """The IRI of the record's named graph: ``record/<id>`` for a lesson,
    ``record/<type>-<id>`` for the other types (ids are unique within a type only)."""
    key = record_key(record)
    return f"{base}record/{key}" if record.kind == LESSON else f"{base}record/{record.kind}-{key}"
