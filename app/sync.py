"""同期: one session's sync engine — drain the outbox, then pull the change feed (architecture §4).

``SyncEngine.run_once`` is what a background job calls every few seconds: it sends what is queued
(FIFO, one attempt per run; after a transport failure the next run waits an exponential, jittered
delay), pulls the change feed to its end, and answers a ``SyncStatus`` the window shows (未送信 /
要確認 counts, whether the centre answered). A remote disable or an ended login is reported, not
hidden, so the window can shred and log out. Never called on the GUI thread.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.api_client import ApiError, CentralUnreachable, DeviceDisabled
from app.outbox import (DrainStatus, Outbox, OutboxSender, ReviewItem, central_batch_sender,
                        central_sender)
from app.puller import ChangePuller
from app.session_cache import SessionCache


@dataclass(frozen=True)
class SyncStatus:
    status: DrainStatus
    pending: int
    review: tuple[ReviewItem, ...]
    cursor: int
    skipped: bool = False  # still backing off: nothing was tried

    @property
    def online(self) -> bool:
        return self.status is DrainStatus.DRAINED


class SyncEngine:
    def __init__(self, cache: SessionCache, client: Any, device_id: str, *,
                 clock: Callable[[], float] = time.monotonic, base: float = 1.0,
                 cap: float = 60.0, rng: random.Random | None = None) -> None:
        self.outbox = Outbox(cache, device_id)
        self.sender = OutboxSender(self.outbox, central_sender(client), base=base, cap=cap,
                                   max_failures=1, clock=clock, sleep=lambda _s: None,
                                   rng=rng or random.SystemRandom(),
                                   send_batch=central_batch_sender(client))
        self.puller = ChangePuller(cache, client.changes)
        self._clock = clock
        self._failures = 0
        self._not_before = 0.0

    def _status(self, status: DrainStatus, skipped: bool = False) -> SyncStatus:
        return SyncStatus(status, self.outbox.pending_count(), tuple(self.outbox.review_items()),
                          self.puller.cursor(), skipped)

    def run_once(self) -> SyncStatus:
        now = self._clock()
        if now < self._not_before:
            return self._status(DrainStatus.OFFLINE, skipped=True)
        refused = self._talk(self.puller.start_at_head, now)  # once per session, before sending
        if refused is not None:
            return refused
        report = self.sender.drain()
        if report.status is DrainStatus.OFFLINE:
            return self._offline(now)
        if report.status is not DrainStatus.DRAINED:
            return self._status(report.status)
        refused = self._talk(self.puller.pull_all, now)
        if refused is not None:
            return refused
        self._failures = 0
        self._not_before = 0.0
        return self._status(DrainStatus.DRAINED)

    def _offline(self, now: float) -> SyncStatus:
        self._failures += 1
        self._not_before = now + self.sender.backoff(self._failures)
        return self._status(DrainStatus.OFFLINE)

    def _talk(self, call: Any, now: float) -> SyncStatus | None:
        """Run one feed call; a status to report instead of going on, or None when it worked."""
        try:
            call()
        except CentralUnreachable:
            return self._offline(now)
        except DeviceDisabled:
            return self._status(DrainStatus.DEVICE_DISABLED)
        except ApiError as exc:
            if exc.ends_session:
                return self._status(DrainStatus.SESSION_ENDED)
            raise
        return None
