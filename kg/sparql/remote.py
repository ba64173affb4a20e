"""Where and how to call a SPARQL server: its URL, the credentials, the deadline of one
exchange, the largest answer read and the retries (:class:`Remote`).

Credentials come from the environment, never from the command line or the URL:
``$EVALKG_ENDPOINT_TOKEN`` (sent as ``Authorization: Bearer …``) or
``$EVALKG_ENDPOINT_USER`` and ``$EVALKG_ENDPOINT_PASSWORD``, sent as HTTP basic auth, or
with ``$EVALKG_ENDPOINT_AUTH=digest`` only in answer to the server's Digest challenge
(:mod:`kg.sparql.digest`: Virtuoso's protected endpoints). Answers
larger than ``$EVALKG_ENDPOINT_MAX_BYTES`` (256 MiB; 0: no limit) are refused.

>>> auth_headers({"EVALKG_ENDPOINT_USER": "ana", "EVALKG_ENDPOINT_PASSWORD": "s3cret"})
{'Authorization': 'Basic YW5hOnMzY3JldA=='}
>>> check_url("file:///etc/passwd")
Traceback (most recent call last):
...
kg.errors.ConfigError: endpoint URL must start with http:// or https://: 'file:///etc/passwd'
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kg.errors import ConfigError
from kg.sparql.deadline import DEFAULT_TIMEOUT

TOKEN_ENV = "EVALKG_ENDPOINT_TOKEN"
USER_ENV = "EVALKG_ENDPOINT_USER"
PASSWORD_ENV = "EVALKG_ENDPOINT_PASSWORD"
AUTH_ENV = "EVALKG_ENDPOINT_AUTH"
#: How the user's password is given (``$EVALKG_ENDPOINT_AUTH``), the first the default:
#: HTTP basic auth with every request, or HTTP Digest when the server asks.
AUTH_SCHEMES = ("basic", "digest")
MAX_BYTES_ENV = "EVALKG_ENDPOINT_MAX_BYTES"
#: The largest answer read (bytes), unless ``$EVALKG_ENDPOINT_MAX_BYTES`` says otherwise.
DEFAULT_MAX_BYTES = 256 * 2**20
DEFAULT_RETRIES = 3


@dataclass(frozen=True)
class Remote:
    """Where and how to call a server: the URL, the seconds one exchange may take
    (``None``: no limit), how many times to retry a transient failure, the first backoff
    delay, the authentication headers (from :func:`auth_headers`) and the largest answer
    read, in bytes (``None``: no limit); ``digest``: the user and password that answer a
    Digest challenge (then ``headers`` holds none)."""

    url: str
    timeout: float | None = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 0.5
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    max_bytes: int | None = DEFAULT_MAX_BYTES
    digest: tuple[str, str] | None = field(default=None, repr=False)

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
            digest=digest_credentials(env),
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


def auth_scheme(env: Mapping[str, str]) -> str:
    """How the password is sent: ``$EVALKG_ENDPOINT_AUTH``, one of :data:`AUTH_SCHEMES`
    (unset: ``basic``)."""
    given = env.get(AUTH_ENV, "")
    scheme = given.strip().lower() or AUTH_SCHEMES[0]
    if scheme not in AUTH_SCHEMES:
        raise ConfigError(f"${AUTH_ENV} must be {' or '.join(AUTH_SCHEMES)}", value=given)
    return scheme


def auth_headers(env: Mapping[str, str]) -> dict[str, str]:
    """The ``Authorization`` header the environment asks for (none when unset, or when
    the password waits for a Digest challenge)."""
    token, user = env.get(TOKEN_ENV), env.get(USER_ENV)
    password = env.get(PASSWORD_ENV)
    if token and user:
        raise ConfigError(f"set ${TOKEN_ENV} or ${USER_ENV}, not both")
    digest = auth_scheme(env) == "digest"
    if token:
        if digest:
            raise ConfigError(f"${AUTH_ENV}=digest needs ${USER_ENV}, not ${TOKEN_ENV}")
        return {"Authorization": f"Bearer {token}"}
    if user:
        if password is None:
            raise ConfigError(f"${USER_ENV} is set but ${PASSWORD_ENV} is not")
        if digest:
            return {}
        pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}
    return {}


def digest_credentials(env: Mapping[str, str]) -> tuple[str, str] | None:
    """The user and password that answer a Digest challenge, with
    ``$EVALKG_ENDPOINT_AUTH=digest``; else ``None``.

    >>> digest_credentials({"EVALKG_ENDPOINT_AUTH": "digest",
    ...                     "EVALKG_ENDPOINT_USER": "ana", "EVALKG_ENDPOINT_PASSWORD": "pw"})
    ('ana', 'pw')
    """
    if auth_scheme(env) != "digest":
        return None
    auth_headers(env)  # the same checks: no token, a password with the user
    user, password = env.get(USER_ENV), env.get(PASSWORD_ENV)
    if not user or password is None:
        raise ConfigError(f"${AUTH_ENV}=digest needs ${USER_ENV} and ${PASSWORD_ENV}")
    if not (user + password).isascii():  # urllib's digest hashes ASCII only
        raise ConfigError(f"${USER_ENV} and ${PASSWORD_ENV} must be ASCII for HTTP Digest")
    if not user.isprintable() or '"' in user or "\\" in user:  # quoted in the header
        raise ConfigError(f"${USER_ENV} cannot hold a quote, a backslash or a control character")
    return user, password
