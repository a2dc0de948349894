"""1. 受付 (K-WF-2): the queue number, who came and in what capacity, the 本人確認 button, and the
parked cases of this session (保留 / 再開). The rules (queue number format, what a proxy needs)
are ``app.reception``'s; this box only asks and shows."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit

from app import reception
from ui.common.keys import Button
from ui.common.widgets import text_label

ERROR_STYLE = "color: #b00020;"


class ReceptionBox(QGroupBox):
    """The 受付 part of the case page."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("1. 受付"))
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
        self.identity_button = Button(self.tr("本人確認（マイナンバーカード）(&I)"))
        self.identity_button.setObjectName("caseIdentityButton")
        self.reception_error = text_label("receptionError", ERROR_STYLE)
        self.park_button = Button(self.tr("保留(&H)"))
        self.park_button.setObjectName("parkCaseButton")
        self.parked_combo = QComboBox()
        self.parked_combo.setAccessibleName(self.tr("保留中の案件"))
        self.resume_button = Button(self.tr("再開(&E)"))
        self.resume_button.setObjectName("resumeCaseButton")
        form = QFormLayout(self)
        form.addRow(self.tr("受付番号(&Q)"), self.queue_edit)
        form.addRow(self.tr("来庁者(&W)"), self.requester_combo)
        form.addRow("", self.poa_check)
        form.addRow("", self.proxy_id_check)
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
        form.addRow(row)
        form.addRow(self.reception_error)
        for button in (self.open_button, self.identity_button, self.park_button, self.resume_button):
            button.setAutoDefault(True)

    def new_case(self) -> reception.CaseFile | None:
        """The case the clerk asks to open, or None with the reason shown beside the fields."""
        try:
            queue = reception.normalise_queue_number(self.queue_edit.text())
        except ValueError as exc:
            self.reception_error.setText(str(exc))
            self.queue_edit.setFocus()
            return None
        kind = self.requester_combo.currentData()
        problem = reception.requester_problem(kind, self.poa_check.isChecked(),
                                              self.proxy_id_check.isChecked())
        if problem:
            self.reception_error.setText(problem)
            return None
        self.reception_error.clear()
        self.queue_edit.setText(queue)
        return reception.CaseFile(queue, kind, self.poa_check.isChecked(), self.proxy_id_check.isChecked())

    def show_case(self, case: reception.CaseFile) -> None:
        """A resumed case: its 受付 as it was taken."""
        self.queue_edit.setText(case.queue_number)
        self.requester_combo.setCurrentIndex(max(0, self.requester_combo.findData(case.requester_kind)))
        self.poa_check.setChecked(case.power_of_attorney)
        self.proxy_id_check.setChecked(case.proxy_checked)

    def reset(self) -> None:
        self.queue_edit.clear()
        self.requester_combo.setCurrentIndex(0)
        self.poa_check.setChecked(False)
        self.proxy_id_check.setChecked(False)
        self.reception_error.clear()

    def set_open(self, on: bool) -> None:
        """A case is open: the 受付 fields lock, the case's buttons come alive."""
        for widget in (self.park_button, self.identity_button):
            widget.setEnabled(on)
        for widget in (self.queue_edit, self.requester_combo, self.poa_check, self.proxy_id_check,
                       self.open_button):
            widget.setEnabled(not on)

    def show_parked(self, cases: list[reception.CaseFile], can_resume: bool) -> None:
        self.parked_combo.clear()
        for c in cases:
            self.parked_combo.addItem(c.queue_number, c.case_id)
        self.resume_button.setEnabled(can_resume and self.parked_combo.count() > 0)
