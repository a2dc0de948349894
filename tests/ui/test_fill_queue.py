"""A queue refilled after a decision leaves nothing current, so choosing the first row again shows
it (the 審査 and 職権 queues: the approved case's row was left current, holding another case)."""
from __future__ import annotations

from PySide6.QtWidgets import QTableWidget

from ui.common.widgets import fill_queue


def test_a_refilled_queue_has_no_current_row_and_the_first_row_can_be_chosen_again(qtbot):
    table = QTableWidget(0, 2)
    qtbot.addWidget(table)
    chosen: list[int] = []
    table.currentCellChanged.connect(lambda row, *_: chosen.append(row))
    fill_queue(table, [["1", "転入"], ["2", "転居"]])
    table.setCurrentCell(0, 0)
    assert chosen == [0]
    fill_queue(table, [["2", "転居"]])  # case 1 decided: the queue reloaded
    assert table.currentRow() == -1 and not table.selectedItems()
    assert chosen == [0]  # no signal while refilling
    table.setCurrentCell(0, 0)
    assert chosen == [0, 0] and table.item(0, 1).text() == "転居"
