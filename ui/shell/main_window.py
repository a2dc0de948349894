"""The terminal's main window (窓口端末のメインウィンドウ): a stack of pages under a status bar, and the
session's life — login → (face, password renewal) → work → (idle) lock → unlock or end; every end
crypto-shreds the session's cache.

It navigates and it keeps the session: which page shows, which menus the operator may use
(``session.may``, AUTHZ-3), the lock, the end. The counter's routes between pages are
``ui.shell.counter_flow``, the connection and sync ``ui.shell.connectivity``, the status bar
``ui.shell.status``; what a page does is the page's, and every business rule is in app/.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from app import actions
from app.api_client import OperatorSession
from app.session import EndReason, Workspace
from app.sync import SyncEngine, SyncStatus
from app.terminal_events import TerminalEvent, TerminalEventLog
from ui.common.ops import Failures
from ui.common.worker import Runner
from ui.resident.controller import ResidentScreen
from ui.shell.connectivity import Connectivity
from ui.shell.counter_flow import CounterFlow
from ui.shell.login_flow import LoginFlow
from ui.shell.pages import TerminalClient, make_pages
from ui.shell.screen_lock import ScreenLock
from ui.shell.session_guard import SessionGuard
from ui.shell.status import HEALTH_CHECKING, HEALTH_DISABLED, HEALTH_ERROR, HEALTH_ONLINE, TerminalStatus

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """``workspace`` makes and shreds the encrypted cache (``app.session.Workspace``); without one
    (unit tests of the pages) nothing is cached. ``onlooker`` is the camera guard
    (``ui.devices.camera.OnlookerGuard``): it runs only while a session is open and unlocked.
    ``health_changed(state)`` is emitted after every health check; ``session_ended(EndReason)``
    after every end of a session.
    """

    health_changed = Signal(str)
    session_ended = Signal(object)

    def __init__(
        self,
        client: TerminalClient,
        runner: Runner,
        terminal_id: str,
        demo_operators: Sequence[dict[str, str]] | None = None,
        health_interval_ms: int = 15_000,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
        onlooker: Any = None,
        clock: Callable[[], float] = time.monotonic,
        guard_tick_ms: int = 1000,
        notices: Sequence[str] = (),
        sync_interval_ms: int = 3000,
        card_access: Callable[[dict[str, Any]], Any] | None = None,
        face: Any = None,
        resident_screen: ResidentScreen | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self.health_state: str | None = None
        self.workspace = workspace
        self.onlooker = onlooker
        self.session: OperatorSession | None = None
        self.locked = False
        self.terminal_events = TerminalEventLog()
        self.terminal_id = terminal_id
        self.setWindowTitle(self.tr("窓口端末 — Madoguchi"))
        self.resize(1180, 760)

        # The failures every page shares (a login that ended, a disabled terminal, no centre) are
        # handled here once; pages only say what their own calls mean (ui.common.ops).
        self.failures = Failures(self)
        self.flow = CounterFlow(self, self._go)
        make_pages(self, client, runner, demo_operators, card_access, face)
        # Which pages a session opens, by what the operator may do (None: every operator).
        self._page_actions: tuple[tuple[Any, tuple[str, ...] | None], ...] = (
            (self.search_page, None), (self.issuance_page, None), (self.identity_page, None),
            (self.case_page, None), (self.tax_page, None),
            (self.admin_page, actions.ADMIN_SCREEN), (self.review_page, (actions.CASE_REVIEW,)),
            (self.decision_page, (actions.SUPPORT_DECIDE,)),
            (self.tax_inquiry_page, (actions.TAX_INQUIRY,)),
            (self.tax_check_page, (actions.TAX_FILING_CHECK,)),
            (self.shokken_page, (actions.SHOKKEN_SUBMIT,)),
            (self.shokken_queue_page, (actions.SHOKKEN_DECIDE,)),
            (self.idou_list_page, (actions.IDOU_LIST_READ,)))

        # Menus appear only for what the operator may do (AUTHZ-3).
        self.screens_menu = self.menuBar().addMenu(self.tr("画面(&V)"))
        self.search_action = self._menu(self.tr("住民検索(&S)"), self.search_page)
        self.case_action = self._menu(self.tr("受付・届出の入力(&U)"), self.case_page)
        self.review_action = self._menu(self.tr("審査(&R)"), self.review_page)
        self.admin_action = self._menu(self.tr("管理(&A)"), self.admin_page)
        self.decision_action = self._menu(self.tr("支援措置の判断(&D)"), self.decision_page)
        self.tax_inquiry_action = self._menu(self.tr("税の照会(&I)"), self.tax_inquiry_page)
        self.tax_check_action = self._menu(self.tr("税の二重チェック(&C)"), self.tax_check_page)
        self.shokken_action = self._menu(self.tr("職権の入力(&O)"), self.shokken_page)
        self.shokken_queue_action = self._menu(self.tr("職権の決裁(&E)"), self.shokken_queue_page)
        self.idou_list_action = self._menu(self.tr("異動リスト(&L)"), self.idou_list_page)
        self._set_menus(None)
        # 支援措置: while a target (or co-protected person) is the case's subject, this banner
        # stays above every page until another person is chosen or the session ends (WF-9).
        self.support_banner = QLabel(self.tr(
            "⚠ 支援措置の対象者を扱っています。住所・連絡先を第三者に知られないようにしてください。"
            "代理人・第三者への交付や回答はできません（上司の判断が必要です）。"))
        self.support_banner.setObjectName("windowSupportBanner")
        self.support_banner.setWordWrap(True)
        self.support_banner.setStyleSheet(
            "background: #fde7e9; color: #b00020; font-weight: bold; padding: 6px;")
        self.support_banner.hide()
        central_widget = QWidget()
        central_layout = QVBoxLayout(central_widget)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.support_banner)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central_widget)

        self.status = TerminalStatus(terminal_id, notices, on_review=self.show_review_list,
                                     on_enrol=self.show_enrolment)
        self.setStatusBar(self.status)
        for name in ("connection_label", "terminal_label", "session_label", "notice_labels",
                     "outbox_label", "review_button", "enrol_button"):
            setattr(self, name, getattr(self.status, name))
        self.net = Connectivity(client, runner, health_interval_ms=health_interval_ms,
                                sync_interval_ms=sync_interval_ms, parent=self)
        self.health_timer, self.sync_timer = self.net.health_timer, self.net.sync_timer
        self.net.health.connect(self._show_health)
        self.net.disabled.connect(self._on_device_disabled)
        self.net.expired.connect(lambda: self.end_session(EndReason.SERVER_ENDED, self.tr(
            "ログインの有効期限が切れました。もう一度ログインしてください")))
        self.net.synced.connect(self.status.show_sync)

        self.guard = SessionGuard(clock=clock, tick_ms=guard_tick_ms, parent=self)
        self.screen_lock = ScreenLock(self)
        self.guard.lock_requested.connect(
            lambda: self.lock_session(self.tr("一定時間操作がなかったため、画面をロックしました。")))
        self.guard.end_requested.connect(self.end_session)
        self.guard.ticked.connect(lambda: self.status.show_remaining(self.guard.remaining_seconds()))
        if onlooker is not None:
            onlooker.event_finished.connect(self._on_terminal_event)
            onlooker.observed.connect(self.admin_page.preview.show_result)
            self.admin_page.cameras_requested.connect(self._find_cameras)
            self.admin_page.camera_chosen.connect(self._use_camera)
            onlooker.lock_requested.connect(self.screen_lock.presence_lost)
        # お客様用画面: the resident's window follows the clerk's privacy (shield, lock, end).
        self.resident_screen = resident_screen or ResidentScreen(parent=self)
        shield = getattr(onlooker, "shield", None)
        self.resident_screen.attach(
            shield=shield,
            locked=self.screen_lock.locked, unlocked=self.screen_lock.unlocked_again,
            session_ended=self.session_ended)
        self.login = LoginFlow(self, client, runner, workspace, self._enter_session)
        self._connect_pages()
        self.health_timer.start()
        self.check_health()

    def _menu(self, text: str, page: QWidget) -> Any:
        action = self.screens_menu.addAction(text)
        action.triggered.connect(lambda: self._go(page))
        return action

    def _connect_pages(self) -> None:
        failures, flow = self.failures, self.flow
        failures.session_ended.connect(self._on_session_ended)
        failures.device_disabled.connect(self._on_device_disabled)
        failures.offline.connect(self.check_health)
        for i in range(self.stack.count()):  # pages that still say it themselves
            signal = getattr(self.stack.widget(i), "session_ended", None)
            if signal is not None:
                signal.connect(self._on_session_ended)
        self.enrol_page.back_requested.connect(self._leave_enrolment)
        for page in (self.search_page, self.admin_page, self.review_page, self.lock_page):
            page.logout_requested.connect(self.logout)
        self.search_page.subject_changed.connect(self._set_subject)
        flow.connect()
        for page in (self.case_page, self.tax_page, self.issuance_page):
            page.back_requested.connect(lambda: self._go(self.search_page))
        self.lock_page.unlocked.connect(self.screen_lock.unlocked)
        self.lock_page.session_lost.connect(self.end_session)

    # -- pages -----------------------------------------------------------

    @property
    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    @property
    def sync(self) -> SyncEngine | None:
        return self.net.engine

    @property
    def sync_status(self) -> SyncStatus | None:
        return self.net.status

    def open_issuance(self, resident: object) -> None:
        self.flow.open_issuance(resident)  # type: ignore[arg-type]

    def open_identity(self, resident: object) -> None:
        self.flow.open_identity(resident)  # type: ignore[arg-type]

    def _go(self, page: QWidget) -> None:
        if self.session is None or self.locked:
            return
        self.stack.setCurrentWidget(page)
        if page in (self.admin_page, self.review_page, self.decision_page, self.tax_check_page,
                    self.shokken_queue_page, self.idou_list_page):
            page.load()  # type: ignore[attr-defined]
        if page is self.shokken_page:  # the person chosen on the search page, if any
            self.shokken_page.set_resident(self.search_page.selected_resident())
        if page is self.admin_page and self.onlooker is not None:
            self._find_cameras()

    @staticmethod
    def _may(session: OperatorSession | None, *wanted: str) -> bool:
        """Whether the centre lets the operator take any of ``wanted`` (AUTHZ-3)."""
        return session is not None and any(session.may(a) for a in wanted)

    def _set_menus(self, session: OperatorSession | None) -> None:
        """Menus appear only for what the operator may do; the 画面 menu only when there is a
        choice to make."""
        shown = [(self.search_action, self._may(session, actions.RESIDENT_SEARCH)),
                 (self.case_action, self._may(session, actions.RESIDENT_SEARCH)),
                 (self.review_action, self._may(session, actions.CASE_REVIEW)),
                 (self.decision_action, self._may(session, actions.SUPPORT_DECIDE)),
                 (self.admin_action, self._may(session, *actions.ADMIN_SCREEN)),
                 (self.tax_inquiry_action, self._may(session, actions.TAX_INQUIRY)),
                 (self.tax_check_action, self._may(session, actions.TAX_FILING_CHECK)),
                 (self.shokken_action, self._may(session, actions.SHOKKEN_SUBMIT)),
                 (self.shokken_queue_action, self._may(session, actions.SHOKKEN_DECIDE)),
                 (self.idou_list_action, self._may(session, actions.IDOU_LIST_READ))]
        for action, visible in shown:
            action.setVisible(visible)
        self.screens_menu.menuAction().setVisible(sum(visible for _a, visible in shown) > 1)

    def _set_subject(self, resident: object) -> None:
        """The person the counter is working on now (支援措置 banner on every page)."""
        self.support_banner.setVisible(
            self.session is not None and bool(getattr(resident, "support_measure", False)))

    def _find_cameras(self) -> None:
        """The security admin looks for this terminal's cameras (probing is I/O: a worker)."""
        onlooker = self.onlooker
        self._runner(onlooker.choices,
                     lambda found: self.admin_page.set_cameras(found, onlooker.spec),
                     lambda _exc: self.admin_page.set_cameras([], onlooker.spec))

    def _use_camera(self, spec: str) -> None:
        if self.onlooker is None or not self._may(self.session, actions.DEVICES_MANAGE):
            return
        self.onlooker.switch(spec, None if self.locked else self.session.policy)  # type: ignore[union-attr]
        self._find_cameras()

    def _drafts(self) -> object | None:
        """The session's encrypted cache (parked cases live there and die with the session)."""
        return self.workspace.cache if self.workspace is not None else None

    def _print_dir(self) -> Path:
        """The session's print folder (inside the workspace; emptied when the session ends)."""
        if self.workspace is not None:
            return self.workspace.print_dir
        folder = Path(tempfile.gettempdir()) / f"madoguchi-print-{os.getuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    def show_review_list(self) -> None:
        from ui.shell.review_list import ReviewListDialog

        items = self.sync_status.review if self.sync_status else ()
        dialog = ReviewListDialog(items, self)
        dialog.setModal(True)
        dialog.open()
        self.review_dialog = dialog

    def _enter_session(self, session: OperatorSession) -> None:
        if not self.login.opened(session):
            return  # the session ended (logout, window closed) while its cache was being made
        self.session = session
        self.locked = False
        self.resident_screen.on_session_start()
        self.flow.begin()
        if self.workspace is not None and self.workspace.cache is not None:
            self.net.start_sync(SyncEngine(self.workspace.cache, self._client, self.terminal_id))
        for page, wanted in self._page_actions:
            page.set_session(session if wanted is None or self._may(session, *wanted) else None)
        self._set_menus(session)
        self.enrol_button.setVisible(session.may(actions.BIOMETRICS_MANAGE))
        if self.search_action.isVisible():
            self.stack.setCurrentWidget(self.search_page)
            self.search_page.purpose_combo.setFocus()
        else:
            self._go(self.admin_page)
        self.guard.begin(session)
        self.status.show_remaining(self.guard.remaining_seconds())
        if self.onlooker is not None:
            # 在席確認: the capture the centre accepted at login is the presence reference.
            features = self.face_page.take_verified_features()
            if features is not None:
                self.onlooker.set_operator(features)
            self.onlooker.start(session.policy)

    # -- 顔認証の登録 (security admin) ---------------------------------------------

    def show_enrolment(self) -> None:
        """The enrolment screen; the onlooker camera is released meanwhile (one camera), and no
        resident data is on this screen."""
        if self.locked or not self._may(self.session, actions.BIOMETRICS_MANAGE):
            return
        if self.onlooker is not None:
            self.onlooker.stop()
        self.enrol_page.reset()
        self.stack.setCurrentWidget(self.enrol_page)

    def _leave_enrolment(self) -> None:
        if self.session is None:
            return
        self.stack.setCurrentWidget(self.search_page if self.search_action.isVisible()
                                    else self.admin_page)
        if self.onlooker is not None and not self.locked:
            self.onlooker.start(self.session.policy)

    # -- the end of a session ---------------------------------------------------------------

    def logout(self) -> None:
        """The operator logs out (ログアウト): end the session and shred its cache."""
        self.end_session(EndReason.LOGOUT)

    def end_session(self, reason: EndReason, message: str | None = None) -> None:
        """End the session for ``reason``: release the camera, crypto-shred the cache, tell the
        server (in the background; the client forgets its token even if the server cannot be
        told), wipe the pages and show the login page saying why."""
        had_session = self.session is not None
        self.login.forget()  # a cache still being made is shredded as soon as it exists
        self.support_banner.hide()
        self.guard.stop()
        self.net.stop_sync()
        self.status.session_over()
        self.enrol_page.reset()
        if self.onlooker is not None:
            self.onlooker.stop()
            self.onlooker.set_operator(None)  # the presence reference dies with the session
        if self.workspace is not None:
            try:
                self.workspace.end(reason)
            except Exception as exc:  # noqa: BLE001 - logged; the keystore said the key stays
                log.error("session cache shred failed: %s", type(exc).__name__)
        self.session = None
        self.locked = False
        self.screen_lock.forget()
        for page, _wanted in self._page_actions:
            page.set_session(None)
        self.flow.begin()  # nothing of the visit outlives the session
        self._set_menus(None)
        self.login_page.reset()
        self.stack.setCurrentWidget(self.login_page)
        # One job: the events seen during the session reach the centre before the logout does.
        client, events = self._client, self.terminal_events

        def flush_and_logout() -> None:
            try:
                events.flush(client.report_terminal_event)
            finally:
                client.logout()

        self._runner(flush_and_logout, lambda _result: None, lambda _exc: None)
        text = message if message is not None else self._end_message(reason)
        if text:
            self.login_page.show_message(text)
        if had_session:
            self.session_ended.emit(reason)

    def _end_message(self, reason: EndReason) -> str:
        return {
            EndReason.IDLE_TIMEOUT: self.tr("画面ロックのまま時間が経過したため、ログアウトしました。"
                                            "端末内の作業データは消去しました"),
            EndReason.SESSION_OUT: self.tr("最大利用時間に達したため、ログアウトしました。もう一度ログインしてください"),
            EndReason.REMOTE_DISABLE: self.tr("この端末は中央で利用停止されました。端末内の作業データを消去し、"
                                              "ログアウトしました。情報主管課に連絡してください"),
            EndReason.ACCOUNT_LOCKED: self.tr("パスワードの誤りが続いたため、アカウントがロックされました。"
                                              "ログアウトしました"),
        }.get(reason, "")

    def _on_session_ended(self, message: str) -> None:
        """The server ended the login: back to the login page, saying why."""
        self.end_session(EndReason.SERVER_ENDED, message)

    def _on_device_disabled(self) -> None:
        """The centre disabled this terminal (DEV-3): noticed by a page, the health check or sync."""
        self._show_health(HEALTH_DISABLED)
        if self.session is not None:
            self.end_session(EndReason.REMOTE_DISABLE)

    def _on_terminal_event(self, kind: str, reason: str, started_at: object, duration_ms: int) -> None:
        """Audit what the camera guard saw (PRIV-1); sent in the background, in order."""
        self.terminal_events.add(TerminalEvent(kind, reason, started_at, duration_ms))  # type: ignore[arg-type]
        if self.session is None:
            return  # the end of the session sends it, before the logout
        client, events = self._client, self.terminal_events
        self._runner(lambda: events.flush(client.report_terminal_event),
                     lambda _sent: None, lambda _exc: None)

    # -- screen lock (画面ロック) -------------------------------------------

    def lock_session(self, reason: str = "") -> None:
        """Lock the screen (``ui.shell.screen_lock``); only the same operator continues."""
        self.screen_lock.lock(reason)

    # -- connectivity ----------------------------------------------------

    def check_health(self) -> None:
        """Ask the central API whether it is up (one check at a time)."""
        self.net.check_health()

    def sync_now(self) -> None:
        """Drain the outbox and pull the change feed in the background (one run at a time)."""
        self.net.sync_now()

    def _show_health(self, state: str) -> None:
        self.status.show_health(state)
        if state == HEALTH_CHECKING:
            return
        online = state in (HEALTH_ONLINE, HEALTH_ERROR)
        for page in (self.issuance_page, self.review_page, self.decision_page, self.tax_page,
                     self.tax_check_page, self.shokken_queue_page, self.idou_list_page):
            page.set_online(online)
        self.health_state = state
        self.health_changed.emit(state)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.health_timer.stop()
        if self.session is not None:
            self.end_session(EndReason.LOGOUT)
        elif self.onlooker is not None:
            self.onlooker.stop()
        self.resident_screen.blank()
        self.resident_screen.window.close()
        super().closeEvent(event)
