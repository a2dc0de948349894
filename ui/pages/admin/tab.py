"""One tab of the 管理 screen (管理画面のタブ): its message line, and its calls run through the page's
runner (with the page's busy indicator) and the shared failures (``ui.common.ops``). A list whose
chosen row the admin acts on with a reason (権限の失効, 端末の利用停止) is an ``ActionListTab``."""
from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QTableWidget, QVBoxLayout, QWidget

from ui.common.ops import Failures, PageOps
from ui.common.widgets import MessageLine, line_edit
from ui.common.worker import Runner

Row = TypeVar("Row")


class AdminTab(QWidget):
    """A tab; ``message`` is its message line (object name ``message_name``)."""

    def __init__(self, runner: Runner, failures: Failures, message_name: str) -> None:
        super().__init__()
        self.message = MessageLine(message_name)
        self.ops = PageOps(runner, None, failures, say=self.message.say, on_busy=self._set_busy)

    def clear(self) -> None:
        """Nothing of the last operator stays (a new session, or none)."""
        self.message.say("")

    def _set_busy(self, busy: bool) -> None:
        """A call of the tab went out (``True``) or all are back."""


def side_by_side(*widgets: QWidget, wide: QWidget) -> QHBoxLayout:
    """``widgets`` in a row; ``wide`` (one of them) takes the room that is left."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget, 1 if widget is wide else 0)
    return row


def reason_edit(name: str, prompt: str) -> QLineEdit:
    """The reason an admin gives for a revocation or a disable (kept in the audit log)."""
    return line_edit(name, prompt, 200, accessible=prompt)


class ActionListTab(AdminTab, Generic[Row]):
    """A tab listing ``rows`` in ``table``, with a reason field (``reason_edit``) for what the admin
    does to the chosen one; ``load`` fetches the list again."""

    table: QTableWidget
    reason_edit: QLineEdit
    refresh_button: QPushButton

    def __init__(self, runner: Runner, failures: Failures, message_name: str) -> None:
        super().__init__(runner, failures, message_name)
        self.rows: list[Row] = []

    def clear(self) -> None:
        super().clear()
        self.table.setRowCount(0)
        self.rows = []

    def lay_out(self, *rows: QHBoxLayout) -> None:
        """The list, the rows of fields and buttons under it, the message line."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        for row in rows:
            layout.addLayout(row)
        layout.addWidget(self.message)
        self.refresh_button.clicked.connect(self.load)

    def load(self) -> None:
        raise NotImplementedError

    def chosen(self, none_chosen: str) -> Row | None:
        """The row chosen in the table, or None (and ``none_chosen`` said)."""
        row = self.table.currentRow()
        if row < 0 or row >= len(self.rows):
            self.message.say(none_chosen, True)
            return None
        return self.rows[row]

    def reason(self, missing: str) -> str | None:
        """The reason typed, or None (``missing`` said and the field focused)."""
        reason = self.reason_edit.text().strip()
        if not reason:
            self.message.say(missing, True)
            self.reason_edit.setFocus()
            return None
        return reason

    def act(self, command: Callable[[], object], done: str) -> None:
        """Send ``command`` in the background; once applied, say ``done`` and fetch the list."""

        def applied(_result: object) -> None:
            self.reason_edit.clear()
            self.message.say(done)
            self.load()

        self.ops.run(command, applied)
