"""Query results as plain data and their output formats: table, csv, tsv, json (SPARQL
1.1 results JSON), md; CONSTRUCT/DESCRIBE results as Turtle.

Terms are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``) or ``None`` for
an unbound variable.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .vocab import PREFIXES, XSD

TABLE_WIDTH = 60


@dataclass
class QueryResult:
    """The result of a query: ``kind`` is ``select``, ``ask``, ``graph`` (CONSTRUCT and
    DESCRIBE) or ``update`` (nothing to show)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)

    def values(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values (``str``, ``int``, ``float``, ``bool``)."""
        return [
            {v: python_value(t) for v, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of the rows (``pip install evalkg[pandas]``)."""
        import pandas as pd

        return pd.DataFrame(self.values(), columns=self.variables)

    def serialize(self, fmt: str = "table") -> str:
        """The result in ``fmt``: one of :data:`RESULT_FORMATS`."""
        if self.kind == "update":
            return ""
        if self.kind == "graph":
            return _graph_text(self.triples)
        if self.kind == "ask":
            if fmt == "json":
                return json.dumps({"head": {}, "boolean": self.boolean}) + "\n"
            return ("true" if self.boolean else "false") + "\n"
        writer = RESULT_FORMATS.get(fmt)
        if writer is None:
            raise ConfigError(f"unknown result format (use {', '.join(RESULT_FORMATS)})", value=fmt)
        return writer(self)


def python_value(term: Any) -> Any:
    """A term as a Python value: IRIs and plain literals as ``str``, numbers and
    booleans converted, ``None`` for unbound."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    value = term.value
    if datatype is not None:
        kind = datatype.value
        try:
            if kind in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
                return int(value)
            if kind in (XSD + "decimal", XSD + "double", XSD + "float"):
                return float(value)
        except ValueError:
            return value
        if kind == XSD + "boolean":
            return value in ("true", "1")
    return value


def short_iri(value: str) -> str:
    """``ek:Lesson`` for a known namespace, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns) and len(value) > len(ns):
            return f"{prefix}:{value[len(ns) :]}"
    return value


def _cell(term: Any, width: int | None = None) -> str:
    """A term as a cell: IRIs shortened with the known prefixes, literals on one line,
    cut to ``width`` characters (the table view only)."""
    if term is None:
        return ""
    kind = type(term).__name__
    if kind == "NamedNode":
        return short_iri(term.value)
    if kind == "BlankNode":
        return f"_:{term.value}"
    text = " ".join(term.value.split())
    language = getattr(term, "language", None)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return f"{text} @{language}" if language else text


def _table(result: QueryResult) -> str:
    cells = [[_cell(t, TABLE_WIDTH) for t in row] for row in result.rows]
    widths = [
        max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(result.variables)
    ]
    lines = [" | ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _markdown(result: QueryResult) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(v) for v in result.variables) + " |"]
    lines.append("|" + "---|" * len(result.variables))
    for row in result.rows:
        lines.append("| " + " | ".join(esc(_cell(t)) for t in row) + " |")
    return "\n".join(lines) + "\n"


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else t.value for t in row])
    return out.getvalue()


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else str(t) for t in row))
    return "\n".join(lines) + "\n"


def _json_term(term: Any) -> dict[str, str]:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _json(result: QueryResult) -> str:
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _graph_text(triples: list[Any]) -> str:
    import pyoxigraph as ox

    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data.decode("utf-8") if data else ""


#: Result format name → writer.
RESULT_FORMATS: dict[str, Callable[[QueryResult], str]] = {
    "table": _table,
    "csv": _csv,
    "tsv": _tsv,
    "json": _json,
    "md": _markdown,
}
