"""The terminal's main window (窓口端末のメインウィンドウ)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from app.api_client import ApiError, DeviceDisabled, OperatorSession
from ui.i18n import fill
from ui.login_page import LoginPage
from ui.search_page import SearchPage
from ui.worker import Runner

#: Connectivity states shown in the status bar (中央サーバーとの接続状態).
HEALTH_CHECKING = "checking"
HEALTH_ONLINE = "online"
HEALTH_OFFLINE = "offline"
HEALTH_DISABLED = "disabled"
HEALTH_ERROR = "error"


class MainWindow(QMainWindow):
    """Status bar (connectivity, terminal id) over a stack of pages.

    ``health_changed(state)`` is emitted after every health check.
    """

    health_changed = Signal(str)

    def __init__(
        self,
        client: Any,
        runner: Runner,
        terminal_id: str,
        demo_operators: Sequence[dict[str, str]] | None = None,
        health_interval_ms: int = 15_000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self._health_in_flight = False
        self.health_state: str | None = None

        self.setWindowTitle(self.tr("窓口端末 — Madoguchi"))
        self.resize(1180, 760)

        self.stack = QStackedWidget()
        self.login_page = LoginPage(client, runner, demo_operators)
        self.search_page = SearchPage(client, runner)
        self.stack.addWidget(self.login_page)
        self.stack.addWidget(self.search_page)
        self.setCentralWidget(self.stack)

        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionStatus")
        self.terminal_label = QLabel(fill(self.tr("端末ID: %1"), terminal_id))
        self.terminal_label.setObjectName("terminalId")
        self.statusBar().addPermanentWidget(self.connection_label)
        self.statusBar().addPermanentWidget(self.terminal_label)
        self._show_health(HEALTH_CHECKING)

        self.login_page.logged_in.connect(self._on_logged_in)
        self.search_page.logout_requested.connect(self.logout)
        self.search_page.session_ended.connect(self._on_session_ended)

        self.health_timer = QTimer(self)
        self.health_timer.setInterval(health_interval_ms)
        self.health_timer.timeout.connect(self.check_health)
        self.health_timer.start()
        self.check_health()

    # -- pages -----------------------------------------------------------

    @property
    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def _on_logged_in(self, session: OperatorSession) -> None:
        self.search_page.set_session(session)
        self.stack.setCurrentWidget(self.search_page)
        self.search_page.purpose_combo.setFocus()

    def logout(self) -> None:
        """Log out on the server (in the background) and return to the login page at once."""
        self.search_page.set_session(None)
        self.login_page.reset()
        self.stack.setCurrentWidget(self.login_page)
        # The client forgets its token even if the server cannot be told.
        self._runner(self._client.logout, lambda _result: None, lambda _exc: None)

    def _on_session_ended(self, message: str) -> None:
        """The server ended the login: back to the login page, saying why."""
        self.logout()
        self.login_page.show_message(message)

    # -- connectivity ----------------------------------------------------

    def check_health(self) -> None:
        """Ask the central API whether it is up (one check at a time)."""
        if self._health_in_flight:
            return
        self._health_in_flight = True
        self._runner(self._client.health, self._on_health, self._on_health_error)

    def _on_health(self, _result: object) -> None:
        self._health_in_flight = False
        self._show_health(HEALTH_ONLINE)

    def _on_health_error(self, exc: Exception) -> None:
        self._health_in_flight = False
        if isinstance(exc, DeviceDisabled):
            self._show_health(HEALTH_DISABLED)
        elif isinstance(exc, ApiError):
            self._show_health(HEALTH_ERROR)
        else:  # CentralUnreachable, or anything unexpected on the way
            self._show_health(HEALTH_OFFLINE)

    def _show_health(self, state: str) -> None:
        texts = {
            HEALTH_CHECKING: (self.tr("中央サーバー: 確認中…"), "#555555"),
            HEALTH_ONLINE: (self.tr("中央サーバー: オンライン"), "#1b5e20"),
            HEALTH_OFFLINE: (self.tr("中央サーバー: オフライン"), "#b00020"),
            HEALTH_DISABLED: (self.tr("この端末は利用停止されています"), "#b00020"),
            HEALTH_ERROR: (self.tr("中央サーバー: 応答異常"), "#b26a00"),
        }
        text, color = texts[state]
        self.connection_label.setText(f"● {text}" if state != HEALTH_CHECKING else text)
        self.connection_label.setStyleSheet(f"color: {color}; font-weight: bold; padding: 0 8px;")
        if state == HEALTH_CHECKING:
            return
        self.health_state = state
        self.health_changed.emit(state)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.health_timer.stop()
        super().closeEvent(event)
