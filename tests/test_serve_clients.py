"""``evalkg serve`` with clients no one here wrote: SPARQLWrapper, rdflib's ``SPARQLStore``,
and the W3C SPARQL 1.1 Protocol tests (w3c/rdf-tests, ``sparql/sparql11/protocol/
manifest.ttl``) that apply to a read-only endpoint over evalkg's store.

Of the manifest's 34 tests: the 14 ``bad_*`` ones (each expects a 4xx) and 7 query
tests run as the manifest writes them, but for ``query_post_form``, whose
``default-graph-uri`` names a graph of this store (the seed's record) instead of
kasei.us's ``data0.rdf``: the store does not hold that graph and the server refuses a
dataset of graphs it does not hold, as it refuses ``FROM`` of one (403), where the test,
which loads no data for it, expects ``ASK {}`` to be true. Not applicable: the 5
``query_dataset_*`` tests and ``query_multiple_dataset`` (the server applies protocol
datasets, ``tests/test_serve.py`` checks them on the store's graphs, but these ask of
kasei.us's graphs, which they load from the test suite: this machine cannot reach them
and the store does not hold them; they would be refused), and the 7 ``update_*`` tests
(a read-only server refuses every update, which the ``bad_update_*`` tests check).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from server import evalkg_server
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore

pytestmark = pytest.mark.server

COUNTRIES = (
    "PREFIX ek: <https://w3id.org/evalkg/ontology#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?c ?l WHERE { ?c a ek:Country ; skos:prefLabel ?l FILTER(LANG(?l) = 'en') } ORDER BY ?l"
)
DATA0 = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf"
#: A graph the sample's store holds (the seed's record), for data0.rdf.
SEED_GRAPH = "https%3A%2F%2Fw3id.org%2Fevalkg%2Fid%2Frecord%2F242868"


@pytest.fixture(scope="module")
def url(sample_folder: Path) -> Iterator[str]:
    with evalkg_server(sample_folder, timeout=10.0) as base:
        yield base


def _expected(store: EvalStore) -> list[tuple[str, str]]:
    return [(c.value, label.value) for c, label in run_query(store, COUNTRIES).rows]


@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_sparqlwrapper_reads_the_answers(url: str, sample_store: EvalStore, fmt: str) -> None:
    wrapper = SPARQLWrapper(url + "/sparql")
    wrapper.setQuery(COUNTRIES)
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod("POST" if fmt == XML else "GET")
    converted = wrapper.query().convert()
    if fmt == JSON:
        rows = [(b["c"]["value"], b["l"]["value"]) for b in converted["results"]["bindings"]]
    elif fmt == XML:
        rows = [
            tuple(n.getElementsByTagName(e)[0].firstChild.data for e in ("uri", "literal"))
            for n in converted.getElementsByTagName("result")
        ]
    else:
        lines = converted.decode("utf-8").splitlines()[1:]
        rows = [(c, label) for c, label in csv.reader(lines)]
    assert rows == _expected(sample_store)


def test_sparqlwrapper_reads_a_construct_and_an_ask(url: str) -> None:
    wrapper = SPARQLWrapper(url + "/sparql")
    wrapper.setQuery(
        "CONSTRUCT { ?c <http://www.w3.org/2004/02/skos/core#notation> ?n } WHERE "
        "{ ?c <http://www.w3.org/2004/02/skos/core#notation> ?n } LIMIT 5"
    )
    wrapper.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=wrapper.query().convert(), format="turtle")
    assert len(graph) == 5
    wrapper.setQuery("ASK { ?s a <https://w3id.org/evalkg/ontology#Lesson> }")
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_reads_the_graph_and_cannot_write(
    url: str, sample_store: EvalStore
) -> None:
    store = SPARQLStore(url + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = [(str(c), str(label)) for c, label in graph.query(COUNTRIES)]
    assert rows == _expected(sample_store)
    cut = rdflib.URIRef("https://w3id.org/evalkg/id/org/cut-chile")
    assert rdflib.Literal("CUT") in set(graph.objects(cut, None))
    with pytest.raises(TypeError):  # a SPARQLStore is read-only by design
        graph.add((cut, rdflib.RDFS.label, rdflib.Literal("x")))


#: The W3C protocol tests that run here: name → (method, path, content type, body,
#: expected status class, expected answer: a boolean, "results", "graph" or None).
W3C: dict[str, tuple[str, str, str | None, bytes, int, object]] = {
    "query_post_form (its default-graph-uri a graph of the store)": (
        "POST",
        f"/sparql?default-graph-uri={SEED_GRAPH}",
        "application/x-www-form-urlencoded",
        b"query=ASK%20%7B%7D",
        2,
        True,
    ),
    "query_get": ("GET", "/sparql?query=ASK%20%7B%7D", None, b"", 2, True),
    "query_post_direct": ("POST", "/sparql", "application/sparql-query", b"ASK {}", 2, True),
    "query_content_type_select": (
        "GET",
        "/sparql?query=SELECT%20%28SAMPLE%28%3Fo%29%20AS%20%3Fvalue%29%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
        None,
        b"",
        2,
        "results",
    ),
    "query_content_type_ask": ("GET", "/sparql?query=ASK%20%7B%7D", None, b"", 2, True),
    "query_content_type_describe": (
        "GET",
        "/sparql?query=DESCRIBE%20%3Chttp%3A%2F%2Fexample.org%2F%3E",
        None,
        b"",
        2,
        "graph",
    ),
    "query_content_type_construct": (
        "GET",
        "/sparql?query=CONSTRUCT%20%7B%20%3Chttp%3A%2F%2Fexample.org%2Fs%3E%20%3Chttp%3A%2F%2Fexample.org%2Fp%3E%201%20%7D%20WHERE%20%7B%7D",
        None,
        b"",
        2,
        "graph",
    ),
    "bad_query_method": (
        "PUT",
        f"/sparql?query=ASK%20%7B%7D&default-graph-uri={DATA0}",
        "application/x-www-form-urlencoded",
        b"",
        4,
        None,
    ),
    "bad_multiple_queries": (
        "GET",
        "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
        None,
        b"",
        4,
        None,
    ),
    "bad_query_wrong_media_type": ("POST", "/sparql", "text/plain", b"ASK {}", 4, None),
    "bad_query_missing_form_type": ("POST", "/sparql", None, b"query=ASK%20%7B%7D", 4, None),
    "bad_query_missing_direct_type": ("POST", "/sparql", None, b"ASK {}", 4, None),
    "bad_query_non_utf8": (
        "POST",
        "/sparql",
        "application/sparql-query; charset=UTF-16",
        "ASK {}".encode("utf-16"),
        4,
        None,
    ),
    "bad_query_syntax": ("GET", "/sparql?query=ASK%20%7B", None, b"", 4, None),
    "bad_update_get": ("GET", "/sparql?update=CLEAR%20ALL", None, b"", 4, None),
    "bad_multiple_updates": (
        "POST",
        "/sparql",
        "application/x-www-form-urlencoded",
        b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        4,
        None,
    ),
    "bad_update_wrong_media_type": ("POST", "/sparql", "text/plain", b"CLEAR NAMED", 4, None),
    "bad_update_missing_form_type": ("POST", "/sparql", None, b"update=CLEAR%20NAMED", 4, None),
    "bad_update_non_utf8": (
        "POST",
        "/sparql",
        "application/sparql-update; charset=UTF-16",
        "CLEAR NAMED".encode("utf-16"),
        4,
        None,
    ),
    "bad_update_syntax": (
        "POST",
        "/sparql",
        "application/sparql-update",
        b"INSERT DATA { <s> <p> }",
        4,
        None,
    ),
    "bad_update_dataset_conflict": (
        "POST",
        f"/sparql?using-named-graph-uri={DATA0}",
        "application/sparql-update",
        b"PREFIX dc: <http://purl.org/dc/terms/> WITH <http://example.org/g> "
        b"DELETE { ?s dc:title ?o } USING <http://example.org/g2> WHERE { ?s dc:title ?o }",
        4,
        None,
    ),
}


@pytest.mark.parametrize("name", list(W3C))
def test_w3c_sparql11_protocol(url: str, name: str) -> None:
    method, path, content_type, body, status_class, expected = W3C[name]
    headers = {"Content-Type": content_type} if content_type else {}
    answer = httpx.request(method, url + path, content=body, headers=headers, timeout=30)
    assert answer.status_code // 100 == status_class, (answer.status_code, answer.text)
    media = answer.headers.get("content-type", "").split(";")[0]
    if isinstance(expected, bool):
        assert media == "application/sparql-results+json"
        assert answer.json()["boolean"] is expected
    elif expected == "results":
        assert media == "application/sparql-results+json"
        assert answer.json()["head"]["vars"] == ["value"]
    elif expected == "graph":
        assert media == "text/turtle"
        rdflib.Graph().parse(data=answer.text, format="turtle")


def test_w3c_query_post_form_as_written_is_refused(url: str) -> None:
    """With kasei.us's data0.rdf, a graph the store does not hold, as its dataset: the
    server refuses it as it refuses FROM of that graph (the module's docstring)."""
    answer = httpx.post(
        f"{url}/sparql?default-graph-uri={DATA0}",
        content=b"query=ASK%20%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert answer.status_code == 403
    assert "default-graph-uri names a graph the store does not hold" in answer.text
    assert "<http://kasei.us/2009/09/sparql/data/data0.rdf>" in answer.text
