"""Building: counts, bad files, idempotence, replacing one record's graph only."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.extract.titles import TitleKind, parse_title
from kg.load import build as build_module
from kg.load.build import MAPPING_VERSION, build
from kg.rdf import mapping
from kg.resources import sample_dir
from kg.store.evalstore import EvalStore
from kg.vocab import EK

BAD = {
    "empty.txt": b"",
    "error.txt": b"<!DOCTYPE html>\n<html><head><title>404</title></head></html>\n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "latin1.txt": "- context:\n- Informe de evaluación\n".encode("latin-1"),
}


def dataset(store: EvalStore) -> set[ox.Quad]:
    return set(store.inner)


def test_no_triple_is_in_two_graphs(sample_store: EvalStore) -> None:
    quads = list(sample_store.named_quads())
    merged = {q.triple for q in quads}
    assert len(merged) == len(quads) == len(sample_store)
    assert not any(q.graph_name == ox.DefaultGraph() for q in sample_store.inner)
    assert set(sample_store.default_triples()) == merged


def test_records_own_their_triples_and_share_descriptions(seed_store: EvalStore) -> None:
    """A record's graph holds the triples that name its own nodes; the descriptions of
    shared entities are in the entities graph."""
    base = seed_store.base_iri
    own = (base + "record/", base + "lesson/")
    record = ox.NamedNode(base + "record/242868")
    for q in seed_store.inner.quads_for_pattern(None, None, None, record):
        names = [t.value for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)]
        assert any(n.startswith(own) for n in names), q
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    evaluation = ox.NamedNode(base + "evaluation/3642")
    (quad,) = seed_store.inner.quads_for_pattern(evaluation, title, None, None)
    assert quad.graph_name == seed_store.entities


def test_building_twice_changes_nothing(tmp_path: Path) -> None:
    store = EvalStore.create(tmp_path / "s")
    first = build([sample_dir()], store=store)
    before = dataset(store)
    second = build([sample_dir()], store=store)
    assert (second.added, second.replaced, second.unchanged) == (0, 0, first.accepted)
    assert dataset(store) == before


def test_changed_record_replaces_only_its_graph(tmp_path: Path, seed_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(sample_dir(), folder)
    store = EvalStore()
    build([folder], store=store)
    before = dataset(store)
    page = folder / seed_path.name
    page.write_text(
        page.read_text(encoding="utf-8").replace("Quillota", "Valparaíso"), encoding="utf-8"
    )
    report = build([folder], store=store)
    assert (report.added, report.replaced) == (0, 1)
    after = dataset(store)
    graph = ox.NamedNode(store.base_iri + "record/242868")
    changed = {q.graph_name for q in before ^ after}
    assert changed <= {graph, store.entities}
    assert any(
        "Valparaíso" in q.object.value for q in after - before if isinstance(q.object, ox.Literal)
    )
    # Quillota is named by the seed only: its description left with the seed's mention
    quillota = {q for q in before - after if "Quillota" in str(q.object)}
    assert quillota and {q.graph_name for q in quillota} == {graph, store.entities}
    # a fact shared with other records (Chile is in the Americas) stays
    chile = ox.Quad(
        ox.NamedNode(store.base_iri + "country/CHL"),
        ox.NamedNode(EK + "inRegion"),
        ox.NamedNode(store.base_iri + "region/americas"),
        store.entities,
    )
    assert chile in after
    # and the store equals a fresh build of the changed input
    fresh = EvalStore()
    build([folder], store=fresh)
    assert _without_blank_nodes(store) == _without_blank_nodes(fresh)


def test_bad_files_are_reported_and_the_rest_is_built(tmp_path: Path, seed_path: Path) -> None:
    for name, data in BAD.items():
        (tmp_path / name).write_bytes(data)
    shutil.copy(seed_path, tmp_path / "good.txt")
    (tmp_path / "records.jsonl").write_text('{"eval_number": "1", "eval_title": "T"}\n{oops\n')
    report = build([tmp_path], store=EvalStore())
    assert report.files == 6
    assert report.accepted == 2
    assert len(report.rejected) == 5
    assert report.read == report.accepted + len(report.rejected)
    reasons = {Path(r.error.path or "").name: str(r.error) for r in report.rejected}
    assert "empty file" in reasons["empty.txt"]
    assert "HTML" in reasons["error.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "latin1.txt:2: not UTF-8" in reasons["latin1.txt"]
    assert "records.jsonl:2: not JSON" in reasons["records.jsonl"]
    assert not report.ok


def test_missing_path_is_an_error() -> None:
    from kg.errors import RecordError

    with pytest.raises(RecordError, match="no such file"):
        build(["/nonexistent/records"], store=EvalStore())


@pytest.mark.parametrize("longer", ["a.txt", "b.txt"])
def test_same_lesson_twice_keeps_the_fuller_copy_whatever_the_order(
    tmp_path: Path, seed_path: Path, longer: str
) -> None:
    text = seed_path.read_text(encoding="utf-8")
    shorter = "b.txt" if longer == "a.txt" else "a.txt"
    (tmp_path / shorter).write_text(text, encoding="utf-8")
    (tmp_path / longer).write_text(text.replace("Pudahuel", "Pudahuel y Maipú"), encoding="utf-8")
    store = EvalStore()
    report = build([tmp_path], store=store)
    assert report.accepted == 2 and any("same lesson" in w for w in report.warnings)
    assert [(Path(k).name, Path(o).name) for k, o in report.duplicates] == [(longer, shorter)]
    literals = {
        q.object.value
        for q in store.inner.quads_for_pattern(None, ox.NamedNode(EK + "context"), None, None)
    }
    assert len(literals) == 1 and "Maipú" in literals.pop()


def test_same_content_twice_keeps_the_first_file(tmp_path: Path, seed_path: Path) -> None:
    data = seed_path.read_bytes()
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_bytes(data)
    report = build([tmp_path], store=EvalStore())
    assert [(Path(k).name, Path(o).name) for k, o in report.duplicates] == [("a.txt", "b.txt")]


def test_store_keeps_its_base_iri(tmp_path: Path) -> None:
    from kg.errors import StoreError

    EvalStore.create(tmp_path / "s", base_iri="https://example.org/kg/")
    assert EvalStore.open(tmp_path / "s").base_iri == "https://example.org/kg/"
    with pytest.raises(StoreError, match="base IRI"):
        EvalStore.create(tmp_path / "s", base_iri="https://other.org/")


def test_open_missing_store_says_what_to_do(tmp_path: Path) -> None:
    from kg.errors import StoreError

    with pytest.raises(StoreError, match="evalkg build"):
        EvalStore.open(tmp_path / "nothing")


def test_rebuild_with_an_unchanged_duplicate_keeps_the_fuller(
    tmp_path: Path, seed_path: Path
) -> None:
    """The fuller copy of a lesson wins even when the store already holds the other one
    (so the build skipped mapping it); built again, nothing changes."""
    text = seed_path.read_text(encoding="utf-8")
    store = EvalStore()
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    build([tmp_path], store=store)
    (tmp_path / "a.txt").write_text(text.replace("Pudahuel", "Pudahuel y Maipú"), encoding="utf-8")
    report = build([tmp_path], store=store)
    assert report.replaced == 1
    contexts = store.inner.quads_for_pattern(None, ox.NamedNode(EK + "context"), None, None)
    (literal,) = {q.object.value for q in contexts}
    assert "Maipú" in literal
    again = build([tmp_path], store=store)
    assert (again.replaced, again.unchanged, again.added) == (0, 1, 0)


def _older_kind(title: str) -> TitleKind:
    """The kind mapping version 5 read: "intermedia" and "intermédiaire" as midterm."""
    kind = parse_title(title)
    return (
        dataclasses.replace(kind, timing="MidtermTiming")
        if kind.timing == "InterimTiming"
        else kind
    )


def _timings(store: EvalStore, concept: str) -> int:
    timing, node = ox.NamedNode(EK + "timing"), ox.NamedNode(EK + concept)
    return len(list(store.inner.quads_for_pattern(None, timing, node, None)))


@pytest.mark.parametrize("older", ["5", MAPPING_VERSION], ids=["older-version", "same-version"])
def test_records_of_an_older_mapping_version_are_mapped_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, older: str
) -> None:
    """A store built by an older mapping is rebuilt by the next build, files unchanged,
    when the older mapping had another ``MAPPING_VERSION``: it then equals a fresh build.
    Under the same version the stale triples would stay (the records are skipped)."""
    for name in (
        "000_e1502d68e7aac5ea.txt",
        "005_09d343db2e553388.txt",
        "012_d161ae809f4d370c.txt",
    ):
        shutil.copy(sample_dir() / name, tmp_path)  # final, and two "Evaluación intermedia"
    store = EvalStore()
    with monkeypatch.context() as patch:
        patch.setattr(build_module, "MAPPING_VERSION", older)
        patch.setattr(mapping, "parse_title", _older_kind)
        first = build([tmp_path], store=store, workers=1)
    older_kinds = (_timings(store, "InterimTiming"), _timings(store, "MidtermTiming"))
    assert older_kinds == (0, 2)
    report = build([tmp_path], store=store, workers=1)
    if older == MAPPING_VERSION:
        assert (report.replaced, report.unchanged) == (0, first.accepted)
        assert (_timings(store, "InterimTiming"), _timings(store, "MidtermTiming")) == (0, 2)
        return
    assert (report.added, report.replaced, report.unchanged) == (0, first.accepted, 0)
    assert (_timings(store, "InterimTiming"), _timings(store, "MidtermTiming")) == (2, 0)
    fresh = EvalStore()
    build([tmp_path], store=fresh, workers=1)
    assert _without_blank_nodes(store) == _without_blank_nodes(fresh)


def _without_blank_nodes(store: EvalStore) -> set[ox.Quad]:
    # the ontology's owl:unionOf lists are blank nodes, named afresh by each parse
    return {q for q in store.inner if not any(isinstance(t, ox.BlankNode) for t in q)}


@pytest.mark.slow
def test_workers_build_the_same_store(tmp_path: Path) -> None:
    from synthetic import write_corpus

    from kg.load.pipeline import MIN_FILES_FOR_WORKERS

    write_corpus(tmp_path / "corpus", MIN_FILES_FOR_WORKERS + 6, seed=3)
    (tmp_path / "corpus" / "zz-bad.txt").write_bytes(b"")
    one, two = EvalStore(), EvalStore()
    report_one = build([tmp_path / "corpus"], store=one, workers=1)
    report_two = build([tmp_path / "corpus"], store=two, workers=2)
    assert report_two.accepted == report_one.accepted == MIN_FILES_FOR_WORKERS + 6
    reasons = [str(r.error) for r in report_one.rejected]
    assert [str(r.error) for r in report_two.rejected] == reasons
    assert len(reasons) == 1 and "zz-bad.txt" in reasons[0]
    assert report_two.warnings == report_one.warnings
    assert len(one.inner) == len(two.inner)
    assert _without_blank_nodes(one) == _without_blank_nodes(two)


def test_errors_keep_their_position_across_processes() -> None:
    import pickle

    from kg.errors import RecordError

    error = RecordError("not JSON", path="a.jsonl", line=2, value="{oops")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.line, copy.value, str(copy)) == ("a.jsonl", 2, "{oops", str(error))


def test_a_build_into_a_folder_compacts_the_store(tmp_path: Path, seed_path: Path) -> None:
    store = EvalStore.create(tmp_path / "s")
    assert build([seed_path], store=store).compact_seconds > 0
    again = build([seed_path], store=store)  # nothing written: nothing to compact
    assert (again.unchanged, again.compact_seconds) == (1, 0.0)
    other = EvalStore.create(tmp_path / "t")
    assert build([seed_path], store=other, compact=False).compact_seconds == 0.0
    assert _without_blank_nodes(store) == _without_blank_nodes(other)


def test_conflicting_titles_of_one_evaluation_are_a_warning_naming_both_records(
    tmp_path: Path,
) -> None:
    import json

    rows = [
        {
            "eval_number": "77",
            "eval_title": title,
            "lessons_learned": [
                {"description": f"Lesson {n}.", "url": f"https://example.org/lessons/{n}"}
            ],
        }
        for n, title in ((1, "Jobs - Final Evaluation"), (2, "Jobs - Midterm Evaluation"))
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    report = build([tmp_path], store=EvalStore())
    found = [w for w in report.warnings if "titled" in w]
    assert report.accepted == 2 and len(found) == 1
    assert "a.jsonl:2: evaluation 77" in found[0] and "a.jsonl:1" in found[0]


@pytest.mark.slow
def test_the_worker_pool_forks_before_the_loaders_thread_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: forking after a thread started is unsafe (Python 3.12 warns): the
    build's worker processes exist before the bulk loader's thread."""
    import multiprocessing
    import threading

    from synthetic import write_corpus

    from kg.load.pipeline import MIN_FILES_FOR_WORKERS

    loader_running: list[bool] = []
    real = multiprocessing.get_context

    def get_context(method: str | None = None) -> object:
        loader_running.append(any(t.name == "evalkg-bulk-load" for t in threading.enumerate()))
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    write_corpus(tmp_path / "corpus", MIN_FILES_FOR_WORKERS + 2, seed=5)
    with EvalStore() as store:
        report = build([tmp_path / "corpus"], store=store, workers=2)
    assert report.ok and loader_running == [False]
