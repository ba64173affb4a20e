"""Public IRIs and the local server's paths: the IRIs under the base IRI are served below
one path prefix, by default the base IRI's own path (``https://w3id.org/evalkg/id/org/x``
at ``/evalkg/id/org/x``), so that a server put behind the base IRI's host answers the
IRIs as they are, and a local one answers them by that path.

>>> mapping = IriMap("https://w3id.org/evalkg/id/")
>>> mapping.prefix, mapping.local("https://w3id.org/evalkg/id/org/cut-chile")
('/evalkg/id/', '/evalkg/id/org/cut-chile')
>>> mapping.public("/evalkg/id/org/cut-chile"), mapping.local("https://example.org/x") is None
('https://w3id.org/evalkg/id/org/cut-chile', True)
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from kg.errors import ConfigError
from kg.iris import check_base_iri

#: Paths the server answers itself, which no prefix may take.
RESERVED = ("/sparql", "/queries", "/static", "/views", "/dataset", "/.well-known")


@dataclass(frozen=True)
class IriMap:
    """``base`` (the public base IRI) served below ``prefix`` (a path; default: the base
    IRI's path)."""

    base: str
    prefix: str = ""

    def __post_init__(self) -> None:
        check_base_iri(self.base)
        prefix = self.prefix or urllib.parse.urlsplit(self.base).path or "/"
        if not prefix.startswith("/"):
            prefix = "/" + prefix
        if not prefix.endswith("/"):
            prefix += "/"
        if prefix == "/" or any(prefix.startswith(p + "/") or prefix == p + "/" for p in RESERVED):
            raise ConfigError(
                "the path prefix of the entity pages may not be / nor one of "
                + ", ".join(RESERVED),
                value=prefix,
            )
        object.__setattr__(self, "prefix", prefix)

    def local(self, iri: str) -> str | None:
        """The path that serves ``iri``, or ``None`` when it is not under the base IRI."""
        if not iri.startswith(self.base) or len(iri) == len(self.base):
            return None
        return self.prefix + urllib.parse.quote(iri[len(self.base) :], safe="/:@!$&'()*+,;=-._~")

    def public(self, path: str) -> str:
        """The IRI a path below the prefix stands for."""
        return self.base + urllib.parse.unquote(path[len(self.prefix) :])
