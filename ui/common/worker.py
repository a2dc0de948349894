"""Running blocking calls off the GUI thread (バックグラウンド実行).

One small API, the *runner*: ``runner(fn, on_done, on_error)`` calls ``fn()``
somewhere and later calls ``on_done(result)`` or ``on_error(exception)`` on
the GUI thread. Pages and windows receive the runner they should use, so tests
can pass ``run_synchronously`` instead of the real ``BackgroundRunner``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Runner = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]


def run_synchronously(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> None:
    """A runner that calls ``fn`` right away on the calling thread (for tests)."""
    try:
        result = fn()
    except Exception as exc:  # noqa: BLE001 - delivered to the caller's handler
        on_error(exc)
        return
    on_done(result)


class _Relay(QObject):
    """Carries a job's outcome from a pool thread to the GUI thread."""

    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._job_id = job_id
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            outcome, ok = self._fn(), True
        except Exception as exc:  # noqa: BLE001 - delivered to on_error
            outcome, ok = exc, False
        try:
            self._relay.finished.emit(self._job_id, ok, outcome)
        except RuntimeError:
            # The runner was destroyed while the job ran (window closed).
            log.debug("background job %d finished after its runner was deleted", self._job_id)


class BackgroundRunner(QObject):
    """The real runner: a QThreadPool, results delivered back on the GUI thread.

    Create it on the GUI thread. Callbacks of jobs still running when the
    runner is deleted are dropped; call ``wait()`` before shutting down.
    """

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None]]] = {}

    def __call__(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        job_id = next(self._ids)
        self._pending[job_id] = (on_done, on_error)
        self._pool.start(_Job(job_id, fn, self._relay))

    @property
    def pending(self) -> int:
        """How many jobs have not delivered their outcome yet."""
        return len(self._pending)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the running jobs end (their callbacks are not run)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, outcome: Any) -> None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is None:
            return
        on_done, on_error = callbacks
        if ok:
            on_done(outcome)
        else:
            on_error(outcome)


def bracketed(runner: Runner, begin: Callable[[], None], end: Callable[[], None]) -> Runner:
    """``runner`` with ``begin()`` called as each job is handed over and ``end()`` as its outcome
    comes back (before the job's own callback): what a busy indicator or a page's buttons follow."""
    def run(fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[Exception], None]) -> None:
        begin()

        def done(result: Any) -> None:
            end()
            on_done(result)

        def failed(exc: Exception) -> None:
            end()
            on_error(exc)

        runner(fn, done, failed)

    return run


_default_runner: BackgroundRunner | None = None


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Run ``fn`` on a shared ``BackgroundRunner`` (created on first use)."""
    global _default_runner
    if _default_runner is None:
        _default_runner = BackgroundRunner()
    _default_runner(fn, on_done, on_error)
