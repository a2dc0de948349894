"""The real main window against the test's central API, as the e2e tests open it: synchronous
background jobs, a workspace with keys in memory (or none), timers out of the way; and the login
page as every window test types into it."""
from __future__ import annotations

from app.keystore import MemoryKeyStore
from app.session import Workspace
from ui.shell.main_window import MainWindow
from ui.common.worker import run_synchronously


def open_window(central, qtbot, terminal_id: str, workspace_dir=None, **kw) -> MainWindow:
    client, key = central.terminal(terminal_id)
    workspace = Workspace(MemoryKeyStore(), workspace_dir) if workspace_dir is not None else None
    win = MainWindow(client, run_synchronously, terminal_id=key.device_id, workspace=workspace,
                     guard_tick_ms=3_600_000, health_interval_ms=3_600_000, **kw)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.client = client
    return win


def type_login(qtbot, win, login_id: str, password: str, *, press_return: bool = False) -> None:
    """Type ``login_id`` and ``password`` on the real login page and send them, by the button or by
    Return in the password field; what follows (a session, an error, the renewal page) is the
    caller's to check. The last login ID stays after a logout, so it is cleared first."""
    from PySide6.QtCore import Qt

    page = win.login_page
    page.login_id_edit.clear()
    qtbot.keyClicks(page.login_id_edit, login_id)
    qtbot.keyClicks(page.password_edit, password)
    if press_return:
        qtbot.keyClick(page.password_edit, Qt.Key.Key_Return)
    else:
        qtbot.mouseClick(page.login_button, Qt.MouseButton.LeftButton)


def log_in(qtbot, central, win, login_id: str, *, press_return: bool = False) -> None:
    """Log ``login_id`` in with its password at ``central`` and see that a session opened."""
    type_login(qtbot, win, login_id, central.passwords[login_id], press_return=press_return)
    assert win.session is not None, win.login_page.error_label.text()


def find_resident(qtbot, win, purpose: str, code: str):
    """Search the register by 住民票コード for ``purpose`` on the real search page; the page, with
    its results shown and nothing selected yet."""
    from PySide6.QtCore import Qt

    search = win.search_page
    search.purpose_combo.setCurrentIndex(search.purpose_combo.findData(purpose))
    qtbot.keyClicks(search.juminhyo_code_edit, code)
    qtbot.mouseClick(search.search_button, Qt.MouseButton.LeftButton)
    return search


def screenshot(window, name: str, widget=None) -> None:
    """Save the window (scrolled to ``widget``) as docs/screens/``name`` when the screenshots are
    being made (scripts/screens_household.py sets MADOGUCHI_SCREENS_OUT); nothing otherwise."""
    import os
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    out = os.environ.get("MADOGUCHI_SCREENS_OUT")
    if not out:
        return
    window.resize(1180, 960)
    QApplication.processEvents()
    page = window.current_page
    if widget is not None and hasattr(page, "scroll"):
        page.scroll.ensureWidgetVisible(widget, 0, 0)
        bar = page.scroll.verticalScrollBar()
        bar.setValue(min(bar.maximum(), widget.mapTo(page.scroll.widget(), widget.rect().topLeft()).y() - 8))
    QApplication.processEvents()
    window.grab().save(str(Path(out) / name))
