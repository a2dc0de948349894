"""画面ロック (lock screen): no personal data, only the locked session's operator may continue.

The operator re-enters the password (checked by the centre, AUTH-7: nobody works under another's
login); another clerk must log the session out first, which shreds the session's cache. The
unlock call runs through the runner. Without the centre the lock cannot be lifted (fail closed).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.api_client import ApiError, CentralUnreachable, DeviceDisabled, OperatorSession
from app.session import EndReason
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.worker import Runner


class LockPage(QWidget):
    """Emits ``unlocked`` after the centre accepted the password, ``logout_requested`` when the
    clerk chooses to log out, ``session_lost(EndReason, message)`` when the centre ended it."""

    unlocked = Signal()
    logout_requested = Signal()
    session_lost = Signal(object, str)

    def __init__(self, client: Any, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self._busy = False

        title = QLabel(self.tr("画面をロックしました"))
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("lockReason")
        self.reason_label.setWordWrap(True)
        self.operator_label = QLabel()
        self.operator_label.setObjectName("lockOperator")
        self.operator_label.setWordWrap(True)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("unlockPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(256)
        self.password_edit.setPlaceholderText(self.tr("パスワード"))
        self.password_edit.setAccessibleName(self.tr("パスワード"))
        self.unlock_button = QPushButton(self.tr("ロック解除"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.logout_button = QPushButton(self.tr("ログアウト（別の職員が使う場合）"))
        self.logout_button.setObjectName("lockLogoutButton")
        self.error_label = QLabel()
        self.error_label.setObjectName("unlockError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error_label.hide()

        box = QWidget()
        box.setFixedWidth(460)
        layout = QVBoxLayout(box)
        for widget in (title, self.reason_label, self.operator_label, self.password_edit,
                       self.unlock_button, self.error_label, self.logout_button):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.busy)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self.unlock_button.clicked.connect(self.submit)
        self.password_edit.returnPressed.connect(self.submit)
        self.logout_button.clicked.connect(self.logout_requested)

    def show_for(self, session: OperatorSession, reason: str) -> None:
        """Prepare the page for ``session``, saying why the screen locked."""
        self.reason_label.setText(reason)
        self.operator_label.setText(fill(
            self.tr("%1 さん（%2）の作業を保留しています。本人がパスワードを入力すると再開します。"),
            session.operator.display_name, session.operator.login_id))
        self.password_edit.clear()
        self._show_error("")
        self._set_busy(False)
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if self._busy:
            return
        password = self.password_edit.text()
        if not password:
            self._show_error(self.tr("パスワードを入力してください"))
            return
        self._set_busy(True)
        self._show_error("")
        client = self._client
        self._runner(lambda: client.unlock(password), self._on_success, self._on_error)

    def _on_success(self, _result: object) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.unlocked.emit()

    def _on_error(self, exc: Exception) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        if isinstance(exc, DeviceDisabled):
            self.session_lost.emit(EndReason.REMOTE_DISABLE, error_message(exc))
        elif isinstance(exc, ApiError) and exc.code == "account_locked":
            self.session_lost.emit(EndReason.ACCOUNT_LOCKED, error_message(exc))
        elif isinstance(exc, ApiError) and exc.ends_session:
            self.session_lost.emit(EndReason.SERVER_ENDED, error_message(exc))
        elif isinstance(exc, CentralUnreachable):
            self._show_error(self.tr("中央サーバーに接続できないため、ロックを解除できません。"
                                     "接続を確認してもう一度お試しください"))
        else:
            self._show_error(error_message(exc))
        self.password_edit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText(self.tr("確認中…") if busy else self.tr("ロック解除"))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
