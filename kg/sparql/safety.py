"""What a SPARQL request may do on the embedded store: no network, no files, no writes
unless asked.

Oxigraph runs ``SERVICE`` as an HTTP request and ``LOAD`` as a download (measured:
pyoxigraph 0.5 posts to the service IRI), and has no switch to refuse them, so an ad-hoc
query could reach the network or a file. :func:`check` reads the request with a real
SPARQL 1.1 parser (rdflib's, a maintained implementation of the grammar, after decoding
``\\uXXXX`` escapes as engines do) and walks its parse tree; it refuses, with
:class:`QueryRefused`:

- a ``SERVICE`` pattern and ``LOAD``, unless ``allow_service``;
- ``FROM`` / ``FROM NAMED`` / ``USING`` of a graph the store does not hold (Oxigraph never
  fetches them, it would answer from an empty graph), and so a graph of the SPARQL
  Protocol's ``default-graph-uri`` / ``named-graph-uri`` (:mod:`kg.store.dataset`),
  unless ``allow_service``;
- updates (``INSERT``, ``DELETE``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``,
  ``COPY``, ``LOAD``), unless ``allow_update``.

It errs on the side of refusing: a request rdflib cannot parse whose text holds the
letters of ``SERVICE``, ``LOAD`` or an update keyword anywhere is refused (Oxigraph reads
some texts rdflib does not, ``trueSERVICE <x> {…}`` among them, measured); one without
them is left to Oxigraph, which says what is wrong with it.

>>> check('SELECT * WHERE { ?s ?p "SERVICE <http://x> {}" }')
'query'
>>> try:
...     check('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
... except QueryRefused as exc:
...     print(exc.message)
SERVICE reaches another server; refused (pass --allow-service to allow it)
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.errors import QueryError

_PARSER_LOCK = threading.Lock()
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_REACHING = re.compile("service|load", re.IGNORECASE)
_WRITING = re.compile("insert|delete|clear|drop|create|add|move|copy", re.IGNORECASE)
#: Parse tree node → the keyword of the update operation it is.
_UPDATES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT",
    "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
    "Modify": "DELETE",
}
_FORMS = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "AskQuery": "ASK",
    "DescribeQuery": "DESCRIBE",
}


class QueryRefused(QueryError):
    """A request that would reach the network or the file system, name a graph the store
    does not hold, or write, without the flag that allows it."""


@dataclass(frozen=True)
class Reading:
    """What the parser found in a request: its kind (``query``/``update``), its form
    (``SELECT``, ``CONSTRUCT``, ``ASK``, ``DESCRIBE``; ``None`` for an update), whether
    it calls a ``SERVICE`` or ``LOAD``s, the graphs its ``FROM``/``FROM NAMED``/``USING``
    clauses name (``None``: a prefix it does not declare), and its update operations."""

    kind: str
    form: str | None = None
    service: bool = False
    load: bool = False
    datasets: tuple[tuple[str, str | None], ...] = ()  # (clause keyword, graph IRI)
    updates: tuple[str, ...] = field(default_factory=tuple)


def _unescaped(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX``/``\\UXXXXXXXX`` escapes decoded, as engines do
    before they parse (a keyword may be written with them)."""

    def code(found: re.Match[str]) -> str:
        value = int(found.group(1) or found.group(2), 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(code, text)


@functools.lru_cache(maxsize=256)
def read(text: str) -> Reading | None:
    """The :class:`Reading` of ``text``, or ``None`` when rdflib's SPARQL 1.1 parser reads
    it neither as a query nor as an update."""
    parsed = _parse(_unescaped(text))
    if isinstance(parsed, str):
        return None
    tree, kind = parsed
    return _walk(tree, kind)


def _parse(plain: str) -> tuple[Any, str] | str:
    """``(parse tree, "query" | "update")``, or the parser's message when it reads
    neither. The parser runs in a thread of its own: pyparsing keeps exceptions it
    raised on its way in reference cycles, and their tracebacks would keep the caller's
    frames (a store they hold open, above all) alive until Python's cycle collector
    runs; a thread's frames stop at the thread. One parse at a time: rdflib's parser
    (pyparsing) is not thread-safe (two at once fail with ``Param.postParse2() missing
    1 required positional argument``; seen under ``evalkg serve``)."""
    out: list[tuple[Any, str] | str] = []

    def run() -> None:
        from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

        with _PARSER_LOCK:
            parse(parseQuery, parseUpdate)

    def parse(parseQuery: Any, parseUpdate: Any) -> None:
        try:
            out.append((parseQuery(plain), "query"))
            return
        except Exception as exc:  # pyparsing's and rdflib's errors alike
            message = " ".join(str(exc).split())[:160]
        try:
            out.append((parseUpdate(plain), "update"))
        except Exception:
            out.append(message)

    worker = threading.Thread(target=run, name="evalkg-sparql-parser")
    worker.start()
    worker.join()
    return out[0] if out else "the parser stopped"


def _walk(tree: Any, kind: str) -> Reading | None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    prefixes: dict[str, str] = {}
    form, service, load = None, False, False
    datasets: list[tuple[str, str | None]] = []
    updates: list[str] = []
    todo: list[Any] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            name = node.name
            if name == "PrefixDecl":
                prefixes[str(dict.get(node, "prefix") or "")] = str(dict.get(node, "iri"))
            elif name == "ServiceGraphPattern":
                service = True
            elif name in _FORMS:
                form = _FORMS[name]
            elif name in ("DatasetClause", "UsingClause"):
                word = "FROM" if name == "DatasetClause" else "USING"
                datasets.append((word, dict.get(node, "default") or dict.get(node, "named")))
            if name in _UPDATES:
                modify = "DELETE" if dict.get(node, "delete") is not None else "INSERT"
                updates.append(modify if name == "Modify" else _UPDATES[name])
                load = load or name == "Load"
            todo.extend(reversed(list(dict.values(node))))
        elif isinstance(node, (ParseResults, list, tuple)):
            todo.extend(reversed(list(node)))
        elif isinstance(node, dict):
            todo.extend(reversed(list(node.values())))
    if kind == "update" and not updates:
        return None  # a prologue alone: nothing to run, left to the engine to say so
    resolved = tuple((word, _iri(term, prefixes)) for word, term in datasets)
    return Reading(kind, form, service, load, resolved, tuple(updates))


def _iri(term: Any, prefixes: dict[str, str]) -> str | None:
    """A graph IRI of the parse tree (an IRI, or a prefixed name resolved with the
    request's own prefixes; ``None`` when its prefix is not declared)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(term, CompValue) and term.name == "pname":
        namespace = prefixes.get(str(dict.get(term, "prefix") or ""))
        return None if namespace is None else namespace + str(dict.get(term, "localname") or "")
    return None if term is None else str(term)


def request_kind(text: str) -> str:
    """``update`` when ``text`` parses as a SPARQL update, else ``query`` (a malformed one
    is left to the engine, which says what is wrong).

    >>> request_kind("PREFIX ex: <http://e.org/> INSERT DATA { ex:a ex:b ex:c }")
    'update'
    """
    reading = read(text)
    return "query" if reading is None else reading.kind


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL update (see :func:`request_kind`)."""
    return request_kind(text) == "update"


def query_form(text: str) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``; ``None`` for an update or a
    text the parser cannot read."""
    reading = read(text)
    return None if reading is None else reading.form


def names_dataset(text: str) -> bool:
    """True when the query gives its own dataset (``FROM`` or ``FROM NAMED``); without
    one, evalkg runs it on the union of the store's graphs.

    >>> names_dataset("SELECT * FROM <g> { ?s ?p ?o }"), names_dataset("SELECT * { ?s ?p 'FROM' }")
    (True, False)
    """
    reading = read(text)
    return reading is not None and any(word == "FROM" for word, _ in reading.datasets)


def check(
    text: str,
    *,
    graphs: Collection[str] | None = None,
    dataset: Iterable[tuple[str, str]] = (),
    allow_service: bool = False,
    allow_update: bool = False,
    source: str = "<query>",
) -> str:
    """``"query"`` or ``"update"`` when ``text`` may run; :class:`QueryRefused` naming
    what it would do otherwise. ``graphs`` are the named graph IRIs of the store
    (``FROM``/``USING`` may name those only; ``None``: none is known to be local);
    ``dataset``, the ``(parameter, graph IRI)`` pairs of a dataset the request gives
    outside the query (:meth:`kg.store.dataset.Dataset.clauses`), is held to the same.

    >>> try:
    ...     check("ASK {}", graphs=[], dataset=[("default-graph-uri", "http://example.org/g")])
    ... except QueryRefused as exc:
    ...     print(exc.message.split(";")[0])
    default-graph-uri names a graph the store does not hold (evalkg never fetches graphs)
    """
    if not allow_service:
        _check_graphs(dataset, graphs, source)
    reading = read(text)
    if reading is None:
        _check_unread(text, allow_service, allow_update, source)
        return "query"
    if not allow_service:
        if reading.service:
            _refuse("SERVICE reaches another server", "--allow-service", "SERVICE", text, source)
        if reading.load:
            _refuse("LOAD reads a file or a URL", "--allow-service", "LOAD", text, source)
        _check_graphs(reading.datasets, graphs, source)
    if reading.kind == "update" and not allow_update:
        word = reading.updates[0]
        _refuse(f"{word} writes to the store", "--allow-update", word, text, source)
    return reading.kind


def _check_graphs(
    named: Iterable[tuple[str, str | None]], graphs: Collection[str] | None, source: str
) -> None:
    """Refuse the first graph of ``named`` (``(clause or parameter, graph IRI)``; ``None``:
    a prefix the request does not declare) that ``graphs`` does not hold."""
    for word, iri in named:
        if iri is None or graphs is None or iri not in graphs:
            _refuse(
                f"{word} names a graph the store does not hold (evalkg never fetches graphs)",
                "--allow-service",
                "<" + iri + ">" if iri is not None else word,
                None,
                source,
            )


def _check_unread(text: str, allow_service: bool, allow_update: bool, source: str) -> None:
    """A request the parser cannot read is left to the engine (which says what is wrong
    with it) only when its text holds none of the letters of a keyword that reaches out
    or writes, wherever they are; otherwise it is refused with the parser's message."""
    plain = _unescaped(text)
    found = _REACHING.search(plain) if not allow_service else None
    if found is None and not allow_update:
        found = _WRITING.search(plain)
    if found is None:
        return
    parsed = _parse(plain)  # the parser's message: where the text stops being SPARQL
    reason = f" ({parsed})" if isinstance(parsed, str) else ""
    raise QueryRefused(
        f"evalkg's SPARQL parser cannot read the request{reason}, and its text holds "
        f"{found.group().upper()}; refused (pass --allow-service and --allow-update to leave "
        "it to the engine, or fix the query)",
        path=source,
        value=found.group(),
    )


def _refuse(what: str, flag: str, word: str, text: str | None, source: str) -> None:
    """Raise :class:`QueryRefused`; the value shown is ``word`` as ``text`` spells it."""
    if text is not None:
        found = re.search(re.escape(word), _unescaped(text), re.IGNORECASE)
        word = found.group() if found is not None else word
    raise QueryRefused(f"{what}; refused (pass {flag} to allow it)", path=source, value=word)
