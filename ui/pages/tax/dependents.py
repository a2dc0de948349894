"""One 扶養親族 of a 住民税申告 as the clerk types it (控除対象配偶者・扶養親族): 氏名, フリガナ, 生年月日,
続柄, 個人番号, 所得見積額, 同居, and the messages about them. The 申告 tab (``filing``) keeps the
rows; the checks are ``app.tax.check_filing``'s."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.tax import DependentForm
from ui.common.i18n import fill
from ui.common.widgets import BAD_FIELD_STYLE, choice_combo, field_error, line_edit


class DependentRow(QWidget):
    """One 扶養親族: 氏名, フリガナ, 生年月日, 続柄, 個人番号, 所得見積額, 同居, and its message."""

    remove_requested = Signal(object)
    edited = Signal()  # any of the typed fields changed

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.name_edit = line_edit(placeholder=self.tr("氏名"), max_length=100)
        self.kana_edit = line_edit(placeholder=self.tr("フリガナ"), max_length=200)
        self.birth_edit = line_edit(placeholder=self.tr("生年月日 例: 2010-04-01"), max_length=20)
        self.relationship_combo = choice_combo(
            ((self.tr("（続柄）"), ""), (self.tr("配偶者"), "spouse"), (self.tr("子"), "child"),
             (self.tr("父母"), "parent"), (self.tr("その他の親族"), "other")))
        self.my_number_edit = line_edit(placeholder=self.tr("個人番号（12桁）"), max_length=14)
        self.my_number_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)  # onlookers
        self.income_edit = line_edit(placeholder=self.tr("所得見積額（円）"), max_length=15)
        self.lives_with_check = QCheckBox(self.tr("同居"))
        self.lives_with_check.setChecked(True)
        self.remove_button = QPushButton(self.tr("削除"))
        self.error_label = field_error(wrap=True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 6)
        grid.addWidget(self.caption, 0, 0)
        grid.addWidget(self.name_edit, 0, 1)
        grid.addWidget(self.kana_edit, 0, 2)
        grid.addWidget(self.birth_edit, 0, 3)
        grid.addWidget(self.relationship_combo, 0, 4)
        grid.addWidget(self.my_number_edit, 1, 1)
        grid.addWidget(self.income_edit, 1, 2)
        grid.addWidget(self.lives_with_check, 1, 3)
        grid.addWidget(self.remove_button, 1, 4)
        grid.addWidget(self.error_label, 2, 1, 1, 4)
        self.fields = {"name": self.name_edit, "name_kana": self.kana_edit,
                       "birth_date": self.birth_edit, "relationship": self.relationship_combo,
                       "my_number": self.my_number_edit, "income_estimate": self.income_edit}
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        for edit in (self.name_edit, self.kana_edit, self.birth_edit, self.my_number_edit,
                     self.income_edit):
            edit.textEdited.connect(self.edited)
        self.relationship_combo.currentIndexChanged.connect(self.edited)
        self.lives_with_check.toggled.connect(self.edited)
        self.set_number(number)

    def set_number(self, number: int) -> None:
        self.caption.setText(fill(self.tr("%1人目"), number))

    def form(self) -> DependentForm:
        return DependentForm(self.name_edit.text(), self.kana_edit.text(), self.birth_edit.text(),
                             self.relationship_combo.currentData() or "", self.my_number_edit.text(),
                             self.income_edit.text(), self.lives_with_check.isChecked())

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, widget in self.fields.items():
            widget.setStyleSheet(BAD_FIELD_STYLE if key in errors else "")
        self.error_label.setText("\n".join(errors.values()))
        self.error_label.setVisible(bool(errors))
