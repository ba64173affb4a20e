"""What a SPARQL request may do on the embedded store: no network, no files, no writes
unless asked.

Oxigraph runs ``SERVICE`` as an HTTP request and ``LOAD`` as a download (measured:
pyoxigraph 0.5 posts to the service IRI), so an ad-hoc query could reach the network or
a file. :func:`check` reads the request with a SPARQL tokenizer that skips strings, IRIs
and comments (a regex over the raw text would be fooled by ``"SERVICE"`` in a string) and
refuses, with :class:`QueryRefused`:

- ``SERVICE`` (federation) and ``LOAD``, unless ``allow_service``;
- ``FROM`` / ``FROM NAMED`` / ``USING`` of a graph the store does not hold (Oxigraph never
  fetches them, it would answer from an empty graph), unless ``allow_service``;
- updates (``INSERT``, ``DELETE``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``,
  ``COPY``, ``LOAD``), unless ``allow_update``.

It errs on the side of refusing: a prefix named like one of these keywords
(``SERVICE:x``, which Oxigraph reads as ``SERVICE :x``) counts as the keyword.

>>> check('SELECT * WHERE { ?s ?p "SERVICE <http://x> {}" }')
'query'
>>> try:
...     check('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
... except QueryRefused as exc:
...     print(exc.message)
SERVICE reaches another server; refused (pass --allow-service to allow it)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from .errors import QueryError

#: PN_CHARS of the SPARQL grammar (letters, digits, ``_``, ``-``…) and PLX (``%20``, ``\.``).
_PN = r"[\w\-\u00B7\u0300-\u036F\u203F\u2040]"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])"
_LOCAL = r"(?:[\w:]|" + _PLX + r")(?:(?:" + _PN + r"|[.:]|" + _PLX + r")*(?:" + _PN + r"|:|"
_LOCAL += _PLX + r"))?"
#: One SPARQL token; the first alternative that matches at a position wins, strings and
#: IRIs before comments, so that ``#`` inside them is not a comment. Names follow the
#: grammar closely (a prefixed name does not end with ``.``), never more loosely than
#: Oxigraph reads them, so that no keyword can hide inside one.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n\r]|\\.)*"
      | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
  | (?P<pname>(?:[^\W\d_](?:(?:"""
    + _PN
    + r"""|\.)*"""
    + _PN
    + r""")?)?:(?:"""
    + _LOCAL
    + r""")?)
  | (?P<blank>_:\w(?:(?:"""
    + _PN
    + r"""|\.)*"""
    + _PN
    + r""")?)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UPDATE_WORDS = {"INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "LOAD"}
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_KEYWORDS = _UPDATE_WORDS | _QUERY_WORDS | {"SERVICE", "FROM", "USING", "NAMED", "WITH"}


class QueryRefused(QueryError):
    """A request that would reach the network or the file system, name a graph the store
    does not hold, or write, without the flag that allows it."""


@dataclass(frozen=True)
class Token:
    """A token: its kind (``string``, ``iri``, ``var``, ``pname``, ``word``…) and text."""

    kind: str
    text: str


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of SPARQL ``text`` (no white space, no comments).

    A prefixed name whose prefix is a keyword Oxigraph may read as one (``SERVICE:x``)
    comes out as the keyword and the name ``:x``.
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix.upper() in _KEYWORDS:
                yield Token("word", prefix)
                yield Token("pname", ":" + local)
                continue
        yield Token(kind, value)


def _prefixes(items: list[Token]) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations: prefix (with its colon) → namespace IRI."""
    found = {}
    for i, token in enumerate(items[:-2]):
        if token.kind == "word" and token.text.upper() == "PREFIX":
            name, iri = items[i + 1], items[i + 2]
            if name.kind == "pname" and iri.kind == "iri":
                found[name.text] = iri.text[1:-1]
    return found


def _graph_iri(token: Token, prefixes: dict[str, str]) -> str | None:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        namespace = prefixes.get(prefix + ":")
        return None if namespace is None else namespace + local
    return None


