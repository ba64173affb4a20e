r"""Query results as plain data and their output formats: table, csv, tsv, json (SPARQL
1.1 results JSON), md; CONSTRUCT/DESCRIBE results as Turtle.

Terms are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``) or ``None`` for
an unbound variable. A :class:`QueryResult` holds every row; a :class:`ResultStream`
gives them as they come, and :func:`write_result` writes either one row at a time, so an
answer of any size is written in bounded memory. csv, tsv, json and md keep the data as
it is; the table, a display, shows record text through :func:`terminal_text`:

>>> print(terminal_text("red \x1b[31mtext\x1b[0m\n\u202eend"))
red \x1b[31mtext\x1b[0m \u202eend
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, TextIO

from kg.errors import ConfigError
from kg.terminal import terminal_text
from kg.vocab import PREFIXES, XSD

TABLE_WIDTH = 60
#: Rows a notebook shows of a result (``QueryResult._repr_html_``).
HTML_ROWS = 50
#: Rows the table reads before it sizes its columns; a later row's cells are cut to fit.
TABLE_LOOKAHEAD = 1000


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

    def stream(self) -> ResultStream:
        """The result as a :class:`ResultStream` (over the rows it holds)."""
        return ResultStream(self.kind, self.variables, self.rows, self.boolean, self.triples)

    def serialize(self, fmt: str = "table") -> str:
        """The result in ``fmt``: one of :data:`RESULT_FORMATS` (a graph: Turtle)."""
        out = io.BytesIO()
        write_result(self, out, fmt=fmt)
        return out.getvalue().decode("utf-8")

    def __repr__(self) -> str:
        """A line, not every row (an answer may have millions)."""
        if self.kind == "ask":
            return f"<QueryResult ask: {self.boolean}>"
        if self.kind == "graph":
            return f"<QueryResult graph: {len(self.triples):,} triples>"
        if self.kind == "update":
            return "<QueryResult update>"
        return f"<QueryResult select: {len(self.rows):,} rows of {', '.join(self.variables)}>"

    def _repr_html_(self) -> str:
        """In Jupyter: the first :data:`HTML_ROWS` rows as a table, text escaped."""
        from html import escape

        if self.kind != "select":
            return f"<pre>{escape(repr(self))}</pre>"
        head = "".join(f"<th>{escape(v)}</th>" for v in self.variables)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_cell(t))}</td>" for t in row) + "</tr>"
            for row in self.rows[:HTML_ROWS]
        )
        more = len(self.rows) - HTML_ROWS
        tail = f"<p>… {more:,} more rows</p>" if more > 0 else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{tail}"


@dataclass
class ResultStream:
    """A query's answer as it comes: ``rows`` (``select``) or ``triples`` (``graph``) are
    read once, in order, as the query gives them; ``kind``, ``variables`` and ``boolean``
    as in :class:`QueryResult`. Made by :func:`kg.sparql.query.stream_query`, which also says
    how long the rows may be read."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: Iterable[tuple[Any, ...]] = ()
    boolean: bool | None = None
    triples: Iterable[Any] = ()

    def collect(self) -> QueryResult:
        """Every row (or triple) read into a :class:`QueryResult`."""
        return QueryResult(
            self.kind, list(self.variables), list(self.rows), self.boolean, list(self.triples)
        )


