"""app.session: when the screen locks and when a session ends (001 L475, 000 L3584, AUTH-7)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from app.api_client import Operator, OperatorSession, SessionPolicy
from app.session import EndReason, SessionClock, Verdict
from app.session_cache import ShredReason

NOW_WALL = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)


def session(idle=5, max_minutes=480, lock_logout=10, expires_in=None):
    expires = None if expires_in is None else NOW_WALL + dt.timedelta(minutes=expires_in)
    return OperatorSession(token="t", expires_at=expires, operator=Operator("c1", "職員"), rights=(),
                           policy=SessionPolicy(idle, max_minutes, lock_logout_minutes=lock_logout))


def clock_for(s, start=1000.0):
    return SessionClock.for_session(s, start, wall_now=NOW_WALL)


def test_idle_for_the_policy_minutes_locks_and_input_postpones_it():
    c = clock_for(session(idle=5))
    assert c.check(1000 + 299).verdict is Verdict.ACTIVE
    assert c.check(1000 + 300).verdict is Verdict.LOCK
    c.touch(1000 + 200)
    assert c.check(1000 + 499).verdict is Verdict.ACTIVE
    assert c.check(1000 + 500).verdict is Verdict.LOCK


def test_input_while_locked_does_not_unlock_and_a_long_lock_ends_the_session():
    c = clock_for(session(idle=5, lock_logout=10))
    c.lock(1300)
    c.touch(1500)  # someone taps the keyboard at the lock screen
    assert c.check(1300 + 599).verdict is Verdict.LOCK
    end = c.check(1300 + 600)
    assert end.verdict is Verdict.END and end.reason is EndReason.IDLE_TIMEOUT
    c.unlock(1400)
    assert c.check(1400 + 299).verdict is Verdict.ACTIVE


def test_session_out_at_the_maximum_length_even_while_working():
    c = clock_for(session(max_minutes=480))  # loan devices: 8 h (000 L3584)
    for t in range(0, 480 * 60, 240):
        c.touch(1000 + t)
        assert c.check(1000 + t).verdict is Verdict.ACTIVE
    end = c.check(1000 + 480 * 60)
    assert end.verdict is Verdict.END and end.reason is EndReason.SESSION_OUT
    assert c.remaining(1000 + 480 * 60) == 0


def test_the_servers_expiry_wins_when_it_comes_first():
    c = clock_for(session(max_minutes=480, expires_in=30))
    assert c.remaining(1000) == pytest.approx(30 * 60)
    assert c.check(1000 + 30 * 60).reason is EndReason.SESSION_OUT


def test_an_already_expired_session_ends_at_once():
    c = clock_for(session(expires_in=-1))
    assert c.check(1000).verdict is Verdict.END


def test_every_end_reason_shreds():
    assert {r.shred_reason for r in EndReason} <= set(ShredReason)
    assert EndReason.REMOTE_DISABLE.shred_reason is ShredReason.REMOTE_DISABLE
    assert EndReason.IDLE_TIMEOUT.shred_reason is ShredReason.IDLE_LOCK


@given(st.lists(st.tuples(st.sampled_from(["touch", "lock", "unlock", "check"]),
                          st.floats(min_value=0, max_value=3600)), max_size=60))
def test_never_active_after_the_session_deadline(steps):
    c = clock_for(session(idle=5, max_minutes=30, lock_logout=10))
    now = 1000.0
    for action, delta in steps:
        now += delta
        if action == "touch":
            c.touch(now)
        elif action == "lock":
            c.lock(now)
        elif action == "unlock":
            c.unlock(now)
        result = c.check(now)
        if now >= 1000 + 30 * 60:
            assert result.verdict is Verdict.END
        if c.locked:
            assert result.verdict is not Verdict.ACTIVE
