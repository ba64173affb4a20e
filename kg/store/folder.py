"""The store folder: where it is, what it holds, and opening the Oxigraph database in it.

A store folder holds ``evalkg.json`` (the store :data:`FORMAT` and the base IRI it was
built with), ``oxigraph/`` (the database), ``shared.sqlite`` (:mod:`kg.store.shared`),
``lessons.sqlite`` (:mod:`kg.store.lessonindex`) and, while a build runs or after one
that did not end, ``build.journal`` (:mod:`kg.store.journal`).

>>> store_path("my-store").name
'my-store'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.iris import DEFAULT_BASE_IRI, check_base_iri

DEFAULT_STORE = "evalkg-data"
STORE_ENV = "EVALKG_STORE"
META = "evalkg.json"
DATABASE = "oxigraph"
SHARED = "shared.sqlite"
LESSONS = "lessons.sqlite"
#: The layout of the store folder; a store of another format must be built anew.
FORMAT = 2


def store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: ``path``, else ``$EVALKG_STORE``, else ``./evalkg-data``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def open_for_writing(folder: Path, base_iri: str | None) -> tuple[str, Any]:
    """``(base IRI, pyoxigraph store)`` of the store folder ``folder``, made if missing.

    A store keeps the base IRI it was first built with; asking for another one is an
    error (the IRIs would not match)."""
    import pyoxigraph as ox

    meta = read_meta(folder)
    if meta is None:
        if folder.exists() and any(folder.iterdir()):
            raise StoreError("folder exists and is not an evalkg store", path=str(folder))
        chosen = check_base_iri(base_iri or DEFAULT_BASE_IRI)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / META).write_text(
            json.dumps({"format": FORMAT, "base_iri": chosen}, indent=2) + "\n",
            encoding="utf-8",
        )
    else:
        chosen = meta["base_iri"]
        if base_iri is not None and check_base_iri(base_iri) != chosen:
            raise StoreError(
                f"store was built with base IRI {chosen}; rebuild into a new store to change it",
                path=str(folder),
                value=base_iri,
            )
    try:
        engine = ox.Store(str(folder / DATABASE))
    except OSError as exc:
        raise StoreError(f"cannot open store for writing ({exc})", path=str(folder)) from None
    return chosen, engine


def open_for_reading(folder: Path) -> tuple[str, Any]:
    """``(base IRI, pyoxigraph store)`` of the existing store folder ``folder``, read-only."""
    import pyoxigraph as ox

    meta = read_meta(folder)
    if meta is None:
        raise StoreError(
            "no evalkg store here; run 'evalkg build PATH' first (or pass --store)",
            path=str(folder),
        )
    try:
        engine = ox.Store.read_only(str(folder / DATABASE))
    except OSError as exc:
        raise StoreError(f"cannot open store ({exc})", path=str(folder)) from None
    return meta["base_iri"], engine


def read_meta(folder: Path) -> dict[str, Any] | None:
    """What ``evalkg.json`` says (``None``: no such file, not a store folder)."""
    meta = folder / META
    if not meta.is_file():
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"unreadable store metadata ({exc})", path=str(meta)) from None
    if not isinstance(data, dict) or "base_iri" not in data:
        raise StoreError("store metadata has no base_iri", path=str(meta))
    if data.get("format") != FORMAT:
        raise StoreError(
            f"store has format {data.get('format')!r}, this evalkg reads format {FORMAT}; "
            "build it again into a new folder",
            path=str(folder),
        )
    return data
