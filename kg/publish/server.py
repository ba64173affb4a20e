"""``evalkg serve``: a read-only web server over a store, on Starlette (ASGI) and uvicorn.

- ``/sparql``: the SPARQL 1.1 Protocol (:mod:`kg.publish.protocol`), queries run as
  ``evalkg query`` runs them (:mod:`kg.publish.answering`: no SERVICE, LOAD or update, a
  worker process and a deadline per query, so that queries never wait on each other;
  ``max_running`` workers started with the server, :class:`kg.sparql.workers.WorkerPool`);
- ``/queries`` (the named queries, JSON) and ``/queries/NAME?param=…`` (one run, its
  parameters bound as RDF terms; ``/queries/NAME.rq?…`` gives the bound text);
- ``/``: the query page (YASGUI, vendored: nothing comes from elsewhere);
- the IRIs under the base IRI, below their path prefix (:mod:`kg.publish.irimap`): HTML
  for a browser (:mod:`kg.publish.entitypage`), Turtle, JSON-LD, N-Triples or RDF/XML by
  ``Accept`` or suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``);
- ``/.well-known/void`` and ``/dataset`` (:mod:`kg.publish.dataset`), ``/views/`` (the
  network views of ``--views DIR``) and ``/static/`` (the pages' scripts and styles).

Every answer carries a strict Content-Security-Policy (scripts and styles from this
server only; the views' own pages keep theirs) and ``nosniff``. A request body is read
up to ``max_query_bytes`` (413 past it); at most ``max_running`` queries run
at once, the others wait for a slot within their deadline (503 past it).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from kg.publish.irimap import IriMap
from kg.publish.servestate import CSP, MAX_CONNECTIONS, VIEWS_CSP, ServerState, ServeSettings
from kg.publish.viewindex import ViewIndex
from kg.sparql.workers import WorkerPool
from kg.store.evalstore import EvalStore

__all__ = ["ServeSettings", "create_app", "run_server"]


class SecurityHeaders:
    """ASGI middleware: the Content-Security-Policy and the other headers every answer
    carries (a header the route set itself is kept)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.datastructures import MutableHeaders

        path = scope["path"]
        policy = VIEWS_CSP if path.startswith("/views/") and path != "/views/" else CSP

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
            await send(message)

        await self.app(scope, receive, sending)


def create_app(store: EvalStore, settings: ServeSettings | None = None) -> Any:
    """The ASGI application serving the open ``store`` (read-only; the caller closes it)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from kg.publish import routes
    from kg.resources import data_dir

    chosen = settings or ServeSettings()
    mapping = IriMap(chosen.base_iri or store.base_iri, chosen.prefix)
    state = ServerState(
        store,
        chosen,
        mapping,
        ViewIndex.read(chosen.views),
        threading.BoundedSemaphore(chosen.max_running),
    )
    table: list[Any] = [
        Route("/", routes.home),
        Route("/sparql", routes.sparql, methods=["GET", "POST"]),
        Route("/queries", routes.named_list),
        Route("/queries/{name:path}", routes.named, methods=["GET", "POST"]),
        Route("/.well-known/void", routes.void),
        Route("/dataset", routes.dcat),
        Route("/views/", routes.views_index),
        Mount("/static", StaticFiles(directory=data_dir("visualizations"))),
        Route(mapping.prefix + "{rest:path}", routes.entity),
    ]
    if chosen.views is not None:
        table.insert(-1, Mount("/views", StaticFiles(directory=chosen.views)))
    app = Starlette(
        routes=table, middleware=[Middleware(SecurityHeaders)], lifespan=partial(_workers, state)
    )
    app.state.evalkg = state
    return app


@asynccontextmanager
async def _workers(state: ServerState, app: Any) -> AsyncIterator[None]:
    """While the server runs, ``max_running`` started worker processes of its store run
    the queries (none for a store in memory: queries run in threads)."""
    database = state.store.database
    if database is None:
        yield
        return
    with WorkerPool(database, state.settings.max_running) as pool:
        state.workers = pool
        try:
            yield
        finally:
            state.workers = None


def run_server(
    store: EvalStore,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: ServeSettings | None = None,
    sockets: list[Any] | None = None,
) -> None:
    """Serve ``store`` on ``host``:``port`` (or on the bound ``sockets``) until stopped
    (Ctrl-C). uvicorn's loggers log to what the caller configured (nothing, else)."""
    import uvicorn

    config = uvicorn.Config(
        create_app(store, settings),
        host=host,
        port=port,
        log_config=None,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=5,
        server_header=False,
    )
    uvicorn.Server(config).run(sockets=sockets)


def serve(
    path: str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: ServeSettings | None = None,
    on_note: Any = None,
    on_ready: Any = None,
) -> None:
    """What ``evalkg serve`` does: open the store folder ``path`` read-only (its notes
    to ``on_note``), call ``on_ready(store)``, and serve it until stopped."""
    from kg.sparql.ask import open_for_queries

    with open_for_queries(path, on_note=on_note) as store:
        if on_ready is not None:
            on_ready(store)
        run_server(store, host=host, port=port, settings=settings)
