"""The pages where a second person decides (審査, 税の二重チェック, 支援措置の判断): one layout and one
flow, so that the three read and behave alike.

``DecisionQueue`` is such a page: the title row, the queue on the left and, on the right, what the
page shows of the chosen item above its detail table, a reason field with two buttons (the one
that sends it back and the one that approves), the offline line and the message line. The flow:

* ``load`` fetches the queue (``fetch``); choosing a row shows that item (``show_item``) and
  offers the buttons only to someone other than its entrant (``entrant``) — the centre refuses
  one's own entry too;
* ``approve_with_key`` sends an approval with the item's Idempotency-Key, kept for a retry until
  the approval is settled (``app.commands.CommandKeys``), so a lost answer never applies it twice;
  ``send_with_reason`` asks for the reason first; the reason typed stays after a refusal;
* after a decision the page says so, emits ``decided(id, outcome)`` and reloads the queue.

Each page supplies its texts, columns, detail rows and client calls; this module knows no page.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api_client import OperatorSession
from app.commands import CommandKeys
from ui.common.busy import BusyIndicator
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures, PageOps
from ui.common.widgets import (WARNING_STYLE, MessageLine, banner, button, fill_queue, page_title,
                               select_by_id)
from ui.common.worker import Runner

APPROVED, RETURNED = "approved", "returned"


@dataclass(frozen=True)
class QueueTexts:
    """What a queue page says: no item waits; the item is the operator's own; an item (number
    %1) was approved, or returned or refused."""

    empty: str
    own: str
    approved: str
    not_approved: str


def detail_table(headers: Sequence[str], name: str, accessible: str) -> QTableWidget:
    """The chosen item's read-only detail: one row an item, columns sharing the width."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().hide()
    return table


