"""The terminal's main window (窓口端末のメインウィンドウ)."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QLabel, QMainWindow, QPushButton, QStackedWidget, QVBoxLayout,
                               QWidget)

from app import actions
from app.api_client import ApiError, DeviceDisabled, OperatorSession
from app.outbox import DrainStatus
from app.session import EndReason, Workspace
from app.sync import SyncEngine, SyncStatus
from app.terminal_events import TerminalEvent, TerminalEventLog
from ui.pages.admin import AdminPage
from ui.common.i18n import fill
from ui.pages.identity import IdentityPage
from ui.pages.issuance import IssuancePage
from ui.pages.enrol import EnrolPage
from ui.pages.case import CasePage
from ui.pages.face import FacePage
from ui.pages.password import PasswordRenewalPage
from ui.pages.lock import LockPage
from ui.pages.login import LoginPage
from ui.pages.review import ReviewPage
from ui.pages.search import SearchPage
from ui.shell.session_guard import SessionGuard
from ui.pages.support_decision import SupportDecisionPage
from ui.pages.tax_check import TaxCheckPage
from ui.pages.tax_inquiry import TaxInquiryPage
from ui.pages.tax import TaxPage
from ui.common.ops import Failures
from ui.common.worker import Runner

log = logging.getLogger(__name__)


#: Connectivity states shown in the status bar (中央サーバーとの接続状態).
HEALTH_CHECKING = "checking"
HEALTH_ONLINE = "online"
HEALTH_OFFLINE = "offline"
HEALTH_DISABLED = "disabled"
HEALTH_ERROR = "error"


class MainWindow(QMainWindow):
    """Status bar (connectivity, terminal id) over a stack of pages, and the session's life:
    login → work → (idle) lock → unlock or end; every end crypto-shreds the session's cache.

    ``workspace`` makes and shreds the encrypted cache (``app.session.Workspace``); without one
    (unit tests of the pages) nothing is cached. ``onlooker`` is the camera guard
    (``ui.devices.camera.OnlookerGuard``): it runs only while a session is open and unlocked.
    ``health_changed(state)`` is emitted after every health check; ``session_ended(EndReason)``
    after every end of a session.
    """

    health_changed = Signal(str)
    session_ended = Signal(object)

    def __init__(
        self,
        client: Any,
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
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self._health_in_flight = False
        self.health_state: str | None = None
        self.workspace = workspace
        self.onlooker = onlooker
        self.session: OperatorSession | None = None
        self._opening: OperatorSession | None = None  # logged in, its cache still being made
        self.locked = False
        self._page_before_lock: QWidget | None = None
        self.terminal_events = TerminalEventLog()
        self.terminal_id = terminal_id
        self.sync: SyncEngine | None = None
        self.sync_status: SyncStatus | None = None
        self._sync_in_flight = False

        self.setWindowTitle(self.tr("窓口端末 — Madoguchi"))
        self.resize(1180, 760)

        # The failures every page shares (a login that ended, a disabled terminal, no centre) are
        # handled here once; pages only say what their own calls mean (ui.common.ops).
        self.failures = failures = Failures(self)
        failures.session_ended.connect(self._on_session_ended)
        failures.device_disabled.connect(self._on_device_disabled)
        failures.offline.connect(self.check_health)
        self.stack = QStackedWidget()
        self.login_page = LoginPage(client, runner, demo_operators, failures=failures)
        self.search_page = SearchPage(client, runner, failures=failures)
        self.lock_page = LockPage(client, runner, failures=failures)
        self.admin_page = AdminPage(client, runner, failures=failures)
        self.review_page = ReviewPage(client, runner, failures=failures)
        self.issuance_page = IssuancePage(client, runner, self._print_dir, failures=failures)
        self.identity_page = IdentityPage(client, runner, card_access, failures=failures)
        self.case_page = CasePage(client, runner, drafts=self._drafts, print_dir=self._print_dir,
                             failures=failures)
        self.stack.addWidget(self.login_page)
        self.stack.addWidget(self.search_page)
        self.stack.addWidget(self.lock_page)
        self.stack.addWidget(self.admin_page)
        self.stack.addWidget(self.review_page)
        self.stack.addWidget(self.issuance_page)
        self.stack.addWidget(self.identity_page)
        self.stack.addWidget(self.case_page)
        # 個人住民税 (#8): 申告受付・証明書 for a chosen resident, 二重チェック, 照会
        self.tax_page = TaxPage(client, runner, self._print_dir, failures=failures)
        self.tax_check_page = TaxCheckPage(client, runner, failures=failures)
        self.tax_inquiry_page = TaxInquiryPage(client, runner, failures=failures)
        for page in (self.tax_page, self.tax_check_page, self.tax_inquiry_page):
            self.stack.addWidget(page)
        # 支援措置の判断 (WF-7): the supervisors' queue of 判断依頼
        self.decision_page = SupportDecisionPage(client, runner, failures=failures)
        self.stack.addWidget(self.decision_page)
        self._identity_return: QWidget | None = None
        self._identities: dict[int, Any] = {}  # 本人確認 recorded this session, by resident id

        # Menus appear only for operators holding the matching right (AUTHZ-3).
        self.screens_menu = self.menuBar().addMenu(self.tr("画面(&V)"))
        self.search_action = self.screens_menu.addAction(self.tr("住民検索(&S)"))
        self.case_action = self.screens_menu.addAction(self.tr("受付・届出の入力(&U)"))
        self.review_action = self.screens_menu.addAction(self.tr("審査(&R)"))
        self.admin_action = self.screens_menu.addAction(self.tr("管理(&A)"))
        self.decision_action = self.screens_menu.addAction(self.tr("支援措置の判断(&D)"))
        self.decision_action.triggered.connect(lambda: self._go(self.decision_page))
        self.tax_inquiry_action = self.screens_menu.addAction(self.tr("税の照会(&I)"))
        self.tax_check_action = self.screens_menu.addAction(self.tr("税の二重チェック(&C)"))
        self.tax_inquiry_action.triggered.connect(lambda: self._go(self.tax_inquiry_page))
        self.tax_check_action.triggered.connect(lambda: self._go(self.tax_check_page))
        self.search_action.triggered.connect(lambda: self._go(self.search_page))
        self.case_action.triggered.connect(lambda: self._go(self.case_page))
        self.review_action.triggered.connect(lambda: self._go(self.review_page))
        self.admin_action.triggered.connect(lambda: self._go(self.admin_page))
        self._set_menus(None)
        # 顔認証 (AUTH-1) after the password, and the security admin's enrolment (AUTH-5);
        # ``face`` is the camera + provider (ui/face_worker.FaceStation), None without a camera.
        self.face_page = FacePage(client, runner, face, failures=failures)
        self.enrol_page = EnrolPage(client, runner, face, failures=failures)
        self.password_page = PasswordRenewalPage(client, runner, failures=failures)
        self.stack.addWidget(self.face_page)
        self.stack.addWidget(self.enrol_page)
        self.stack.addWidget(self.password_page)
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
            self.statusBar().addPermanentWidget(label)
        self.outbox_label = QLabel()
        self.outbox_label.setObjectName("outboxPending")
        self.review_button = QPushButton()
        self.review_button.setObjectName("reviewListButton")
        self.review_button.setFlat(True)
        self.review_button.setStyleSheet("color: #b00020; font-weight: bold;")
        self.review_button.hide()
        self.review_button.clicked.connect(self.show_review_list)
        self.statusBar().addPermanentWidget(self.review_button)
        self.enrol_button = QPushButton(self.tr("顔認証の登録"))
        self.enrol_button.setObjectName("enrolFaceButton")
        self.enrol_button.setFlat(True)
        self.enrol_button.hide()
        self.enrol_button.clicked.connect(self.show_enrolment)
        self.statusBar().addPermanentWidget(self.enrol_button)
        self.statusBar().addPermanentWidget(self.outbox_label)
        self.statusBar().addPermanentWidget(self.session_label)
        self.statusBar().addPermanentWidget(self.connection_label)
        self.statusBar().addPermanentWidget(self.terminal_label)
        self._show_health(HEALTH_CHECKING)

        self.guard = SessionGuard(clock=clock, tick_ms=guard_tick_ms, parent=self)
        self.guard.lock_requested.connect(
            lambda: self.lock_session(self.tr("一定時間操作がなかったため、画面をロックしました。")))
        self.guard.end_requested.connect(self.end_session)
        self.guard.ticked.connect(self._show_remaining)
        if onlooker is not None:
            onlooker.event_finished.connect(self._on_terminal_event)
            onlooker.observed.connect(self.admin_page.preview.show_result)
            self.admin_page.cameras_requested.connect(self._find_cameras)
            self.admin_page.camera_chosen.connect(self._use_camera)
            onlooker.lock_requested.connect(self._presence_lock)

        self.login_page.logged_in.connect(self._on_logged_in)
        self.login_page.factor_required.connect(self._ask_face)
        self.face_page.verified.connect(self._after_factor)
        self.password_page.renewed.connect(self._after_factor)
        self.password_page.cancelled.connect(self._face_cancelled)
        self.face_page.cancelled.connect(self._face_cancelled)
        self.face_page.ended.connect(self._face_ended)
        self.enrol_page.back_requested.connect(self._leave_enrolment)
        self.search_page.logout_requested.connect(self.logout)
        self.search_page.search_finished.connect(self._watch_for_disable)
        self.admin_page.logout_requested.connect(self.logout)
        self.review_page.logout_requested.connect(self.logout)
        self.search_page.issue_requested.connect(self.open_issuance)
        self.search_page.identity_requested.connect(self.open_identity)
        self.search_page.entry_requested.connect(self.open_case)
        self.search_page.reception_requested.connect(self.open_reception)
        self.case_page.identity_requested.connect(self._identify_for_case)
        self.search_page.subject_changed.connect(self._set_subject)
        self.case_page.back_requested.connect(lambda: self._go(self.search_page))
        self.identity_page.back_requested.connect(self._leave_identity)
        self.identity_page.recorded.connect(self._identity_recorded)
        self.search_page.tax_requested.connect(self.open_tax)
        self.tax_page.back_requested.connect(lambda: self._go(self.search_page))
        self.tax_page.identity_requested.connect(self._identify_for_tax)
        self.issuance_page.back_requested.connect(lambda: self._go(self.search_page))
        for i in range(self.stack.count()):  # pages that still say it themselves
            signal = getattr(self.stack.widget(i), "session_ended", None)
            if signal is not None:
                signal.connect(self._on_session_ended)
        self.lock_page.unlocked.connect(self._on_unlocked)
        self.lock_page.logout_requested.connect(self.logout)
        self.lock_page.session_lost.connect(self.end_session)

        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(sync_interval_ms)
        self.sync_timer.timeout.connect(self.sync_now)

        self.health_timer = QTimer(self)
        self.health_timer.setInterval(health_interval_ms)
        self.health_timer.timeout.connect(self.check_health)
        self.health_timer.start()
        self.check_health()

    # -- pages -----------------------------------------------------------

    @property
    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def _ask_face(self, session: OperatorSession) -> None:
        """The password was right; the centre wants the face next (AUTH-1), or a new password
        (six months, 001) once the face is done."""
        if session.pending_factors and session.pending_factors[0] == "password_renewal":
            self.stack.setCurrentWidget(self.password_page)
            self.password_page.show_for(session)
            return
        self.stack.setCurrentWidget(self.face_page)
        self.face_page.show_for(session)

    def _after_factor(self, session: OperatorSession) -> None:
        """A factor is done: the next one, or the session itself."""
        if session.pending_factors:
            self._ask_face(session)
        else:
            self._on_logged_in(session)

    def _face_cancelled(self) -> None:
        self.face_page.take_verified_features()  # nothing of an abandoned login is kept
        self._runner(self._client.logout, lambda _r: None, lambda _e: None)
        self.login_page.reset()
        self.stack.setCurrentWidget(self.login_page)

    def _face_ended(self, message: str) -> None:
        self._face_cancelled()
        self.login_page.show_message(message)

    # -- 顔認証の登録 (security admin) ---------------------------------------------

    def show_enrolment(self) -> None:
        """The enrolment screen; the onlooker camera is released meanwhile (one camera), and no
        resident data is on this screen."""
        if self.session is None or self.locked or not self.session.may(actions.BIOMETRICS_MANAGE):
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

    def _on_logged_in(self, session: OperatorSession) -> None:
        """The centre accepted the login: make the session's encrypted workspace (a key into the
        keyring and a SQLCipher file: tens of milliseconds, more with a D-Bus keyring) in the
        background, then open the session. The login page stays busy meanwhile."""
        if self.workspace is None:
            self._enter_session(session)
            return
        workspace = self.workspace
        self._opening = session
        self.login_page.set_busy(True)
        self.login_page.busy.wrap(self._runner)(lambda: workspace.open(session),
                     lambda _cache: self._enter_session(session),
                     self._workspace_failed)

    def _workspace_failed(self, exc: BaseException) -> None:
        """Fail closed: no encrypted cache, no session."""
        self._opening = None
        log.error("session cache could not be created: %s", type(exc).__name__)
        self._runner(self._client.logout, lambda _result: None, lambda _exc: None)
        self.login_page.reset()
        self.stack.setCurrentWidget(self.login_page)
        self.login_page.show_message(self.tr(
            "端末の作業領域（暗号化キャッシュ）を作成できないため、ログインを中止しました。"
            "情報主管課に連絡してください"))

    def _enter_session(self, session: OperatorSession) -> None:
        if self.workspace is not None and self._opening is not session:
            # The session ended (logout, window closed) while its cache was being made.
            self.workspace.end(EndReason.LOGOUT)
            return
        self._opening = None
        self.login_page.set_busy(False)
        self.session = session
        self.locked = False
        if self.workspace is not None and self.workspace.cache is not None:
            self.sync = SyncEngine(self.workspace.cache, self._client, self.terminal_id)
            self.sync_timer.start()
        self.search_page.set_session(session)
        self.admin_page.set_session(session if self._may(session, *actions.ADMIN_SCREEN) else None)
        self.review_page.set_session(session if session.may(actions.CASE_REVIEW) else None)
        self.decision_page.set_session(session if session.may(actions.SUPPORT_DECIDE) else None)
        self.issuance_page.set_session(session)
        self.identity_page.set_session(session)
        self.case_page.set_session(session)
        self.tax_page.set_session(session)
        self.tax_inquiry_page.set_session(session if session.may(actions.TAX_INQUIRY) else None)
        self.tax_check_page.set_session(session if session.may(actions.TAX_FILING_CHECK) else None)
        self._set_menus(session)
        self.enrol_button.setVisible(session.may(actions.BIOMETRICS_MANAGE))
        if self.search_action.isVisible():
            self.stack.setCurrentWidget(self.search_page)
            self.search_page.purpose_combo.setFocus()
        else:
            self._go(self.admin_page)
        self.guard.begin(session)
        self._show_remaining()
        if self.onlooker is not None:
            # 在席確認: the capture the centre accepted at login is the presence reference.
            features = self.face_page.take_verified_features()
            if features is not None:
                self.onlooker.set_operator(features)
            self.onlooker.start(session.policy)

    def logout(self) -> None:
        """The operator logs out (ログアウト): end the session and shred its cache."""
        self.end_session(EndReason.LOGOUT)

    def end_session(self, reason: EndReason, message: str | None = None) -> None:
        """End the session for ``reason``: release the camera, crypto-shred the cache, tell the
        server (in the background; the client forgets its token even if the server cannot be
        told), wipe the pages and show the login page saying why."""
        had_session = self.session is not None
        self._opening = None  # a cache still being made is shredded as soon as it exists
        self.support_banner.hide()
        self.guard.stop()
        self.sync_timer.stop()
        self.sync, self.sync_status = None, None
        self.outbox_label.clear()
        self.review_button.hide()
        self.enrol_button.hide()
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
        self._page_before_lock = None
        self.search_page.set_session(None)
        self.admin_page.set_session(None)
        self.review_page.set_session(None)
        self.decision_page.set_session(None)
        self.issuance_page.set_session(None)
        self.identity_page.set_session(None)
        self.case_page.set_session(None)
        self.tax_page.set_session(None)
        self.tax_inquiry_page.set_session(None)
        self.tax_check_page.set_session(None)
        self._identity_return = None
        self._identities.clear()
        self._set_menus(None)
        self.login_page.reset()
        self.stack.setCurrentWidget(self.login_page)
        self.session_label.clear()
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
                 (self.tax_check_action, self._may(session, actions.TAX_FILING_CHECK))]
        for action, visible in shown:
            action.setVisible(visible)
        self.screens_menu.menuAction().setVisible(sum(visible for _a, visible in shown) > 1)

    def _go(self, page: QWidget) -> None:
        if self.session is None or self.locked:
            return
        self.stack.setCurrentWidget(page)
        if page is self.admin_page:
            self.admin_page.load()
            if self.onlooker is not None:
                self._find_cameras()
        elif page is self.review_page:
            self.review_page.load()
        elif page is self.decision_page:
            self.decision_page.load()
        elif page is self.tax_check_page:
            self.tax_check_page.load()

    def open_issuance(self, resident: object) -> None:
        """交付: a new 住民票の写し request for the resident chosen on the search page."""
        self.issuance_page.show_resident(resident)  # type: ignore[arg-type]
        self._go(self.issuance_page)

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
        self.onlooker.switch(spec, None if self.locked else self.session.policy)
        self._find_cameras()

    def open_case(self, resident: object) -> None:
        """受付・届出の入力 about the resident chosen on the search page (書かない窓口)."""
        self.case_page.set_resident(resident)  # type: ignore[arg-type]
        self._go(self.case_page)

    def open_reception(self) -> None:
        """A new 受付 with nobody chosen on the search page (転入・出生: no record here yet)."""
        if self.case_page.case is None:
            self.case_page.set_resident(None)
        self._go(self.case_page)

    def _identify_for_case(self, resident: object) -> None:
        """本人確認 from the case; a 転入 (nobody chosen) reads the card without a record, and the
        card then fills the 転入届 (書かない窓口, WF-2/WF-3)."""
        case = self.case_page.case
        if case is None:
            return
        if resident is None:
            self.identity_page.show_newcomer(case.case_id)
        else:
            self.identity_page.show_resident(resident)  # type: ignore[arg-type]
        self._identity_return = self.case_page
        self.identity_page.back_to("case")
        self._go(self.identity_page)

    def _drafts(self) -> object | None:
        """The session's encrypted cache (parked cases live there and die with the session)."""
        if self.workspace is None:
            return None
        return self.workspace.cache

    def open_identity(self, resident: object) -> None:
        """本人確認 for the resident chosen on the search page."""
        self._identity_return = None
        self.identity_page.show_resident(resident)  # type: ignore[arg-type]
        self.identity_page.back_to("search")
        self._go(self.identity_page)

    def open_tax(self, resident: object) -> None:
        """税務窓口: 申告受付 and 課税・所得証明書 for the resident chosen on the search page."""
        self.tax_page.show_resident(resident)  # type: ignore[arg-type]
        self.tax_page.set_identity(self._identities.get(getattr(resident, "id", None)))
        self._go(self.tax_page)

    def _identify_for_tax(self, resident: object) -> None:
        """本人確認 of the filer, then back to the 申告 (same workflow, TAX-2/3)."""
        self.identity_page.show_resident(resident)  # type: ignore[arg-type]
        self._identity_return = self.tax_page
        self.identity_page.back_to("tax")
        self._go(self.identity_page)

    def _identity_recorded(self, result: object) -> None:
        if getattr(result, "matched", False) and getattr(result, "resident_id", None) is not None:
            self._identities[result.resident_id] = result  # type: ignore[attr-defined]
        if self._identity_return is self.case_page and getattr(result, "matched", False):
            card = self.identity_page.card_result if getattr(result, "method", "") == "card" else None
            self.case_page.apply_identity(result, card)
            self._identity_return = None
            self.identity_page.show_resident(None)  # the card's data leaves this page (000 L4643)
            self._go(self.case_page)
            return
        if self._identity_return is self.tax_page:
            self.tax_page.set_identity(result)  # type: ignore[arg-type]
            if getattr(result, "matched", False):
                self._identity_return = None
                self._go(self.tax_page)

    def _leave_identity(self) -> None:
        back, self._identity_return = self._identity_return, None
        self._go(back or self.search_page)

    def _print_dir(self) -> Path:
        """The session's print folder (inside the workspace; emptied when the session ends)."""
        if self.workspace is not None:
            return self.workspace.print_dir
        folder = Path(tempfile.gettempdir()) / f"madoguchi-print-{os.getuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    def _end_message(self, reason: EndReason) -> str:
        if reason is EndReason.IDLE_TIMEOUT:
            return self.tr("画面ロックのまま時間が経過したため、ログアウトしました。"
                           "端末内の作業データは消去しました")
        if reason is EndReason.SESSION_OUT:
            return self.tr("最大利用時間に達したため、ログアウトしました。もう一度ログインしてください")
        if reason is EndReason.REMOTE_DISABLE:
            return self.tr("この端末は中央で利用停止されました。端末内の作業データを消去し、"
                           "ログアウトしました。情報主管課に連絡してください")
        if reason is EndReason.ACCOUNT_LOCKED:
            return self.tr("パスワードの誤りが続いたため、アカウントがロックされました。"
                           "ログアウトしました")
        return ""

    def _on_device_disabled(self) -> None:
        """A page's call found the terminal disabled by the centre (DEV-3)."""
        self._show_health(HEALTH_DISABLED)
        if self.session is not None:
            self.end_session(EndReason.REMOTE_DISABLE)

    def _on_session_ended(self, message: str) -> None:
        """The server ended the login: back to the login page, saying why."""
        self.end_session(EndReason.SERVER_ENDED, message)

    # -- sync (同期) ----------------------------------------------------------

    def sync_now(self) -> None:
        """Drain the outbox and pull the change feed in the background (one run at a time)."""
        engine = self.sync
        if engine is None or self._sync_in_flight:
            return
        self._sync_in_flight = True
        self._runner(engine.run_once, lambda status: self._on_synced(engine, status),
                     lambda exc: self._on_sync_error(engine, exc))

    def _on_synced(self, engine: SyncEngine, status: SyncStatus) -> None:
        self._sync_in_flight = False
        if engine is not self.sync:
            return  # the session ended meanwhile
        self.sync_status = status
        if status.status is DrainStatus.DEVICE_DISABLED:
            self._show_health(HEALTH_DISABLED)
            self.end_session(EndReason.REMOTE_DISABLE)
            return
        if status.status is DrainStatus.SESSION_ENDED:
            self.end_session(EndReason.SERVER_ENDED, self.tr(
                "ログインの有効期限が切れました。もう一度ログインしてください"))
            return
        if not status.skipped:
            self._show_health(HEALTH_ONLINE if status.online else HEALTH_OFFLINE)
        self.outbox_label.setText(fill(self.tr("未送信 %1件"), status.pending)
                                  if status.pending else "")
        self.review_button.setText(fill(self.tr("要確認 %1件"), len(status.review)))
        self.review_button.setVisible(bool(status.review))

    def _on_sync_error(self, engine: SyncEngine, exc: Exception) -> None:
        self._sync_in_flight = False
        if engine is self.sync:
            log.warning("sync failed: %s", type(exc).__name__)

    def show_review_list(self) -> None:
        from ui.shell.review_list import ReviewListDialog

        items = self.sync_status.review if self.sync_status else ()
        dialog = ReviewListDialog(items, self)
        dialog.setModal(True)
        dialog.open()
        self.review_dialog = dialog

    def _on_terminal_event(self, kind: str, reason: str, started_at: object, duration_ms: int) -> None:
        """Audit what the camera guard saw (PRIV-1); sent in the background, in order."""
        self.terminal_events.add(TerminalEvent(kind, reason, started_at, duration_ms))  # type: ignore[arg-type]
        if self.session is None:
            return  # the end of the session sends it, before the logout
        client, events = self._client, self.terminal_events
        self._runner(lambda: events.flush(client.report_terminal_event),
                     lambda _sent: None, lambda _exc: None)

    def _watch_for_disable(self, outcome: object) -> None:
        if isinstance(outcome, DeviceDisabled) and self.session is not None:
            self.end_session(EndReason.REMOTE_DISABLE)

    # -- screen lock (画面ロック) -------------------------------------------

    def _presence_lock(self, reason: str) -> None:
        if reason == "operator_changed":
            self.lock_session(self.tr("ログインした職員とは別の人がカメラの前にいるため、画面をロックしました。"
                                      "ログインした職員本人がパスワードを入力してください。"))
        else:
            self.lock_session(self.tr("職員の離席を検知したため、画面をロックしました。"))

    def lock_session(self, reason: str = "") -> None:
        """Lock the screen: personal data leaves it, the camera is released, what was typed
        stays; only the same operator continues (``LockPage``)."""
        if self.session is None or self.locked:
            return
        self.locked = True
        self.support_banner.hide()  # nothing of the case while locked, not even this
        self.guard.lock()
        if self.onlooker is not None:
            self.onlooker.stop()
        self._page_before_lock = self.stack.currentWidget()
        if self._page_before_lock is self.enrol_page:  # captures are not kept across a lock
            self.enrol_page.reset()
            self._page_before_lock = self.search_page
        self.lock_page.show_for(self.session, reason)
        self.stack.setCurrentWidget(self.lock_page)

    def _on_unlocked(self) -> None:
        if self.session is None:
            return
        self.locked = False
        self.guard.unlock()
        self._set_subject(self.search_page.selected_resident())
        self.stack.setCurrentWidget(self._page_before_lock or self.search_page)
        self._page_before_lock = None
        if self.onlooker is not None:
            self.onlooker.start(self.session.policy)

    def _show_remaining(self) -> None:
        left = self.guard.remaining_seconds()
        if left is None:
            self.session_label.clear()
            return
        minutes = int(left // 60)
        self.session_label.setText(fill(self.tr("残り時間 %1:%2"), minutes // 60,
                                        f"{minutes % 60:02d}"))

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
            if self.session is not None:
                self.end_session(EndReason.REMOTE_DISABLE)
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
        online = state in (HEALTH_ONLINE, HEALTH_ERROR)
        self.issuance_page.set_online(online)
        self.review_page.set_online(online)
        self.decision_page.set_online(online)
        self.tax_page.set_online(online)
        self.tax_check_page.set_online(online)
        self.health_state = state
        self.health_changed.emit(state)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.health_timer.stop()
        if self.session is not None:
            self.end_session(EndReason.LOGOUT)
        elif self.onlooker is not None:
            self.onlooker.stop()
        super().closeEvent(event)
