"""職権記載・職権消除・職権修正 (K-DQ-16): the clerk's entry with its reason and 実態調査, and the
supervisor's queue where it is decided (決裁) — never by the person who entered it.

``ShokkenEntryPage``: the kind (消除, 修正 or 記載), the person (the search page's chosen resident,
or a 記録番号 looked up at the centre; for a 記載 the new person's items, founding a new 世帯), the
異動日 (blank or 不詳 for a 消除), the reason and the 実態調査
(date, investigators, method, finding). The format checks are ``app.idou_list.ShokkenEntry``'s;
the centre's refusals name their field and land beside it. Nothing typed is lost on a refusal.
``ShokkenQueuePage``: the 決裁 queue (``ui.common.decision_queue``); the entrant's own entries are
shown but not decidable.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit,
                               QScrollArea, QVBoxLayout, QWidget)

from app import clock
from app.api_client import OperatorSession, SubmittedCase
from app.idou_list import (INVESTIGATION_METHODS, KISAI_FIELDS, SHOKKEN_KINDS, SHUSEI_FIELDS,
                           ShokkenEntry, entry_field, shokken_rows)
from app.residents import ResidentSummary
from app.review import CaseView
from ui.common.busy import BusyIndicator
from ui.common.decision_queue import RETURNED, DecisionQueue, QueueTexts, detail_table
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures, PageOps
from ui.common.widgets import (ERROR_STYLE, MessageLine, banner, button, choice_combo, line_edit,
                               list_table, text_label, title_bar)
from ui.common.worker import Runner


class ShokkenClient(Protocol):
    """The calls the 職権 pages make."""

    def read_resident(self, resident_id: int, purpose: str | None,
                      purpose_note: str | None = None) -> dict[str, Any]: ...
    def submit_shokken(self, command: Any, idempotency_key: str) -> SubmittedCase: ...
    def list_shokken(self, status: str = "submitted") -> list[CaseView]: ...
    def approve_shokken(self, case_id: int, idempotency_key: str) -> object: ...
    def return_shokken(self, case_id: int, reason: str) -> object: ...


class ShokkenEntryPage(QWidget):
    """職権の入力 (clerk). ``today`` is the counter's day (JST) for the date checks."""

    def __init__(self, client: ShokkenClient, runner: Runner, *, failures: Failures | None = None,
                 today: Callable[[], Any] = clock.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client, self._today = client, today
        self.session: OperatorSession | None = None
        self.entry = ShokkenEntry()
        self._key: str | None = None  # the Idempotency-Key of the entry being sent, kept for a retry
        self.busy = BusyIndicator(self)
        self.message = MessageLine("shokkenMessage")
        self.ops = PageOps(runner, self.busy, failures, say=self.message.say,
                           on_busy=lambda busy: self.submit_button.setEnabled(not busy))

        self.kind_combo = choice_combo([(self.tr("職権消除"), "shokken_shojo"),
                                        (self.tr("職権修正"), "shokken_shusei"),
                                        (self.tr("職権記載"), "shokken_kisai")], "shokkenKind")
        self.kind_combo.setAccessibleName(self.tr("職権の種別"))
        self.record_edit = line_edit("shokkenRecordId", self.tr("記録番号"), 12,
                                     accessible=self.tr("記録番号"))
        self.lookup_button = button(self.tr("呼び出す"), "shokkenLookup")
        self.subject_label = text_label("shokkenSubject")
        self.idou_edit = line_edit("shokkenIdouDate", self.tr("空欄または「不詳」で異動日不詳"), 20,
                                   accessible=self.tr("異動日"))
        self.reason_edit = line_edit("shokkenReason", self.tr("例: 不現住（居住の実態なし）"), 200,
                                     accessible=self.tr("職権の事由"))
        self.investigated_edit = line_edit("shokkenInvestigatedOn",
                                           self.tr("令和8年4月1日 / R8.4.1 / 2026-04-01"), 20,
                                           accessible=self.tr("調査日"))
        self.investigators_edit = line_edit("shokkenInvestigators",
                                            self.tr("ログインIDまたは氏名を「、」で区切って入力"), 170,
                                            accessible=self.tr("調査した職員"))
        self.method_combo = choice_combo(
            [(self.tr("（選択してください）"), "")]
            + [(self._method_label(code), code) for code in INVESTIGATION_METHODS], "shokkenMethod")
        self.method_combo.setAccessibleName(self.tr("調査の方法"))
        self.finding_edit = QPlainTextEdit()
        self.finding_edit.setObjectName("shokkenFinding")
        self.finding_edit.setAccessibleName(self.tr("調査の結果"))
        self.finding_edit.setPlaceholderText(self.tr("確認した事実（1000文字以内）"))
        self.finding_edit.setFixedHeight(80)
        self.shusei_combo = choice_combo(
            [(self.tr("（選択してください）"), "")]
            + [(self._field_label(code), code) for code in SHUSEI_FIELDS], "shokkenShuseiField")
        self.shusei_combo.setAccessibleName(self.tr("修正する項目"))
        self.shusei_edit = line_edit("shokkenShuseiValue", "", 200, accessible=self.tr("修正後の内容"))
        # 職権記載: the new person (a new 世帯, the person its 世帯主)
        self.person_edits: dict[str, Any] = {}
        for name, length in (("name_kanji", 100), ("name_kana", 100), ("birth_date", 20),
                             ("postal_code", 10), ("address", 200), ("katagaki", 100),
                             ("moved_in_from", 200)):
            self.person_edits[name] = line_edit(f"shokkenPerson_{name}", "", length)
        self.person_edits["sex"] = choice_combo([(self.tr("選んでください"), ""),
                                                 (self.tr("男"), "male"), (self.tr("女"), "female")],
                                                "shokkenPerson_sex")
        self.person_edits["moved_in_from"].setPlaceholderText(self.tr("わかる場合のみ"))
        self.person_edits["katagaki"].setPlaceholderText(self.tr("任意"))
        self.submit_button = button(self.tr("決裁に回す(&S)"), "shokkenSubmit")
        self.form_error = text_label("shokkenFormError", ERROR_STYLE)

        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        person = QHBoxLayout()
        person.addWidget(self.record_edit)
        person.addWidget(self.lookup_button)
        person.addWidget(self.subject_label, 1)
        rows: list[tuple[str, str, Any]] = [
            ("kind", self.tr("種別(&K)"), self.kind_combo),
            ("resident", self.tr("対象者"), person),
            ("idou_date", self.tr("異動日"), self.idou_edit),
            ("reason", self.tr("職権の事由(&R)"), self.reason_edit),
            ("shusei_field", self.tr("修正する項目"), self.shusei_combo),
            ("shusei_value", self.tr("修正後の内容"), self.shusei_edit)]
        person_labels = {"name_kanji": self.tr("氏名"), "name_kana": self.tr("フリガナ"),
                         "birth_date": self.tr("生年月日"), "sex": self.tr("性別"),
                         "postal_code": self.tr("郵便番号"), "address": self.tr("住所"),
                         "katagaki": self.tr("方書"), "moved_in_from": self.tr("従前の住所")}
        rows += [(name, person_labels[name], self.person_edits[name]) for name in KISAI_FIELDS]
        for name, label, widget in rows:
            self._row(form, name, label, widget)
            if isinstance(widget, QWidget) and not widget.accessibleName():
                widget.setAccessibleName(label)
        evidence = QGroupBox(self.tr("実態調査"))
        evidence_form = QFormLayout(evidence)
        for name, label, widget in (
                ("investigated_on", self.tr("調査日"), self.investigated_edit),
                ("investigators", self.tr("調査した職員"), self.investigators_edit),
                ("method", self.tr("調査の方法"), self.method_combo),
                ("finding", self.tr("調査の結果"), self.finding_edit)):
            self._row(evidence_form, name, label, widget)
        self._form = form  # rows: 0 kind, 1 person, 2 異動日, 3 事由, 4–5 修正, 6– 職権記載

        outer = QVBoxLayout(self)
        outer.addWidget(self.busy)
        outer.addLayout(title_bar(self.tr("職権記載・消除・修正の入力")))
        body = QWidget()
        scroll = QScrollArea()  # a 職権記載's person and the 実態調査 fit a small screen too
        scroll.setObjectName("shokkenScroll")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: Tab goes to the fields
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(text_label("shokkenNote", text=self.tr(
            "届出によらず、実態調査で確認した事実に基づいて住民票を消除・修正します。"
            "入力した内容は所属長の決裁を経て反映されます（入力者本人は決裁できません）。")))
        layout.addLayout(form)
        layout.addWidget(evidence)
        layout.addStretch(1)
        outer.addWidget(self.form_error)
        bottom = QHBoxLayout()  # below the scrolled form: always at hand
        bottom.addWidget(self.submit_button)
        bottom.addWidget(self.message, 1)
        outer.addLayout(bottom)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.lookup_button.clicked.connect(self.look_up)
        self.record_edit.returnPressed.connect(self.look_up)
        self.submit_button.clicked.connect(self.submit)
        self._kind_changed()

    def _method_label(self, code: str) -> str:
        return {"site_visit": self.tr("現地調査"), "documents": self.tr("書類調査"),
                "inquiry": self.tr("照会"), "notice": self.tr("他機関からの通知")}.get(code, code)

    def _field_label(self, code: str) -> str:
        return {"name_kanji": self.tr("氏名"), "name_kana": self.tr("フリガナ"),
                "birth_date": self.tr("生年月日"), "address": self.tr("住所"),
                "katagaki": self.tr("方書"), "postal_code": self.tr("郵便番号"),
                "honseki": self.tr("本籍"), "hittousha": self.tr("筆頭者"),
                "relationship_to_head": self.tr("続柄")}.get(code, code)

    def _row(self, form: QFormLayout, name: str, text: str, widget: Any) -> None:
        error = text_label(f"shokkenError_{name}", ERROR_STYLE)
        error.hide()
        cell = QVBoxLayout()
        cell.setSpacing(0)
        if isinstance(widget, QWidget):
            cell.addWidget(widget)
        else:
            cell.addLayout(widget)
        cell.addWidget(error)
        label = QLabel(text)
        if isinstance(widget, QWidget):
            label.setBuddy(widget)
        else:
            label.setBuddy(self.record_edit)
        form.addRow(label, cell)
        self.errors[name] = error

    # -- the session and the person -----------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        self.reset()

    def reset(self) -> None:
        """A new, empty entry (after a session's end or a sent entry)."""
        self.entry, self._key = ShokkenEntry(), None
        for edit in (self.record_edit, self.idou_edit, self.reason_edit, self.investigated_edit,
                     self.investigators_edit, self.shusei_edit):
            edit.clear()
        self.finding_edit.clear()
        for name, edit in self.person_edits.items():
            if name != "sex":
                edit.clear()
        for combo in (self.kind_combo, self.method_combo, self.shusei_combo,
                      self.person_edits["sex"]):
            combo.setCurrentIndex(0)
        self.subject_label.clear()
        self.show_errors({})
        self.message.say("")

    def set_resident(self, resident: ResidentSummary | None) -> None:
        """The person chosen on the search page (None keeps the one already chosen)."""
        if resident is None or resident.is_removed:
            return
        self._person(resident.id, resident.version, resident.name_kanji, resident.address)

    def _person(self, resident_id: int, version: int, name: str, address: str) -> None:
        self.entry.resident_id, self.entry.version = resident_id, version
        self._key = None
        self.record_edit.setText(str(resident_id))
        self.subject_label.setText(fill(self.tr("%1　%2"), name, address))
        self.errors["resident"].hide()

    def look_up(self) -> None:
        """The 記録番号 typed, looked up at the centre (an audited read for 異動)."""
        text = self.record_edit.text().strip()
        if not text.isdigit():
            self.show_errors({"resident": self.tr("記録番号は数字で入力してください")})
            return
        rid = int(text)
        self.ops.run(lambda: self._client.read_resident(rid, "idou"), self._found,
                     lambda f: self.show_errors({"resident": f.message}))

    def _found(self, record: dict[str, Any]) -> None:
        if record.get("status") != "current":
            self.entry.resident_id = self.entry.version = None
            self.subject_label.clear()
            self.show_errors({"resident": self.tr("この住民票は既に消除されています")})
            return
        self._person(int(record["id"]), int(record["version"]), str(record.get("name_kanji") or ""),
                     str(record.get("address") or ""))

    # -- the entry ------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        self._form.setRowVisible(1, kind != "shokken_kisai")
        for row in (4, 5):
            self._form.setRowVisible(row, kind == "shokken_shusei")
        for row in range(6, 6 + len(KISAI_FIELDS)):
            self._form.setRowVisible(row, kind == "shokken_kisai")
        self.idou_edit.setPlaceholderText(
            self.tr("空欄または「不詳」で異動日不詳") if kind == "shokken_shojo"
            else self.tr("令和8年4月1日 / R8.4.1 / 2026-04-01"))
        self._key = None

    def values(self) -> dict[str, str]:
        return {"idou_date": self.idou_edit.text(), "reason": self.reason_edit.text(),
                "investigated_on": self.investigated_edit.text(),
                "investigators": self.investigators_edit.text(),
                "method": self.method_combo.currentData() or "",
                "finding": self.finding_edit.toPlainText(),
                "shusei_field": self.shusei_combo.currentData() or "",
                "shusei_value": self.shusei_edit.text(),
                **{name: edit.currentData() if name == "sex" else edit.text()
                   for name, edit in self.person_edits.items()}}

    def submit(self) -> None:
        """決裁に回す: the format checks first (beside each field), then the centre's."""
        if self.ops.running:
            return
        values = self.values()
        if self.entry.values != values or self.entry.kind != self.kind_combo.currentData():
            self._key = None  # a changed entry is a new request
        self.entry.kind, self.entry.values = self.kind_combo.currentData(), values
        today = self._today()
        errors = self.entry.errors(today)
        self.show_errors(errors)
        if errors:
            self.message.say(self.tr("入力内容を確認してください"), True)
            return
        command = self.entry.command(today)
        self._key = self._key or str(uuid.uuid4())
        key = self._key
        self.ops.run(lambda: self._client.submit_shokken(command, key), self._submitted,
                     self._refused)

    def _submitted(self, case: SubmittedCase) -> None:
        kind = self.kind_combo.currentText()
        self.reset()
        self.message.say(fill(self.tr("第%1号（%2）を所属長の決裁に回しました"), case.case_id, kind))

    def _refused(self, failure: Failure) -> None:
        problem = failure.problem
        if problem is not None and problem.code not in ("forbidden",):
            self._key = None  # refused: nothing was kept, a corrected entry is sent anew
            self.show_errors({entry_field(problem.field): failure.message})
        self.message.say(failure.message, True)  # every field keeps what was typed

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
            label.setVisible(name in errors)
        rest = [m for n, m in errors.items() if n not in self.errors]
        self.form_error.setText("\n".join(rest))
        self.form_error.setVisible(bool(rest))


class ShokkenQueuePage(DecisionQueue):
    """職権の決裁 (所属長): the entries beside the current records; approve applies, return needs a
    reason; the entrant's own entries are listed and not decidable."""

    select_case = DecisionQueue.select_item

    def __init__(self, client: ShokkenClient, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, failures=failures, parent=parent)
        self._client = client
        self._labels = {"種別": self.tr("種別"), "対象者": self.tr("対象者"), "異動日": self.tr("異動日"),
                        "職権の事由": self.tr("職権の事由"), "調査日": self.tr("調査日"),
                        "調査した職員": self.tr("調査した職員"), "調査の方法": self.tr("調査の方法"),
                        "調査の結果": self.tr("調査の結果"), "生年月日": self.tr("生年月日"),
                        "住所": self.tr("住所"), "記録の状態": self.tr("記録の状態"),
                        "フリガナ": self.tr("フリガナ"), "性別": self.tr("性別"),
                        "郵便番号": self.tr("郵便番号"), "方書": self.tr("方書"),
                        "従前の住所": self.tr("従前の住所")}
        self.refresh_button.setObjectName("refreshShokken")
        self.reason_edit.setObjectName("shokkenReturnReason")
        self.message.setObjectName("shokkenQueueMessage")
        self.stale_banner = banner(self.tr("入力後に住民記録が更新されています。決裁できません。"
                                           "最新の記録で入力し直すよう差し戻してください"),
                                   "shokkenStaleBanner")
        self.case_title = text_label("shokkenCaseTitle")
        self.return_button = button(self.tr("差し戻す"), "shokkenReturn")
        self.approve_button = button(self.tr("決裁して反映"), "shokkenApprove")
        self.build(
            self.tr("職権の決裁（所属長）"),
            list_table([self.tr("番号"), self.tr("種別"), self.tr("対象"), self.tr("入力者")],
                       "shokkenQueue", self.tr("決裁待ちの職権")),
            detail_table([self.tr("項目"), self.tr("入力内容"), self.tr("現在の記録")],
                         "shokkenDetail", self.tr("職権の入力内容と現在の記録")),
            QueueTexts(empty=self.tr("決裁待ちの職権はありません"),
                       own=self.tr("ご自身が入力した職権は決裁できません。別の所属長が決裁します"),
                       approved=self.tr("第%1号を決裁し、住民記録に反映しました"),
                       not_approved=self.tr("第%1号を差し戻しました")),
            (self.tr("差し戻しの理由"), self.return_button, self.approve_button),
            above=(self.stale_banner, self.case_title),
            offline=("shokkenOffline", self.tr("中央サーバーに接続できないため、決裁できません。"
                                               "接続が戻ると再開できます")))

    def _kind(self, case: CaseView) -> str:
        labels = {"shokken_kisai": self.tr("職権記載"), "shokken_shojo": self.tr("職権消除"),
                  "shokken_shusei": self.tr("職権修正")}
        return labels.get(case.kind, SHOKKEN_KINDS.get(case.kind, case.kind))

    def fetch(self) -> list[CaseView]:
        return self._client.list_shokken()

    def queue_row(self, case: CaseView) -> list[str]:
        own = self.is_own(case)
        who = fill(self.tr("%1（本人）"), case.entered_by) if own else case.entered_by
        person = case.command.get("person") or {}  # 職権記載: nobody on the register yet
        name = (case.current or {}).get("name_kanji") or person.get("name_kanji") or ""
        return [str(case.id), self._kind(case), ("⚠" if case.support_measure else "") + str(name), who]

    def show_item(self, case: CaseView | None) -> None:
        self.stale_banner.setVisible(case is not None and case.record_changed)
        if case is None:
            self.case_title.setText(self.tr("左の一覧から職権の案件を選んでください"))
            return
        self.case_title.setText(fill(self.tr("第%1号　%2　入力: %3"), case.id, self._kind(case),
                                     case.entered_by))
        self.show_rows([(self._labels.get(label, label), entered, now)
                        for label, entered, now in shokken_rows(case.command, case.current)])

    def may_approve(self, case: CaseView) -> bool:
        return not case.record_changed and self.stale_banner.isHidden()

    def approve(self) -> None:
        self.approve_with_key(self._client.approve_shokken)

    def send_back(self) -> None:
        self.send_with_reason(self._client.return_shokken, lambda _answer: RETURNED)

    def refused(self, failure: Failure) -> None:
        if failure.code == "record_changed_since_entry":
            self.stale_banner.show()
            self.approve_button.setEnabled(False)
