"""The register lookup on the event loop (central/aio.py, #2): on PostgreSQL an exact-key lookup
runs on psycopg's AsyncConnection, with the thread path's statements and checks (those are tested
for both paths in test_lookup_path.py and test_direct_routes.py). Here: what the asyncio path adds.
Its pool hands a connection given back on one loop to a lookup waiting on another, fails closed
when none comes, replaces a connection that died while idle and closes with the app; its audit group commit writes a linear chain, fails only the bad row of a group, and fails
closed."""
from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SATimeoutError

from central import aio, audit
from central.models import AuditEvent
from tests.central.test_direct_routes import _code
from tests.central.test_lookup_path import _wait_until


# The asyncio path is PostgreSQL's only: these tests take the PostgreSQL half of ``central``.
on_postgresql = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)


def _on_loop(monkeypatch) -> list[int]:
    """Count the statements the asyncio path runs."""
    calls: list[int] = []
    real = aio.rows

    async def counted(*args, **kwargs):
        calls.append(1)
        return await real(*args, **kwargs)

    monkeypatch.setattr(aio, "rows", counted)
    return calls


def _audited(central, action="resident.search") -> int:
    with central.sessions() as db:
        return len(db.scalars(select(AuditEvent.seq).where(AuditEvent.action == action)).all())


def _chain_ok(central) -> bool:
    with central.sessions() as db:
        return audit.verify_chain(db).ok


def test_only_postgresql_lookups_run_on_the_loop(central, monkeypatch):
    calls = _on_loop(monkeypatch)
    clerk = central.clerk()
    code = _code(central)
    r = clerk.get("/v1/residents", params={"purpose": "inquiry", "juminhyo_code": code})
    assert r.status_code == 200 and r.json()["count"] == 1
    # A 氏名 search is not an exact key: always the thread path.
    r = clerk.get("/v1/residents", params={"purpose": "inquiry", "name": "山田",
                                           "birth_date": "1980-01-01"})
    assert r.status_code == 200
    if central.dialect == "postgresql":
        assert len(calls) == 2  # authentication and the search, for the exact key only
        assert central.app.state.lookup_pool.in_use == 0
    else:
        assert central.app.state.lookup_pool is None and calls == []
    assert _audited(central) == 2 and _chain_ok(central)


@on_postgresql
def test_a_lookup_waits_for_a_connection_given_back_on_another_loop(central, monkeypatch):
    """With every connection in use a lookup waits on its own loop, and a connection given back
    on another loop (another thread) is handed to it; it is then answered and audited."""
    clerk = central.clerk()
    code = _code(central)
    pool = central.app.state.lookup_pool
    taken = []
    while len(taken) < aio.POOL_SIZE:
        taken.append(asyncio.run(pool.take()))
    assert pool.in_use == aio.POOL_SIZE
    calls = _on_loop(monkeypatch)
    answer = {}
    lookup = threading.Thread(target=lambda: answer.setdefault("r", clerk.get(
        "/v1/residents", params={"purpose": "inquiry", "juminhyo_code": code})))
    lookup.start()
    try:
        _wait_until(lambda: len(pool._waiters) == 1)
        assert "r" not in answer and calls == []
    finally:
        for conn in taken:
            asyncio.run(pool.give(conn))
        lookup.join(30)
    assert answer["r"].status_code == 200 and answer["r"].json()["count"] == 1
    assert len(calls) == 2 and _audited(central) == 1 and _chain_ok(central)
    assert pool.in_use == 0 and not pool._waiters


@on_postgresql
def test_a_lookup_that_waits_too_long_fails_closed(central):
    clerk = central.clerk()
    code = _code(central)
    pool = central.app.state.lookup_pool
    taken = [asyncio.run(pool.take()) for _ in range(aio.POOL_SIZE)]
    pool._timeout = 0.2
    try:
        with pytest.raises(SATimeoutError, match="no lookup connection free"):
            clerk.get("/v1/residents", params={"purpose": "inquiry", "juminhyo_code": code})
        assert not pool._waiters and _audited(central) == 0
    finally:
        for conn in taken:
            asyncio.run(pool.give(conn))
    assert pool.in_use == 0


@on_postgresql
def test_a_connection_that_died_while_idle_is_replaced(central, db_url):
    """A database restart or a network drop kills idle connections: the first lookup after it
    pings the idle connection, drops it and opens another, instead of failing."""
    clerk = central.clerk()
    code = _code(central)
    q = {"purpose": "inquiry", "juminhyo_code": code}
    assert clerk.get("/v1/residents", params=q).status_code == 200
    pool = central.app.state.lookup_pool
    conn = asyncio.run(pool.take())
    pid = conn.info.backend_pid
    asyncio.run(pool.give(conn))
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        assert c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    admin.dispose()
    pool._idle_ping = 0.0  # every free connection counts as idle
    r = clerk.get("/v1/residents", params=q)
    assert r.status_code == 200 and r.json()["count"] == 1
    conn = asyncio.run(pool.take())
    assert conn.info.backend_pid != pid
    asyncio.run(pool.give(conn))


