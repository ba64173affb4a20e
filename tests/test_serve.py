"""``evalkg serve`` over HTTP (httpx, a client no one here wrote): the SPARQL 1.1 Protocol
(content negotiation, errors, refusals, timeouts), named queries, entity pages and their
RDF, VoID and DCAT, the security headers, and what a big, slow or endless request does
to the other clients. The server runs in a thread on a free port of 127.0.0.1, over the
bundled sample built into a folder (``sample_folder``)."""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic
from server import evalkg_server, to_rdflib

from kg.cli import main
from kg.errors import ConfigError
from kg.load.build import build
from kg.publish.protocol import ProtocolError, negotiate, read_operation
from kg.publish.server import ServeSettings
from kg.publish.servestate import MAX_RUNNING
from kg.sparql.query import run_query
from kg.sparql.safety import QueryRefused
from kg.store.dataset import Dataset
from kg.store.evalstore import EvalStore

pytestmark = pytest.mark.server

CUT = "https://w3id.org/evalkg/id/org/cut-chile"
CUT_PATH = "/evalkg/id/org/cut-chile"
#: Never ends on the sample (15,360³ rows to count): only the deadline stops it.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MILLION = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1000000"
COUNTRIES = "SELECT ?l WHERE { ?c a ek:Country ; skos:prefLabel ?l } ORDER BY ?l"
HOSTILE_PAGE = Path(__file__).parent / "data" / "hostile" / "hostile.txt"
RECORD_A = "https://w3id.org/evalkg/id/record/242868"
RECORD_B = "https://w3id.org/evalkg/id/record/practice-238417"
ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def url(sample_folder: Path) -> Iterator[str]:
    with evalkg_server(sample_folder, timeout=3.0) as base:
        yield base


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as opened:
        yield opened


def test_protocol_rules_of_the_library() -> None:
    assert read_operation("POST", [], "application/sparql-query", b"ASK {}").query == "ASK {}"
    with pytest.raises(ProtocolError) as refused:
        read_operation("POST", [], "application/sparql-update", b"CLEAR ALL")
    assert refused.value.status == 403
    assert negotiate("SELECT", None, "*/*").name == "json"
    assert negotiate("DESCRIBE", "json", None).name == "jsonld"
    assert negotiate("SELECT", None, "application/json").media_type == "application/json"
    with pytest.raises(ProtocolError) as unacceptable:
        negotiate("SELECT", None, "text/html")
    assert unacceptable.value.status == 406


