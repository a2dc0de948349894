"""The register lookup path after its optimisation (#2): one joined authentication query, one
transaction per read, the 支援措置 flag inside the read's own query and the audit row appended by one
statement on PostgreSQL. Each test would fail if a shortcut weakened a property: a disabled device,
ended or expired session, suspended operator or revoked grant is refused on the very next lookup;
every lookup leaves exactly one audit row (LOG-1) or none is answered; the chain still verifies and
names the first broken row."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import threading
import time

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import DBAPIError

from central import aio, audit, clock, register
from central.cli import main as cli_main
from central.db import APPEND_LOCK_ID
from central.models import (AuditEvent, Device, Operator, OperatorSession, Resident, RightGrant,
                            SupportMeasure, SupportMeasureRelated)
from tests.central.test_audit_and_feed import _drop_guard

Q = {"purpose": "inquiry", "juminhyo_code": "12345678901"}


def chain_ok(central):
    with central.sessions() as db:
        return audit.verify_chain(db)


def _fields(rng: random.Random) -> dict:
    words = ["resident:1", "照会", "a\"b", "\\", "\u3000", "seq", '"seq":1', "x" * 50, ""]
    detail = {"keys": ["juminhyo_code"], "results": rng.randrange(3), "seq": rng.choice(words),
              "nested": {"seq": 7, "z": [1, None, True]}, "my_number_disclosed": False}
    return {"at": "2026-11-23T01:02:03.000004Z", "operator": rng.choice([None, "clerk1"]),
            "device": rng.choice([None, "T-0001"]), "action": "resident.search",
            "subject": rng.choice([None, *words]), "purpose": rng.choice([None, "inquiry"]),
            "purpose_note": rng.choice([None, *words]), "outcome": "ok",
            "detail": rng.choice([{}, detail])}


def test_payload_parts_are_the_canonical_payload_split_around_seq():
    """The PostgreSQL append hashes pre + seq + post: that must be row_hash's payload, byte for
    byte, or audit-verify would call every new row broken."""
    rng = random.Random(5)
    for _ in range(300):
        fields = _fields(rng)
        seq = rng.randrange(1, 10**12)
        pre, post = audit.payload_parts(fields)
        full = json.dumps(dict(fields, seq=seq), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        assert pre + str(seq) + post == full


def test_every_lookup_is_audited_with_who_what_why_and_where(central):
    """LOG-1: each search and each read leaves one row, in order, and the chain verifies."""
    central.seed(60)
    clerk = central.clerk()
    with central.sessions() as db:
        some = db.scalars(select(Resident).where(Resident.status == "current").limit(5)).all()
    before = len(central.audit_rows())
    for r in some:
        got = clerk.get("/v1/residents", params={"purpose": "identity",
                                                  "juminhyo_code": r.juminhyo_code})
        assert got.status_code == 200 and got.json()["count"] == 1
        got = clerk.get(f"/v1/residents/{r.id}", params={"purpose": "other",
                                                         "purpose_note": "弁護士会照会"})
        assert got.status_code == 200
    new = central.audit_rows()[before:]
    assert [e.action for e in new] == ["resident.search", "resident.read"] * len(some)
    for e, r in zip(new, [r for r in some for _ in (0, 1)]):
        assert e.subject == f"resident:{r.id}" and e.outcome == "ok"
        assert e.operator_login and e.device_id and e.purpose in ("identity", "other")
    assert [e.seq for e in new] == list(range(new[0].seq, new[0].seq + len(new)))
    assert chain_ok(central).ok


def _refuse_audit_inserts(central, on: bool) -> None:
    with central.engine.begin() as c:
        if central.dialect == "postgresql":
            if on:
                c.execute(text("CREATE FUNCTION test_audit_down() RETURNS trigger LANGUAGE plpgsql "
                               "AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$"))
                c.execute(text("CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_log "
                               "FOR EACH ROW EXECUTE FUNCTION test_audit_down()"))
            else:
                c.execute(text("DROP TRIGGER test_audit_down ON audit_log"))
                c.execute(text("DROP FUNCTION test_audit_down()"))
        elif on:
            c.execute(text("CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_log "
                           "BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END"))
        else:
            c.execute(text("DROP TRIGGER test_audit_down"))


def test_a_lookup_whose_audit_row_fails_is_not_answered(central):
    """Fail closed: when the database refuses the audit row, the read is not returned, nothing
    commits, and the next lookup works (no lock or transaction left behind)."""
    central.seed(20)
    clerk = central.clerk()
    with central.sessions() as db:
        code = db.scalar(select(Resident.juminhyo_code).where(Resident.status == "current"))
    q = {"purpose": "inquiry", "juminhyo_code": code}
    assert clerk.get("/v1/residents", params=q).json()["count"] == 1
    before = len(central.audit_rows())
    _refuse_audit_inserts(central, True)
    try:
        with pytest.raises(DBAPIError, match="audit store unavailable"):
            clerk.get("/v1/residents", params=q)
    finally:
        _refuse_audit_inserts(central, False)
    assert len(central.audit_rows()) == before
    assert clerk.get("/v1/residents", params=q).json()["count"] == 1
    assert len(central.audit_rows()) == before + 1
    assert chain_ok(central).ok


def _lookup(client):
    return client.get("/v1/residents", params=Q)


@pytest.mark.parametrize("change, code, status", [
    ("device_disabled", "device_disabled", 403),
    ("session_ended", "session_invalid", 401),
    ("session_expired", "session_invalid", 401),
    ("factor_pending", "session_invalid", 401),
    ("grant_revoked", "forbidden", 403),
    ("grant_expired", "forbidden", 403),
    ("operator_suspended", "forbidden", 403),
    ("employment_ended", "forbidden", 403),
])
def test_a_change_is_refused_on_the_very_next_lookup(central, change, code, status):
    """Nothing about the device, session, operator or grants is cached between requests: each
    change, made straight in the database (as another API process would), refuses the next lookup,
    and the refusal is audited."""
    login = f"c-{change}"
    central.operator(login, ["clerk"])
    term = central.device()
    clerk = central.client(term, login)
    assert _lookup(clerk).status_code == 200
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    yesterday = clock.today() - dt.timedelta(days=1)
    with central.sessions.begin() as db:
        op_id = db.scalar(select(Operator.id).where(Operator.login_id == login))
        stmt = {
            "device_disabled": update(Device).where(Device.device_id == term.device_id)
            .values(status="disabled"),
            "session_ended": update(OperatorSession).where(OperatorSession.operator_id == op_id)
            .values(ended_at=now),
            "session_expired": update(OperatorSession).where(OperatorSession.operator_id == op_id)
            .values(expires_at=now - dt.timedelta(seconds=1)),
            "factor_pending": update(OperatorSession).where(OperatorSession.operator_id == op_id)
            .values(factors_required=["password", "face"]),
            "grant_revoked": update(RightGrant).where(RightGrant.operator_id == op_id)
            .values(revoked_at=now),
            "grant_expired": update(RightGrant).where(RightGrant.operator_id == op_id)
            .values(valid_from=yesterday, valid_until=yesterday),
            "operator_suspended": update(Operator).where(Operator.id == op_id)
            .values(status="suspended"),
            "employment_ended": update(Operator).where(Operator.id == op_id)
            .values(employment_until=yesterday),
        }[change]
        db.execute(stmt)
    before = len(central.audit_rows("resident.search"))
    r = _lookup(clerk)
    assert (r.status_code, r.json()["code"]) == (status, code)
    assert "items" not in r.json()
    refusals = central.audit_rows("resident.search")[before:] or central.audit_rows("device.auth")[-1:]
    assert refusals and refusals[-1].outcome == "denied"
    assert chain_ok(central).ok


def test_other_devices_session_and_one_of_several_grants(central):
    """A session works only on the device that opened it; with two valid grants of which one is
    revoked, the other still counts (rights are the union of today's unrevoked grants)."""
    central.operator("twice", ["clerk", "reviewer"])
    a, b = central.device(), central.device()
    clerk = central.client(a, "twice")
    other = central.client(b)
    other.headers["Authorization"] = clerk.headers["Authorization"]
    r = _lookup(other)
    assert r.status_code == 401 and r.json()["code"] == "session_wrong_device"
    with central.sessions.begin() as db:
        db.execute(update(RightGrant).where(RightGrant.right == "clerk")
                   .values(revoked_at=dt.datetime(2026, 1, 1)))
    assert _lookup(clerk).status_code == 200  # reviewer may still search
    assert clerk.get("/v1/me").json()["rights"][0]["right"] == "reviewer"


def test_support_measure_flag_matches_the_reference_rule(central):
    """The flag computed inside the lookup query equals active_support_ids (targets and
    co-protected persons of measures current today; never perpetrators or ended measures)."""
    central.seed(400, seed=11)
    today = clock.today()
    with central.sessions.begin() as db:
        measures = db.scalars(select(SupportMeasure)).all()
        assert measures, "the synthetic register has 支援措置"
        ended = measures[0]
        ended.start_date, ended.end_date = today - dt.timedelta(days=30), today - dt.timedelta(days=1)
    with central.sessions() as db:
        interesting = set(db.scalars(select(SupportMeasure.target_resident_id)))
        interesting |= {i for i in db.scalars(select(SupportMeasureRelated.resident_id)) if i}
        interesting |= set(db.scalars(select(Resident.id).limit(20)))
        expected = register.active_support_ids(db, sorted(interesting), today)
        codes = dict(db.execute(select(Resident.id, Resident.juminhyo_code)
                                .where(Resident.id.in_(interesting))).all())
    assert expected and expected != interesting
    clerk = central.clerk(("clerk", "my_number_access"))
    for rid in sorted(interesting):
        r = clerk.get("/v1/residents", params={"purpose": "identity", "juminhyo_code": codes[rid],
                                               "include_removed": "true"})
        assert r.status_code == 200, r.text
        assert r.json()["items"][0]["support_measure"] == (rid in expected), rid
        d = clerk.get(f"/v1/residents/{rid}", params={"purpose": "identity"})
        assert d.json()["support_measure"] == (rid in expected), rid


def test_concurrent_lookups_keep_the_chain_linear(central):
    """Many lookups at once: one row each, no gaps, no forks, the chain verifies."""
    clerks = [central.clerk() for _ in range(4)]
    before = len(central.audit_rows())
    errors: list[str] = []

    def run(c):
        for _ in range(15):
            r = _lookup(c)
            if r.status_code != 200:
                errors.append(r.text)

    threads = [threading.Thread(target=run, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    new = central.audit_rows()[before:]
    assert len(new) == 60 and all(e.action == "resident.search" for e in new)
    assert [e.seq for e in new] == list(range(new[0].seq, new[0].seq + 60))
    assert chain_ok(central).ok


def test_verify_still_names_the_first_broken_row_after_fast_appends(central, capsys,
                                                                   monkeypatch):
    """Rows appended by the lookup path are checked like any other: corrupt one, and both
    verify_chain and ``madoguchi-central audit-verify`` name exactly that row."""
    clerk = central.clerk()
    for _ in range(5):
        assert _lookup(clerk).status_code == 200
    target = central.audit_rows("resident.search")[2].seq
    with pytest.raises(DBAPIError, match="append-only"):
        with central.engine.begin() as c:
            c.execute(text("UPDATE audit_log SET purpose = 'tax' WHERE seq = :s"), {"s": target})
    _drop_guard(central)
    with central.engine.begin() as c:
        c.execute(text("UPDATE audit_log SET purpose = 'tax' WHERE seq = :s"), {"s": target})
    report = chain_ok(central)
    assert not report.ok and report.first_broken_seq == target
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    assert cli_main(["--database-url", central.settings.database_url, "audit-verify"]) == 1
    assert f"BROKEN at row {target}" in capsys.readouterr().out


def test_many_more_lookups_than_connections_do_not_deadlock(central, db_url):
    """A read holds its connection from authentication to commit. With a pool of 2 connections
    and 60 lookups at once in one event loop, every lookup is answered well within the pool's
    timeout: requests holding connections never wait for threads held by requests waiting for
    connections (the read runs on its own limiter)."""
    import asyncio
    import time

    import httpx

    from central.api import create_app
    from central.db import make_engine
    from tests.central.signing import TestSigner

    central.operator("many", ["clerk"])
    term = central.device()
    engine = make_engine(db_url, pool_size=2, max_overflow=0, pool_timeout=20)
    app = create_app(central.settings, engine)

    async def main():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://central.test",
                                     auth=TestSigner(term.device_id, term.key)) as c:
            r = await c.post("/v1/sessions", json={"login_id": "many",
                                                   "password": central.passwords["many"]})
            c.headers["Authorization"] = f"Bearer {r.json()['token']}"
            t0 = time.monotonic()
            got = await asyncio.gather(*(c.get("/v1/residents", params=Q) for _ in range(60)))
            return [g.status_code for g in got], time.monotonic() - t0

    try:
        codes, took = asyncio.run(main())
    finally:
        engine.dispose()
    assert codes == [200] * 60
    assert took < 15, took
    assert chain_ok(central).ok


def _hold_append_lock(central):
    """Another connection holding the append lock (as a long append elsewhere would)."""
    conn = central.engine.connect()
    if central.dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": APPEND_LOCK_ID})
    else:
        conn.begin()  # SQLite: BEGIN IMMEDIATE (db.py), the single writer's lock
    return conn


def _release(central, conn):
    if central.dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": APPEND_LOCK_ID})
    else:
        conn.rollback()
    conn.close()


def _wait_until(predicate, timeout=20.0):
    """Wait for a condition another thread makes true (bounded; not a sleep standing in for it)."""
    done = threading.Event()
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        done.wait(0.005)


def _event(i, **kw):
    return {"action": "resident.search", "outcome": "ok", "operator": "clerk1",
            "device": "T-0001", "subject": f"resident:{i}", "purpose": "inquiry", **kw}


def test_group_appender_commits_waiting_rows_together_in_a_linear_chain(central):
    """グループコミット: rows that queue while an append waits for the lock are written by one
    transaction (one lock hold, one flush), each still linked to the one before (LOG-1)."""
    group = audit.GroupAppender(central.sessions)
    commits = []
    def counted(conn):
        commits.append(1)
    event.listen(central.engine, "commit", counted)
    results, errors = {}, []

    def one(i):
        try:
            results[i] = group.append(**_event(i))
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    before = len(central.audit_rows())
    holder = _hold_append_lock(central)
    try:
        threads = [threading.Thread(target=one, args=(i,)) for i in range(12)]
        threads[0].start()
        _wait_until(lambda: group._writing)  # the first leads and waits for the lock
        for t in threads[1:]:
            t.start()
        _wait_until(lambda: len(group._waiting) == 11)  # the rest queue behind it
    finally:
        _release(central, holder)
    for t in threads:
        t.join(30)
    event.remove(central.engine, "commit", counted)
    assert not errors
    new = central.audit_rows()[before:]
    assert sorted(e.subject for e in new) == sorted(f"resident:{i}" for i in range(12))
    assert [e.seq for e in new] == list(range(new[0].seq, new[0].seq + 12))
    assert {results[i].seq for i in range(12)} == {e.seq for e in new}
    assert len(commits) <= 3  # the held lock's rollback aside: the leader alone, then the group
    assert chain_ok(central).ok


def test_a_bad_row_fails_only_its_own_append(central):
    """A group whose transaction fails is retried row by row: the one bad row raises for its
    caller, the others are written, and the chain verifies."""
    group = audit.GroupAppender(central.sessions)
    outcome = {}

    def one(i, **kw):
        try:
            outcome[i] = group.append(**_event(i, **kw)).seq
        except Exception as exc:
            outcome[i] = exc

    before = len(central.audit_rows())
    holder = _hold_append_lock(central)
    try:
        threads = [threading.Thread(target=one, args=(0,))]
        threads += [threading.Thread(target=one, args=(i,), kwargs=(
            {"detail": {"bad": object()}} if i == 3 else {})) for i in range(1, 6)]
        threads[0].start()
        _wait_until(lambda: group._writing)
        for t in threads[1:]:
            t.start()
        _wait_until(lambda: len(group._waiting) == 5)
    finally:
        _release(central, holder)
    for t in threads:
        t.join(30)
    assert isinstance(outcome[3], TypeError), outcome
    assert all(isinstance(outcome[i], int) for i in (0, 1, 2, 4, 5)), outcome
    assert len(central.audit_rows()) == before + 5
    assert chain_ok(central).ok


def test_a_lookup_in_the_middle_of_its_read_does_not_hold_up_a_writer(central, monkeypatch):
    """A read takes no write lock (SQLite: BEGIN DEFERRED, db.READ_ONLY): while a lookup is inside
    its register query, another terminal's write commits at once instead of queuing behind it.
    With the read beginning IMMEDIATE, the writer waited for the reader's whole request. The lookup
    is held just after its register query, its transaction still open (on PostgreSQL that query
    runs on the driver connection, db.rows, so no SQLAlchemy event sees it)."""
    central.seed(20)
    clerk = central.clerk()
    with central.sessions() as db:
        code = db.scalars(select(Resident.juminhyo_code).where(Resident.status == "current")).first()
    inside, go_on, wrote = threading.Event(), threading.Event(), threading.Event()
    reader = {}

    search = register.search

    def pause_in_the_search(*args, **kwargs):
        found = search(*args, **kwargs)
        if not inside.is_set():
            inside.set()
            go_on.wait(30)
        return found

    def lookup():
        reader["status"] = clerk.get("/v1/residents", params={
            "purpose": "inquiry", "juminhyo_code": code}).status_code

    def write():
        with central.sessions.begin() as db:
            db.execute(update(Operator).where(Operator.login_id == "nobody").values(status="active"))
        wrote.set()

    if central.dialect == "postgresql":  # the lookup runs on the event loop (aio.py)
        loop_rows = aio.rows

        async def pause_after_the_search(pool, conn, stmt, params):
            found = await loop_rows(pool, conn, stmt, params)
            if "key" in params and not inside.is_set():  # the register query, not the auth's
                inside.set()
                await asyncio.get_running_loop().run_in_executor(None, go_on.wait, 30)
            return found

        monkeypatch.setattr(aio, "rows", pause_after_the_search)
    else:
        monkeypatch.setattr(register, "search", pause_in_the_search)
    try:
        writer = threading.Thread(target=write)
        threading.Thread(target=lookup).start()
        assert inside.wait(30), "the lookup never reached its register query"
        writer.start()
        assert wrote.wait(10), "the writer queued behind a read"
    finally:
        go_on.set()
        if writer.ident is not None:
            writer.join(30)
        _wait_until(lambda: "status" in reader, timeout=30)
    assert reader["status"] == 200


def test_hot_statements_on_the_driver_give_the_rows_sqlalchemy_gives(central):
    """db.rows runs the lookup's statements straight on psycopg (PostgreSQL): for the
    authentication statement (device, session, operator, grants: AUTHZ-6, DEV-3) and the exact-key
    searches (with the 支援措置 flag and the encrypted My Number, AUTHZ-2), every column of every
    row equals what SQLAlchemy returns, NULLs, dates, JSON and bytes included."""
    from central import security
    from central.db import rows as fast_rows
    from central.security import token_hash

    central.seed(400, seed=11)
    central.operator("both", ["clerk", "my_number_access"])
    term = central.device()
    clerk = central.client(term, "both")
    assert _lookup(clerk).status_code in (200,)
    today = clock.today()
    with central.sessions() as db:
        token = clerk.headers["Authorization"][7:]
        picks = db.execute(select(Resident.juminhyo_code, Resident.my_number_index)
                           .order_by(Resident.id).limit(40)).all()
        cases = [(security._DEVICE_SESSION_RIGHTS,
                  {"device_id": term.device_id, "token_hash": token_hash(token), "today": today}),
                 (security._DEVICE_SESSION_RIGHTS,
                  {"device_id": term.device_id, "token_hash": "0" * 64, "today": today}),
                 (security._DEVICE_ONLY, {"device_id": term.device_id}),
                 (security._DEVICE_ONLY, {"device_id": "no-such-device"})]
        for code, index in picks:
            for removed in (False, True):
                cases.append((register._exact("juminhyo_code", removed),
                              {"today": today, "key": code}))
                cases.append((register._exact("my_number_index", removed),
                              {"today": today, "key": index}))
        conn = db.connection()
        for stmt, params in cases:
            expected = conn.execute(stmt, params).all()
            got = fast_rows(conn, stmt, params)
            assert [tuple(r) for r in got] == [tuple(r) for r in expected]
            assert [r._fields for r in got[:1]] == [tuple(r._fields) for r in expected[:1]]
        assert any(fast_rows(conn, s, p) for s, p in cases[4:])


def test_a_lookup_issues_a_fixed_small_number_of_statements(central, monkeypatch):
    """The lookup's database work per request, counted (#2): on PostgreSQL the authentication
    statement and the search outside any transaction (autocommit: under READ COMMITTED a BEGIN and
    COMMIT around two SELECTs bought no consistency and cost two round trips), then for its audit
    row (LOG-1, a group of one) one call of audit_append (lock, chain head, insert), its own
    transaction in autocommit, all on the driver and none through SQLAlchemy's execution; on SQLite BEGIN DEFERRED, authentication, search,
    then BEGIN IMMEDIATE, the chain head and the insert. A lazy load, an extra session or a query
    per row would add statements here and fail the test. My Numbers are decrypted (AUTHZ-2)
    without any. Afterwards every pooled connection is transactional again (a writer that got an
    autocommit connection would commit statement by statement)."""
    import psycopg

    central.seed(30)
    clerk = central.clerk(("clerk", "my_number_access"))
    with central.sessions() as db:
        codes = db.scalars(select(Resident.juminhyo_code).where(Resident.status == "current")
                           .limit(5)).all()
    assert _lookup(clerk).status_code == 200  # warm: prepared statements, pool
    through_sqlalchemy: list[str] = []

    def seen(conn, cursor, statement, *args):
        through_sqlalchemy.append(statement.split()[0])

    on_driver: list[str] = []
    execute = psycopg.Cursor.execute

    def counted(self, query, *args, **kwargs):
        words = str(query).split() or [";"]
        on_driver.append("audit_append" if "audit_append(" in str(query) else words[0])
        return execute(self, query, *args, **kwargs)

    commands: list[str] = []  # BEGIN / COMMIT / ROLLBACK: psycopg sends them on its own path
    exec_command = psycopg.Connection._exec_command

    def command(self, cmd, *args, **kwargs):
        commands.append((bytes(cmd) if isinstance(cmd, (bytes, bytearray)) else str(cmd).encode())
                        .split()[0].decode())
        return exec_command(self, cmd, *args, **kwargs)

    execute_on_loop = psycopg.AsyncCursor.execute  # the lookup's asyncio path (aio.py)

    async def counted_on_loop(self, query, *args, **kwargs):
        words = str(query).split() or [";"]
        on_driver.append("audit_append" if "audit_append(" in str(query) else words[0])
        return await execute_on_loop(self, query, *args, **kwargs)

    exec_command_on_loop = psycopg.AsyncConnection._exec_command

    async def command_on_loop(self, cmd, *args, **kwargs):
        commands.append((bytes(cmd) if isinstance(cmd, (bytes, bytearray)) else str(cmd).encode())
                        .split()[0].decode())
        return await exec_command_on_loop(self, cmd, *args, **kwargs)

    from central import security
    monkeypatch.setattr(security, "_last_purge", [float("inf")])  # no purge of old nonces now
    event.listen(central.engine, "before_cursor_execute", seen)
    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    monkeypatch.setattr(psycopg.Connection, "_exec_command", command)
    monkeypatch.setattr(psycopg.AsyncCursor, "execute", counted_on_loop)
    monkeypatch.setattr(psycopg.AsyncConnection, "_exec_command", command_on_loop)
    try:
        for code in codes:
            r = clerk.get("/v1/residents", params={"purpose": "inquiry", "juminhyo_code": code})
            assert r.status_code == 200 and r.json()["count"] == 1
            assert r.json()["items"][0]["my_number_disclosed"]
    finally:
        event.remove(central.engine, "before_cursor_execute", seen)
    n = len(codes)
    if central.dialect == "postgresql":
        assert through_sqlalchemy == []
        # No connection checks: pooled connections in steady use are not pinged (db.IDLE_PING_SECONDS)
        # authentication, search, and the audit row: SELECT ... FROM audit_append(...) in
        # autocommit (audit.PG_APPEND, one statement per group, its own transaction)
        # authentication, the signature's nonce (#21 class 5), search, and the audit row
        assert sorted(on_driver) == sorted(["SELECT", "INSERT", "SELECT", "audit_append"] * n), \
            on_driver
        assert commands == [], commands
        idle = [central.engine.connect() for _ in range(central.engine.pool.checkedin())]
        try:
            assert idle and not any(c.connection.driver_connection.autocommit for c in idle)
        finally:
            for c in idle:
                c.close()
    else:
        # the read (BEGIN DEFERRED, authentication, search), the nonce in a write of its own
        # (#21 class 5), then the audit row (BEGIN IMMEDIATE, chain head, insert)
        assert sorted(through_sqlalchemy) == sorted(["BEGIN", "SELECT", "SELECT", "BEGIN", "INSERT",
                                                     "BEGIN", "SELECT", "INSERT"] * n)


def test_no_request_reaches_an_opentelemetry_provider_configured_on_the_host(central, monkeypatch):
    """FastAPI's built-in telemetry would export a search's URL query (氏名, 住所, 生年月日) and
    exception texts to any OpenTelemetry provider configured on the host; the central API keeps
    it off (LOG-1: personal data leaves only through the audited path). The control, a default
    FastAPI app, does reach the provider, so the test can tell the difference."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from opentelemetry import metrics, trace

    asked: list[str] = []

    class Recording(trace.TracerProvider):
        def get_tracer(self, name, *args, **kwargs):
            asked.append(name)
            return trace.NoOpTracer()

    class RecordingMeters(metrics.NoOpMeterProvider):
        def get_meter(self, name, *args, **kwargs):
            asked.append(name)
            return super().get_meter(name, *args, **kwargs)

    monkeypatch.setattr(trace, "get_tracer_provider", Recording)
    monkeypatch.setattr(metrics, "get_meter_provider", RecordingMeters)
    control = FastAPI()
    control.get("/ping")(lambda: {"ok": True})
    with TestClient(control) as c:
        assert c.get("/ping", params={"name": "山田 太郎"}).status_code == 200
    assert asked, "the control app should have asked the provider for a tracer"
    asked.clear()
    central.seed(5)
    clerk = central.clerk()
    r = clerk.get("/v1/residents", params={"purpose": "inquiry", "name": "山田 太郎",
                                            "birth_date": "1980-01-02"})
    assert r.status_code == 200
    assert clerk.get("/v1/residents", params={"purpose": "inquiry"}).status_code == 422
    assert asked == []


def test_one_statement_group_append_hashes_every_row_as_verify_does(central):
    """PostgreSQL appends a group with one call of audit_append (migration 0008): each
    row's hash, computed by the server, must be row_hash of the row before it and its canonical
    JSON, for rows with quotes, backslashes, 全角 spaces, "seq" inside values and NULLs, or
    audit-verify would name the first of them broken (LOG-1). SQLite writes the same group row
    by row (the reference)."""
    rng = random.Random(11)
    group = []
    for _ in range(25):
        f = _fields(rng)
        group.append(audit.Entry(f["at"], f["operator"], f["device"], f["action"], f["subject"],
                                 f["purpose"], f["purpose_note"], f["outcome"], f["detail"]))
    slots = [audit._Slot(e) for e in group]
    audit.GroupAppender(central.sessions)._write(slots)  # one group, as a leader writes it
    assert all(s.done and s.error is None for s in slots)
    seqs = [e.seq for e in group]
    assert seqs == list(range(seqs[0], seqs[0] + 25))
    assert all(b.prev_hash == a.hash for a, b in zip(group, group[1:]))
    assert chain_ok(central).ok
    with central.sessions() as db:
        stored = db.scalars(select(AuditEvent).where(AuditEvent.seq >= seqs[0])
                            .order_by(AuditEvent.seq)).all()
    assert [(e.subject, e.purpose_note, e.detail, e.hash) for e in stored] == \
        [(e.subject, e.purpose_note, e.detail, e.hash) for e in group]


def test_the_search_is_the_first_route_tried_and_every_other_route_still_answers(central):
    """The everyday lookup is matched first (#2); moving it must not shadow any other route."""
    routes = central.app.router.routes
    assert routes[0].path == "/v1/residents"
    clerk = central.clerk()
    assert clerk.get("/v1/residents", params={"purpose": "inquiry"}).status_code == 422
    assert clerk.get("/v1/residents/999999", params={"purpose": "inquiry"}).status_code == 404
    assert clerk.get("/v1/me").status_code == 200
