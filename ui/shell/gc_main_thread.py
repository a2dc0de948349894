"""Cyclic garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a threshold is
crossed. When that is a camera or card worker thread and the garbage holds PySide wrappers of Qt
objects, shiboken has to hand their deletion to the main thread, and PySide 6.12 crashes doing
so (seen as SIGSEGV in ``Shiboken::BindingManager::runDeletionInMainThread`` while the presence
check was embedding faces on the camera thread). So, as qutebrowser does, automatic collection is
switched off and the GUI thread collects on a timer, generation by generation, with the same
thresholds Python would use.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class MainThreadGarbageCollector(QObject):
    """Runs ``gc.collect`` on the GUI thread when the generation counts say Python would have."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._thresholds = gc.get_threshold()

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds; returns what was freed."""
        g0, g1, g2 = gc.get_count()
        t0, t1, t2 = self._thresholds
        if g2 > t2 and g1 > t1 and g0 > t0:
            return gc.collect(2)
        if g1 > t1 and g0 > t0:
            return gc.collect(1)
        if g0 > t0:
            return gc.collect(0)
        return 0
