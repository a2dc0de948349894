"""世帯の届出: one 届出 for several 異動者 of the register (転居 of some members = 世帯分離, 転出 of
some or all, 死亡, 世帯変更), each row with its 異動, the 世帯 afterwards and the 続柄 (#22 point 1,
K-WF-5.1, K-DQ-1).

The 異動者 are the residents chosen in this visit on the search page. The rules are
``app.setai_todoke``'s (the household checks run as the clerk sends, the centre's refusal comes back
on its row through ``member_field``); this box only builds, shows and reads the fields, and keeps
every text and choice on an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QVBoxLayout, QWidget)

from app.residents import ResidentSummary
from app.setai_todoke import (EVENT_LABELS, HEADER_FIELDS, RELATIONSHIP_CHOICES, RESIDENT_EVENTS,
                              TO_LABELS, EntryRow)
from japan.era import wareki
from ui.common.keys import Button
from ui.common.widgets import text_label

ERROR_STYLE = "color: #b00020;"
HEAD_STYLE = "font-weight: bold;"


def header_label(name: str) -> str:
    return {"idou_date": QCoreApplication.translate("SetaiBox", "異動日"),
            "todoke_date": QCoreApplication.translate("SetaiBox", "届出日"),
            "household_no": QCoreApplication.translate("SetaiBox", "加入する世帯の世帯番号"),
            "postal_code": QCoreApplication.translate("SetaiBox", "転居先の郵便番号"),
            "address": QCoreApplication.translate("SetaiBox", "転居先の住所"),
            "katagaki": QCoreApplication.translate("SetaiBox", "方書"),
            "moved_out_to": QCoreApplication.translate("SetaiBox", "転出先")}[name]


def person_label(r: ResidentSummary) -> str:
    """氏名（生年月日 in 和暦, as the form shows dates）."""
    try:
        born = wareki(r.birth_date)
    except ValueError:
        born = r.birth_date
    return f"{r.name_kanji}（{born}）"


class SetaiRow:
    """The widgets of one 異動者 row."""

    def __init__(self, index: int, residents: Sequence[ResidentSummary]) -> None:
        self.person = QComboBox()
        self.person.setObjectName(f"setaiPerson{index}")
        self.person.setAccessibleName(
            QCoreApplication.translate("SetaiBox", "異動者%1").replace("%1", str(index + 1)))
        self.person.addItem(QCoreApplication.translate("SetaiBox", "選んでください"), None)
        for r in residents:
            self.person.addItem(person_label(r), r.id)
        self.event = QComboBox()
        self.event.setObjectName(f"setaiEvent{index}")
        self.event.setAccessibleName(QCoreApplication.translate("SetaiBox", "異動の種類"))
        for kind in RESIDENT_EVENTS:  # the register's words (app.setai_todoke), as the 届書 has them
            self.event.addItem(EVENT_LABELS[kind], kind)
        self.to = QComboBox()
        self.to.setObjectName(f"setaiTo{index}")
        self.to.setAccessibleName(QCoreApplication.translate("SetaiBox", "異動後の世帯"))
        for key, label in TO_LABELS.items():
            self.to.addItem(label, key)
        self.relation = QComboBox()
        self.relation.setObjectName(f"setaiRelation{index}")
        self.relation.setAccessibleName(QCoreApplication.translate("SetaiBox", "続柄"))
        self.relation.addItem(QCoreApplication.translate("SetaiBox", "（変更なし）"), "")
        for rel in RELATIONSHIP_CHOICES:
            self.relation.addItem(rel, rel)
        self.error = text_label(f"setaiRowError{index}", ERROR_STYLE)
        self.widgets: tuple[QWidget, ...] = (self.person, self.event, self.to, self.relation,
                                             self.error)

    def choose(self, combo: QComboBox, data: object) -> None:
        combo.setCurrentIndex(max(0, combo.findData(data)))


class SetaiBox(QGroupBox):
    """The 世帯の届出 part of the case page, shown when the clerk chooses it."""

    def __init__(self, key_filter: QObject) -> None:
        super().__init__()
        self.setObjectName("setaiBox")
        self.setTitle(self.tr("世帯の届出（複数の異動者）"))
        self._key_filter = key_filter
        self._residents: dict[int, ResidentSummary] = {}
        layout = QVBoxLayout(self)
        self.hint = text_label("setaiHint", text=self.tr(
            "異動者は住民検索で選んだ方から選びます。続柄は異動後の世帯主との続柄です。"))
        layout.addWidget(self.hint)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for name in HEADER_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"setai_{name}")
            caption = QLabel(header_label(name))
            edit.setAccessibleName(caption.text().split("(")[0])
            if name in ("idou_date", "todoke_date"):
                edit.setPlaceholderText(self.tr("令和8年4月1日 / R8.4.1 / 2026-04-01"))
            elif name != "address":
                edit.setPlaceholderText(self.tr("該当するときのみ"))
            edit.installEventFilter(key_filter)
            error = text_label(f"setai_error_{name}", ERROR_STYLE)
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(edit)
            cell.addWidget(error)
            caption.setBuddy(edit)
            form.addRow(caption, cell)
            self.edits[name], self.errors[name] = edit, error
        layout.addLayout(form)
        self.grid = QGridLayout()
        for col, head in enumerate((self.tr("異動者"), self.tr("異動"), self.tr("異動後の世帯"),
                                    self.tr("続柄"))):
            caption = QLabel(head)
            caption.setStyleSheet(HEAD_STYLE)
            self.grid.addWidget(caption, 0, col)
        layout.addLayout(self.grid)
        self.rows: list[SetaiRow] = []
        self.form_error = text_label("setaiError", ERROR_STYLE)
        layout.addWidget(self.form_error)
        self.add_button = Button(self.tr("異動者を追加(&F)"))
        self.add_button.setObjectName("setaiAddButton")
        self.remove_button = Button(self.tr("最後の行を削除"))
        self.submit_button = Button(self.tr("世帯の届出を審査に回す(&P)"))
        self.submit_button.setObjectName("setaiSubmitButton")
        self.submit_button.setAutoDefault(True)
        self.status_label = text_label("setaiStatus")
        bottom = QHBoxLayout()
        for widget in (self.add_button, self.remove_button, self.submit_button):
            bottom.addWidget(widget)
        bottom.addWidget(self.status_label, 1)
        layout.addLayout(bottom)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.hide()

    # -- rows --------------------------------------------------------------------------------

    def set_residents(self, residents: Sequence[ResidentSummary]) -> None:
        """The residents chosen in the visit: every row offers them (what is chosen stays)."""
        self._residents = {r.id: r for r in residents}
        for row in self.rows:
            chosen = row.person.currentData()
            row.person.blockSignals(True)
            row.person.clear()
            row.person.addItem(self.tr("選んでください"), None)
            for r in residents:
                row.person.addItem(person_label(r), r.id)
            row.choose(row.person, chosen)
            row.person.blockSignals(False)

    def add_row(self) -> SetaiRow:
        index = len(self.rows)
        row = SetaiRow(index, list(self._residents.values()))
        for col, widget in enumerate(row.widgets[:4]):
            widget.installEventFilter(self._key_filter)
            self.grid.addWidget(widget, index * 2 + 1, col)
        self.grid.addWidget(row.error, index * 2 + 2, 0, 1, 4)
        self.rows.append(row)
        for widget in row.widgets:
            widget.show()
        return row

    def remove_row(self) -> None:
        if not self.rows:
            return
        row = self.rows.pop()
        for widget in row.widgets:
            self.grid.removeWidget(widget)
            widget.deleteLater()

    def clear(self) -> None:
        while self.rows:
            self.remove_row()
        for edit in self.edits.values():
            edit.clear()
        for label in (*self.errors.values(), self.form_error, self.status_label):
            label.clear()
        self.hide()

    # -- reading and errors ------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.edits.items()}

    def entry_rows(self) -> list[EntryRow]:
        return [EntryRow(self._residents.get(row.person.currentData()), row.event.currentData(),
                         row.to.currentData(), row.relation.currentData() or "")
                for row in self.rows]

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each message beside its field: ``members[i].…`` on row i, a header field beside it
        (``address.postal_code`` beside 郵便番号), anything else under the rows."""
        placed: set[str] = set()
        for name, label in self.errors.items():
            texts = [t for k, t in errors.items() if k == name or k == f"address.{name}"]
            label.setText("\n".join(texts))
            placed |= {k for k in errors if k == name or k == f"address.{name}"}
        for i, row in enumerate(self.rows):
            at = f"members[{i}]."
            row.error.setText("\n".join(t for k, t in errors.items() if k.startswith(at)))
            placed |= {k for k in errors if k.startswith(at)}
        self.form_error.setText("\n".join(t for k, t in errors.items() if k not in placed))
        for name, edit in self.edits.items():
            if name in errors or f"address.{name}" in errors:
                edit.setFocus()
                return
        for i, row in enumerate(self.rows):
            if any(k.startswith(f"members[{i}].") for k in errors):
                row.relation.setFocus()
                return
