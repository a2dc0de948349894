"""Small widgets every page builds the same way: the page title and its title bar, the message line,
a button that says what is under way, list tables and the queue table of the pages where a second
person decides (審査, 二重チェック, 支援措置の判断). Plain functions and small widget subclasses; no
page logic."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QWidget)

ERROR_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #1b5e20;"
WARNING_STYLE = "color: #8a5300; font-weight: bold;"
ALERT_BANNER_STYLE = "background: #b00020; color: white; font-weight: bold; padding: 6px;"
NOTICE_BANNER_STYLE = "background: #fff3c4; color: #5d4200; font-weight: bold; padding: 6px;"


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


def title_bar(title: str, *right: QWidget) -> QHBoxLayout:
    """A page's top row: its title on the left; the operator's name and the page's buttons (再読み込み,
    ログアウト) on the right."""
    row = QHBoxLayout()
    row.addWidget(page_title(title))
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row


def banner(text: str, name: str, style: str = ALERT_BANNER_STYLE) -> QLabel:
    """A hidden, word-wrapped banner (支援措置, record changed, …) that the page shows when needed."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.hide()
    return label


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


def line_edit(name: str, placeholder: str = "", max_length: int = 0, *,
              accessible: str = "") -> QLineEdit:
    """A one-line field named ``name``, with a ``placeholder`` hint, at most ``max_length``
    characters (0: Qt's default) and what a screen reader calls it (``accessible``)."""
    edit = QLineEdit()
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
    """Replace the table's rows without emitting a selection change for each of them."""
    table.blockSignals(True)
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
