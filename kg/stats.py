"""Counts of what the graph holds (``queries/stats.rq``)."""

from __future__ import annotations

from .queries import get_query
from .query import run_query
from .store import EvalStore


def stats(store: EvalStore) -> dict[str, int]:
    """``{"evaluations": …, "lessons": …, "countries": …, "regions": …, "themes": …,
    "categories": …, "organizations": …, "places": …, "initiatives": …, "triples": …}``."""
    query = get_query("stats")
    result = run_query(store, query.text, source=str(query.path))
    row = result.values()[0]
    return {key: int(value or 0) for key, value in row.items()}
