"""The queue table of the pages where a second person decides (審査, 二重チェック, 支援措置の判断):
one row per waiting item, selected by the item's id. Plain functions over a QTableWidget."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def fill_queue(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Replace the table's rows without emitting a selection change for each of them."""
    table.blockSignals(True)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.blockSignals(False)


def select_by_id(table: QTableWidget, items: Sequence[dict[str, Any]], item_id: int) -> None:
    """Make the row of the item with ``item_id`` current; KeyError when it is not in the queue."""
    for row, item in enumerate(items):
        if item.get("id") == item_id:
            table.setCurrentCell(row, 0)
            return
    raise KeyError(item_id)
