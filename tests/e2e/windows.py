"""The real main window against the test's central API, as the e2e tests open it: synchronous
background jobs, a workspace with keys in memory (or none), timers out of the way."""
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
