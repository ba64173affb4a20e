"""Remote SPARQL endpoints: run a query through SPARQLWrapper and send HTTP requests
(used by :mod:`kg.push`) with credentials, a timeout and retries, turning every failure
into an :class:`~kg.errors.EndpointError` that names the URL.

Credentials come from the environment, never from the command line or the URL:
``$EVALKG_ENDPOINT_TOKEN`` (sent as ``Authorization: Bearer …``) or
``$EVALKG_ENDPOINT_USER`` and ``$EVALKG_ENDPOINT_PASSWORD`` (HTTP basic auth). Redirects
are followed to http(s) URLs only, and the credentials only to the endpoint's own origin.
SPARQLWrapper builds each query request (GET, or POST for long queries); the answer is
parsed by pyoxigraph, so remote rows hold the same terms as local ones.

Retries: connection failures (refused, reset) and HTTP 429, 502, 503 and 504 are tried
again after 0.5 s, 1 s, 2 s… (``Retry-After`` is honoured up to 30 s); anything else
(HTTP 4xx, 500, a timeout, an unknown host, malformed results) fails at once.

>>> auth_headers({"EVALKG_ENDPOINT_USER": "ana", "EVALKG_ENDPOINT_PASSWORD": "s3cret"})
{'Authorization': 'Basic YW5hOnMzY3JldA=='}
>>> check_url("file:///etc/passwd")
Traceback (most recent call last):
...
kg.errors.ConfigError: endpoint URL must start with http:// or https://: 'file:///etc/passwd'
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from .errors import ConfigError, EndpointError, QueryError
from .results import QueryResult

T = TypeVar("T")

TOKEN_ENV = "EVALKG_ENDPOINT_TOKEN"
USER_ENV = "EVALKG_ENDPOINT_USER"
PASSWORD_ENV = "EVALKG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 3
#: HTTP statuses worth another try: the server or a proxy says "not now".
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
#: Queries longer than this (bytes) go by POST instead of GET.
GET_LIMIT = 1500
_MAX_WAIT = 30.0
_EXCERPT = 160
#: What a query asks for: SPARQL results for SELECT and ASK, RDF for CONSTRUCT and
#: DESCRIBE (the endpoint picks by the query form).
ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.7, application/rdf+xml;q=0.5"
)


@dataclass(frozen=True)
class Remote:
    """Where and how to call a server: the URL, the seconds to wait for an answer
    (``None``: no limit), how many times to retry a transient failure, the first backoff
    delay, and the authentication headers (from :func:`auth_headers`)."""

    url: str
    timeout: float | None = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 0.5
    headers: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(
        cls,
        url: str,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        env: Mapping[str, str] | None = None,
    ) -> Remote:
        """A :class:`Remote` for ``url`` with the credentials of ``env`` (default
        ``os.environ``); a ``timeout`` of ``None`` or 0 means no limit."""
        if (timeout or 0) < 0 or retries < 0 or backoff < 0:
            raise ConfigError("timeout, retries and backoff must be >= 0", value=timeout)
        return cls(
            check_url(url),
            timeout=timeout or None,
            retries=retries,
            backoff=backoff,
            headers=auth_headers(os.environ if env is None else env),
        )


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL without credentials in it, else
    :class:`ConfigError`."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as exc:
        raise ConfigError(f"not a valid endpoint URL ({exc})", value=url) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("endpoint URL must start with http:// or https://", value=url)
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise ConfigError("endpoint URL holds spaces or control characters", value=url)
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            f"put credentials in ${USER_ENV} and ${PASSWORD_ENV} (or ${TOKEN_ENV}), "
            "not in the endpoint URL",
            value=parts._replace(netloc=parts.hostname).geturl(),
        )
    return url


def auth_headers(env: Mapping[str, str]) -> dict[str, str]:
    """The ``Authorization`` header the environment asks for (none when unset)."""
    token, user = env.get(TOKEN_ENV), env.get(USER_ENV)
    password = env.get(PASSWORD_ENV)
    if token and user:
        raise ConfigError(f"set ${TOKEN_ENV} or ${USER_ENV}, not both")
    if token:
        return {"Authorization": f"Bearer {token}"}
    if user:
        if password is None:
            raise ConfigError(f"${USER_ENV} is set but ${PASSWORD_ENV} is not")
        pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}
    return {}


# --- transport --------------------------------------------------------------------


class _KeepCredentialsHome(urllib.request.HTTPRedirectHandler):
    """Follow http(s) redirects, but never carry the ``Authorization`` header to another
    origin (urllib would send it anywhere a server redirects to)."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to {newurl!r}", headers, fp)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(newurl) != _origin(req.full_url):
            new.remove_header("Authorization")
        return new


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), "", "", ""))


