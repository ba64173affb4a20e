"""Networks projected from the graph: who works with whom, where, on what.

Each network is defined by a query of ``queries/network/*.rq`` that lists, lesson by
lesson, the entities the lesson links to; the lesson is what ties them:

- ``actors``: organizations, tied when the same lesson names both;
- ``places``: organizations, countries and places (cities, subdivisions), tied the
  same way;
- ``evaluations``: evaluations, their lessons, and the themes, countries and
  organizations of each lesson (one edge per link);
- ``themes``: themes and categories against the countries and regions of the same
  lessons;
- ``full``: every lesson with everything it links to.

:func:`project` returns a :class:`networkx.Graph` whose node ids are entity IRIs, with
node attributes ``label``, ``type``, ``kind``, ``aliases``, ``number`` (an evaluation's
or a finding's), ``countries`` (an organization's countries, or the country a place is
in: their labels), ``coordinates`` (a place's latitude and longitude), ``lessons`` (dicts
with ``iri``, ``title``, ``evaluation``, ``evaluation_title``, ``url``) and ``regions``, and
edge attributes ``weight`` (shared lessons; 1 for a structural link), ``lessons`` (their
IRIs) and ``evaluations`` (how many evaluations those lessons belong to). Every string
comes verbatim from the records: escape it before display.

>>> import kg
>>> store = kg.EvalStore()
>>> _ = kg.build([kg.sample_dir()], store=store)
>>> graph = project(store, "actors", focus="Vicaría de la Pastoral Social Cáritas")
>>> ilo = "https://w3id.org/evalkg/id/org/ilo"
>>> graph.nodes[ilo]["label"], graph.nodes[ilo]["type"], graph.nodes[ilo]["kind"]
('International Labour Organization', 'organization', 'UNAgency')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain, combinations, product, repeat
from typing import TYPE_CHECKING, Any

from kg.errors import ConfigError
from kg.extract.textscan import name_key
from kg.gcpause import paused
from kg.networks.entities import Entity, close_names
from kg.networks.filters import Filters
from kg.networks.netdata import NetworkData, rows
from kg.store.evalstore import EvalStore
from kg.store.lessonindex import LINK_PROPERTIES

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NETWORKS", "Filters", "NetworkData", "Projection", "project"]

Pairs = Callable[[str, list[str], NetworkData], Iterable[tuple[str, str]]]
Linked = Callable[[dict[str, list[str]]], list[str]]


def _linked(*properties: str) -> Linked:
    """From a lesson index row's links: the entities of ``properties``."""

    def entities(links: dict[str, list[str]]) -> list[str]:
        return [e for name in properties for e in links.get(name, ())]

    return entities


def _topics_and_areas(links: dict[str, list[str]]) -> list[str]:
    """Themes and categories with countries and regions, when the lesson has both (as
    ``queries/network/themes.rq`` joins them)."""
    topics = links.get("theme", []) + links.get("category", [])
    areas = links.get("country", []) + links.get("region", [])
    return topics + areas if topics and areas else []


def _cliques(lesson: str, entities: list[str], data: NetworkData) -> Iterable[tuple[str, str]]:
    """Every two entities of the same lesson."""
    return combinations(sorted(set(entities)), 2)


def _stars(lesson: str, entities: list[str], data: NetworkData) -> Iterable[tuple[str, str]]:
    """The lesson and each entity it links to."""
    return ((lesson, entity) for entity in sorted(set(entities)))


def _topics_by_areas(
    lesson: str, entities: list[str], data: NetworkData
) -> Iterable[tuple[str, str]]:
    """Each theme or category of the lesson with each of its countries and regions."""
    topics = sorted({e for e in entities if data.entity(e).type in ("theme", "category")})
    areas = sorted(set(entities) - set(topics))
    return product(topics, areas)


