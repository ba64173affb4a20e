"""Entity pages: what the store says about one IRI, for a browser.

The page shows the entity's labels in English, Spanish and French, its kind, what it
links to and what links to it (each link with its property), the evidence behind each
finding's link to it (the field, the matched text in its context, the method), and its
place on the network views the server serves. Its data comes from the queries of
``queries/serve/`` (``entity-about``, ``entity-links``, ``entity-evidence``), run at once,
each as any query runs (a child process with a deadline); the page is
``visualizations/serve/entity.html.j2``, rendered with autoescaping: record text is
shown, never run.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from kg.publish.irimap import IriMap
from kg.publish.pages import render
from kg.publish.viewindex import Place, ViewIndex
from kg.sparql.queries import load_request
from kg.sparql.query import run_query
from kg.sparql.results import QueryResult, short_iri
from kg.sparql.workers import WorkerPool
from kg.store.evalstore import EvalStore
from kg.vocab import PREFIXES

#: The queries behind a page, by the part they fill.
QUERIES = {
    "about": "serve/entity-about",
    "links": "serve/entity-links",
    "evidence": "serve/entity-evidence",
}
#: Rows a part shows; its query asks one more, to say when there are more.
SHOWN = 500
LANGUAGES = ("en", "es", "fr")
_LABELS = {PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label", PREFIXES["dct"] + "title"}
_ALT = PREFIXES["skos"] + "altLabel"
_TYPE = PREFIXES["rdf"] + "type"


@dataclass
class Value:
    """A value on the page: its text, the IRI it stands for (``None`` for a literal),
    the local path that serves that IRI, and a literal's language."""

    text: str
    iri: str | None = None
    path: str | None = None
    language: str = ""

    @property
    def href(self) -> str | None:
        """Where a link goes: the local page, else an http(s) IRI (nothing else links)."""
        if self.path is not None:
            return self.path
        if self.iri is not None and self.iri.startswith(("http://", "https://")):
            return self.iri
        return None


@dataclass
class Link:
    """A property and the entity at its other end."""

    prop: Value
    other: Value
    kind: str = ""


@dataclass
class Evidence:
    """A mention of the entity in a finding's field."""

    finding: Value
    kind: str
    title: str
    field: str
    matched: str
    before: str
    after: str
    method: str


@dataclass
class EntityPage:
    """Everything the page of ``iri`` shows."""

    iri: str
    labels: dict[str, list[str]] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    kinds: list[Value] = field(default_factory=list)
    links_out: list[Link] = field(default_factory=list)
    links_in: list[Link] = field(default_factory=list)
    more_in: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    more_evidence: bool = False
    places: list[Place] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The English label, else a Spanish, French or untagged one, else the IRI's end."""
        for language in (*LANGUAGES, ""):
            if self.labels.get(language):
                return self.labels[language][0]
        for language in self.labels:
            return self.labels[language][0]
        return self.iri.rstrip("/#").rsplit("/", 1)[-1]

    @property
    def empty(self) -> bool:
        return not (self.labels or self.kinds or self.links_out or self.links_in or self.evidence)


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


def _value(term: Any, label: Any, mapping: IriMap) -> Value:
    if type(term).__name__ == "NamedNode":
        iri = term.value
        under = iri[len(mapping.base) :] if mapping.local(iri) is not None else None
        text = _text(label) or under or short_iri(iri)
        return Value(text, iri, mapping.local(iri))
    if type(term).__name__ == "BlankNode":
        return Value(f"_:{term.value}")
    return Value(term.value, language=getattr(term, "language", None) or "")


def _about(page: EntityPage, result: QueryResult, mapping: IriMap) -> None:
    for p, o, plabel, olabel in result.rows:
        language = getattr(o, "language", None) or ""
        if p.value in _LABELS and type(o).__name__ == "Literal":
            page.labels.setdefault(language, []).append(o.value)
        elif p.value == _ALT and type(o).__name__ == "Literal":
            page.alt_labels.setdefault(language, []).append(o.value)
        elif p.value == _TYPE:
            page.kinds.append(_value(o, olabel, mapping))
        else:
            page.links_out.append(Link(_value(p, plabel, mapping), _value(o, olabel, mapping)))


def _links(page: EntityPage, result: QueryResult, mapping: IriMap) -> None:
    for s, p, plabel, slabel, kind in result.rows[:SHOWN]:
        link = Link(_value(p, plabel, mapping), _value(s, slabel, mapping), _text(kind))
        page.links_in.append(link)
    page.more_in = len(result.rows) > SHOWN


def _evidence(page: EntityPage, result: QueryResult, mapping: IriMap) -> None:
    for finding, kind, title, fld, matched, before, after, method in result.rows[:SHOWN]:
        page.evidence.append(
            Evidence(
                _value(finding, None, mapping),
                _text(kind),
                _text(title),
                _text(fld),
                _text(matched),
                _text(before),
                _text(after),
                _text(method),
            )
        )
    page.more_evidence = len(result.rows) > SHOWN


_FILL = {"about": _about, "links": _links, "evidence": _evidence}


def gather(
    store: EvalStore,
    iri: str,
    mapping: IriMap,
    *,
    timeout: float,
    views: ViewIndex | None = None,
    run: Callable[[str, dict[str, str]], QueryResult] | None = None,
    workers: WorkerPool | None = None,
) -> EntityPage:
    """The page of ``iri``: its queries run at once (each within ``timeout`` seconds, by
    ``workers`` when given), by ``run`` (a named query and its parameters → its result)
    when given."""

    def ask(name: str) -> QueryResult:
        params = {"entity": f"<{iri}>"}
        if run is not None:
            return run(QUERIES[name], params)
        text, source = load_request(QUERIES[name], None, params)
        return run_query(store, text, source=source, timeout=timeout, workers=workers)

    page = EntityPage(iri)
    with ThreadPoolExecutor(len(QUERIES), thread_name_prefix="evalkg-page") as pool:
        answers = {part: pool.submit(ask, part) for part in QUERIES}
        for part, answer in answers.items():
            _FILL[part](page, answer.result(), mapping)
    if views is not None:
        page.places = views.places(iri)
    return page


def entity_html(page: EntityPage, *, formats: dict[str, str], path: str) -> str:
    """The HTML of ``page``; ``formats`` (suffix → name) for the links to its RDF, served
    at ``path`` plus the suffix."""
    return render(
        "entity.html.j2",
        page=page,
        title=page.title,
        languages=LANGUAGES,
        formats=formats,
        path=path,
    )


def missing_html(iri: str) -> str:
    """The page that says no entity has ``iri``."""
    return render("missing.html.j2", title="Not found", iri=iri)
