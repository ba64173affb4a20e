"""Network projections (kg.networks.projection) on the bundled sample: the seed's actors, weights
checked against the texts and against an independent SPARQL count, filters, focus."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import ConfigError
from kg.load.build import build
from kg.networks.entities import NODE_TYPES
from kg.networks.projection import NETWORKS, Filters, find_nodes, project
from kg.sparql.query import run_query
from kg.store.evalstore import EvalStore

ID = "https://w3id.org/evalkg/id/"
EK = "PREFIX ek: <https://w3id.org/evalkg/ontology#>\n"
SEED_LESSON = ID + "lesson/242868"

#: The organizations the seed page (kg/sample/000_…, lesson 242868) names, as written
#: there, and the node each must be.
SEED_ACTORS = {
    "OIT": "org/ilo",
    "OIM": "org/iom",
    "ACNUR": "org/unhcr",
    "SNU": "org/un-system",
    "Municipalidad de Santiago": "org/municipalidad-de-santiago-chl",
    "Gobierno de la Ciudad de México": "org/gobierno-de-la-ciudad-de-mexico-mex",
    "Vicaría de la Pastoral Social Cáritas": "org/vicaria-de-la-pastoral-social-caritas-chl",
    "Unitary Workers' Central of Chile": "org/cut-chile",
}

#: Ties read from the sample texts: ILO is named in every record; IOM ("OIM"/"IOM") in
#: 000, 004, 005 and 010; UNHCR ("ACNUR"/"UNHCR") in 000, 001 and 005; the CUT of Chile in
#: 000 and 012; the municipality and the Vicaría in 000 only.
SEED_TIES = [
    ("org/ilo", "org/iom", 4, 4),
    ("org/ilo", "org/unhcr", 3, 3),
    ("org/iom", "org/unhcr", 3, 3),  # two lessons and the recommendation of 017_…
    ("org/ilo", "org/cut-chile", 3, 3),  # two Chilean lessons and the recommendation of 019_…
    ("org/cut-chile", "org/vicaria-de-la-pastoral-social-caritas-chl", 1, 1),
    ("org/municipalidad-de-santiago-chl", "org/vicaria-de-la-pastoral-social-caritas-chl", 1, 1),
]

#: The node types of findings.
FINDINGS = ("lesson", "practice", "recommendation")


def select(store: EvalStore, sparql: str) -> list[dict[str, object]]:
    return run_query(store, EK + sparql).values()


@pytest.fixture(scope="module")
def actors(sample_store: EvalStore) -> nx.Graph:
    return project(sample_store, "actors")


@pytest.fixture(scope="module")
def networks(sample_store: EvalStore) -> dict[str, nx.Graph]:
    return {name: project(sample_store, name) for name in NETWORKS}


@pytest.mark.parametrize("name", sorted(SEED_ACTORS))
def test_seed_actor_is_found_by_its_name_in_the_page(actors: nx.Graph, name: str) -> None:
    assert ID + SEED_ACTORS[name] in find_nodes(actors, name)


def test_seed_actors_are_tied_through_the_seed_lesson(actors: nx.Graph) -> None:
    nodes = [ID + iri for iri in SEED_ACTORS.values()]
    for a, b in combinations(nodes, 2):
        assert actors.has_edge(a, b), (a, b)
        assert SEED_LESSON in actors.edges[a, b]["lessons"]


@pytest.mark.parametrize(("a", "b", "weight", "evaluations"), SEED_TIES)
def test_seed_tie_weights(actors: nx.Graph, a: str, b: str, weight: int, evaluations: int) -> None:
    tie = actors.edges[ID + a, ID + b]
    assert tie["weight"] == weight
    assert len(tie["lessons"]) == weight
    assert tie["evaluations"] == evaluations


def test_every_weight_is_the_shared_lessons_counted_by_sparql(
    sample_store: EvalStore, actors: nx.Graph
) -> None:
    counted = {
        frozenset((r["a"], r["b"])): r["n"]
        for r in select(
            sample_store,
            "SELECT ?a ?b (COUNT(DISTINCT ?l) AS ?n) WHERE { "
            "?l ek:mentionsOrganization|ek:addressedTo ?a, ?b "
            "FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b",
        )
    }
    drawn = {frozenset((a, b)): w for a, b, w in actors.edges(data="weight")}
    assert drawn == counted
    named = select(
        sample_store,
        "SELECT DISTINCT ?o WHERE { ?l ek:mentionsOrganization|ek:addressedTo ?o }",
    )
    assert set(actors) == {r["o"] for r in named}


def test_actor_nodes(actors: nx.Graph) -> None:
    ilo = actors.nodes[ID + "org/ilo"]
    assert ilo["label"] == "International Labour Organization"
    assert ilo["kind"] == "UNAgency"
    assert {"ILO", "OIT", "BIT"} <= set(ilo["aliases"])
    assert actors.nodes[ID + "org/cut-chile"]["kind"] == "TradeUnion"
    assert actors.nodes[ID + "org/municipalidad-de-santiago-chl"]["kind"] == "Municipality"
    vicaria = actors.nodes[ID + SEED_ACTORS["Vicaría de la Pastoral Social Cáritas"]]
    (lesson,) = vicaria["lessons"]
    assert lesson["iri"] == SEED_LESSON
    assert lesson["evaluation"] == ID + "evaluation/3642"
    assert lesson["evaluation_title"].startswith("Desarrollo de capacidades de los gobiernos")
    assert lesson["url"] == "https://webapps.ilo.org/ievaldiscovery/lessons/242868"
    assert lesson["title"].startswith("(4) Los productos desarrollados en el Programa")
    assert vicaria["regions"] == [ID + "region/americas"]


def test_nodes_carry_numbers_countries_and_coordinates(
    networks: dict[str, nx.Graph], actors: nx.Graph
) -> None:
    """Issue 20: what tells two bodies of one name apart (their country), where a place
    is, and the number an evaluation or a finding is known by."""
    full = networks["full"]
    evaluation = full.nodes[ID + "evaluation/3642"]
    assert evaluation["number"] == "3642" and "3642" in evaluation["aliases"]
    assert full.nodes[SEED_LESSON]["number"] == "242868"
    (pudahuel,) = [a for _, a in full.nodes(data=True) if a["label"] == "Pudahuel"]
    assert pudahuel["countries"] == ["Chile"]
    assert pudahuel["coordinates"] == pytest.approx((-33.44, -70.76))
    for body in ("cut", "mintrab"):
        assert actors.nodes[ID + f"org/{body}-chile"]["countries"] == ["Chile"]
    assert actors.nodes[ID + "org/cut-colombia"]["countries"] == ["Colombia"]
    assert actors.nodes[ID + "org/mintrab-guatemala"]["countries"] == ["Guatemala"]
    assert actors.nodes[ID + "org/ilo"]["countries"] == []  # not a national body
    for _, attrs in full.nodes(data=True):
        assert (attrs["number"] is not None) == (attrs["type"] in ("evaluation", *FINDINGS))
        assert attrs["coordinates"] is None or attrs["type"] == "place"


def test_an_evaluation_is_focused_by_its_number(sample_store: EvalStore) -> None:
    graph = project(sample_store, "evaluations", focus="3642")
    assert graph.nodes[ID + "evaluation/3642"]["focus"] is True
    assert SEED_LESSON in graph


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_network_keeps_the_contract(networks: dict[str, nx.Graph], name: str) -> None:
    graph = networks[name]
    assert graph.graph["network"] == name and graph.graph["title"]
    assert graph.number_of_nodes() > 0 and graph.number_of_edges() > 0
    assert {graph.nodes[n]["type"] for n in graph} == set(NETWORKS[name].types)
    for node, attrs in graph.nodes(data=True):
        assert attrs["type"] in NODE_TYPES and isinstance(attrs["label"], str) and attrs["label"]
        assert attrs["kind"] is None or attrs["type"] == "organization"
        assert all(isinstance(a, str) for a in attrs["aliases"])
        assert attrs["lessons"], node
        for lesson in attrs["lessons"]:
            assert set(lesson) == {"iri", "title", "evaluation", "evaluation_title", "url"}
    for a, b, tie in graph.edges(data=True):
        assert tie["weight"] == len(tie["lessons"]) >= 1, (a, b)
        assert 1 <= tie["evaluations"] <= len(tie["lessons"])
        # every lesson of a tie is a lesson of both ends
        for end in (a, b):
            assert set(tie["lessons"]) <= {x["iri"] for x in graph.nodes[end]["lessons"]}


@pytest.mark.parametrize("name", ["evaluations", "full"])
def test_star_networks_tie_each_lesson_to_what_it_links(
    networks: dict[str, nx.Graph], name: str
) -> None:
    graph = networks[name]
    for a, b, tie in graph.edges(data=True):
        kinds = sorted(graph.nodes[n]["type"] for n in (a, b))
        findings = [k for k in kinds if k in FINDINGS]
        assert len(findings) == 1 and tie["weight"] == 1.0
    seed = graph.adj[SEED_LESSON]
    assert ID + "evaluation/3642" in seed and ID + "country/CHL" in seed
    assert ID + "org/cut-chile" in seed


def test_themes_network_is_topics_against_areas(networks: dict[str, nx.Graph]) -> None:
    graph = networks["themes"]
    for a, b in graph.edges:
        kinds = {graph.nodes[a]["type"], graph.nodes[b]["type"]}
        assert len(kinds & {"theme", "category"}) == 1 and len(kinds & {"country", "region"}) == 1
    tie = graph.edges[ID + "theme/programme-implementation", ID + "country/CHL"]
    assert SEED_LESSON in tie["lessons"]


def test_places_network_ties_the_seed_city_to_its_actors(networks: dict[str, nx.Graph]) -> None:
    graph = networks["places"]
    santiago = [n for n in find_nodes(graph, "Santiago") if graph.nodes[n]["type"] == "place"]
    assert santiago
    municipality = ID + SEED_ACTORS["Municipalidad de Santiago"]
    assert any(graph.has_edge(s, municipality) for s in santiago)
    assert graph.has_edge(ID + "country/CHL", municipality)


def lessons_where(store: EvalStore, pattern: str) -> set[str]:
    return {
        r["l"]
        for r in select(
            store,
            "SELECT DISTINCT ?l WHERE { VALUES ?t { ek:Lesson ek:GoodPractice "
            f"ek:Recommendation }} ?l a ?t . {pattern} }}",
        )
    }


FILTER_CASES = [
    (Filters(country="Chile"), "?l ek:country <{id}country/CHL>"),
    (Filters(country="chl"), "?l ek:country <{id}country/CHL>"),
    (Filters(country="Jordanie"), "?l ek:country <{id}country/JOR>"),
    (Filters(region="americas"), "?l ek:region <{id}region/americas>"),
    (Filters(theme="Programme implementation"), "?l ek:theme <{id}theme/programme-implementation>"),
    (
        Filters(theme="Knowledge management"),
        "?l ek:theme|ek:category <{id}theme/knowledge-management>",
    ),
    (Filters(year=2022), '?l ek:evaluation/ek:year ?y FILTER(STR(?y) = "2022")'),
    (Filters(kind="midterm"), "?l ek:evaluation/ek:timing ek:MidtermTiming"),
    (Filters(kind="Internal"), "?l ek:evaluation/ek:nature ek:InternalNature"),
    (
        Filters(region="Americas", kind="final"),
        "?l ek:region <{id}region/americas> ; ek:evaluation/ek:timing ek:FinalTiming",
    ),
]


@pytest.mark.parametrize(("filters", "pattern"), FILTER_CASES)
@pytest.mark.parametrize("name", ["actors", "themes", "full"])
def test_filters_keep_exactly_the_matching_lessons(
    sample_store: EvalStore,
    networks: dict[str, nx.Graph],
    name: str,
    filters: Filters,
    pattern: str,
) -> None:
    expected = lessons_where(sample_store, pattern.format(id=ID))
    assert expected, "the case must select something"
    graph = project(sample_store, name, filters=filters)
    drawn = {lesson["iri"] for n in graph for lesson in graph.nodes[n]["lessons"]}
    assert drawn <= expected and graph.graph["filters"] == filters.active()
    assert set(graph) < set(networks[name])
    if name == "full":
        assert {n for n in graph if graph.nodes[n]["type"] in FINDINGS} == expected
        assert graph.graph["lessons"] == len(expected)


def test_filtered_actors_are_those_of_the_kept_lessons(sample_store: EvalStore) -> None:
    graph = project(sample_store, "actors", filters=Filters(country="Chile"))
    named = select(
        sample_store,
        f"SELECT DISTINCT ?o WHERE {{ ?l ek:country <{ID}country/CHL> ; "
        "ek:mentionsOrganization|ek:addressedTo ?o }",
    )
    assert set(graph) == {r["o"] for r in named}
    # only the Chilean findings count: the CUT and the ILO share both Chilean lessons and
    # the Chilean recommendation (019_…)
    assert graph.edges[ID + "org/ilo", ID + "org/cut-chile"]["weight"] == 3


@pytest.mark.parametrize(
    ("filters", "message", "close"),
    [
        (Filters(country="Chil"), "no country of that name", "Chile"),
        (Filters(region="Amercas"), "no region of that name", "Americas"),
        (Filters(theme="Programme implementaton"), "no theme or category", "Programme"),
        (Filters(kind="quarterly"), "unknown kind", "midterm"),
    ],
)
def test_unknown_filter_values_name_close_matches(
    sample_store: EvalStore, filters: Filters, message: str, close: str
) -> None:
    with pytest.raises(ConfigError) as err:
        project(sample_store, "actors", filters=filters)
    assert message in str(err.value) and close in str(err.value)


def test_focus_depth(sample_store: EvalStore, actors: nx.Graph) -> None:
    vicaria = ID + SEED_ACTORS["Vicaría de la Pastoral Social Cáritas"]
    alone = project(sample_store, "actors", focus="Vicaría de la Pastoral Social Cáritas", depth=0)
    assert set(alone) == {vicaria} and alone.nodes[vicaria]["focus"] is True
    near = project(sample_store, "actors", focus="vicaria de la pastoral social caritas")
    seed_orgs = select(
        sample_store, f"SELECT ?o WHERE {{ <{SEED_LESSON}> ek:mentionsOrganization ?o }}"
    )
    assert set(near) == {r["o"] for r in seed_orgs}
    assert near.graph["focus"] and near.graph["depth"] == 1 and near.graph["lessons"] > 1
    # at depth 2 the ILO (named in all lessons but the two that name only one of its
    # offices, 011_… and 020_…) brings in nearly every actor
    far = project(sample_store, "actors", focus="VICARÍA DE LA PASTORAL SOCIAL CÁRITAS", depth=2)
    assert set(far) == set(nx.ego_graph(actors, vicaria, radius=2))
    ilo_lessons = {row["iri"] for row in far.nodes[ID + "org/ilo"]["lessons"]}
    outside = {n for n in actors if n not in far}
    assert outside and all(
        not {row["iri"] for row in actors.nodes[n]["lessons"]} <= ilo_lessons for n in outside
    )
    assert far.edges[ID + "org/ilo", ID + "org/iom"] == actors.edges[ID + "org/ilo", ID + "org/iom"]


@pytest.mark.parametrize(
    "name",
    [
        "OIT",
        "ilo",
        "Organización Internacional del Trabajo",
        "organisation internationale du travail",
    ],
)
def test_focus_by_any_name_case_and_accents(sample_store: EvalStore, name: str) -> None:
    graph = project(sample_store, "evaluations", focus=name, depth=1)
    assert graph.nodes[ID + "org/ilo"]["focus"] is True
    assert {graph.nodes[n]["type"] for n in graph} == {"organization", *FINDINGS}


def test_focus_on_a_shared_acronym_keeps_every_holder(sample_store: EvalStore) -> None:
    graph = project(sample_store, "actors", focus="CUT", depth=0)
    assert {ID + "org/cut-chile"} < set(graph)
    assert all(graph.nodes[n].get("focus") for n in graph)


@pytest.mark.parametrize(
    ("network", "name", "message"),
    [
        ("actors", "Chile", "that names a country, not a node of the actors network"),
        (
            "actors",
            "Internacional Labour Organisation x",
            "close: International Labour Organization",
        ),
        ("themes", "Zzzzqqq", "nothing in the themes network has that name"),
    ],
)
def test_focus_not_found(sample_store: EvalStore, network: str, name: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        project(sample_store, network, focus=name)
    assert message in str(err.value)


def test_unknown_network(sample_store: EvalStore) -> None:
    with pytest.raises(ConfigError, match="unknown network"):
        project(sample_store, "friends")


def test_hostile_text_stays_verbatim(tmp_path: Path, seed_path: Path) -> None:
    hostile = '<script>window.pwned=1</script>"><img src=x onerror=alert(1)>'
    page = seed_path.read_text(encoding="utf-8").replace("Programme implementation", hostile)
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    store = EvalStore()
    assert build([tmp_path / "page.txt"], store=store).ok
    graph = project(store, "themes")
    assert hostile in {graph.nodes[n]["label"] for n in graph}
    assert project(store, "themes", focus=hostile).graph["focus"] == hostile


def test_registry_entries_are_projection_functions(
    sample_store: EvalStore, networks: dict[str, nx.Graph]
) -> None:
    for name, projection in NETWORKS.items():
        graph = projection(sample_store)
        assert nx.utils.graphs_equal(graph, networks[name]), name


def test_good_practices_recommendations_and_ilo_units_are_in_the_views(
    networks: dict[str, nx.Graph],
) -> None:
    """An evaluation's recommendations in the evaluations and full views; the ILO units
    recommendations are addressed to among the actors, as organizations of kind IloUnit."""
    for name in ("evaluations", "full"):
        graph = networks[name]
        recommendation = ID + "recommendation/16214"
        assert graph.nodes[recommendation]["type"] == "recommendation"
        assert graph.has_edge(recommendation, ID + "evaluation/3481")
        assert graph.nodes[ID + "practice/238417"]["type"] == "practice"
    unit = networks["actors"].nodes[ID + "unit/dwt-co-lima"]
    label = "ILO Decent Work Technical Support Team and Country Office for the Andean Countries"
    assert (unit["type"], unit["kind"], unit["label"]) == ("organization", "IloUnit", label)