class DecisionQueue(QWidget):
    """A queue of items one person entered and another decides (see the module's docstring).

    A page builds its own widgets, then calls ``build`` once; it overrides ``fetch``,
    ``queue_row`` and ``show_item`` (and ``entrant``, ``may_approve``, ``refused`` where its rule
    differs), and ``approve`` and ``send_back`` (its two buttons) with ``approve_with_key`` or
    ``send_with_reason``."""

    decided = Signal(int, str)  # item id, outcome ("approved", "returned", "refused")

    def __init__(self, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self.session: OperatorSession | None = None
        self.items: list[Any] = []
        self.current: Any | None = None
        self.keys = CommandKeys()
        self._online = True
        self.message = MessageLine("")  # the page names it
        self.ops = PageOps(runner, self.busy, self.failures, say=self.message.say,
                           on_busy=lambda _busy: self._update_buttons())
        self._runner = self.ops.run  # every call of the page waits with its busy indicator
        self.refresh_button = button(self.tr("再読み込み"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(200)
        self.offline_label: QLabel | None = None
        self._texts = QueueTexts("", "", "", "")

    def build(self, title: str, queue: QTableWidget, detail: QTableWidget, texts: QueueTexts,
              actions: tuple[str, QPushButton, QPushButton], *, above: Sequence[QWidget] = (),
              header: Sequence[QWidget] = (), offline: tuple[str, str] | None = None,
              sizes: tuple[int, int] = (430, 750), stretch: int = 2) -> None:
        """Lay the page out. ``actions``: the reason field's placeholder, the button that sends
        the item back and the one that approves it; ``above``: what stands above the detail
        table; ``header``: what stands right of the title (default: 再読み込み); ``offline``:
        (object name, text) of the line shown while the centre is unreachable; ``sizes``: the
        queue's and the detail's widths, ``stretch``: the detail's share of a change in width."""
        self.queue, self.detail, self._texts = queue, detail, texts
        reason, self._back_button, self.approve_button = actions
        self.reason_edit.setPlaceholderText(reason)
        self.reason_edit.setAccessibleName(reason)
        top = QHBoxLayout()
        top.addWidget(page_title(title))
        top.addStretch(1)
        for widget in header or (self.refresh_button,):
            top.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.reason_edit, 1)
        row.addWidget(self._back_button)
        row.addWidget(self.approve_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        for widget in above:
            right_layout.addWidget(widget)
        right_layout.addWidget(detail, 1)
        right_layout.addLayout(row)
        if offline is not None:
            name, text = offline
            self.offline_label = banner(text, name, WARNING_STYLE)
            right_layout.addWidget(self.offline_label)
        right_layout.addWidget(self.message)
        splitter = QSplitter()
        splitter.addWidget(queue)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, stretch)
        splitter.setSizes(list(sizes))
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.refresh_button.clicked.connect(self.load)
        queue.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.approve_button.clicked.connect(self.approve)
        self._back_button.clicked.connect(self.send_back)
        self._show(None)

    # -- what a page supplies -------------------------------------------------------

    def fetch(self) -> Sequence[Any]:
        """The queue, from the centre (runs in the background)."""
        raise NotImplementedError

    def queue_row(self, item: Any) -> list[str]:
        """The item's cells in the queue table."""
        raise NotImplementedError

    def show_item(self, item: Any | None) -> None:
        """Show the item beside the queue (None: nothing is chosen); ``show_rows`` fills the detail."""
        raise NotImplementedError

    def entrant(self, item: Any) -> str:
        """Who entered the item (the one person who may not decide it)."""
        return str(item.entered_by)

    def may_approve(self, item: Any) -> bool:
        """Whether the item may be approved, beyond the rules every queue has."""
        return True

    def refused(self, failure: Failure) -> None:
        """The centre refused a decision (already said on the message line)."""

    # -- session and queue -------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        self.items = []
        self.keys.clear()
        self.queue.setRowCount(0)
        self._show(None)
        self.say("")

    def load(self) -> None:
        if self.session is None:
            return
        self.ops.run(self.fetch, self._show_queue)

    def _show_queue(self, items: Sequence[Any]) -> None:
        self.items = list(items)
        fill_queue(self.queue, [self.queue_row(item) for item in self.items])
        self._show(None)
        if not self.items:
            self.say(self._texts.empty)

    def _select(self, row: int) -> None:
        self._show(self.items[row] if 0 <= row < len(self.items) else None)

    def select_item(self, item_id: int) -> None:
        """Choose the item with ``item_id``; KeyError when it is not in the queue."""
        select_by_id(self.queue, self.items, item_id)

    # -- one item ------------------------------------------------------------------------

    def _show(self, item: Any | None) -> None:
        self.current = item
        self.detail.setRowCount(0)
        self.reason_edit.clear()
        self.show_item(item)
        self._update_buttons()
        if item is not None:
            own = self.is_own(item)
            self.say(self._texts.own if own else "", own)

    def show_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """The detail table's rows, one cell a value."""
        self.detail.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.detail.setItem(r, c, QTableWidgetItem(value))

    def is_own(self, item: Any | None) -> bool:
        return (item is not None and self.session is not None
                and self.entrant(item) == self.session.operator.login_id)

    # -- decisions -----------------------------------------------------------------------

    def approve(self) -> None:
        """The approve button."""
        raise NotImplementedError

    def send_back(self) -> None:
        """The other button: 差し戻し, or a refusal."""
        raise NotImplementedError

    def approve_with_key(self, call: Callable[[int, str], object]) -> None:
        """Approve the chosen item: ``call(id, key)``, the same Idempotency-Key on every retry."""
        item = self._chosen()
        if item is None:
            return
        item_id = int(item.id)
        key = self.keys.key(item_id)

        def failed(failure: Failure) -> None:
            self.keys.failed(item_id, failure.exc)
            self._refused(failure)

        self.ops.run(lambda: call(item_id, key), lambda _answer: self._decided(item_id, APPROVED),
                     failed)

    def send_with_reason(self, call: Callable[[int, str], Any], outcome: Callable[[Any], str],
                         missing: str = "") -> None:
        """Decide the chosen item with the reason typed: ``call(id, reason)``; ``outcome(answer)``
        names the decision. Nothing is sent without a reason (``missing`` says so)."""
        item = self._chosen()
        if item is None:
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            self.say(missing or self.tr("差し戻しの理由を入力してください"), True)
            self.reason_edit.setFocus()
            return
        item_id = int(item.id)
        self.ops.run(lambda: call(item_id, reason),
                     lambda answer: self._decided(item_id, outcome(answer)), self._refused)

    def _chosen(self) -> Any | None:
        return None if self.ops.running else self.current

    def _decided(self, item_id: int, outcome: str) -> None:
        self.keys.forget(item_id)
        self.decided.emit(item_id, outcome)
        self.load()
        texts = self._texts
        self.say(fill(texts.approved if outcome == APPROVED else texts.not_approved, item_id))

    def _refused(self, failure: Failure) -> None:
        self.say(failure.message, True)  # the reason typed stays in its field
        self.refused(failure)

    # -- state -----------------------------------------------------------------------------

    def set_online(self, online: bool) -> None:
        """Deciding needs the centre (the latest record, the queue's state): off while unreachable."""
        self._online = online
        if self.offline_label is not None:
            self.offline_label.setVisible(not online)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.current
        usable = (item is not None and not self.ops.running and self._online
                  and not self.is_own(item))
        self.approve_button.setEnabled(usable and self.may_approve(item))
        self._back_button.setEnabled(usable)

    def say(self, text: str, error: bool = False) -> None:
        self.message.say(text, error)