def test_the_sparql_parser_is_safe_to_call_from_many_threads() -> None:
    """A server checks many requests at once; rdflib's parser is not thread-safe (24 of
    24 parses failed in 8 threads before evalkg parsed one at a time)."""
    from kg.sparql.safety import _parse

    failed: list[str] = []

    def parse(n: int) -> None:
        for _ in range(3):
            found = _parse(f"SELECT ?s WHERE {{ ?s ?p {n} FILTER(?p != <urn:x:{n}>) }}")
            if isinstance(found, str):
                failed.append(found)

    threads = [threading.Thread(target=parse, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        (None, None, "application/sparql-results+json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
            None,
            "application/sparql-results+xml",
        ),
        ("text/html", "tsv", "text/tab-separated-values"),  # format= wins over Accept
        (None, "application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_select_answers_in_the_format_asked(
    client: httpx.Client, sample_store: EvalStore, accept: str | None, fmt: str | None, media: str
) -> None:
    params = {"query": COUNTRIES} | ({"format": fmt} if fmt else {})
    answer = client.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    assert answer.headers["vary"] == "Accept"
    expected = [row[0].value for row in run_query(sample_store, COUNTRIES).rows]
    parsed = rdflib.query.Result.parse(
        io.BytesIO(answer.content),
        format={"text/tab-separated-values": "tsv"}.get(
            media, media.rsplit("+", 1)[-1].rsplit("/", 1)[-1]
        ),
    )
    assert [str(row[0]) for row in parsed] == expected


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        (None, "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_answers_in_the_rdf_format_asked(
    client: httpx.Client, sample_store: EvalStore, accept: str | None, rdflib_format: str
) -> None:
    construct = "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a ek:Country ; skos:prefLabel ?l }"
    answer = client.post(
        "/sparql", data={"query": construct}, headers={"Accept": accept} if accept else {}
    )
    assert answer.status_code == 200, answer.text
    got = rdflib.Graph().parse(data=answer.content, format=rdflib_format)
    assert isomorphic(got, to_rdflib(run_query(sample_store, construct).triples))


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "says"),
    [
        ("GET", {"params": {"query": "ASK {"}}, 400, "syntax"),
        ("GET", {"params": {"query": "SELECT * { ?s xyz:p ?o }"}}, 400, "unknown prefix xyz:"),
        ("GET", {}, 400, "no query"),
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "more than one"),
        ("PUT", {"params": {"query": "ASK {}"}}, 405, ""),
        ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, ""),
        ("POST", {"content": b"query=ASK%20%7B%7D"}, 415, ""),
        (
            "POST",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
            },
            415,
            "UTF-8",
        ),
        (
            "POST",
            {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}},
            400,
            "not UTF-8",
        ),
        ("GET", {"params": {"update": "CLEAR ALL"}}, 403, "read-only"),
        ("POST", {"data": {"update": "CLEAR ALL"}}, 403, "read-only"),
        (
            "POST",
            {"content": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
            403,
            "read-only",
        ),
        ("POST", {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403, "writes to the store"),
        ("POST", {"data": {"query": "LOAD <http://example.org/x>"}}, 403, "refuse"),
        (
            "GET",
            {"params": {"query": "SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }"}},
            403,
            "SERVICE reaches another server; refused (this server refuses it)",
        ),
        (
            "GET",
            {"params": {"query": "SELECT * FROM <http://example.org/g> { ?s ?p ?o }"}},
            403,
            "does not hold",
        ),
        (
            "GET",
            {"params": {"query": "ASK {}", "default-graph-uri": "http://example.org/g"}},
            403,
            "default-graph-uri names a graph the store does not hold",
        ),
        (
            "POST",
            {
                "params": {"named-graph-uri": [RECORD_A, "http://example.org/g"]},
                "data": {"query": "ASK {}"},
            },
            403,
            "named-graph-uri names a graph the store does not hold",
        ),
        (
            "GET",
            {"params": {"query": "ASK {}", "default-graph-uri": "not an IRI"}},
            403,
            "does not hold",
        ),
        ("GET", {"params": {"query": "ASK {}", "format": "yaml"}}, 400, "unknown format"),
        ("GET", {"params": {"query": "ASK {}"}, "headers": {"Accept": "text/html"}}, 406, ""),
    ],
)
def test_bad_requests_are_refused_with_the_protocol_s_status(
    client: httpx.Client, method: str, kwargs: dict[str, object], status: int, says: str
) -> None:
    answer = client.request(method, "/sparql", **kwargs)  # type: ignore[arg-type]
    assert answer.status_code == status, answer.text
    assert says in answer.text


def _graph(store: EvalStore, iri: str) -> rdflib.Graph:
    """The triples of the store's named graph ``iri``."""
    return to_rdflib([quad.triple for quad in store.quads(graph=store.iri(iri))])


def _triples(client: httpx.Client, query: str, **params: object) -> rdflib.Graph:
    answer = client.get("/sparql", params={"query": query, "format": "nt", **params})
    assert answer.status_code == 200, answer.text
    return rdflib.Graph().parse(data=answer.text, format="nt")


def _graph_names(client: httpx.Client, **params: object) -> set[str]:
    answer = client.post("/sparql", params=params, data={"query": GRAPHS})  # type: ignore[arg-type]
    assert answer.status_code == 200, answer.text
    return {row["g"]["value"] for row in answer.json()["results"]["bindings"]}


def test_the_protocol_dataset_is_the_query_s_dataset(
    client: httpx.Client, sample_folder: Path
) -> None:
    with EvalStore.open(sample_folder) as served:  # the server's own store, read-only
        one, other = _graph(served, RECORD_A), _graph(served, RECORD_B)
        held = set(served.graph_names())
    assert len(one) > 20 and len(other) > 20
    everything = _triples(client, ALL)
    assert len(everything) > len(one) + len(other)
    # default-graph-uri: the default graph is that graph (through the query's child process)
    assert isomorphic(_triples(client, ALL, **{"default-graph-uri": RECORD_A}), one)
    both = _triples(client, ALL, **{"default-graph-uri": [RECORD_A, RECORD_B]})
    assert isomorphic(both, one + other)  # the merge of several
    # it overrides the query's FROM (and an empty named part leaves GRAPH nothing)
    overridden = f"CONSTRUCT {{ ?s ?p ?o }} FROM <{RECORD_B}> WHERE {{ ?s ?p ?o }}"
    assert isomorphic(_triples(client, overridden, **{"default-graph-uri": RECORD_A}), one)
    assert _graph_names(client, **{"default-graph-uri": RECORD_A}) == set()
    # named-graph-uri: GRAPH ?g ranges over those only, and the default graph is empty
    assert _graph_names(client) == held and len(held) > 30
    named = {"named-graph-uri": [RECORD_A, RECORD_B]}
    assert _graph_names(client, **named) == {RECORD_A, RECORD_B}
    assert len(_triples(client, ALL, **named)) == 0
    # both together
    full = {"default-graph-uri": RECORD_B, "named-graph-uri": RECORD_A}
    assert _graph_names(client, **full) == {RECORD_A}
    assert isomorphic(_triples(client, ALL, **full), other)


