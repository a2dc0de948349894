"""Audit chain (LOG-1, tamper-evident per 001 L460) and the change feed (monotonic, gap-free)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from central import audit
from central.cli import main as cli_main
from tests.central.factories import new_resident, post, tennyu


def _drop_guard(central) -> None:
    with central.engine.begin() as c:
        if central.dialect == "postgresql":
            c.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
        else:
            c.execute(text("DROP TRIGGER audit_log_no_update"))
            c.execute(text("DROP TRIGGER audit_log_no_delete"))


def _some_activity(central, n=3):
    clerk = central.clerk()
    for _ in range(n):
        new_resident(clerk)


def test_audit_rows_cannot_be_updated_or_deleted(central):
    _some_activity(central, 1)
    for stmt in ("UPDATE audit_log SET outcome = 'ok'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with central.engine.begin() as c:
                c.execute(text(stmt))


@pytest.mark.parametrize("tamper", ["edit", "delete", "relink"])
def test_tampering_is_detected_and_names_the_first_broken_row(central, tamper, capsys,
                                                               monkeypatch):
    _some_activity(central)
    with central.sessions() as db:
        report = audit.verify_chain(db)
    assert report.ok and report.rows_checked >= 7
    _drop_guard(central)
    victim = 5
    with central.engine.begin() as c:
        if tamper == "edit":
            c.execute(text("UPDATE audit_log SET operator_login = 'someone' WHERE seq = :s"),
                      {"s": victim})
        elif tamper == "delete":
            c.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": victim})
        else:  # recompute the row's own hash: the next row's link still breaks
            c.execute(text("UPDATE audit_log SET outcome = 'denied', hash = :h WHERE seq = :s"),
                      {"s": victim, "h": "f" * 64})
    with central.sessions() as db:
        report = audit.verify_chain(db)
    assert not report.ok
    assert report.first_broken_seq == victim
    assert report.rows_checked == victim - 1
    # the command-line verifier says the same and fails
    url = central.settings.database_url
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    assert cli_main(["--database-url", url, "audit-verify"]) == 1
    assert f"BROKEN at row {victim}" in capsys.readouterr().out


def test_audit_verify_endpoint_for_security_admin(central):
    _some_activity(central, 1)
    central.operator("sec1", ["security_admin"])
    r = central.client(login_id="sec1").get("/v1/audit/verify")
    assert r.status_code == 200 and r.json()["ok"] is True


def test_change_feed_pages_in_order(central):
    clerk = central.clerk()
    made = [new_resident(clerk) for _ in range(5)]
    seen, cursor = [], 0
    while True:
        page = clerk.get("/v1/changes", params={"cursor": cursor, "limit": 2}).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert [c["entity_id"] for c in seen] == [m["resident_id"] for m in made]
    assert [c["seq"] for c in seen] == sorted(c["seq"] for c in seen)
    assert all(set(c) == {"seq", "entity", "entity_id", "version", "op", "at"} for c in seen)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_change_feed_has_no_gaps_with_concurrent_writers(central):
    """Readers that follow the cursor while writers commit concurrently never skip a change.

    Without the append lock (db.py), PostgreSQL can make seq n+1 visible before seq n commits; a
    reader that advanced its cursor past n would then never see n.
    """
    assert central.dialect == "postgresql"
    writers, per_writer = 6, 15
    clients = [central.clerk() for _ in range(writers)]
    reader = central.clerk()
    done = threading.Event()
    seen: list[int] = []
    errors: list[str] = []

    def write(c):
        try:
            for _ in range(per_writer):
                r = post(c, tennyu())
                if r.status_code != 201:
                    errors.append(r.text)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))

    def read():
        cursor = 0
        while True:
            finished = done.is_set()
            page = reader.get("/v1/changes", params={"cursor": cursor, "limit": 500}).json()
            seen.extend(i["seq"] for i in page["items"])
            cursor = page["next_cursor"]
            if finished and not page["items"]:
                return

    threads = [threading.Thread(target=write, args=(c,)) for c in clients]
    rt = threading.Thread(target=read)
    rt.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    rt.join()
    assert not errors
    with central.engine.connect() as c:
        all_seqs = [r[0] for r in c.execute(text("SELECT seq FROM changes ORDER BY seq"))]
    assert len(all_seqs) >= writers  # the writers did write
    assert seen == all_seqs
