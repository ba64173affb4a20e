"""Validate the graph against the SHACL shapes of ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kg.progress import OnStep, step
from kg.resources import ontology_file
from kg.store.evalstore import EvalStore
from kg.vocab import SH


@dataclass
class Violation:
    """One SHACL result: the node, the property path, the value and the message."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str


@dataclass
class ValidationReport:
    """Whether the graph conforms, and every result."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def summary(self, *, limit: int = 50) -> str:
        """A readable report: a verdict, counts by message, then the first ``limit`` results."""
        if self.conforms:
            return "Conforms: the graph satisfies every SHACL shape.\n"
        lines = [f"Does not conform: {len(self.violations)} result(s)."]
        counts = Counter((v.severity, v.message) for v in self.violations)
        for (severity, message), n in counts.most_common():
            lines.append(f"  {n:6d} {severity:9s} {message}")
        lines.append("")
        for v in self.violations[:limit]:
            lines.append(f"{v.severity}: {v.focus}")
            if v.path:
                lines.append(f"    path:    {v.path}")
            if v.value:
                lines.append(f"    value:   {v.value}")
            lines.append(f"    message: {v.message}")
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines) + "\n"


def to_rdflib(store: EvalStore) -> Any:
    """The store's merged graph (every triple once) as an ``rdflib.Graph``."""
    import pyoxigraph as ox
    import rdflib

    data = ox.serialize(store.default_triples(), format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data or b"", format="nt")
    return graph


def validate(store: EvalStore, *, on_step: OnStep | None = None) -> ValidationReport:
    """Run pyshacl on the store's merged graph with the evalkg shapes and ontology
    (``on_step``: told each step, see :mod:`kg.progress`)."""
    import rdflib
    from pyshacl import validate as shacl_validate

    step(on_step, "reading the shapes")
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    step(on_step, "reading the graph")
    graph = to_rdflib(store)
    step(on_step, f"checking {len(graph):,} triples against the SHACL shapes")
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    return ValidationReport(bool(conforms), list(_violations(results)))


def _violations(results: Any) -> Any:
    import rdflib

    ns = rdflib.Namespace(SH)

    def one(node: Any, prop: Any) -> str:
        value = results.value(node, prop)
        return "" if value is None else str(value)

    for node in results.subjects(rdflib.RDF.type, ns.ValidationResult):
        severity = one(node, ns.resultSeverity).rsplit("#", 1)[-1]
        yield Violation(
            severity=severity,
            focus=one(node, ns.focusNode),
            path=one(node, ns.resultPath),
            value=one(node, ns.value),
            message=one(node, ns.resultMessage),
            shape=one(node, ns.sourceShape),
        )