def open_url(remote: Remote, request: urllib.request.Request) -> tuple[bytes, str]:
    """Send ``request`` with the remote's timeout: the body and content type of the
    answer (``urllib`` errors propagate; see :func:`with_retries`)."""
    opener = urllib.request.build_opener(_KeepCredentialsHome)
    with opener.open(request, timeout=remote.timeout) as response:
        return response.read(), str(response.headers.get("Content-Type", ""))


# --- failures ---------------------------------------------------------------------


@dataclass
class _Failure:
    error: EndpointError
    transient: bool
    wait: float | None = None


def classify(exc: BaseException, url: str, timeout: float | None) -> _Failure | None:
    """What a failed HTTP call means: an :class:`EndpointError` and whether to retry;
    ``None`` when ``exc`` is not an HTTP or network failure."""
    if isinstance(exc, urllib.error.HTTPError):
        body = _read_body(exc)
        wait = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        error = _http_error(url, exc.code, body, exc.reason)
        return _Failure(error, transient=exc.code in TRANSIENT_STATUS, wait=wait)
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, str):
        return _Failure(EndpointError(f"cannot reach the endpoint ({reason})", path=url), False)
    return _network_failure(reason, url, timeout)


def _network_failure(reason: object, url: str, timeout: float | None) -> _Failure | None:
    host = urlsplit(url).netloc
    if isinstance(reason, socket.gaierror):
        message = f"cannot reach the endpoint: unknown host {host!r}"
        return _Failure(EndpointError(message, path=url), transient=False)
    if isinstance(reason, TimeoutError):
        message = f"no answer within {timeout or 0:g} s (raise --timeout?)"
        return _Failure(EndpointError(message, path=url), transient=False)
    if isinstance(reason, ConnectionRefusedError):
        message = f"cannot reach the endpoint: connection refused by {host}"
        return _Failure(EndpointError(message, path=url), transient=True)
    if isinstance(reason, (ConnectionError, EOFError, http.client.IncompleteRead)):
        message = f"the connection to {host} broke ({reason or type(reason).__name__})"
        return _Failure(EndpointError(message, path=url), transient=True)
    if isinstance(reason, http.client.HTTPException):
        message = f"the endpoint did not answer in HTTP ({type(reason).__name__}: {reason})"
        return _Failure(EndpointError(message, path=url), transient=False)
    if isinstance(reason, OSError):
        message = f"cannot reach the endpoint ({reason})"
        return _Failure(EndpointError(message, path=url), transient=False)
    return None


def _http_error(url: str, status: int, body: str, reason: str = "") -> EndpointError:
    from http import HTTPStatus

    reason = next((known.phrase for known in HTTPStatus if known.value == status), reason)
    label = f"HTTP {status}" + (f" {reason}" if reason else "")
    return EndpointError(f"the endpoint answered {label}", path=url, value=body or None)


