"""The named queries of ``queries/*.rq`` and their header comments.

A query file starts with ``# key: value`` comment lines: ``title``, ``description``,
``param`` (repeatable: ``name: what it is``) and ``example``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QueryError
from .resources import data_dir

_HEADER = re.compile(r"#\s*([a-z]+)\s*:\s*(.*)")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True)
class NamedQuery:
    """A query of ``queries/``: its name (the file stem), header fields and text."""

    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    example: str = ""


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its header comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query file ({exc})", path=str(path)) from None
    header: dict[str, str] = {}
    params: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        found = _HEADER.fullmatch(line.strip())
        if not found:
            continue
        key, value = found.groups()
        if key == "param":
            name, _, what = value.partition(":")
            params[name.strip()] = what.strip()
        else:
            header[key] = value.strip()
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        title=header.get("title", ""),
        description=header.get("description", ""),
        params=params,
        example=header.get("example", ""),
    )


def list_queries(folder: Path | None = None) -> list[NamedQuery]:
    """Every named query, sorted by name."""
    root = folder or data_dir("queries")
    return [parse_query_file(p) for p in sorted(root.glob("*.rq"))]


def get_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query ``name``; :class:`QueryError` listing the names when unknown."""
    root = folder or data_dir("queries")
    path = root / f"{name}.rq"
    if not _NAME.fullmatch(name) or not path.is_file():
        known = ", ".join(q.name for q in list_queries(root))
        raise QueryError(f"no query of that name (known: {known})", value=name)
    return parse_query_file(path)


def resolve_query(spec: str) -> NamedQuery:
    """A query from a ``.rq`` file path or a name of ``queries/``."""
    path = Path(spec)
    if spec.endswith((".rq", ".sparql")) or path.is_file():
        if not path.is_file():
            raise QueryError("no such query file", path=spec)
        return parse_query_file(path)
    return get_query(spec)
