"""Remote SPARQL endpoints: run a query through SPARQLWrapper and send HTTP requests
(used by :mod:`kg.publish.push`) with credentials, a deadline, a size limit and retries, turning
every failure into an :class:`~kg.errors.EndpointError` that names the URL.

Credentials come from the environment, never from the command line or the URL:
``$EVALKG_ENDPOINT_TOKEN`` (sent as ``Authorization: Bearer …``) or
``$EVALKG_ENDPOINT_USER`` and ``$EVALKG_ENDPOINT_PASSWORD`` (HTTP basic auth). Redirects
are followed only within the endpoint's own origin (scheme, host and port), and never
when they would drop the request's body (urllib turns a redirected POST into a GET).
SPARQLWrapper builds each query request (GET, or POST for long queries); the answer is
parsed by pyoxigraph, so remote rows hold the same terms as local ones.

The timeout bounds the whole exchange (connecting, sending, redirects and every byte of
the answer), not each read: a server that sends a byte now and then cannot hold evalkg.
Answers larger than ``$EVALKG_ENDPOINT_MAX_BYTES`` (256 MiB; 0: no limit) are refused.

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
import contextlib
import http.client
import io
import os
import socket
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit, urlunsplit

from kg.errors import ConfigError, EndpointError, QueryError
from kg.sparql.results import QueryResult

T = TypeVar("T")

TOKEN_ENV = "EVALKG_ENDPOINT_TOKEN"
USER_ENV = "EVALKG_ENDPOINT_USER"
PASSWORD_ENV = "EVALKG_ENDPOINT_PASSWORD"
MAX_BYTES_ENV = "EVALKG_ENDPOINT_MAX_BYTES"
DEFAULT_TIMEOUT = 60.0
#: The largest answer read (bytes), unless ``$EVALKG_ENDPOINT_MAX_BYTES`` says otherwise.
DEFAULT_MAX_BYTES = 256 * 2**20
DEFAULT_RETRIES = 3
#: HTTP statuses worth another try: the server or a proxy says "not now".
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
#: Queries longer than this (bytes) go by POST instead of GET.
GET_LIMIT = 1500
_MAX_WAIT = 30.0
_EXCERPT = 160
_READ_SIZE = 64 * 1024
#: Media types of web pages: never what a SPARQL server's protocol answers with.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: What a query asks for: SPARQL results for SELECT and ASK, RDF for CONSTRUCT and
#: DESCRIBE (the endpoint picks by the query form).
ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.7, application/rdf+xml;q=0.5"
)


@dataclass(frozen=True)
class Remote:
    """Where and how to call a server: the URL, the seconds one exchange may take
    (``None``: no limit), how many times to retry a transient failure, the first backoff
    delay, the authentication headers (from :func:`auth_headers`) and the largest answer
    read, in bytes (``None``: no limit)."""

    url: str
    timeout: float | None = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 0.5
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    max_bytes: int | None = DEFAULT_MAX_BYTES

    @classmethod
    def from_env(
        cls,
        url: str,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        max_bytes: int | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Remote:
        """A :class:`Remote` for ``url`` with the credentials of ``env`` (default
        ``os.environ``); a ``timeout`` of ``None`` or 0 means no limit, and so does a
        ``max_bytes`` of 0 (``None``: ``$EVALKG_ENDPOINT_MAX_BYTES``, else 256 MiB)."""
        if (timeout or 0) < 0 or retries < 0 or backoff < 0:
            raise ConfigError("timeout, retries and backoff must be >= 0", value=timeout)
        env = os.environ if env is None else env
        return cls(
            check_url(url),
            timeout=timeout or None,
            retries=retries,
            backoff=backoff,
            headers=auth_headers(env),
            max_bytes=_max_bytes(max_bytes, env),
        )


def _max_bytes(given: int | None, env: Mapping[str, str]) -> int | None:
    """The size limit: ``given``, else the environment's, else the default; 0: none."""
    if given is None:
        text = env.get(MAX_BYTES_ENV, "").strip()
        if text and not text.isdigit():
            message = f"${MAX_BYTES_ENV} must be a number of bytes (0: no limit)"
            raise ConfigError(message, value=text)
        given = int(text) if text else DEFAULT_MAX_BYTES
    if given < 0:
        raise ConfigError("the largest answer must be >= 0 bytes (0: no limit)", value=given)
    return given or None


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


class Answer(NamedTuple):
    """What a server answered: the body, its ``Content-Type`` and the HTTP status."""

    body: bytes
    content_type: str
    status: int

    @property
    def media(self) -> str:
        """The media type, in lower case, without its parameters."""
        return _media(self.content_type)


def open_url(remote: Remote, request: urllib.request.Request) -> Answer:
    """Send ``request`` and read the whole answer within the remote's timeout and size
    limit (urllib errors propagate, see :func:`with_retries`; an answer past the limit or
    a redirect that is refused raises :class:`EndpointError`)."""
    deadline = _Deadline(remote.timeout)
    opener = urllib.request.build_opener(
        _SameOrigin(remote.url), _TimedHTTPHandler(deadline), _TimedHTTPSHandler(deadline)
    )
    with opener.open(request, timeout=remote.timeout) as response:
        body = _read_all(response, remote)
        return Answer(body, str(response.headers.get("Content-Type", "")), response.status)


def _read_all(response: Any, remote: Remote) -> bytes:
    limit = remote.max_bytes
    length = str(response.headers.get("Content-Length", "")).strip()
    if limit is not None and length.isdigit() and int(length) > limit:
        raise _too_large(remote.url, limit)
    body = bytearray()
    while chunk := response.read(_READ_SIZE):
        body += chunk
        if limit is not None and len(body) > limit:
            raise _too_large(remote.url, limit)
    return bytes(body)


