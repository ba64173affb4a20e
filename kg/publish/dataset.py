"""The dataset's own description, as a server publishes it: VoID at ``/.well-known/void``
(the counts of the statistics graph, the SPARQL endpoint, the URI space, the licence) and
DCAT at ``/dataset`` (a catalogue entry and the endpoint as a ``dcat:DataService``). Both
are the CONSTRUCT queries ``queries/serve/void.rq`` and ``queries/serve/dcat.rq``, their
parameters bound as RDF terms; ``evalkg publish`` writes the same into its site.

>>> text = description_query("void", base_iri="https://w3id.org/evalkg/id/",
...                          endpoint="http://127.0.0.1:8000/sparql")
>>> "<http://127.0.0.1:8000/sparql>" in text, "<https://w3id.org/evalkg/id/dataset>" in text
(True, True)
>>> check_license("CC-BY-4.0")
Traceback (most recent call last):
kg.errors.ConfigError: the licence must be an absolute http(s) IRI: 'CC-BY-4.0'
"""

from __future__ import annotations

import urllib.parse

from kg.errors import ConfigError
from kg.sparql.queries import load_request

#: Description name → its named query.
DESCRIPTIONS = {"void": "serve/void", "dcat": "serve/dcat"}
#: The licence the descriptions declare unless told otherwise: CC BY 4.0 (as the
#: ontology's).
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def dataset_iri(base_iri: str) -> str:
    """The IRI of the dataset (as the statistics graph names it)."""
    return base_iri + "dataset"


def check_license(value: str) -> str:
    """``value`` when it is an absolute http(s) IRI (the licence's document), else
    :class:`ConfigError` naming it."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(value)
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("the licence must be an absolute http(s) IRI", value=value)
    return value


def description_query(
    name: str,
    *,
    base_iri: str,
    endpoint: str | None,
    license: str = DEFAULT_LICENSE,
    extra: dict[str, str] | None = None,
) -> str:
    """The SPARQL text of the description ``name`` (``void`` or ``dcat``) of the dataset
    under ``base_iri`` served at ``endpoint`` (``None``: no endpoint) under ``license``
    (:func:`check_license`); ``extra``: more parameters of the query (``dcat``:
    ``catalog``, ``homepage``, ``issued``)."""
    params = {
        "dataset": f"<{dataset_iri(base_iri)}>",
        "license": f"<{check_license(license)}>",
        **(extra or {}),
    }
    if endpoint is not None:
        params["endpoint"] = f"<{endpoint}>"
    if name == "void":
        params["space"] = base_iri
    text, _ = load_request(DESCRIPTIONS[name], None, params)
    return text
