"""Query parameters: ``name=value`` pairs bound as RDF terms, never pasted into text.

A value is a literal (a plain string), or an IRI when written ``<http://…>``. The query
must declare the parameter (``# param: name: …``) and project it, as SPARQL
substitution (SEP-0007) asks.

>>> parse_params(["actor=OIT", "country=CHL"])
{'actor': 'OIT', 'country': 'CHL'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .errors import QueryError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["name=value", …]`` → ``{"name": "value"}``; :class:`QueryError` on bad pairs."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not _NAME.fullmatch(name):
            raise QueryError("a parameter is NAME=VALUE", value=pair)
        out[name] = value
    return out


def to_term(value: str) -> Any:
    """A parameter value as an RDF term: ``<iri>`` → IRI, anything else → literal."""
    import pyoxigraph as ox

    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError:
            raise QueryError("not a valid IRI", value=value) from None
    return ox.Literal(value)


def substitutions(params: dict[str, str], declared: Iterable[str]) -> dict[Any, Any]:
    """pyoxigraph substitutions for ``params``; every declared parameter must be given
    and no other."""
    import pyoxigraph as ox

    known = set(declared)
    unknown = sorted(set(params) - known)
    if unknown:
        raise QueryError(
            f"unknown parameter (this query takes: {', '.join(sorted(known)) or 'none'})",
            value=unknown[0],
        )
    missing = sorted(known - set(params))
    if missing:
        raise QueryError("missing parameter (give it with --param NAME=VALUE)", value=missing[0])
    return {ox.Variable(name): to_term(value) for name, value in params.items()}
