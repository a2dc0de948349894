"""Home page after login: resident search (住民検索画面)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api_client import ApiError, OperatorSession
from app.residents import PURPOSE_CODES, ResidentSearchResult, ResidentSummary
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.common.keys import Button
from ui.common.ops import Failures
from ui.common.worker import Runner


def purpose_label(code: str) -> str:
    """The Japanese name of a purpose code (利用目的)."""
    labels = {
        "idou": QCoreApplication.translate("Purposes", "異動届の受付"),
        "certificate": QCoreApplication.translate("Purposes", "証明書の交付"),
        "identity": QCoreApplication.translate("Purposes", "本人確認"),
        "tax": QCoreApplication.translate("Purposes", "税務"),
        "inquiry": QCoreApplication.translate("Purposes", "照会への回答"),
        "review": QCoreApplication.translate("Purposes", "審査"),
        "other": QCoreApplication.translate("Purposes", "その他"),
    }
    return labels.get(code, code)


class SearchPage(QWidget):
    """Operator banner, resident search form and result table.

    Emits ``logout_requested`` when ログアウト is pressed and ``session_ended``
    when the server no longer accepts the login; the window handles both.
    """

    logout_requested = Signal()
    issue_requested = Signal(object)  # the ResidentSummary to issue a 住民票の写し for
    identity_requested = Signal(object)  # the ResidentSummary to identify (本人確認)
    entry_requested = Signal(object)  # the ResidentSummary a 異動届 is about (受付・入力)
    reception_requested = Signal()  # a new 受付 with nobody chosen (転入・出生: no record here yet)
    subject_changed = Signal(object)  # the selected ResidentSummary, or None
    tax_requested = Signal(object)  # the ResidentSummary for the tax counter (#8)
    #: The server says the login is over (expired, ended elsewhere); carries the message to show.
    session_ended = Signal(str)
    search_finished = Signal(object)

    COLUMNS = ("juminhyo_code", "name", "kana", "birth_date", "address", "my_number", "support", "status")

    def __init__(self, client: Any, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait for the centre shows it and a busy cursor
        self._client = client
        self._runner = self.busy.wrap(runner)
        self._busy = False
        self.session: OperatorSession | None = None
        self._result_items: list[ResidentSummary] = []

        # -- banner ------------------------------------------------------
        self.operator_label = QLabel()
        self.operator_label.setObjectName("operatorName")
        font = self.operator_label.font()
        font.setBold(True)
        self.operator_label.setFont(font)
        self.logout_button = QPushButton(self.tr("ログアウト"))
        self.logout_button.setObjectName("logoutButton")
        title = QLabel(self.tr("住民検索"))
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        title.setFont(title_font)
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.operator_label)
        banner.addWidget(self.logout_button)

        # -- form --------------------------------------------------------
        self.purpose_combo = QComboBox()
        self.purpose_combo.setObjectName("purpose")
        self.purpose_combo.addItem(self.tr("（選択してください）"), "")
        for code in PURPOSE_CODES:
            self.purpose_combo.addItem(purpose_label(code), code)
        self.purpose_note_edit = QLineEdit()
        self.purpose_note_edit.setObjectName("purposeNote")
        self.purpose_note_edit.setPlaceholderText(self.tr("「その他」の場合は具体的な目的を入力"))
        self.purpose_note_edit.setMaxLength(200)
        self.juminhyo_code_edit = QLineEdit()
        self.juminhyo_code_edit.setObjectName("juminhyoCode")
        self.juminhyo_code_edit.setPlaceholderText(self.tr("11桁"))
        self.juminhyo_code_edit.setMaxLength(20)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name")
        self.name_edit.setPlaceholderText(self.tr("漢字またはフリガナ"))
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("address")
        self.birth_date_edit = QLineEdit()
        self.birth_date_edit.setObjectName("birthDate")
        self.birth_date_edit.setPlaceholderText(self.tr("例: 1980-04-01"))
        self.birth_date_edit.setMaxLength(20)
        self.search_button = QPushButton(self.tr("検索"))
        self.search_button.setObjectName("searchButton")
        self.search_button.setDefault(True)
        self.clear_button = QPushButton(self.tr("クリア"))
        self.clear_button.setObjectName("clearButton")

        form = QFormLayout()
        form.addRow(self.tr("利用目的"), self.purpose_combo)
        form.addRow(self.tr("目的の補足"), self.purpose_note_edit)
        form.addRow(self.tr("住民票コード"), self.juminhyo_code_edit)
        form.addRow(self.tr("氏名"), self.name_edit)
        form.addRow(self.tr("住所"), self.address_edit)
        form.addRow(self.tr("生年月日"), self.birth_date_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.search_button)
        form.addRow(buttons)
        form_box = QGroupBox(self.tr("検索条件"))
        form_box.setLayout(form)
        form_box.setMaximumWidth(520)

        self.error_label = QLabel()
        self.error_label.setObjectName("searchError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.hint_label = QLabel(
            self.tr("利用目的を選び、住民票コード・氏名・住所・生年月日のうち2つ以上を入力してください。")
        )
        self.hint_label.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self.hint_label)
        side.addWidget(self.error_label)
        side.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(form_box, 3)
        top.addLayout(side, 2)

        # -- results -----------------------------------------------------
        self.result_label = QLabel()
        self.result_label.setObjectName("resultCount")
        self.results_table = QTableWidget(0, len(self.COLUMNS))
        self.results_table.setObjectName("results")
        self.results_table.setAccessibleName(self.tr("検索結果"))
        self.results_table.setHorizontalHeaderLabels(
            [
                self.tr("住民票コード"),
                self.tr("氏名"),
                self.tr("フリガナ"),
                self.tr("生年月日"),
                self.tr("住所"),
                self.tr("個人番号"),
                self.tr("支援措置"),
                self.tr("状態"),
            ]
        )
        self.results_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_table.verticalHeader().setVisible(False)
        header = self.results_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS.index("address"), QHeaderView.ResizeMode.Stretch)

        # -- actions on the selected resident ------------------------------
        self.issue_button = QPushButton(self.tr("住民票の写しを交付"))
        self.issue_button.setObjectName("issueCertificateButton")
        self.issue_button.setEnabled(False)
        self.identity_button = QPushButton(self.tr("本人確認"))
        self.identity_button.setObjectName("identityButton")
        self.identity_button.setEnabled(False)
        self.entry_button = QPushButton(self.tr("この方の届出を入力"))
        self.entry_button.setObjectName("entryButton")
        self.entry_button.setEnabled(False)
        self.entry_button.clicked.connect(self._request_entry)
        self.tax_button = QPushButton(self.tr("税務窓口（申告・課税証明）"))
        self.tax_button.setObjectName("taxButton")
        self.tax_button.setEnabled(False)
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
        self.issue_button.clicked.connect(self._request_issue)
        self.identity_button.clicked.connect(self._request_identity)
        self.tax_button.clicked.connect(self._request_tax)
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
        self._show_error("")
        self._show_results(None)

    def submit(self) -> None:
        if self._busy:
            return
        purpose = self.purpose_combo.currentData() or None
        note = self.purpose_note_edit.text()
        keys = {
            "juminhyo_code": self.juminhyo_code_edit.text(),
            "name": self.name_edit.text(),
            "address": self.address_edit.text(),
            "birth_date": self.birth_date_edit.text(),
        }
        self._show_error("")
        self._show_results(None)
        self._set_busy(True)
        client = self._client
        self._runner(
            lambda: client.search_residents(purpose, purpose_note=note or None, **keys),
            self._on_results,
            self._on_error,
        )

    def _on_results(self, result: ResidentSearchResult) -> None:
        self._set_busy(False)
        self._show_results(result)
        self.search_finished.emit(result)

    def _on_error(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError) and exc.ends_session:
            self.search_finished.emit(exc)
            self.session_ended.emit(error_message(exc))
            return
        self._show_error(error_message(exc))
        if isinstance(exc, ApiError) and exc.field in self._field_widgets:
            self._field_widgets[exc.field].setFocus()
        self.search_finished.emit(exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.search_button.setEnabled(not busy)
        self.search_button.setText(self.tr("検索中…") if busy else self.tr("検索"))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

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
        self.issue_button.setEnabled(usable)
        self.identity_button.setEnabled(usable)
        self.entry_button.setEnabled(usable)
        self.tax_button.setEnabled(usable)
        self.subject_changed.emit(resident)

    def _request_entry(self) -> None:
        resident = self.selected_resident()
        if resident is not None:
            self.entry_requested.emit(resident)

    def _request_identity(self) -> None:
        resident = self.selected_resident()
        if resident is not None:
            self.identity_requested.emit(resident)

    def _request_tax(self) -> None:
        resident = self.selected_resident()
        if resident is not None:
            self.tax_requested.emit(resident)

    def _request_issue(self) -> None:
        resident = self.selected_resident()
        if resident is not None:
            self.issue_requested.emit(resident)

    def _show_results(self, result: ResidentSearchResult | None) -> None:
        table = self.results_table
        self._result_items = list(result.items) if result is not None else []
        table.setRowCount(0)
        self.issue_button.setEnabled(False)
        self.identity_button.setEnabled(False)
        self.tax_button.setEnabled(False)
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
