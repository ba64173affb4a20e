"""The ``evalkg`` command: a thin layer over the :mod:`kg` library.

Each command parses its options, calls one library function and prints the result;
:class:`EvalkgGroup` turns the library's errors into a message and an exit status.
The commands live by topic: :mod:`kg.cli.build`, :mod:`kg.cli.query` (stats, query,
queries), :mod:`kg.cli.publish` (export, validate, push), :mod:`kg.cli.network`
(metrics, view) and :mod:`kg.cli.score`; what they share is in :mod:`kg.cli.common`.
"""

from __future__ import annotations

from typing import Any

import click

from kg.cli import build, network, publish, query, score, serve
from kg.cli.common import EXIT_ERROR, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from kg.errors import EvalkgError

__all__ = ["EXIT_ERROR", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "EvalkgGroup", "main"]

EXIT_STATUSES = f"""\b
Exit status:
  {EXIT_OK}  done
  {EXIT_FAILED}  a failure the command reports: records rejected, a graph that does not
     conform, an answer whose reader stopped reading
  {EXIT_USAGE}  a bad option or argument (click's usage error)
  {EXIT_ERROR}  an evalkg error: no store, a malformed query or gold file, an endpoint
     that fails, a full disk... printed as 'Error: file:line: message: value'
"""


class EvalkgFailure(click.ClickException):
    """An :class:`EvalkgError`, printed as ``Error: …``, exiting with :data:`EXIT_ERROR`."""

    exit_code = EXIT_ERROR


class EvalkgGroup(click.Group):
    """The group of the commands, and the one place that maps an :class:`EvalkgError` (of
    any command, or of its options' callbacks) to ``Error: …`` and :data:`EXIT_ERROR`;
    click's usage errors keep their own status, :data:`EXIT_USAGE`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EvalkgError as exc:
            raise EvalkgFailure(str(exc)) from exc


@click.group(
    cls=EvalkgGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_STATUSES,
)
@click.version_option(package_name="evalkg")
@click.option(
    "--store",
    default=None,
    metavar="DIR",
    help="Store folder of every command (also accepted after the command, which wins); "
    "default: $EVALKG_STORE, else ./evalkg-data.",
)
def main(store: str | None) -> None:  # the commands read it (kg.cli.common._store_or_group)
    """evalkg: a knowledge graph of ILO evaluations, their lessons, actors and places.

    \b
    Quick start:
      evalkg build --sample          # build the bundled sample into ./evalkg-data
      evalkg stats                   # what the graph holds
      evalkg queries                 # the canned analyst questions
      evalkg query stats             # run one
      evalkg export -o graph.ttl     # Turtle, N-Triples, JSON-LD, RDF/XML, N-Quads, TriG
      evalkg --store other stats     # --store DIR goes before or after the command
    """


for _module in (build, query, publish, score, network, serve):
    for _command in _module.COMMANDS:
        main.add_command(_command)
