"""#7 point 9: a progress indicator on every wait. Every page of the real main window that hands
work to the background runner does so through its BusyIndicator (a page's operations,
``ui.common.ops.PageOps``, wrap it): from the moment a job is handed over until its result (or
error) arrives, the page shows the indicator and the busy cursor."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.cache.test_session_window import HeldRunner
from ui.common.busy import BusyIndicator
from ui.shell.main_window import MainWindow


class Unreachable:
    """A client whose calls the test never lets the runner make."""

    def __getattr__(self, name):
        def call(*_a, **_k):
            raise AssertionError(f"the client was called: {name}")
        return call


def test_every_page_that_waits_shows_it(qtbot):
    held = HeldRunner()
    held.hold = True
    win = MainWindow(Unreachable(), held, terminal_id="BUSY-0001", guard_tick_ms=3_600_000,
                     health_interval_ms=3_600_000)
    qtbot.addWidget(win)
    win.show()
    pages = [win.stack.widget(i) for i in range(win.stack.count())]
    waiting = [p for p in pages if hasattr(p, "ops") or hasattr(p, "_runner")]
    assert len(waiting) >= 14, [type(p).__name__ for p in pages]
    for page in waiting:
        name = type(page).__name__
        assert isinstance(getattr(page, "busy", None), BusyIndicator), name
        assert page.isAncestorOf(page.busy), name
        win.stack.setCurrentWidget(page)
        results = []
        if hasattr(page, "ops"):
            page.ops.run(lambda: 42, results.append, results.append)
        else:
            page._runner(lambda: 42, results.append, results.append)
        assert page.busy.isVisible() and page.cursor().shape() == Qt.CursorShape.BusyCursor, name
        held.release()
        assert results == [42] and not page.busy.isVisible(), name
        assert page.cursor().shape() != Qt.CursorShape.BusyCursor, name
    win.health_timer.stop()


def test_the_indicator_keeps_its_place_so_the_page_does_not_jump(qtbot):
    page = QWidget()
    busy = BusyIndicator(page)
    assert busy.sizePolicy().retainSizeWhenHidden()
