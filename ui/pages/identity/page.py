"""本人確認画面 (WF-2, DQ-3, DQ-5): the card beside the register record, or a documents checklist.

Card path: カードを読む asks the card for the PIN tries left (no try spent) → the resident types the
4-digit PIN on the pad (masked) → one VERIFY → the card's reading goes into the visit
(``app.visit.Visit.card_read``), which compares it with the register record once, and the page
shows that report. Never retried automatically; with one try left the clerk must confirm first; a
locked PIN gets its own panel and no VERIFY at all; any card error clears whatever was on screen
and says, in Japanese, what the reader reported (``app.identity.CardReadError``). The 個人番号 is
read only for an operator who may read it (``my_number.read``). Documents path: one photo ID or
two other documents (000 L3286). The result is recorded with the centre (who, when, whom, how,
what was checked) and then lives in the visit, where the 受付 and 税 pages find it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app import actions
from app.api_client import OperatorSession, RecordedCheck
from app.identity import CardIdentity, CardReadError, IdentityResult
from app.residents import ResidentSummary
from app.visit import RETURN_CASE, RETURN_SEARCH, RETURN_TAX, Visit
from ui.common.busy import BusyIndicator
from ui.common.i18n import fill
from ui.common.keys import Button
from ui.common.ops import Failure, Failures, PageOps
from ui.common.widgets import MessageLine, page_title
from ui.common.worker import Runner
from ui.pages.identity.card_view import CardView
from ui.pages.identity.documents import DocumentsTab


class IdentityClient(Protocol):
    """What the 本人確認 page asks of the centre."""

    def read_resident(self, resident_id: int, purpose: str | None) -> dict[str, Any]: ...

    def record_identity_check(self, check: dict[str, Any]) -> RecordedCheck: ...


class CardReader(Protocol):
    """A card on the reader (``ui.devices.card.CardAccess``): plain app values in and out."""

    virtual: bool
    demo_pin: str

    def card_status(self) -> tuple[int, dt.datetime | None]: ...

    def read(self, pin: str, *, with_my_number: bool, confirm_last_try: bool) -> CardIdentity: ...


class IdentityPage(QWidget):
    back_requested = Signal()
    recorded = Signal(object)  # IdentityResult, as the centre recorded it (with its seq)

    def __init__(self, client: IdentityClient, runner: Runner,
                 card_access: Callable[[dict[str, Any]], CardReader] | None = None,
                 *, failures: Failures | None = None, visit: Callable[[], Visit] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait (centre, card) shows it and a busy cursor
        self._client = client
        self._card_access = card_access
        own = Visit()
        self._visit: Callable[[], Visit] = visit or (lambda: own)
        self.session: OperatorSession | None = None
        self.card: CardReader | None = None
        self.result: IdentityResult | None = None  # the last check recorded from this page

        title = page_title(self.tr("本人確認"))
        self.back_button = Button(self.tr("検索に戻る(&B)"))
        self.back_button.setAutoDefault(True)
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.back_button)
        self.subject_label = QLabel()
        self.subject_label.setObjectName("identitySubject")

        self.card_tab = CardView()
        self.docs_tab = DocumentsTab()
        view = self.card_tab  # the widgets the clerk (and the tests) know by name
        self.card_status, self.virtual_label, self.read_button = view.card_status, view.virtual_label, view.read_button
        self.pin_box, self.tries_label, self.cert_label = view.pin_box, view.tries_label, view.cert_label
        self.pin_pad, self.confirm_last, self.locked_panel = view.pin_pad, view.confirm_last, view.locked_panel
        self.to_documents_button, self.compare_table = view.to_documents_button, view.compare_table
        self.integrity_label, self.my_number_label = view.integrity_label, view.my_number_label
        self.record_card_button = view.record_card_button
        self.doc_checks, self.docs_verdict = self.docs_tab.doc_checks, self.docs_tab.docs_verdict
        self.record_docs_button = self.docs_tab.record_docs_button

        self.tabs = QTabWidget()
        # Alt+C / Alt+S choose the method from the keyboard; the cursor follows (_method_chosen).
        self.tabs.addTab(self.card_tab, self.tr("マイナンバーカード(&C)"))
        self.tabs.addTab(self.docs_tab, self.tr("書類(&S)"))
        self.tabs.tabBar().setAccessibleName(self.tr("確認の方法"))
        self.message = MessageLine("identityMessage")
        layout = QVBoxLayout(self)
        layout.addLayout(banner)
        layout.addWidget(self.subject_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        self.ops = PageOps(runner, self.busy, self.failures, say=self.message.say,
                           on_busy=self._set_busy)

        self.back_button.clicked.connect(self.back_requested)
        self.read_button.clicked.connect(self.start_card)
        self.pin_pad.submitted.connect(self.submit_pin)
        self.to_documents_button.clicked.connect(lambda: self.tabs.setCurrentWidget(self.docs_tab))
        self.tabs.currentChanged.connect(self._method_chosen)
        self.record_card_button.clicked.connect(self.record_card)
        self.docs_tab.record_requested.connect(self.record_documents)

    @property
    def visit(self) -> Visit:
        return self._visit()

    @property
    def card_result(self) -> CardIdentity | None:
        """The card read for the person being checked, until the check is recorded."""
        person = self.visit.checking
        return person.report.card if person is not None and person.report is not None else None

    # -- keyboard ------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Entering the page puts the cursor on カードを読む (or the documents when no reader)."""
        super().showEvent(event)
        if self.read_button.isEnabled():
            self.read_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._card_access is None:
            self.tabs.setCurrentWidget(self.docs_tab)
            next(iter(self.doc_checks.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def _method_chosen(self, _index: int) -> None:
        """A method chosen by keyboard (Alt+C / Alt+S, Ctrl+Tab) or the mouse: the cursor goes to
        its first step — the first document not yet ticked, or カードを読む — so the clerk never
        hunts for it with Tab; unless it is already on that tab (Qt brings it back to where it
        was left there) or on the tab bar."""
        tab = self.tabs.currentWidget()
        focus = self.focusWidget() if self.isVisible() else None
        if not self.isVisible() or focus is self.tabs.tabBar() or (
                focus is not None and tab.isAncestorOf(focus)):
            return  # arrows on the tab bar keep the cursor there, as everywhere in Qt
        if tab is self.docs_tab:
            self.docs_tab.focus_next()
        elif self.read_button.isEnabled():
            self.read_button.setFocus(Qt.FocusReason.TabFocusReason)

    # -- state -------------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        if session is None:
            self.clear()

    def check(self, resident: ResidentSummary | None, return_to: str,
              newcomer_case: str | None = None) -> None:
        """Start a 本人確認 of ``resident`` (None: a 転入's newcomer, recorded against the case)
        for the page ``return_to``; the back button says where it goes."""
        self.back_button.setText({RETURN_CASE: self.tr("受付に戻る(&B)"),
                                  RETURN_TAX: self.tr("申告に戻る(&B)")}
                                 .get(return_to, self.tr("検索に戻る(&B)")))
        self._start()
        self.visit.begin_identity(resident, return_to, newcomer_case)
        if resident is None:
            self.subject_label.setText(self.tr("対象: 転入の届出人（この市の住民記録はまだありません。"
                                               "カードの券面事項を読み取り、届出の入力に使います）"))
            self._on_record({})
            return
        self.subject_label.setText(fill(self.tr("対象: %1（%2）"), resident.name_kanji, resident.name_kana))
        self.card_status.setText(self.tr("住民記録を読み込んでいます…"))
        client, rid = self._client, resident.id
        self.ops.run(lambda: client.read_resident(rid, "identity"), self._on_record,
                     self._on_record_error)

    def show_resident(self, resident: ResidentSummary | None) -> None:
        """A check of ``resident`` from the search page (None: nothing on screen)."""
        if resident is None:
            self.clear()
        else:
            self.check(resident, RETURN_SEARCH)

    def show_newcomer(self, case_id: str) -> None:
        """A check of a 転入's newcomer, recorded against the counter case ``case_id``."""
        self.check(None, RETURN_CASE, newcomer_case=case_id)

    def clear(self) -> None:
        """Nothing of the check stays on screen (the card's data leaves this page, 000 L4643)."""
        self._start()
        self.subject_label.clear()

    def _start(self) -> None:
        self.card, self.result = None, None
        self.visit.forget_card()
        self.card_tab.reset()
        self.docs_tab.reset()
        self.message.say("")
        self.tabs.setCurrentIndex(0)

    def _on_record(self, record: dict[str, Any]) -> None:
        self.visit.record_fetched(record)
        self.card_status.setText(self.tr("マイナンバーカードをリーダーに置き、「カードを読む」を押してください"))
        self.read_button.setEnabled(True)

    def _on_record_error(self, failure: Failure) -> None:
        self.card_status.setText("")
        self.message.say(failure.message, True)

    # -- card ----------------------------------------------------------------------

    def start_card(self) -> None:
        if self.ops.running or self.visit.checking is None or self._card_access is None:
            if self._card_access is None:
                self.message.say(self.tr("カードリーダーが設定されていません。書類で確認してください"), True)
            return
        self.visit.forget_card()
        self.card_tab.clear_result()
        self.locked_panel.hide()
        self.to_documents_button.hide()
        self.card_status.setText(self.tr("カードを確認しています…"))
        access, record = self._card_access, self.visit.checking.record or {}

        def job() -> Any:  # setting up the reader (or the virtual card's keys) is I/O: off the GUI
            card = access(record)
            return card, card.card_status()

        self.ops.run(job, self._on_card_ready, self._on_card_setup_error)

    def _on_card_setup_error(self, failure: Failure) -> None:
        if not isinstance(failure.exc, CardReadError) and failure.problem is None:
            self.card_status.clear()  # a reader that cannot even be set up
            self.message.say(self.tr("カードリーダーを準備できません。書類で確認してください"), True)
            return
        self._on_card_error(failure)

    def _on_card_ready(self, result: tuple[CardReader, tuple[int, dt.datetime | None]]) -> None:
        card, (tries, not_after) = result
        self.card = card
        self.card_tab.show_virtual(bool(getattr(card, "virtual", False)), getattr(card, "demo_pin", ""))
        self.card_tab.show_status(tries, not_after)

    def submit_pin(self) -> None:
        if self.ops.running or self.card is None:
            return
        pin = self.pin_pad.take()
        if len(pin) != 4 or not pin.isdigit():
            self.message.say(self.tr("暗証番号は4桁の数字です"), True)
            return
        confirm = self.confirm_last.isVisible() and self.confirm_last.isChecked()
        if self.confirm_last.isVisible() and not confirm:
            self.message.say(self.tr("残り1回です。ご本人に伝えたうえで確認欄にチェックしてください"), True)
            return
        with_number = self.session is not None and self.session.may(actions.MY_NUMBER_READ)
        card = self.card
        self.message.say("")
        self.ops.run(lambda: card.read(pin, with_my_number=with_number, confirm_last_try=confirm),
                     self._on_card_read, self._on_card_error)

    def _on_card_read(self, card: CardIdentity) -> None:
        if self.visit.checking is None:
            return  # the check was abandoned meanwhile (session end, another person)
        self.card_tab.show_report(self.visit.card_read(card))

    def _on_card_error(self, failure: Failure) -> None:
        self.visit.forget_card()
        if isinstance(failure.exc, CardReadError):
            self.card_tab.show_error(failure.exc)
        else:  # not a card error (a bug, or the centre): nothing read stays either
            self.card_tab.clear_result()
        self.message.say(failure.message, True)

    # -- record --------------------------------------------------------------------

    def record_card(self) -> None:
        result = self.visit.card_result()
        if result is not None:
            self._record(result)

    def record_documents(self) -> None:
        if not self.docs_tab.sufficient():
            return
        result = self.visit.documents_result(self.docs_tab.checked())
        if result is not None:
            self._record(result)

    def _record(self, result: IdentityResult) -> None:
        client = self._client

        def done(answer: RecordedCheck) -> None:
            self.result = self.visit.identity_recorded(result, answer.seq)
            self.message.say(self.tr("本人確認を記録しました") if result.matched else
                             self.tr("相違があることを含めて記録しました。住民記録の確認が必要です"),
                             not result.matched)
            self.recorded.emit(self.result)

        self.ops.run(lambda: client.record_identity_check(result.to_json()), done)

    def _set_busy(self, busy: bool) -> None:
        self.read_button.setEnabled(not busy and self.visit.checking is not None
                                    and self.visit.checking.record is not None)
        self.pin_pad.ok.setEnabled(not busy)
