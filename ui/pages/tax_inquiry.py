"""税の照会: a counter or phone inquiry about the caller's own 個人住民税 (TAX-2, 003 L584, #8).

Nothing is shown until the centre has confirmed the caller's identity with the basic information
(氏名・生年月日) plus the My Number; the purpose is chosen and recorded with the read. Changing any
identity field clears what was shown. The My Number field shows dots except while typing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api_client import ApiError, OperatorSession
from app.residents import normalize_birth_date
from app.tax import yen
from japan import mynumber
from japan.era import nendo
from japan.kana import fold_width
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.pages.search import purpose_label
from ui.common.ops import Failures
from ui.common.worker import Runner

ERROR_STYLE = "color: #b00020; font-weight: bold;"


class TaxInquiryPage(QWidget):
    session_ended = Signal(str)
    answered = Signal(object)

    def __init__(self, client: Any, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self.session: OperatorSession | None = None
        self._busy = False

        title = QLabel(self.tr("税の照会（本人確認のうえ回答）"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.notice = QLabel(self.tr("本人確認として、氏名・生年月日に加えて個人番号を確認します。"
                                     "確認できるまで課税内容は表示されません"))
        self.notice.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("inquiryName")
        self.name_edit.setMaxLength(100)
        self.birth_edit = QLineEdit()
        self.birth_edit.setObjectName("inquiryBirth")
        self.birth_edit.setPlaceholderText(self.tr("例: 1975-05-05"))
        self.birth_edit.setMaxLength(20)
        self.my_number_edit = QLineEdit()
        self.my_number_edit.setObjectName("inquiryMyNumber")
        self.my_number_edit.setMaxLength(14)
        self.my_number_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.purpose_combo = QComboBox()
        self.purpose_combo.setObjectName("inquiryPurpose")
        self.purpose_combo.addItem(self.tr("（選択してください）"), "")
        for code in ("tax", "inquiry", "other"):
            self.purpose_combo.addItem(purpose_label(code), code)
        self.purpose_note_edit = QLineEdit()
        self.purpose_note_edit.setMaxLength(200)
        self.field_errors = {k: QLabel() for k in ("name", "birth_date", "my_number", "purpose")}
        for label in self.field_errors.values():
            label.setStyleSheet(ERROR_STYLE)
            label.hide()
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
        self.message = QLabel()
        self.message.setObjectName("inquiryMessage")
        self.message.setWordWrap(True)
        self.message.hide()
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
        self._say("", False)
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
        if self._busy:
            return
        self._hide_answer()
        request, errors = self.request()
        self._show_errors(errors)
        if errors:
            self._say(self.tr("本人確認ができるまで照会内容は表示されません"), True)
            return
        client = self._client
        self._busy = True
        self.inquire_button.setEnabled(False)
        self._runner(lambda: client.tax_inquiry(request), self._answered, self._failed)

    def _answered(self, answer: dict[str, Any]) -> None:
        self._busy = False
        self.inquire_button.setEnabled(True)
        person = answer.get("person") or {}
        records = answer.get("records") or []
        self.person_label.setText(f"{person.get('name_kanji', '')}（{person.get('name_kana', '')}）　"
                                  f"{person.get('address', '')}")
        self.person_label.show()
        self.results.setRowCount(len(records))
        for row, r in enumerate(records):
            values = [nendo(int(r.get("fiscal_year") or 0)), yen(r.get("total_income")),
                      yen(r.get("deductions")), yen(r.get("taxable_income")),
                      yen(int(r.get("municipal_tax") or 0) + int(r.get("prefectural_tax") or 0)),
                      str(r.get("dependents_count") or 0)]
            for col, value in enumerate(values):
                self.results.setItem(row, col, QTableWidgetItem(value))
        self.results.show()
        self._say(self.tr("本人確認ができました。照会は利用目的とともに記録されています")
                  if records else self.tr("本人確認ができました。課税記録はありません"), False)
        self.my_number_edit.clear()  # not kept on screen after use
        self.answered.emit(answer)

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self.inquire_button.setEnabled(True)
        if isinstance(exc, ApiError) and exc.ends_session:
            self.session_ended.emit(error_message(exc))
            return
        self._say(error_message(exc), True)
        if isinstance(exc, ApiError) and exc.field in self.field_errors:
            self._show_errors({exc.field: error_message(exc)})

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")
        self.message.setVisible(bool(text))
