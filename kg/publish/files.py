"""What ``evalkg export`` writes, in one call: the graph in an RDF format
(:mod:`kg.publish.export`) or its places, offices and countries as GeoJSON
(:mod:`kg.publish.geojson`), to a file or a stream, and the lines that say what was
written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kg.progress import OnStep, step
from kg.publish.export import FORMATS, export, export_file

if TYPE_CHECKING:
    from kg.store.evalstore import EvalStore

#: Every format ``evalkg export`` writes.
GRAPH_FORMATS = (*FORMATS, "geojson")
GEOJSON_EXTENSION = ".geojson"


@dataclass(frozen=True)
class Written:
    """What :func:`write_graph` wrote: to ``path`` (``None``: the stream), in ``format``,
    with ``notes`` to show beside it."""

    path: str | None
    format: str
    detail: str = ""
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The lines ``evalkg export`` prints on standard error.

        >>> Written("g.rdf", "rdfxml", notes=("1 literal(s)…",)).lines()
        ['Wrote g.rdf (rdfxml).', '1 literal(s)…']
        """
        said = [] if self.path is None else [f"Wrote {self.path} ({self.format}{self.detail})."]
        return [*said, *self.notes]


def write_graph(
    store: EvalStore,
    output: str | os.PathLike[str] | None,
    *,
    format: str | None = None,
    stream: IO[bytes] | None = None,
    on_step: OnStep | None = None,
) -> Written:
    """Write ``store`` to ``output`` (``None``: ``stream``) in ``format``, else the format
    ``output``'s extension names (an unknown extension is refused), else Turtle
    (``on_step``: told each step, see :mod:`kg.progress`)."""
    geojson = format == "geojson" or (
        format is None and output is not None and Path(output).suffix == GEOJSON_EXTENSION
    )
    if geojson:
        step(on_step, "finding the places, offices and countries")
        return _write_geojson(store, output, stream)
    step(on_step, f"writing {format or 'the graph'}")
    if output is None:
        if stream is None:
            raise ValueError("write_graph needs an output path or a stream")
        changed = export(store, stream, format=format or "turtle")
        return Written(None, format or "turtle", notes=_xml_notes(changed))
    chosen, changed = export_file(store, output, format=format)
    return Written(str(output), chosen, notes=_xml_notes(changed))


def _write_geojson(
    store: EvalStore, output: str | os.PathLike[str] | None, stream: IO[bytes] | None
) -> Written:
    from kg.publish.geojson import export_geojson, geo_features

    if output is None:
        data = geo_features(store)
        if stream is None:
            raise ValueError("write_graph needs an output path or a stream")
        stream.write(data.text().encode("utf-8"))
    else:
        data = export_geojson(store, output)
    counts = data.counts
    detail = (
        f": {counts['country']:,} countries, {counts['office']:,} offices, "
        f"{counts['place']:,} places; {len(data.left_out):,} without coordinates"
    )
    return Written(None if output is None else str(output), "geojson", detail)


def _xml_notes(changed: int) -> tuple[str, ...]:
    if not changed:
        return ()
    return (f"{changed:,} literal(s) held characters XML cannot hold: written as U+FFFD.",)
