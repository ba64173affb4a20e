"""The dataset's own description, as a server publishes it: VoID at ``/.well-known/void``
(the counts of the statistics graph, the SPARQL endpoint, the URI space) and DCAT at
``/dataset`` (a catalogue entry and the endpoint as a ``dcat:DataService``). Both are the
CONSTRUCT queries ``queries/serve/void.rq`` and ``queries/serve/dcat.rq``, their
parameters bound as RDF terms.

>>> text = description_query("void", base_iri="https://w3id.org/evalkg/id/",
...                          endpoint="http://127.0.0.1:8000/sparql")
>>> "<http://127.0.0.1:8000/sparql>" in text, "<https://w3id.org/evalkg/id/dataset>" in text
(True, True)
"""

from __future__ import annotations

from kg.sparql.queries import load_request

#: Description name → its named query.
DESCRIPTIONS = {"void": "serve/void", "dcat": "serve/dcat"}


def dataset_iri(base_iri: str) -> str:
    """The IRI of the dataset (as the statistics graph names it)."""
    return base_iri + "dataset"


def description_query(
    name: str, *, base_iri: str, endpoint: str | None, extra: dict[str, str] | None = None
) -> str:
    """The SPARQL text of the description ``name`` (``void`` or ``dcat``) of the dataset
    under ``base_iri`` served at ``endpoint`` (``None``: no endpoint); ``extra``: more
    parameters of the query (``dcat``: ``catalog``, ``homepage``, ``issued``)."""
    params = {"dataset": f"<{dataset_iri(base_iri)}>", **(extra or {})}
    if endpoint is not None:
        params["endpoint"] = f"<{endpoint}>"
    if name == "void":
        params["space"] = base_iri
    text, _ = load_request(DESCRIPTIONS[name], None, params)
    return text
