"""``evalkg serve``: a read-only web server over the store (:func:`kg.publish.server.serve`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from kg.cli.common import FromLibrary, note, store_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=FromLibrary("kg.sparql.ask:DEFAULT_TIMEOUT"),
    show_default=True,
    metavar="SECONDS",
    help="Stop each query, and writing its answer, after this many seconds.",
)
@click.option(
    "--base-iri",
    metavar="IRI",
    default=None,
    help="The base IRI whose IRIs the server answers (default: the store's).",
)
@click.option(
    "--path-prefix",
    metavar="PATH",
    default="",
    help="The path those IRIs are served below (default: the base IRI's path, "
    "/evalkg/id/ for https://w3id.org/evalkg/id/).",
)
@click.option(
    "--views",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder of network views (evalkg view -o DIR/NAME.html) and maps to serve at /views/.",
)
@click.option(
    "--license",
    "license_iri",
    metavar="IRI",
    default=FromLibrary("kg.publish.dataset:DEFAULT_LICENSE"),
    show_default=True,
    help="The licence /dataset and /.well-known/void declare (an http(s) IRI).",
)
@store_option
def serve(
    host: str,
    port: int,
    timeout: float,
    base_iri: str | None,
    path_prefix: str,
    views: Path | None,
    license_iri: str,
    store: str | None,
) -> None:
    """Serve the store read-only on the web: SPARQL, a query page, entity pages.

    /sparql answers the SPARQL 1.1 Protocol (JSON, XML, CSV, TSV; graphs as Turtle,
    N-Triples, JSON-LD, RDF/XML), with the safety of 'evalkg query': no SERVICE, LOAD
    or update, a timeout per query. / is a query page with the named queries;
    /queries/NAME?param=VALUE runs one. Every IRI under the base IRI is a page (and
    .ttl, .jsonld, .nt, .rdf). /.well-known/void and /dataset describe the dataset.
    It listens on 127.0.0.1 unless --host says otherwise; Ctrl-C stops it.

    \b
    Example:
      evalkg serve --port 8000
      evalkg serve --views views/ --timeout 20
    """
    from kg.publish.server import ServeSettings
    from kg.publish.server import serve as run

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = ServeSettings(
        timeout=timeout, base_iri=base_iri, prefix=path_prefix, views=views, license=license_iri
    )

    def ready(opened: Any) -> None:
        shown = "[" + host + "]" if ":" in host else host
        click.echo(f"Serving {opened.path} at http://{shown}:{port}/ (Ctrl-C to stop)", err=True)

    run(store, host=host, port=port, settings=settings, on_note=note, on_ready=ready)


COMMANDS = [serve]
