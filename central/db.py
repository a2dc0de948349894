"""Engines and transactions for SQLite (default) and PostgreSQL.

Every request that writes an audit row or a change-feed row takes the *append lock* before it does:
on PostgreSQL a transaction-scoped advisory lock, on SQLite the database write lock (``BEGIN
IMMEDIATE``). Writers therefore commit in the order in which they took their sequence numbers, which
is what keeps the change feed gap-free for readers (a reader can never see seq n+1 committed while seq
n is still in flight) and the audit hash chain linear.
"""
from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Executable

APPEND_LOCK_ID = 0x6D61646F  # "mado"; migration 0008's audit_append takes the same lock
_LOCK = text("SELECT pg_advisory_xact_lock(:k)")


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A writer takes the write lock up front (no deadlocking lock upgrade); a read
            # (READ_ONLY) takes none, so reads run side by side on WAL snapshots instead of queuing
            # behind each other and behind every writer.
            deferred = conn.get_execution_options().get("madoguchi_read_only")
            conn.exec_driver_sql("BEGIN DEFERRED" if deferred else "BEGIN IMMEDIATE")

        return engine
    # A read keeps its connection from authentication to the end of its read (routes/reads.py), so
    # connections in use follow the number of requests in flight: a pool smaller than that closed and reopened
    # "overflow" connections on every request under load (a new PostgreSQL backend each time:
    # measured ≈1 ms of database CPU per lookup at 50 clients). 40 matches the thread pool.
    kwargs.setdefault("pool_size", 40)
    kwargs.setdefault("max_overflow", 10)
    idle_ping = kwargs.pop("idle_ping_seconds", IDLE_PING_SECONDS)
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine, idle_ping)
    return engine


# A pooled PostgreSQL connection is pinged before use only when it has been idle this long. A ping
# on every checkout (pool_pre_ping) cost a round trip each time, two per lookup (#2); a connection
# in steady use has just proved itself, and one that sat idle through a database restart or a
# network drop is the one that needs the check.
IDLE_PING_SECONDS = 5.0


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # the server went away while the connection was idle
            raise DisconnectionError("idle connection failed its ping") from exc
        if not alive:
            raise DisconnectionError("idle connection failed its ping")


# Execution options of a transaction that only reads (pass to ``Session.connection`` before the
# first statement): on SQLite it begins DEFERRED instead of IMMEDIATE; elsewhere it changes nothing.
READ_ONLY: dict[str, bool] = {"madoguchi_read_only": True}


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def take_append_lock(session: Session) -> None:
    """Serialise appends to the audit chain and the change feed until this transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(_LOCK, {"k": APPEND_LOCK_ID})


# PostgreSQL SQL of the hot statements (``rows``), compiled once: statement -> (SQL, fixed params).
_PG_COMPILED: dict[Executable, tuple[str, dict[str, Any]]] = {}


def pg_compiled(dialect, stmt: Executable) -> tuple[str, dict[str, Any]]:
    """``stmt`` as PostgreSQL SQL with psycopg placeholders, and its fixed parameters (cached)."""
    found = _PG_COMPILED.get(stmt)
    if found is None:
        compiled = stmt.compile(dialect=dialect)
        if compiled._bind_processors:  # a type SQLAlchemy converts: not for this path
            raise TypeError("rows(): statement has bind parameters that need conversion")
        fixed = {name: bind.effective_value for name, bind in compiled.binds.items()
                 if not bind.required}
        found = _PG_COMPILED[stmt] = (compiled.string, fixed)
    return found


def hidden_error(sql: str, exc: Exception) -> DBAPIError:
    """A psycopg error raised by our own statements on the driver, as SQLAlchemy's DBAPIError
    without its parameters (they can be personal data or audit content), as SQLAlchemy raises it
    with hide_parameters."""
    import psycopg

    return DBAPIError.instance(sql, {}, exc, psycopg.Error, hide_parameters=True)


def rows(conn: Connection, stmt: Executable, params: dict[str, Any]) -> list[Any]:
    """All rows of ``stmt``, a statement built once (a module constant or a cached one), as rows
    whose columns are attributes named by their labels.

    SQLite: through SQLAlchemy. PostgreSQL: the same SQL, compiled once, run as a prepared
    statement straight on the psycopg connection in the connection's transaction: SQLAlchemy's
    work per execution (≈50-60 µs of CPU: execution context, result set-up, row processing) was a
    tenth of a lookup's CPU for two statements (#2). Only for statements whose parameters and
    columns need no conversion by SQLAlchemy (str, int, date, bytes, JSON, bool):
    test_lookup_path checks that the rows are the ones SQLAlchemy returns. Parameters are never
    put into an error (they can be personal data), as for SQLAlchemy's own hide_parameters.
    """
    if conn.dialect.name != "postgresql":
        return conn.execute(stmt, params).all()
    import psycopg
    from psycopg.rows import namedtuple_row

    sql, fixed = pg_compiled(conn.dialect, stmt)
    pooled = conn.connection
    pg = pooled.driver_connection
    try:
        # One cursor per database connection, kept in the pool entry's info, which SQLAlchemy
        # clears whenever it replaces the connection (so the cursor is always this one's): a new
        # psycopg cursor per statement cost ~5% of a lookup (#2).
        cur = pooled.info.get("madoguchi_cursor")
        if cur is None:
            cur = pooled.info["madoguchi_cursor"] = pg.cursor(row_factory=namedtuple_row)
        cur.execute(sql, {**fixed, **params} if fixed else params, prepare=True)
        return cur.fetchall()
    except psycopg.Error as exc:
        if pg.broken:  # a lost connection is not given back to the pool
            conn.invalidate(exc)
        raise hidden_error(sql, exc) from exc
