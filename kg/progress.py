"""How a long library call says what it is doing: an optional ``on_step`` callback, given
a short phrase ("checking the SHACL shapes") as each step starts. The command line shows
it as a status line on a terminal; nothing else is required of a caller.

>>> steps: list[str] = []
>>> step(steps.append, "reading the graph"); step(None, "ignored")
>>> steps
['reading the graph']
"""

from __future__ import annotations

from collections.abc import Callable

#: A callback given each step's phrase as the step starts.
OnStep = Callable[[str], None]


def step(on_step: OnStep | None, phrase: str) -> None:
    """Tell ``on_step`` (if any) that the step ``phrase`` starts."""
    if on_step is not None:
        on_step(phrase)
