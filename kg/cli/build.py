"""``evalkg build``: records into the store (:func:`kg.load.build.build`)."""

from __future__ import annotations

import click

from kg.cli.common import EXIT_FAILED, Progress, on_terminal, store_option


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))  # checked before the store is made
@click.option("--sample", is_flag=True, help="Also build the bundled sample records.")
@store_option
@click.option(
    "--base-iri",
    envvar="EVALKG_BASE_IRI",
    default=None,
    help="Base IRI of minted entities (new stores only; $EVALKG_BASE_IRI).",
)
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that map records (default: one less than the CPUs; 1: the build's own).",
)
@click.option(
    "--compact/--no-compact",
    default=True,
    help="Compact the store after writing (default; queries are 2-4x faster after a big build).",
)
@click.option(
    "--reindex",
    is_flag=True,
    help="Make the lesson index and the statistics again from the store (no PATHS read).",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the records the store holds that PATHS no longer give (files deleted).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warning list.")
@click.option("-v", "--verbose", is_flag=True, help="List every warning.")
@click.pass_context
def build(
    ctx: click.Context,
    paths: tuple[str, ...],
    sample: bool,
    store: str | None,
    base_iri: str | None,
    workers: int | None,
    compact: bool,
    reindex: bool,
    prune: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Read lesson pages (.txt) and JSON Lines records (.jsonl) into the store.

    PATHS are files or folders (searched recursively). A record whose file did not
    change is left as it is; a changed one replaces its own triples only. Files that are
    not records are listed with the reason, and the exit status is then 1. Records the
    store holds that PATHS did not give are counted; --prune removes them. After
    writing, the store is compacted for fast queries (--no-compact skips it).

    \b
    Example:
      evalkg build records/ more/page.txt --store evalkg-data
    """
    from kg.load.build import build as run_build
    from kg.resources import sample_dir
    from kg.store.evalstore import EvalStore, store_path

    targets = [*paths, *([str(sample_dir())] if sample else [])]
    if reindex:
        if targets:
            raise click.UsageError("--reindex reads the store only: give no PATHS")
        _reindex(store)
        return
    if not targets:
        raise click.UsageError("give PATHS to build, or --sample (or --reindex)")
    with (
        EvalStore.create(store_path(store), base_iri=base_iri) as target,
        Progress(enabled=not quiet) as on_progress,
    ):
        report = run_build(
            targets,
            store=target,
            on_progress=on_progress,
            workers=workers,
            compact=compact,
            on_compact=on_terminal("Compacting the store for fast queries...", quiet=quiet),
            on_count=on_terminal("Counting the statistics graph...", quiet=quiet),
            prune=prune,
        )
    for line in report.lines(quiet=quiet, verbose=verbose):
        click.echo(line.text, err=line.alert)
    if not report.ok:
        ctx.exit(EXIT_FAILED)


def _reindex(store: str | None) -> None:
    """``build --reindex``: the lesson index and statistics made again from the store."""
    from kg.load.build import reindex_folder
    from kg.store.evalstore import store_path

    rows, triples = reindex_folder(store)
    click.echo(
        f"Store {store_path(store)}: the lesson index ({rows:,} rows) and the statistics "
        f"({triples:,} triples counted) were made again from the store; no source was read."
    )


COMMANDS = [build]
