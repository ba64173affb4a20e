"""HTTP Digest authentication (RFC 7616) for the exchanges of :mod:`kg.sparql.transport`,
when ``$EVALKG_ENDPOINT_AUTH=digest`` (Virtuoso's protected endpoints want it).

Nothing is sent before the server asks: a request goes out without credentials, and a
``401`` with a ``Digest`` challenge is answered once, by the same request (its body
sent again) carrying the digest of the password, never the password. urllib's
:class:`~urllib.request.HTTPDigestAuthHandler` computes the answer; this handler decides
when to give it:

- only to the endpoint's own origin (the password manager knows no other URL, and the
  redirect handler follows no redirect elsewhere);
- only to a ``Digest`` challenge: a server that asks for ``Basic`` (the password in
  clear) or another scheme is refused with a message, nothing sent;
- once: credentials refused again leave the ``401`` as the answer (urllib would try
  five more times), unless the server says the nonce was stale.

The second exchange goes through the same opener, so the deadline of the first bounds
both.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from kg.errors import EndpointError

AUTH_HEADER = "Authorization"


class DigestAuth(urllib.request.HTTPDigestAuthHandler):
    """Answers the Digest challenge of the endpoint ``endpoint`` with ``user`` and
    ``password`` (see the module docstring)."""

    def __init__(self, endpoint: str, user: str, password: str) -> None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        parts = urlsplit(endpoint)
        manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password)
        super().__init__(manager)
        self.endpoint = endpoint

    def http_error_401(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        offered = headers.get_all("WWW-Authenticate") or []
        challenge = next((c for c in offered if _scheme(c) == "digest"), None)
        if challenge is None:
            fp.close()
            schemes = ", ".join(sorted({_scheme(c) for c in offered if c.strip()}))
            message = (
                f"the endpoint answered HTTP 401 without a Digest challenge (it offers "
                f"{schemes or 'no scheme'}); with $EVALKG_ENDPOINT_AUTH=digest evalkg "
                "answers only a Digest challenge (for HTTP basic auth, unset it)"
            )
            raise EndpointError(message, path=self.endpoint)
        params = _params(challenge, self.endpoint)
        if req.get_header(AUTH_HEADER) and params.get("stale", "").lower() != "true":
            return None  # these credentials were refused: the 401 stands
        try:
            answer = self.get_authorization(req, params)
        except (ValueError, urllib.error.URLError) as exc:  # an algorithm or qop urllib lacks
            reason = getattr(exc, "reason", exc)
            message = f"cannot answer the endpoint's Digest challenge ({reason})"
            raise EndpointError(message, path=self.endpoint, value=challenge) from None
        if answer is None:
            message = "the endpoint's Digest challenge has no realm or nonce"
            raise EndpointError(message, path=self.endpoint, value=challenge)
        fp.close()
        req.add_unredirected_header(AUTH_HEADER, "Digest " + answer)
        return self.parent.open(req, timeout=req.timeout)


def _scheme(challenge: str) -> str:
    return challenge.strip().split(None, 1)[0].lower() if challenge.strip() else ""


def _params(challenge: str, endpoint: str) -> dict[str, str]:
    """The ``key=value`` parameters of a challenge (quotes removed)."""
    _, _, text = challenge.strip().partition(" ")
    items = [item for item in urllib.request.parse_http_list(text) if item.strip()]
    if not all("=" in item for item in items):
        raise EndpointError("malformed Digest challenge", path=endpoint, value=challenge)
    return urllib.request.parse_keqv_list(items)


def fresh_request(request: urllib.request.Request) -> urllib.request.Request:
    """A copy of ``request`` without what an earlier attempt added to it (the answer to
    an old challenge)."""
    return urllib.request.Request(
        request.full_url, data=request.data, headers=request.headers, method=request.get_method()
    )
