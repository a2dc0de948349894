"""3. 届出の入力: the fields of the chosen 異動届 (``app.idou_entry.FIELDS``), built for the kind,
each with its message line, and the 「カードから」 mark (and 外字 note) beside a field the card
filled. The format checks are ``app.idou_entry.check_field``; this form only builds, shows and
reads the fields. Nothing typed is lost: the raw text of every field is what ``values`` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from app import idou_entry
from ui.common.keys import Button
from ui.common.widgets import text_label

ERROR_STYLE = "color: #b00020;"
CARD_STYLE = "color: #0d47a1; font-size: 90%;"
CHECK_STYLE = "background: #fff3c4; color: #5d4200; padding: 2px;"  # as the identity page's 目視確認
DATE_FIELDS = ("birth_date", "idou_date", "todoke_date")


class EntryForm(QGroupBox):
    """The 届出 part of the case page. ``today`` is the counter's day (for the date checks)."""

    def __init__(self, today: Callable[[], dt.date], key_filter: QObject) -> None:
        super().__init__()
        self.setTitle(self.tr("3. 届出の入力"))
        self._today = today
        self._key_filter = key_filter  # Return in a field: the next field (the page decides)
        self._card_values: dict[str, str] = {}
        layout = QVBoxLayout(self)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("idouKind")
        self.kind_combo.setAccessibleName(self.tr("届出の種類"))
        self.subject_label = text_label("entrySubject")
        top = QHBoxLayout()
        kind_label = QLabel(self.tr("届出の種類(&K)"))
        kind_label.setBuddy(self.kind_combo)
        top.addWidget(kind_label)
        top.addWidget(self.kind_combo)
        top.addWidget(self.subject_label, 1)
        layout.addLayout(top)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.edits: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.card_marks: dict[str, QLabel] = {}  # 「カードから」 beside a field the card filled
        self.card_notes: dict[str, QLabel] = {}  # 外字・代替文字 → 目視確認
        self.form_error = text_label("entryError", ERROR_STYLE)
        layout.addWidget(self.form_error)
        self.submit_button = Button(self.tr("審査に回す(&S)"))
        self.submit_button.setObjectName("submitCaseButton")
        self.submit_button.setAutoDefault(True)
        self.status_label = text_label("caseStatus")
        bottom = QHBoxLayout()
        bottom.addWidget(self.submit_button)
        bottom.addWidget(self.status_label, 1)
        layout.addLayout(bottom)

    # -- kinds ---------------------------------------------------------------------------

    def current_kind(self) -> str | None:
        return self.kind_combo.currentData()

    def set_kinds(self, kinds: tuple[str, ...]) -> bool:
        """The kinds the interview calls for; True when the list changed (the form is rebuilt
        by the page then). The kind chosen stays chosen when it is still on offer."""
        if list(kinds) == [self.kind_combo.itemData(i) for i in range(self.kind_combo.count())]:
            return False
        current = self.kind_combo.currentData()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        for kind in kinds:
            self.kind_combo.addItem(idou_entry.KIND_LABELS[kind], kind)
        if current in kinds:
            self.kind_combo.setCurrentIndex(list(kinds).index(current))
        self.kind_combo.blockSignals(False)
        return True

    def choose_kind(self, kind: str) -> None:
        idx = self.kind_combo.findData(kind)
        if idx >= 0:
            self.kind_combo.blockSignals(True)
            self.kind_combo.setCurrentIndex(idx)
            self.kind_combo.blockSignals(False)

    # -- fields --------------------------------------------------------------------------

    def clear(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.edits, self.errors = {}, {}
        self.card_marks, self.card_notes = {}, {}
        self._card_values = {}
        self.form_error.clear()

    def build(self, kind: str, values: Mapping[str, str], card_values: Mapping[str, str],
              card_notes: Mapping[str, str]) -> None:
        """The fields of ``kind`` with ``values``; those in ``card_values`` marked as the card's."""
        self.clear()
        self._card_values = dict(card_values)
        for name in idou_entry.FIELDS[kind]:
            edit = self._edit(name, values.get(name, ""))
            edit.setObjectName(f"field_{name}")
            edit.setAccessibleName(idou_entry.LABELS[name])
            edit.installEventFilter(self._key_filter)
            error = text_label(f"error_{name}", ERROR_STYLE)
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
                note = text_label(f"note_{name}", CHECK_STYLE, text=card_notes[name])
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
            self.show_card_mark(name)

    def _edit(self, name: str, value: str) -> QLineEdit | QComboBox:
        if name == "sex":
            combo = QComboBox()
            combo.addItem(self.tr("選んでください"), "")
            combo.addItem(self.tr("男"), "male")
            combo.addItem(self.tr("女"), "female")
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.currentIndexChanged.connect(lambda _i, n=name: self._field_changed(n))
            return combo
        edit = QLineEdit(value)
        edit.editingFinished.connect(lambda n=name: self.check(n))
        edit.textChanged.connect(lambda _t, n=name: self.show_card_mark(n))
        if name in DATE_FIELDS:
            edit.setPlaceholderText(self.tr("令和8年4月1日 / R8.4.1 / 2026-04-01"))
        if name in idou_entry.OPTIONAL:
            edit.setPlaceholderText(self.tr("任意"))
        return edit

    def values(self) -> dict[str, str]:
        return {name: edit.currentData() if isinstance(edit, QComboBox) else edit.text()
                for name, edit in self.edits.items()}

    def first_empty(self) -> QWidget | None:
        """The first field still empty (else the first field)."""
        values = self.values()
        for name, edit in self.edits.items():
            if not (values.get(name) or "").strip():
                return edit
        return next(iter(self.edits.values()), None)

    def _field_changed(self, name: str) -> None:
        self.check(name)
        self.show_card_mark(name)

    def show_card_mark(self, name: str) -> None:
        mark, edit = self.card_marks.get(name), self.edits.get(name)
        if mark is None or edit is None:
            return
        text = edit.currentData() if isinstance(edit, QComboBox) else edit.text()
        origin = idou_entry.card_origin(name, text, self._card_values)
        mark.setText(self.tr("カードから") if origin == "card" else self.tr("カードから（修正あり）"))
        edit.setAccessibleDescription(mark.text())

    def check(self, name: str) -> None:
        if name not in self.errors:
            return
        message = idou_entry.check_field(name, self.values().get(name, ""), today=self._today(),
                                         kind=self.current_kind())
        self.errors[name].setText(message or "")

    def show_errors(self, errors: Mapping[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
        rest = [m for n, m in errors.items() if n not in self.errors]
        self.form_error.setText("\n".join(rest))
        first = next((n for n in self.edits if n in errors), None)
        if first:
            self.edits[first].setFocus()
