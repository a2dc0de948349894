"""画面ロック・セッションアウトの監視: applies ``app.session.SessionClock`` to the running app.

``SessionGuard`` watches the operator's input application-wide (keys, clicks, wheel, touch) and
checks the clock once a second; it emits ``lock_requested`` when the idle time has run out and
``end_requested(EndReason)`` when the session must end (lock left too long, maximum session length).
The window decides what locking and ending mean; the guard only keeps time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app.api_client import OperatorSession
from app.session import SessionClock, Verdict

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress, QEvent.Type.InputMethod,
})


class SessionGuard(QObject):
    lock_requested = Signal()
    end_requested = Signal(object)  # app.session.EndReason
    ticked = Signal()  # after every check (the window refreshes the time left)

    def __init__(self, clock: Callable[[], float] = time.monotonic, tick_ms: int = 1000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.session_clock: SessionClock | None = None
        self._ended = False
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)
        self._filtering = False

    @property
    def active(self) -> bool:
        return self.session_clock is not None

    def begin(self, session: OperatorSession) -> None:
        self.session_clock = SessionClock.for_session(session, self._clock())
        self._ended = False
        app = QApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False
        self.session_clock = None

    def lock(self) -> None:
        if self.session_clock is not None:
            self.session_clock.lock(self._clock())

    def unlock(self) -> None:
        if self.session_clock is not None:
            self.session_clock.unlock(self._clock())

    def remaining_seconds(self) -> float | None:
        return None if self.session_clock is None else self.session_clock.remaining(self._clock())

    def check(self) -> None:
        """Compare the clock with the deadlines (called by the timer; tests call it directly)."""
        clock = self.session_clock
        if clock is None or self._ended:
            return
        result = clock.check(self._clock())
        if result.verdict is Verdict.END:
            self._ended = True
            self.end_requested.emit(result.reason)
            return
        if result.verdict is Verdict.LOCK and not clock.locked:
            clock.lock(self._clock())
            self.lock_requested.emit()
        self.ticked.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self.session_clock is not None and event.type() in _ACTIVITY:
            self.session_clock.touch(self._clock())
        return False
