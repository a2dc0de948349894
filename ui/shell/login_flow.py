"""The login's steps (ログインの流れ, AUTH-1/2): the password on the login page, then each factor the
centre still asks for — the face (``FacePage``), a new password after six months
(``PasswordRenewalPage``) — then the session's encrypted workspace, made in the background, and
only then the session itself (``MainWindow._enter_session``). A login abandoned on the way is
dropped at the centre and leaves nothing on the terminal; a workspace that cannot be made fails
closed. This module only sequences the pages; the rules are the centre's and ``app.session``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from app.api_client import OperatorSession
from app.session import EndReason, Workspace
from ui.common.worker import Runner
from ui.pages.login import LoginClient

log = logging.getLogger(__name__)


class LoginFlow(QObject):
    """``window`` has the pages and the stack; ``enter(session)`` opens the session."""

    def __init__(self, window: Any, client: LoginClient, runner: Runner, workspace: Workspace | None,
                 enter: Callable[[OperatorSession], None]) -> None:
        super().__init__(window)
        self.w, self._client, self._runner = window, client, runner
        self.workspace, self._enter = workspace, enter
        self._opening: OperatorSession | None = None  # logged in, its cache still being made
        w = window
        w.login_page.logged_in.connect(self.logged_in)
        w.login_page.factor_required.connect(self.ask_factor)
        w.face_page.verified.connect(self.after_factor)
        w.password_page.renewed.connect(self.after_factor)
        w.password_page.cancelled.connect(self.cancelled)
        w.face_page.cancelled.connect(self.cancelled)
        w.face_page.ended.connect(self.ended)

    def ask_factor(self, session: OperatorSession) -> None:
        """The password was right; the centre wants the face next (AUTH-1), or a new password
        (six months, 001) once the face is done."""
        if session.pending_factors and session.pending_factors[0] == "password_renewal":
            self.w.stack.setCurrentWidget(self.w.password_page)
            self.w.password_page.show_for(session)
            return
        self.w.stack.setCurrentWidget(self.w.face_page)
        self.w.face_page.show_for(session)

    def after_factor(self, session: OperatorSession) -> None:
        """A factor is done: the next one, or the session itself."""
        if session.pending_factors:
            self.ask_factor(session)
        else:
            self.logged_in(session)

    def abandon(self) -> None:
        """Back to the login page; the half-made login is dropped at the centre."""
        self._runner(self._client.logout, lambda _r: None, lambda _e: None)
        self.w.login_page.reset()
        self.w.stack.setCurrentWidget(self.w.login_page)

    def cancelled(self) -> None:
        self.w.face_page.take_verified_features()  # nothing of an abandoned login is kept
        self.abandon()

    def ended(self, message: str) -> None:
        self.cancelled()
        self.w.login_page.show_message(message)

    def logged_in(self, session: OperatorSession) -> None:
        """The centre accepted the login: make the session's encrypted workspace (a key into the
        keyring and a SQLCipher file: tens of milliseconds, more with a D-Bus keyring) in the
        background, then open the session. The login page stays busy meanwhile."""
        if self.workspace is None:
            self._enter(session)
            return
        workspace, page = self.workspace, self.w.login_page
        self._opening = session
        page.set_busy(True)
        page.busy.wrap(self._runner)(lambda: workspace.open(session),
                                     lambda _cache: self._enter(session), self._workspace_failed)

    def opened(self, session: OperatorSession) -> bool:
        """Whether ``session`` may open now: False (and its cache shredded) when the login was
        ended while its cache was being made."""
        if self.workspace is not None and self._opening is not session:
            self.workspace.end(EndReason.LOGOUT)
            return False
        self._opening = None
        self.w.login_page.set_busy(False)
        return True

    def forget(self) -> None:
        """The session ends: a cache still being made is shredded as soon as it exists."""
        self._opening = None

    def _workspace_failed(self, exc: BaseException) -> None:
        """Fail closed: no encrypted cache, no session."""
        self._opening = None
        log.error("session cache could not be created: %s", type(exc).__name__)
        self.abandon()
        self.w.login_page.show_message(self.tr(
            "端末の作業領域（暗号化キャッシュ）を作成できないため、ログインを中止しました。"
            "情報主管課に連絡してください"))
