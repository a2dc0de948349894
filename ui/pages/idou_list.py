"""異動リスト (DQ-2, K-WF-6.5): the day's applied 異動 of this counter or of the whole office, each
row ticked (点検) by a reviewer who checked it against its 届出; rows of earlier days nobody ticked
stay on the list, marked. The list, the ticks and the PDF are the centre's (``app.idou_list``);
the page never ticks a row of its operator's own (the centre refuses that too) and shows every
refusal in Japanese on its message line.

The PDF is the centre's (audited there as printed, with the operator's name on it); it is kept
0600 in the session's print folder, like every certificate, and deleted with the session. 印刷
draws the list on the printer from memory (``ui.printing.list_print``), nothing on disk.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QDate
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QDateEdit, QHeaderView, QHBoxLayout, QLabel, QPushButton,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from app import actions, clock
from app.api_client import OperatorSession
from app.idou_list import IdouList, IdouListRow, print_layout
from app.review import local_time
from ui.common.busy import BusyIndicator
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures, PageOps
from ui.common.widgets import MessageLine, button, choice_combo, list_table, page_title, text_label
from ui.common.worker import Runner
from ui.printing.list_print import print_list
from ui.printing.queue import choose_printer_dialog

CARRIED = QColor("#fff3c4")  # an earlier day's row nobody ticked


class IdouListClient(Protocol):
    """The calls the 異動リスト page makes."""

    def idou_list(self, day: dt.date | None = None, device: str | None = None) -> IdouList: ...
    def idou_list_pdf(self, day: dt.date | None = None, device: str | None = None) -> bytes: ...
    def check_idou(self, history_id: int) -> dict[str, Any]: ...


def save_private(folder: Path, name: str, body: bytes) -> Path:
    """Write ``body`` as ``folder/name``, readable by the session's user only (0600)."""
    path = folder / name
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(body)
    return path


