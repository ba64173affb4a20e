"""Where the data folders (ontology/, queries/, visualizations/, wordlists/, the sample)
live.

In a wheel they are packaged under ``kg/_data/``; in a source checkout (including an
editable install) they are the top-level folders next to ``kg/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``queries``, ``visualizations`` or ``wordlists``)."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def sample_dir() -> Path:
    """The bundled sample records (the real seed page plus illustrative records)."""
    return _PACKAGE / "sample"


def ontology_file(name: str) -> Path:
    """A Turtle file of ``ontology/``, e.g. ``evalkg.ttl`` or ``shapes.ttl``."""
    return data_dir("ontology") / name
