"""Run SPARQL on a store and collect the result (see :mod:`kg.results`)."""

from __future__ import annotations

from typing import Any

from .errors import QueryError
from .results import QueryResult
from .store import EvalStore


def run_query(
    store: EvalStore,
    sparql: str,
    *,
    source: str = "<query>",
    substitutions: dict[Any, Any] | None = None,
) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query on the store's default graph (the
    merge of every record) with named graphs available to ``GRAPH``.

    ``substitutions`` binds variables to RDF terms (see :mod:`kg.params`). Raises
    :class:`QueryError` naming ``source`` for a malformed query.
    """
    try:
        answer = store.inner.query(sparql, substitutions=substitutions or None)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}", path=source) from None
    except RuntimeError as exc:
        raise QueryError(f"query cannot run: {exc}", path=source) from None
    except OSError as exc:
        raise QueryError(f"query failed: {exc}", path=source) from None
    return collect(answer)


def collect(answer: Any) -> QueryResult:
    """A pyoxigraph query answer as a :class:`QueryResult`."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return QueryResult("graph", triples=list(answer))
    variables = [v.value for v in answer.variables]
    rows = [tuple(solution[v] for v in variables) for solution in answer]
    return QueryResult("select", variables=variables, rows=rows)
