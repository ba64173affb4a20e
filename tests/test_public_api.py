"""The names of ``kg``: each one importable, and ``import kg`` cheap (PEP 562: a name's
module loads the first time the name is used)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import kg


def test_every_public_name_resolves_to_what_its_module_defines() -> None:
    assert sorted(kg.__all__) == sorted([*kg._PUBLIC, "network"])
    for name in kg.__all__:
        value = getattr(kg, name)
        assert getattr(value, "__name__", name) == name
    assert set(kg.__all__) <= set(dir(kg))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        kg.no_such_name  # noqa: B018


def test_importing_kg_and_the_command_line_loads_no_heavy_library() -> None:
    heavy = ["pyoxigraph", "rdflib", "networkx", "ftfy", "lingua", "kg.load.build"]
    probe = f"import sys, kg, kg.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
