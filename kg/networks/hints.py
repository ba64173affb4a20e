"""Hints for a query that found nothing: a ``country`` or ``region`` parameter that names
no entity of the store, with the close names the network views would suggest."""

from __future__ import annotations

from collections.abc import Mapping

from kg.errors import ConfigError
from kg.networks.netdata import NetworkData
from kg.store.evalstore import EvalStore

#: Query parameters that name an entity the views resolve too, and its node types.
NAMED_PARAMS = {"country": ("country",), "region": ("region",)}


def unknown_names(store: EvalStore, params: Mapping[str, str]) -> list[str]:
    """One hint per parameter of :data:`NAMED_PARAMS` in ``params`` whose value names no
    entity of ``store``: ``--param country: no country of that name (close: …)``."""
    names = NetworkData(store, evaluation_names=False)
    hints = []
    for param, types in NAMED_PARAMS.items():
        if param in params:
            try:
                names.find(params[param], types=types, what=param)
            except ConfigError as exc:
                hints.append(f"--param {param}: {exc}")
    return hints
