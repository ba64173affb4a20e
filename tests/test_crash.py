"""A build killed at any point (kill -9) leaves a store that the next build repairs to
exactly what a fresh build gives: every quad, the shared-triple counts, the lesson index
(complete) and the statistics.

Each case runs a build in a child process that kills itself (SIGKILL) at one point:
while the bulk loader loads a batch, between two batches, after the shared counts were
committed but before the lesson index was, half-way through replacing changed records,
during compaction and during the count of the statistics. The store is then built again,
normally, and compared with a fresh build of the same records.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
import textwrap
from array import array
from pathlib import Path

import pytest

from kg.load.build import build
from kg.store.evalstore import EvalStore

pytestmark = pytest.mark.slow

RECORDS = 160
EPOCH = "1780000000"

# Run by the child: build ARGV[1] into ARGV[2], killing itself at ARGV[3] (a point) the
# ARGV[4]-th time it is reached; the bulk loader gets small batches, so there are many.
_DRIVER = textwrap.dedent(
    """
    import os, signal, sys, threading
    import kg.store.bulkload
    import kg.store.evalstore as st
    from kg.load.build import build
    from kg.store.journal import BuildJournal
    from kg.store.shared import SharedCounts

    corpus, folder, point, nth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    kg.store.bulkload.BATCH_BYTES = 60_000
    reached = [0]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def hit():
        reached[0] += 1
        if reached[0] == nth:
            die()

    def after(cls, name):
        real = getattr(cls, name)
        def wrapped(self, *args, **kwargs):
            result = real(self, *args, **kwargs)
            hit()
            return result
        setattr(cls, name, wrapped)

    class Loader:  # the store's Oxigraph, whose bulk loader dies after its nth batch
        def __init__(self, inner):
            self.inner = inner
        def __getattr__(self, name):
            return getattr(self.inner, name)
        def __iter__(self):
            return iter(self.inner)
        def __len__(self):
            return len(self.inner)
        def bulk_load(self, *args, **kwargs):
            self.inner.bulk_load(*args, **kwargs)
            hit()

    store = st.EvalStore.create(folder)
    if point == "loaded":
        store.inner = Loader(store.inner)
    elif point == "journaled":
        after(BuildJournal, "sync")
    elif point == "shared-committed":
        after(SharedCounts, "commit")
    elif point == "replacing":
        after(SharedCounts, "replace")
    elif point == "compacting":
        real = st.EvalStore.compact
        def compact(self):
            threading.Timer(0.01, die).start()
            real(self)
            die()
        st.EvalStore.compact = compact
    elif point == "counting":
        after(st.EvalStore, "add_statistics")
    build([corpus], store=store, workers=1)
    print("not killed")
    """
)


def _killed_build(corpus: Path, folder: Path, point: str, nth: int) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(corpus), str(folder), point, str(nth)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -9, (done.returncode, done.stdout, done.stderr[-2000:])


def _build(corpus: Path, folder: Path) -> str | None:
    store = EvalStore.create(folder)
    report = build([corpus], store=store, workers=1)
    assert report.ok
    return report.recovered


def _state(folder: Path) -> dict[str, object]:
    """Everything a store holds, comparable between two stores: its quads (blank nodes,
    named afresh by each parse of the ontology's lists, only counted), the shared counts,
    the lesson index and its state, and the files of the folder."""
    import pyoxigraph as ox

    store = EvalStore.open(folder)
    quads = set()
    blank = 0
    for quad in store.inner:
        if any(isinstance(t, ox.BlankNode) for t in quad):
            blank += 1
        else:
            quads.add(str(quad))
    tables = {}
    for name, query in (
        ("shared.sqlite", "SELECT h, n, triple FROM shared"),
        ("shared.sqlite", "SELECT graph, hashes FROM producer"),
        ("lessons.sqlite", "SELECT * FROM lesson"),
        ("lessons.sqlite", "SELECT graph, lesson, property, unknown FROM lesson_text"),
        (
            "lessons.sqlite",
            "SELECT t.graph, t.property, f.folded FROM lesson_fts AS f "
            "JOIN lesson_text AS t ON t.id = f.rowid",
        ),
        ("lessons.sqlite", "SELECT key, value FROM state"),
    ):
        with sqlite3.connect(folder / name) as db:
            rows = db.execute(query).fetchall()
        if "producer" in query:  # the set of a record's shared triples, in any order
            rows = [(graph, sorted(array("q", hashes))) for graph, hashes in rows]
        tables[query] = sorted(map(repr, rows))
    leftovers = sorted(p.name for p in (folder / "oxigraph").glob("bulk-*"))
    journal = (folder / "build.journal").exists()
    complete = store.lesson_index.complete
    return {
        "quads": quads,
        "blank": blank,
        "tables": tables,
        "leftovers": leftovers,
        "journal": journal,
        "complete": complete,
    }


def _same(found: dict[str, object], fresh: dict[str, object]) -> None:
    assert found["journal"] is False and found["leftovers"] == []
    assert found["complete"] is True
    missing = fresh["quads"] - found["quads"]  # type: ignore[operator]
    extra = found["quads"] - fresh["quads"]  # type: ignore[operator]
    assert (sorted(missing)[:5], sorted(extra)[:5]) == ([], [])
    assert found["blank"] == fresh["blank"]
    assert found["tables"] == fresh["tables"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from synthetic import write_corpus

    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, RECORDS, seed=11)
    return folder


@pytest.fixture(scope="module")
def fresh(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("fresh") / "store"
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        _build(corpus, folder)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return _state(folder)


@pytest.mark.parametrize(
    ("point", "nth"),
    [
        ("loaded", 1),  # the first batch is in Oxigraph, no count or row committed
        ("loaded", 4),
        ("journaled", 3),  # between two batches
        ("shared-committed", 1),  # counts committed, lesson rows not
        ("compacting", 1),
        ("counting", 1),  # half a statistics graph
    ],
)
def test_a_killed_first_build_is_repaired_by_the_next(
    corpus: Path,
    fresh: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    nth: int,
) -> None:
    folder = tmp_path / "store"
    _killed_build(corpus, folder, point, nth)
    if point == "loaded":  # the store is read as it is, with a note that says so
        from click.testing import CliRunner

        from kg.cli import main

        said = CliRunner().invoke(main, ["stats", "--store", str(folder)])
        assert said.exit_code == 0 and "the last build of this store did not end" in said.output
        gc.collect()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    recovered = _build(corpus, folder)
    assert recovered is not None and "interrupted" in recovered
    # killed once every record was committed: nothing is taken out, the rest is finished
    finished = point in ("compacting", "counting")
    assert ("after its records were committed" in recovered) == finished, recovered
    _same(_state(folder), fresh)
    assert _build(corpus, folder) is None  # and the next build finds nothing to repair
    _same(_state(folder), fresh)


def _change(corpus: Path, target: Path, count: int) -> None:
    """Copy ``corpus`` to ``target`` with the description of ``count`` records changed."""
    target.mkdir()
    changed = 0
    for page in sorted(corpus.iterdir()):
        data = page.read_bytes()
        if changed < count:
            new = data.replace(b"- description:\n- ", b"- description:\n- Revised. ", 1)
            changed += new != data
            data = new
        (target / page.name).write_bytes(data)
    assert changed == count


@pytest.mark.parametrize("nth", [1, 5])
def test_a_build_killed_while_replacing_records_is_repaired(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    changed = tmp_path / "changed"
    _change(corpus, changed, 8)
    folder, fresh_folder = tmp_path / "store", tmp_path / "fresh"
    _build(corpus, folder)
    _killed_build(changed, folder, "replacing", nth)
    assert _build(changed, folder) is not None
    _build(corpus, fresh_folder)  # the same two builds, not interrupted
    _build(changed, fresh_folder)
    _same(_state(folder), _state(fresh_folder))


def test_records_built_after_a_repair_keep_their_evaluations(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's second finding: after a repaired crash, moving a record to another
    evaluation removes nothing the other records of its first evaluation still state."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder, fresh_folder = tmp_path / "store", tmp_path / "fresh"
    _killed_build(corpus, folder, "loaded", 2)
    _build(corpus, folder)
    moved = tmp_path / "moved"
    moved.mkdir()
    for page in sorted(corpus.iterdir()):
        (moved / page.name).write_bytes(page.read_bytes())
    dashed = [p for p in sorted(moved.iterdir()) if b"\n- eval_number:\n" in p.read_bytes()]
    _renumber(dashed[-1])
    _build(moved, folder)
    _build(corpus, fresh_folder)
    _build(moved, fresh_folder)
    _same(_state(folder), _state(fresh_folder))


def _renumber(page: Path) -> None:
    """Give the record of ``page`` (the dash layout) another evaluation number."""
    lines = page.read_text(encoding="utf-8").split("\n")
    at = lines.index("- eval_number:") + 1
    lines[at] = "- 999999"
    page.write_text("\n".join(lines), encoding="utf-8")


_FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from kg.cli import main
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    main(sys.argv[2:])
    """
)


