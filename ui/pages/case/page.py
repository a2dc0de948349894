"""受付・聞き取り・異動届の入力 (reception, life-event interview, entry): one case, top to bottom.

The clerk types the 受付番号, says who came (本人 / 同一世帯 / 代理人 / 第三者), ticks the life events
and answers the questions; the procedures follow from ``resources/procedures.toml`` (app/procedures)
and the 手続き案内票 prints from them. The 異動届 fields of the chosen kind are pre-filled from the
resident chosen on the search page and, after a 本人確認 with the card for a 転入, from the card
(書かない窓口): both come from the visit (``app.visit.Visit``), which is where the 本人確認 page left
them. Fields are checked as the clerk types (app/idou_entry) and sent to 審査
(``POST /v1/cases/idou``) in the background; the centre's logical checks come back beside the field
they concern. Nothing typed is lost: errors keep the text; 保留 parks the whole case in the
session's encrypted cache and 再開 brings it back. Keyboard only: Tab order follows the page.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from app import clock, forms, idou_entry, procedures, reception, setai_todoke
from app.api_client import OperatorSession, SubmittedCase
from app.identity import CardIdentity
from app.residents import ResidentSearchResult
from app.tokurei import (CardNotInHousehold, TennyuYoteiHousehold, TokureiEntry, household_no_of,
                         refusal_field)
from app.commands import CommandKeys
from app.residents import ResidentSummary
from app.visit import Visit
from ui.common.busy import BusyIndicator
from ui.common.keys import Button
from ui.common.ops import Failure, Failures, PageOps
from ui.common.widgets import page_title
from ui.common.worker import Runner
from ui.pages.case.entry_form import EntryForm
from ui.pages.case.forms_box import FormsBox, FormsStep
from ui.pages.case.interview_box import InterviewBox
from ui.pages.case.keyboard import KeyboardOrder
from ui.pages.case.reception_box import ReceptionBox
from ui.pages.case.setai_box import SetaiBox
from ui.pages.case.tokurei_box import TokureiBox

TOKUREI = "tokurei-%d"  # the Idempotency-Key of each member's 特例転入 (by member_no)
SETAI = "setai"  # the 世帯の届出's draft (its Idempotency-Key)
ENTRY = "entry"  # the one draft this page sends at a time (its Idempotency-Key, app.commands)
#: Which part holds each widget or state the page is known by.
PART_OF = {name: part for part, names in (
    ("reception_box", ("queue_edit", "requester_combo", "poa_check", "proxy_id_check", "open_button",
                       "identity_button", "reception_error", "park_button", "parked_combo",
                       "resume_button")),
    ("interview_box", ("event_checks", "question_checks", "procedure_list", "sharing_label",
                       "guide_button", "plan", "chosen_events", "answers")),
    ("entry_form", ("kind_combo", "subject_label", "form_error", "submit_button", "status_label",
                    "edits", "errors", "card_marks", "card_notes", "current_kind")),
) for name in names}


class CaseClient(Protocol):
    """What the case page asks of the centre."""

    def submit_case(self, command: dict[str, Any], idempotency_key: str) -> SubmittedCase: ...

    def lookup_tennyu_yotei(self, *, my_number: str | None = None,
                            juminhyo_code: str | None = None) -> TennyuYoteiHousehold: ...

    def search_residents(self, purpose: str | None, purpose_note: str | None = None,
                         **keys: Any) -> ResidentSearchResult: ...

    def read_resident(self, resident_id: int, purpose: str | None,
                      purpose_note: str | None = None) -> dict[str, Any]: ...


class HeadNotOnRegister(Exception):
    """The 世帯主's 特例転入 is still with 審査: the members cannot join the 世帯 yet."""


