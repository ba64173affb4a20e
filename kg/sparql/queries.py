"""The named queries of ``queries/*.rq``, their header comments and their parameters.

A query file starts with ``# key: value`` comment lines: ``title``, ``description``,
``param`` (repeatable: ``name: type: what it is``; ``name?`` when it may be left out;
the type one of
:data:`kg.sparql.params.PARAM_TYPES`, ``string`` when left out), ``example`` (an ``evalkg
query`` command line) and ``narrow`` (a parameter the store's text index may narrow the
query by, :mod:`kg.sparql.textsearch`). Each parameter is bound where the query has a slot
``VALUES ?name { UNDEF }`` (see :mod:`kg.sparql.params`).
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import QueryError
from kg.resources import data_dir
from kg.sparql.params import PARAM_TYPES, check_names, fill_slots, parse_params, slots, to_term
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from kg.store.evalstore import EvalStore

_HEADER = re.compile(r"#\s*([a-z]+)\s*:\s*(.*)")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)?")
#: The keys of a query file's header comments.
_KEYS = ("title", "description", "param", "example", "narrow")
#: The folders of ``queries/`` whose queries are evalkg's own, not analyst questions:
#: the projections behind the network views, what ``evalkg push`` plans with, and the
#: counts of the statistics graph. ``evalkg queries`` lists them with ``--all`` only; they
#: run by their name with the folder (``evalkg query network/actors``).
INTERNAL_FOLDERS = ("network", "push", "statistics", "serve")


@dataclass(frozen=True)
class Param:
    """A declared parameter: its name, type (a key of ``PARAM_TYPES``) and description."""

    name: str
    type: str = "string"
    description: str = ""
    #: Declared ``name?``: may be left out (the query then does not filter by it).
    optional: bool = False


@dataclass(frozen=True)
class NamedQuery:
    """A query of ``queries/``: its name (the file stem), header fields and text."""

    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    example: str = ""
    #: The parameter whose value :func:`kg.sparql.textsearch.narrow` looks up (``# narrow:``).
    narrow: str = ""

    def describe(self) -> str:
        """The query for a reader: name and title, description, parameters (type, whether
        it may be left out, what it is), the example and the SPARQL text (without the
        header lines said above it), as ``evalkg queries NAME`` prints it."""
        lines = [f"{self.name}: {self.title}" if self.title else self.name]
        if self.description:
            lines += ["", self.description]
        lines += ["", "Parameters:" if self.params else "Parameters: none"]
        width = max((len(p.name) for p in self.params.values()), default=0)
        for p in self.params.values():
            need = "optional" if p.optional else "required"
            lines.append(f"  {p.name.ljust(width)}  {p.type}, {need}: {p.description}")
        if self.example:
            lines += ["", "Example:", f"  {self.example}"]
        body = [
            line
            for line in self.text.splitlines()
            if (found := _HEADER.fullmatch(line.strip())) is None or found.group(1) not in _KEYS
        ]
        lines += ["", f"SPARQL ({self.path}):", "\n".join(body).strip("\n")]
        return "\n".join(lines) + "\n"

    def example_params(self) -> dict[str, str]:
        """The ``--param``/``-p`` values of the header's example command."""
        words = shlex.split(self.example)
        pairs = [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("--param", "-p")]
        pairs += [word.split("=", 1)[1] for word in words if word.startswith("--param=")]
        return parse_params(pairs)


def _param(value: str, path: Path, line: int) -> Param:
    name, _, rest = (part.strip() for part in value.partition(":"))
    optional = name.endswith("?")
    name = name.removesuffix("?")
    kind, sep, what = (part.strip() for part in rest.partition(":"))
    if not sep or kind not in PARAM_TYPES:
        kind, what = "string", rest
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError("bad parameter name in the header", path=str(path), line=line, value=name)
    return Param(name=name, type=kind, description=what, optional=optional)


