"""Pooled PostgreSQL connections are checked before use only after they sat idle (#2).

A ping on every checkout cost two round trips per lookup; a connection that went idle through a
database restart or a dropped network must still never reach a request (fail closed, not a 500).
The server end of an idle pooled connection is killed with pg_terminate_backend, as a restart does.
"""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from central.db import make_engine


def _kill_idle_backend(cluster, pid: int) -> None:
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    admin.dispose()


def _pooled_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def test_an_idle_connection_killed_under_the_pool_is_replaced_before_use(pg_cluster):
    engine = make_engine(pg_cluster.url(), pool_size=1, max_overflow=0, idle_ping_seconds=0.0)
    try:
        pid = _pooled_pid(engine)
        _kill_idle_backend(pg_cluster, pid)
        with engine.connect() as conn:  # the ping fails, the pool opens a new connection
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(pg_cluster):
    """The other side of the rule: within the idle time nothing is checked, so a killed connection
    is only noticed by the statement itself (here the test proves the ping is really skipped)."""
    engine = make_engine(pg_cluster.url(), pool_size=1, max_overflow=0, idle_ping_seconds=3600.0)
    pings = []
    real = engine.dialect.do_ping
    engine.dialect.do_ping = lambda c: pings.append(c) or real(c)
    try:
        pid = _pooled_pid(engine)
        _kill_idle_backend(pg_cluster, pid)
        with pytest.raises(OperationalError):
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        assert pings == []
        with engine.connect() as conn:  # the failure invalidated the pool: the next one is fresh
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        engine.dispose()
