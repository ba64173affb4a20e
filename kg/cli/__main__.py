"""``python -m kg.cli``: the ``evalkg`` command."""

from kg.cli import main

main(prog_name="evalkg")
