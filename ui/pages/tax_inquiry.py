"""税の照会: a counter or phone inquiry about the caller's own 個人住民税 (TAX-2, 003 L584, #8).

Nothing is shown until the centre has confirmed the caller's identity with the basic information
(氏名・生年月日) plus the My Number; the purpose is chosen and recorded with the read. Changing any
identity field clears what was shown. The My Number field shows dots except while typing.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableWidget, QVBoxLayout, QWidget)

from app.api_client import OperatorSession
from app.residents import normalize_birth_date
from app.tax import TaxInquiryAnswer, yen
from japan import mynumber
from japan.era import nendo
from japan.kana import fold_width
from ui.common.busy import BusyIndicator
from ui.common.ops import Failure, Failures, PageOps
from ui.common.widgets import MessageLine, choice_combo, field_error, fill_queue, line_edit, page_title
from ui.common.worker import Runner
from ui.pages.search import purpose_label


class TaxInquiryClient(Protocol):
    def tax_inquiry(self, request: dict[str, Any]) -> TaxInquiryAnswer: ...


class TaxInquiryPage(QWidget):
    answered = Signal(object)  # the centre's TaxInquiryAnswer

    def __init__(self, client: TaxInquiryClient, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self.message = MessageLine("inquiryMessage")
        self.ops = PageOps(runner, self.busy, failures, say=self.message.say,
                           on_busy=lambda busy: self.inquire_button.setEnabled(not busy))
        self.failures = self.ops.failures  # the shell's (ui.common.ops), or the page's own
        self.session: OperatorSession | None = None

        title = page_title(self.tr("税の照会（本人確認のうえ回答）"))
        self.notice = QLabel(self.tr("本人確認として、氏名・生年月日に加えて個人番号を確認します。"
                                     "確認できるまで課税内容は表示されません"))
        self.notice.setWordWrap(True)
        self.name_edit = line_edit("inquiryName", max_length=100)
        self.birth_edit = line_edit("inquiryBirth", max_length=20, placeholder=self.tr("例: 1975-05-05"))
        self.my_number_edit = line_edit("inquiryMyNumber", max_length=14)
        self.my_number_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.purpose_combo = choice_combo(
            [(self.tr("（選択してください）"), ""),
             *((purpose_label(code), code) for code in ("tax", "inquiry", "other"))],
            "inquiryPurpose")
        self.purpose_note_edit = line_edit(max_length=200)
        self.field_errors = {k: field_error() for k in ("name", "birth_date", "my_number", "purpose")}
        form = QFormLayout()
        for text, widget, key in ((self.tr("氏名"), self.name_edit, "name"),
                                  (self.tr("生年月日"), self.birth_edit, "birth_date"),
                                  (self.tr("個人番号"), self.my_number_edit, "my_number"),
                                  (self.tr("利用目的"), self.purpose_combo, "purpose")):
            row = QHBoxLayout()
            row.addWidget(widget, 1)
            row.addWidget(self.field_errors[key], 1)
            form.addRow(text, row)
            widget.setAccessibleName(text)  # the row's label is not its buddy (error beside it)
        form.addRow(self.tr("目的の補足"), self.purpose_note_edit)
        box = QGroupBox(self.tr("照会者の本人確認"))
        box.setLayout(form)
        self.inquire_button = QPushButton(self.tr("本人確認して照会"))
        self.inquire_button.setObjectName("inquireButton")
        self.clear_button = QPushButton(self.tr("クリア"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.inquire_button)
        self.person_label = QLabel()
        self.person_label.setObjectName("inquiryPerson")
        self.results = QTableWidget(0, 6)
        self.results.setObjectName("inquiryResults")
        self.results.setAccessibleName(self.tr("課税の記録"))
        self.results.setHorizontalHeaderLabels([self.tr("年度"), self.tr("所得金額"), self.tr("所得控除"),
                                                self.tr("課税標準"), self.tr("税額"), self.tr("扶養人数")])
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.results.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(title)
        layout.addWidget(self.notice)
        layout.addWidget(box)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.person_label)
        layout.addWidget(self.results, 1)

        self.inquire_button.clicked.connect(self.inquire)
        self.clear_button.clicked.connect(self.clear)
        for edit in (self.name_edit, self.birth_edit, self.my_number_edit):
            edit.textEdited.connect(self._hide_answer)
        self._hide_answer()

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        self.clear()

    def clear(self) -> None:
        for edit in (self.name_edit, self.birth_edit, self.my_number_edit, self.purpose_note_edit):
            edit.clear()
        self.purpose_combo.setCurrentIndex(0)
        self._show_errors({})
        self.message.say("")
        self._hide_answer()

    def _hide_answer(self, *_args: object) -> None:
        """Nothing stays on screen once the identity fields change."""
        self.person_label.clear()
        self.person_label.hide()
        self.results.setRowCount(0)
        self.results.hide()

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.field_errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)

    def request(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        name = self.name_edit.text().strip()
        birth = normalize_birth_date(self.birth_edit.text())
        number = fold_width(self.my_number_edit.text()).replace(" ", "").replace("-", "")
        if not name:
            errors["name"] = self.tr("氏名を入力してください")
        if len(birth) != 10 or birth[4] != "-":
            errors["birth_date"] = self.tr("生年月日は 1975-05-05 の形で入力してください")
        if not number:
            errors["my_number"] = self.tr("個人番号を確認してください（本人確認に必要です）")
        elif not mynumber.is_valid(number):
            errors["my_number"] = self.tr("個人番号が正しくありません（12桁・検査用数字）")
        if not self.purpose_combo.currentData():
            errors["purpose"] = self.tr("利用目的を選んでください")
        return ({"name": name, "birth_date": birth if "birth_date" not in errors else None,
                 "my_number": number, "purpose": self.purpose_combo.currentData() or None,
                 "purpose_note": self.purpose_note_edit.text().strip() or None}, errors)

    def inquire(self) -> None:
        if self.ops.running:
            return
        self._hide_answer()
        request, errors = self.request()
        self._show_errors(errors)
        if errors:
            self.message.say(self.tr("本人確認ができるまで照会内容は表示されません"), True)
            return
        client = self._client
        self.ops.run(lambda: client.tax_inquiry(request), self._answered, self._failed)

    def _answered(self, answer: TaxInquiryAnswer) -> None:
        self.person_label.setText(f"{answer.name_kanji}（{answer.name_kana}）　{answer.address}")
        self.person_label.show()
        fill_queue(self.results, [
            [nendo(r.fiscal_year or 0), yen(r.total_income), yen(r.deductions),
             yen(r.taxable_income), yen(r.tax), str(r.dependents_count)] for r in answer.records])
        self.results.show()
        self.message.say(self.tr("本人確認ができました。照会は利用目的とともに記録されています")
                         if answer.records else self.tr("本人確認ができました。課税記録はありません"))
        self.my_number_edit.clear()  # not kept on screen after use
        self.answered.emit(answer)

    def _failed(self, failure: Failure) -> None:
        self.message.say(failure.message, True)
        problem = failure.problem
        if problem is not None and problem.field in self.field_errors:
            self._show_errors({problem.field: failure.message})
