"""The dataset a query runs on when its request names one outside the query's text: the
SPARQL 1.1 Protocol's ``default-graph-uri`` and ``named-graph-uri``
(https://www.w3.org/TR/sparql11-protocol/#dataset). Given, it *is* the dataset: its
default graph is the merge of the ``default`` graphs (none: an empty graph), ``GRAPH``
matches its ``named`` graphs only (none: no graph), and the query's own ``FROM`` and
``FROM NAMED`` are overridden.

>>> dataset = Dataset(default=("https://w3id.org/evalkg/id/graph/a",))
>>> dataset.clauses()
[('default-graph-uri', 'https://w3id.org/evalkg/id/graph/a')]
>>> dataset.engine_options()["named_graphs"]
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The Protocol's parameter for each part of the dataset.
DEFAULT_PARAM = "default-graph-uri"
NAMED_PARAM = "named-graph-uri"


@dataclass(frozen=True)
class Dataset:
    """The IRIs of the graphs merged into the default graph, and of the named graphs."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def clauses(self) -> list[tuple[str, str]]:
        """``(parameter, graph IRI)`` for each graph, as the request names them."""
        return [(DEFAULT_PARAM, iri) for iri in self.default] + [
            (NAMED_PARAM, iri) for iri in self.named
        ]

    def as_json(self) -> dict[str, list[str]]:
        """The dataset as JSON (what ``kg/sparql/_worker.py`` reads)."""
        return {"default": list(self.default), "named": list(self.named)}

    def engine_options(self) -> dict[str, Any]:
        """pyoxigraph's ``Store.query`` options that run a query on this dataset
        (``ValueError`` for a graph name that is not an IRI)."""
        import pyoxigraph as ox

        return {
            "default_graph": [ox.NamedNode(iri) for iri in self.default],
            "named_graphs": [ox.NamedNode(iri) for iri in self.named],
        }
