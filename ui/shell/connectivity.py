"""Connectivity (中央サーバーとの接続): the health check on a timer, and the session's sync — the
outbox drained and the change feed pulled (``app.sync.SyncEngine``) — on another. One run of each
at a time, always through the runner (never on the GUI thread). What the answers mean for the
session (a disabled terminal, a login that expired) is the shell's to decide: this only reports.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.api_client import ApiError, DeviceDisabled
from app.outbox import DrainStatus
from app.sync import SyncEngine, SyncStatus
from ui.common.worker import Runner
from ui.shell.status import HEALTH_DISABLED, HEALTH_ERROR, HEALTH_OFFLINE, HEALTH_ONLINE

log = logging.getLogger(__name__)


class Connectivity(QObject):
    """``health(state)`` after every check; ``synced(status)`` after every sync run that still
    belongs to the session; ``disabled()`` when the centre has switched this terminal off;
    ``expired()`` when the sync found the login no longer valid."""

    health = Signal(str)
    synced = Signal(object)
    disabled = Signal()
    expired = Signal()

    def __init__(self, client: object, runner: Runner, *, health_interval_ms: int,
                 sync_interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self._health_in_flight = False
        self._sync_in_flight = False
        self.engine: SyncEngine | None = None
        self.status: SyncStatus | None = None
        self.health_timer = QTimer(self)
        self.health_timer.setInterval(health_interval_ms)
        self.health_timer.timeout.connect(self.check_health)
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(sync_interval_ms)
        self.sync_timer.timeout.connect(self.sync_now)

    # -- health ----------------------------------------------------------------------------

    def check_health(self) -> None:
        """Ask the central API whether it is up (one check at a time)."""
        if self._health_in_flight:
            return
        self._health_in_flight = True
        self._runner(self._client.health, self._on_health, self._on_health_error)  # type: ignore[attr-defined]

    def _on_health(self, _result: object) -> None:
        self._health_in_flight = False
        self.health.emit(HEALTH_ONLINE)

    def _on_health_error(self, exc: Exception) -> None:
        self._health_in_flight = False
        if isinstance(exc, DeviceDisabled):
            self.health.emit(HEALTH_DISABLED)
            self.disabled.emit()
        elif isinstance(exc, ApiError):
            self.health.emit(HEALTH_ERROR)
        else:  # CentralUnreachable, or anything unexpected on the way
            self.health.emit(HEALTH_OFFLINE)

    # -- sync (同期) --------------------------------------------------------------------------

    def start_sync(self, engine: SyncEngine) -> None:
        self.engine, self.status = engine, None
        self.sync_timer.start()

    def stop_sync(self) -> None:
        self.sync_timer.stop()
        self.engine, self.status = None, None

    def sync_now(self) -> None:
        """Drain the outbox and pull the change feed in the background (one run at a time)."""
        engine = self.engine
        if engine is None or self._sync_in_flight:
            return
        self._sync_in_flight = True
        self._runner(engine.run_once, lambda status: self._on_synced(engine, status),
                     lambda exc: self._on_sync_error(engine, exc))

    def _on_synced(self, engine: SyncEngine, status: SyncStatus) -> None:
        self._sync_in_flight = False
        if engine is not self.engine:
            return  # the session ended meanwhile
        self.status = status
        if status.status is DrainStatus.DEVICE_DISABLED:
            self.health.emit(HEALTH_DISABLED)
            self.disabled.emit()
            return
        if status.status is DrainStatus.SESSION_ENDED:
            self.expired.emit()
            return
        if not status.skipped:
            self.health.emit(HEALTH_ONLINE if status.online else HEALTH_OFFLINE)
        self.synced.emit(status)

    def _on_sync_error(self, engine: SyncEngine, exc: Exception) -> None:
        self._sync_in_flight = False
        if engine is self.engine:
            log.warning("sync failed: %s", type(exc).__name__)
