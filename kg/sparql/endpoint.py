"""Remote SPARQL endpoints: run a query on a SPARQL 1.1 server, its rows as pyoxigraph
terms, as :func:`kg.sparql.query.run_query` gives them from the store.

SPARQLWrapper builds each query request (GET, or POST for long queries);
:mod:`kg.sparql.transport` sends it within the deadline and size limit of a
:class:`~kg.sparql.remote.Remote` (credentials from the environment),
:mod:`kg.sparql.retries` tries it again on transient failures, and pyoxigraph parses
the answer. Every failure is an :class:`~kg.errors.EndpointError` that names the URL.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

from kg.errors import EndpointError, QueryError
from kg.sparql.remote import Remote
from kg.sparql.results import QueryResult
from kg.sparql.retries import with_retries
from kg.sparql.transport import Answer, media_type, open_url, unexpected_answer

__all__ = ["Remote", "parse_answer", "run_remote_query"]

#: Queries longer than this (bytes) go by POST instead of GET.
GET_LIMIT = 1500
#: What a query asks for, by its form: SPARQL results for SELECT and ASK (JSON first:
#: pyoxigraph's XML results parser trims the spaces at a literal's ends, oxigraph issue
#: 1881), RDF for CONSTRUCT and DESCRIBE (Virtuoso answers a CONSTRUCT in a JSON of its
#: own when results are acceptable); a query whose form is unknown accepts both.
_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.7"
_GRAPH = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
ACCEPT = {"SELECT": _RESULTS, "ASK": _RESULTS, "CONSTRUCT": _GRAPH, "DESCRIBE": _GRAPH}
ACCEPT_ANY = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.7, application/rdf+xml;q=0.5"
)
#: The one variable of Virtuoso 7's answer to an ASK: a table of one row (true: 1) or
#: none (false), not a boolean (openlink/virtuoso-opensource issues 464 and 1016).
ASK_AS_TABLE = "__ASK_RETVAL"


class _AnyGraph:
    """Every graph IRI: ``FROM <g>`` names the endpoint's graphs, which evalkg cannot
    list, so it is left to the endpoint."""

    def __contains__(self, iri: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def run_remote_query(
    remote: Remote | str,
    sparql: str,
    *,
    source: str = "<query>",
    limit: int | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Run a query on the SPARQL 1.1 endpoint ``remote`` (a :class:`Remote` or a URL) and
    return its result with pyoxigraph terms, as :func:`kg.run_query` does on the store,
    at most ``limit`` rows.

    Refused with :class:`QueryError` naming ``source`` before anything is sent: updates
    (``evalkg push`` writes to servers), and ``SERVICE`` and ``LOAD`` unless
    ``allow_service`` (see :mod:`kg.sparql.safety`). The endpoint's failures raise
    :class:`EndpointError`.
    """
    from kg.sparql.safety import check, request_kind

    where = remote if isinstance(remote, Remote) else Remote.from_env(remote)
    if request_kind(sparql) == "update":
        message = "updates are not sent to an endpoint (evalkg push uploads the graph)"
        raise QueryError(message, path=source)
    check(sparql, graphs=_AnyGraph(), allow_service=allow_service, source=source)
    wrapper = _wrapper(where, sparql)
    if wrapper.isSparqlUpdateRequest():  # SPARQLWrapper would send it as an update
        raise QueryError("not a query", path=source, value=str(wrapper.queryType))
    # SPARQLWrapper builds the request (GET or POST, encoding, headers); open_url sends
    # it, within the deadline and size limit, redirected only within the endpoint's origin
    request = wrapper._createRequest()
    answer = with_retries(where, lambda: open_url(where, request))
    result = parse_answer(
        answer.body, answer.content_type, url=where.url, limit=limit, status=answer.status
    )
    return _ask_from_table(result) if wrapper.queryType == "ASK" else result


def _ask_from_table(result: QueryResult) -> QueryResult:
    """The boolean of an ASK that Virtuoso 7 answered as a table (see
    :data:`ASK_AS_TABLE`); any other answer as it is."""
    if result.kind != "select" or result.variables != [ASK_AS_TABLE] or len(result.rows) > 1:
        return result
    value = result.rows[0][0] if result.rows else None
    return QueryResult("ask", boolean=value is not None and value.value in ("1", "true"))


def _wrapper(remote: Remote, sparql: str) -> Any:
    from importlib.metadata import PackageNotFoundError, version

    from SPARQLWrapper import POST, SPARQLWrapper

    try:
        agent = f"evalkg/{version('evalkg')}"
    except PackageNotFoundError:
        agent = "evalkg"
    wrapper = SPARQLWrapper(remote.url, agent=agent)
    # the format is asked by Accept alone: SPARQLWrapper would add format=xml (and output,
    # results) to the URL, which Virtuoso obeys over Accept; pyoxigraph's XML results
    # parser trims the spaces at a literal's ends (oxigraph issue 1881), JSON keeps them
    wrapper.setOnlyConneg(True)
    with warnings.catch_warnings():  # it warns when it cannot tell the query form
        warnings.simplefilter("ignore")
        wrapper.setQuery(sparql)
    # SPARQLWrapper tells the form by a regular expression that comments can fool (a
    # header line "… addressed to …" read as ADD, an update): the form is the first
    # form of the parse tree (kg.sparql.safety reads the query with rdflib's SPARQL parser).
    from kg.sparql.safety import query_form

    form = query_form(sparql)
    if form is not None:
        wrapper.queryType = form
    accept = ACCEPT.get(form or "", ACCEPT_ANY)
    if len(sparql.encode("utf-8")) > GET_LIMIT:
        wrapper.setMethod(POST)
    # setTimeout() truncates to int (0.5 s would become 0: no timeout at all)
    wrapper.timeout = remote.timeout  # type: ignore[assignment]
    for name, value in {**remote.headers, "Accept": accept}.items():
        wrapper.addCustomHttpHeader(name, value)
    return wrapper


def parse_answer(
    body: bytes, content_type: str, *, url: str, limit: int | None = None, status: int = 200
) -> QueryResult:
    """An endpoint's answer (``body`` in ``content_type``, with HTTP ``status``): SPARQL
    results (JSON, XML, TSV) or an RDF graph (N-Triples, Turtle, RDF/XML…) as a
    :class:`QueryResult`; :class:`EndpointError` when it is neither or does not parse.

    >>> parse_answer(b'{"head": {}, "boolean": true}', "application/sparql-results+json",
    ...              url="http://example.org/sparql").boolean
    True
    """
    import pyoxigraph as ox

    from kg.sparql.query import collect

    media = media_type(content_type)
    results = ox.QueryResultsFormat.from_media_type(media) if media else None
    graph = ox.RdfFormat.from_media_type(media) if media and results is None else None
    try:
        if results is not None:
            return collect(ox.parse_query_results(body, format=results), limit=limit)
        if graph is not None:
            triples = [quad.triple for quad in ox.parse(body, format=graph)]
            return QueryResult("graph", triples=triples[:limit] if limit else triples)
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"malformed {media} results ({exc})", path=url) from None
    answer = Answer(body, content_type, status)
    raise unexpected_answer(answer, url=url, expected="SPARQL results nor RDF")