class CasePage(QWidget):
    """受付から審査依頼まで. Signals: ``submitted(case_id)``, ``identity_requested(resident)``."""

    submitted = Signal(int)
    back_requested = Signal()
    identity_requested = Signal(object)  # the ResidentSummary, or None for a 転入 (card without record)

    def __init__(self, client: CaseClient, runner: Runner, *,
                 drafts: Callable[[], Any] | None = None,
                 print_dir: Callable[[], Path] | None = None,
                 catalogue: procedures.Catalogue | None = None,
                 today: Callable[[], dt.date] | None = None,
                 failures: Failures | None = None,
                 visit: Callable[[], Visit] | None = None,
                 resident: Callable[[], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait (centre, printing) shows it and a busy cursor
        self._client = client
        own = Visit()
        self._visit: Callable[[], Visit] = visit or (lambda: own)
        # The counter's day (JST, app.clock), not the OS's: a terminal set to UTC would otherwise
        # date a 届出 made before 09:00 the day before.
        self._drafts, self._print_dir = drafts, print_dir
        self._today: Callable[[], dt.date] = today or (lambda: clock.today())
        self.catalogue = catalogue or procedures.load()
        self.session: OperatorSession | None = None
        self.keys = CommandKeys()
        self._sent: tuple[tuple[str, dict[str, str]], int] | None = None
        self.last_guide: Path | None = None
        self._focus_on_show: QWidget | None = None

        self.reception_box = ReceptionBox()
        self.keyboard = KeyboardOrder(self)
        self.interview_box = InterviewBox(self.catalogue, self.keyboard)
        self.tokurei_box = TokureiBox(self.keyboard)
        self.setai_box = SetaiBox(self.keyboard)
        self.setai_button = Button(self.tr("世帯の届出（複数の異動者）にする(&M)"))
        self.setai_button.setObjectName("setaiToggle")
        self.entry_form = EntryForm(self._today, self.keyboard)
        self.entry_form.layout().addWidget(self.busy)
        self.forms_box = FormsBox()
        self.back_button = Button(self.tr("住民検索に戻る(&B)"))
        self.back_button.setAutoDefault(True)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        # Never squeeze the form to fit the window: the page scrolls instead.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        title = page_title(self.tr("受付・聞き取り・届出の入力"), bold=False)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        for widget in (self.reception_box, self.interview_box, self.tokurei_box, self.entry_form):
            layout.addWidget(widget)
        layout.addWidget(self.setai_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.setai_box)
        layout.addWidget(self.forms_box)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: Tab goes to the fields
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.ops = PageOps(runner, self.busy, self.failures, say=lambda text, _e: self._say(text),
                           on_busy=self._set_busy)
        self._form_catalogue: forms.FormCatalogue | None = None  # read on the first 届出 sent
        self.forms_step = FormsStep(
            self.forms_box, client, self.ops, resident=resident or (lambda: None),
            login_id=lambda: self.session.operator.login_id if self.session else "",
            catalogue=self.form_catalogue, parent=self)

        self.open_button.clicked.connect(self.open_case)
        self.queue_edit.returnPressed.connect(self.open_case)
        self.identity_button.clicked.connect(self.request_identity)
        self.park_button.clicked.connect(self.park_case)
        self.resume_button.clicked.connect(self.resume_selected)
        self.interview_box.planned.connect(self._replanned)
        self.guide_button.clicked.connect(self.print_guide)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.submit_button.clicked.connect(self.submit)
        self.tokurei_box.read_button.clicked.connect(self.request_identity)
        self.tokurei_box.submit_button.clicked.connect(self.submit_tokurei)
        self.setai_button.clicked.connect(self.toggle_setai)
        self.setai_box.submit_button.clicked.connect(self.submit_setai)
        self.setai_box.add_button.clicked.connect(self.keyboard.fix_tab_order)
        self.back_button.clicked.connect(self.back_requested)
        self._set_case_enabled(False)
        self.keyboard.fix_tab_order()

    # -- the visit's state, by name ----------------------------------------------------

    @property
    def visit(self) -> Visit:
        return self._visit()

    @property
    def case(self) -> reception.CaseFile | None:
        return self.visit.case

    @property
    def resident(self) -> ResidentSummary | None:
        subject = self.visit.subject
        return subject.resident if subject is not None else None

    def __getattr__(self, name: str) -> Any:
        """The parts' widgets and state by their names on the page (``page.queue_edit``,
        ``page.edits``, …), as a reader and the tests knew them before the page was split."""
        part = PART_OF.get(name)
        if part is not None and part in self.__dict__:
            return getattr(self.__dict__[part], name)
        raise AttributeError(name)

    def entry_values(self) -> dict[str, str]:
        return self.entry_form.values()

    # -- keyboard ----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Entering the page puts the cursor where the clerk goes on: the 受付番号 for a new case,
        else the next thing to do (the field after the card's, after a 本人確認)."""
        super().showEvent(event)
        target = self._focus_on_show or self._default_focus()
        self._focus_on_show = None
        if target is not None and target.isEnabled():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _default_focus(self) -> QWidget | None:
        if self.case is None:
            return self.queue_edit
        return self.entry_form.first_empty() or next(iter(self.event_checks.values()), None)

    # -- session ---------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        if session is None:
            self.reset()
        self._refresh_parked()

    def reset(self) -> None:
        """Forget the case on screen (session end); parked cases die with the session cache."""
        self.visit.close_case()
        self.keys.clear()
        self._sent = None
        self._focus_on_show = None
        self.reception_box.reset()
        self.interview_box.reset()
        self.entry_form.clear()
        self._show_tokurei(None)
        self._show_setai(False)
        self.setai_box.clear()
        self.forms_step.reset()
        self.status_label.clear()
        self.subject_label.clear()
        self._set_case_enabled(False)

    def set_resident(self, resident: ResidentSummary | None) -> None:
        """The person the 届出 is about, chosen on the search page (its record pre-fills)."""
        self.visit.choose(resident)
        self.setai_box.set_residents(self._visit_residents())
        self._show_subject()
        self._kind_changed()

    # -- 受付 ------------------------------------------------------------------

    def open_case(self) -> None:
        case = self.reception_box.new_case()
        if case is None:
            return
        self.forms_step.reset()  # the previous visit's forms end with it
        self.visit.open_case(case)
        if case.requester_kind == "third_party":
            self.status_label.setText(self.tr("第三者からの請求です。交付は審査を経てから行います。"))
        self._set_case_enabled(True)
        next(iter(self.event_checks.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_case_enabled(self, on: bool) -> None:
        self.reception_box.set_open(on)
        self.interview_box.set_open(on)
        for widget in (self.guide_button, self.kind_combo, self.submit_button, self.setai_button):
            widget.setEnabled(on)

    # -- 本人確認 ------------------------------------------------------------------

    def request_identity(self) -> None:
        """本人確認 for this case: the chosen resident's record beside the card, or — nobody chosen,
        a 転入 — the card alone, whose 券面事項 then fill the 転入届."""
        if self.case is None or self.ops.running:
            return
        self.case.entry_values = self.entry_values()  # nothing typed is lost on the way
        self.identity_requested.emit(self.resident)

    def identity_recorded(self, method: str) -> None:
        """The 本人確認 asked from this case was recorded (the visit holds it): with a card read for
        a 転入, its 4情報 fill the fields the clerk has left empty (nothing typed is overwritten),
        each marked as from the card."""
        case = self.case
        if case is None:
            return
        card = self.visit.take_newcomer_card()
        if method == "card" and card is not None and self.resident is None \
                and self.current_kind() == "tennyu" and self._tokurei_card(card):
            return
        if method != "card" or not case.card_values or self.resident is not None:
            self.status_label.setText(self.tr("本人確認を記録しました。"))
            return
        if self.current_kind() == "tennyu":
            self._restore_entry("tennyu", self.visit.entry_values("tennyu", {}, self.entry_values()))
            self._focus_on_show = self.entry_form.first_empty()
            self.status_label.setText(self.tr("カードの券面事項（氏名・生年月日・性別・転入前住所）を入力しました。"
                                              "フリガナと新しい住所を入力してください。"))
        else:
            self._focus_on_show = next(iter(self.event_checks.values()), None)
            self.status_label.setText(self.tr("カードを読み取りました。聞き取りで「転入」を選ぶと届出に入力されます。"))

    # -- 聞き取り ----------------------------------------------------------------

    def _replanned(self) -> None:
        plan = self.interview_box.plan
        if self.case is not None:
            self.case.events, self.case.answers = self.chosen_events(), self.answers()
        if self.entry_form.set_kinds(plan.idou_kinds if plan is not None else ()):
            self._kind_changed()
        self.keyboard.fix_tab_order()

    def print_guide(self) -> None:
        if self.case is None or self.plan is None or self.ops.running:
            if self.plan is None:
                self.status_label.setText(self.tr("ライフイベントを選んでください"))
            return
        from ui.printing.guide_pdf import render_guide

        lines = procedures.guide(self.plan)
        sent = self.forms_step.guide_lines()
        folder = self._print_dir() if self._print_dir else Path.cwd()
        path = folder / f"guide-{secrets.token_hex(6)}.pdf"
        queue, today = self.case.queue_number, self._today()
        self.status_label.setText(self.tr("手続き案内票を作成しています…"))

        def job() -> Path:
            render_guide(lines, queue, path, today, sent)
            return path

        self.ops.run(job, self._guide_done)

    def _guide_done(self, path: Path) -> None:
        self.last_guide = path
        self.status_label.setText(self.tr("手続き案内票を作成しました。来庁者にお渡しください。"))

    # -- 入力 -------------------------------------------------------------------

    def _show_subject(self) -> None:
        r = self.resident
        self.subject_label.setText(
            self.tr("対象者: %1（%2）").replace("%1", r.name_kanji).replace("%2", r.address)
            if r is not None else self.tr("対象者: 住民検索で選んでください（転入・出生は不要）"))

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        typed = self.entry_values() if self.edits else {}
        case = self.case
        self.entry_form.clear()
        self._show_subject()
        if kind is None:
            return
        values = self.visit.draft_values(kind, typed, self._today())
        self.entry_form.build(kind, values, self.visit.card_values(kind), self.visit.card_notes())
        self.keyboard.fix_tab_order()
        if case is not None:
            case.entry_kind = kind
        self.keys.forget(ENTRY)  # a different 届出: a new command

    def _entry(self) -> idou_entry.Entry:
        return self.visit.entry(self.current_kind() or "", self.entry_values())

    def show_errors(self, errors: dict[str, str]) -> None:
        self.entry_form.show_errors(errors)

    def submit(self) -> None:
        if self.case is None or self.ops.running or self.current_kind() is None:
            return
        entry = self._entry()
        if self._sent is not None and self._sent[0] == (entry.kind, entry.values):
            # The same 届出 again (a second press): never a second case.
            self.status_label.setText(
                self.tr("この届出は審査に回しました（案件番号 %1）。内容を変えたときだけ再送できます。")
                .replace("%1", str(self._sent[1])))
            return
        today = self._today()
        errors = entry.errors(today)
        self.show_errors(errors)
        if errors:
            return
        command = entry.command(today)
        key, client = self.keys.key(ENTRY), self._client  # a retry of the same 届出 keeps its key
        self.case.entry_values = entry.values
        self.status_label.setText(self.tr("送信しています…"))
        self.ops.run(lambda: client.submit_case(command, key), self._submitted, self._refused)

    def form_catalogue(self) -> forms.FormCatalogue:
        if self._form_catalogue is None:
            self._form_catalogue = forms.load(catalogue=self.catalogue)
        return self._form_catalogue

    def _start_forms(self, case_id: int, kind: str, values: dict[str, str],
                     members: list[dict[str, str]] | None = None) -> None:
        """The 届出 is sent: the visit's forms, filled from it, the card and the register. The
        届出人 is the person worked on only when that person came (本人); otherwise the clerk
        completes it on the form. A catalogue that cannot be read is said, never raised."""
        if self.case is None or self.plan is None:
            return
        r = self.resident
        subject = self.visit.subject
        record: dict[str, Any] | None = None
        if r is not None:
            record = {k: getattr(r, k, None) for k in forms.REGISTER_KEYS}
            if subject is not None and subject.resident_id == r.id and subject.record:
                record.update({k: v for k, v in subject.record.items()
                               if k in forms.REGISTER_KEYS and v not in (None, "")})
        requester = ""
        if self.case.requester_kind == "self":
            requester = values.get("name_kanji") or (r.name_kanji if r is not None else "")
            if members:
                requester = next((m.get("name_kanji", "") for m in members
                                  if m.get("relationship_to_head") == "世帯主"), "") or requester
        try:
            sources = forms.sources_for(self.case, entry_kind=kind, entry_values=values,
                                        record=record, members=members, requester_name=requester,
                                        today=self._today())
            self.forms_step.start(case_id, self.plan, sources)
        except forms.FormCatalogueError as exc:
            self.forms_box.show()
            self.forms_box.say(self.tr("申請書カタログを読み込めません: %1").replace(
                "%1", exc.message_ja), True)
        self.keyboard.fix_tab_order()

    def _submitted(self, answer: SubmittedCase) -> None:
        case_id = answer.case_id
        kind, values = self.current_kind() or "", self.entry_values()
        if self.case is not None:
            self.case.submitted_case_ids.append(case_id)
            self.case.entry_values = {}
        self._sent = ((self.current_kind() or "", self.entry_values()), case_id)
        self.keys.forget(ENTRY)
        self.status_label.setText(
            self.tr("審査待ちになりました（案件番号 %1）。別の職員の審査後に住民票に反映されます。")
            .replace("%1", str(case_id)))
        self.submitted.emit(case_id)
        self._start_forms(case_id, kind, values)

    def _refused(self, failure: Failure) -> None:
        self.keys.failed(ENTRY, failure.exc)  # corrected input is a new command; a retry is not
        problem = failure.problem
        if problem is not None and problem.status < 500:
            name = idou_entry.field_of({"field": problem.field})
            self.show_errors({name: problem.detail_ja or problem.title_ja or failure.message})
            self.status_label.setText(self.tr("センターの確認で差し戻されました。表示された項目を直してください。"))
            return
        self.status_label.setText(failure.message)  # kept: the same key retries later

    def _set_busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy and self.case is not None)
        self.tokurei_box.submit_button.setEnabled(not busy and self.case is not None)
        self.setai_box.submit_button.setEnabled(not busy and self.case is not None)
        self.guide_button.setEnabled(not busy and self.case is not None)

    # -- 特例転入 (転出証明書情報, #22 point 2) ----------------------------------------------

    def _say(self, text: str) -> None:
        label = self.tokurei_box.status_label if self.visit.tokurei is not None else self.status_label
        label.setText(text)

    def _show_tokurei(self, entry: TokureiEntry | None) -> None:
        """The 特例転入 box instead of the one-person form while a household is on screen."""
        self.setai_button.setVisible(entry is None)  # a 特例転入 is the household's 届出 already
        if entry is None:
            self.tokurei_box.clear()
            self.entry_form.show()
        else:
            self.tokurei_box.show_entry(entry)
            self.entry_form.hide()
            self.setai_box.hide()
        self.keyboard.fix_tab_order()

    def _tokurei_card(self, card: CardIdentity) -> bool:
        """A newcomer's card with its 個人番号 was recorded for a 転入: the first finds the 転入予定
        household (in the background), each further one is matched to its member. False: no
        特例転入 here (the card fills the one-person 転入届 as before)."""
        entry = self.visit.tokurei
        if entry is not None:
            box = self.tokurei_box
            try:
                member = entry.add_card(card)
            except CardNotInHousehold as exc:  # refused: shown, never whose card it is
                box.card_error.setText(str(exc))
                box.status_label.setText(self.tr("カードが一致しません。"))
                return True
            box.card_error.clear()
            box.refresh()
            missing = entry.household.cards_missing(entry.cards | dict.fromkeys(entry.sent))
            box.status_label.setText(
                self.tr("%1 さんのカードを照合しました。").replace("%1", member.name_kanji)
                + (self.tr("残り %1 枚のカードを読み取ってください。").replace("%1", str(len(missing)))
                   if missing else self.tr("全員のカードを読み取りました。住所・異動日・続柄を確認してください。")))
            self._focus_on_show = box.read_button if missing else box.edits["postal_code"]
            return True
        client, number = self._client, card.my_number
        self.status_label.setText(self.tr("転出証明書情報（転入予定者）を照会しています…"))

        def found(household: TennyuYoteiHousehold) -> None:
            try:
                self.visit.start_tokurei(household, card)
            except CardNotInHousehold as exc:
                self.status_label.setText(str(exc))
                return
            self._show_tokurei(self.visit.tokurei)
            n = len(household.members)
            self.tokurei_box.status_label.setText(
                self.tr("転入予定の世帯（%1 人）が見つかりました。各世帯員のカードを読み取ってください。")
                .replace("%1", str(n)) if self.visit.tokurei.household.cards_missing(self.visit.tokurei.cards)
                else self.tr("転入予定の世帯が見つかりました。住所・異動日・続柄を確認してください。"))
            target = self.tokurei_box.read_button if household.cards_missing(
                self.visit.tokurei.cards) else self.tokurei_box.edits["postal_code"]
            self._focus_on_show = target
            target.setFocus(Qt.FocusReason.OtherFocusReason)

        def not_found(failure: Failure) -> None:
            if failure.code == "tennyu_yotei_not_found":  # a 転入 with a paper 転出証明書
                self._fill_from_card()
                self.status_label.setText(
                    self.tr("転出証明書情報は届いていません。カードの券面事項を入力しました。"
                            "転出証明書（紙）で確認して入力してください。"))
                return
            self._fill_from_card()
            self.status_label.setText(failure.message)

        self.ops.run(lambda: client.lookup_tennyu_yotei(my_number=number), found, not_found)
        return True

    def _fill_from_card(self) -> None:
        self._restore_entry("tennyu", self.visit.entry_values("tennyu", {}, self.entry_values()))
        target = self.entry_form.first_empty()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit_tokurei(self) -> None:
        """The pending 特例転入: the 世帯主's first (it founds the 世帯), then — once it is on the
        register — every other member's into that 世帯, each its own case for 審査."""
        entry, box = self.visit.tokurei, self.tokurei_box
        if entry is None or self.ops.running:
            return
        pending = entry.pending()
        if not pending:
            box.status_label.setText(self.tr("この世帯の特例転入はすべて審査に回しました。"))
            return
        today, values, rels = self._today(), box.values(), box.relationships()
        errors = entry.problems(values, rels, today=today)
        box.show_errors(errors)
        if errors:
            box.status_label.setText(self.tr("表示された項目を確認してください。"))
            return
        client, keys = self._client, self.keys
        ikeys = {m.member_no: keys.key(TOKUREI % m.member_no) for m in pending}  # a retry keeps them
        head = entry.head
        founding = pending[0].member_no == head.member_no
        sending: list[int] = []  # the member whose 転入 is on its way (for a refusal's row)

        def job() -> list[tuple[int, int]]:
            household_no = None
            if not founding:
                found = client.search_residents("idou", juminhyo_code=head.juminhyo_code)
                if not found.items:
                    raise HeadNotOnRegister()
                household_no = household_no_of(client.read_resident(found.items[0].id, "idou"))
                if not household_no:
                    raise HeadNotOnRegister()
            out = []
            for member_no, command in entry.commands(values, rels, today=today,
                                                     household_no=household_no):
                sending.append(member_no)
                case = client.submit_case(command, ikeys[member_no])
                out.append((member_no, case.case_id))
            return out

        def done(sent: list[tuple[int, int]]) -> None:
            for member_no, case_id in sent:
                entry.sent_case(member_no, case_id)
                keys.forget(TOKUREI % member_no)
                if self.case is not None:
                    self.case.submitted_case_ids.append(case_id)
                self.submitted.emit(case_id)
            box.refresh()
            box.show_errors({})
            if founding and sent:  # the household's forms, signed once, go with the 世帯主's 転入
                h = entry.household
                self._start_forms(sent[0][1], "tennyu", {**values, "moved_in_from": h.address}, [
                    forms.person_row(m, event="tennyu", relationship_to_head=rels.get(m.member_no)
                                     or m.relationship_to_head) for m in h.members])
            if entry.pending():
                box.status_label.setText(self.tr(
                    "世帯主の転入を審査に回しました（案件番号 %1）。審査で住民票に記載された後、"
                    "もう一度「特例転入を審査に回す」で世帯員の転入を送ります。").replace("%1", str(sent[0][1])))
            else:
                box.status_label.setText(self.tr(
                    "世帯員の転入を審査に回しました（案件番号 %1）。別の職員の審査後に住民票に反映されます。")
                    .replace("%1", "、".join(str(c) for _, c in sent)))

        def refused(failure: Failure) -> None:
            if isinstance(failure.exc, HeadNotOnRegister):
                box.status_label.setText(self.tr(
                    "世帯主の転入がまだ審査中です。審査で住民票に記載されてから世帯員の転入を送ってください。"))
                return
            problem = failure.problem
            member_no = sending[-1] if sending else pending[0].member_no
            self.keys.failed(TOKUREI % member_no, failure.exc)
            if problem is not None and problem.status < 500:
                index = next(i for i, m in enumerate(entry.household.members)
                             if m.member_no == member_no)
                box.show_errors({refusal_field(problem.field, index):
                                 problem.detail_ja or problem.title_ja or failure.message})
                box.status_label.setText(self.tr("センターの確認で差し戻されました。表示された項目を直してください。"))
                return
            box.status_label.setText(failure.message)

        box.status_label.setText(self.tr("送信しています…"))
        self.ops.run(job, done, refused)

    # -- 世帯の届出 (several 異動者, #22 point 1) --------------------------------------------

    def _visit_residents(self) -> list[ResidentSummary]:
        return [p.resident for p in self.visit.persons if p.resident is not None]

    def _show_setai(self, on: bool) -> None:
        self.setai_box.setVisible(on)
        self.entry_form.setVisible(not on and self.visit.tokurei is None)
        self.setai_button.setText(self.tr("一人の届出に戻る(&M)") if on
                                  else self.tr("世帯の届出（複数の異動者）にする(&M)"))
        self.keyboard.fix_tab_order()

    def toggle_setai(self) -> None:
        """The 世帯の届出 instead of the one-person 届出 (and back; what was typed in either stays)."""
        if self.case is None:
            return
        box = self.setai_box
        if box.isVisible():
            self._show_setai(False)
            return
        box.set_residents(self._visit_residents())
        if not box.rows:
            row = box.add_row()
            if self.resident is not None:
                row.choose(row.person, self.resident.id)
        if not box.edits["todoke_date"].text():
            box.edits["todoke_date"].setText(self._today().isoformat())
        self._show_setai(True)
        box.edits["idou_date"].setFocus(Qt.FocusReason.OtherFocusReason)

    def submit_setai(self) -> None:
        """The 世帯の届出 to 審査: the format and household checks first (beside each field and
        row), then the centre's; its refusal lands on the row it names. Nothing typed is lost."""
        box = self.setai_box
        if self.case is None or self.ops.running:
            return
        draft, errors = setai_todoke.entry_draft(
            box.values(), box.entry_rows(), today=self._today(),
            identity_check_seq=self.case.identity_check_seq)
        if draft is not None:
            errors = draft.problems()
        box.show_errors(errors)
        if errors or draft is None:
            box.status_label.setText(self.tr("表示された項目を確認してください。"))
            return
        command, key, client = draft.command(), self.keys.key(SETAI), self._client
        box.status_label.setText(self.tr("送信しています…"))

        header, rows = box.values(), box.entry_rows()

        def done(answer: SubmittedCase) -> None:
            self.keys.forget(SETAI)
            if self.case is not None:
                self.case.submitted_case_ids.append(answer.case_id)
            box.status_label.setText(
                self.tr("審査待ちになりました（案件番号 %1）。別の職員の審査後に住民票に反映されます。")
                .replace("%1", str(answer.case_id)))
            self.submitted.emit(answer.case_id)
            self._start_forms(answer.case_id, next((r.event for r in rows), "setai_henko"), header, [
                forms.person_row(r.resident, event=r.event,
                                 relationship_to_head=r.relationship_to_head or None)
                for r in rows if r.resident is not None])

        def refused(failure: Failure) -> None:
            self.keys.failed(SETAI, failure.exc)
            problem = failure.problem
            if problem is not None and problem.status < 500:
                index, name = setai_todoke.member_field({"field": problem.field})
                where = f"members[{index}].{name}" if index is not None else name
                box.show_errors({where: problem.detail_ja or problem.title_ja or failure.message})
                box.status_label.setText(self.tr("センターの確認で差し戻されました。表示された項目を直してください。"))
                return
            box.status_label.setText(failure.message)

        self.ops.run(lambda: client.submit_case(command, key), done, refused)

    # -- 保留 / 再開 -------------------------------------------------------------

    def _store(self) -> Any:
        return self._drafts() if self._drafts else None

    def park_case(self) -> None:
        store, case = self._store(), self.case
        if case is None:
            return
        if store is None:
            self.status_label.setText(self.tr("この端末では保留できません（作業領域がありません）"))
            return
        reception.park(store, self.visit.keep_draft(self.current_kind(), self.entry_values()) or case)
        left = [f.form.title for f in self.forms_step.set.to_store()]  # forms live in memory only
        self.reset()
        self._refresh_parked()
        said = self.tr("受付番号 %1 を保留しました。").replace("%1", case.queue_number)
        if left:
            said += self.tr("保存していない申請書（%1）は破棄しました。").replace("%1", "・".join(left))
        self.reception_error.setText(said)
        self.queue_edit.setFocus(Qt.FocusReason.OtherFocusReason)  # the next resident's 受付

    def _refresh_parked(self) -> None:
        store = self._store()
        if store is None or self.session is None:
            self.reception_box.show_parked([], False)
            return
        self.reception_box.show_parked(reception.parked(store), self.case is None)

    def resume_selected(self) -> None:
        store = self._store()
        case_id = self.parked_combo.currentData()
        if store is None or case_id is None or self.case is not None:
            return
        case = reception.resume(store, case_id)
        kind, values = case.entry_kind, dict(case.entry_values)  # kept before the page rebuilds
        self.reception_box.show_case(case)
        self.visit.resume_case(case)
        self._set_case_enabled(True)
        self.interview_box.restore(list(case.events), dict(case.answers))
        if kind:
            self.entry_form.choose_kind(kind)
            self._restore_entry(kind, values)
        self._refresh_parked()
        self.status_label.setText(self.tr("受付番号 %1 を再開しました。").replace("%1", case.queue_number))
        target = self._default_focus()  # where the clerk left off: the first empty field
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _restore_entry(self, kind: str, values: dict[str, str]) -> None:
        self.entry_form.clear()
        if self.case is not None:
            self.case.entry_kind, self.case.entry_values = kind, values
        self._kind_changed()