def _too_large(url: str, limit: int) -> EndpointError:
    message = (
        f"answer larger than {limit:,} bytes: not read to the end "
        f"(set ${MAX_BYTES_ENV} to a larger number of bytes, 0 for no limit)"
    )
    return EndpointError(message, path=url)


def unexpected_answer(answer: Answer, *, url: str, expected: str) -> EndpointError:
    """The error for a successful answer that is not what the protocol returns (a login
    page, a proxy's page…): it names the status, the content type and the body's start."""
    media = answer.media or "without a content type"
    message = (
        f"the endpoint answered HTTP {answer.status} {media}, not {expected} "
        "(a login page or a proxy? check the URL and the credentials)"
    )
    return EndpointError(message, path=url, value=_excerpt(answer.body) or None)


def _media(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follow redirects only within the endpoint's origin (the credentials and the query
    go nowhere else), and none that would drop the request's body: urllib resends a
    POST redirected by 301, 302 or 303 as a GET without its body, and a 307 or 308 not
    at all."""

    def __init__(self, endpoint: str) -> None:
        super().__init__()
        self.endpoint = endpoint

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        target = urlunsplit(urlsplit(newurl)._replace(query="", fragment=""))
        if _origin(newurl) != _origin(self.endpoint):
            fp.close()
            message = (
                f"the endpoint redirects (HTTP {code}) to another origin, {target}; "
                "evalkg follows redirects only within the endpoint's origin "
                "(if that server is the endpoint, give its URL)"
            )
            raise EndpointError(message, path=self.endpoint)
        if req.data is not None:
            fp.close()
            message = (
                f"the endpoint redirects the {req.get_method()} (HTTP {code}) to {target}, "
                "which would drop the request's body (give that URL as the endpoint)"
            )
            raise EndpointError(message, path=self.endpoint)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default one if none is given)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # not a port: an origin no valid endpoint URL has
        return ("", url, None)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return (parts.scheme.lower(), (parts.hostname or "").lower(), port or default)


# --- the deadline of one exchange -------------------------------------------------------
#
# A socket's timeout bounds each read, so a server that sends a byte a second would hold
# urllib forever. Every connection below sets its socket's timeout to the time left before
# the exchange's deadline, before connecting, before sending and before each read.


class _Deadline:
    """When one exchange must be over (``None``: never)."""

    def __init__(self, seconds: float | None) -> None:
        self.end = None if seconds is None else time.monotonic() + seconds

    def left(self) -> float | None:
        """The seconds left (``None``: no limit); :class:`TimeoutError` when none are."""
        if self.end is None:
            return None
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the exchange's deadline passed")
        return left


class _TimedSocket:
    """A connected socket (plain or TLS) whose sends and reads end by the deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def wait(self) -> None:
        """Let the next socket operation wait only for the time left."""
        self._sock.settimeout(self._deadline.left())

    def sendall(self, data: Any) -> None:
        self.wait()  # sendall's timeout bounds the whole call
        self._sock.sendall(data)

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode != "rb":  # http.client reads its answers in "rb"
            return self._sock.makefile(mode, *args, **kwargs)  # type: ignore[call-overload]
        return io.BufferedReader(_TimedReader(self._sock.makefile("rb", buffering=0), self))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _TimedReader(io.RawIOBase):
    """The raw reader of a :class:`_TimedSocket`: each read waits only for the time left."""

    def __init__(self, raw: Any, sock: _TimedSocket) -> None:
        super().__init__()
        self._raw = raw
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.wait()
        result: int | None = self._raw.readinto(buffer)
        return result

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _TimedHTTP(http.client.HTTPConnection):
    """An HTTP connection that connects, sends and reads by the deadline."""

    def __init__(self, host: str, *, deadline: _Deadline | None = None, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.deadline = deadline or _Deadline(None)

    def connect(self) -> None:
        self.timeout = self.deadline.left()
        super().connect()
        self.sock = _TimedSocket(self.sock, self.deadline)


class _TimedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection that connects, shakes hands, sends and reads by the deadline."""

    def __init__(self, host: str, *, deadline: _Deadline | None = None, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.deadline = deadline or _Deadline(None)

    def connect(self) -> None:
        self.timeout = self.deadline.left()
        super().connect()  # the TLS handshake, too, ends by the socket's timeout
        self.sock = _TimedSocket(self.sock, self.deadline)


class _TimedHTTPHandler(urllib.request.HTTPHandler):
    """urllib's HTTP handler, opening :class:`_TimedHTTP` connections."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TimedHTTP, req, deadline=self.deadline)


class _TimedHTTPSHandler(urllib.request.HTTPSHandler):
    """urllib's HTTPS handler (default TLS context), opening :class:`_TimedHTTPS`."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TimedHTTPS, req, deadline=self.deadline)


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
        message = f"no complete answer within {timeout or 0:g} s (raise --timeout?)"
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
    """The start of an HTTP error's body (it may never end), the connection closed."""
    try:
        return _excerpt(exc.read(_READ_SIZE))
    except (OSError, ValueError):
        return ""
    finally:
        with contextlib.suppress(OSError, ValueError):
            exc.close()


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
    return parse_answer(
        answer.body, answer.content_type, url=where.url, limit=limit, status=answer.status
    )


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
    # form of the parse tree (kg.sparql.safety reads the query with rdflib's SPARQL parser).
    from kg.sparql.safety import query_form

    form = query_form(sparql)
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

    media = _media(content_type)
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
