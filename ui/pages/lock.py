"""画面ロック (lock screen): no personal data, only the locked session's operator may continue.

The operator re-enters the password (checked by the centre, AUTH-7: nobody works under another's
login); another clerk must log the session out first, which shreds the session's cache. The
unlock call runs in the background. Without the centre the lock cannot be lifted (fail closed).
A session the centre ended or a terminal it disabled is the shell's to end (``ui.common.ops``);
an account locked by wrong passwords is this page's to report.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.api_client import OperatorSession
from app.session import EndReason
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures
from ui.common.panel import PanelPage, password_edit
from ui.common.widgets import BusyButton, MessageLine, page_title
from ui.common.worker import Runner


class UnlockClient(Protocol):
    """The call the lock page makes (``CentralClient``)."""

    def unlock(self, password: str) -> None: ...


def _wrapped(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class LockPage(PanelPage):
    """Emits ``unlocked`` after the centre accepted the password, ``logout_requested`` when the
    clerk chooses to log out, ``session_lost(EndReason, message)`` when the centre locked the
    account."""

    unlocked = Signal()
    logout_requested = Signal()
    session_lost = Signal(object, str)

    def __init__(self, client: UnlockClient, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, failures, parent, width=460)
        self._client = client

        self.reason_label = _wrapped("lockReason")
        self.operator_label = _wrapped("lockOperator")
        self.password_edit = password_edit("unlockPassword", self.tr("パスワード"))
        self.unlock_button = BusyButton(self.tr("ロック解除"), self.tr("確認中…"), "unlockButton",
                                        default=True)
        self.logout_button = QPushButton(self.tr("ログアウト（別の職員が使う場合）"))
        self.logout_button.setObjectName("lockLogoutButton")
        self.error_label = MessageLine("unlockError")
        self.add(page_title(self.tr("画面をロックしました"), scale=1.6, name="pageTitle"),
                 self.reason_label, self.operator_label, self.password_edit, self.unlock_button,
                 self.error_label, self.logout_button)

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
        self._say("")
        self._set_busy(self.ops.running)
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if self.ops.running:
            return
        password = self.password_edit.text()
        if not password:
            self._say(self.tr("パスワードを入力してください"))
            return
        self._say("")
        client = self._client
        self.ops.run(lambda: client.unlock(password), self._on_success, self._on_error)

    def _on_success(self, _result: object) -> None:
        self.password_edit.clear()
        self.unlocked.emit()

    def _on_error(self, failure: Failure) -> None:
        self.password_edit.clear()
        if failure.code == "account_locked":
            self.session_lost.emit(EndReason.ACCOUNT_LOCKED, failure.message)
        elif failure.offline:
            self._say(self.tr("中央サーバーに接続できないため、ロックを解除できません。"
                              "接続を確認してもう一度お試しください"))
        else:
            self._say(failure.message)
        self.password_edit.setFocus()

    def _shared_failure(self, exc: BaseException) -> None:
        self.password_edit.clear()  # the shell ends the session; no password stays behind

    def _set_busy(self, busy: bool) -> None:
        self.unlock_button.set_busy(busy)

    def _say(self, text: str, error: bool = True) -> None:
        self.error_label.say(text, True)
