"""Failed exchanges with a SPARQL server: what each means, and trying again.

Connection failures (refused, reset) and HTTP 429, 502, 503 and 504 are tried again
after 0.5 s, 1 s, 2 s… (``Retry-After`` is honoured up to 30 s); anything else (HTTP
4xx, 500, a timeout, an unknown host) fails at once. Every failure becomes an
:class:`~kg.errors.EndpointError` that names the URL.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from kg.errors import EndpointError
from kg.sparql.remote import AUTH_ENV, Remote
from kg.sparql.transport import READ_SIZE, excerpt

T = TypeVar("T")

#: HTTP statuses worth another try: the server or a proxy says "not now".
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
_MAX_WAIT = 30.0


@dataclass
class _Failure:
    error: EndpointError
    transient: bool
    wait: float | None = None


def classify(
    exc: BaseException, url: str, timeout: float | None, *, digest: bool = False
) -> _Failure | None:
    """What a failed HTTP call means: an :class:`EndpointError` and whether to retry;
    ``None`` when ``exc`` is not an HTTP or network failure. ``digest``: the call
    answers Digest challenges (else a ``401`` that asks for Digest says how to)."""
    if isinstance(exc, urllib.error.HTTPError):
        body = _read_body(exc)
        wait = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        error = _http_error(url, exc.code, body, exc.reason)
        if exc.code == 401 and not digest and _asks_digest(exc):
            message = f"{error.message} (it asks for HTTP Digest: set ${AUTH_ENV}=digest)"
            error = EndpointError(message, path=url, value=error.value)
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


def _asks_digest(exc: urllib.error.HTTPError) -> bool:
    challenges = exc.headers.get_all("WWW-Authenticate") if exc.headers else None
    return any(c.strip().lower().startswith("digest") for c in challenges or [])


def _read_body(exc: Any) -> str:
    """The start of an HTTP error's body (it may never end), the connection closed."""
    try:
        return excerpt(exc.read(READ_SIZE))
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
            failure = classify(exc, remote.url, remote.timeout, digest=remote.digest is not None)
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
