"""The warm query processes: same safety as a process per query, without paying for one."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lowcarbon.errors import (
    QueryBusyError,
    QueryError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnsafeQueryError,
)
from lowcarbon.query.pool import QueryPool
from lowcarbon.query.store import refresh_store

ROOT = Path(__file__).resolve().parent.parent
COUNT = (
    "PREFIX lcd: <https://w3id.org/lowcarbon-diplomacy/ontology#> "
    "SELECT (COUNT(?m) AS ?n) WHERE { ?m a lcd:Membership }"
)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pool") / "store"
    refresh_store(path, (ROOT / "exports" / "rdf" / "lowcarbon.nq").read_bytes())
    return path


@pytest.fixture()
def pool(store: Path) -> Iterator[QueryPool]:
    p = QueryPool(store, size=2, timeout=1.0, wait=5.0, max_bytes=100_000)
    p.warm()
    yield p
    p.close()


def count(p: QueryPool) -> int:
    answer = p.run(COUNT, fmt="json")
    assert answer.body is not None
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def test_answers_in_every_format_and_as_a_result(pool: QueryPool) -> None:
    assert count(pool) == 17
    assert pool.run(COUNT, fmt="csv").body == b"n\r\n17\r\n"
    result = pool.run(COUNT).result
    assert result is not None and result.variables == ("n",)
    ask = pool.run("ASK { ?s ?p ?o }").result
    assert ask is not None and ask.boolean is True


def test_the_same_processes_answer_every_query(pool: QueryPool) -> None:
    pids = {w.proc.pid for w in pool.workers}
    for _ in range(30):
        assert count(pool) == 17
    assert {w.proc.pid for w in pool.workers} == pids and pool.replaced == 0


def test_refused_before_any_process_sees_it(pool: QueryPool) -> None:
    with pytest.raises(UnsafeQueryError):
        pool.run("SELECT * WHERE { SERVICE <http://192.0.2.1/> { ?s ?p ?o } }")
    with pytest.raises(UnsafeQueryError):
        pool.run("DROP ALL")
    with pytest.raises(QueryError, match="syntax error"):
        pool.run("SELECT ?x WHERE { ?x ?y }")
    assert pool.replaced == 0 and count(pool) == 17


def test_an_overrun_is_killed_and_replaced(pool: QueryPool) -> None:
    old = {w.proc.pid for w in pool.workers}
    with pytest.raises(QueryTimeoutError, match="longer than 1 s"):
        pool.run(SLOW)
    assert pool.replaced == 1 and len(pool.workers) == 2
    assert len({w.proc.pid for w in pool.workers} - old) == 1
    for _ in range(4):  # both processes answer, the fresh one too
        assert count(pool) == 17


def test_a_result_past_the_size_limit_is_not_sent(pool: QueryPool) -> None:
    with pytest.raises(ResultTooLargeError, match="add a LIMIT"):
        pool.run("SELECT * WHERE { ?s ?p ?o }", fmt="json")
    assert pool.run("SELECT * WHERE { ?s ?p ?o } LIMIT 3", fmt="csv").body is not None


def test_busy_processes_make_a_caller_wait_then_refuse(store: Path) -> None:
    p = QueryPool(store, size=1, timeout=2.0, wait=0.2)
    try:
        p.warm()
        errors: list[Exception] = []

        def overrun() -> None:
            try:
                p.run(SLOW)
            except QueryTimeoutError as exc:
                errors.append(exc)

        slow = threading.Thread(target=overrun)
        slow.start()
        threading.Event().wait(0.3)
        with pytest.raises(QueryBusyError):
            p.run(COUNT)
        slow.join(10)
        assert len(errors) == 1 and count(p) == 17
    finally:
        p.close()


def test_close_ends_every_process(store: Path) -> None:
    p = QueryPool(store, size=2, timeout=2.0)
    p.warm()
    procs = [w.proc for w in p.workers]
    p.close()
    assert all(proc.poll() is not None for proc in procs)
    with pytest.raises(QueryBusyError):
        p.run(COUNT)
