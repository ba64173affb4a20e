"""The routes of :mod:`kg.publish.server`, one function per path. Each reads the request,
calls the library (anything that blocks in a worker thread) and answers; an error is
answered with the status :func:`kg.publish.answering.status_of` gives it, as text, or as
a page on the pages a browser opens.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)

from kg.errors import EvalkgError
from kg.publish import entitypage
from kg.publish.answering import message_of, query_job, status_of
from kg.publish.dataset import description_query
from kg.publish.pages import render
from kg.publish.protocol import GRAPH_MEDIA, ProtocolError, best, negotiate, read_operation
from kg.publish.servestate import QUERY_PAGE_CSP, ServerState
from kg.publish.streaming import start
from kg.sparql.queries import list_queries, load_request
from kg.sparql.safety import query_form
from kg.store.dataset import Dataset
from kg.vocab import PREFIXES

#: Suffix of an entity's IRI → its graph format (GRAPH_MEDIA).
SUFFIXES = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "nt", ".rdf": "rdfxml"}
#: Parameters of /queries/NAME that are not the query's.
RESERVED = ("format", "query")
YASGUI = "vendor/yasgui-4.6.2"


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.evalkg
    return state


def _error(error: BaseException, *, html: bool = False) -> Response:
    status = status_of(error)
    message = message_of(error)
    if html:
        title = "Not found" if status == 404 else f"Error {status}"
        page = render("error.html.j2", title=title, message=message)
        return HTMLResponse(page, status_code=status)
    return PlainTextResponse(message + "\n", status_code=status)


async def _body(request: Request, limit: int) -> bytes:
    """The request's body, up to ``limit`` bytes (:class:`ProtocolError` 413 past it)."""
    length = request.headers.get("content-length", "")
    too_big = ProtocolError(f"the request is larger than {limit:,} bytes", status=413)
    if length.isdigit() and int(length) > limit:
        raise too_big
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise too_big
    return bytes(data)


