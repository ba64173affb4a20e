"""What a server of :mod:`kg.publish.server` holds for all its requests: its settings, its
store, how public IRIs map to its paths, the views it serves, and its query slots."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from kg.publish.dataset import DEFAULT_LICENSE, check_license
from kg.publish.irimap import IriMap
from kg.publish.viewindex import ViewIndex
from kg.sparql.deadline import DEFAULT_TIMEOUT
from kg.sparql.workers import WorkerPool
from kg.store.evalstore import EvalStore

#: The largest query (or request body) the server reads, in bytes.
MAX_QUERY_BYTES = 256 * 1024
#: Queries that run at once (each in a worker process, as many started with the server);
#: the others wait for a slot.
MAX_RUNNING = 8
#: Connections served at once; past them uvicorn answers 503.
MAX_CONNECTIONS = 200
#: The policy of every page: scripts and styles from this server only, nothing sent
#: or fetched elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
#: The query page's: YASGUI (and the DataTables it bundles) set style attributes, so
#: inline styles are allowed there; scripts stay this server's only.
QUERY_PAGE_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
#: The views carry their own policy (their inline scripts by hash); this one adds that
#: nothing leaves the server.
VIEWS_CSP = (
    "default-src 'self' 'unsafe-inline' data: blob:; connect-src 'none'; form-action 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class ServeSettings:
    """What a server does beyond its store: the deadline of each query, the base IRI it
    answers (default: the store's) below which path (default: the base IRI's), the
    folder of views it serves, its limits, and the licence its descriptions of the
    dataset declare (an http(s) IRI: :class:`kg.errors.ConfigError` otherwise)."""

    timeout: float = DEFAULT_TIMEOUT
    base_iri: str | None = None
    prefix: str = ""
    views: Path | None = None
    max_query_bytes: int = MAX_QUERY_BYTES
    max_running: int = MAX_RUNNING
    license: str = DEFAULT_LICENSE

    def __post_init__(self) -> None:
        check_license(self.license)


@dataclass
class ServerState:
    """What every request of one server reads."""

    store: EvalStore
    settings: ServeSettings
    mapping: IriMap
    views: ViewIndex
    slots: threading.Semaphore = field(default_factory=threading.Semaphore)
    #: The started worker processes queries run in (while the server runs: from its
    #: start to its end, :func:`kg.publish.server.create_app`); ``None`` before, and for
    #: a store in memory.
    workers: WorkerPool | None = None