@pytest.mark.parametrize("limit", [200_000, 2_000_000])
def test_a_full_disk_is_an_error_naming_the_store_and_the_next_build_repairs(
    corpus: Path,
    fresh: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    limit: int,
) -> None:
    """No file may grow past ``limit`` bytes (as on a full disk): ``evalkg build`` says
    ``Error:`` with the store's path and exits with the error status, no traceback; once
    there is room, the next build gives what a fresh build gives."""
    from kg.cli import EXIT_ERROR

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = tmp_path / "store"
    command = ["build", "-q", "-w", "1", str(corpus), "--store", str(folder)]
    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(limit), *command],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "EVALKG_STORE": str(folder)},
    )
    assert done.returncode == EXIT_ERROR, done.stderr[-3000:]
    assert done.stderr.startswith("Error: ") and "Traceback" not in done.stderr
    assert str(folder) in done.stderr
    _build(corpus, folder)
    _same(_state(folder), fresh)


def test_a_failed_build_leaves_the_store_as_it_was(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error in the middle of loading new records (here an OSError from the loader's
    second batch): the records the build was writing are taken out and the statistics
    counted again, so the store is what it was before the build."""
    import kg.store.bulkload

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    half = tmp_path / "half"
    half.mkdir()
    pages = sorted(corpus.iterdir())
    for page in pages[: len(pages) // 2]:
        (half / page.name).write_bytes(page.read_bytes())
    folder = tmp_path / "store"
    _build(half, folder)
    before = _state(folder)
    monkeypatch.setattr(kg.store.bulkload, "BATCH_BYTES", 60_000)
    message = _failing_build(corpus, folder)
    assert "No space left on device" in message and str(folder) in message
    gc.collect()  # the store is closed
    assert _state(folder) == before


def _failing_build(corpus: Path, folder: Path) -> str:
    """Build ``corpus`` into ``folder`` with a loader whose second batch fails for want of
    room; the error's text."""
    import errno

    import kg.store.evalstore

    store = EvalStore.create(folder)
    real, calls = store.inner, [0]

    class Failing:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def __iter__(self) -> object:
            return iter(real)

        def bulk_load(self, *args: object, **kwargs: object) -> None:
            calls[0] += 1
            if calls[0] == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            real.bulk_load(*args, **kwargs)

    store.inner = Failing()
    with pytest.raises(kg.store.evalstore.StoreError) as raised:
        build([corpus], store=store, workers=1)
    return str(raised.value)


def test_reindex_makes_the_index_and_statistics_again_from_the_store(
    corpus: Path, fresh: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``evalkg build --reindex`` reads no source: the index it makes from the store's
    graphs and shared counts has the rows a build wrote, and turns on an index that an
    update (or an earlier evalkg) had turned off."""
    from click.testing import CliRunner

    from kg.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = tmp_path / "store"
    _build(corpus, folder)
    with sqlite3.connect(folder / "lessons.sqlite") as db:
        db.execute("DELETE FROM lesson WHERE rowid % 3 = 0")
        db.execute("UPDATE state SET value = '0' WHERE key = 'complete'")
        db.execute("INSERT OR REPLACE INTO state VALUES ('reason', 'update')")
    assert not EvalStore.open(folder).lesson_index.complete
    gc.collect()
    result = CliRunner().invoke(main, ["build", "--reindex", "--store", str(folder)])
    assert result.exit_code == 0, result.output
    assert "no source was read" in result.output
    _same(_state(folder), fresh)
