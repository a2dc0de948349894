"""Login page (ログイン画面)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.api_client import OperatorSession
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.worker import Runner


class LoginPage(QWidget):
    """職員ID and パスワード; the login call runs through ``runner``.

    Emits ``logged_in(OperatorSession)`` on success, ``factor_required(OperatorSession)`` when
    the centre asks for the face next (AUTH-1).
    """

    logged_in = Signal(object)
    factor_required = Signal(object)
    #: Second factors this terminal can take (ui/pages/face.py); others end the login.
    SUPPORTED_FACTORS = frozenset({"face", "password_renewal"})

    def __init__(
        self,
        client: Any,
        runner: Runner,
        demo_operators: Sequence[dict[str, str]] | None = None,
        *,
        failures: Failures | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self._busy = False

        title = QLabel(self.tr("職員ログイン"))
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)

        self.login_id_edit = QLineEdit()
        self.login_id_edit.setObjectName("loginId")
        self.login_id_edit.setMaxLength(64)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(256)
        self.login_button = QPushButton(self.tr("ログイン"))
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)

        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self.tr("職員ID"), self.login_id_edit)
        form.addRow(self.tr("パスワード"), self.password_edit)

        box = QWidget()
        box.setFixedWidth(440)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(title)
        box_layout.addLayout(form)
        box_layout.addWidget(self.login_button)
        box_layout.addWidget(self.error_label)

        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("demoHint")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.demo_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_hint.setStyleSheet(
            "background: #fff8e1; border: 1px solid #e0c060; padding: 6px; color: #5d4200;"
        )
        if demo_operators:
            lines = [self.tr("デモ用アカウント（架空のデータです）")]
            for op in demo_operators:
                lines.append(
                    fill(
                        self.tr("職員ID: %1　パスワード: %2　（%3）"),
                        op.get("login_id", ""),
                        op.get("password", ""),
                        str(op.get("role", "")).replace(",", ", "),
                    )
                )
            self.demo_hint.setText("\n".join(lines))
            box_layout.addWidget(self.demo_hint)
        else:
            self.demo_hint.hide()

        # Centre with stretches, not alignment flags: an aligned widget loses
        # height-for-width, and wrapped labels (errors, demo hint) get clipped.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.busy)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self.login_button.clicked.connect(self.submit)
        self.login_id_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self.submit)

    # -- behaviour --------------------------------------------------------

    def reset(self) -> None:
        """Back to a blank form (after logout)."""
        self.password_edit.clear()
        self._show_error("")
        self.set_busy(False)
        self.login_id_edit.setFocus()

    def show_message(self, message: str) -> None:
        """Show a message in the error area (e.g. why the operator was logged out)."""
        self._show_error(message)

    def submit(self) -> None:
        if self._busy:
            return
        login_id = self.login_id_edit.text().strip()
        password = self.password_edit.text()
        if not login_id or not password:
            self._show_error(self.tr("職員IDとパスワードを入力してください"))
            (self.password_edit if login_id else self.login_id_edit).setFocus()
            return
        self._show_error("")
        self.set_busy(True)
        client = self._client
        self._runner(lambda: client.login(login_id, password), self._on_success, self._on_error)

    def _on_success(self, session: OperatorSession) -> None:
        self.set_busy(False)
        self.password_edit.clear()
        if session.pending_factors and set(session.pending_factors) <= self.SUPPORTED_FACTORS:
            self.factor_required.emit(session)
            return
        if session.pending_factors:
            # A factor this terminal cannot take (e.g. vein without a reader).
            self._show_error(self.tr("追加の本人認証が必要です。この端末ではまだ対応していません"))
            client = self._client
            self._runner(client.logout, lambda _r: None, lambda _e: None)
            return
        self.logged_in.emit(session)

    def _on_error(self, exc: Exception) -> None:
        self.set_busy(False)
        self.password_edit.clear()
        self._show_error(error_message(exc))
        self.password_edit.setFocus()

    def set_busy(self, busy: bool) -> None:
        """ログイン中…: the button is off while the login (or the window's work after it) runs."""
        self._busy = busy
        self.login_button.setEnabled(not busy)
        self.login_button.setText(self.tr("ログイン中…") if busy else self.tr("ログイン"))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
