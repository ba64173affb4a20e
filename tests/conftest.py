"""Shared fixtures: the seed page, the bundled sample, and stores built from them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.load.build import build
from kg.resources import sample_dir
from kg.store.evalstore import EvalStore

SEED = sample_dir() / "000_e1502d68e7aac5ea.txt"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixed read time, so two builds of the same input are identical."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_store() -> EvalStore:
    store = EvalStore()
    report = build([SEED], store=store)
    assert report.ok
    return store


@pytest.fixture(scope="session")
def sample_store() -> EvalStore:
    store = EvalStore()
    report = build([sample_dir()], store=store)
    assert report.ok, report.rejected
    return store


@pytest.fixture(scope="session")
def sample_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample built into a store folder, for commands that open one. Tests
    read it; one that writes copies it first."""
    folder = tmp_path_factory.mktemp("sample") / "store"
    with EvalStore.create(folder) as store:
        assert build([sample_dir()], store=store).ok
        store.flush()
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's, driven by Playwright) with a fresh profile, 1280×800;
    no network needed or used (benchmarks/headless.py)."""
    from headless import CHROMIUM, chromium

    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run 'make browser-deps' (Debian package chromium)")
    with chromium(1280, 800) as context:
        yield context