def request_kind(items: list[Token]) -> str:
    """``update`` when the first keyword after the ``PREFIX``/``BASE`` prologue starts an
    update (``INSERT``, ``DELETE``, ``WITH``, ``LOAD``…), else ``query`` (a malformed one
    is left to the SPARQL parser, which says what is wrong)."""
    for token in items:
        if token.kind == "word":
            word = token.text.upper()
            if word not in ("PREFIX", "BASE"):
                return "update" if word in _UPDATE_WORDS | {"WITH"} else "query"
    return "query"


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL update (see :func:`request_kind`).

    >>> is_update("PREFIX ex: <http://e.org/> INSERT DATA { ex:a ex:b ex:c }")
    True
    """
    return request_kind(list(tokens(text))) == "update"


def _reach(token: Token) -> str | None:
    """``SERVICE`` or ``LOAD`` when ``token`` is, or may be read as, that keyword: Oxigraph
    matches keywords without a word boundary (``trueSERVICE <x> {…}`` and
    ``SERVICESILENT:x {…}`` both call the service, measured), so a bare word or a prefix
    that merely contains one counts."""
    if token.kind == "word":
        name = token.text.upper()
    elif token.kind == "pname":
        name = token.text.partition(":")[0].upper()
    else:
        return None
    return next((word for word in ("SERVICE", "LOAD") if word in name), None)


def names_dataset(text: str) -> bool:
    """True when the query gives its own dataset (``FROM`` or ``FROM NAMED``); without
    one, evalkg runs it on the union of the store's graphs.

    >>> names_dataset("SELECT * FROM <g> { ?s ?p ?o }"), names_dataset("SELECT * { ?s ?p 'FROM' }")
    (True, False)
    """
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in tokens(text))


def check(
    text: str,
    *,
    graphs: Collection[str] | None = None,
    allow_service: bool = False,
    allow_update: bool = False,
    source: str = "<query>",
) -> str:
    """``"query"`` or ``"update"`` when ``text`` may run; :class:`QueryRefused` naming the
    first offending keyword otherwise. ``graphs`` are the named graph IRIs of the store
    (``FROM``/``USING`` may name those only; ``None``: none is known to be local)."""
    items = list(tokens(text))
    kind = request_kind(items)
    prefixes = _prefixes(items)
    for i, token in enumerate(items):
        reach = _reach(token)
        if reach == "SERVICE" and not allow_service:
            _refuse("SERVICE reaches another server", "--allow-service", token, source)
        if reach == "LOAD" and not allow_service:
            _refuse("LOAD reads a file or a URL", "--allow-service", token, source)
        word = token.text.upper() if token.kind == "word" else ""
        if word in _UPDATE_WORDS and not allow_update:
            _refuse(f"{word} writes to the store", "--allow-update", token, source)
        if word in ("FROM", "USING") and not allow_service:
            _check_graph(items, i, prefixes, graphs, source)
    if kind == "update" and not allow_update:
        first = next((t for t in items if t.kind == "word"), Token("word", "?"))
        _refuse("updates write to the store", "--allow-update", first, source)
    if not allow_service:
        _check_parsed(text, kind, source)
    return kind


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_REACHING = re.compile("service|load", re.IGNORECASE)


def _unescaped(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX``/``\\UXXXXXXXX`` escapes decoded, as engines do
    before they parse (a keyword may be written with them)."""

    def code(found: re.Match[str]) -> str:
        value = int(found.group(1) or found.group(2), 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(code, text)


def _check_parsed(text: str, kind: str, source: str) -> None:
    """The second reading: a request whose text holds the letters of ``SERVICE`` or
    ``LOAD`` anywhere (escapes decoded) is parsed with rdflib's SPARQL 1.1 parser and its
    parse tree searched for a ``SERVICE`` pattern or a ``LOAD``; one rdflib cannot parse
    is refused, since evalkg cannot tell what the engine would do with it. The tokenizer
    above (which reads keywords without word boundaries, as Oxigraph does) and this
    parser must both find nothing."""
    plain = _unescaped(text)
    if not _REACHING.search(plain):
        return
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseUpdate(plain) if kind == "update" else parseQuery(plain)
    except Exception:  # pyparsing's and rdflib's errors alike: not readable with certainty
        raise QueryRefused(
            "names SERVICE or LOAD where evalkg's SPARQL parser cannot read the request; "
            "refused (pass --allow-service to allow it)",
            path=source,
            value=_REACHING.search(plain).group(),  # type: ignore[union-attr]
        ) from None
    found = _reaching_node(tree)
    if found == "SERVICE":
        raise QueryRefused(
            "SERVICE reaches another server; refused (pass --allow-service to allow it)",
            path=source,
            value="SERVICE",
        )
    if found == "LOAD":
        raise QueryRefused(
            "LOAD reads a file or a URL; refused (pass --allow-service to allow it)",
            path=source,
            value="LOAD",
        )


def _reaching_node(tree: object) -> str | None:
    """``SERVICE`` or ``LOAD`` when rdflib's parse tree holds such a node."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return "SERVICE"
            if node.name == "Load":
                return "LOAD"
            todo.extend(node.values())
        elif isinstance(node, (ParseResults, list, tuple)):
            todo.extend(node)
        elif isinstance(node, dict):
            todo.extend(node.values())
    return None


def _check_graph(
    items: list[Token],
    at: int,
    prefixes: dict[str, str],
    graphs: Collection[str] | None,
    source: str,
) -> None:
    following = items[at + 1 : at + 3]
    if following and following[0].kind == "word" and following[0].text.upper() == "NAMED":
        following = following[1:]
    iri = _graph_iri(following[0], prefixes) if following else None
    if iri is None or graphs is None or iri not in graphs:
        shown = following[0] if following else items[at]
        _refuse(
            f"{items[at].text.upper()} names a graph the store does not hold (evalkg never "
            "fetches graphs)",
            "--allow-service",
            shown,
            source,
        )


def _refuse(what: str, flag: str, token: Token, source: str) -> None:
    raise QueryRefused(f"{what}; refused (pass {flag} to allow it)", path=source, value=token.text)