def parse_query_file(path: Path, *, name: str | None = None) -> NamedQuery:
    """Read a ``.rq`` file and its header comments; every declared parameter must have a
    slot in the query. The query is called ``name``, else the file's stem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query file ({exc})", path=str(path)) from None
    header: dict[str, str] = {}
    params: dict[str, Param] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        found = _HEADER.fullmatch(line.strip())
        if not found:
            continue
        key, value = found.groups()
        if key == "param":
            param = _param(value, path, number)
            params[param.name] = param
        else:
            header[key] = value.strip()
    narrow = header.get("narrow", "")
    if narrow and narrow not in params:
        raise QueryError("'narrow' names no declared parameter", path=str(path), value=narrow)
    missing = sorted(set(params) - set(slots(text)))
    if missing:
        raise QueryError(
            f"parameter declared but the query has no slot 'VALUES ?{missing[0]} {{ UNDEF }}'",
            path=str(path),
            value=missing[0],
        )
    return NamedQuery(
        name=name or path.stem,
        path=path,
        text=text,
        title=header.get("title", ""),
        description=header.get("description", ""),
        params=params,
        example=header.get("example", ""),
        narrow=narrow,
    )


def bind(query: NamedQuery | str, params: Mapping[str, str]) -> str:
    """The SPARQL text of ``query`` with ``params`` (``{"name": "text value"}``) bound.

    Each value is converted to an RDF term of its declared type (an ad-hoc query given as
    text declares its slots' names, untyped: ``<iri>`` or a string) and written into the
    query's ``VALUES ?name { UNDEF }`` slots as a serialized term, never as raw text, so
    the result is standard SPARQL 1.1 that the embedded store and a remote endpoint run
    alike (this is what ``evalkg query --endpoint`` sends). Every declared parameter must
    be given, and no other (:class:`QueryError`).

    >>> bind("SELECT ?l WHERE { VALUES ?c { UNDEF } ?l ?p ?c }", {"c": "Chile"})
    'SELECT ?l WHERE { VALUES ?c { "Chile" } ?l ?p ?c }'
    """
    if isinstance(query, str):
        text, types = query, dict.fromkeys(slots(query))
    else:
        text, types = query.text, {p.name: p.type for p in query.params.values()}
    optional = (
        () if isinstance(query, str) else [p.name for p in query.params.values() if p.optional]
    )
    check_names(params, types, optional)
    terms = {name: to_term(value, types[name]) for name, value in params.items()}
    return fill_slots(text, terms)


#: What the fast path of :func:`with_prefixes` ignores: IRIs, then comments.
_IRI_OR_COMMENT = re.compile(r"<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w.:\\-])([A-Za-z][\w.-]*)?:")


@functools.lru_cache(maxsize=256)
def with_prefixes(text: str, *, source: str = "<query>") -> str:
    """``text`` with a ``PREFIX`` declaration put before it for each prefix of
    :data:`kg.vocab.PREFIXES` (``ek:``, ``skos:``, ``dct:``…) that it uses and does not
    declare, on its first line (so that the engine's line numbers stay those of
    ``text``); a prefix it declares keeps its own IRI. A prefix it uses, does not
    declare and evalkg does not know is a :class:`QueryError` ("unknown prefix xyz:").

    What a request uses and declares is read with SPARQL's grammar (rdflib's parser, as
    :mod:`kg.sparql.safety` reads it); a text where every name with a colon is declared (IRIs
    and comments aside) is left as it is without parsing it. A text the parser cannot
    read is left as it is, for the engine to say what is wrong.

    >>> with_prefixes("SELECT ?l WHERE { ?l a ek:Lesson }")
    'PREFIX ek: <https://w3id.org/evalkg/ontology#> SELECT ?l WHERE { ?l a ek:Lesson }'
    >>> with_prefixes("PREFIX ek: <http://e.org/> ASK { ?l a ek:Lesson }")
    'PREFIX ek: <http://e.org/> ASK { ?l a ek:Lesson }'
    """
    plain = _IRI_OR_COMMENT.sub(" ", text)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(plain)}
    if all((m.group(1) or "") in declared for m in _PREFIXED.finditer(plain)):
        return text
    from kg.sparql.safety import _parse, _unescaped

    tree = _parse(_unescaped(text))
    if isinstance(tree, str):
        return text
    declared, used = _prefix_names(tree[0])
    missing = sorted(used - declared)
    unknown = [name for name in missing if name not in PREFIXES]
    if unknown:
        known = " ".join(f"{name}:" for name in PREFIXES)
        raise QueryError(
            f"unknown prefix {unknown[0]}: (declare it with PREFIX {unknown[0]}: <IRI>; "
            f"evalkg declares {known} itself)",
            path=source,
        )
    if not missing:
        return text
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}> " for name in missing) + text


def _prefix_names(tree: object) -> tuple[set[str], set[str]]:
    """The prefixes a parse tree of rdflib's SPARQL parser declares and those it uses."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    declared: set[str] = set()
    used: set[str] = set()
    todo: list[object] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            if node.name == "PrefixDecl":
                declared.add(str(dict.get(node, "prefix") or ""))
            elif node.name == "pname":
                used.add(str(dict.get(node, "prefix") or ""))
            todo.extend(dict.values(node))
        elif isinstance(node, (ParseResults, list, tuple)):
            todo.extend(node)
        elif isinstance(node, dict):
            todo.extend(node.values())
    return declared, used


