"""HTTP Digest credentials (``$EVALKG_ENDPOINT_AUTH=digest``, kg/sparql/digest.py) against
scripted servers on 127.0.0.1: nothing is sent before the challenge, the answer is the
digest of RFC 7616 (checked here by recomputing it), a body is sent again with it, the
password never travels, refused credentials are not tried again, a server that asks for
Basic gets nothing, and the deadline bounds both exchanges. tests/test_virtuoso.py
checks the same against Virtuoso."""

from __future__ import annotations

import hashlib
import json
import urllib.request

import pyoxigraph as ox
import pytest
from server import QUICK, Canned, ScriptedServer, Seen

from kg.errors import ConfigError, EndpointError
from kg.publish.push import push
from kg.sparql.endpoint import Remote, run_remote_query
from kg.store.evalstore import EvalStore

pytestmark = pytest.mark.server

USER, PASSWORD = "ana", "s3cret-pw"
ENV = {"EVALKG_ENDPOINT_AUTH": "digest", "EVALKG_ENDPOINT_USER": USER}
ENV["EVALKG_ENDPOINT_PASSWORD"] = PASSWORD
CHALLENGE = 'Digest realm="SPARQL", domain="/sparql", nonce="abc123", qop="auth", opaque="o1"'
SELECT_JSON = json.dumps(
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}
).encode()


def asks(challenge: str = CHALLENGE) -> Canned:
    """A 401 with ``challenge`` (Virtuoso's is of this form)."""
    return Canned(401, "text/html", b"<html>Unauthorized</html>", {"WWW-Authenticate": challenge})


def ok(body: bytes = SELECT_JSON) -> Canned:
    return Canned(200, "application/sparql-results+json", body)


def answer_of(seen: Seen) -> dict[str, str]:
    """The parameters of a request's ``Authorization: Digest …`` header."""
    scheme, _, text = seen.headers["Authorization"].partition(" ")
    assert scheme == "Digest"
    return urllib.request.parse_keqv_list(urllib.request.parse_http_list(text))


def expected_response(seen: Seen, params: dict[str, str], password: str = PASSWORD) -> str:
    """RFC 7616's ``response`` (MD5, qop=auth), computed here from the request."""

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    ha1 = md5(f"{params['username']}:{params['realm']}:{password}")
    ha2 = md5(f"{seen.method}:{params['uri']}")
    parts = [params["nonce"], params["nc"], params["cnonce"], params["qop"], ha2]
    return md5(f"{ha1}:{':'.join(parts)}")


def one_triple_store() -> EvalStore:
    store = EvalStore()
    graph = ox.NamedNode("https://w3id.org/evalkg/id/record/1")
    triple = (ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("ünïcode"))
    store.replace_graph(graph, [triple])
    return store


def test_a_query_answers_the_challenge() -> None:
    with ScriptedServer([asks(), ok()]) as fake:
        result = run_remote_query(Remote.from_env(fake.url, env=ENV, **QUICK), "SELECT ?x {}")
    assert result.rows == [(ox.Literal("1"),)]
    first, second = fake.seen
    assert "Authorization" not in first.headers  # nothing before the server asks
    params = answer_of(second)
    assert (params["username"], params["realm"], params["nonce"]) == (USER, "SPARQL", "abc123")
    assert params["opaque"] == "o1" and params["uri"] == second.path == first.path
    assert params["response"] == expected_response(second, params)
    assert PASSWORD not in second.headers["Authorization"]


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_a_push_sends_its_body_again_with_the_answer(method: str) -> None:
    store = one_triple_store()
    with ScriptedServer([asks(), Canned(204, "text/plain")]) as fake:
        push(store, Remote.from_env(fake.url, env=ENV, **QUICK), method=method)
    writes = fake.seen[:2]
    assert [s.method for s in writes] == (["PUT", "PUT"] if method == "gsp" else ["POST"] * 2)
    assert writes[0].body == writes[1].body and "ünïcode".encode() in writes[1].body
    assert "Authorization" not in writes[0].headers
    params = answer_of(writes[1])
    assert params["response"] == expected_response(writes[1], params)
    # the default graph's request, not challenged: no credentials (each asks anew)
    assert len(fake.seen) == 3 and "Authorization" not in fake.seen[2].headers


def test_refused_credentials_are_not_tried_again() -> None:
    with ScriptedServer([asks()]) as fake:
        remote = Remote.from_env(fake.url, env=ENV, **QUICK)
        with pytest.raises(EndpointError, match=r"HTTP 401 Unauthorized") as caught:
            run_remote_query(remote, "ASK {}")
    assert len(fake.seen) == 2  # urllib alone would try six times
    assert PASSWORD not in str(caught.value)


