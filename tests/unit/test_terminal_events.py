"""app.terminal_events: the terminal's own events reach the centre in order; an unreachable centre
keeps them, a refusal drops only the refused one (PRIV-1 audit)."""
from __future__ import annotations

import datetime as dt

from app.api_client import ApiError, CentralUnreachable
from app.terminal_events import MAX_PENDING, TerminalEvent, TerminalEventLog

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)


def ev(i):
    return TerminalEvent("privacy_shield", "onlooker", T0 + dt.timedelta(seconds=i), 100 * i)


def test_sent_in_order_and_kept_while_unreachable():
    log = TerminalEventLog()
    for i in range(3):
        log.add(ev(i))
    sent, down = [], {"on": True}

    def send(kind, reason, started, ms):
        if down["on"] and ms == 100:
            raise CentralUnreachable()
        sent.append(ms)

    assert log.flush(send) == 1 and sent == [0]
    assert [e.duration_ms for e in log.pending()] == [100, 200]
    down["on"] = False
    assert log.flush(send) == 2 and sent == [0, 100, 200] and log.pending() == []


def test_a_refused_event_does_not_block_the_rest():
    log = TerminalEventLog()
    log.add(ev(1))
    log.add(ev(2))
    sent = []

    def send(kind, reason, started, ms):
        if ms == 100:
            raise ApiError(422, "invalid_request")
        sent.append(ms)

    assert log.flush(send) == 1 and sent == [200] and log.dropped == 1 and log.pending() == []


def test_memory_is_bounded():
    log = TerminalEventLog()
    for i in range(MAX_PENDING + 5):
        log.add(ev(i))
    assert len(log.pending()) == MAX_PENDING and log.dropped == 5
    assert log.pending()[0].duration_ms == 500
