"""The child process of :mod:`kg.sparql.deadline`: run one SPARQL query on a store folder opened
read-only and write the result on standard output as it comes.

It is run as a script (``python kg/sparql/_worker.py``), not as ``python -m kg…``, so that it
imports pyoxigraph only, not the kg package: it starts in a fraction of the time.

Input (stdin, JSON): ``{"db": "<oxigraph folder>", "sparql": "…", "limit": n | null,
"union": true | false, "dataset": {"default": [IRI…], "named": [IRI…]} | null}`` (union:
the default graph is the union of the graphs; dataset: the Protocol's, which overrides
both the union and the query's ``FROM``, :mod:`kg.store.dataset`).
Output (stdout): a first line ``select``, ``ask`` or ``graph``, then the SPARQL 1.1 TSV
results, ``true``/``false`` or N-Triples, written row by row (the pipe holds a few
kilobytes: the child waits while the reader is behind). A failure, before or during the
rows: ``{"kind": …, "message": …}`` on standard error and exit status 3
(:data:`ERROR_STATUS`).
"""

from __future__ import annotations

import json
import sys
from itertools import islice
from typing import Any, BinaryIO

ERROR_STATUS = 3


def answer(
    db: str,
    sparql: str,
    limit: int | None,
    out: BinaryIO,
    union: bool = True,
    dataset: dict[str, list[str]] | None = None,
) -> None:
    """Run ``sparql`` on the store at ``db`` and write the result to ``out``, pyoxigraph's
    errors raised."""
    import pyoxigraph as ox

    store = ox.Store.read_only(db)
    if dataset is not None:  # as kg.store.dataset.Dataset.engine_options says
        default: list[Any] = [ox.NamedNode(iri) for iri in dataset["default"]]
        named: list[Any] = [ox.NamedNode(iri) for iri in dataset["named"]]
        result: Any = store.query(sparql, default_graph=default, named_graphs=named)
    else:  # the store's graphs hold each triple once; their union is the default graph
        result = store.query(sparql, use_default_graph_as_union=union)
    if isinstance(result, ox.QueryBoolean):
        out.write(b"ask\n" + (b"true" if bool(result) else b"false"))
    elif isinstance(result, ox.QueryTriples):
        out.write(b"graph\n")
        ox.serialize(islice(result, limit), output=out, format=ox.RdfFormat.N_TRIPLES)
    elif limit is None:
        # every row, written by pyoxigraph itself (36,084 rows of five terms at
        # 100,000 records: 1.03 s against 1.44 s cell by cell here; ad hoc, medians of 3)
        out.write(b"select\n")
        result.serialize(output=out, format=ox.QueryResultsFormat.TSV)
    else:
        names = [v.value for v in result.variables]
        out.write(b"select\n" + "\t".join("?" + name for name in names).encode("utf-8") + b"\n")
        for solution in islice(result, limit):
            cells = (solution[name] for name in names)
            line = "\t".join("" if cell is None else str(cell) for cell in cells) + "\n"
            out.write(line.encode("utf-8"))


def main() -> int:
    """Answer the request on stdin; the exit status."""
    request = json.loads(sys.stdin.buffer.read())
    try:
        answer(
            request["db"],
            request["sparql"],
            request["limit"],
            sys.stdout.buffer,
            request["union"],
            request.get("dataset"),
        )
        sys.stdout.buffer.flush()
    except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
        error = {"kind": type(exc).__name__, "message": str(exc)}
        sys.stderr.write(json.dumps(error) + "\n")
        return ERROR_STATUS
    return 0


if __name__ == "__main__":
    sys.exit(main())