@dataclass(frozen=True)
class Projection:
    """A network: the query listing each lesson's entities, the lesson properties that
    give the same entities in a lesson index row (``linked`` picks them from a row's
    links; default: all of them), how they are tied, a title and the node types it
    holds. Call it with a store (and filters) for the graph."""

    name: str
    query: str
    properties: tuple[str, ...]
    pairs: Pairs
    title: str
    types: tuple[str, ...]
    lesson_nodes: bool = False  # the lessons are nodes themselves
    linked: Linked | None = None

    def __call__(self, store: EvalStore, filters: Filters | None = None) -> nx.Graph:
        return self.build(self.data(store, filters))

    def data(
        self, store: EvalStore, filters: Filters | None = None, *, use_index: bool = True
    ) -> NetworkData:
        """The data this network is drawn from."""
        return NetworkData(
            store,
            filters or Filters(),
            use_index=use_index,
            properties=self.properties,
            evaluation_names="evaluation" in self.types,
        )

    def build(self, data: NetworkData) -> nx.Graph:
        """The network of the lessons ``data`` keeps."""
        with paused():
            return self._build(data)

    def _build(self, data: NetworkData) -> nx.Graph:
        links: dict[str, list[str]] = defaultdict(list)
        if data.index is not None:
            linked = self.linked or _linked(*self.properties)
            for row in data.index:
                found = linked(row.links)
                if found and data.keeps(row.lesson):
                    links[row.lesson] = found
            return _assemble(self, data, links)
        for lesson, *entities in rows(data.store, self.query):
            if data.keeps(lesson.value):
                links[lesson.value] += [e.value for e in entities]
        return _assemble(self, data, links)


def _assemble(network: Projection, data: NetworkData, links: dict[str, list[str]]) -> nx.Graph:
    import networkx as nx

    incidence: dict[str, set[str]] = defaultdict(set)
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for lesson, entities in links.items():
        for entity in entities:
            incidence[entity].add(lesson)
        if network.lesson_nodes:
            incidence[lesson].add(lesson)
        for pair in network.pairs(lesson, entities, data):
            edges[pair].append(lesson)
    graph = nx.Graph(
        network=network.name,
        title=network.title,
        filters=data.filters.active(),
        lessons=len(links),
        focus=None,
        depth=None,
    )
    for node, lessons in sorted(incidence.items()):
        graph.add_node(node, **_node_attributes(node, data.entity(node), sorted(lessons), data))
    evaluation_of = {iri: row["evaluation"] for iri, row in data.lessons.items()}
    for (a, b), tied in edges.items():
        evaluations = set(map(evaluation_of.__getitem__, tied))
        evaluations.discard(None)
        graph.add_edge(
            a, b, weight=float(len(tied)), lessons=sorted(tied), evaluations=len(evaluations)
        )
    return graph


def _node_attributes(
    node: str, entity: Entity, lessons: list[str], data: NetworkData
) -> dict[str, Any]:
    regions = set(chain.from_iterable(map(data.regions.get, lessons, repeat(()))))
    location = data.locations.get(node)
    return {
        "label": entity.label,
        "type": entity.type,
        "kind": entity.kind,
        "aliases": list(entity.aliases),
        "number": entity.number,
        "countries": sorted(data.entity(c).label for c in location.countries) if location else [],
        "coordinates": location.coordinates if location else None,
        "lessons": [row for row in map(data.lessons.get, lessons) if row is not None],
        "regions": sorted(regions),
    }


#: Network name → its projection.
NETWORKS: dict[str, Projection] = {
    p.name: p
    for p in (
        Projection(
            "actors",
            "network/actors",
            ("mentionsOrganization", "addressedTo"),
            _cliques,
            "Actors: organizations named in the same findings (ILO units with them)",
            ("organization",),
        ),
        Projection(
            "places",
            "network/places",
            ("mentionsOrganization", "mentionsPlace", "mentionsCountry", "country"),
            _cliques,
            "Actors and places: organizations, countries and places named in the same lessons",
            ("organization", "country", "place"),
        ),
        Projection(
            "evaluations",
            "network/evaluations",
            ("evaluation", "theme", "country", "mentionsOrganization"),
            _stars,
            "Evaluations: their findings, themes, countries and organizations",
            (
                "evaluation",
                "lesson",
                "practice",
                "recommendation",
                "theme",
                "country",
                "organization",
            ),
            lesson_nodes=True,
        ),
        Projection(
            "themes",
            "network/themes",
            ("theme", "category", "country", "region"),
            _topics_by_areas,
            "Themes: themes and categories against countries and regions",
            ("theme", "category", "country", "region"),
            linked=_topics_and_areas,
        ),
        Projection(
            "full",
            "network/full",
            LINK_PROPERTIES,
            _stars,
            "Full network: findings (lessons, good practices, recommendations), all they link to",
            (
                "lesson",
                "practice",
                "recommendation",
                "evaluation",
                "theme",
                "category",
                "country",
                "region",
                "organization",
                "place",
                "initiative",
            ),
            lesson_nodes=True,
        ),
    )
}


