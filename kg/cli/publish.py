"""``evalkg export``, ``validate`` and ``push``: the graph as files, checked against the
shapes, and on a SPARQL server (:mod:`kg.publish`)."""

from __future__ import annotations

import sys

import click

from kg.cli.common import EXIT_FAILED, FromLibrary, LibraryChoice, Progress, Status, store_option


@click.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    default=None,
    type=LibraryChoice("kg.publish.files:GRAPH_FORMATS"),
    help="Format; guessed from -o's extension, else turtle.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write (default: standard output); its extension chooses the format "
    "(.ttl .nt .jsonld .json .nq .trig .rdf .geojson; another is refused).",
)
@store_option
def export(fmt: str | None, output: str | None, store: str | None) -> None:
    """Write the graph as Turtle, N-Triples, JSON-LD, RDF/XML (every triple once) or
    N-Quads, TriG (every record's named graph, with provenance); or its countries, ILO
    offices and places as GeoJSON points.

    \b
    Examples:
      evalkg export -o graph.ttl
      evalkg export --format trig > graph.trig
      evalkg export -o places.geojson
    """
    from kg.publish.files import write_graph
    from kg.store.evalstore import EvalStore

    with EvalStore.open(store) as source, Status("Exporting") as on_step:
        written = write_graph(source, output, format=fmt, stream=sys.stdout.buffer, on_step=on_step)
    for line in written.lines():
        click.echo(line, err=True)


@click.command()
@store_option
@click.option(
    "--limit",
    type=int,
    default=FromLibrary("kg.publish.validate:ValidationReport.summary(limit)"),
    show_default=True,
    help="Results to list in detail.",
)
@click.pass_context
def validate(ctx: click.Context, store: str | None, limit: int) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); exit 1 if it
    does not conform.

    \b
    Example:
      evalkg validate
    """
    from kg.publish.validate import validate as run_validate
    from kg.store.evalstore import EvalStore

    with EvalStore.open(store) as source, Status("Validating") as on_step:
        report = run_validate(source, on_step=on_step)
    click.echo(report.summary(limit=limit), nl=False)
    if not report.conforms:
        ctx.exit(EXIT_FAILED)


@click.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Graph Store Protocol URL (--method gsp) or SPARQL Update URL (--method update).",
)
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="Put the merged graph into this one named graph (default: every named graph, "
    "and the merged graph as the default graph).",
)
@click.option(
    "--no-default-graph",
    is_flag=True,
    help="Push the named graphs only, for a server whose default graph is the union of "
    "its named graphs (Virtuoso).",
)
@click.option(
    "--method",
    type=LibraryChoice("kg.publish.push:METHODS"),
    default=FromLibrary("kg.publish.push:push(method)"),
    show_default=True,
    help="Graph Store Protocol (PUT/POST) or SPARQL Update (DROP + INSERT DATA).",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=FromLibrary("kg.publish.push:CHUNK_SIZE"),
    show_default=True,
    help="Triples per request.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=FromLibrary("kg.sparql.ask:DEFAULT_TIMEOUT"),
    show_default=True,
    help="Seconds to wait for each answer of the server (0: no limit).",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=FromLibrary("kg.sparql.ask:ask(retries)"),
    show_default=True,
    help="Retries of a remote endpoint's transient failures (refused, 429, 502-504).",
)
@store_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def push(
    endpoint: str,
    graph: str | None,
    no_default_graph: bool,
    method: str,
    chunk_size: int,
    timeout: float,
    retries: int,
    store: str | None,
    quiet: bool,
) -> None:
    """Upload the graph to a SPARQL server; pushing twice leaves the same data.

    Each named graph (one per record, and the reference graphs) replaces the remote
    graph of that name, and the merged graph replaces the remote default graph, so
    that queries there answer as they do here. Credentials come from
    $EVALKG_ENDPOINT_USER and $EVALKG_ENDPOINT_PASSWORD (HTTP basic auth, or Digest with
    $EVALKG_ENDPOINT_AUTH=digest), or $EVALKG_ENDPOINT_TOKEN.

    \b
    Example (an Oxigraph server: pip install oxigraph):
      oxigraph serve --location remote-db --bind 127.0.0.1:7878 &
      evalkg push --endpoint http://127.0.0.1:7878/store
      evalkg query stats --endpoint http://127.0.0.1:7878/query

    \b
    Virtuoso 7 (docs/servers.md):
      EVALKG_ENDPOINT_AUTH=digest evalkg push --no-default-graph \\
        --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth
    """
    from kg.publish.push import push as run_push
    from kg.sparql.endpoint import Remote
    from kg.store.evalstore import EvalStore

    remote = Remote.from_env(endpoint, timeout=timeout, retries=retries)
    with (
        EvalStore.open(store) as source,
        Progress(enabled=not quiet, label="Pushing") as on_progress,
    ):
        report = run_push(
            source,
            remote,
            graph=graph,
            method=method,
            chunk_size=chunk_size,
            default_graph=not no_default_graph,
            on_progress=on_progress,
        )
    graphs, requests = len(report.graphs), report.requests
    click.echo(
        f"Pushed {report.triples:,} triples in {graphs} graph{'s' * (graphs != 1)} "
        f"({requests} request{'s' * (requests != 1)}) to {report.url} "
        f"in {report.seconds:.1f} s."
    )


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="Where the site will be served, for the DCAT, VoID and sitemap links "
    "(default: the folder's file: URL).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="A SPARQL endpoint that serves the graph, described as a dcat:DataService.",
)
@click.option(
    "--license",
    "license_iri",
    metavar="IRI",
    default=FromLibrary("kg.publish.dataset:DEFAULT_LICENSE"),
    show_default=True,
    help="The licence the DCAT-AP and VoID descriptions declare (an http(s) IRI).",
)
@store_option
def publish(
    folder: str, base_url: str | None, endpoint: str | None, license_iri: str, store: str | None
) -> None:
    """Write the graph as a static linked-data site into FOLDER, for any web host: a page,
    a Turtle and a JSON-LD file per entity, the dumps (Turtle, N-Triples gzipped, TriG),
    the DCAT-AP and VoID descriptions, a sitemap and an index page. Running it again
    writes only the files that changed.

    \b
    Example:
      evalkg publish site/ --base-url https://example.org/evalkg/
    """
    from kg.publish.site import publish_site
    from kg.store.evalstore import EvalStore

    with EvalStore.open(store) as source, Status("Publishing"):
        report = publish_site(
            source, folder, base_url=base_url, endpoint=endpoint, license=license_iri
        )
    for line in report.lines():
        click.echo(line)


COMMANDS = [export, validate, push, publish]
