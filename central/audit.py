"""監査ログ: the append-only, hash-chained audit log (LOG-1, 001 L460 "容易に改ざんできない").

Each row's hash is SHA-256 over the previous row's hash and the row's own canonical JSON, sequence
number included, so editing, deleting or reordering any row breaks the chain from there on;
``verify_chain`` names the first row that does not verify. Rows never hold a My Number or 4情報:
subjects are record ids ("resident:123"), purposes are codes.

The database also refuses UPDATE and DELETE on the table (a trigger from the migration), so changing
history needs deliberate DDL, which the chain then exposes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import hidden_error, take_append_lock
from .models import AuditEvent, Change

GENESIS = "0" * 64


AT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # a row's ``at``: UTC, part of the hash


def _iso(at: dt.datetime | None = None) -> str:
    return (at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).strftime(AT_FORMAT)


def parse_at(at: str) -> dt.datetime:
    """A row's ``at`` as an aware UTC time (what ``_iso`` wrote)."""
    return dt.datetime.strptime(at, AT_FORMAT).replace(tzinfo=dt.timezone.utc)


def row_hash(prev_hash: str, row: dict[str, Any]) -> str:
    payload = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\n" + payload).encode()).hexdigest()


def _fields(ev: AuditEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq, "at": ev.at, "operator": ev.operator_login, "device": ev.device_id,
        "action": ev.action, "subject": ev.subject, "purpose": ev.purpose,
        "purpose_note": ev.purpose_note, "outcome": ev.outcome, "detail": ev.detail or {},
    }


