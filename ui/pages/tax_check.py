"""税の二重チェック: a second person compares a 住民税申告 as entered with the paper 申告書 and
registers it in the 課税台帳, or returns it with a reason (TAX-3, 003 L2050, #8).

The entrant cannot check their own entry (the button is off and the centre refuses it too). The
dependents' My Numbers are shown only to holders of 特定個人情報アクセス権限 (masked otherwise).
Approval is retried with the same Idempotency-Key.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from app.api_client import ApiError, OperatorSession
from app.outbox import uuid7
from app.tax import RELATIONSHIPS, yen
from japan.era import nendo
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.common.widgets import fill_queue, select_by_id
from ui.common.ops import Failures
from ui.common.worker import Runner


class TaxCheckPage(QWidget):
    session_ended = Signal(str)
    decided = Signal(int, str)  # filing id, "approved" | "returned"

    def __init__(self, client: Any, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self.session: OperatorSession | None = None
        self.filings: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self._keys: dict[int, str] = {}
        self._busy = False

        title = QLabel(self.tr("住民税申告の二重チェック"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.refresh_button = QPushButton(self.tr("再読み込み"))
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.refresh_button)

        self.queue = QTableWidget(0, 4)
        self.queue.setObjectName("filingQueue")
        self.queue.setAccessibleName(self.tr("二重チェック待ちの申告"))
        self.queue.setHorizontalHeaderLabels([self.tr("番号"), self.tr("年度"), self.tr("申告者"),
                                              self.tr("入力者")])
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.queue.horizontalHeader().setStretchLastSection(True)
        self.filing_title = QLabel()
        self.filing_title.setWordWrap(True)
        self.detail = QTableWidget(0, 2)
        self.detail.setObjectName("filingDetail")
        self.detail.setAccessibleName(self.tr("申告の入力内容と計算結果"))
        self.detail.setHorizontalHeaderLabels([self.tr("項目"), self.tr("入力内容・計算結果")])
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.detail.horizontalHeader().setStretchLastSection(True)
        self.detail.verticalHeader().hide()
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("差し戻しの理由（申告書と相違する項目など）"))
        self.reason_edit.setAccessibleName(self.tr("差し戻しの理由（申告書と相違する項目など）"))
        self.reason_edit.setMaxLength(200)
        self.return_button = QPushButton(self.tr("差し戻す"))
        self.approve_button = QPushButton(self.tr("申告書と一致を確認（課税台帳に登録）"))
        self.approve_button.setObjectName("approveFiling")
        self.message = QLabel()
        self.message.setObjectName("taxCheckMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.reason_edit, 1)
        actions.addWidget(self.return_button)
        actions.addWidget(self.approve_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.filing_title)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.message)
        splitter = QSplitter()
        splitter.addWidget(self.queue)
        splitter.addWidget(right)
        splitter.setSizes([380, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(banner)
        layout.addWidget(splitter, 1)

        self.refresh_button.clicked.connect(self.load)
        self.queue.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.return_filing)
        self._show(None)

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        self.filings, self._keys = [], {}
        self.queue.setRowCount(0)
        self._show(None)
        self._say("", False)

    def load(self) -> None:
        if self.session is None:
            return
        self._runner(self._client.list_tax_filings, self._show_queue, self._failed)

    def _show_queue(self, filings: list[dict[str, Any]]) -> None:
        self.filings = filings
        fill_queue(self.queue, [
            [str(f.get("id")), nendo(int(f.get("fiscal_year") or 0)),
             str((f.get("filer") or {}).get("name_kanji") or ""), str(f.get("entered_by") or "")]
            for f in filings])
        self._show(None)
        if not filings:
            self._say(self.tr("二重チェック待ちの申告はありません"), False)

    def _select(self, row: int) -> None:
        self._show(self.filings[row] if 0 <= row < len(self.filings) else None)

    def select_filing(self, filing_id: int) -> None:
        select_by_id(self.queue, self.filings, filing_id)

    def _rows(self, f: dict[str, Any]) -> list[tuple[str, str]]:
        entry, c, filer = f.get("entry") or {}, f.get("computed") or {}, f.get("filer") or {}
        how = {"card": self.tr("マイナンバーカード"), "card_code_b": self.tr("マイナンバーカード（券面）"),
               "documents": self.tr("本人確認書類")}
        rows = [(self.tr("申告者"), f"{filer.get('name_kanji', '')}（{filer.get('name_kana', '')}）"),
                (self.tr("生年月日・住所"), f"{filer.get('birth_date', '')}　{filer.get('address', '')}"),
                (self.tr("本人確認"), how.get(str(f.get("identity_method")), str(f.get("identity_method")))),
                (self.tr("年度"), nendo(int(f.get("fiscal_year") or 0))),
                (self.tr("給与収入"), yen(entry.get("employment_revenue"))),
                (self.tr("公的年金等の収入"), yen(entry.get("pension_revenue"))),
                (self.tr("その他の所得"), yen(entry.get("other_income"))),
                (self.tr("社会保険料控除"), yen(entry.get("social_insurance"))),
                (self.tr("生命保険料控除"), yen(entry.get("life_insurance"))),
                (self.tr("医療費控除"), yen(entry.get("medical")))]
        for i, d in enumerate(f.get("dependents") or []):
            rows.append((fill(self.tr("扶養親族 %1"), i + 1),
                         f"{d.get('name', '')}（{d.get('name_kana', '')}）{RELATIONSHIPS.get(d.get('relationship'), '')}"
                         f"　{d.get('birth_date', '')}　{self.tr('個人番号')} {d.get('my_number', '')}"
                         f"　{self.tr('所得見積')} {yen(d.get('income_estimate'))}"))
        rows += [(self.tr("計算: 所得金額"), yen(c.get("total_income"))),
                 (self.tr("計算: 所得控除"), yen(c.get("deductions"))),
                 (self.tr("計算: 課税標準"), yen(c.get("taxable_income"))),
                 (self.tr("計算: 税額（市民税＋県民税）"),
                  yen(int(c.get("municipal_tax") or 0) + int(c.get("prefectural_tax") or 0)))]
        return rows

    def _show(self, f: dict[str, Any] | None) -> None:
        self.current = f
        self.detail.setRowCount(0)
        self.reason_edit.clear()
        if f is None:
            self.filing_title.setText(self.tr("左の一覧から申告を選び、申告書の原本と照合してください"))
            self._update_buttons()
            return
        self.filing_title.setText(fill(self.tr("申告第%1号　入力: %2"), f.get("id"), f.get("entered_by") or ""))
        rows = self._rows(f)
        self.detail.setRowCount(len(rows))
        for r, (label, value) in enumerate(rows):
            self.detail.setItem(r, 0, QTableWidgetItem(label))
            self.detail.setItem(r, 1, QTableWidgetItem(value))
        self._update_buttons()
        if self._own(f):
            self._say(self.tr("ご自身が入力した申告は二重チェックできません。別の職員が確認します"), True)
        else:
            self._say("", False)

    def _own(self, f: dict[str, Any] | None) -> bool:
        return f is not None and self.session is not None and f.get("entered_by") == self.session.operator.login_id

    def approve(self) -> None:
        f = self.current
        if f is None or self._busy:
            return
        fid = int(f["id"])
        key = self._keys.setdefault(fid, str(uuid7()))
        client = self._client
        self._set_busy(True)
        self._runner(lambda: client.approve_tax_filing(fid, key),
                     lambda _r: self._decided(fid, "approved"), self._failed)

    def return_filing(self) -> None:
        f = self.current
        if f is None or self._busy:
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            self._say(self.tr("差し戻しの理由を入力してください"), True)
            self.reason_edit.setFocus()
            return
        fid, client = int(f["id"]), self._client
        self._set_busy(True)
        self._runner(lambda: client.return_tax_filing(fid, reason),
                     lambda _r: self._decided(fid, "returned"), self._failed)

    def _decided(self, fid: int, outcome: str) -> None:
        self._set_busy(False)
        self._keys.pop(fid, None)
        self.decided.emit(fid, outcome)
        self.load()
        self._say(fill(self.tr("申告第%1号を確認し、課税台帳に登録しました") if outcome == "approved"
                       else self.tr("申告第%1号を差し戻しました"), fid), False)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError) and exc.ends_session:
            self.session_ended.emit(error_message(exc))
            return
        self._say(error_message(exc), True)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def set_online(self, online: bool) -> None:
        self._online = online
        self._update_buttons()

    def _update_buttons(self) -> None:
        usable = self.current is not None and not self._busy and getattr(self, "_online", True)
        self.approve_button.setEnabled(usable and not self._own(self.current))
        self.return_button.setEnabled(usable and not self._own(self.current))

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "color: #1b5e20;")
        self.message.setVisible(bool(text))
