"""Small widgets every page builds the same way: the page title and its buttons, the resident it is
about, the message line, fields and the error beside them, combo boxes of coded choices, list tables
and the queue table of the pages where a second person decides (審査, 二重チェック, 支援措置の判断).
named buttons and a button that says what is under way. Plain functions and small widget
subclasses; no page logic."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QWidget)

from app.residents import ResidentSummary
from ui.common.i18n import fill

ERROR_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #1b5e20;"
WARNING_STYLE = "color: #8a5300; font-weight: bold;"
ALERT_BANNER_STYLE = "background: #b00020; color: white; font-weight: bold; padding: 6px;"
NOTICE_BANNER_STYLE = "background: #fff3c4; color: #5d4200; font-weight: bold; padding: 6px;"
BAD_FIELD_STYLE = "border: 2px solid #b00020;"  # a field whose value is refused


def page_title(text: str, *, bold: bool = True, scale: float = 1.4, name: str = "") -> QLabel:
    """A page's title: 1.4 times the page's font (1.6 on the centred login-side panels)."""
    title = QLabel(text)
    if name:
        title.setObjectName(name)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    title.setFont(font)
    return title


def title_bar(text: str, *buttons: QWidget) -> QHBoxLayout:
    """The page's title (``page_title``) on the left and its buttons (検索に戻る, 再読み込み…) on the
    right."""
    row = QHBoxLayout()
    row.addWidget(page_title(text))
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def action_row(main: QWidget, *beside: QWidget) -> QHBoxLayout:
    """The page's main button (交付する…) taking the row's width, and the buttons beside it (印刷)."""
    row = QHBoxLayout()
    row.addWidget(main, 1)
    for button in beside:
        row.addWidget(button)
    return row


def text_label(name: str, style: str = "", *, text: str = "", wrap: bool = True) -> QLabel:
    """A named label (the tests and the accessibility tree know it by ``name``), word-wrapped."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    if style:
        label.setStyleSheet(style)
    return label


def banner(text: str, name: str, style: str = ALERT_BANNER_STYLE) -> QLabel:
    """A hidden, word-wrapped banner (支援措置, record changed, …) that the page shows when needed."""
    label = text_label(name, style, text=text)
    label.hide()
    return label


def show_subject(label: QLabel, support_banner: QLabel, resident: ResidentSummary | None) -> None:
    """The resident a page is about (対象: 氏名（フリガナ）　住所) and its 支援措置 banner when the
    resident is protected; neither without a resident."""
    if resident is None:
        label.clear()
        support_banner.hide()
        return
    label.setText(fill(QCoreApplication.translate("Subject", "対象: %1（%2）　%3"),
                       resident.name_kanji, resident.name_kana, resident.address))
    support_banner.setVisible(resident.support_measure)


class MessageLine(QLabel):
    """The page's message to the clerk: red and bold for an error, green otherwise, hidden when
    empty."""

    def __init__(self, name: str, *, ok_style: str = OK_STYLE, selectable: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)
        if selectable:  # the clerk may copy it (an error to report, a login ID)
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._ok_style = ok_style
        self.hide()

    def say(self, text: str, error: bool = False) -> None:
        self.setText(text)
        self.setStyleSheet(ERROR_STYLE if error else self._ok_style)
        self.setVisible(bool(text))


def line_edit(name: str = "", placeholder: str = "", max_length: int = 0, *,
              accessible: str = "") -> QLineEdit:
    """A one-line field named ``name``, with a ``placeholder`` hint, at most ``max_length``
    characters (0: Qt's default) and what a screen reader calls it (``accessible``); any may be
    left out."""
    edit = QLineEdit()
    if name:
        edit.setObjectName(name)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    if max_length:
        edit.setMaxLength(max_length)
    if accessible:
        edit.setAccessibleName(accessible)
    return edit


class BusyButton(QPushButton):
    """The button of a page's main call: off, and saying what is under way (検索中…), while the call
    is out. Both texts come from the page's ``tr``."""

    def __init__(self, text: str, busy_text: str, name: str = "", *, default: bool = False) -> None:
        super().__init__(text)
        self._texts = (text, busy_text)
        if name:
            self.setObjectName(name)
        self.setDefault(default)

    def set_busy(self, busy: bool) -> None:
        self.setEnabled(not busy)
        self.setText(self._texts[busy])


def field_error(*, wrap: bool = False) -> QLabel:
    """The hidden red message that stands beside (or under) one field."""
    label = QLabel()
    label.setWordWrap(wrap)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def choice_combo(choices: Iterable[tuple[str, Any]], name: str = "") -> QComboBox:
    """A combo box of (label, data) choices, e.g. "（選択してください）" with "" and then the codes."""
    combo = QComboBox()
    if name:
        combo.setObjectName(name)
    fill_combo(combo, choices)
    return combo


def fill_combo(combo: QComboBox, choices: Iterable[tuple[str, Any]], *, keep: bool = False) -> None:
    """Replace the choices without a change signal; with ``keep`` the current choice stays chosen
    when it is still offered, otherwise the first one is."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for label, data in choices:
        combo.addItem(label, data)
    if keep:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def list_table(headers: Sequence[str], name: str = "", accessible: str = "") -> QTableWidget:
    """A read-only table of whole rows, one selected at a time, columns sized to their content."""
    table = QTableWidget(0, len(headers))
    if name:
        table.setObjectName(name)
    if accessible:
        table.setAccessibleName(accessible)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_queue(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Replace the table's rows without emitting a selection change for each of them. Nothing is
    current afterwards: a row left current from before would be a different item, not shown, and
    choosing it again would emit nothing."""
    table.blockSignals(True)
    table.setCurrentCell(-1, -1)
    table.clearSelection()
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.blockSignals(False)


def select_by_id(table: QTableWidget, items: Sequence[Any], item_id: int) -> None:
    """Make the row of the item with ``item_id`` current; KeyError when it is not in the queue.
    Items are mappings with an ``id`` or objects with an ``id`` attribute."""
    for row, item in enumerate(items):
        if (item.get("id") if isinstance(item, dict) else getattr(item, "id", None)) == item_id:
            table.setCurrentCell(row, 0)
            return
    raise KeyError(item_id)


def button(text: str, name: str = "") -> QPushButton:
    """A push button with its object name (what tests and accessibility tools find it by)."""
    push = QPushButton(text)
    if name:
        push.setObjectName(name)
    return push