def payload_parts(fields: dict[str, Any]) -> tuple[str, str]:
    """A row's canonical JSON split around its sequence number, for a row whose seq is not known
    yet: ``pre + str(seq) + post`` is exactly the payload ``row_hash`` hashes (``fields`` has every
    key but "seq"). Keys sort as action, at, detail, device, operator, outcome, purpose,
    purpose_note < seq < subject, so "seq" is the last key but one."""
    rest = {k: v for k, v in fields.items() if k != "subject"}
    head = json.dumps(rest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    tail = json.dumps(fields["subject"], ensure_ascii=False)
    return head[:-1] + ',"seq":', ',"subject":' + tail + "}"


# PostgreSQL: the lock, the chain head and the rows' insert in one statement, whatever their
# number: the function audit_append (migration 0008) computes each row's hash from its payload
# split around the seq (payload_parts) and the hash of the row before it: the same bytes, the same
# SHA-256 as row_hash, so verify_chain is unchanged. As a function it can take the lock and then
# read the head with a fresh snapshot, in one round trip without psycopg's pipeline mode, whose
# loop cost a group more CPU than the statement's own work (#2). The rows travel as one JSON
# parameter: eleven array parameters cost ~270 µs more per group in psycopg's dumping.
PG_APPEND = "SELECT seq, prev_hash, hash FROM audit_append(%(rows)s::json)"


@dataclass(slots=True)
class Entry:
    """An audit row as the group appender handles it: AuditEvent's columns without the ORM (an
    ORM instance cost a lookup as much as a SQL statement, #2). ``seq``, ``prev_hash`` and ``hash``
    are set once it is written."""

    at: str
    operator_login: str | None
    device_id: str | None
    action: str
    subject: str | None
    purpose: str | None
    purpose_note: str | None
    outcome: str
    detail: dict[str, Any]
    seq: int | None = None
    prev_hash: str | None = None
    hash: str | None = None

    @classmethod
    def now(cls, *, action: str, outcome: str, operator: str | None, device: str | None,
            subject: str | None = None, purpose: str | None = None,
            purpose_note: str | None = None, detail: dict[str, Any] | None = None) -> "Entry":
        """A row stamped now, not yet written (what the group appenders queue)."""
        return cls(_iso(), operator, device, action, subject, purpose, purpose_note, outcome,
                   detail or {})

    def fresh(self) -> "Entry":
        """The same row, not yet written (for a retry after a failed transaction)."""
        return replace(self, seq=None, prev_hash=None, hash=None)


def _new_event(action: str, outcome: str, operator: str | None, device: str | None,
               subject: str | None, purpose: str | None, purpose_note: str | None,
               detail: dict[str, Any] | None, at: dt.datetime | None) -> AuditEvent:
    return AuditEvent(at=_iso(at), operator_login=operator, device_id=device, action=action,
                      subject=subject, purpose=purpose, purpose_note=purpose_note,
                      outcome=outcome, detail=detail or {})


def _pg_append(db: Session, ev: AuditEvent, commit: bool) -> AuditEvent:
    """Lock, read the head and insert (and with ``commit``, COMMIT) in one round trip."""
    return _pg_append_many(db, [ev], commit)[0]


def _pg_append_many(db: Session, events: list[AuditEvent], commit: bool) -> list[AuditEvent]:
    """Lock, then read the head and insert the events in order (PG_APPEND, one statement), and
    with ``commit`` COMMIT in the same psycopg pipeline: one round trip.

    With ``commit`` the append lock is held only while the server runs the statement and flushes
    the commit: no Python runs in between, so requests waiting for the lock do not also wait for
    this thread to get the GIL back after a round trip.
    """
    db.flush()  # what the ORM still holds goes first, as a query would autoflush it
    return _pg_insert(db.connection().connection.driver_connection, events, commit)


def _pg_insert(pg, events: list, commit: bool) -> list:
    """``_pg_append_many`` on a psycopg connection: AuditEvents or Entries, in one round trip.

    On a connection in autocommit the statement is its own transaction, durable when it returns.
    Otherwise it joins the caller's transaction, and with ``commit`` the COMMIT travels in the
    same pipeline, so the append lock is held only while the server runs and flushes them."""
    import psycopg

    param = pg_append_param(events)
    try:
        cur = pg.cursor()
        if commit and not pg.autocommit:
            with pg.pipeline():
                cur.execute(PG_APPEND, param)
                pg.commit()
        else:
            cur.execute(PG_APPEND, param, prepare=True)
        pg_written(events, cur.fetchall())
    except psycopg.Error as exc:  # the same exception types as any other statement of ours
        raise hidden_error(PG_APPEND, exc) from exc  # no audit content in logs
    return events  # not in the session: the rows are written


def pg_written(events: list, rows: list) -> None:
    """Each event's seq, prev_hash and hash from what ``PG_APPEND`` returned for them."""
    for ev, row in zip(events, sorted(rows)):  # seq follows the events' order
        ev.seq, ev.prev_hash, ev.hash = row


def pg_append_param(events: list) -> dict[str, str]:
    """The parameter of ``PG_APPEND`` for these rows (AuditEvents or Entries, seq not yet known):
    each row's columns and its payload split around the seq, as one JSON text."""
    rows = []
    for ev in events:
        fields = _fields(ev)
        del fields["seq"]
        pre, post = payload_parts(fields)
        rows.append({"at": ev.at, "operator": ev.operator_login, "device": ev.device_id,
                     "action": ev.action, "subject": ev.subject, "purpose": ev.purpose,
                     "purpose_note": ev.purpose_note, "outcome": ev.outcome, "detail": ev.detail,
                     "pre": pre, "post": post})
    return {"rows": json.dumps(rows, ensure_ascii=False, separators=(",", ":"))}


def append(db: Session, *, action: str, outcome: str, operator: str | None, device: str | None,
           subject: str | None = None, purpose: str | None = None, purpose_note: str | None = None,
           detail: dict[str, Any] | None = None, at: dt.datetime | None = None) -> AuditEvent:
    """Append one event in the caller's transaction (who, when, subject, purpose, terminal).

    ``at`` defaults to now; only imports of past events (and tests) pass it. The chain stays
    linear because every append holds the append lock until its transaction ends (db.py).
    """
    ev = _new_event(action, outcome, operator, device, subject, purpose, purpose_note, detail, at)
    if db.get_bind().dialect.name == "postgresql":
        return _pg_append(db, ev, commit=False)
    return _sqlite_append(db, ev)


def _sqlite_append(db: Session, ev: AuditEvent) -> AuditEvent:
    take_append_lock(db)
    last = db.execute(select(AuditEvent.seq, AuditEvent.hash)
                      .order_by(AuditEvent.seq.desc()).limit(1)).first()
    ev.seq, ev.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    ev.hash = row_hash(ev.prev_hash, _fields(ev))
    db.add(ev)
    db.flush()
    return ev


def append_and_commit(db: Session, **event: Any) -> AuditEvent:
    """``append`` as the last step of the caller's transaction, then commit it: the work and its
    audit row are durable together, or an error is raised and neither is (LOG-1, fail closed).

    On PostgreSQL the COMMIT travels in the append's own pipeline (see ``_pg_append``); the
    session's commit then only ends SQLAlchemy's view of the transaction.
    """
    if db.get_bind().dialect.name == "postgresql":
        ev = _pg_append(db, _new_event(**{"subject": None, "purpose": None,
                                          "purpose_note": None, "detail": None, "at": None,
                                          **event}), commit=True)
    else:
        ev = append(db, **event)
    db.commit()
    return ev


class _Slot:
    """One waiting row. ``wake`` is held from the start and released once, by the thread that
    wrote the row (``done``) or that hands this row's thread the lead."""

    __slots__ = ("event", "done", "error", "wake")

    def __init__(self, event: Entry) -> None:
        self.event, self.done, self.error = event, False, None
        self.wake = threading.Lock()
        self.wake.acquire()


class GroupAppender:
    """グループコミット: audit rows of concurrent requests appended in one transaction.

    ``append`` returns only once its row is durable, or raises: a caller answers nothing it has not
    audited (LOG-1, fail closed). Whoever finds no write under way leads: it takes the waiting rows
    (its own first among them), appends them under one hold of the append lock and commits once;
    the others wait for it. The chain is the same as with ``append`` (one row after another, each
    linked to the one before); what changes is that a group shares one lock wait and one flush to
    disk. When a group's transaction fails, each of its rows is tried alone, so one bad row fails
    only its own request.

    A leader wakes exactly the threads whose rows it wrote, and hands the lead to the oldest row
    still waiting: waking every waiting thread after each group (a shared condition) cost a
    lookup more CPU than its own statements at 50 clients (#2). While nobody leads, nothing waits.
    """

    def __init__(self, sessions, max_group: int = 64) -> None:
        self._sessions, self._max = sessions, max_group
        self._engine = sessions.kw["bind"]
        self._lock = threading.Lock()
        self._waiting: list[_Slot] = []
        self._writing = False

    def append(self, **row: Any) -> Entry:
        """Append one row (``Entry.now``'s keywords); returns once it is durable, or raises."""
        slot = _Slot(Entry.now(**row))
        with self._lock:
            self._waiting.append(slot)
            lead = not self._writing
            self._writing = True
        if not lead:
            slot.wake.acquire()  # written by a leader, or handed the lead
        if not slot.done:
            self._lead()
        if slot.error is not None:
            raise slot.error
        return slot.event

    def _lead(self) -> None:
        """Write one group, whose first row is the caller's own (it was the oldest waiting),
        wake its writers, then pass the lead on or end it."""
        with self._lock:
            group = self._waiting[:self._max]
            del self._waiting[:self._max]
        try:
            self._write(group)
        finally:
            with self._lock:
                successor = self._waiting[0] if self._waiting else None
                self._writing = successor is not None
            for s in group[1:]:
                s.wake.release()
            if successor is not None:
                successor.wake.release()

    def _write(self, group: list[_Slot]) -> None:
        """Append the group's rows; afterwards every row is done, written or with its error."""
        try:
            events = [s.event for s in group]
            if self._engine.dialect.name == "postgresql":
                # A Core connection: the ORM session had nothing to do here but cost CPU (#2).
                # In autocommit the group's one statement is its transaction: no BEGIN, no COMMIT.
                with self._engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT")
                    _pg_insert(conn.connection.driver_connection, events, commit=True)
            else:
                with self._sessions() as db:
                    db.begin()
                    rows = [_sqlite_append(db, AuditEvent(
                        at=e.at, operator_login=e.operator_login, device_id=e.device_id,
                        action=e.action, subject=e.subject, purpose=e.purpose,
                        purpose_note=e.purpose_note, outcome=e.outcome, detail=e.detail))
                        for e in events]
                    db.commit()
                for e, row in zip(events, rows):
                    e.seq, e.prev_hash, e.hash = row.seq, row.prev_hash, row.hash
        except BaseException as exc:
            if len(group) > 1 and isinstance(exc, Exception):
                for s in group:  # fresh rows: the failed transaction's are spent
                    s.event = s.event.fresh()
                    self._write([s])
                return
            for s in group:  # interrupted: none of these rows is known to be written
                s.error, s.done = exc, True
            return
        for s in group:
            s.done = True


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows_checked: int
    first_broken_seq: int | None = None
    reason: str | None = None


def verify_chain(db: Session, batch: int = 5000) -> ChainReport:
    """Walk the whole chain; report the first row whose link or content does not verify."""
    prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = db.scalars(select(AuditEvent).where(AuditEvent.seq > last_seq)
                          .order_by(AuditEvent.seq).limit(batch)).all()
        if not rows:
            return ChainReport(True, checked)
        for ev in rows:
            if ev.seq != expected_seq:
                return ChainReport(False, checked, expected_seq,
                                   f"row {expected_seq} is missing (next row is {ev.seq})")
            if ev.prev_hash != prev:
                return ChainReport(False, checked, ev.seq, "link to the previous row is broken")
            if row_hash(prev, _fields(ev)) != ev.hash:
                return ChainReport(False, checked, ev.seq, "row content does not match its hash")
            prev, expected_seq, checked, last_seq = ev.hash, ev.seq + 1, checked + 1, ev.seq


def record_change(db: Session, *, entity: str, entity_id: int, version: int, op: str,
                  command_id: str | None) -> None:
    """Add a change-feed row (no personal data) under the append lock; see db.py for why."""
    take_append_lock(db)
    db.add(Change(entity=entity, entity_id=entity_id, version=version, op=op,
                  command_id=command_id))
