"""Networks written for other tools: GraphML, GEXF (Gephi), CSV (a nodes file and an
edges file) and node-link JSON, by networkx's writers (CSV by :mod:`csv`).

The graph is what the views draw: the projection of :func:`kg.networks.projection.project`
with the metrics of :func:`kg.networks.metrics.compute_metrics`, and each node's country
(``queries/network/countries.rq``). Attributes are made fit for every format:

- nodes: ``label``, ``type``, ``kind``, ``country`` (ISO 3166 alpha-3; several
  space-separated), ``community``, ``degree``, ``weighted_degree``, ``betweenness``,
  ``broker``, ``broker_via``, ``lessons``, ``aliases``, ``regions`` and ``focus``;
  edges: ``weight``, ``lessons``, ``evaluations``; the graph: ``network``, ``title``,
  ``filters``, ``lessons``, ``focus``, ``depth``, ``metrics``.
- ``lessons`` is a count (of a node's findings, of the findings that tie an edge's ends).
- A ``None`` value is left out; a list (``aliases``, ``regions``) or a dict (``filters``,
  ``metrics``) is JSON text, except in the JSON format, which keeps it as it is.
- Text is verbatim, escaped by the writers; in GraphML and GEXF each character XML 1.0
  cannot hold (most C0 controls, U+FFFE, U+FFFF) is written as U+FFFD, and the report
  counts the strings so changed.

>>> import networkx as nx
>>> g = nx.Graph(network="actors", focus=None, filters={})
>>> g.add_node("urn:a", label="A\\x01", aliases=["a"], lessons=[{"iri": "urn:l"}], kind=None)
>>> flat, changed = flat_graph(g, xml=True)
>>> flat.nodes["urn:a"], flat.graph, changed
({'label': 'A�', 'aliases': '["a"]', 'lessons': 1}, {'network': 'actors', 'filters': '{}'}, 1)
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ConfigError
from kg.networks.netdata import Filters, rows
from kg.publish.export import xml_text
from kg.store.evalstore import EvalStore

if TYPE_CHECKING:
    import networkx as nx

#: Node attributes in the order the CSV nodes file gives them (others follow, sorted).
NODE_COLUMNS = (
    "label",
    "type",
    "kind",
    "country",
    "community",
    "degree",
    "weighted_degree",
    "betweenness",
    "broker",
    "broker_via",
    "lessons",
    "aliases",
    "regions",
    "focus",
)
EDGE_COLUMNS = ("weight", "lessons", "evaluations")
#: Attributes written as the length of their list.
COUNTED = frozenset(["lessons"])
_EXTENSIONS = {".graphml": "graphml", ".gexf": "gexf", ".csv": "csv", ".json": "json"}


@dataclass
class NetworkExport:
    """What :func:`write_network` wrote."""

    network: str
    format: str
    paths: list[Path]
    nodes: int
    edges: int
    #: Strings in which characters the format cannot hold were replaced.
    changed: int = 0
    notes: list[str] = field(default_factory=list)


def network_graph(
    store: EvalStore,
    network: str = "actors",
    *,
    filters: Filters | Mapping[str, Any] | None = None,
    focus: str | None = None,
    depth: int = 1,
) -> nx.Graph:
    """The network ``network`` of ``store`` (see :func:`kg.networks.projection.project`:
    ``filters`` as :class:`Filters` or a dict of its fields), with the metrics of
    every node (:func:`kg.networks.metrics.compute_metrics`) and its ``country``."""
    from kg.networks.metrics import compute_metrics
    from kg.networks.projection import project

    chosen = as_filters(filters)
    graph = project(store, network, filters=chosen, focus=focus, depth=depth)
    compute_metrics(graph)
    countries: dict[str, set[str]] = {}
    for entity, code in rows(store, "network/countries"):
        if entity.value in graph:
            countries.setdefault(entity.value, set()).add(code.value)
    for node, codes in countries.items():
        graph.nodes[node]["country"] = " ".join(sorted(codes))
    return graph


def as_filters(filters: Filters | Mapping[str, Any] | None) -> Filters | None:
    """``filters``, a dict of :class:`Filters` fields made one (unknown names refused)."""
    if not isinstance(filters, Mapping):
        return filters
    unknown = sorted(set(filters) - set(Filters.__dataclass_fields__))
    if unknown:
        known = ", ".join(Filters.__dataclass_fields__)
        raise ConfigError(f"unknown filter (use {known})", value=unknown[0])
    return Filters(**filters)


def network_format(path: str | os.PathLike[str], format: str | None = None) -> str:
    """``format`` (checked), else the format the extension of ``path`` names.

    >>> network_format("actors.gexf"), network_format("x.txt", "csv")
    ('gexf', 'csv')
    """
    if format is not None:
        if format not in WRITERS:
            raise ConfigError(f"unknown network format (use {', '.join(WRITERS)})", value=format)
        return format
    suffix = Path(path).suffix
    found = _EXTENSIONS.get(suffix.lower())
    if found is None:
        known = ", ".join(_EXTENSIONS)
        raise ConfigError(
            f"unknown extension for a network (use {known}, or give the format)",
            path=str(path),
            value=suffix,
        )
    return found


def export_network(
    store: EvalStore,
    *,
    network: str = "actors",
    path: str | os.PathLike[str],
    filters: Filters | Mapping[str, Any] | None = None,
    focus: str | None = None,
    depth: int = 1,
    format: str | None = None,
) -> NetworkExport:
    """Project ``network`` (with ``filters``, ``focus``, ``depth``), compute its metrics
    and write it to ``path`` in ``format`` or the one its extension names: what
    ``evalkg export-network`` does."""
    chosen = network_format(path, format)  # before the work: a bad name fails at once
    graph = network_graph(store, network, filters=filters, focus=focus, depth=depth)
    return write_network(graph, path, format=chosen)


def write_network(
    graph: nx.Graph, path: str | os.PathLike[str], *, format: str | None = None
) -> NetworkExport:
    """Write ``graph`` (a projection) to ``path``; CSV writes ``NAME.nodes.csv`` and
    ``NAME.edges.csv`` beside it instead."""
    chosen = network_format(path, format)
    flat, changed = flat_graph(graph, xml=chosen in ("graphml", "gexf"), lists=chosen != "json")
    target = Path(path)
    try:
        paths = WRITERS[chosen](flat, target)
    except OSError as exc:
        raise ConfigError(f"cannot write the network: {exc.strerror}", path=str(target)) from exc
    report = NetworkExport(
        network=str(graph.graph.get("network", "")),
        format=chosen,
        paths=paths,
        nodes=flat.number_of_nodes(),
        edges=flat.number_of_edges(),
        changed=changed,
    )
    if changed:
        report.notes.append(
            f"{changed:,} text value(s) held characters XML cannot hold (control "
            "characters): each was written as U+FFFD."
        )
    return report


def flat_graph(graph: nx.Graph, *, xml: bool = False, lists: bool = True) -> tuple[nx.Graph, int]:
    """A copy of ``graph`` whose attributes every format can write (see the module doc)
    and how many strings were changed to fit XML (``xml``). ``lists``: lists and dicts as
    JSON text (else kept)."""
    import networkx as nx

    changed = [0]

    def text(value: str) -> str:
        if not xml:
            return value
        fitted = xml_text(value)
        changed[0] += fitted != value
        return fitted

    def flat(attrs: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in attrs.items():
            if key in COUNTED and isinstance(value, (list, tuple)):
                out[key] = len(value)
            elif value is not None:
                out[key] = _value(value, text, lists=lists)
        return out

    copy = nx.Graph()
    copy.graph.update(flat(graph.graph))
    copy.add_nodes_from((text(str(n)), flat(attrs)) for n, attrs in graph.nodes(data=True))
    copy.add_edges_from(
        (text(str(u)), text(str(v)), flat(attrs)) for u, v, attrs in graph.edges(data=True)
    )
    return copy, changed[0]


def _value(value: Any, text: Callable[[str], str], *, lists: bool) -> Any:
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return text(value)
    if not isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return text(str(value))
    plain = _plain(value)
    return text(json.dumps(plain, ensure_ascii=False, sort_keys=True)) if lists else plain


def _plain(value: Any) -> Any:
    """A JSON-ready form of ``value`` (anything else becomes its text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _graphml(graph: nx.Graph, path: Path) -> list[Path]:
    import networkx as nx

    nx.write_graphml(graph, path, encoding="utf-8")
    return [path]


def _gexf(graph: nx.Graph, path: Path) -> list[Path]:
    import networkx as nx

    nx.write_gexf(graph, path, encoding="utf-8")
    return [path]


def _json(graph: nx.Graph, path: Path) -> list[Path]:
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    with path.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1)
        out.write("\n")
    return [path]


