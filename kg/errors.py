"""The errors evalkg raises. Every message names the bad value and, where there is one,
the file and the line it came from.

>>> str(RecordError("not a lesson page", path="a.txt", line=3, value="<html>"))
"a.txt:3: not a lesson page: '<html>'"
"""

from __future__ import annotations


class EvalkgError(Exception):
    """Base class of every error evalkg raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        value: object = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.value = value
        super().__init__(self._render())

    def __reduce__(self) -> tuple[object, ...]:
        # keeps path, line and value when an error crosses processes (kg.load.pipeline)
        return (_rebuild, (type(self), self.message, self.path, self.line, self.value))

    def _render(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        shown = ""
        if self.value is not None:
            text = repr(self.value)
            shown = ": " + (text if len(text) <= 80 else text[:77] + "...")
        return f"{where}{self.message}{shown}"


def _rebuild(
    cls: type[EvalkgError], message: str, path: str | None, line: int | None, value: object
) -> EvalkgError:
    return cls(message, path=path, line=line, value=value)


class RecordError(EvalkgError):
    """A file or JSON line is not a lesson record (empty, binary, HTML, no fields...)."""


class DataError(EvalkgError):
    """A data file of evalkg (``ontology/``, ``wordlists/``…) cannot be read or is malformed."""


class StoreError(EvalkgError):
    """The store folder is missing, locked, or not an evalkg store."""


class QueryError(EvalkgError):
    """A SPARQL query is malformed, refused, timed out, or its parameters are bad."""


class ConfigError(EvalkgError):
    """A bad option value: base IRI, format name, path..."""


class EndpointError(EvalkgError):
    """A remote SPARQL endpoint could not be reached or answered badly."""
