"""受付・聞き取り・異動届の入力 (reception, life-event interview, entry): one case, top to bottom.

The clerk types the 受付番号, says who came (本人 / 同一世帯 / 代理人 / 第三者), ticks the life events
and answers the questions; the procedures follow from ``resources/procedures.toml`` (app/procedures)
and the 手続き案内票 prints from them. The 異動届 fields of the chosen kind are pre-filled from the
resident picked on the search page (書かない窓口), checked as the clerk types (app/idou_entry) and sent
to 審査 (``POST /v1/cases/idou``) in the background; the centre's logical checks come back beside
the field they concern. Nothing typed is lost: errors keep the text; 保留 parks the whole case in
the session's encrypted cache and 再開 brings it back. Keyboard only: Tab order follows the page.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from app import clock, idou_entry, procedures, reception
from app.api_client import ApiError, CentralUnreachable, OperatorSession
from app.residents import ResidentSummary
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.keys import Button
from ui.common.ops import Failures
from ui.common.worker import Runner

ERROR_STYLE = "color: #b00020;"
CARD_STYLE = "color: #0d47a1; font-size: 90%;"
CHECK_STYLE = "background: #fff3c4; color: #5d4200; padding: 2px;"  # as the identity page's 目視確認
RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CasePage(QWidget):
    """受付から審査依頼まで. Signals: ``session_ended(message)``, ``submitted(case_id)``."""

    session_ended = Signal(str)
    submitted = Signal(int)
    back_requested = Signal()
    identity_requested = Signal(object)  # the ResidentSummary, or None for a 転入 (card without record)

    def __init__(self, client: Any, runner: Runner, *,
                 drafts: Callable[[], Any] | None = None,
                 print_dir: Callable[[], Path] | None = None,
                 catalogue: procedures.Catalogue | None = None,
                 today: Callable[[], dt.date] | None = None,
                 failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait (centre, printing) shows it and a busy cursor
        self._client, self._runner = client, self.busy.wrap(runner)
        # The counter's day (JST, app.clock), not the OS's: a terminal set to UTC would otherwise
        # date a 届出 made before 09:00 the day before.
        self._drafts, self._print_dir = drafts, print_dir
        self._today: Callable[[], dt.date] = today or (lambda: clock.today())
        self.catalogue = catalogue or procedures.load()
        self.session: OperatorSession | None = None
        self.case: reception.CaseFile | None = None
        self.resident: ResidentSummary | None = None
        self.plan: procedures.Plan | None = None
        self._key: str | None = None
        self._sent: tuple[tuple[str, dict[str, str]], int] | None = None
        self._busy = False
        self.last_guide: Path | None = None
        self._focus_on_show: QWidget | None = None

        title = QLabel(self.tr("受付・聞き取り・届出の入力"))
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)

        # -- 受付 ------------------------------------------------------------
        self.queue_edit = QLineEdit()
        self.queue_edit.setObjectName("queueNumber")
        self.queue_edit.setAccessibleName(self.tr("受付番号"))
        self.queue_edit.setPlaceholderText(self.tr("整理券の番号（例: A-012）"))
        self.requester_combo = QComboBox()
        self.requester_combo.setAccessibleName(self.tr("来庁者の立場"))
        for code, label in (("self", self.tr("本人")), ("household", self.tr("同一世帯の方")),
                            ("proxy", self.tr("代理人（委任状）")), ("third_party", self.tr("第三者"))):
            self.requester_combo.addItem(label, code)
        self.poa_check = QCheckBox(self.tr("委任状を確認した"))
        self.proxy_id_check = QCheckBox(self.tr("代理人本人の本人確認をした"))
        self.open_button = Button(self.tr("受付を開始(&O)"))
        self.open_button.setObjectName("openCaseButton")
        self.open_button.clicked.connect(self.open_case)
        self.queue_edit.returnPressed.connect(self.open_case)
        self.identity_button = Button(self.tr("本人確認（マイナンバーカード）(&I)"))
        self.identity_button.setObjectName("caseIdentityButton")
        self.identity_button.clicked.connect(self.request_identity)
        self.reception_error = QLabel()
        self.reception_error.setObjectName("receptionError")
        self.reception_error.setStyleSheet(ERROR_STYLE)
        self.reception_error.setWordWrap(True)
        self.park_button = Button(self.tr("保留(&H)"))
        self.park_button.setObjectName("parkCaseButton")
        self.park_button.clicked.connect(self.park_case)
        self.parked_combo = QComboBox()
        self.parked_combo.setAccessibleName(self.tr("保留中の案件"))
        self.resume_button = Button(self.tr("再開(&E)"))
        self.resume_button.setObjectName("resumeCaseButton")
        self.resume_button.clicked.connect(self.resume_selected)
        reception_box = QGroupBox(self.tr("1. 受付"))
        rform = QFormLayout(reception_box)
        rform.addRow(self.tr("受付番号(&Q)"), self.queue_edit)
        rform.addRow(self.tr("来庁者(&W)"), self.requester_combo)
        rform.addRow("", self.poa_check)
        rform.addRow("", self.proxy_id_check)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.identity_button)
        row.addWidget(self.park_button)
        row.addStretch(1)
        parked_label = QLabel(self.tr("保留中(&Y):"))
        parked_label.setBuddy(self.parked_combo)
        row.addWidget(parked_label)
        row.addWidget(self.parked_combo)
        row.addWidget(self.resume_button)
        rform.addRow(row)
        rform.addRow(self.reception_error)

        # -- 聞き取り --------------------------------------------------------
        interview_box = QGroupBox(self.tr("2. 聞き取り（ライフイベント）"))
        ilayout = QVBoxLayout(interview_box)
        events_row = QHBoxLayout()
        self.event_checks: dict[str, QCheckBox] = {}
        for event in self.catalogue.events:
            box = QCheckBox(event.label)
            box.setObjectName(f"event_{event.id}")
            box.toggled.connect(self._rebuild_questions)
            box.installEventFilter(self)  # Return: on to the 届出 (interview done)
            self.event_checks[event.id] = box
            events_row.addWidget(box)
        events_row.addStretch(1)
        ilayout.addLayout(events_row)
        self.questions_box = QVBoxLayout()
        self.question_checks: dict[str, QCheckBox] = {}
        ilayout.addLayout(self.questions_box)
        self.procedure_list = QListWidget()
        self.procedure_list.setObjectName("procedureList")
        self.procedure_list.setAccessibleName(self.tr("必要な手続き"))
        self.procedure_list.setMaximumHeight(150)
        procedures_label = QLabel(self.tr("必要な手続き(&L)"))
        procedures_label.setBuddy(self.procedure_list)
        ilayout.addWidget(procedures_label)
        ilayout.addWidget(self.procedure_list)
        self.sharing_label = QLabel()
        self.sharing_label.setObjectName("sharingNotice")
        self.sharing_label.setWordWrap(True)
        self.sharing_label.setStyleSheet("color: #8a5300; font-weight: bold;")
        ilayout.addWidget(self.sharing_label)
        self.guide_button = Button(self.tr("手続き案内票を印刷(&G)"))
        self.guide_button.setObjectName("printGuideButton")
        self.guide_button.clicked.connect(self.print_guide)
        ilayout.addWidget(self.guide_button, 0, Qt.AlignmentFlag.AlignLeft)

        # -- 入力 -----------------------------------------------------------
        entry_box = QGroupBox(self.tr("3. 届出の入力"))
        elayout = QVBoxLayout(entry_box)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("idouKind")
        self.kind_combo.setAccessibleName(self.tr("届出の種類"))
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.subject_label = QLabel()
        self.subject_label.setObjectName("entrySubject")
        self.subject_label.setWordWrap(True)
        top = QHBoxLayout()
        kind_label = QLabel(self.tr("届出の種類(&K)"))
        kind_label.setBuddy(self.kind_combo)
        top.addWidget(kind_label)
        top.addWidget(self.kind_combo)
        top.addWidget(self.subject_label, 1)
        elayout.addLayout(top)
        self.form = QFormLayout()
        elayout.addLayout(self.form)
        self.edits: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.card_marks: dict[str, QLabel] = {}  # 「カードから」 beside a field the card filled
        self.card_notes: dict[str, QLabel] = {}  # 外字・代替文字 → 目視確認
        self.form_error = QLabel()
        self.form_error.setObjectName("entryError")
        self.form_error.setStyleSheet(ERROR_STYLE)
        self.form_error.setWordWrap(True)
        elayout.addWidget(self.form_error)
        self.submit_button = Button(self.tr("審査に回す(&S)"))
        self.submit_button.setObjectName("submitCaseButton")
        self.submit_button.clicked.connect(self.submit)
        self.status_label = QLabel()
        self.status_label.setObjectName("caseStatus")
        self.status_label.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.submit_button)
        bottom.addWidget(self.status_label, 1)
        elayout.addLayout(bottom)
        elayout.addWidget(self.busy)

        self.back_button = Button(self.tr("住民検索に戻る(&B)"))
        self.back_button.clicked.connect(self.back_requested)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        # Never squeeze the form to fit the window: the page scrolls instead.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(title)
        layout.addWidget(reception_box)
        layout.addWidget(interview_box)
        layout.addWidget(entry_box)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: Tab goes to the fields
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        # Return presses a focused button (as in a dialog); Space does too.
        for button in (self.open_button, self.identity_button, self.park_button, self.resume_button,
                       self.guide_button, self.submit_button, self.back_button):
            button.setAutoDefault(True)
        self._set_case_enabled(False)
        self._fix_tab_order()

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
        return self._first_entry_field() or next(iter(self.event_checks.values()), None)

    def _first_entry_field(self) -> QWidget | None:
        """The first field of the 届出 still empty (else the first field)."""
        values = self.entry_values()
        for name, edit in self.edits.items():
            if not (values.get(name) or "").strip():
                return edit
        return next(iter(self.edits.values()), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Return advances: from the interview to the first empty field of the 届出, and from a
        field of the 届出 to the next (the last one to 審査に回す)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in RETURN_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if watched in self.event_checks.values() or watched in self.question_checks.values():
                target = self._first_entry_field()
                if target is not None:
                    target.setFocus(Qt.FocusReason.TabFocusReason)
                    self.scroll.ensureWidgetVisible(target)
                    return True
            elif watched in self.edits.values():
                self._advance_from(watched)
                return True
        return super().eventFilter(watched, event)

    def _advance_from(self, edit: QObject) -> None:
        names = list(self.edits)
        for name, widget in self.edits.items():
            if widget is edit:
                self._check(name)
                i = names.index(name)
                target = self.edits[names[i + 1]] if i + 1 < len(names) else self.submit_button
                target.setFocus(Qt.FocusReason.TabFocusReason)
                self.scroll.ensureWidgetVisible(target)
                return

    def _fix_tab_order(self) -> None:
        """Tab follows the page top to bottom, including the questions and the 届出's fields that
        are built as the interview goes (Qt would put new widgets at the end of the chain)."""
        chain: list[QWidget] = [self.queue_edit, self.requester_combo, self.poa_check,
                                self.proxy_id_check, self.open_button, self.identity_button,
                                self.park_button, self.parked_combo, self.resume_button]
        chain += list(self.event_checks.values()) + list(self.question_checks.values())
        chain += [self.procedure_list, self.guide_button, self.kind_combo]
        chain += list(self.edits.values()) + [self.submit_button, self.back_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- session ---------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        if session is None:
            self.reset()
        self._refresh_parked()

    def reset(self) -> None:
        """Forget the case on screen (session end); parked cases die with the session cache."""
        self.case, self.resident, self.plan, self._key = None, None, None, None
        self._sent = None
        self._focus_on_show = None
        self.queue_edit.clear()
        self.requester_combo.setCurrentIndex(0)
        self.poa_check.setChecked(False)
        self.proxy_id_check.setChecked(False)
        for box in self.event_checks.values():
            box.setChecked(False)
        self._clear_entry()
        self.reception_error.clear()
        self.status_label.clear()
        self.procedure_list.clear()
        self.sharing_label.clear()
        self.subject_label.clear()
        self._set_case_enabled(False)

    def set_resident(self, resident: ResidentSummary | None) -> None:
        """The person the 届出 is about, chosen on the search page (its record pre-fills)."""
        self.resident = resident
        if self.case is not None and resident is not None and resident.id not in self.case.resident_ids:
            self.case.resident_ids.append(resident.id)
        self._show_subject()
        self._kind_changed()

    # -- 受付 ------------------------------------------------------------------

    def open_case(self) -> None:
        try:
            queue = reception.normalise_queue_number(self.queue_edit.text())
        except ValueError as exc:
            self.reception_error.setText(str(exc))
            self.queue_edit.setFocus()
            return
        kind = self.requester_combo.currentData()
        problem = reception.requester_problem(kind, self.poa_check.isChecked(),
                                              self.proxy_id_check.isChecked())
        if problem:
            self.reception_error.setText(problem)
            return
        self.reception_error.clear()
        self.case = reception.CaseFile(queue, kind, self.poa_check.isChecked(),
                                       self.proxy_id_check.isChecked())
        if self.resident is not None:
            self.case.resident_ids.append(self.resident.id)
        self.queue_edit.setText(queue)
        if kind == "third_party":
            self.status_label.setText(self.tr("第三者からの請求です。交付は審査を経てから行います。"))
        self._set_case_enabled(True)
        next(iter(self.event_checks.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    # -- 本人確認 ------------------------------------------------------------------

    def request_identity(self) -> None:
        """本人確認 for this case: the chosen resident's record beside the card, or — nobody chosen,
        a 転入 — the card alone, whose 券面事項 then fill the 転入届."""
        if self.case is None or self._busy:
            return
        self.case.entry_values = self.entry_values()  # nothing typed is lost on the way
        self.identity_requested.emit(self.resident)

    def apply_identity(self, result: Any, card: Any) -> None:
        """The 本人確認 was recorded; with a card read for a 転入, its 4情報 fill the fields the
        clerk has left empty (nothing typed is overwritten), each marked as from the card."""
        if self.case is None:
            return
        self.case.identity_method = getattr(result, "method", None)
        self.case.identity_check_seq = getattr(result, "seq", None)
        if card is None or self.resident is not None:
            self.status_label.setText(self.tr("本人確認を記録しました。"))
            return
        filled = idou_entry.from_card("tennyu", card)
        self.case.card_values, self.case.card_notes = dict(filled.values), dict(filled.notes)
        if self.current_kind() == "tennyu":
            typed = self.entry_values()
            merged = dict(typed)
            for name, value in filled.values.items():
                if not (typed.get(name) or "").strip():
                    merged[name] = value
            self._restore_entry("tennyu", merged)
            self._focus_on_show = self._first_entry_field()
            self.status_label.setText(self.tr("カードの券面事項（氏名・生年月日・性別・転入前住所）を入力しました。"
                                              "フリガナと新しい住所を入力してください。"))
        else:
            self._focus_on_show = next(iter(self.event_checks.values()), None)
            self.status_label.setText(self.tr("カードを読み取りました。聞き取りで「転入」を選ぶと届出に入力されます。"))

    def _set_case_enabled(self, on: bool) -> None:
        for box in self.event_checks.values():
            box.setEnabled(on)
        for widget in (self.guide_button, self.kind_combo, self.submit_button, self.park_button,
                       self.identity_button):
            widget.setEnabled(on)
        for widget in (self.queue_edit, self.requester_combo, self.poa_check, self.proxy_id_check,
                       self.open_button):
            widget.setEnabled(not on)

    # -- 聞き取り ----------------------------------------------------------------

    def chosen_events(self) -> list[str]:
        return [eid for eid, box in self.event_checks.items() if box.isChecked()]

    def answers(self) -> dict[str, bool]:
        return {qid: box.isChecked() for qid, box in self.question_checks.items()}

    def _rebuild_questions(self) -> None:
        previous = self.answers()
        for box in self.question_checks.values():
            self.questions_box.removeWidget(box)
            box.deleteLater()
        self.question_checks = {}
        for q in self.catalogue.questions_for(self.chosen_events()):
            box = QCheckBox(q.text)
            box.setObjectName(f"question_{q.id}")
            box.setChecked(previous.get(q.id, False))
            box.toggled.connect(self._replan)
            box.installEventFilter(self)
            self.questions_box.addWidget(box)
            box.show()  # at once (a layout would show it later), so Tab can reach it now
            self.question_checks[q.id] = box
        self._replan()
        self._fix_tab_order()

    def _replan(self) -> None:
        events = self.chosen_events()
        self.procedure_list.clear()
        self.plan = procedures.plan(self.catalogue, events, self.answers()) if events else None
        kinds_before = [self.kind_combo.itemData(i) for i in range(self.kind_combo.count())]
        if self.plan is None:
            self.sharing_label.clear()
            kinds: tuple[str, ...] = ()
        else:
            for p in self.plan.procedures:
                where = self.tr("この窓口") if p.idou_kind else f"{p.division}　{p.counter}"
                self.procedure_list.addItem(f"{p.name}（{where}）")
            self.sharing_label.setText(
                self.tr("他の課の手続きがあります。届出の情報を関係課と共有することを来庁者に説明してください。")
                if self.plan.shares_with_other_divisions else "")
            kinds = self.plan.idou_kinds
        if self.case is not None:
            self.case.events, self.case.answers = events, self.answers()
        if list(kinds) != kinds_before:
            current = self.kind_combo.currentData()
            self.kind_combo.blockSignals(True)
            self.kind_combo.clear()
            for kind in kinds:
                self.kind_combo.addItem(idou_entry.KIND_LABELS[kind], kind)
            if current in kinds:
                self.kind_combo.setCurrentIndex(list(kinds).index(current))
            self.kind_combo.blockSignals(False)
            self._kind_changed()

    def print_guide(self) -> None:
        if self.case is None or self.plan is None or self._busy:
            if self.plan is None:
                self.status_label.setText(self.tr("ライフイベントを選んでください"))
            return
        from ui.printing.guide_pdf import render_guide

        lines = procedures.guide(self.plan)
        folder = self._print_dir() if self._print_dir else Path.cwd()
        path = folder / f"guide-{uuid.uuid4().hex[:12]}.pdf"
        queue, today = self.case.queue_number, self._today()
        self._set_busy(True)
        self.status_label.setText(self.tr("手続き案内票を作成しています…"))

        def job() -> Path:
            render_guide(lines, queue, path, today)
            return path

        self._runner(job, self._guide_done, self._on_error)

    def _guide_done(self, path: Path) -> None:
        self._set_busy(False)
        self.last_guide = path
        self.status_label.setText(self.tr("手続き案内票を作成しました。来庁者にお渡しください。"))

    # -- 入力 -------------------------------------------------------------------

    def current_kind(self) -> str | None:
        return self.kind_combo.currentData()

    def _show_subject(self) -> None:
        r = self.resident
        self.subject_label.setText(
            self.tr("対象者: %1（%2）").replace("%1", r.name_kanji).replace("%2", r.address)
            if r is not None else self.tr("対象者: 住民検索で選んでください（転入・出生は不要）"))

    def _clear_entry(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.edits, self.errors = {}, {}
        self.card_marks, self.card_notes = {}, {}
        self.form_error.clear()

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        typed = self.entry_values() if self.edits else {}
        old_kind = self.case.entry_kind if self.case else None
        self._clear_entry()
        self._show_subject()
        if kind is None:
            return
        if self.case is not None and old_kind == kind and self.case.entry_values and not typed:
            values = dict(self.case.entry_values)
        else:
            record = None
            if self.resident is not None:
                r = self.resident
                record = {"name_kanji": r.name_kanji, "name_kana": r.name_kana,
                          "birth_date": r.birth_date, "sex": r.sex}
            values = idou_entry.prefill(kind, record, None, self._today())
            values.update({k: v for k, v in typed.items() if v and k in idou_entry.FIELDS[kind]})
            if self.case is not None and kind in idou_entry.CARD_FIELDS:
                for name, value in self.case.card_values.items():  # the card read at 本人確認
                    if not (values.get(name) or "").strip():
                        values[name] = value
        card_values = self.case.card_values if self.case is not None and \
            kind in idou_entry.CARD_FIELDS else {}
        card_notes = self.case.card_notes if self.case is not None else {}
        self.card_marks, self.card_notes = {}, {}
        for name in idou_entry.FIELDS[kind]:
            if name == "sex":
                edit: QLineEdit | QComboBox = QComboBox()
                edit.addItem(self.tr("選んでください"), "")
                edit.addItem(self.tr("男"), "male")
                edit.addItem(self.tr("女"), "female")
                idx = edit.findData(values.get(name, ""))
                edit.setCurrentIndex(max(0, idx))
                edit.currentIndexChanged.connect(lambda _i, n=name: self._field_changed(n))
            else:
                edit = QLineEdit(values.get(name, ""))
                edit.editingFinished.connect(lambda n=name: self._check(n))
                edit.textChanged.connect(lambda _t, n=name: self._show_card_mark(n))
                if name in ("birth_date", "idou_date", "todoke_date"):
                    edit.setPlaceholderText(self.tr("令和8年4月1日 / R8.4.1 / 2026-04-01"))
            if name in idou_entry.OPTIONAL and isinstance(edit, QLineEdit):
                edit.setPlaceholderText(self.tr("任意"))
            edit.setObjectName(f"field_{name}")
            edit.setAccessibleName(idou_entry.LABELS[name])
            edit.installEventFilter(self)  # Return: the next field
            error = QLabel()
            error.setObjectName(f"error_{name}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            cell = QVBoxLayout()
            cell.setSpacing(0)
            line = QHBoxLayout()
            line.addWidget(edit, 1)
            if name in card_values:  # from the card: marked, and still editable
                mark = QLabel()
                mark.setObjectName(f"card_{name}")
                mark.setStyleSheet(CARD_STYLE)
                line.addWidget(mark)
                self.card_marks[name] = mark
            cell.addLayout(line)
            if name in card_notes and name in card_values:
                note = QLabel(card_notes[name])
                note.setObjectName(f"note_{name}")
                note.setStyleSheet(CHECK_STYLE)
                note.setWordWrap(True)
                cell.addWidget(note)
                self.card_notes[name] = note
            cell.addWidget(error)
            label = QLabel(idou_entry.LABELS[name])
            label.setBuddy(edit)
            self.form.addRow(label, cell)
            for widget in (label, edit, error, self.card_marks.get(name), self.card_notes.get(name)):
                if widget is not None:
                    widget.show()  # at once (a layout would show it later), so focus can land now
            self.edits[name], self.errors[name] = edit, error
            self._show_card_mark(name)
        self._fix_tab_order()
        if self.case is not None:
            self.case.entry_kind = kind
        self._key = None  # a different 届出: a new command

    def entry_values(self) -> dict[str, str]:
        out = {}
        for name, edit in self.edits.items():
            out[name] = edit.currentData() if isinstance(edit, QComboBox) else edit.text()
        return out

    def _entry(self) -> idou_entry.Entry:
        kind = self.current_kind() or ""
        r, case = self.resident, self.case
        rid = r.id if r is not None else (case.entry_resident_id if case else None)
        version = r.version if r is not None else (case.entry_version if case else None)
        return idou_entry.Entry(kind, self.entry_values(), rid, version,
                                case.identity_check_seq if case else None)

    def _field_changed(self, name: str) -> None:
        self._check(name)
        self._show_card_mark(name)

    def _show_card_mark(self, name: str) -> None:
        mark, edit = self.card_marks.get(name), self.edits.get(name)
        if mark is None or edit is None or self.case is None:
            return
        text = edit.currentData() if isinstance(edit, QComboBox) else edit.text()
        origin = idou_entry.card_origin(name, text, self.case.card_values)
        mark.setText(self.tr("カードから") if origin == "card" else self.tr("カードから（修正あり）"))
        edit.setAccessibleDescription(mark.text())

    def _check(self, name: str) -> None:
        if name not in self.errors:
            return
        message = idou_entry.check_field(name, self.entry_values().get(name, ""),
                                         today=self._today())
        self.errors[name].setText(message or "")

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
        rest = [m for n, m in errors.items() if n not in self.errors]
        self.form_error.setText("\n".join(rest))
        first = next((n for n in self.edits if n in errors), None)
        if first:
            self.edits[first].setFocus()

    def submit(self) -> None:
        if self.case is None or self._busy or self.current_kind() is None:
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
        if errors:
            self.show_errors(errors)
            return
        self.show_errors({})
        command = entry.command(today)
        self._key = self._key or str(uuid.uuid4())  # a retry of the same 届出 keeps its key
        key, client = self._key, self._client
        self.case.entry_values = entry.values
        self._set_busy(True)
        self.status_label.setText(self.tr("送信しています…"))
        self._runner(lambda: client.submit_case(command, key), self._submitted, self._on_error)

    def _submitted(self, answer: dict[str, Any]) -> None:
        self._set_busy(False)
        case_id = int(answer.get("case_id") or 0)
        if self.case is not None:
            self.case.submitted_case_ids.append(case_id)
            self.case.entry_values = {}
        self._sent = ((self.current_kind() or "", self.entry_values()), case_id)
        self._key = None
        self.status_label.setText(
            self.tr("審査待ちになりました（案件番号 %1）。別の職員の審査後に住民票に反映されます。")
            .replace("%1", str(case_id)))
        self.submitted.emit(case_id)

    def _on_error(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError) and exc.ends_session:
            self.session_ended.emit(error_message(exc))
            return
        if isinstance(exc, ApiError) and exc.status < 500 and not isinstance(exc, CentralUnreachable):
            name = idou_entry.field_of({"field": exc.field})
            message = exc.detail_ja or exc.title_ja or error_message(exc)
            self.show_errors({name: message})
            self.status_label.setText(self.tr("センターの確認で差し戻されました。表示された項目を直してください。"))
            if exc.code != "idempotency_key_reused":
                self._key = None  # corrected input is a new command
            return
        self.status_label.setText(error_message(exc))  # kept: the same key retries later

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit_button.setEnabled(not busy and self.case is not None)
        self.guide_button.setEnabled(not busy and self.case is not None)

    # -- 保留 / 再開 -------------------------------------------------------------

    def _store(self) -> Any:
        return self._drafts() if self._drafts else None

    def park_case(self) -> None:
        store = self._store()
        if self.case is None:
            return
        if store is None:
            self.status_label.setText(self.tr("この端末では保留できません（作業領域がありません）"))
            return
        self.case.entry_values = self.entry_values()
        self.case.entry_kind = self.current_kind()
        self.case.entry_resident_id = self.resident.id if self.resident else None
        self.case.entry_version = self.resident.version if self.resident else None
        reception.park(store, self.case)
        queue = self.case.queue_number
        self.reset()
        self._refresh_parked()
        self.reception_error.setText(self.tr("受付番号 %1 を保留しました。").replace("%1", queue))
        self.queue_edit.setFocus(Qt.FocusReason.OtherFocusReason)  # the next resident's 受付

    def _refresh_parked(self) -> None:
        self.parked_combo.clear()
        store = self._store()
        if store is None or self.session is None:
            self.resume_button.setEnabled(False)
            return
        for c in reception.parked(store):
            self.parked_combo.addItem(c.queue_number, c.case_id)
        self.resume_button.setEnabled(self.parked_combo.count() > 0 and self.case is None)

    def resume_selected(self) -> None:
        store = self._store()
        case_id = self.parked_combo.currentData()
        if store is None or case_id is None or self.case is not None:
            return
        case = reception.resume(store, case_id)
        kind, values = case.entry_kind, dict(case.entry_values)  # kept before the page rebuilds
        self.queue_edit.setText(case.queue_number)
        self.requester_combo.setCurrentIndex(max(0, self.requester_combo.findData(case.requester_kind)))
        self.poa_check.setChecked(case.power_of_attorney)
        self.proxy_id_check.setChecked(case.proxy_checked)
        self.case = case
        self._set_case_enabled(True)
        for eid, box in self.event_checks.items():
            box.blockSignals(True)
            box.setChecked(eid in case.events)
            box.blockSignals(False)
        answers = dict(case.answers)
        self._rebuild_questions()
        for qid, box in self.question_checks.items():
            box.setChecked(answers.get(qid, False))
        if kind:
            idx = self.kind_combo.findData(kind)
            if idx >= 0:
                self.kind_combo.blockSignals(True)
                self.kind_combo.setCurrentIndex(idx)
                self.kind_combo.blockSignals(False)
            self._restore_entry(kind, values)
        self._refresh_parked()
        self.status_label.setText(self.tr("受付番号 %1 を再開しました。").replace("%1", case.queue_number))
        target = self._default_focus()  # where the clerk left off: the first empty field
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _restore_entry(self, kind: str, values: dict[str, str]) -> None:
        self._clear_entry()
        if self.case is not None:
            self.case.entry_kind, self.case.entry_values = kind, values
        self._kind_changed()
