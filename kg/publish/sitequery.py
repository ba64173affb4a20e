"""The named queries a static site runs thousands of times, checked once each.

:func:`kg.sparql.query.run_query` reads every query text with rdflib's SPARQL parser
before it runs (what it may do); a site runs the same few named queries for each of its
entities, only the bound IRI changing. Binding writes a parameter as one serialized RDF
term in a ``VALUES`` slot (:func:`kg.sparql.queries.bind`), which cannot change what the
query does, so :class:`NamedRunner` checks each query's unbound text once and runs the
bound texts without reading them again.
"""

from __future__ import annotations

from kg.errors import QueryError
from kg.sparql.deadline import collect
from kg.sparql.queries import NamedQuery, bind, resolve_query, with_prefixes
from kg.sparql.results import QueryResult
from kg.sparql.safety import check, names_dataset
from kg.store.evalstore import EvalStore


class NamedRunner:
    """Runs named queries on ``store`` (no deadline), each checked once."""

    def __init__(self, store: EvalStore) -> None:
        self.store = store
        self._checked: dict[str, tuple[NamedQuery, bool]] = {}

    def _checked_query(self, name: str) -> tuple[NamedQuery, bool]:
        """The named query ``name`` (refused unless a query) and whether it runs on the
        union of the graphs (it names no dataset of its own)."""
        if name not in self._checked:
            named = resolve_query(name)
            text = with_prefixes(named.text, source=str(named.path))
            graphs = set(self.store.graph_names())
            if check(text, graphs=graphs, source=str(named.path)) != "query":
                raise QueryError("a site runs queries only, not updates", path=str(named.path))
            self._checked[name] = named, not names_dataset(text)
        return self._checked[name]

    def __call__(self, name: str, params: dict[str, str]) -> QueryResult:
        """The result of the named query ``name`` with ``params`` bound."""
        named, union = self._checked_query(name)
        source = str(named.path)
        text = with_prefixes(bind(named, params), source=source)
        try:
            return collect(self.store.query(text, union=union))
        except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
            raise QueryError(f"query cannot run: {exc}", path=source) from None
