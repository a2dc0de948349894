"""Login page (ログイン画面): 職員ID and パスワード, the first step of every session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.api_client import DeviceDisabled, OperatorSession
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures
from ui.common.panel import PanelPage, password_edit
from ui.common.widgets import BusyButton, MessageLine, line_edit, page_title
from ui.common.worker import Runner


class LoginClient(Protocol):
    """The calls the login page makes (``CentralClient``)."""

    def login(self, login_id: str, password: str) -> OperatorSession: ...

    def logout(self) -> None: ...


class LoginPage(PanelPage):
    """職員ID and パスワード; the login call runs in the background.

    Emits ``logged_in(OperatorSession)`` on success, ``factor_required(OperatorSession)`` when
    the centre asks for the face next (AUTH-1).
    """

    logged_in = Signal(object)
    factor_required = Signal(object)
    #: Second factors this terminal can take (ui/pages/face.py); others end the login.
    SUPPORTED_FACTORS = frozenset({"face", "password_renewal"})

    def __init__(
        self,
        client: LoginClient,
        runner: Runner,
        demo_operators: Sequence[dict[str, str]] | None = None,
        *,
        failures: Failures | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, failures, parent, width=440)
        self._client = client
        self._busy = False

        self.login_id_edit = line_edit("loginId", max_length=64)
        self.password_edit = password_edit("password")
        self.login_button = BusyButton(self.tr("ログイン"), self.tr("ログイン中…"), "loginButton",
                                       default=True)
        self.error_label = MessageLine("loginError", selectable=True)

        form = QFormLayout()
        form.addRow(self.tr("職員ID"), self.login_id_edit)
        form.addRow(self.tr("パスワード"), self.password_edit)
        self.add(page_title(self.tr("職員ログイン"), scale=1.6, name="pageTitle"))
        self.panel_layout.addLayout(form)
        self.add(self.login_button, self.error_label)

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
            self.add(self.demo_hint)
        else:
            self.demo_hint.hide()

        self.login_button.clicked.connect(self.submit)
        self.login_id_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self.submit)

    # -- behaviour --------------------------------------------------------

    def reset(self) -> None:
        """Back to a blank form (after logout)."""
        self.password_edit.clear()
        self._say("")
        self.set_busy(False)
        self.login_id_edit.setFocus()

    def show_message(self, message: str) -> None:
        """Show a message in the error area (e.g. why the operator was logged out)."""
        self._say(message)

    def submit(self) -> None:
        if self._busy:
            return
        login_id = self.login_id_edit.text().strip()
        password = self.password_edit.text()
        if not login_id or not password:
            self._say(self.tr("職員IDとパスワードを入力してください"))
            (self.password_edit if login_id else self.login_id_edit).setFocus()
            return
        self._say("")
        client = self._client
        self.ops.run(lambda: client.login(login_id, password), self._on_success, self._on_error)

    def _on_success(self, session: OperatorSession) -> None:
        self.password_edit.clear()
        if session.pending_factors and set(session.pending_factors) <= self.SUPPORTED_FACTORS:
            self.factor_required.emit(session)
            return
        if session.pending_factors:
            # A factor this terminal cannot take (e.g. vein without a reader).
            self._say(self.tr("追加の本人認証が必要です。この端末ではまだ対応していません"))
            self.ops.run(self._client.logout, lambda _r: None, lambda _f: None)
            return
        self.logged_in.emit(session)

    def _on_error(self, failure: Failure) -> None:
        self.password_edit.clear()
        self._say(failure.message)
        self.password_edit.setFocus()

    def _shared_failure(self, exc: BaseException) -> None:
        if isinstance(exc, DeviceDisabled):  # no session for the shell to end: said here
            self._on_error(Failure(exc))
        else:
            self.password_edit.clear()

    def set_busy(self, busy: bool) -> None:
        """ログイン中…: the button is off while the login (or the window's work after it) runs."""
        self._busy = busy
        self.login_button.set_busy(busy)

    _set_busy = set_busy

    def _say(self, text: str, error: bool = True) -> None:
        self.error_label.say(text, True)
