"""Export the graph: Turtle, N-Triples and JSON-LD hold the merged graph (every triple
once); N-Quads and TriG hold every named graph (each record's, with its provenance, the
shared entity descriptions and the reference graphs), whose union is that merged graph.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from kg.errors import ConfigError
from kg.store.evalstore import EvalStore
from kg.vocab import PREFIXES

#: Format name → (pyoxigraph RdfFormat attribute, holds named graphs).
FORMATS = {
    "turtle": ("TURTLE", False),
    "nt": ("N_TRIPLES", False),
    "jsonld": ("JSON_LD", False),
    "nquads": ("N_QUADS", True),
    "trig": ("TRIG", True),
}
_EXTENSIONS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".nq": "nquads",
    ".trig": "trig",
}


def guess_format(path: str | os.PathLike[str]) -> str | None:
    """The format name a file extension implies, e.g. ``graph.ttl`` → ``turtle``."""
    return _EXTENSIONS.get(Path(path).suffix.lower())


def rdf_format(name: str) -> Any:
    """The pyoxigraph ``RdfFormat`` of a format name."""
    import pyoxigraph as ox

    if name not in FORMATS:
        raise ConfigError(f"unknown export format (use {', '.join(FORMATS)})", value=name)
    return getattr(ox.RdfFormat, FORMATS[name][0])


def export(
    store: EvalStore, output: IO[bytes] | str | os.PathLike[str], *, format: str = "turtle"
) -> None:
    """Write the store to ``output`` (a path or a binary file) in ``format``."""
    import pyoxigraph as ox

    target = rdf_format(format)
    prefixes = {**PREFIXES, "id": store.base_iri}
    if FORMATS[format][1]:
        ox.serialize(store.named_quads(), output, format=target, prefixes=prefixes)
        return
    triples = store.default_triples()
    write: Callable[..., Any] = ox.serialize
    if format == "nt":
        write(triples, output, format=target)
    else:
        write(triples, output, format=target, prefixes=prefixes)
