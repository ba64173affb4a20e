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

from .build import BuildReport, build
from .errors import EvalkgError
from .export import export
from .mapping import Mapper
from .query import run_query
from .reader import parse_page, read_records
from .record import Record
from .resources import sample_dir
from .results import QueryResult
from .stats import stats
from .store import EvalStore
from .validate import validate

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
