"""パスワードの更新 (password renewal, 001: every six months): the login's last step when the
centre says the password is too old. The new password is typed twice; the centre checks it (length,
not the old one, not the login ID) and its message shows beside the field; nothing is logged.
Network in the runner, off the GUI thread."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.api_client import ApiError, OperatorSession
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.ops import Failures
from ui.common.worker import Runner


class PasswordRenewalPage(QWidget):
    """Emits ``renewed(OperatorSession)`` when done, ``cancelled`` when the clerk gives up."""

    renewed = Signal(object)
    cancelled = Signal()

    def __init__(self, client: Any, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._client, self._runner = client, self.busy.wrap(runner)
        self.session: OperatorSession | None = None
        self._busy = False
        title = QLabel(self.tr("パスワードの更新"))
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        title.setFont(font)
        self.intro = QLabel(self.tr("パスワードの有効期間（6か月）が過ぎました。新しいパスワードを設定してください。"
                                    "12文字以上で、職員IDを含まないものにしてください。"))
        self.intro.setWordWrap(True)
        self.current_edit = QLineEdit()
        self.new_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for edit, name in ((self.current_edit, self.tr("現在のパスワード")),
                           (self.new_edit, self.tr("新しいパスワード")),
                           (self.confirm_edit, self.tr("新しいパスワード（確認）"))):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
        self.confirm_edit.returnPressed.connect(self.submit)
        self.error_label = QLabel()
        self.error_label.setObjectName("passwordError")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.submit_button = QPushButton(self.tr("更新してログイン"))
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self.tr("中止してログアウト"))
        self.cancel_button.clicked.connect(self.cancel)
        form = QFormLayout()
        form.addRow(self.tr("現在のパスワード"), self.current_edit)
        form.addRow(self.tr("新しいパスワード"), self.new_edit)
        form.addRow(self.tr("新しいパスワード（確認）"), self.confirm_edit)
        box = QWidget()
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(self.intro)
        inner.addLayout(form)
        inner.addWidget(self.error_label)
        inner.addWidget(self.submit_button)
        inner.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_for(self, session: OperatorSession) -> None:
        self.session = session
        for edit in (self.current_edit, self.new_edit, self.confirm_edit):
            edit.clear()
        self.error_label.clear()
        self.current_edit.setFocus()

    def submit(self) -> None:
        if self._busy or self.session is None:
            return
        current, new = self.current_edit.text(), self.new_edit.text()
        if not current or not new:
            self.error_label.setText(self.tr("現在のパスワードと新しいパスワードを入力してください"))
            return
        if new != self.confirm_edit.text():
            self.error_label.setText(self.tr("確認のパスワードが一致しません"))
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            return
        self._busy = True
        self.submit_button.setEnabled(False)
        client = self._client
        self._runner(lambda: client.change_password(current, new), self._done, self._failed)

    def _done(self, _answer: Any) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        session = getattr(self._client, "session", None) or self.session
        self.session = None
        for edit in (self.current_edit, self.new_edit, self.confirm_edit):
            edit.clear()
        self.renewed.emit(session)

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        message = (exc.detail_ja or error_message(exc)) if isinstance(exc, ApiError) else \
            error_message(exc)
        self.error_label.setText(message)
        if isinstance(exc, ApiError) and exc.field == "current_password":
            self.current_edit.clear()
            self.current_edit.setFocus()
        else:
            self.new_edit.clear()
            self.confirm_edit.clear()
            self.new_edit.setFocus()

    def cancel(self) -> None:
        self.session = None
        self.cancelled.emit()
