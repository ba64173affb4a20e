"""``evalkg score``: the recognizer against gold sets (:func:`kg.extract.scoring.score`)."""

from __future__ import annotations

import click


@click.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder the gold file's source paths are relative to.",
)
@click.option(
    "--real-pages",
    type=click.Path(file_okay=False),
    default=None,
    help="The crawl's real pages, for the real-pages gold set (default ../shared/real-pages "
    "beside a source checkout).",
)
@click.option("--errors", is_flag=True, help="List every false positive and negative.")
def score(gold: str | None, root: str | None, real_pages: str | None, errors: bool) -> None:
    """Precision, recall and F1 of the actor and place recognizer on gold sets.

    GOLD is a JSON Lines file of annotated records. Without it, both of the project's
    gold sets are scored, each on its own: the team's (tests/gold/gold.jsonl, pages the
    team wrote) and the real pages' (tests/gold/real.jsonl, annotations of the crawl's
    pages, read from --real-pages). Those are a developer's default, found in a source
    checkout only: an installed evalkg needs GOLD.

    \b
    Example:
      evalkg score --errors
      evalkg score tests/gold/gold.jsonl
    """
    from kg.extract.goldsets import gold_sets
    from kg.extract.scoring import score as run_score

    found = gold_sets(gold, root=root, real_pages=real_pages)
    if found.missing_pages is not None:
        click.echo(
            f"Real-pages gold skipped: no pages at {found.missing_pages} (--real-pages DIR)",
            err=True,
        )
    if not found.sets:
        raise click.UsageError("give the GOLD file (the default is in a source checkout only)")
    for n, gold_set in enumerate(found.sets):
        result = run_score(gold_set.path, root=gold_set.root)
        click.echo(("\n" if n else "") + result.table(gold_set.title), nl=False)
        if errors:
            for line in result.organizations.errors:
                click.echo(f"organization {line}")
            for line in result.places.errors:
                click.echo(f"place {line}")


COMMANDS = [score]
