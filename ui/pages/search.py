"""Home page after login: resident search (住民検索画面).

The clerk chooses a purpose (利用目的) and gives two or more keys; the centre decides and answers
with the matching residents (the My Number masked unless the operator may read it, 支援措置 marked).
The search runs in the background; a session the centre ended or a terminal it disabled is the
shell's to handle (``ui.common.ops``), every other outcome is also told as ``search_finished``.
From the chosen resident the clerk goes on to 本人確認, 交付, a 届出 or the tax counter.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableWidgetItem, QVBoxLayout, QWidget)

from app.api_client import OperatorSession
from app.residents import ResidentSearchResult, ResidentSummary
from ui.common.busy import BusyIndicator
from ui.common.i18n import fill
from ui.common.keys import Button
from ui.common.ops import Failure, Failures, PageOps
from ui.common.purposes import purpose_combo, purpose_label
from ui.common.widgets import BusyButton, MessageLine, line_edit, list_table, title_bar
from ui.common.worker import Runner

__all__ = ["SearchPage", "purpose_label"]  # purpose_label: imported from here by other pages


class SearchClient(Protocol):
    """The call the search page makes (``CentralClient``)."""

    def search_residents(self, purpose: str | None, purpose_note: str | None = None,
                         **keys: Any) -> ResidentSearchResult: ...


class SearchPage(QWidget):
    """Operator banner, resident search form and result table.

    Emits ``logout_requested`` when ログアウト is pressed, ``search_finished`` with each search's
    result or failure, and a ``…_requested`` signal for what the clerk does with the resident.
    """

    logout_requested = Signal()
    issue_requested = Signal(object)  # the ResidentSummary to issue a 住民票の写し for
    identity_requested = Signal(object)  # the ResidentSummary to identify (本人確認)
    entry_requested = Signal(object)  # the ResidentSummary a 異動届 is about (受付・入力)
    reception_requested = Signal()  # a new 受付 with nobody chosen (転入・出生: no record here yet)
    subject_changed = Signal(object)  # the selected ResidentSummary, or None
    tax_requested = Signal(object)  # the ResidentSummary for the tax counter (#8)
    search_finished = Signal(object)  # the ResidentSearchResult, or the exception of a failure

    COLUMNS = ("juminhyo_code", "name", "kana", "birth_date", "address", "my_number", "support", "status")

    def __init__(self, client: SearchClient, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait for the centre shows it and a busy cursor
        self._client = client
        self._runner = self.busy.wrap(runner)
        self.error_label = MessageLine("searchError", selectable=True)
        self.ops = PageOps(self._runner, None, self.failures, say=self.error_label.say,
                           on_busy=lambda busy: self.search_button.set_busy(busy))
        self.session: OperatorSession | None = None
        self._result_items: list[ResidentSummary] = []
        self._resident_buttons: list[QPushButton] = []

        # -- banner ------------------------------------------------------
        self.operator_label = QLabel()
        self.operator_label.setObjectName("operatorName")
        font = self.operator_label.font()
        font.setBold(True)
        self.operator_label.setFont(font)
        self.logout_button = QPushButton(self.tr("ログアウト"))
        self.logout_button.setObjectName("logoutButton")
        banner = title_bar(self.tr("住民検索"), self.operator_label, self.logout_button)

        # -- form --------------------------------------------------------
        self.purpose_combo = purpose_combo("purpose", self.tr("（選択してください）"))
        self.purpose_note_edit = line_edit("purposeNote", self.tr("「その他」の場合は具体的な目的を入力"), 200)
        self.juminhyo_code_edit = line_edit("juminhyoCode", self.tr("11桁"), 20)
        self.name_edit = line_edit("name", self.tr("漢字またはフリガナ"))
        self.address_edit = line_edit("address")
        self.birth_date_edit = line_edit("birthDate", self.tr("例: 1980-04-01"), 20)
        self.search_button = BusyButton(self.tr("検索"), self.tr("検索中…"), "searchButton",
                                        default=True)
        self.clear_button = QPushButton(self.tr("クリア"))
        self.clear_button.setObjectName("clearButton")

        form = QFormLayout()
        for label, field in ((self.tr("利用目的"), self.purpose_combo),
                             (self.tr("目的の補足"), self.purpose_note_edit),
                             (self.tr("住民票コード"), self.juminhyo_code_edit), (self.tr("氏名"), self.name_edit),
                             (self.tr("住所"), self.address_edit), (self.tr("生年月日"), self.birth_date_edit)):
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.search_button)
        form.addRow(buttons)
        form_box = QGroupBox(self.tr("検索条件"))
        form_box.setLayout(form)
        form_box.setMaximumWidth(520)

        self.error_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.hint_label = QLabel(
            self.tr("利用目的を選び、住民票コード・氏名・住所・生年月日のうち2つ以上を入力してください。")
        )
        self.hint_label.setWordWrap(True)
        side = QVBoxLayout()  # beside the form: what to give, and what went wrong
        for label in (self.hint_label, self.error_label):
            side.addWidget(label)
        side.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(form_box, 3)
        top.addLayout(side, 2)

        # -- results -----------------------------------------------------
        self.result_label = QLabel()
        self.result_label.setObjectName("resultCount")
        self.results_table = list_table(
            [self.tr("住民票コード"), self.tr("氏名"), self.tr("フリガナ"), self.tr("生年月日"),
             self.tr("住所"), self.tr("個人番号"), self.tr("支援措置"), self.tr("状態")],
            "results", self.tr("検索結果"))
        self.results_table.verticalHeader().setVisible(False)
        header = self.results_table.horizontalHeader()
        header.setStretchLastSection(False)  # the address takes the room instead
        header.setSectionResizeMode(self.COLUMNS.index("address"), QHeaderView.ResizeMode.Stretch)

        # -- actions on the selected resident ------------------------------
        # What the clerk does with the chosen resident: each button asks the window (a signal).
        self.issue_button = self._for_resident(self.tr("住民票の写しを交付"), "issueCertificateButton",
                                               self.issue_requested)
        self.identity_button = self._for_resident(self.tr("本人確認"), "identityButton",
                                                  self.identity_requested)
        self.entry_button = self._for_resident(self.tr("この方の届出を入力"), "entryButton",
                                               self.entry_requested)
        self.tax_button = self._for_resident(self.tr("税務窓口（申告・課税証明）"), "taxButton",
                                             self.tax_requested)
        # 転入 and 出生 have nobody to search for: a new reception straight away (Alt+N).
        self.reception_button = Button(self.tr("新しい受付（転入・出生など）(&N)"))
        self.reception_button.setObjectName("newReceptionButton")
        self.reception_button.clicked.connect(self.reception_requested)
        self.actions_row = QHBoxLayout()
        self.actions_row.addWidget(self.reception_button)
        self.actions_row.addStretch(1)
        self.actions_row.addWidget(self.entry_button)
        self.actions_row.addWidget(self.identity_button)
        self.actions_row.addWidget(self.issue_button)
        self.actions_row.addWidget(self.tax_button)

        layout = QVBoxLayout(self)
        layout.addLayout(banner)
        layout.addLayout(top)
        layout.addWidget(self.result_label)
        layout.addWidget(self.results_table, 1)
        layout.addLayout(self.actions_row)
        layout.addWidget(self.busy)

        self._field_widgets = {
            "purpose": self.purpose_combo,
            "purpose_note": self.purpose_note_edit,
            "juminhyo_code": self.juminhyo_code_edit,
            "name": self.name_edit,
            "address": self.address_edit,
            "birth_date": self.birth_date_edit,
        }

        self.logout_button.clicked.connect(self.logout_requested)
        self.results_table.itemSelectionChanged.connect(self._on_selection)
        self.search_button.clicked.connect(self.submit)
        self.clear_button.clicked.connect(self.clear_form)
        for edit in (
            self.purpose_note_edit,
            self.juminhyo_code_edit,
            self.name_edit,
            self.address_edit,
            self.birth_date_edit,
        ):
            edit.returnPressed.connect(self.submit)

    # -- session ---------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        """Show who is logged in; ``None`` wipes the page (after logout)."""
        self.session = session
        if session is None:
            self.operator_label.clear()
            self.clear_form()
            return
        self.operator_label.setText(
            fill(self.tr("%1 さん（%2）"), session.operator.display_name, session.operator.login_id)
        )

    # -- search ----------------------------------------------------------

    def clear_form(self) -> None:
        self.purpose_combo.setCurrentIndex(0)
        for edit in self._field_widgets.values():
            if isinstance(edit, QLineEdit):
                edit.clear()
        self.error_label.say("")
        self._show_results(None)

    def submit(self) -> None:
        if self.ops.running:
            return
        purpose = self.purpose_combo.currentData() or None
        note = self.purpose_note_edit.text()
        keys = {
            "juminhyo_code": self.juminhyo_code_edit.text(),
            "name": self.name_edit.text(),
            "address": self.address_edit.text(),
            "birth_date": self.birth_date_edit.text(),
        }
        self.error_label.say("")
        self._show_results(None)
        client = self._client
        self.ops.run(lambda: client.search_residents(purpose, purpose_note=note or None, **keys),
                     self._on_results, self._on_error)

    def _on_results(self, result: ResidentSearchResult) -> None:
        self._show_results(result)
        self.search_finished.emit(result)

    def _on_error(self, failure: Failure) -> None:
        self.error_label.say(failure.message, True)
        problem = failure.problem
        if problem is not None and problem.field in self._field_widgets:
            self._field_widgets[problem.field].setFocus()
        self.search_finished.emit(failure.exc)

    # -- results ---------------------------------------------------------

    def selected_resident(self) -> ResidentSummary | None:
        """The resident on the selected row of the results, if any."""
        row = self.results_table.currentRow()
        items = self._result_items
        if not self.results_table.selectedItems() or not 0 <= row < len(items):
            return None
        return items[row]

    def _on_selection(self) -> None:
        resident = self.selected_resident()
        usable = resident is not None and not resident.is_removed
        for button in self._resident_buttons:
            button.setEnabled(usable)
        self.subject_changed.emit(resident)

    def _for_resident(self, text: str, name: str, request: SignalInstance) -> QPushButton:
        """A button that hands the chosen resident on with ``request``; off until one is chosen."""
        button = QPushButton(text)
        button.setObjectName(name)
        button.setEnabled(False)

        def clicked() -> None:
            resident = self.selected_resident()
            if resident is not None:
                request.emit(resident)

        button.clicked.connect(clicked)
        self._resident_buttons.append(button)
        return button

    def _show_results(self, result: ResidentSearchResult | None) -> None:
        table = self.results_table
        self._result_items = list(result.items) if result is not None else []
        table.setRowCount(0)
        for button in self._resident_buttons:
            button.setEnabled(False)
        if result is None:
            self.result_label.clear()
            return
        if not result.items:
            self.result_label.setText(self.tr("該当する住民は見つかりませんでした"))
            return
        self.result_label.setText(self.tr("%n 件見つかりました", "", result.count))
        table.setRowCount(len(result.items))
        for row, resident in enumerate(result.items):
            for column, item in enumerate(self._row_items(resident)):
                table.setItem(row, column, item)

    def _row_items(self, resident: ResidentSummary) -> list[QTableWidgetItem]:
        address = resident.address
        if resident.katagaki:
            address = f"{address}　{resident.katagaki}"
        my_number = QTableWidgetItem(resident.my_number)
        if not resident.my_number_disclosed:
            my_number.setToolTip(self.tr("個人番号を閲覧する権限がありません"))
        support = QTableWidgetItem()
        if resident.support_measure:
            support.setText(self.tr("⚠ 支援措置"))
            support.setToolTip(
                self.tr("DV等支援措置の対象者です。住所等を第三者に伝えないでください。")
            )
            support.setForeground(QBrush(QColor("#b00020")))
            bold = QFont(support.font())
            bold.setBold(True)
            support.setFont(bold)
        status = QTableWidgetItem(self.tr("除票") if resident.is_removed else self.tr("住民"))
        items = [
            QTableWidgetItem(resident.juminhyo_code),
            QTableWidgetItem(resident.name_kanji),
            QTableWidgetItem(resident.name_kana),
            QTableWidgetItem(resident.birth_date),
            QTableWidgetItem(address),
            my_number,
            support,
            status,
        ]
        items[0].setData(Qt.ItemDataRole.UserRole, resident.id)
        return items
