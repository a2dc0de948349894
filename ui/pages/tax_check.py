"""税の二重チェック: a second person compares a 住民税申告 as entered with the paper 申告書 and
registers it in the 課税台帳, or returns it with a reason (TAX-3, 003 L2050, #8).

The entrant cannot check their own entry (the button is off and the centre refuses it too). The
dependents' My Numbers are shown only to holders of 特定個人情報アクセス権限 (masked otherwise).
Approval is retried with the same Idempotency-Key (the queue's flow: ``ui.common.decision_queue``).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QHeaderView, QLabel, QWidget

from app.tax import RELATIONSHIPS, FilingForCheck, yen
from japan.era import nendo
from ui.common.decision_queue import RETURNED, DecisionQueue, QueueTexts, detail_table
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.widgets import button, list_table
from ui.common.worker import Runner


class TaxCheckClient(Protocol):
    """The calls the 二重チェック page makes."""

    def list_tax_filings(self) -> list[FilingForCheck]: ...
    def approve_tax_filing(self, filing_id: int, idempotency_key: str) -> object: ...
    def return_tax_filing(self, filing_id: int, reason: str) -> object: ...


class TaxCheckPage(DecisionQueue):
    select_filing = DecisionQueue.select_item

    def __init__(self, client: TaxCheckClient, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, failures=failures, parent=parent)
        self._client = client
        self._how = {"card": self.tr("マイナンバーカード"), "card_code_b": self.tr("マイナンバーカード（券面）"),
                     "documents": self.tr("本人確認書類")}
        self._amounts = {"employment_revenue": self.tr("給与収入"), "pension_revenue": self.tr("公的年金等の収入"),
                         "other_income": self.tr("その他の所得"), "social_insurance": self.tr("社会保険料控除"),
                         "life_insurance": self.tr("生命保険料控除"), "medical": self.tr("医療費控除")}

        self.message.setObjectName("taxCheckMessage")
        self.filing_title = QLabel()
        self.filing_title.setWordWrap(True)
        detail = detail_table([self.tr("項目"), self.tr("入力内容・計算結果")], "filingDetail",
                              self.tr("申告の入力内容と計算結果"))
        detail.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.return_button = button(self.tr("差し戻す"))
        self.approve_button = button(self.tr("申告書と一致を確認（課税台帳に登録）"), "approveFiling")
        self.build(
            self.tr("住民税申告の二重チェック"),
            list_table([self.tr("番号"), self.tr("年度"), self.tr("申告者"), self.tr("入力者")],
                       "filingQueue", self.tr("二重チェック待ちの申告")),
            detail,
            QueueTexts(empty=self.tr("二重チェック待ちの申告はありません"),
                       own=self.tr("ご自身が入力した申告は二重チェックできません。別の職員が確認します"),
                       approved=self.tr("申告第%1号を確認し、課税台帳に登録しました"),
                       not_approved=self.tr("申告第%1号を差し戻しました")),
            (self.tr("差し戻しの理由（申告書と相違する項目など）"), self.return_button, self.approve_button),
            above=(self.filing_title,), sizes=(380, 800), stretch=0)

    def fetch(self) -> list[FilingForCheck]:
        return self._client.list_tax_filings()

    def queue_row(self, f: FilingForCheck) -> list[str]:
        return [str(f.id), nendo(f.fiscal_year), f.filer_name, f.entered_by]

    def show_item(self, f: FilingForCheck | None) -> None:
        if f is None:
            self.filing_title.setText(self.tr("左の一覧から申告を選び、申告書の原本と照合してください"))
            return
        self.filing_title.setText(fill(self.tr("申告第%1号　入力: %2"), f.id, f.entered_by))
        self.show_rows(self._rows(f))

    def _rows(self, f: FilingForCheck) -> list[tuple[str, str]]:
        rows = [(self.tr("申告者"), f"{f.filer_name}（{f.filer_kana}）"),
                (self.tr("生年月日・住所"), f"{f.filer_birth_date}　{f.filer_address}"),
                (self.tr("本人確認"), self._how.get(f.identity_method, f.identity_method)),
                (self.tr("年度"), nendo(f.fiscal_year))]
        rows += [(self._amounts[name], yen(amount)) for name, amount in f.amounts]
        for i, d in enumerate(f.dependents):
            rows.append((fill(self.tr("扶養親族 %1"), i + 1),
                         f"{d.name}（{d.name_kana}）{RELATIONSHIPS.get(d.relationship, '')}"
                         f"　{d.birth_date}　{self.tr('個人番号')} {d.my_number}"
                         f"　{self.tr('所得見積')} {yen(d.income_estimate)}"))
        rows += [(self.tr("計算: 所得金額"), yen(f.total_income)),
                 (self.tr("計算: 所得控除"), yen(f.deductions)),
                 (self.tr("計算: 課税標準"), yen(f.taxable_income)),
                 (self.tr("計算: 税額（市民税＋県民税）"), yen(f.tax))]
        return rows

    def approve(self) -> None:
        self.approve_with_key(self._client.approve_tax_filing)

    def send_back(self) -> None:
        self.send_with_reason(self._client.return_tax_filing, lambda _answer: RETURNED)
