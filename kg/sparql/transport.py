"""Sending one HTTP request to a SPARQL server and reading its whole answer, within the
deadline and the size limit of a :class:`~kg.sparql.remote.Remote`.

Redirects are followed only within the endpoint's own origin (scheme, host and port),
and never when they would drop the request's body (urllib turns a redirected POST into
a GET). The timeout bounds the whole exchange (connecting, sending, redirects, the
answer to a Digest challenge, :mod:`kg.sparql.digest`, and every byte of the answer),
not each read: a server that sends a byte now and then cannot hold evalkg. urllib's
errors propagate (:func:`kg.sparql.retries.with_retries` classifies them).
"""

from __future__ import annotations

import http.client
import io
import socket
import time
import urllib.request
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from kg.errors import EndpointError
from kg.sparql.digest import DigestAuth, fresh_request
from kg.sparql.remote import MAX_BYTES_ENV, Remote

#: Bytes read at a time.
READ_SIZE = 64 * 1024
#: Media types of web pages: never what a SPARQL server's protocol answers with.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_EXCERPT = 160


class Answer(NamedTuple):
    """What a server answered: the body, its ``Content-Type`` and the HTTP status."""

    body: bytes
    content_type: str
    status: int

    @property
    def media(self) -> str:
        """The media type, in lower case, without its parameters."""
        return media_type(self.content_type)


def open_url(remote: Remote, request: urllib.request.Request) -> Answer:
    """Send ``request`` and read the whole answer within the remote's timeout and size
    limit. urllib's errors propagate (see :func:`kg.sparql.retries.with_retries`); an
    answer past the limit or a redirect that is refused raises :class:`EndpointError`."""
    deadline = _Deadline(remote.timeout)
    handlers: list[urllib.request.BaseHandler] = [
        _SameOrigin(remote.url),
        _TimedHTTPHandler(deadline),
        _TimedHTTPSHandler(deadline),
    ]
    if remote.digest is not None:
        handlers.append(DigestAuth(remote.url, *remote.digest))
        request = fresh_request(request)  # not the answer to an earlier attempt's challenge
    opener = urllib.request.build_opener(*handlers)
    with opener.open(request, timeout=remote.timeout) as response:
        body = _read_all(response, remote)
        return Answer(body, str(response.headers.get("Content-Type", "")), response.status)


def _read_all(response: Any, remote: Remote) -> bytes:
    limit = remote.max_bytes
    length = str(response.headers.get("Content-Length", "")).strip()
    if limit is not None and length.isdigit() and int(length) > limit:
        raise _too_large(remote.url, limit)
    body = bytearray()
    while chunk := response.read(READ_SIZE):
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
    return EndpointError(message, path=url, value=excerpt(answer.body) or None)


def media_type(content_type: str) -> str:
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


def excerpt(data: bytes) -> str:
    text = " ".join(data.decode("utf-8", errors="replace").split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"
