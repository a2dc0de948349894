"""The terminal's pages (画面), made for the main window: one of each, all sharing the window's
``Failures`` (ui.common.ops); the 本人確認 and 受付 pages share the counter's visit
(``ui.shell.counter_flow``). Which page a session opens is the window's to decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtWidgets import QStackedWidget

from ui.common.worker import Runner
from ui.pages.admin import AdminClient, AdminPage
from ui.pages.case import CasePage
from ui.pages.case.page import CaseClient
from ui.pages.enrol import EnrolmentClient, EnrolPage
from ui.pages.face import FacePage, FactorClient
from ui.pages.identity import IdentityPage
from ui.pages.idou_list import IdouListClient, IdouListPage
from ui.pages.identity.page import IdentityClient
from ui.pages.issuance import IssuancePage
from ui.pages.issuance.page import IssuanceClient
from ui.pages.lock import LockPage, UnlockClient
from ui.pages.login import LoginClient, LoginPage
from ui.pages.password import PasswordRenewalPage, RenewalClient
from ui.pages.review import ReviewClient, ReviewPage
from ui.pages.search import SearchClient, SearchPage
from ui.pages.shokken import ShokkenClient, ShokkenEntryPage, ShokkenQueuePage
from ui.pages.support_decision import SupportDecisionClient, SupportDecisionPage
from ui.pages.tax import TaxPage
from ui.pages.tax.page import TaxClient
from ui.pages.tax_check import TaxCheckClient, TaxCheckPage
from ui.pages.tax_inquiry import TaxInquiryClient, TaxInquiryPage


class TerminalClient(LoginClient, UnlockClient, FactorClient, RenewalClient, EnrolmentClient,
                     SearchClient, IdentityClient, CaseClient, IssuanceClient, ReviewClient,
                     SupportDecisionClient, TaxClient, TaxCheckClient, TaxInquiryClient, AdminClient,
                     ShokkenClient, IdouListClient, Protocol):
    """Everything the terminal asks of the centre: each page's narrow interface, and the shell's
    own calls (``app.api_client.CentralClient`` is the one that answers them all)."""

    def health(self) -> dict[str, Any]: ...

    def report_terminal_event(self, event: str, reason: str, started_at: dt.datetime,
                              duration_ms: int) -> None: ...


def make_pages(w: Any, client: TerminalClient, runner: Runner, demo_operators: Sequence[dict[str, str]] | None,
               card_access: Callable[[dict[str, Any]], Any] | None, face: Any) -> None:
    """Every page, as an attribute of the window ``w`` (``w.login_page``, ``w.search_page``, …)."""
    failures, visit = w.failures, w.flow.current_visit
    w.login_page = LoginPage(client, runner, demo_operators, failures=failures)
    w.search_page = SearchPage(client, runner, failures=failures)
    w.lock_page = LockPage(client, runner, failures=failures)
    w.admin_page = AdminPage(client, runner, failures=failures)
    w.review_page = ReviewPage(client, runner, failures=failures)
    w.issuance_page = IssuancePage(client, runner, w._print_dir, failures=failures)
    w.identity_page = IdentityPage(client, runner, card_access, failures=failures, visit=visit)
    w.case_page = CasePage(client, runner, drafts=w._drafts, print_dir=w._print_dir,
                           failures=failures, visit=visit,
                           resident=lambda: getattr(w, "resident_screen", None))
    # 個人住民税 (#8): 申告受付・証明書 for a chosen resident, 二重チェック, 照会
    w.tax_page = TaxPage(client, runner, w._print_dir, failures=failures)
    w.tax_check_page = TaxCheckPage(client, runner, failures=failures)
    w.tax_inquiry_page = TaxInquiryPage(client, runner, failures=failures)
    # 支援措置の判断 (WF-7): the supervisors' queue of 判断依頼
    w.decision_page = SupportDecisionPage(client, runner, failures=failures)
    # 顔認証 (AUTH-1) after the password, and the security admin's enrolment (AUTH-5);
    # ``face`` is the camera + provider (ui/devices/face.FaceStation), None without a camera.
    # 職権記載・消除・修正 (K-DQ-16): the clerk's entry and the supervisor's 決裁; 異動リスト (DQ-2)
    w.shokken_page = ShokkenEntryPage(client, runner, failures=failures)
    w.shokken_queue_page = ShokkenQueuePage(client, runner, failures=failures)
    w.idou_list_page = IdouListPage(client, runner, w.terminal_id, w._print_dir, failures=failures)
    w.face_page = FacePage(client, runner, face, failures=failures)
    w.enrol_page = EnrolPage(client, runner, face, failures=failures)
    w.password_page = PasswordRenewalPage(client, runner, failures=failures)
    w.stack = QStackedWidget()
    for page in (w.login_page, w.search_page, w.lock_page, w.admin_page,
                 w.review_page, w.issuance_page, w.identity_page, w.case_page,
                 w.tax_page, w.tax_check_page, w.tax_inquiry_page, w.decision_page,
                 w.face_page, w.enrol_page, w.password_page, w.shokken_page,
                 w.shokken_queue_page, w.idou_list_page):
        w.stack.addWidget(page)
