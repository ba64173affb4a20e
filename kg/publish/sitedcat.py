"""The description of a static site's dataset: DCAT-AP (``dcat.ttl``: the server's
``queries/serve/dcat.rq`` with the catalogue, a ``dcat:Distribution`` for each dump, and
the VoID file as ``rdfs:seeAlso``) and VoID (``void.ttl`` and ``.well-known/void``: the
server's ``queries/serve/void.rq``, with a ``void:dataDump`` for each dump), both under
the site's licence (:data:`kg.publish.dataset.DEFAULT_LICENSE` unless told otherwise).
``ontology/dcat-ap-shapes.ttl`` holds the DCAT-AP properties the description carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.publish.dataset import DEFAULT_LICENSE, dataset_iri, description_query
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore
from kg.vocab import PREFIXES

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
_MEDIA = "https://www.iana.org/assignments/media-types/"
AVAILABLE = "http://publications.europa.eu/resource/authority/planned-availability/AVAILABLE"
#: The site's VoID description: at its own name, and where VoID's discovery looks for it
#: (https://www.w3.org/TR/void/, section 7; a web host serves that one, without an
#: extension, as application/octet-stream).
VOID_FILES = ("void.ttl", ".well-known/void")


@dataclass(frozen=True)
class Dump:
    """A dump of the site: its file, the :mod:`kg.publish.export` format, its media type,
    its EU file type, whether it is gzipped, and what it holds."""

    name: str
    format: str
    media: str
    file_type: str
    gzipped: bool
    about: str


#: The dumps a site holds.
DUMPS = (
    Dump("dumps/evalkg.ttl", "turtle", "text/turtle", "RDF_TURTLE", False,
         "The graph as Turtle: every triple once."),
    Dump("dumps/evalkg.nt.gz", "nt", "application/n-triples", "RDF_N_TRIPLES", True,
         "The graph as N-Triples, gzipped: every triple once, one a line."),
    Dump("dumps/evalkg.trig", "trig", "application/trig", "RDF_TRIG", False,
         "The graph as TriG: every record's named graph, with its provenance."),
)  # fmt: skip


def _ox() -> Any:
    import pyoxigraph as ox

    return ox


def _construct(store: EvalStore, text: str, source: str) -> list[Any]:
    return list(run_query(store, text, source=source).triples)


def dcat_triples(
    store: EvalStore,
    *,
    base_url: str,
    endpoint: str | None,
    issued: str,
    license: str = DEFAULT_LICENSE,
) -> list[Any]:
    """The DCAT-AP description of the site at ``base_url``: catalogue, dataset,
    distributions, publisher, the VoID file, and the endpoint's ``dcat:DataService``
    when given; the dataset, catalogue and distributions under ``license``."""
    ox = _ox()
    extra = {
        "catalog": f"<{base_url}dcat.ttl>",
        "homepage": f"<{base_url}index.html>",
        "issued": issued,
    }
    text = description_query(
        "dcat", base_iri=store.base_iri, endpoint=endpoint, license=license, extra=extra
    )
    triples = _construct(store, text, "queries/serve/dcat.rq")
    dataset = ox.NamedNode(dataset_iri(store.base_iri))

    def add(subject: Any, prop: str, value: Any) -> None:
        triples.append(ox.Triple(subject, ox.NamedNode(prop), value))

    add(dataset, PREFIXES["rdfs"] + "seeAlso", ox.NamedNode(base_url + VOID_FILES[0]))
    for dump in DUMPS:
        node = ox.NamedNode(f"{base_url}dcat.ttl#{dump.format}")
        url = ox.NamedNode(base_url + dump.name)
        add(dataset, _DCAT + "distribution", node)
        add(node, PREFIXES["rdf"] + "type", ox.NamedNode(_DCAT + "Distribution"))
        add(node, _DCAT + "accessURL", url)
        add(node, _DCAT + "downloadURL", url)
        add(node, _DCAT + "mediaType", ox.NamedNode(_MEDIA + dump.media))
        add(node, _DCT + "format", ox.NamedNode(_FILE_TYPE + dump.file_type))
        add(node, _DCT + "description", ox.Literal(dump.about, language="en"))
        add(node, _DCT + "license", ox.NamedNode(license))
        add(node, "http://data.europa.eu/r5r/availability", ox.NamedNode(AVAILABLE))
        if dump.gzipped:
            gzip = ox.NamedNode(_MEDIA + "application/gzip")
            add(node, _DCAT + "compressFormat", gzip)
    return triples


def void_triples(
    store: EvalStore, *, base_url: str, endpoint: str | None, license: str = DEFAULT_LICENSE
) -> list[Any]:
    """The VoID description of the site at ``base_url`` (the server's), a
    ``void:dataDump`` per dump."""
    ox = _ox()
    text = description_query("void", base_iri=store.base_iri, endpoint=endpoint, license=license)
    triples = _construct(store, text, "queries/serve/void.rq")
    dataset = ox.NamedNode(dataset_iri(store.base_iri))
    dump_of = ox.NamedNode("http://rdfs.org/ns/void#dataDump")
    triples += [ox.Triple(dataset, dump_of, ox.NamedNode(base_url + d.name)) for d in DUMPS]
    return triples
