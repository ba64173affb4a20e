"""The SPARQL 1.1 Protocol's side of a request: where its query is, and which format the
answer is written in (https://www.w3.org/TR/sparql11-protocol/).

A query comes as ``GET ?query=…``, as ``POST`` of a form (``application/x-www-form-urlencoded``)
or as ``POST`` of the query itself (``application/sparql-query``, UTF-8); anything else is
a :class:`ProtocolError` carrying the HTTP status to answer with. The server is
read-only: an ``update`` parameter or an ``application/sparql-update`` body is refused
with 403. The dataset parameters (``default-graph-uri``, ``named-graph-uri``, each as
often as there are graphs) give the query's dataset, over its ``FROM`` and ``FROM
NAMED`` (:attr:`Operation.dataset`).

>>> read_operation("GET", [("query", "ASK {}")], None, b"").query
'ASK {}'
>>> read_operation("GET", [("query", "ASK {}"), ("named-graph-uri", "http://e.org/g")],
...                None, b"").dataset
Dataset(default=(), named=('http://e.org/g',))
>>> negotiate("SELECT", None, "text/csv;q=0.9, application/sparql-results+xml").name
'xml'
>>> negotiate("CONSTRUCT", "ttl", None).media_type
'text/turtle'
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

from kg.errors import EvalkgError
from kg.store.dataset import DEFAULT_PARAM, NAMED_PARAM, Dataset

#: Answer format name → media type, for SELECT and ASK (the first is the default).
RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Graph format name → media type, for CONSTRUCT and DESCRIBE (the first is the default).
GRAPH_MEDIA = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
#: Other names of the formats, in ``format=`` or ``Accept`` (a media type of one table
#: names the format of the other kind's table where both have one).
ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "ttl": "turtle",
    "application/x-turtle": "turtle",
    "ntriples": "nt",
    "text/plain": "nt",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
}
#: The same format asked of the other kind: ``format=json`` of a CONSTRUCT is JSON-LD.
_GRAPH_FOR = {"json": "jsonld", "xml": "rdfxml", "application/json": "jsonld"}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


class ProtocolError(EvalkgError):
    """A request the protocol does not allow, with the HTTP status to answer it with."""

    def __init__(self, message: str, *, status: int = 400, value: object = None) -> None:
        self.status = status
        super().__init__(message, value=value)


@dataclass(frozen=True)
class Operation:
    """A query operation: its text and every parameter of the request (URL and form)."""

    query: str
    params: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        """The value of parameter ``name`` (the last one given), or ``None``."""
        found = [value for key, value in self.params if key == name]
        return found[-1] if found else None

    @property
    def dataset(self) -> Dataset | None:
        """The dataset the request gives outside the query (``default-graph-uri``,
        ``named-graph-uri``; either alone leaves the other part empty), or ``None``."""
        default = tuple(value for key, value in self.params if key == DEFAULT_PARAM)
        named = tuple(value for key, value in self.params if key == NAMED_PARAM)
        return Dataset(default, named) if default or named else None


@dataclass(frozen=True)
class Negotiated:
    """The answer's format: its name (a key of :data:`RESULT_MEDIA` or :data:`GRAPH_MEDIA`)
    and media type."""

    name: str
    media_type: str


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """``("application/sparql-query", {"charset": "utf-8"})`` from a Content-Type header.

    >>> media_type("Application/SPARQL-Query; charset=UTF-8")
    ('application/sparql-query', {'charset': 'utf-8'})
    """
    if not content_type:
        return "", {}
    kind, *rest = content_type.split(";")
    params = {}
    for item in rest:
        key, _, value = item.partition("=")
        params[key.strip().lower()] = value.strip().strip('"').lower()
    return kind.strip().lower(), params


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"{what} is not UTF-8 (byte {exc.start})"
        raise ProtocolError(message, status=400, value=data[exc.start : exc.start + 4]) from None


def read_operation(
    method: str, url_params: list[tuple[str, str]], content_type: str | None, body: bytes
) -> Operation:
    """The query operation of a request: ``method``, the URL's parameters, the body and
    its Content-Type. :class:`ProtocolError` for anything but one query sent as the
    protocol says (an update: 403; a body of another type: 415)."""
    kind, options = media_type(content_type)
    params = list(url_params)
    text: list[str] = []
    if method == "POST":
        if kind == FORM:
            params += urllib.parse.parse_qsl(_utf8(body, "the form"), keep_blank_values=True)
        elif kind in (DIRECT, UPDATE):
            if options.get("charset", "utf-8") != "utf-8":
                raise ProtocolError(
                    f"{kind} must be UTF-8", status=415, value=options.get("charset")
                )
            if kind == UPDATE:
                raise ProtocolError("this server is read-only: SPARQL Update refused", status=403)
            text.append(_utf8(body, "the query"))
        else:
            shown = kind or "none"
            raise ProtocolError(
                f"a POSTed query is {FORM} or {DIRECT} (Content-Type)", status=415, value=shown
            )
    elif method != "GET":
        raise ProtocolError("a query is sent with GET or POST", status=405, value=method)
    names = [key for key, _ in params]
    if "update" in names or "using-graph-uri" in names or "using-named-graph-uri" in names:
        raise ProtocolError("this server is read-only: SPARQL Update refused", status=403)
    text += [value for key, value in params if key == "query"]
    if len(text) != 1:
        what = "no query (give ?query=…)" if not text else "more than one query"
        raise ProtocolError(what, status=400)
    return Operation(text[0], params)


def negotiate(form: str | None, fmt: str | None, accept: str | None) -> Negotiated:
    """The format of the answer to a query of ``form`` (``SELECT``, ``ASK``,
    ``CONSTRUCT``, ``DESCRIBE``; ``None``: a results format): ``fmt`` (a name or media
    type, the ``format`` parameter) if given, else the best of ``Accept`` (q-values
    weighed; none said: the first of the table). :class:`ProtocolError` 400 for an
    unknown ``fmt``, 406 when ``Accept`` takes none of the formats."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_MEDIA if graph else RESULT_MEDIA
    if fmt is not None:
        key = fmt.strip().lower()
        key = _GRAPH_FOR.get(key, key) if graph else key
        key = ALIASES.get(key, key)
        by_type = {media: name for name, media in table.items()}
        name = by_type.get(key, key)
        if name not in table:
            known = ", ".join(table)
            raise ProtocolError(f"unknown format for a {form or 'query'} (use {known})", value=fmt)
        return Negotiated(name, table[name])
    return best(table, accept, extra=_extra(table, graph))


