"""Query parameters: ``NAME=VALUE`` pairs bound as RDF terms, never pasted as text.

A query marks where a parameter is bound with a *slot*, ``VALUES ?name { UNDEF }`` (valid
SPARQL on its own: the variable is simply unbound). Binding replaces the slot's ``UNDEF``
with the value serialized as an RDF term by pyoxigraph (``str(Literal(value))`` escapes
quotes, backslashes and line breaks; ``NamedNode`` refuses anything that is not an IRI),
so the result is plain SPARQL 1.1 text that any engine runs, the embedded store or a
remote endpoint. A hostile value stays one literal:

>>> fill_slots('SELECT * WHERE { VALUES ?a { UNDEF } ?s ?p ?a }', {"a": to_term('x" } #')})
'SELECT * WHERE { VALUES ?a { "x\\\\" } #" } ?s ?p ?a }'

Each parameter has a type (``string``, ``integer``, ``decimal``, ``year`` or ``iri``);
``string`` values are put in Unicode NFC form, so that a decomposed accent matches a
composed one. A ``year`` is an ``xsd:gYear``, the type the graph gives years, so that a
query can look the value up as it is (compared through ``STR()``, Oxigraph read the
year of every evaluation first).

>>> parse_params(["actor=OIT", "country=CHL"])
{'actor': 'OIT', 'country': 'CHL'}
>>> str(to_term("2021", "integer"))
'"2021"^^<http://www.w3.org/2001/XMLSchema#integer>'
>>> str(to_term("2021", "year"))
'"2021"^^<http://www.w3.org/2001/XMLSchema#gYear>'
>>> str(to_term("ek:Lesson", "iri"))
'<https://w3id.org/evalkg/ontology#Lesson>'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from kg.errors import QueryError
from kg.vocab import PREFIXES, XSD

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SLOT = re.compile(r"\bVALUES\s+[?$]([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*UNDEF\s*\}", re.IGNORECASE)


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["name=value", …]`` → ``{"name": "value"}``; :class:`QueryError` on a bad pair
    and on a name given twice (every parameter takes one value; the last one would
    silently win).

    >>> parse_params(["country=Chile", "country=Peru"])
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: parameter given twice (each takes one value): 'country'
    """
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not _NAME.fullmatch(name):
            raise QueryError("a parameter is NAME=VALUE", value=pair)
        if name in out:
            raise QueryError("parameter given twice (each takes one value)", value=name)
        out[name] = value
    return out


def _string(value: str) -> Any:
    import pyoxigraph as ox

    return ox.Literal(unicodedata.normalize("NFC", value))


def _integer(value: str) -> Any:
    import pyoxigraph as ox

    try:
        number = int(value.strip())
    except ValueError:
        raise QueryError("not an integer", value=value) from None
    return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "integer"))


def _decimal(value: str) -> Any:
    import pyoxigraph as ox

    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise QueryError("not a decimal number", value=value) from None
    if not number.is_finite():
        raise QueryError("not a decimal number", value=value)
    return ox.Literal(format(number, "f"), datatype=ox.NamedNode(XSD + "decimal"))


_YEAR = re.compile(r"-?[0-9]{4,}")


def _year(value: str) -> Any:
    """A year as ``xsd:gYear``: four digits or more, as written (no time zone)."""
    import pyoxigraph as ox

    text = value.strip()
    if not _YEAR.fullmatch(text) or (len(text.lstrip("-")) > 4 and text.lstrip("-")[0] == "0"):
        raise QueryError("not a year (four digits, e.g. 2021)", value=value)
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "gYear"))


def _iri(value: str) -> Any:
    """``<iri>``, an absolute IRI, or ``prefix:local`` with a prefix of :data:`PREFIXES`."""
    import pyoxigraph as ox

    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    else:
        prefix, sep, local = text.partition(":")
        if sep and prefix in PREFIXES and not local.startswith("//"):
            text = PREFIXES[prefix] + local
    try:
        return ox.NamedNode(text)
    except ValueError:
        raise QueryError("not a valid IRI", value=value) from None


#: Parameter type name → converter from the command-line text to an RDF term.
PARAM_TYPES: dict[str, Callable[[str], Any]] = {
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "year": _year,
    "iri": _iri,
}


def to_term(value: str, kind: str | None = None) -> Any:
    """``value`` as an RDF term of type ``kind`` (see :data:`PARAM_TYPES`). Without a type
    (an ad-hoc query), ``<iri>`` is an IRI and anything else a string literal."""
    if kind is None:
        kind = "iri" if value.startswith("<") and value.endswith(">") else "string"
    converter = PARAM_TYPES.get(kind)
    if converter is None:
        known = ", ".join(PARAM_TYPES)
        raise QueryError(f"unknown parameter type (use {known})", value=kind)
    return converter(value)


def slots(text: str) -> list[str]:
    """The parameter names that have a slot ``VALUES ?name { UNDEF }`` in ``text``, in
    order of first appearance."""
    return list(dict.fromkeys(m.group(1) for m in _SLOT.finditer(text)))


def fill_slots(text: str, terms: Mapping[str, Any]) -> str:
    """``text`` with every slot of a parameter in ``terms`` holding that term (written
    with ``str(term)``, the N-Triples form, which SPARQL reads as the same term)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in terms:
            return match.group(0)
        return f"VALUES ?{name} {{ {terms[name]} }}"

    return _SLOT.sub(replace, text)


def check_names(
    given: Iterable[str], declared: Iterable[str], optional: Iterable[str] = ()
) -> None:
    """Every declared parameter is given, but for the ``optional`` ones, and no other:
    :class:`QueryError` otherwise. An optional parameter left out keeps its slot's
    ``UNDEF``: the query then does not filter by it."""
    known, names = set(declared), set(given) | set(optional)
    unknown = sorted(names - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        raise QueryError(f"unknown parameter (this query takes: {takes})", value=unknown[0])
    missing = sorted(known - names)
    if missing:
        raise QueryError("missing parameter (give it with --param NAME=VALUE)", value=missing[0])
