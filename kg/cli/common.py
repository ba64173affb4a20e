"""What the commands share: exit statuses, ``--store``, option values read from the
library when click needs them, notes on stderr, and the progress bar."""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    _Choice = click.Choice[str]
else:  # click.Choice is generic from click 8.2 on
    _Choice = click.Choice

#: Exit statuses (``evalkg --help`` and docs/commands.md list them).
EXIT_OK = 0
#: The command ran, and what it found failed: records rejected, a graph that does not
#: conform, an answer its reader stopped reading.
EXIT_FAILED = 1
#: click's own: a bad option or argument.
EXIT_USAGE = click.UsageError.exit_code
#: An :class:`kg.errors.EvalkgError`: what evalkg was asked could not be done.
EXIT_ERROR = 3

STORE_HELP = (
    "Store folder, here or before the command ('evalkg --store DIR COMMAND'); default: "
    "$EVALKG_STORE, else ./evalkg-data."
)

_SPEC = re.compile(r"(?P<module>[\w.]+):(?P<name>[\w.]+)(?:\((?P<param>\w+)\))?")


class FromLibrary:
    """A value of the library, read when click first needs it (so that ``evalkg --help``
    imports no module it does not use): ``module:name`` (``name`` may be dotted, as
    ``Class.attribute``), or ``module:function(param)``, the default of a parameter.
    click calls it for an option's default, and shows ``str()`` of it in the help.

    >>> str(FromLibrary("kg.store.evalstore:store_path(path)")), FromLibrary("kg.vocab:EK")()
    ('None', 'https://w3id.org/evalkg/ontology#')
    """

    def __init__(self, spec: str) -> None:
        found = _SPEC.fullmatch(spec)
        if found is None:
            raise ValueError(f"not module:name or module:function(param): {spec!r}")
        self.spec = spec
        self._parts = found

    def __call__(self) -> Any:
        found = self._parts
        value: Any = importlib.import_module(found["module"])
        for part in found["name"].split("."):
            value = getattr(value, part)
        if found["param"]:
            value = inspect.signature(value).parameters[found["param"]].default
        return value

    def __str__(self) -> str:
        return str(self())

    def __repr__(self) -> str:
        return f"FromLibrary({self.spec!r})"


class LibraryChoice(_Choice):
    """The names of a registry of the library (``module:name``, a dict or a sequence) as
    click choices, read when click first needs them."""

    def __init__(self, spec: str) -> None:
        self.names = FromLibrary(spec)
        super().__init__(())

    # Any: click 8.4 types choices as Sequence[str], 8.5 as tuple[str, ...]
    @property
    def choices(self) -> Any:
        return tuple(self.names())

    @choices.setter
    def choices(self, _value: Any) -> None:
        """click sets its choices once; these are the library's."""


def _store_or_group(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A command's ``--store``, else the one given before the command (``evalkg --store
    DIR COMMAND``), else ``None`` (then $EVALKG_STORE, else ./evalkg-data)."""
    if value is not None:
        return value
    root = ctx.find_root()
    given = root.params.get("store") if root is not ctx else None
    return given if isinstance(given, str) else None


store_option = click.option(
    "--store", "store", default=None, metavar="DIR", help=STORE_HELP, callback=_store_or_group
)


def note(text: str) -> None:
    """Say ``Note: text`` on standard error (what a reader should know; the answer goes on)."""
    click.echo(f"Note: {text}", err=True)


def on_terminal(text: str, *, quiet: bool = False) -> Callable[[], None]:
    """A callback that says ``text`` on standard error when it is a terminal (and not
    ``quiet``): what a long step is doing."""

    def say() -> None:
        if not quiet and sys.stderr.isatty():
            click.echo(text, err=True)

    return say


class Status:
    """A status line on stderr naming the step a long command is at, with a spinner and
    the time it has taken (only on a terminal, or with ``console``): enter it to get the
    ``on_step`` callback for the library call (:mod:`kg.progress`), or ``None``."""

    def __init__(self, label: str, *, enabled: bool = True, console: Any = None) -> None:
        self.label = label
        self.enabled = enabled and (console is not None or sys.stderr.isatty())
        self.console = console
        self.status: Any = None
        self.started = 0.0

    def __enter__(self) -> Callable[[str], None] | None:
        if not self.enabled:
            return None
        import time

        from rich.console import Console

        console = self.console or Console(stderr=True)
        self.started = time.monotonic()
        self.status = console.status(f"{self.label}…")
        self.status.__enter__()
        return self.update

    def update(self, phrase: str) -> None:
        import time

        from rich.markup import escape

        took = time.monotonic() - self.started
        self.status.update(escape(f"{self.label}: {phrase}… ({took:.1f} s)"))

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.__exit__(None, None, None)


class Progress:
    """A rich progress bar on stderr for builds of many files (only on a terminal)."""

    def __init__(self, *, enabled: bool, label: str = "Building") -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress as Bar

        self.bar = Bar(console=Console(stderr=True), transient=True)
        self.bar.__enter__()
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
