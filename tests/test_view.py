"""The HTML network views, without a browser: self-contained pages, every sink escaped,
layout and pruning properties, the sample's actor view, the CLI command.

The browser side (drawing, search, details, no script runs) is tests/test_browser.py.
"""

from __future__ import annotations

import html
import json
import math
import re
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kg.cli import EXIT_ERROR, main
from kg.errors import ConfigError
from kg.load.build import build
from kg.networks.metrics import compute_metrics
from kg.networks.projection import NETWORKS, Filters, project
from kg.store.evalstore import EvalStore
from kg.views.boxes import overlaps
from kg.views.labels import label_extent, short_label
from kg.views.layout import positions
from kg.views.page import read_asset as _read_asset
from kg.views.prune import prune_edges
from kg.views.rows import safe_url
from kg.views.view import View, render, script_json, to_html, write_html
from kg.views.viewdata import ViewSettings, view_data

HOSTILE_PAGE = Path(__file__).parent / "data" / "hostile" / "hostile.txt"
SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'
SVG = '"><svg onload=window.pwned=1>'
JS_URL = "javascript:window.pwned=1"
HOSTILE = (SCRIPT, IMG, SVG)
ILO = "https://w3id.org/evalkg/id/org/ilo"


class Page(HTMLParser):
    """Every tag with its attributes, the text of each script, and all visible text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: dict[str, str] = {}
        self._open: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self._open.append((tag, attributes))
        if tag == "script":
            self.scripts.append((attributes, ""))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._open:
            return
        tag, attributes = self._open[-1]
        if tag == "script":
            self.scripts[-1] = (self.scripts[-1][0], self.scripts[-1][1] + data)
        key = f"{tag}#{attributes['id']}" if attributes.get("id") else tag
        self.text[key] = self.text.get(key, "") + data

    def data(self) -> dict[str, Any]:
        (payload,) = [s for a, s in self.scripts if a.get("type") == "application/json"]
        loaded: dict[str, Any] = json.loads(payload)
        return loaded


def contract_graph(text: str = "plain", url: str | None = "https://example.org/l/1") -> nx.Graph:
    """A small graph shaped like kg.networks.projection's graphs, every string set to ``text``."""
    lesson = {
        "iri": "urn:lesson:1",
        "title": f"Lesson {text}",
        "evaluation": "urn:evaluation:1",
        "evaluation_title": f"Evaluation {text}",
        "url": url,
    }
    graph = nx.Graph(network="actors", title=f"Actors {text}")
    kinds = ["UNAgency", "TradeUnion", f"Kind {text}", "Municipality"]
    for i, kind in enumerate(kinds):
        graph.add_node(
            f"urn:org:{i}",
            label=f"Org {i} {text}",
            type="organization" if i != 3 else f"type {text}",
            kind=kind,
            aliases=[f"ALIAS{i}", f"alias {text}"],
            lessons=[lesson],
        )
    for a, b in combinations(list(graph), 2):
        graph.add_edge(a, b, weight=1.0, lessons=["urn:lesson:1"], evaluations=1)
    return graph


@pytest.fixture(scope="session")
def hostile_store() -> EvalStore:
    store = EvalStore()
    report = build([HOSTILE_PAGE], store=store)
    assert report.ok, report.rejected
    return store


@pytest.fixture(scope="session")
def actors_view(sample_store: EvalStore) -> tuple[nx.Graph, View]:
    graph = project(sample_store, "actors")
    compute_metrics(graph)
    return graph, render(graph)


# --- self-contained --------------------------------------------------------------------