async def _answer(
    request: Request,
    text: str,
    *,
    fmt: str | None,
    source: str,
    form: str | None = None,
    missing: str | None = None,
    dataset: Dataset | None = None,
) -> Response:
    """Run ``text`` (on ``dataset`` when given) and stream its answer in the format
    ``fmt`` or ``Accept`` asks."""
    state = _state(request)
    if len(text.encode("utf-8")) > state.settings.max_query_bytes:
        limit = state.settings.max_query_bytes
        raise ProtocolError(f"the query is larger than {limit:,} bytes", status=413)
    if form is None:
        from kg.sparql.queries import with_prefixes

        text = await run_in_threadpool(with_prefixes, text, source=source)
        form = await run_in_threadpool(query_form, text)
    chosen = negotiate(form, fmt, request.headers.get("accept"))
    job = query_job(
        state.store,
        text,
        fmt=chosen.name,
        timeout=state.settings.timeout,
        source=source,
        slots=state.slots,
        missing=missing,
        dataset=dataset,
        workers=state.workers,
    )
    body = await start(job)
    media = chosen.media_type
    if media.startswith("text/") or media.endswith(("json", "xml", "triples")):
        media += "; charset=utf-8"
    return StreamingResponse(body, media_type=media, headers={"Vary": "Accept"})


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol: GET, POST of a form, POST of the query."""
    try:
        body = await _body(request, _state(request).settings.max_query_bytes)
        operation = read_operation(
            request.method,
            request.query_params.multi_items(),
            request.headers.get("content-type"),
            body,
        )
        return await _answer(
            request,
            operation.query,
            fmt=operation.get("format"),
            source="<request>",
            dataset=operation.dataset,
        )
    except EvalkgError as exc:
        return _error(exc)


def _described(query: Any) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "optional": p.optional,
                "description": p.description,
            }
            for p in query.params.values()
        ],
        "example": query.example,
        "text": query.text,
    }


async def named_list(request: Request) -> Response:
    """The named queries (the analyst questions) with their parameters, as JSON."""
    queries = await run_in_threadpool(list_queries)
    return JSONResponse([_described(q) for q in queries])


async def named(request: Request) -> Response:
    """``/queries/NAME?param=…``: run a named query with its parameters bound as RDF
    terms, narrowed by the store's text index as ``evalkg query`` narrows it
    (:func:`kg.sparql.queries.load_request`); ``/queries/NAME.rq?param=…``: the SPARQL
    text that would run."""
    name = request.path_params["name"]
    text_only = name.endswith(".rq")
    params = {k: v for k, v in request.query_params.multi_items() if k not in RESERVED}
    if len(params) != len([k for k in request.query_params if k not in RESERVED]):
        return _error(ProtocolError("a parameter is given twice (each takes one value)"))
    try:
        if request.method == "POST":
            await _body(request, _state(request).settings.max_query_bytes)
        store = _state(request).store
        text, source = await run_in_threadpool(
            load_request, name.removesuffix(".rq"), None, params, store
        )
        if text_only:
            return PlainTextResponse(text, media_type="application/sparql-query")
        return await _answer(request, text, fmt=request.query_params.get("format"), source=source)
    except EvalkgError as exc:
        if "no query of that name" in exc.message:
            return PlainTextResponse(str(exc) + "\n", status_code=404)
        return _error(exc)


async def home(request: Request) -> Response:
    """The query page."""
    state = _state(request)
    queries = await run_in_threadpool(list_queries)
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    config = {
        "endpoint": "/sparql",
        "base": state.mapping.base,
        "prefix": state.mapping.prefix,
        "prefixes": dict(PREFIXES),
        "initial": declared + "\nSELECT ?lesson ?text WHERE {\n  ?lesson a ek:Lesson ;\n"
        "          dct:description ?text .\n}\nLIMIT 20\n",
        "queries": [_described(q) for q in queries],
    }
    page = render("query.html.j2", title="Query", config=config, queries=queries, yasgui=YASGUI)
    return HTMLResponse(page, headers={"Content-Security-Policy": QUERY_PAGE_CSP})


async def _description(request: Request, name: str) -> Response:
    state = _state(request)
    endpoint = str(request.url_for("sparql"))
    text = description_query(
        name, base_iri=state.mapping.base, endpoint=endpoint, license=state.settings.license
    )
    try:
        return await _answer(
            request,
            text,
            fmt=request.query_params.get("format"),
            source=f"queries/serve/{name}.rq",
            form="CONSTRUCT",
        )
    except EvalkgError as exc:
        return _error(exc)


async def void(request: Request) -> Response:
    """The VoID description of the dataset."""
    return await _description(request, "void")


async def dcat(request: Request) -> Response:
    """The DCAT description of the dataset."""
    return await _description(request, "dcat")


async def views_index(request: Request) -> Response:
    """The list of the network views served."""
    pages = _state(request).views.pages
    return HTMLResponse(render("views.html.j2", title="Network views", pages=pages))


async def entity(request: Request) -> Response:
    """An IRI under the base IRI: its page, or its description in an RDF format."""
    state = _state(request)
    path = request.url.path
    fmt = next((f for suffix, f in SUFFIXES.items() if path.endswith(suffix)), None)
    if fmt is not None:
        path = path[: path.rindex(".")]
    iri = state.mapping.public(path)
    try:
        if fmt is None:
            table = {"html": "text/html", **GRAPH_MEDIA}
            fmt = best(table, request.headers.get("accept")).name
        if fmt == "html":
            return await _entity_page(request, iri, path)
        text, source = await run_in_threadpool(
            load_request, "serve/describe", None, {"entity": f"<{iri}>"}
        )
        missing = f"the store holds nothing about <{iri}>"
        return await _answer(
            request, text, fmt=fmt, source=source, form="CONSTRUCT", missing=missing
        )
    except EvalkgError as exc:
        return _error(exc, html=fmt == "html")


async def _entity_page(request: Request, iri: str, path: str) -> Response:
    state = _state(request)
    page = await run_in_threadpool(
        entitypage.gather,
        state.store,
        iri,
        state.mapping,
        timeout=state.settings.timeout,
        views=state.views,
        workers=state.workers,
    )
    headers = {"Vary": "Accept"}
    if page.empty:
        html = entitypage.missing_html(iri)
        return HTMLResponse(html, status_code=404, headers=headers)
    formats = {suffix: GRAPH_MEDIA[name] for suffix, name in SUFFIXES.items()}
    html = entitypage.entity_html(page, formats=formats, path=path)
    return HTMLResponse(html, headers=headers)