def _extra(table: dict[str, str], graph: bool) -> dict[str, str]:
    """The aliases that are media types, for the formats of ``table``."""
    out = {}
    for alias, name in ALIASES.items():
        if "/" in alias:
            target = _GRAPH_FOR.get(alias, name) if graph else name
            if target in table:
                out[alias] = target
    return out


def best(
    table: dict[str, str], accept: str | None, *, extra: dict[str, str] | None = None
) -> Negotiated:
    """The format of ``table`` (name → media type) that ``accept`` prefers (q-values and
    wildcards weighed, ties to the earlier), the first with no ``Accept``;
    :class:`ProtocolError` 406 when it takes none. A malformed header counts as none.

    >>> best({"html": "text/html", "turtle": "text/turtle"}, "text/*;q=0.5, text/turtle").name
    'turtle'
    """
    import mimeparse

    names = {media: name for name, media in table.items()} | (extra or {})
    if not accept or not accept.strip():
        first = next(iter(table))
        return Negotiated(first, table[first])
    offered = list(table.values()) + [m for m in (extra or {}) if m not in table.values()]
    try:
        # mimeparse gives a tie to the last offered: offer them in reverse
        found = mimeparse.best_match(list(reversed(offered)), accept)
    except (ValueError, IndexError):
        found = offered[0]
    if not found:
        known = ", ".join(table.values())
        raise ProtocolError(
            f"none of the formats asked is served (this one: {known})", status=406, value=accept
        )
    return Negotiated(names[found], found)