def _csv(graph: nx.Graph, path: Path) -> list[Path]:
    """``NAME.nodes.csv`` (``id`` and the node attributes) and ``NAME.edges.csv``
    (``source``, ``target`` and the edge attributes), for Gephi's or any spreadsheet's
    import."""
    stem = path.with_suffix("")
    nodes, edges = (
        stem.with_name(stem.name + ".nodes.csv"),
        stem.with_name(stem.name + ".edges.csv"),
    )
    node_rows = [{"id": n, **attrs} for n, attrs in graph.nodes(data=True)]
    edge_rows = [{"source": u, "target": v, **attrs} for u, v, attrs in graph.edges(data=True)]
    _write_csv(nodes, ("id", *NODE_COLUMNS), node_rows)
    _write_csv(edges, ("source", "target", *EDGE_COLUMNS), edge_rows)
    return [nodes, edges]


def _write_csv(path: Path, first: tuple[str, ...], table: list[dict[str, Any]]) -> None:
    present = {key for row in table for key in row}
    columns = [c for c in first if c in present or not table]
    columns += sorted(present - set(columns))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(table)


#: Format name → writer (returns the files it wrote).
WRITERS: dict[str, Callable[[nx.Graph, Path], list[Path]]] = {
    "graphml": _graphml,
    "gexf": _gexf,
    "csv": _csv,
    "json": _json,
}