def test_page_is_self_contained(actors_view: tuple[nx.Graph, View]) -> None:
    _, view = actors_view
    page = Page(view.html)
    for tag, attrs in page.tags:
        assert tag not in {"link", "iframe", "img", "object", "embed", "base"}, tag
        for name in ("src", "href", "srcset", "action"):
            assert attrs.get(name) is None, (tag, name, attrs.get(name))
    assert [a for a, _ in page.scripts if "src" in a] == []
    assert not re.search(r"unpkg\.com|jsdelivr|cdnjs|bootstrapcdn|googleapis", view.html)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", view.html)
    csp = next(
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert (
        len([s for a, s in page.scripts if "type" not in a]) == 3
    )  # vis-network, page.js, view.js


def test_inline_scripts_match_the_csp_hashes(actors_view: tuple[nx.Graph, View]) -> None:
    import base64
    import hashlib

    page = Page(actors_view[1].html)
    csp = next(
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None
    for attrs, body in page.scripts:
        if "type" in attrs:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_an_asset_that_could_close_its_element_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.js"
    bad.write_text("var a = '</SCRIPT><b>';", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cannot be inlined in <script>") as info:
        _read_asset(bad, "script")
    assert info.value.path == str(bad)


# --- escaping: every sink ------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_contract_graph_is_text_in_every_sink(text: str) -> None:
    graph = contract_graph(text, url=JS_URL)
    compute_metrics(graph)
    view = render(graph, ViewSettings(max_edges=1))  # pruning note too
    page = Page(view.html)
    assert [t for t, _ in page.tags if t in {"img", "svg"}] == []
    assert all(not k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert len(page.scripts) == 4  # the data, vis-network, page.js, view.js
    assert page.text["title"] == f"Actors {text} · evalkg"
    assert page.text["h1#title"] == f"Actors {text}"
    assert "weaker ties are hidden" in page.text["p"]  # the pruning note
    data = page.data()
    assert data["title"] == f"Actors {text}"
    assert {n["label"] for n in data["nodes"]} == {f"Org {i} {text}" for i in range(4)}
    assert all(f"alias {text}" in n["aliases"] for n in data["nodes"])
    assert f"Kind {text}" in {c["label"] for c in data["categories"]}
    assert data["lessons"][0][1] == f"Lesson {text}"
    assert data["lessons"][0][3] is None  # the javascript: URL is not kept
    assert data["evaluations"][0][1] == f"Evaluation {text}"


def test_hostile_records_through_the_real_pipeline(hostile_store: EvalStore) -> None:
    labels: set[str] = set()
    for network in NETWORKS:
        graph = project(hostile_store, network)
        compute_metrics(graph)
        view = render(graph)
        page = Page(view.html)
        assert [t for t, _ in page.tags if t in {"img", "svg"}] == [], network
        assert len(page.scripts) == 4, network
        assert all(not k.startswith("on") for _, attrs in page.tags for k in attrs)
        data = page.data()
        labels |= {n["label"] for n in data["nodes"]}
        assert all(row[3] is None or row[3].startswith("https://") for row in data["lessons"])
        assert JS_URL not in json.dumps(data)
    for text in (SCRIPT, IMG, SVG):  # each reached a node label, verbatim
        assert any(text in label for label in labels), text


@given(st.text())
def test_script_json_round_trips_and_cannot_close_a_script(text: str) -> None:
    encoded = script_json({"t": text})
    assert json.loads(encoded) == {"t": text}
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://webapps.ilo.org/ievaldiscovery/lessons/242868", True),
        ("http://example.org/a?b=c", True),
        (JS_URL, False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ('https://example.org/"><script>', False),
        ("//example.org/x", False),
        ("vbscript:msgbox(1)", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(url: str | None, kept: bool) -> None:
    assert (safe_url(url) is not None) is kept


def test_notebook_display_is_an_escaped_iframe(actors_view: tuple[nx.Graph, View]) -> None:
    view = View(html=to_html(contract_graph(SCRIPT)), data=actors_view[1].data)
    shown = view._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and shown.count("<") == 2  # iframe open/close
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown)
    assert srcdoc is not None and html.unescape(srcdoc.group(1)) == view.html
    assert 'sandbox="allow-scripts' in shown and "allow-same-origin" not in shown


# --- what is drawn -------------------------------------------------------------------


def test_sample_actor_view_shows_the_seed_actors(actors_view: tuple[nx.Graph, View]) -> None:
    graph, view = actors_view
    data = Page(view.html).data()
    assert len(data["nodes"]) == graph.number_of_nodes() == view.data.nodes
    by_id = {n["id"]: n for n in data["nodes"]}
    seed = {
        ILO: "International Labour Organization",
        "https://w3id.org/evalkg/id/org/iom": "International Organization for Migration",
        "https://w3id.org/evalkg/id/org/unhcr": "Office of the United Nations High "
        "Commissioner for Refugees",
    }
    for iri, label in seed.items():
        assert by_id[iri]["label"] == label
    names = {n["label"] for n in data["nodes"]}
    assert {"Vicaría de la Pastoral Social Cáritas", "Municipalidad de Santiago"} <= names
    shorts = {n["short"] for n in data["nodes"]}  # acronyms, with the country when shared
    assert {"CUT (Chile)", "CUT (Colombia)", "ILO"} <= shorts
    index = {n["id"]: i for i, n in enumerate(data["nodes"])}
    caritas = next(n for n in data["nodes"] if n["label"].startswith("Vicaría"))
    lessons = [data["lessons"][i] for i in caritas["lessons"]]
    assert [row[3] for row in lessons] == ["https://webapps.ilo.org/ievaldiscovery/lessons/242868"]
    tied = {data["nodes"][t[0]]["id"] for t in caritas["ties"]}
    assert ILO in tied  # Cáritas and the ILO share the seed lesson
    drawn = {frozenset((e[0], e[1])) for e in data["edges"]}
    assert frozenset((index[ILO], index[caritas["id"]])) in drawn  # a drawn tie
    assert by_id[ILO]["font"] == max(n["font"] for n in data["nodes"])  # its label shows
    assert by_id[ILO]["size"] == max(n["size"] for n in data["nodes"])  # and it is largest


@pytest.mark.parametrize("network", list(NETWORKS))
def test_every_network_renders_every_node(sample_store: EvalStore, network: str) -> None:
    graph = project(sample_store, network)
    compute_metrics(graph)
    view = render(graph)
    data = Page(view.html).data()
    assert [n["id"] for n in data["nodes"]] == list(graph)
    assert len(data["edges"]) == view.data.edges_shown <= graph.number_of_edges()
    for edge in data["edges"]:
        u, v = data["nodes"][edge[0]]["id"], data["nodes"][edge[1]]["id"]
        assert graph.has_edge(u, v) and edge[2] == graph.edges[u, v]["weight"]
    assert {c["key"] for c in data["categories"]} >= {graph.nodes[n]["type"] for n in graph} - {
        "organization"
    }


@pytest.mark.parametrize("network", list(NETWORKS))
def test_no_node_or_first_sight_label_covers_another(sample_store: EvalStore, network: str) -> None:
    """The boxes the page will draw at first sight (each node's square, the labels shown
    with it) overlap nowhere; tests/test_browser.py measures the drawn ones (issue 20)."""
    graph = project(sample_store, network)
    compute_metrics(graph)
    data = Page(render(graph).html).data()
    font = data["labelFont"]
    rows = data["nodes"]
    shown = [row["short"] if row["font"] >= font else None for row in rows]
    extent = [label_extent(row["size"], text, font) for row, text in zip(rows, shown, strict=True)]
    assert sum(text is not None for text in shown) >= 10
    assert overlaps([(row["x"], row["y"]) for row in rows], extent) == []


@pytest.mark.parametrize("network", list(NETWORKS))
def test_no_two_nodes_show_the_same_label(sample_store: EvalStore, network: str) -> None:
    graph = project(sample_store, network)
    compute_metrics(graph)
    shorts = [row["short"] for row in Page(render(graph).html).data()["nodes"]]
    assert len(shorts) == len(set(shorts))


def test_bodies_of_one_name_show_their_country(actors_view: tuple[nx.Graph, View]) -> None:
    """'CUT' and 'MINTRAB' were drawn twice with no country (issue 20)."""
    rows = {row["id"]: row for row in Page(actors_view[1].html).data()["nodes"]}
    for body, country in [("cut", "Chile"), ("cut", "Colombia"), ("mintrab", "Chile")]:
        row = rows[f"https://w3id.org/evalkg/id/org/{body}-{country.lower()}"]
        assert row["short"] == f"{body.upper()} ({country})"
        assert row["countries"] == [country]
    assert rows[ILO]["short"] == "ILO" and rows[ILO]["countries"] == []


def test_evaluations_are_as_large_as_their_findings_and_show_their_number(
    sample_store: EvalStore,
) -> None:
    """Evaluations were small unlabelled stars, lessons big circles labelled with 40
    characters of their text (issue 20)."""
    graph = project(sample_store, "evaluations")
    compute_metrics(graph)
    data = Page(render(graph).html).data()
    rows = data["nodes"]
    findings = {"lesson": "Lesson", "practice": "Good practice", "recommendation": "Recommendation"}
    evaluations = [row for row in rows if row["type"] == "evaluation"]
    for row in evaluations:
        number = row["id"].rsplit("/", 1)[-1]
        assert row["short"] == f"Evaluation {number}" and number in row["aliases"]
        tied = [rows[t[0]] for t in row["ties"] if rows[t[0]]["type"] in findings]
        assert tied and all(row["size"] >= other["size"] for other in tied)
    for row in rows:
        if row["type"] in findings:
            assert re.fullmatch(rf"{findings[row['type']]} \d+", row["short"]), row["short"]
    labelled = [row["type"] for row in rows if row["font"] >= data["labelFont"]]
    assert labelled.count("evaluation") >= 10


@pytest.mark.parametrize("focus", ["Cáritas", "Vicaría de la Pastoral Social Cáritas"])
def test_the_focus_of_a_view_shows_its_label_first(sample_store: EvalStore, focus: str) -> None:
    graph = project(sample_store, "places", focus=focus, depth=1)
    compute_metrics(graph)
    data = Page(render(graph).html).data()
    focused = [row for row in data["nodes"] if row["focus"]]
    assert focused and all(row["font"] == data["labelFont"] for row in focused)


def test_active_filters_are_shown_in_the_title(sample_store: EvalStore) -> None:
    """The filters a view was drawn with were not shown (issue 20)."""
    graph = project(sample_store, "actors", filters=Filters(country="Chile", kind="final"))
    compute_metrics(graph)
    page = Page(render(graph).html)
    title = "Actors: organizations named in the same findings (ILO units with them)"
    assert page.text["h1#title"] == f"{title} — country: Chile, kind: final"
    assert page.data()["title"] == page.text["h1#title"]
    unfiltered = project(sample_store, "actors")
    compute_metrics(unfiltered)
    assert Page(render(unfiltered).html).text["h1#title"] == title


def test_nodes_do_not_overlap_and_layout_is_reproducible() -> None:
    graph = nx.planted_partition_graph(6, 25, 0.5, 0.01, seed=3)
    radii = {n: 5.0 + (n % 7) * 3 for n in graph}
    community = {n: n // 25 for n in graph}
    first = positions(graph, radii, communities=community, seed=2)
    again = positions(graph, radii, communities=community, seed=2)
    assert first == again
    for a, b in combinations(graph, 2):
        assert math.dist(first[a], first[b]) >= radii[a] + radii[b] - 1e-6, (a, b)
    inside = [
        math.dist(first[a], first[b]) for a, b in combinations(graph, 2) if a // 25 == b // 25
    ]
    across = [
        math.dist(first[a], first[b]) for a, b in combinations(graph, 2) if a // 25 != b // 25
    ]
    assert sum(inside) / len(inside) * 2 < sum(across) / len(across)  # communities sit apart


LAYOUT_CHILD = """
import json, networkx as nx
from kg.views.layout import positions
graph = nx.planted_partition_graph(4, 20, 0.4, 0.02, seed=5)
graph = nx.relabel_nodes(graph, lambda n: f"urn:n{n}")
for u, v in graph.edges:
    graph.edges[u, v]["weight"] = float(len(u + v) % 5 + 1)
community = {n: int(n[5:]) // 20 for n in graph}
print(json.dumps(positions(graph, dict.fromkeys(graph, 6.0), communities=community, seed=1)))
"""


def test_layout_is_the_same_whatever_the_hash_seed() -> None:
    """String node ids hash differently in every process: the layout must not follow."""
    import os
    import subprocess
    import sys

    runs = [
        subprocess.run(
            [sys.executable, "-c", LAYOUT_CHILD],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert runs[0] and runs[0] == runs[1] == runs[2]


def test_the_view_does_not_depend_on_the_order_edges_were_added_in() -> None:
    """The lesson index and SPARQL list lessons in different orders: same graph, same view."""
    base = nx.planted_partition_graph(4, 15, 0.5, 0.03, seed=7)
    weighted = [(f"urn:{u}", f"urn:{v}", float((u + 2 * v) % 4 + 1)) for u, v in base.edges]
    pages = []
    for edges in (weighted, weighted[::-1]):
        graph = nx.Graph()
        graph.add_nodes_from(sorted({n for u, v, _ in edges for n in (u, v)}))
        graph.add_weighted_edges_from((u, v, w) for u, v, w in edges)
        compute_metrics(graph)
        pages.append(view_data(graph).payload)
    assert pages[0] == pages[1]


def test_dense_graphs_keep_their_strongest_ties_and_say_what_was_hidden() -> None:
    graph = nx.complete_graph(40)
    for u, v in graph.edges:
        graph.edges[u, v].update(weight=float((u * 7 + v * 3) % 11 + 1), lessons=[], evaluations=1)
    centrality = {n: float(graph.degree(n, weight="weight")) for n in graph}
    kept = prune_edges(graph, 100, centrality)
    assert len(kept) == 100 < graph.number_of_edges()
    kept_set = {frozenset(e) for e in kept}
    for node in graph:
        strongest = max(graph[node].items(), key=lambda item: item[1]["weight"])[1]["weight"]
        assert any(node in e and graph.edges[tuple(e)]["weight"] == strongest for e in kept_set)
    data = view_data(graph, ViewSettings(max_edges=100))
    assert (data.edges_shown, data.edges_total, data.edges_hidden) == (100, 780, 680)
    assert data.notes and "680 weaker ties are hidden" in data.notes[0]
    assert "Showing the 100 strongest of 780 ties" in data.notes[0]


def test_big_graphs_draw_their_most_central_nodes_and_say_so() -> None:
    graph = nx.barabasi_albert_graph(120, 2, seed=4)
    nx.set_edge_attributes(graph, 1.0, "weight")
    data = view_data(graph, ViewSettings(max_nodes=50))
    drawn = {n["id"] for n in data.payload["nodes"]}
    degree = dict(graph.degree())
    assert len(drawn) == data.nodes == 50 and data.nodes_total == 120
    weakest_drawn = min(degree[int(n)] for n in drawn)
    assert all(degree[n] <= weakest_drawn for n in graph if str(n) not in drawn)
    assert data.notes[0].startswith("Showing the 50 most connected of 120 nodes: 70 ")
    assert data.edges_total == graph.subgraph([int(n) for n in drawn]).number_of_edges()
    for row in data.payload["nodes"]:  # ties point at drawn nodes only
        assert all(0 <= tie[0] < 50 for tie in row["ties"])


def test_sparse_graphs_are_not_pruned() -> None:
    data = view_data(contract_graph())
    assert data.edges_shown == data.edges_total == 6 and data.notes == []


def test_labels_prefer_acronyms_of_long_names() -> None:
    assert short_label("International Labour Organization", ["OIT", "ILO", "BIT"]) == "ILO"
    assert short_label("Central Unitaria de Trabajadores de Chile", ["CUT"]) == "CUT"
    assert short_label("Municipalidad de Santiago", []) == "Municipalidad de Santiago"
    long = "x" * 80
    assert short_label(long).endswith("…") and len(short_label(long)) == 42


def test_unknown_size_metric_is_an_error() -> None:
    with pytest.raises(ConfigError, match="size_by must be one of"):
        view_data(contract_graph(), ViewSettings(size_by="pagerank"))


def test_write_html_writes_the_page_and_returns_its_path(tmp_path: Path) -> None:
    target = tmp_path / "v.html"
    written = write_html(contract_graph(), str(target), physics=False)
    assert written == target  # the path, not the view (issue 20)
    page = target.read_text(encoding="utf-8")
    assert page == to_html(contract_graph(), physics=False)
    assert Page(page).data()["physics"] is False


# --- the command ---------------------------------------------------------------------


def test_cli_view_writes_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALKG_STORE", str(tmp_path / "store"))
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--sample", "-q"]).exit_code == 0
    out = tmp_path / "caritas.html"
    result = runner.invoke(main, ["view", "--focus", "Cáritas", "--depth", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = Page(out.read_text(encoding="utf-8")).data()
    assert re.match(rf"Wrote {re.escape(str(out))}: {len(data['nodes'])} nodes, ", result.output)
    assert any(n["focus"] for n in data["nodes"]) and "around" in data["title"]
    result = runner.invoke(main, ["view", "--focus", "No Such Actor", "-o", str(out)])
    assert result.exit_code == EXIT_ERROR and result.output.startswith("Error: ")