class IdouListPage(QWidget):
    """The 異動リスト of one day. ``device`` is this terminal's id (the 「この窓口」 scope);
    ``print_dir`` the session's print folder."""

    COLUMNS = 9

    def __init__(self, client: IdouListClient, runner: Runner, device: str,
                 print_dir: Callable[[], Path] | None = None, *, failures: Failures | None = None,
                 today: Callable[[], dt.date] = clock.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client, self._device, self._print_dir, self._today = client, device, print_dir, today
        self.session: OperatorSession | None = None
        self.listing: IdouList | None = None
        self.last_pdf: Path | None = None
        self.busy = BusyIndicator(self)
        self.message = MessageLine("idouListMessage")
        self.ops = PageOps(runner, self.busy, failures, say=self.message.say,
                           on_busy=lambda _b: self._update_buttons())
        self._online = True

        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("idouListDate")
        self.date_edit.setAccessibleName(self.tr("異動リストの日付"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.scope_combo = choice_combo([(fill(self.tr("この窓口（%1）"), device), device),
                                         (self.tr("課全体"), "")], "idouListScope")
        self.scope_combo.setAccessibleName(self.tr("範囲"))
        self.refresh_button = button(self.tr("表示"), "idouListRefresh")
        self.pdf_button = button(self.tr("PDFを保存(&P)"), "idouListPdf")
        self.print_button = button(self.tr("印刷(&R)"), "idouListPrint")
        self.choose_printer = choose_printer_dialog  # the print dialog (a seam for tests)
        self.summary = text_label("idouListSummary")
        self.table = list_table([self.tr("点検"), self.tr("区分"), self.tr("異動"), self.tr("氏名"),
                                 self.tr("住所"), self.tr("異動日"), self.tr("入力者"),
                                 self.tr("承認者"), self.tr("記録日時")],
                                "idouListTable", self.tr("異動リスト"))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tick_buttons: dict[int, QPushButton] = {}

        top = QHBoxLayout()
        top.addWidget(page_title(self.tr("異動リスト")))
        top.addStretch(1)
        date_label = QLabel(self.tr("日付(&D)"))
        date_label.setBuddy(self.date_edit)
        top.addWidget(date_label)
        top.addWidget(self.date_edit)
        scope_label = QLabel(self.tr("範囲"))
        scope_label.setBuddy(self.scope_combo)
        top.addWidget(scope_label)
        top.addWidget(self.scope_combo)
        top.addWidget(self.refresh_button)
        top.addWidget(self.print_button)
        top.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.refresh_button.clicked.connect(self.load)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_now)
        self.date_edit.dateChanged.connect(lambda _d: self.load())
        self.scope_combo.currentIndexChanged.connect(lambda _i: self.load())
        self._set_today()

    def _set_today(self) -> None:
        today = self._today()
        self.date_edit.blockSignals(True)
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.blockSignals(False)

    # -- session and list ---------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        self.listing, self.last_pdf = None, None
        self.table.setRowCount(0)
        self.tick_buttons = {}
        self.summary.clear()
        self.message.say("")
        self._set_today()
        self._update_buttons()

    def day(self) -> dt.date:
        return self.date_edit.date().toPython()

    def device(self) -> str | None:
        return self.scope_combo.currentData() or None

    def load(self) -> None:
        if self.session is None:
            return
        day, device = self.day(), self.device()
        self.ops.run(lambda: self._client.idou_list(day, device), self._show)

    def _show(self, listing: IdouList) -> None:
        self.listing = listing
        table = self.table
        table.setRowCount(len(listing.rows))
        self.tick_buttons = {}
        for r, row in enumerate(listing.rows):
            for c, text in enumerate(self._cells(row), start=1):
                item = QTableWidgetItem(text)
                if row.carried_over:
                    item.setBackground(QBrush(CARRIED))
                    item.setToolTip(self.tr("前日までの未点検の異動です"))
                table.setItem(r, c, item)
            table.setCellWidget(r, 0, self._tick_cell(row))
        scope = self.tr("課全体") if listing.device is None else fill(self.tr("窓口 %1"), listing.device)
        self.summary.setText(fill(self.tr("%1　%2　%3 件（未点検 %4 件、うち前日までの分 %5 件）"),
                                  listing.date, scope, len(listing.rows), listing.unchecked_count,
                                  listing.carried_over_count))
        if not listing.rows:
            self.message.say(self.tr("この日の異動はありません"))
        self._update_buttons()

    def _cells(self, row: IdouListRow) -> list[str]:
        entry = {"todoke": self.tr("届出"), "shokken": self.tr("職権")}.get(
            row.entry_kind, row.entry_kind_ja)
        idou = self.tr("不詳") if row.idou_date_unknown else (row.idou_date or "")
        name = ("⚠" if row.support_measure else "") + row.name_kanji
        recorded = local_time(row.recorded_at) or row.recorded_at  # JST, as the day is
        if row.carried_over:
            recorded = fill(self.tr("%1（繰越）"), recorded)
        return [entry, row.kind_ja, name, row.address, idou, row.operator or "",
                row.approved_by or "", recorded]

    def _tick_cell(self, row: IdouListRow) -> QPushButton:
        tick = QPushButton()
        tick.setObjectName(f"idouTick_{row.history_id}")
        own = self.session is not None and row.operator == self.session.operator.login_id
        if row.checked:
            tick.setText(fill(self.tr("✓ 点検済み（%1）"), row.checked_by or ""))
            tick.setEnabled(False)
        else:
            tick.setText(self.tr("点検する"))
            tick.setProperty("own", own)
            tick.setProperty("tickable", True)
            if own:
                tick.setToolTip(self.tr("ご自身が入力した異動は点検できません。別の職員が点検します"))
            tick.clicked.connect(lambda _c=False, h=row.history_id: self.tick(h))
        tick.setAccessibleName(fill(self.tr("異動 %1 の点検"), row.history_id))
        self.tick_buttons[row.history_id] = tick
        return tick

    # -- ticks ------------------------------------------------------------------------

    def tick(self, history_id: int) -> None:
        """点検: this row was checked against its 届出 (refused to its entrant by the centre)."""
        if self.ops.running:
            return
        self.ops.run(lambda: self._client.check_idou(history_id),
                     lambda answer: self._ticked(history_id, answer), self._refused)

    def _ticked(self, history_id: int, answer: dict[str, Any]) -> None:
        self.load()
        self.message.say(fill(self.tr("異動 %1 を点検済みにしました"), history_id))

    def _refused(self, failure: Failure) -> None:
        self.message.say(failure.message, True)
        if failure.code == "idou_already_checked":
            self.load()
            self.message.say(failure.message, True)

    # -- the PDF ----------------------------------------------------------------------

    def save_pdf(self) -> None:
        """The centre's PDF of the list shown, into the session's print folder (0600)."""
        if self.session is None or self.ops.running:
            return
        day, device = self.day(), self.device()
        folder = self._print_dir() if self._print_dir else Path.cwd()
        name = f"idou-list-{day.isoformat()}{'-' + device if device else ''}.pdf"

        def fetch_and_keep() -> Path:
            return save_private(folder, name, self._client.idou_list_pdf(day, device))

        self.ops.run(fetch_and_keep, self._saved)

    def print_now(self) -> None:
        """印刷: the list as the centre answers it now (an audited read), drawn on the printer
        chosen, from memory (``ui.printing.list_print``)."""
        if self.session is None or self.ops.running:
            return
        printer = self.choose_printer(self.window())
        if printer is None:
            return  # the reviewer cancelled the print dialog
        day, device = self.day(), self.device()
        who = self.session.operator.login_id
        printed_at = dt.datetime.now(clock.JST).strftime("%Y-%m-%d %H:%M JST")

        def fetch_and_print() -> int:
            listing = self._client.idou_list(day, device)
            return print_list(print_layout(listing, printed_by=who, printed_at=printed_at,
                                           local_time=local_time), printer)

        self.ops.run(fetch_and_print,
                     lambda pages: self.message.say(fill(self.tr("印刷しました（%1 ページ）"), pages)),
                     self._print_failed)

    def _print_failed(self, failure: Failure) -> None:
        if isinstance(failure.exc, OSError):
            self.message.say(self.tr("印刷できませんでした。プリンターの状態を確認してください"), True)
        else:
            self.message.say(failure.message, True)

    def _saved(self, path: Path) -> None:
        self.last_pdf = path
        self.message.say(fill(self.tr("異動リストのPDFを保存しました: %1"), path.name))

    # -- state --------------------------------------------------------------------------

    def set_online(self, online: bool) -> None:
        self._online = online
        self._update_buttons()

    def _update_buttons(self) -> None:
        usable = self.session is not None and self._online and not self.ops.running
        may_tick = usable and self.session is not None and self.session.may(actions.IDOU_LIST_CHECK)
        for button_ in self.tick_buttons.values():
            if button_.property("tickable"):
                button_.setEnabled(may_tick and not button_.property("own"))
        self.pdf_button.setEnabled(usable)
        self.print_button.setEnabled(usable)
        self.refresh_button.setEnabled(usable)
