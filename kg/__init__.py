"""evalkg: a knowledge graph of development-programme evaluations.

The public API. Importing it is cheap: the heavy libraries (pyoxigraph, rdflib, pyshacl,
lingua, networkx) are imported only by the functions that need them.

>>> import kg
>>> store = kg.EvalStore()
>>> report = kg.build([kg.sample_dir()], store=store)
>>> report.ok, kg.stats(store)["lessons"] >= 15
(True, True)
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from kg.errors import EvalkgError
    from kg.ingest.reader import parse_page, read_records
    from kg.ingest.record import Record
    from kg.load.build import BuildReport, build
    from kg.networks.filters import Filters
    from kg.publish.export import export
    from kg.publish.validate import validate
    from kg.rdf.mapping import Mapper
    from kg.resources import sample_dir
    from kg.sparql.query import run_query
    from kg.sparql.results import QueryResult
    from kg.sparql.stats import stats
    from kg.store.evalstore import EvalStore

#: Each public name → the module that defines it, imported the first time the name is
#: used (PEP 562): ``import kg`` and ``evalkg --help`` load none of them.
_PUBLIC = {
    "BuildReport": "kg.load.report",
    "EvalStore": "kg.store.evalstore",
    "EvalkgError": "kg.errors",
    "Mapper": "kg.rdf.mapping",
    "QueryResult": "kg.sparql.results",
    "Record": "kg.ingest.record",
    "build": "kg.load.build",
    "export": "kg.publish.export",
    "parse_page": "kg.ingest.reader",
    "read_records": "kg.ingest.reader",
    "run_query": "kg.sparql.query",
    "sample_dir": "kg.resources",
    "stats": "kg.sparql.stats",
    "validate": "kg.publish.validate",
}

__all__ = [  # _PUBLIC's names and network (tests/test_public_api.py keeps them equal)
    "BuildReport",
    "EvalStore",
    "EvalkgError",
    "Mapper",
    "QueryResult",
    "Record",
    "build",
    "export",
    "network",
    "parse_page",
    "read_records",
    "run_query",
    "sample_dir",
    "stats",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def network(
    store: EvalStore,
    name: str = "actors",
    *,
    filters: Filters | Mapping[str, Any] | None = None,
    focus: str | None = None,
    depth: int = 1,
) -> nx.Graph:
    """The network ``name`` (actors, places, evaluations, themes, full) of ``store`` as a
    networkx graph, with the metrics and countries the views and exports use (see
    :func:`kg.publish.netexport.network_graph`); ``filters`` as
    :class:`kg.networks.filters.Filters` or a dict (``{"country": "Chile"}``)."""
    from kg.publish.netexport import network_graph

    return network_graph(store, name, filters=filters, focus=focus, depth=depth)