def _excerpt(data: bytes) -> str:
    text = " ".join(data.decode("utf-8", errors="replace").split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def _read_body(exc: Any) -> str:
    try:
        return _excerpt(exc.read())
    except (OSError, ValueError):
        return ""


def _retry_after(value: str | None) -> float | None:
    if value is None or not value.strip().isdigit():
        return None
    return min(float(value.strip()), _MAX_WAIT)


def with_retries(remote: Remote, action: Callable[[], T]) -> T:
    """``action()``, tried again on transient failures (see the module docstring);
    every HTTP or network failure becomes an :class:`EndpointError`."""
    attempt = 0
    while True:
        try:
            return action()
        except Exception as exc:  # classified below; anything else propagates
            failure = classify(exc, remote.url, remote.timeout)
            if failure is None:
                raise
            if not failure.transient or attempt >= remote.retries:
                error = failure.error
                if attempt:
                    message = f"{error.message} (after {attempt + 1} attempts)"
                    error = EndpointError(message, path=error.path, value=error.value)
                raise error from None
        delay = remote.backoff * 2**attempt
        time.sleep(failure.wait if failure.wait is not None else delay)
        attempt += 1


# --- queries ----------------------------------------------------------------------


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
    ``allow_service`` (see :mod:`kg.safety`). The endpoint's failures raise
    :class:`EndpointError`.
    """
    from .safety import check, request_kind, tokens

    where = remote if isinstance(remote, Remote) else Remote.from_env(remote)
    if request_kind(list(tokens(sparql))) == "update":
        message = "updates are not sent to an endpoint (evalkg push uploads the graph)"
        raise QueryError(message, path=source)
    check(sparql, graphs=_AnyGraph(), allow_service=allow_service, source=source)
    wrapper = _wrapper(where, sparql)
    if wrapper.isSparqlUpdateRequest():  # SPARQLWrapper would send it as an update
        raise QueryError("not a query", path=source, value=str(wrapper.queryType))
    # SPARQLWrapper builds the request (GET or POST, encoding, headers); it is sent by
    # open_url, whose redirects keep credentials to the endpoint's own origin
    request = wrapper._createRequest()
    body, content_type = with_retries(where, lambda: open_url(where, request))
    return parse_answer(body, content_type, url=where.url, limit=limit)


def _query_form(sparql: str) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``: the query's first keyword after
    its ``PREFIX``/``BASE`` prologue (comments and strings skipped), else ``None``."""
    from .safety import tokens

    for token in tokens(sparql):
        if token.kind == "word":
            word = token.text.upper()
            if word in ("PREFIX", "BASE"):
                continue
            return word if word in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE") else None
    return None


def _wrapper(remote: Remote, sparql: str) -> Any:
    from importlib.metadata import PackageNotFoundError, version

    from SPARQLWrapper import POST, SPARQLWrapper

    try:
        agent = f"evalkg/{version('evalkg')}"
    except PackageNotFoundError:
        agent = "evalkg"
    wrapper = SPARQLWrapper(remote.url, agent=agent)
    with warnings.catch_warnings():  # it warns when it cannot tell the query form
        warnings.simplefilter("ignore")
        wrapper.setQuery(sparql)
    # SPARQLWrapper tells the form by a regular expression that comments can fool (a
    # header line "… addressed to …" read as ADD, an update): the form is the first
    # keyword after the prologue, as evalkg's tokenizer reads it.
    form = _query_form(sparql)
    if form is not None:
        wrapper.queryType = form
    if len(sparql.encode("utf-8")) > GET_LIMIT:
        wrapper.setMethod(POST)
    # setTimeout() truncates to int (0.5 s would become 0: no timeout at all)
    wrapper.timeout = remote.timeout  # type: ignore[assignment]
    for name, value in {**remote.headers, "Accept": ACCEPT}.items():
        wrapper.addCustomHttpHeader(name, value)
    return wrapper


def parse_answer(
    body: bytes, content_type: str, *, url: str, limit: int | None = None
) -> QueryResult:
    """An endpoint's answer (``body`` in ``content_type``): SPARQL results (JSON, XML,
    TSV) or an RDF graph (N-Triples, Turtle, RDF/XML…) as a :class:`QueryResult`;
    :class:`EndpointError` when it is neither or does not parse.

    >>> parse_answer(b'{"head": {}, "boolean": true}', "application/sparql-results+json",
    ...              url="http://example.org/sparql").boolean
    True
    """
    import pyoxigraph as ox

    from .query import collect

    media = content_type.split(";")[0].strip().lower()
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
    message = "malformed results: not SPARQL results nor RDF"
    raise EndpointError(message, path=url, value=media or _excerpt(body))
