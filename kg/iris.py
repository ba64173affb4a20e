"""Minting IRIs: slugs, the base IRI, and a strict validity check.

>>> slug("Programme implementation")
'programme-implementation'
>>> slug("Évaluation d'impact — « RH »")
'evaluation-d-impact-rh'
>>> slug("!!!")[:2]
'x-'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from kg.errors import ConfigError

DEFAULT_BASE_IRI = "https://w3id.org/evalkg/id/"
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def slug(value: str) -> str:
    """A lower-case ASCII slug of ``value``; ``x-<hash>`` when nothing is left."""
    folded = unicodedata.normalize("NFKD", value)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    out = _NON_SLUG.sub("-", ascii_text).strip("-")
    return out or "x-" + short_hash(value, 8)


def short_hash(value: str, length: int = 16) -> str:
    """The first ``length`` hex digits of the SHA-1 of ``value`` (an id, not security)."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:length]


def is_valid_iri(value: str) -> bool:
    """True when ``value`` is an absolute IRI by RFC 3987 (checked by Oxigraph's parser)."""
    from pyoxigraph import NamedNode

    try:
        NamedNode(value)
    except ValueError:
        return False
    return True


def check_base_iri(value: str) -> str:
    """The base IRI, or :class:`ConfigError` when it is not an absolute http(s) IRI ending
    in ``/`` or ``#``."""
    if not re.match(r"https?://", value) or not value.endswith(("/", "#")):
        raise ConfigError("base IRI must be an http(s) IRI ending in '/' or '#'", value=value)
    if not is_valid_iri(value + "x"):
        raise ConfigError("base IRI is not a valid IRI", value=value)
    return value
