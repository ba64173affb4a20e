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

__all__ = [
    "BuildReport",
    "EvalStore",
    "EvalkgError",
    "Mapper",
    "QueryResult",
    "Record",
    "build",
    "export",
    "parse_page",
    "read_records",
    "run_query",
    "sample_dir",
    "stats",
    "validate",
]
