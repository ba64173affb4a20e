"""``evalkg metrics`` and ``view``: a network of the graph, ranked
(:func:`kg.networks.metrics.network_metrics`) or drawn (:func:`kg.views.view.view_network`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg.cli.common import FromLibrary, LibraryChoice, Status, note, store_option

F = TypeVar("F", bound=Callable[..., Any])
#: Nodes the metrics table lists unless --limit says (csv and json list them all).
TABLE_NODES = 25


def network_options(func: F) -> F:
    """The options that choose a network: ``--network``, ``--focus``, ``--depth`` and the
    lesson filters ``--country``, ``--region``, ``--theme``, ``--year``, ``--kind``
    (turn them into :class:`kg.networks.projection.Filters` with :func:`network_filters`)."""

    options = [
        click.option(
            "--network",
            type=LibraryChoice("kg.networks.projection:NETWORKS"),
            default="actors",
            show_default=True,
            help="actors: organizations named in the same lessons; places: organizations, "
            "countries and places; evaluations: evaluations, lessons, themes, countries, "
            "organizations; themes: themes and categories against countries and regions; "
            "full: lessons and everything they link to.",
        ),
        click.option(
            "--focus",
            metavar="LABEL",
            default=None,
            help="Only the neighbourhood of the node with this name, alias or acronym "
            "(any case or accents).",
        ),
        click.option(
            "--depth",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="How many links from --focus to keep.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return filter_options(func)


def filter_options(func: F) -> F:
    """The lesson filters ``--country``, ``--region``, ``--theme``, ``--year``, ``--kind``
    (turn them into :class:`kg.networks.filters.Filters` with :func:`network_filters`)."""
    from kg.networks.filters import EVALUATION_KINDS

    options = [
        click.option("--country", metavar="NAME", help="Only lessons in this country or ISO code."),
        click.option("--region", metavar="NAME", help="Only lessons in this region."),
        click.option("--theme", metavar="NAME", help="Only lessons of this theme or category."),
        click.option("--year", type=int, default=None, help="Only evaluations of this year."),
        click.option(
            "--kind",
            metavar="KIND",
            help=f"Only evaluations of this kind: {', '.join(EVALUATION_KINDS)}.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def network_filters(options: dict[str, Any]) -> Any:
    """:class:`kg.networks.filters.Filters` from the options of :func:`filter_options`."""
    from dataclasses import fields

    from kg.networks.filters import Filters

    return Filters(**{f.name: options[f.name] for f in fields(Filters)})


@click.command()
@network_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=LibraryChoice("kg.networks.metrics:REPORT_FORMATS"),
    default=FromLibrary("kg.networks.metrics:MetricsReport.serialize(fmt)"),
    show_default=True,
    help="Output format.",
)
@click.option(
    "--sort",
    type=LibraryChoice("kg.networks.metrics:SORT_KEYS"),
    default=FromLibrary("kg.networks.metrics:MetricsReport.rows(sort)"),
    show_default=True,
    help="Order of the nodes.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help=f"At most N nodes (default: {TABLE_NODES} in the table, all in csv and json).",
)
@store_option
def metrics(
    network: str,
    focus: str | None,
    depth: int,
    fmt: str,
    sort: str,
    limit: int | None,
    store: str | None,
    **filters: Any,
) -> None:
    """Degree, weighted degree, betweenness, community and broker role of every node of
    a network (see 'evalkg view' for the same network drawn).

    Betweenness uses edge length 1/weight; on large networks it is estimated from a
    seeded sample of source nodes, and the first line of the table says so.
    Communities are Louvain's (seeded, so every run gives the same). A broker ties
    communities together (high betweenness, ties into another community) or ties
    organizations of regions that share no lesson.

    \b
    Examples:
      evalkg metrics --network actors
      evalkg metrics --network places --country Chile --format csv
      evalkg metrics --focus "Cáritas" --depth 2 --format json
    """
    from kg.networks.metrics import network_metrics
    from kg.store.health import open_checked

    with (
        open_checked(store, on_note=note, build=False, lesson_index=True) as source,
        Status("Metrics") as on_step,
    ):
        report = network_metrics(
            source,
            network,
            filters=network_filters(filters),
            focus=focus,
            depth=depth,
            on_step=on_step,
        )
    shown = limit if limit is not None else (TABLE_NODES if fmt == "table" else None)
    click.echo(report.serialize(fmt, sort=sort, limit=shown), nl=False)


@click.command()
@network_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="HTML file to write (one self-contained page: no CDN, works offline).",
)
@click.option(
    "--physics/--no-physics",
    default=False,
    help="Let nodes move (vis-network physics); default: off, the layout's positions.",
)
@click.option(
    "--max-edges",
    type=click.IntRange(min=0),
    default=None,
    help="Draw at most N ties, the strongest (default: 2 per node, at least 300).",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=FromLibrary("kg.views.viewdata:MAX_NODES"),
    show_default=True,
    help="Draw at most N nodes, the most central (larger pages draw slowly).",
)
@click.option(
    "--size-by",
    type=LibraryChoice("kg.views.viewdata:SIZE_METRICS"),
    default=FromLibrary("kg.views.viewdata:ViewSettings.size_by"),
    show_default=True,
    help="The centrality that sizes the nodes.",
)
@store_option
def view(
    network: str,
    focus: str | None,
    depth: int,
    output: str,
    physics: bool,
    max_edges: int | None,
    max_nodes: int,
    size_by: str,
    store: str | None,
    **filters: Any,
) -> None:
    """Draw a network as one interactive HTML page: colour by type, size by centrality,
    a search box (any name or acronym), filters by type, and a details panel listing
    each node's lessons (with links to their pages) and strongest ties.

    The layout is computed before the page opens (communities apart, no overlapping
    nodes); on dense networks the weakest ties are hidden and the page says how many.

    \b
    Examples:
      evalkg view --network actors -o actors.html
      evalkg view --network places --country Chile -o chile.html
      evalkg view --focus "Cáritas" --depth 2 -o caritas.html
    """
    from kg.store.health import open_checked
    from kg.views.view import view_network
    from kg.views.viewdata import ViewSettings

    settings = ViewSettings(
        physics=physics, max_edges=max_edges, max_nodes=max_nodes, size_by=size_by
    )
    with (
        open_checked(store, on_note=note, build=False, lesson_index=True) as source,
        Status("Drawing") as on_step,
    ):
        page = view_network(
            source,
            network,
            filters=network_filters(filters),
            focus=focus,
            depth=depth,
            settings=settings,
            on_step=on_step,
        )
    page.save(output)
    data = page.data
    nodes = f"{data.nodes:,}" + (f" of {data.nodes_total:,}" if data.nodes_hidden else "")
    click.echo(
        f"Wrote {output}: {nodes} nodes, {data.edges_shown:,} of {data.edges_total:,} "
        f"ties drawn, {page.size / 1e6:.1f} MB."
    )
    for line in data.notes:
        click.echo(line)


@click.command("export-network")
@network_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="File to write: .graphml, .gexf (Gephi), .csv (writes NAME.nodes.csv and "
    "NAME.edges.csv) or .json (node-link).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=LibraryChoice("kg.publish.netexport:WRITERS"),
    default=None,
    help="Format; guessed from -o's extension (an unknown one is refused).",
)
@store_option
def export_network(
    network: str,
    focus: str | None,
    depth: int,
    output: str,
    fmt: str | None,
    store: str | None,
    **filters: Any,
) -> None:
    """Write a network for Gephi, Cytoscape or a spreadsheet: every node with its type,
    kind, country, community and centralities, every tie with its weight.

    \b
    Examples:
      evalkg export-network --network actors -o actors.gexf
      evalkg export-network --network places --country Chile -o chile.graphml
    """
    from kg.publish.netexport import export_network as run_export
    from kg.store.health import open_checked

    with open_checked(store, on_note=note, build=False, lesson_index=True) as source:
        written = run_export(
            source,
            network=network,
            path=output,
            filters=network_filters(filters),
            focus=focus,
            depth=depth,
            format=fmt,
        )
    paths = ", ".join(map(str, written.paths))
    click.echo(
        f"Wrote {paths}: {written.nodes:,} nodes, {written.edges:,} edges ({written.format})."
    )
    for line in written.notes:
        click.echo(line, err=True)


@click.command("map")
@filter_options
@click.option(
    "--type",
    "types",
    type=LibraryChoice("kg.views.mapdata:TYPE_NAMES"),
    multiple=True,
    help="Only findings of this type (repeatable).",
)
@click.option(
    "--focus",
    metavar="LABEL",
    default=None,
    help="Only findings linked to the entity of this name, alias or IRI.",
)
@click.option(
    "--views",
    metavar="PATTERN",
    default=None,
    help="Where the network views are, e.g. 'views/{network}.html': the panel then links "
    "to them, focused on the clicked place.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="HTML file to write."
)
@store_option
def map_command(
    types: tuple[str, ...],
    focus: str | None,
    views: str | None,
    output: str,
    store: str | None,
    **filters: Any,
) -> None:
    """Draw where the findings are as one offline HTML page: countries shaded by the
    findings that apply to them (or their evaluations or organizations), regional
    findings apart, places and ILO offices as markers sized by findings, a search box,
    and a panel with each spot's findings, organizations and strongest ties.

    \b
    Examples:
      evalkg map -o map.html
      evalkg map --theme "Child labour" --type lesson -o child-labour.html
    """
    from kg.store.health import open_checked
    from kg.views.map import write_map

    with (
        open_checked(store, on_note=note, build=False, lesson_index=True) as source,
        Status("Mapping"),
    ):
        page = write_map(
            source,
            output,
            filters=network_filters(filters),
            types=types or None,
            focus=focus,
            views=views,
        )
    click.echo(f"Wrote {output}: {page.data.summary}, {page.size / 1e6:.1f} MB.")
    for line in page.data.notes:
        click.echo(line)


COMMANDS = [metrics, view, export_network, map_command]
