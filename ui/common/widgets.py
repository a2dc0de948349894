"""Small widgets every page builds the same way: the page title, the message line, list tables,
the queue table of the pages where a second person decides (審査, 二重チェック, 支援措置の判断),
named buttons and fields, and the line naming the resident a page serves. Plain functions and one QLabel subclass; no page logic."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QPushButton
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from app.residents import ResidentSummary
from ui.common.i18n import fill

ERROR_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #1b5e20;"
WARNING_STYLE = "color: #8a5300; font-weight: bold;"
ALERT_BANNER_STYLE = "background: #b00020; color: white; font-weight: bold; padding: 6px;"
NOTICE_BANNER_STYLE = "background: #fff3c4; color: #5d4200; font-weight: bold; padding: 6px;"


def page_title(text: str, *, bold: bool = True) -> QLabel:
    """A page's title: 1.4 times the page's font."""
    title = QLabel(text)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(bold)
    title.setFont(font)
    return title


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

    def __init__(self, name: str, *, ok_style: str = OK_STYLE) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)
        self._ok_style = ok_style
        self.hide()

    def say(self, text: str, error: bool = False) -> None:
        self.setText(text)
        self.setStyleSheet(ERROR_STYLE if error else self._ok_style)
        self.setVisible(bool(text))


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


def line_edit(name: str, max_length: int, placeholder: str = "") -> QLineEdit:
    """A named one-line field with its length limit (and an example as its placeholder)."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def button(text: str, name: str = "") -> QPushButton:
    """A push button with its object name (what tests and accessibility tools find it by)."""
    push = QPushButton(text)
    if name:
        push.setObjectName(name)
    return push


def show_subject(label: QLabel, support_banner: QLabel, resident: ResidentSummary | None) -> None:
    """The resident a page serves, under its title: 氏名（フリガナ） and address, and the page's
    支援措置 banner while the resident is the subject of one (both empty for None)."""
    support_banner.setVisible(resident is not None and resident.support_measure)
    if resident is None:
        label.clear()
        return
    label.setText(fill(QCoreApplication.translate("Subject", "対象: %1（%2）　%3"),
                       resident.name_kanji, resident.name_kana, resident.address))