def load_request(
    query: str | None,
    expression: str | None,
    params: Mapping[str, str],
    store: EvalStore | None = None,
) -> tuple[str, str]:
    """The SPARQL text to run, with ``params`` bound and evalkg's prefixes declared
    (:func:`with_prefixes`), and where it came from (for messages): the named query or
    ``.rq`` file ``query``, else the text ``expression``.
    Given the ``store`` it will run on, a query that says ``# narrow:`` is narrowed by
    the store's text index (:func:`kg.sparql.textsearch.narrow`; the same rows, sooner)."""
    if expression is not None:
        return with_prefixes(bind(expression, params), source="<-e>"), "<-e>"
    named = resolve_query(query or "")
    text = with_prefixes(bind(named, params), source=str(named.path))
    if store is not None:
        from kg.sparql.textsearch import narrow

        text = narrow(store, named, text, params)
    return text, str(named.path)


def list_queries(folder: Path | None = None, *, internal: bool = False) -> list[NamedQuery]:
    """Every named query of ``folder`` (``queries/``), sorted by name: the analyst
    questions, and with ``internal`` also those of :data:`INTERNAL_FOLDERS`, named
    ``folder/name``."""
    root = folder or data_dir("queries")
    named = [parse_query_file(p) for p in sorted(root.glob("*.rq"))]
    if internal:
        for sub in INTERNAL_FOLDERS:
            named += [
                parse_query_file(p, name=f"{sub}/{p.stem}")
                for p in sorted((root / sub).glob("*.rq"))
            ]
    return named


def get_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query ``name`` (``folder/name`` for one of :data:`INTERNAL_FOLDERS`);
    :class:`QueryError` listing the analyst questions' names when unknown.

    >>> get_query("network/actors").name
    'network/actors'
    """
    root = folder or data_dir("queries")
    path = root / f"{name}.rq"
    sub = name.rpartition("/")[0]
    if not _NAME.fullmatch(name) or sub not in ("", *INTERNAL_FOLDERS) or not path.is_file():
        known = ", ".join(q.name for q in list_queries(root))
        raise QueryError(
            f"no query of that name (known: {known}; and with 'evalkg queries --all', "
            f"those of {', '.join(f + '/' for f in INTERNAL_FOLDERS)})",
            value=name,
        )
    return parse_query_file(path, name=name)


def resolve_query(spec: str) -> NamedQuery:
    """A query from a ``.rq`` file path or a name of ``queries/``."""
    path = Path(spec)
    if spec.endswith((".rq", ".sparql")) or path.is_file():
        if not path.is_file():
            raise QueryError("no such query file", path=spec)
        return parse_query_file(path)
    return get_query(spec)
