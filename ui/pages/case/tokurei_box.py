"""特例転入（転出証明書情報）: the 転入予定 household a card found, every member pre-filled from the
転出証明書情報, each member's card as read in the visit, and what the clerk confirms — the new
address, the 異動日 (住み始めた日) and each 続柄 (#22 point 2, K-WF-4.6).

The rules are ``app.tokurei.TokureiEntry``'s; this box only builds, shows and reads the fields.
Each check's message (and the centre's refusal) is shown beside its field or its member's row; nothing
typed is lost on an error. The 個人番号 is never shown here.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QVBoxLayout, QWidget)

from app.setai_todoke import RELATIONSHIP_CHOICES
from app.tokurei import TennyuYoteiMember, TokureiEntry
from japan.era import wareki
from ui.common.keys import Button
from ui.common.widgets import text_label

ERROR_STYLE = "color: #b00020;"
DONE_STYLE = "color: #1b5e20;"
HEAD_STYLE = "font-weight: bold;"


class TokureiBox(QGroupBox):
    """The 特例転入 part of the case page, hidden until a card finds a 転入予定 household."""

    def __init__(self, key_filter: QObject) -> None:
        super().__init__()
        self.setObjectName("tokureiBox")
        self.setTitle(self.tr("特例転入（転出証明書情報）"))
        self._key_filter = key_filter
        self.entry: TokureiEntry | None = None
        layout = QVBoxLayout(self)
        self.source_label = text_label("tokureiSource")
        layout.addWidget(self.source_label)

        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for name, label, hint in (
                ("postal_code", self.tr("郵便番号"), self.tr("例: 123-4567")),
                ("address", self.tr("新しい住所(&J)"), ""),
                ("katagaki", self.tr("方書"), self.tr("任意")),
                ("idou_date", self.tr("異動日（住み始めた日）"),
                 self.tr("令和8年4月1日 / R8.4.1 / 2026-04-01"))):
            edit = QLineEdit()
            edit.setObjectName(f"tokurei_{name}")
            edit.setAccessibleName(label.replace("(&", "(").split("(")[0])
            edit.setPlaceholderText(hint)
            edit.installEventFilter(key_filter)
            error = text_label(f"tokurei_error_{name}", ERROR_STYLE)
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(edit)
            cell.addWidget(error)
            caption = QLabel(label)
            caption.setBuddy(edit)
            form.addRow(caption, cell)
            self.edits[name], self.errors[name] = edit, error
        layout.addLayout(form)

        self.members_grid = QGridLayout()
        self.members_grid.setHorizontalSpacing(12)
        for col, head in enumerate((self.tr("氏名"), self.tr("生年月日・性別"), self.tr("続柄"),
                                    self.tr("マイナンバーカード"), self.tr("審査"))):
            caption = QLabel(head)
            caption.setStyleSheet(HEAD_STYLE)
            self.members_grid.addWidget(caption, 0, col)
        layout.addLayout(self.members_grid)
        self.relation_combos: dict[int, QComboBox] = {}
        self.card_labels: dict[int, QLabel] = {}
        self.sent_labels: dict[int, QLabel] = {}
        self.row_errors: dict[int, QLabel] = {}
        self._rows: list[QWidget] = []

        self.card_error = text_label("tokureiCardError", ERROR_STYLE)
        layout.addWidget(self.card_error)
        self.read_button = Button(self.tr("次のカードを読み取る(&X)"))
        self.read_button.setObjectName("tokureiReadButton")
        self.submit_button = Button(self.tr("特例転入を審査に回す(&T)"))
        self.submit_button.setObjectName("tokureiSubmitButton")
        self.submit_button.setAutoDefault(True)
        self.status_label = text_label("tokureiStatus")
        bottom = QHBoxLayout()
        bottom.addWidget(self.read_button)
        bottom.addWidget(self.submit_button)
        bottom.addWidget(self.status_label, 1)
        layout.addLayout(bottom)
        self.hide()

    # -- building ----------------------------------------------------------------------------

    def show_entry(self, entry: TokureiEntry) -> None:
        """The household found: every member's row pre-filled; the new address is the planned
        転出先 (the clerk confirms or corrects it)."""
        self.clear()
        self.entry = entry
        h = entry.household
        self.source_label.setText(
            self.tr("転出元: %1（%2）　転出予定日: %3　特例転入の期限: %4　世帯員 %5 人")
            .replace("%1", h.from_municipality).replace("%2", h.address)
            .replace("%3", wareki(h.planned_date.isoformat()))
            .replace("%4", wareki(h.tokurei_until.isoformat()))
            .replace("%5", str(len(h.members))))
        self.edits["address"].setText(h.moved_out_to)
        for i, m in enumerate(h.members):
            self._add_row(i + 1, i, m)
        self.refresh()
        self.show()

    def _add_row(self, row: int, index: int, m: TennyuYoteiMember) -> None:
        name = text_label(f"tokureiName{index}", text=f"{m.name_kanji}\n{m.name_kana}")
        sex = self.tr("男") if m.sex == "male" else self.tr("女")
        birth = text_label(f"tokureiBirth{index}",
                           text=f"{wareki(m.birth_date.isoformat())}　{sex}", wrap=False)
        combo = QComboBox()
        combo.setObjectName(f"tokureiRelation{index}")
        combo.setAccessibleName(self.tr("続柄（%1）").replace("%1", m.name_kanji))
        for rel in RELATIONSHIP_CHOICES:
            combo.addItem(rel, rel)
        combo.setCurrentIndex(max(0, combo.findData(m.relationship_to_head)))
        combo.installEventFilter(self._key_filter)
        card = text_label(f"tokureiCard{index}", wrap=False)
        sent = text_label(f"tokureiSent{index}", DONE_STYLE, wrap=False)
        error = text_label(f"tokureiRowError{index}", ERROR_STYLE)
        grid = self.members_grid
        for col, widget in enumerate((name, birth, combo, card, sent)):
            grid.addWidget(widget, row * 2 - 1, col)
        grid.addWidget(error, row * 2, 0, 1, 5)
        self._rows += [name, birth, combo, card, sent, error]
        self.relation_combos[m.member_no] = combo
        self.card_labels[m.member_no], self.sent_labels[m.member_no] = card, sent
        self.row_errors[m.member_no] = error

    def clear(self) -> None:
        for widget in self._rows:
            self.members_grid.removeWidget(widget)
            widget.deleteLater()
        self._rows = []
        self.relation_combos, self.card_labels, self.sent_labels, self.row_errors = {}, {}, {}, {}
        for edit in self.edits.values():
            edit.clear()
        for label in (*self.errors.values(), self.card_error, self.status_label, self.source_label):
            label.clear()
        self.entry = None
        self.hide()

    # -- state -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Each member's card and 審査 state as the entry has it."""
        entry = self.entry
        if entry is None:
            return
        for m in entry.household.members:
            if m.member_no in entry.sent:
                card = self.tr("読取済み")
            elif m.member_no in entry.cards:
                card = self.tr("読取済み（照合一致）")
            elif m.card_held:
                card = self.tr("未読取")
            else:
                card = self.tr("カードなし")
            self.card_labels[m.member_no].setText(card)
            case_id = entry.sent.get(m.member_no)
            self.sent_labels[m.member_no].setText(
                self.tr("審査待ち（案件番号 %1）").replace("%1", str(case_id)) if case_id else "")
            self.relation_combos[m.member_no].setEnabled(case_id is None)

    def values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.edits.items()}

    def relationships(self) -> dict[int, str]:
        return {no: combo.currentData() for no, combo in self.relation_combos.items()}

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Messages beside their field (``postal_code``) or member's row (``members[i].…``)."""
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
        members = self.entry.household.members if self.entry is not None else ()
        for i, m in enumerate(members):
            at = f"members[{i}]."
            self.row_errors[m.member_no].setText(
                "\n".join(text for key, text in errors.items() if key.startswith(at)))
        first = next((self.edits[n] for n in self.edits if n in errors), None)
        if first is None:
            first = next((self.relation_combos[m.member_no] for i, m in enumerate(members)
                          if f"members[{i}].relationship_to_head" in errors), None)
        if first is not None:
            first.setFocus()