def write_result(
    result: QueryResult | ResultStream,
    out: IO[bytes] | str | os.PathLike[str],
    *,
    fmt: str = "table",
) -> None:
    """Write ``result`` in ``fmt`` (one of :data:`RESULT_FORMATS`; a graph is always
    Turtle) as UTF-8 to the binary file ``out``, a row at a time, or to the file at the
    path ``out``, which appears only once complete (a failure leaves no file: none, or
    the one that was there)."""
    if fmt not in RESULT_FORMATS:
        raise ConfigError(f"unknown result format (use {', '.join(RESULT_FORMATS)})", value=fmt)
    answer = result.stream() if isinstance(result, QueryResult) else result
    if isinstance(out, (str, os.PathLike)):
        _write_file(answer, Path(out), fmt)
    elif answer.kind == "graph":
        import pyoxigraph as ox

        ox.serialize(answer.triples, output=out, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    elif answer.kind in ("select", "ask"):
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        try:
            if answer.kind == "ask":
                _boolean(answer, text, fmt)
            else:
                RESULT_FORMATS[fmt](answer, text)
        finally:
            text.flush()
            text.detach()


def _write_file(answer: ResultStream, path: Path, fmt: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as out:
            write_result(answer, out, fmt=fmt)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _boolean(answer: ResultStream, out: TextIO, fmt: str) -> None:
    if fmt == "json":
        out.write(json.dumps({"head": {}, "boolean": answer.boolean}) + "\n")
    else:
        out.write(("true" if answer.boolean else "false") + "\n")


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
    """A term as a cell: IRIs shortened with the known prefixes, literals on one line.
    With ``width`` (the table view only), for a terminal (:func:`terminal_text`), literals
    cut to ``width`` characters."""
    if term is None:
        return ""
    kind = type(term).__name__
    language = None
    if kind == "NamedNode":
        text = short_iri(term.value)
    elif kind == "BlankNode":
        text = f"_:{term.value}"
    else:
        language = getattr(term, "language", None)
        if width is not None:
            text = terminal_text(term.value, width)
            return f"{text} @{language}" if language else text
        text = " ".join(term.value.split())
    if width is not None:
        text = terminal_text(text)
    return f"{text} @{language}" if language else text


def _table(result: ResultStream, out: TextIO) -> None:
    """Columns as wide as their longest cell in the first :data:`TABLE_LOOKAHEAD` rows;
    a later row's longer cells are cut to that width."""
    rows = iter(result.rows)
    ahead = [[_cell(t, TABLE_WIDTH) for t in row] for row in islice(rows, TABLE_LOOKAHEAD)]
    head = [terminal_text(v) for v in result.variables]
    widths = [max([len(v)] + [len(row[i]) for row in ahead]) for i, v in enumerate(head)]

    def line(cells: list[str]) -> str:
        return " | ".join([c.ljust(w) for c, w in zip(cells, widths, strict=True)]).rstrip()

    out.write(line(head) + "\n" + "-+-".join("-" * w for w in widths) + "\n")
    for cells in ahead:
        out.write(line(cells) + "\n")
    count = len(ahead)
    for row in rows:
        cells = [_cell(t, TABLE_WIDTH) for t in row]
        cut = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(cells, widths, strict=True)]
        out.write(line(cut) + "\n")
        count += 1
    out.write(f"({count} row{'s' if count != 1 else ''})\n")


def _markdown(result: ResultStream, out: TextIO) -> None:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    out.write("| " + " | ".join(esc(v) for v in result.variables) + " |\n")
    out.write("|" + "---|" * len(result.variables) + "\n")
    for row in result.rows:
        out.write("| " + " | ".join(esc(_cell(t)) for t in row) + " |\n")


def _csv(result: ResultStream, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else t.value for t in row])


def _tsv(result: ResultStream, out: TextIO) -> None:
    out.write("\t".join("?" + v for v in result.variables) + "\n")
    for row in result.rows:
        out.write("\t".join("" if t is None else str(t) for t in row) + "\n")


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


def _json(result: ResultStream, out: TextIO) -> None:
    """SPARQL 1.1 results JSON, a binding a line."""
    head = json.dumps({"vars": result.variables}, ensure_ascii=False)
    out.write(f'{{"head": {head}, "results": {{"bindings": [')
    separator = "\n"
    for row in result.rows:
        pairs = zip(result.variables, row, strict=True)
        binding = {v: _json_term(t) for v, t in pairs if t is not None}
        out.write(separator + json.dumps(binding, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]}}\n")


#: Result format name → writer.
RESULT_FORMATS: dict[str, Callable[[ResultStream, TextIO], None]] = {
    "table": _table,
    "csv": _csv,
    "tsv": _tsv,
    "json": _json,
    "md": _markdown,
}