def project(
    store: EvalStore,
    network: str,
    *,
    filters: Filters | None = None,
    focus: str | None = None,
    depth: int = 1,
    use_index: bool = True,
) -> nx.Graph:
    """The network ``network`` (a name of :data:`NETWORKS`) of the lessons ``filters``
    keep; with ``focus``, only the nodes within ``depth`` links of the entity of that
    label, alias or IRI (any case and accents). Raises :class:`ConfigError` for an
    unknown network, filter value or focus, naming close matches. ``use_index``: read
    lessons from the store's lesson index when it is complete (the same graph, faster)."""
    projection = NETWORKS.get(network)
    if projection is None:
        raise ConfigError(f"unknown network (use {', '.join(NETWORKS)})", value=network)
    data = projection.data(store, filters, use_index=use_index)
    graph = projection.build(data)
    if focus is not None:
        graph = focus_graph(graph, focus, depth=depth, data=data)
    return graph


def find_nodes(graph: nx.Graph, name: str) -> list[str]:
    """The nodes whose IRI is ``name`` or whose label or alias is ``name`` (case,
    accents and punctuation ignored)."""
    if name in graph:
        return [name]
    key = name_key(name)
    return sorted(
        node
        for node, attrs in graph.nodes(data=True)
        if key and any(name_key(n) == key for n in (attrs["label"], *attrs["aliases"]))
    )


def focus_graph(
    graph: nx.Graph, name: str, *, depth: int = 1, data: NetworkData | None = None
) -> nx.Graph:
    """The nodes within ``depth`` links of the node(s) named ``name`` (marked
    ``focus=True``); :class:`ConfigError` with close matches when none is."""
    import networkx as nx

    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ConfigError("depth is a whole number, 0 or more", value=depth)
    seeds = find_nodes(graph, name)
    if not seeds:
        raise ConfigError(_not_found(graph, name, data), value=name)
    keep: set[str] = set()
    for seed in seeds:
        keep |= set(nx.single_source_shortest_path_length(graph, seed, cutoff=depth))
    sub: nx.Graph = graph.subgraph(keep).copy()
    for seed in seeds:
        sub.nodes[seed]["focus"] = True
    labels = ", ".join(dict.fromkeys(graph.nodes[s]["label"] for s in seeds))
    lessons = {lesson for _, _, tied in sub.edges(data="lessons") for lesson in tied}
    lessons.update(lesson["iri"] for seed in seeds for lesson in sub.nodes[seed]["lessons"])
    sub.graph.update(
        focus=name,
        depth=depth,
        lessons=len(lessons),
        title=f"{graph.graph['title']} — around {labels}",
    )
    return sub


def _not_found(graph: nx.Graph, name: str, data: NetworkData | None) -> str:
    network = graph.graph.get("network", "this")
    projection = NETWORKS.get(network)
    if data is not None and projection is not None:
        key = name_key(name)
        types = sorted({e.type for e in data.entities.values() if key in e.folded})
        if set(types) & set(projection.types):
            return f"not a node of the {network} network drawn from these lessons (filters?)"
        if types:
            holders = [n for n, p in NETWORKS.items() if set(types) & set(p.types)]
            return (
                f"that names a {' or '.join(types)}, not a node of the {network} network "
                f"(try --network {' or '.join(holders)})"
            )
    shown = {
        node: Entity(attrs["label"], attrs["aliases"], attrs["type"])
        for node, attrs in graph.nodes(data=True)
    }
    return f"nothing in the {network} network has that name{close_names(name, shown)}"
