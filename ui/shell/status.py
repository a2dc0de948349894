"""The terminal's status bar (状態表示): connection to the centre, terminal id, the session's time
left, notices of the composition root (開発用鍵ストア, 仮想カメラ, …), what waits in the outbox and the
要確認 list, and the security admin's enrolment button. Widgets only; the shell decides what to show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar

from app.sync import SyncStatus
from ui.common.i18n import fill

#: Connectivity states shown in the status bar (中央サーバーとの接続状態).
HEALTH_CHECKING = "checking"
HEALTH_ONLINE = "online"
HEALTH_OFFLINE = "offline"
HEALTH_DISABLED = "disabled"
HEALTH_ERROR = "error"


class TerminalStatus(QStatusBar):
    """The window's status bar, with the permanent widgets the shell shows."""

    def __init__(self, terminal_id: str, notices: Sequence[str], *,
                 on_review: Callable[[], None], on_enrol: Callable[[], None]) -> None:
        super().__init__()
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionStatus")
        self.terminal_label = QLabel(fill(self.tr("端末ID: %1"), terminal_id))
        self.terminal_label.setObjectName("terminalId")
        self.session_label = QLabel()
        self.session_label.setObjectName("sessionRemaining")
        self.notice_labels = []
        for notice in notices:
            label = QLabel(notice)
            label.setObjectName("terminalNotice")
            label.setStyleSheet("color: #8a5300; font-weight: bold; padding: 0 8px;")
            self.notice_labels.append(label)
            self.addPermanentWidget(label)
        self.outbox_label = QLabel()
        self.outbox_label.setObjectName("outboxPending")
        self.review_button = QPushButton()
        self.review_button.setObjectName("reviewListButton")
        self.review_button.setFlat(True)
        self.review_button.setStyleSheet("color: #b00020; font-weight: bold;")
        self.review_button.hide()
        self.review_button.clicked.connect(on_review)
        self.enrol_button = QPushButton(self.tr("顔認証の登録"))
        self.enrol_button.setObjectName("enrolFaceButton")
        self.enrol_button.setFlat(True)
        self.enrol_button.hide()
        self.enrol_button.clicked.connect(on_enrol)
        for widget in (self.review_button, self.enrol_button, self.outbox_label, self.session_label,
                       self.connection_label, self.terminal_label):
            self.addPermanentWidget(widget)
        self.show_health(HEALTH_CHECKING)

    def show_health(self, state: str) -> None:
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

    def show_sync(self, status: SyncStatus) -> None:
        """What waits in the outbox, and the 要確認 list's count."""
        self.outbox_label.setText(fill(self.tr("未送信 %1件"), status.pending) if status.pending else "")
        self.review_button.setText(fill(self.tr("要確認 %1件"), len(status.review)))
        self.review_button.setVisible(bool(status.review))

    def show_remaining(self, seconds: float | None) -> None:
        if seconds is None:
            self.session_label.clear()
            return
        minutes = int(seconds // 60)
        self.session_label.setText(fill(self.tr("残り時間 %1:%2"), minutes // 60, f"{minutes % 60:02d}"))

    def session_over(self) -> None:
        """Nothing of the session stays in the status bar."""
        self.outbox_label.clear()
        self.review_button.hide()
        self.enrol_button.hide()
        self.session_label.clear()
