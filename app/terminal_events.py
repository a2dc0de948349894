"""端末イベント: what the terminal saw (覗き込み shield, presence lock, camera fault), waiting to be
audited by the centre (PRIV-1). Metadata only: kind, reason code, start, duration; never an image,
never a name.

Events are sent in order; while the centre is unreachable they wait; an event the centre refuses
(it cannot be fixed by retrying) is dropped with a log line so it never blocks the ones after it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.api_client import ApiError, CentralUnreachable

log = logging.getLogger(__name__)

MAX_PENDING = 1000  # bound memory if the centre stays away; the oldest are dropped first


@dataclass(frozen=True)
class TerminalEvent:
    event: str  # privacy_shield | presence_lock | camera_fault
    reason: str
    started_at: dt.datetime
    duration_ms: int


class TerminalEventLog:
    """Pending events, flushed by a background job (``flush(send)``); thread-safe."""

    def __init__(self) -> None:
        self._pending: list[TerminalEvent] = []
        self._lock = threading.Lock()
        self._sending = threading.Lock()
        self.dropped = 0

    def add(self, event: TerminalEvent) -> None:
        with self._lock:
            self._pending.append(event)
            if len(self._pending) > MAX_PENDING:
                del self._pending[0]
                self.dropped += 1

    def pending(self) -> list[TerminalEvent]:
        with self._lock:
            return list(self._pending)

    def flush(self, send: Callable[[str, str, dt.datetime, int], object]) -> int:
        """Send what is pending, oldest first; returns how many were accepted.

        Stops at the first ``CentralUnreachable`` (the rest wait for the next flush)."""
        sent = 0
        with self._sending:
            while True:
                with self._lock:
                    if not self._pending:
                        return sent
                    ev = self._pending[0]
                try:
                    send(ev.event, ev.reason, ev.started_at, ev.duration_ms)
                except CentralUnreachable:
                    return sent
                except ApiError as exc:
                    log.warning("terminal event refused by the centre: %s", exc.code)
                    self.dropped += 1
                else:
                    sent += 1
                with self._lock:
                    if self._pending and self._pending[0] is ev:
                        del self._pending[0]