def test_the_library_runs_a_query_on_a_given_dataset(sample_store: EvalStore) -> None:
    """In this process (no child: the in-memory store), the same as FROM / FROM NAMED."""
    given = Dataset(default=(RECORD_A,), named=(RECORD_B,))
    rows = run_query(sample_store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", dataset=given).rows
    assert int(rows[0][0].value) == len(_graph(sample_store, RECORD_A))
    found = run_query(sample_store, GRAPHS, dataset=given, timeout=30).rows
    assert [row[0].value for row in found] == [RECORD_B]
    with pytest.raises(QueryRefused, match="named-graph-uri names a graph"):
        run_query(sample_store, "ASK {}", dataset=Dataset(named=("http://example.org/g",)))


def test_a_query_that_times_out_says_so_with_503(client: httpx.Client) -> None:
    started = time.monotonic()
    answer = client.get("/sparql", params={"query": ENDLESS})
    assert answer.status_code == 503
    assert "stopped after 3 s (the timeout)" in answer.text
    assert time.monotonic() - started < 10


def test_two_slow_queries_do_not_hold_up_a_fast_one(url: str) -> None:
    done: list[tuple[str, int, float]] = []
    started = time.monotonic()

    def ask(name: str, query: str) -> None:
        with httpx.Client(base_url=url, timeout=30) as own:
            status = own.get("/sparql", params={"query": query}).status_code
        done.append((name, status, time.monotonic() - started))

    slow = [threading.Thread(target=ask, args=(f"slow{i}", ENDLESS)) for i in range(2)]
    for thread in slow:
        thread.start()
    time.sleep(0.3)  # both slow queries are running
    ask("fast", COUNTRIES)
    for thread in slow:
        thread.join()
    assert done[0][:2] == ("fast", 200), done
    assert done[0][2] < 2.5, done
    assert sorted(status for name, status, _ in done if name != "fast") == [503, 503]


def _children() -> set[int]:
    """The processes this one started (the query workers of the server thread)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            text = (task / "children").read_text()
        except FileNotFoundError:  # the thread ended meanwhile
            continue
        found |= {int(pid) for pid in text.split()}
    return found


def test_queries_run_in_the_workers_started_with_the_server(client: httpx.Client) -> None:
    """No process is started per query: the server's workers answer one after the other."""
    before = _children()
    assert len(before) == MAX_RUNNING  # started with the server
    for n in range(12):
        answer = client.get("/sparql", params={"query": f"SELECT ({n} AS ?n) {{}}"})
        assert answer.status_code == 200 and f'"{n}"' in answer.text
    assert client.get(CUT_PATH, headers={"Accept": "text/turtle"}).status_code == 200
    assert _children() == before


def test_a_million_rows_and_a_client_that_stops_reading_starve_no_one(
    url: str, client: httpx.Client
) -> None:
    before = _children()
    with httpx.stream("GET", url + "/sparql", params={"query": MILLION, "format": "csv"}) as big:
        assert big.status_code == 200
        first = next(big.iter_bytes())
        assert first.startswith(b"a,d\r\n")
        # the big answer waits on this client; another one is answered meanwhile
        started = time.monotonic()
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert time.monotonic() - started < 2
    # the client went away: the worker of its query is ended, and replaced by a new one
    deadline = time.monotonic() + 5
    while not before - _children() and time.monotonic() < deadline:
        time.sleep(0.1)
    after = _children()
    assert before - after and len(after) <= len(before), (before, after)


def test_a_10_mb_query_is_refused_at_once_and_the_server_goes_on(client: httpx.Client) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 10_000_000
    started = time.monotonic()
    answer = client.post(
        "/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert answer.status_code == 413
    assert "larger than 262,144 bytes" in answer.text
    assert time.monotonic() - started < 5
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_a_slow_client_does_not_block_the_others(url: str, client: httpx.Client) -> None:
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as trickle:
        trickle.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")
        trickle.sendall(b"Content-Type: application/sparql-query\r\n\r\nASK")
        started = time.monotonic()
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert time.monotonic() - started < 2


def test_named_queries_bind_their_parameters_as_rdf_terms(
    client: httpx.Client, sample_store: EvalStore
) -> None:
    listed = client.get("/queries").json()
    assert "lessons-by-country" in [q["name"] for q in listed]
    answer = client.get("/queries/lessons-by-country", params={"country": "Chile", "format": "csv"})
    assert answer.status_code == 200
    assert answer.text.count("/lesson/") == 2
    hostile = client.get("/queries/lessons-by-country", params={"country": '"} ?s ?p ?o #'})
    assert hostile.status_code == 200 and hostile.json()["results"]["bindings"] == []
    text = client.get("/queries/lessons-by-country.rq", params={"country": "Chile"})
    assert text.headers["content-type"].startswith("application/sparql-query")
    assert 'VALUES ?country { "Chile" }' in text.text
    assert client.get("/queries/lessons-by-country").status_code == 400  # missing
    unknown = client.get("/queries/lessons-by-country", params={"country": "Chile", "x": "1"})
    assert unknown.status_code == 400 and "unknown parameter" in unknown.text
    assert client.get("/queries/no-such-query").status_code == 404


def test_a_keyword_query_is_narrowed_as_the_command_narrows_it(
    client: httpx.Client, sample_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``/queries/keyword-search`` binds through ``load_request`` with the store, so the
    text index fills the query's slot (the text that runs, and the .rq text); its rows
    are those of ``evalkg query``."""
    import kg.publish.routes

    ran: list[str] = []
    real = kg.publish.routes.load_request

    def spy(*args: object) -> tuple[str, str]:
        text, source = real(*args)  # type: ignore[arg-type]
        ran.append(text)
        return text, source

    monkeypatch.setattr(kg.publish.routes, "load_request", spy)
    params = {"keyword": "Migrantes"}
    served = client.get("/queries/keyword-search", params={**params, "format": "csv"})
    assert served.status_code == 200, served.text
    assert len(ran) == 1 and "(UNDEF UNDEF)" not in ran[0]
    filled = ran[0].count("> <https://w3id.org/evalkg/ontology#") + ran[0].count(
        "> <http://purl.org/dc/terms/description>)"
    )
    with EvalStore.open(sample_folder) as served_store:
        texts = len(served_store.lesson_index.db.execute("SELECT 1 FROM lesson_text").fetchall())
    assert 0 < filled < texts / 10  # the index named a few of the texts, not all
    text = client.get("/queries/keyword-search.rq", params=params)
    assert text.text == ran[1]
    command = ["query", "keyword-search", "--param", "keyword=Migrantes", "--format", "csv"]
    result = CliRunner().invoke(main, [*command, "--store", str(sample_folder)])
    assert result.exit_code == 0, result.output
    lines = served.text.splitlines()
    assert len(lines) > 2 and lines == result.stdout.splitlines()


def test_an_entity_iri_answers_html_or_rdf(client: httpx.Client, sample_store: EvalStore) -> None:
    page = client.get(CUT_PATH, headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Unitary Workers&#39; Central of Chile" in page.text
    assert "Central Unitaria de Trabajadores de Chile" in page.text  # es
    assert 'href="/evalkg/id/lesson/242868"' in page.text
    graphs = {
        ".ttl": "turtle",
        ".jsonld": "json-ld",
        ".nt": "nt",
        ".rdf": "xml",
    }
    expected = None
    for suffix, fmt in graphs.items():
        answer = client.get(CUT_PATH + suffix)
        assert answer.status_code == 200, suffix
        got = rdflib.Graph().parse(data=answer.content, format=fmt)
        expected = expected or got
        assert isomorphic(got, expected), suffix
    assert (rdflib.URIRef(CUT), rdflib.SKOS.prefLabel, rdflib.Literal("CUT")) not in expected
    assert (rdflib.URIRef(CUT), None, None) in expected
    turtle = client.get(CUT_PATH, headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_an_unknown_iri_is_a_404_that_says_so(client: httpx.Client) -> None:
    page = client.get("/evalkg/id/org/no-such-org")
    assert page.status_code == 404 and "holds nothing about" in page.text
    assert "https://w3id.org/evalkg/id/org/no-such-org" in page.text
    assert client.get("/evalkg/id/org/no-such-org.ttl").status_code == 404


def test_void_and_dcat_describe_the_dataset_and_its_endpoint(
    client: httpx.Client, url: str
) -> None:
    void = rdflib.Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    dataset = rdflib.URIRef("https://w3id.org/evalkg/id/dataset")
    vocab = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert void.value(dataset, vocab.sparqlEndpoint) == rdflib.URIRef(url + "/sparql")
    assert int(void.value(dataset, vocab.triples)) > 15_000
    assert len(list(void.objects(dataset, vocab.classPartition))) == 4
    dcat = rdflib.Graph().parse(
        data=client.get("/dataset", headers={"Accept": "application/ld+json"}).text,
        format="json-ld",
    )
    assert (dataset, rdflib.RDF.type, rdflib.DCAT.Dataset) in dcat
    assert (None, rdflib.DCAT.endpointURL, rdflib.URIRef(url + "/sparql")) in dcat
    cc_by = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")  # the default
    assert (dataset, rdflib.DCTERMS.license, cc_by) in dcat
    assert (dataset, rdflib.DCTERMS.license, cc_by) in void


def test_the_licence_of_the_descriptions_is_an_http_iri() -> None:
    assert ServeSettings().license == "https://creativecommons.org/licenses/by/4.0/"
    for bad in ("CC-BY-4.0", "ftp://example.org/l", "https://example.org/a licence"):
        with pytest.raises(ConfigError, match="absolute http") as refused:
            ServeSettings(license=bad)
        assert refused.value.value == bad


def test_every_answer_carries_the_security_headers(client: httpx.Client) -> None:
    for path in ("/", CUT_PATH, "/sparql?query=ASK%7B%7D", "/views/"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self';" in policy and "default-src 'none'" in policy, path
        assert headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in client.get(CUT_PATH).headers["content-security-policy"]


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "store"
    with EvalStore.create(folder) as store:
        assert build([HOSTILE_PAGE], store=store).ok
        store.flush()
    return folder


def test_hostile_record_text_is_escaped_in_every_page(hostile_folder: Path) -> None:
    with evalkg_server(hostile_folder) as base, httpx.Client(base_url=base) as own:
        found = own.get("/sparql", params={"query": "SELECT ?l WHERE { ?l a ek:Lesson }"}).json()
        lesson = found["results"]["bindings"][0]["l"]["value"]
        page = own.get(lesson.replace("https://w3id.org", ""))
        assert page.status_code == 200
        assert "<script>window.pwned" not in page.text and "onerror=" not in page.text.replace(
            "onerror=&#34;", ""
        )
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page.text
        assert 'href="javascript:' not in page.text


def test_serve_help_and_a_real_process(sample_folder: Path) -> None:
    shown = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "Example" in shown and "127.0.0.1" in shown
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(sample_folder)]
    command += ["--license", "https://example.org/licence"]
    process = subprocess.Popen([*command, "--port", str(port)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"})
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert json.loads(answer.text)["boolean"] is True
        for path in ("/dataset", "/.well-known/void"):
            described = httpx.get(f"http://127.0.0.1:{port}{path}").text
            assert "<https://example.org/licence>" in described, path
            assert "creativecommons" not in described, path
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert f"Serving {sample_folder} at http://127.0.0.1:{port}/" in err.decode()


def test_served_views_are_listed_and_placed_on_entity_pages(
    sample_folder: Path, tmp_path: Path
) -> None:
    import networkx as nx

    from kg.views.view import write_html

    graph = nx.Graph(network="actors", title="Actors <b>of Chile</b>")
    graph.add_node(CUT, label="CUT", type="organization")
    graph.add_node("https://w3id.org/evalkg/id/org/ilo", label="ILO", type="organization")
    graph.add_edge(CUT, "https://w3id.org/evalkg/id/org/ilo", weight=2.0)
    write_html(graph, tmp_path / "actors.html")
    with evalkg_server(sample_folder, views=tmp_path) as base, httpx.Client(base_url=base) as own:
        listing = own.get("/views/")
        assert 'href="/views/actors.html"' in listing.text
        assert "Actors &lt;b&gt;of Chile&lt;/b&gt;" in listing.text
        view = own.get("/views/actors.html")
        assert (
            view.status_code == 200
            and "connect-src 'none'" in view.headers["content-security-policy"]
        )
        page = own.get(CUT_PATH).text
        assert 'href="/views/actors.html"' in page and "<td>1</td>" in page  # degree 1