def test_a_stale_nonce_is_answered_again() -> None:
    stale = CHALLENGE.replace("abc123", "def456") + ", stale=true"
    with ScriptedServer([asks(), asks(stale), ok()]) as fake:
        run_remote_query(Remote.from_env(fake.url, env=ENV, **QUICK), "ASK {}")
    assert [answer_of(s)["nonce"] for s in fake.seen[1:]] == ["abc123", "def456"]


@pytest.mark.parametrize(
    ("challenge", "message"),
    [
        ('Basic realm="SPARQL"', r"without a Digest challenge \(it offers basic\)"),
        ("", r"without a Digest challenge \(it offers no scheme\)"),
        ('Digest realm="r", nonce="n", algorithm=SHA-512-256', r"cannot answer .* Digest"),
        ('Digest realm="r", nonce="n", qop="auth-int"', r"cannot answer .* Digest"),
        ('Digest realm="r"', r"challenge has no realm or nonce"),
        ("Digest realm", r"malformed Digest challenge"),
    ],
)
def test_challenges_it_does_not_answer(challenge: str, message: str) -> None:
    """Basic would send the password in clear: refused, as is what urllib cannot do."""
    headers = {"WWW-Authenticate": challenge} if challenge else {}
    with ScriptedServer([Canned(401, "text/plain", b"no", headers)]) as fake:
        remote = Remote.from_env(fake.url, env=ENV, **QUICK)
        with pytest.raises(EndpointError, match=message) as caught:
            run_remote_query(remote, "ASK {}")
    assert str(caught.value).startswith(fake.url + ": ")
    assert len(fake.seen) == 1 and "Authorization" not in fake.seen[0].headers


def test_the_deadline_bounds_both_exchanges() -> None:
    """Each exchange takes 0.6 s, within the 1 s timeout; both together do not."""
    answers = [Canned(**{**asks().__dict__, "delay": 0.6}), Canned(body=SELECT_JSON, delay=0.6)]
    with ScriptedServer(answers) as fake:
        remote = Remote.from_env(fake.url, env=ENV, timeout=1.0, retries=0)
        with pytest.raises(EndpointError, match=r"no complete answer within 1 s"):
            run_remote_query(remote, "ASK {}")
    assert len(fake.seen) == 2


def test_a_digest_challenge_without_the_setting_says_how() -> None:
    basic = {**ENV, "EVALKG_ENDPOINT_AUTH": "basic"}
    hint = r"HTTP 401 Unauthorized \(it asks for HTTP Digest: set \$EVALKG_ENDPOINT_AUTH=digest\)"
    with ScriptedServer([asks()]) as fake, pytest.raises(EndpointError, match=hint) as caught:
        run_remote_query(Remote.from_env(fake.url, env=basic, **QUICK), "ASK {}")
    assert fake.seen[0].headers["Authorization"].startswith("Basic ")  # what was asked for
    assert PASSWORD not in str(caught.value)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({**ENV, "EVALKG_ENDPOINT_AUTH": "ntlm"}, r"EVALKG_ENDPOINT_AUTH must be basic or digest"),
        ({"EVALKG_ENDPOINT_AUTH": "digest"}, r"needs \$EVALKG_ENDPOINT_USER"),
        (
            {"EVALKG_ENDPOINT_AUTH": "digest", "EVALKG_ENDPOINT_TOKEN": "t"},
            r"needs \$EVALKG_ENDPOINT_USER, not \$EVALKG_ENDPOINT_TOKEN",
        ),
        ({**ENV, "EVALKG_ENDPOINT_PASSWORD": "pässword"}, r"must be ASCII"),
        ({**ENV, "EVALKG_ENDPOINT_USER": 'a"b'}, r"cannot hold"),
    ],
)
def test_digest_settings_are_checked(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        Remote.from_env("http://127.0.0.1:1/sparql", env=env)
    assert "pässword" not in str(caught.value)


def test_basic_stays_the_default() -> None:
    remote = Remote.from_env("http://127.0.0.1:1/sparql", env={**ENV, "EVALKG_ENDPOINT_AUTH": ""})
    assert remote.digest is None and remote.headers["Authorization"].startswith("Basic ")
    digest = Remote.from_env("http://127.0.0.1:1/sparql", env=ENV)
    assert digest.digest == (USER, PASSWORD) and digest.headers == {}
    assert PASSWORD not in repr(digest)
