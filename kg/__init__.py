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

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

# The package kg.network is loaded before the function ``network`` below is defined: a
# package's first import sets it as an attribute of its parent, which would replace the
# function. Loading it is cheap (its modules load only when imported).
from kg import network as _network_package  # noqa: F401
from kg.errors import EvalkgError
from kg.ingest.reader import parse_page, read_records
from kg.ingest.record import Record
from kg.load.build import BuildReport, build
from kg.publish.export import export
from kg.publish.validate import validate
from kg.rdf.mapping import Mapper
from kg.resources import sample_dir
from kg.sparql.query import run_query
from kg.sparql.results import QueryResult
from kg.sparql.stats import stats
from kg.store.evalstore import EvalStore

if TYPE_CHECKING:
    import networkx as nx

    from kg.network.netdata import Filters

__all__ = [
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
    :class:`kg.network.netdata.Filters` or a dict (``{"country": "Chile"}``).

    Here ``kg.network`` is this function; the package of that name is reached by its
    modules (``from kg.network.projection import project``).
    """
    from kg.publish.netexport import network_graph

    return network_graph(store, name, filters=filters, focus=focus, depth=depth)