@on_postgresql
def test_the_pool_closes_with_the_app(central):
    from fastapi.testclient import TestClient

    clerk = central.clerk()
    code = _code(central)
    pool = central.app.state.lookup_pool
    with TestClient(central.app):  # lifespan: start, then shutdown
        assert clerk.get("/v1/residents", params={"purpose": "inquiry",
                                                  "juminhyo_code": code}).status_code == 200
        conn = asyncio.run(pool.take())
        asyncio.run(pool.give(conn))
    assert conn.closed and asyncio.run(pool.take()) is None and pool.in_use == 0
    assert central.app.state.lookup_audit._kept is None  # the audit writer's, closed too
    # Closed, the pool sends every lookup down the thread path.
    r = clerk.get("/v1/residents", params={"purpose": "inquiry", "juminhyo_code": code})
    assert r.status_code == 200 and r.json()["count"] == 1


def _rows(appender, n, bad=()):
    async def go():
        return await asyncio.gather(*(
            appender.append(action="resident.search", outcome="ok", operator="clerk1",
                            device="T-0001", subject=f"resident:{i}" if i not in bad
                            else "resident:\ud800",  # no database stores a lone surrogate
                            purpose="inquiry", detail={"results": 1})
            for i in range(n)), return_exceptions=True)
    return asyncio.run(go())


@on_postgresql
def test_concurrent_rows_are_grouped_into_one_linear_chain(central, monkeypatch):
    pool = central.app.state.lookup_pool
    appender = aio.AsyncGroupAppender(pool)
    statements: list[int] = []
    insert = appender._insert

    async def counted(events):
        statements.append(len(events))
        await insert(events)

    monkeypatch.setattr(appender, "_insert", counted)
    written = _rows(appender, 40)
    assert [e.seq for e in written] == sorted(e.seq for e in written)
    assert len({e.seq for e in written}) == 40 and sum(statements) == 40
    assert len(statements) < 40  # grouped: rows that waited together went in one statement
    assert _audited(central) == 40 and _chain_ok(central)


@on_postgresql
def test_a_bad_row_fails_alone_and_the_rest_are_written(central):
    appender = aio.AsyncGroupAppender(central.app.state.lookup_pool)
    results = _rows(appender, 6, bad={3})
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(failed) == 1 and isinstance(results[3], BaseException)
    assert _audited(central) == 5 and _chain_ok(central)


@on_postgresql
def test_a_refused_audit_row_is_raised_and_nothing_is_written(central):
    """Fail closed: the caller of append gets the database's refusal (as DBAPIError, without the
    row's content), and the chain has no row for it."""
    with central.engine.begin() as c:
        c.execute(text("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                       "$$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$"))
        c.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON audit_log "
                       "FOR EACH ROW EXECUTE FUNCTION refuse()"))
    appender = aio.AsyncGroupAppender(central.app.state.lookup_pool)
    (result,) = _rows(appender, 1)
    assert isinstance(result, DBAPIError) and "audit store unavailable" in str(result)
    assert "resident:0" not in str(result) and "clerk1" not in str(result)
    assert _audited(central) == 0


@on_postgresql
def test_a_connection_handed_to_a_waiter_cancelled_meanwhile_comes_back(central):
    """The hand-off lands, then the waiter is cancelled before it resumes: the connection goes
    back to the pool instead of being lost (the pool would shrink for good)."""
    pool = central.app.state.lookup_pool

    async def scenario():
        taken = [await pool.take() for _ in range(aio.POOL_SIZE)]
        waiter = asyncio.create_task(pool.take())
        while not pool._waiters:
            await asyncio.sleep(0)
        await pool.give(taken.pop())  # the hand-off is scheduled on this loop...
        waiter.cancel()  # ...and the cancellation right after it
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert pool.in_use == aio.POOL_SIZE - 1 and not pool._waiters
        for conn in taken:
            await pool.give(conn)

    asyncio.run(scenario())
    assert pool.in_use == 0
    conns = asyncio.run(_take_all(pool))
    assert len(conns) == aio.POOL_SIZE  # every connection can still be taken


async def _take_all(pool):
    conns = [await pool.take() for _ in range(aio.POOL_SIZE)]
    for conn in conns:
        await pool.give(conn)
    return conns
