"""パスワードの更新 (password renewal, 001: every six months): the login's last step when the
centre says the password is too old. The new password is typed twice; the centre checks it (length,
not the old one, not the login ID) and its message shows beside the field; nothing is logged.
The call runs in the background, off the GUI thread."""
from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QWidget

from app.api_client import DeviceDisabled, OperatorSession
from ui.common.ops import Failure, Failures
from ui.common.panel import PanelPage, password_edit
from ui.common.widgets import MessageLine, page_title
from ui.common.worker import Runner


class RenewalClient(Protocol):
    """The calls the renewal page makes (``CentralClient``): the login waiting for it."""

    @property
    def session(self) -> OperatorSession | None: ...

    def change_password(self, current_password: str, new_password: str) -> object: ...


class PasswordRenewalPage(PanelPage):
    """Emits ``renewed(OperatorSession)`` when done, ``cancelled`` when the clerk gives up."""

    renewed = Signal(object)
    cancelled = Signal()

    def __init__(self, client: RenewalClient, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, failures, parent, width=560, fixed=False)
        self._client = client
        self.session: OperatorSession | None = None
        self.intro = QLabel(self.tr("パスワードの有効期間（6か月）が過ぎました。新しいパスワードを設定してください。"
                                    "12文字以上で、職員IDを含まないものにしてください。"))
        self.intro.setWordWrap(True)
        labels = (self.tr("現在のパスワード"), self.tr("新しいパスワード"), self.tr("新しいパスワード（確認）"))
        self.current_edit, self.new_edit, self.confirm_edit = (
            password_edit(label=label, placeholder=False) for label in labels)
        self.confirm_edit.returnPressed.connect(self.submit)
        self.error_label = MessageLine("passwordError")
        self.submit_button = QPushButton(self.tr("更新してログイン"))
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self.tr("中止してログアウト"))
        self.cancel_button.clicked.connect(self.cancel)
        form = QFormLayout()
        for label, edit in zip(labels, (self.current_edit, self.new_edit, self.confirm_edit)):
            form.addRow(label, edit)
        self.add(page_title(self.tr("パスワードの更新"), bold=False, scale=1.6, name="pageTitle"),
                 self.intro)
        self.panel_layout.addLayout(form)
        self.add(self.error_label, self.submit_button, self.cancel_button)

    def show_for(self, session: OperatorSession) -> None:
        self.session = session
        self._clear()
        self._say("")
        self.current_edit.setFocus()

    def submit(self) -> None:
        if self.ops.running or self.session is None:
            return
        current, new = self.current_edit.text(), self.new_edit.text()
        if not current or not new:
            self._say(self.tr("現在のパスワードと新しいパスワードを入力してください"))
            return
        if new != self.confirm_edit.text():
            self._say(self.tr("確認のパスワードが一致しません"))
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            return
        client = self._client
        self.ops.run(lambda: client.change_password(current, new), self._done, self._failed)

    def _done(self, _answer: object) -> None:
        session = self._client.session or self.session
        self.session = None
        self._clear()
        self.renewed.emit(session)

    def _failed(self, failure: Failure) -> None:
        problem = failure.problem
        # The centre's Japanese explanation of what a password needs, whatever the language.
        self._say(problem.detail_ja or failure.message if problem is not None else failure.message)
        if problem is not None and problem.field == "current_password":
            self.current_edit.clear()
            self.current_edit.setFocus()
        else:
            self.new_edit.clear()
            self.confirm_edit.clear()
            self.new_edit.setFocus()

    def _shared_failure(self, exc: BaseException) -> None:
        if isinstance(exc, DeviceDisabled):  # no session for the shell to end: said here
            self._failed(Failure(exc))
        else:  # the shell went back to the login, saying why
            self.session = None
            self._clear()

    def cancel(self) -> None:
        self.session = None
        self.cancelled.emit()

    def _clear(self) -> None:
        for edit in (self.current_edit, self.new_edit, self.confirm_edit):
            edit.clear()

    def _set_busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy)

    def _say(self, text: str, error: bool = True) -> None:
        self.error_label.say(text, True)
