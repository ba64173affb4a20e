"""The worker processes of a store folder (kg/sparql/workers.py) and the pool a server
keeps: a worker answers query after query, each answer whole and ended where it ends
(whatever bytes the data holds); a worker killed at a deadline, left half-way through an
answer or gone is never used again and is replaced; an error of pyoxigraph's leaves the
worker in use; the pool never holds more than its size and ends every worker it
started."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.sparql.deadline import QueryTimeout
from kg.sparql.query import run_query, stream_query
from kg.sparql.workers import WorkerPool
from kg.store.evalstore import EvalStore

DIGITS = "VALUES ?{} {{ 0 1 2 3 4 5 6 7 8 9 }}"
#: 10^9 rows: only a deadline, or leaving the answer, ends it.
ENDLESS = "SELECT * WHERE { " + " ".join(DIGITS.format(f"d{i}") for i in range(9)) + " }"
#: Text that looks like the frames and the status of the workers' own protocol.
TRICKY = '\x00\x00\x00\x00\x00\x00\x00\x02{}\n\x00\x00 ask\ntrue "} \\ \r\n\t\U0001f600'


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalStore]:
    """A store folder with one triple, opened read-only."""
    path = tmp_path_factory.mktemp("workers") / "store"
    writer = EvalStore.create(path)
    graph = ox.NamedNode("https://w3id.org/evalkg/id/record/1")
    triple = (ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(TRICKY))
    writer.replace_graph(graph, [triple])
    writer.flush()
    writer.close()
    with EvalStore.open(path) as opened:
        yield opened


def database(store: EvalStore) -> Path:
    assert store.database is not None
    return store.database


def pids(pool: WorkerPool) -> set[int]:
    with pool.lock:
        return {worker.process.pid for worker in [*pool.idle, *pool.busy]}


def ask(store: EvalStore, pool: WorkerPool, text: str) -> list[tuple[object, ...]]:
    return run_query(store, text, timeout=30, workers=pool).rows


def test_one_worker_answers_query_after_query_whole(store: EvalStore) -> None:
    with WorkerPool(database(store), 1) as pool:
        started = pids(pool)
        for _ in range(3):
            rows = ask(store, pool, "SELECT ?o WHERE { ?s ?p ?o }")
            assert rows == [(ox.Literal(TRICKY),)]
            triples = run_query(store, "CONSTRUCT WHERE { ?s ?p ?o }", timeout=30, workers=pool)
            assert [t.object for t in triples.triples] == [ox.Literal(TRICKY)]
            assert run_query(store, "ASK { ?s ?p ?o }", timeout=30, workers=pool).boolean
        assert pids(pool) == started  # the same process answered all nine


def test_an_error_of_the_query_leaves_the_worker_in_use(store: EvalStore) -> None:
    with WorkerPool(database(store), 1) as pool:
        started = pids(pool)
        with pytest.raises(QueryError, match="SPARQL syntax error"):
            ask(store, pool, "SELECT ?x WHERE { ?x")
        assert ask(store, pool, "SELECT (1 AS ?one) {}") == [(ox.Literal(1),)]
        assert pids(pool) == started


def test_a_worker_stopped_at_its_deadline_is_replaced(store: EvalStore) -> None:
    with WorkerPool(database(store), 1) as pool:
        [first] = pids(pool)
        with (
            pytest.raises(QueryTimeout),
            stream_query(store, ENDLESS, timeout=1, workers=pool) as a,
        ):
            list(a.rows)
        [second] = pids(pool)
        assert second != first
        assert not _running(first)
        assert ask(store, pool, "SELECT (1 AS ?one) {}") == [(ox.Literal(1),)]


def test_a_worker_left_half_way_through_an_answer_is_replaced(store: EvalStore) -> None:
    with WorkerPool(database(store), 1) as pool:
        [first] = pids(pool)
        with stream_query(store, ENDLESS, timeout=30, workers=pool) as answer:
            assert len(list(islice(answer.rows, 5))) == 5
        [second] = pids(pool)
        assert second != first and not _running(first)
        assert ask(store, pool, "SELECT ?o WHERE { ?s ?p ?o }") == [(ox.Literal(TRICKY),)]


def test_a_worker_left_before_its_status_is_not_used_again(store: EvalStore) -> None:
    """A small answer is read whole ahead of its rows: a caller that takes one row and
    leaves has not read the status that follows the answer, so the worker is ended."""
    three = "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }"
    with WorkerPool(database(store), 1) as pool:
        [first] = pids(pool)
        with stream_query(store, three, timeout=30, workers=pool) as answer:
            assert next(iter(answer.rows)) == (ox.Literal(1),)
        assert first not in pids(pool)
        for _ in range(3):  # the next answers are whole, each its own
            assert ask(store, pool, three) == [(ox.Literal(n),) for n in (1, 2, 3)]


def test_a_worker_gone_while_idle_is_replaced(store: EvalStore) -> None:
    with WorkerPool(database(store), 1) as pool:
        [worker] = pool.idle
        worker.process.kill()
        worker.process.wait()
        assert ask(store, pool, "SELECT (1 AS ?one) {}") == [(ox.Literal(1),)]
        assert worker.process.pid not in pids(pool)


def test_more_queries_than_workers_start_more_and_end_them(store: EvalStore) -> None:
    with WorkerPool(database(store), 2) as pool:
        started = pids(pool)
        answers = [stream_query(store, ENDLESS, timeout=30, workers=pool) for _ in range(3)]
        for answer in answers:
            next(answer.__enter__().rows)
        assert len(pool.busy) == 3 and not pool.idle  # one more than the pool holds
        during = pids(pool)
        assert during > started
        for answer in answers:
            answer.__exit__(None, None, None)  # each left half-way: ended
        after = pids(pool)
        assert len(after) == 2 and not after & during  # two replacements, not the extra


def test_many_threads_share_a_pool(store: EvalStore) -> None:
    errors: list[BaseException] = []

    def client() -> None:
        try:
            for n in range(20):
                assert ask(store, pool, f"SELECT ({n} AS ?n) {{}}") == [(ox.Literal(n),)]
        except BaseException as exc:
            errors.append(exc)

    with WorkerPool(database(store), 3) as pool:
        started = pids(pool)
        threads = [threading.Thread(target=client) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        assert pids(pool) == started  # the extra workers ended, the pool's kept


def test_closing_the_pool_ends_every_worker(store: EvalStore) -> None:
    pool = WorkerPool(database(store), 2)
    context = stream_query(store, ENDLESS, timeout=30, workers=pool)
    answer = context.__enter__()
    next(answer.rows)
    started = pids(pool)
    pool.close()
    with pytest.raises(QueryError, match="query process failed"):  # killed under it
        for _ in answer.rows:
            pass
    context.__exit__(None, None, None)
    assert len(started) == 2 and not any(_running(pid) for pid in started)
    with pytest.raises(RuntimeError, match="closed"):
        pool.take()


def test_a_store_that_does_not_open_is_each_querys_error(tmp_path: Path) -> None:
    with WorkerPool(tmp_path / "no-such-store", 1) as pool:
        worker = pool.take()
        assert worker.send({"sparql": "ASK {}", "limit": None, "union": True})
        assert worker.answer().read() == b""
        status = worker.status()
        assert status is not None and status["kind"] == "OSError", status
        pool.give_back(worker)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
