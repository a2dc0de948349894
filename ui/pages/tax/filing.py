"""The 申告受付 tab of the 税務窓口 (TAX-2/3/4): who filed (the 本人確認 recorded for them), income
and deductions as on the 申告書, the 扶養親族 (``dependents``), and sending it for 二重チェック.

Everything is checked here by ``app.tax.check_filing`` and again by the centre; every message stands
beside its field and nothing typed is lost. The entry goes as a command whose Idempotency-Key stays
while the entry does (a retry, or pressing again, replays the same 申告) and is forgotten by any edit.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from app.commands import CommandKeys
from app.identity import IdentityResult
from app.residents import ResidentSummary
from app.tax import AMOUNT_FIELDS, MAX_DEPENDENTS, FilingForm, TaxFilingReceipt, check_filing, yen
from ui.common.i18n import fill
from ui.common.ops import Failure, PageOps
from ui.common.widgets import (BAD_FIELD_STYLE, ERROR_STYLE, OK_STYLE, WARNING_STYLE, MessageLine,
                               field_error, fill_combo, line_edit)
from ui.pages.tax.dependents import DependentRow

DRAFT = "filing"


class FilingClient(Protocol):
    def submit_tax_filing(self, request: dict[str, Any], idempotency_key: str) -> TaxFilingReceipt: ...


class FilingTab(QWidget):
    """住民税申告の受付 for the page's resident; ``filed`` carries the centre's receipt."""

    identity_requested = Signal(object)  # the ResidentSummary to identify first
    filed = Signal(object)  # TaxFilingReceipt

    def __init__(self, client: FilingClient, ops: PageOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.ops = ops
        self.keys = CommandKeys()
        self.resident: ResidentSummary | None = None
        self.identity: IdentityResult | None = None
        self.last_filing: TaxFilingReceipt | None = None

        self.identity_label = QLabel()
        self.identity_label.setObjectName("taxIdentity")
        self.identity_label.setWordWrap(True)
        self.identity_button = QPushButton(self.tr("本人確認を行う"))
        self.identity_button.setObjectName("taxIdentityButton")
        id_row = QHBoxLayout()
        id_row.addWidget(self.identity_label, 1)
        id_row.addWidget(self.identity_button)
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("filingYear")
        labels = {
            "employment_revenue": self.tr("給与収入"), "pension_revenue": self.tr("公的年金等の収入"),
            "other_income": self.tr("その他の所得（事業・不動産等）"),
            "social_insurance": self.tr("社会保険料控除"),
            "life_insurance": self.tr("生命保険料控除（上限7万円）"),
            "medical": self.tr("医療費控除（上限200万円）"),
        }
        form = QFormLayout()
        form.addRow(self.tr("年度"), self.year_combo)
        self.amount_edits: dict[str, QLineEdit] = {}
        self.amount_errors: dict[str, QLabel] = {}
        for name in AMOUNT_FIELDS:
            edit = line_edit(f"amount_{name}", max_length=15, placeholder=self.tr("円"))
            error = field_error()
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(error, 2)
            form.addRow(labels[name], row)
            edit.setAccessibleName(labels[name])  # the label is not its buddy (error beside it)
            self.amount_edits[name], self.amount_errors[name] = edit, error
            edit.textEdited.connect(self._edited)
        amounts = QGroupBox(self.tr("収入・所得控除（申告書のとおり）"))
        amounts.setLayout(form)

        self.dependent_rows: list[DependentRow] = []
        self.dependents_box = QVBoxLayout()
        self.add_dependent_button = QPushButton(self.tr("扶養親族を追加"))
        self.add_dependent_button.setObjectName("addDependent")
        self.dependents_message = QLabel(self.tr("扶養親族はいません"))
        deps = QGroupBox(self.tr("控除対象配偶者・扶養親族（個人番号は検査用数字を確認します）"))
        deps_layout = QVBoxLayout(deps)
        deps_layout.addWidget(self.dependents_message)
        deps_layout.addLayout(self.dependents_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_dependent_button)
        add_row.addStretch(1)
        deps_layout.addLayout(add_row)

        self.file_button = QPushButton(self.tr("申告を登録して二重チェックへ回す"))
        self.file_button.setObjectName("fileButton")
        self.message = MessageLine("filingMessage")

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(id_row)
        inner_layout.addWidget(amounts)
        inner_layout.addWidget(deps)
        inner_layout.addWidget(self.file_button)
        inner_layout.addWidget(self.message)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: Tab goes to the fields
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.identity_button.clicked.connect(self._ask_identity)
        self.add_dependent_button.clicked.connect(self.add_dependent)
        self.file_button.clicked.connect(self.submit_filing)
        self.year_combo.currentIndexChanged.connect(self._edited)

    # -- the entry ------------------------------------------------------------------

    def start(self, resident: ResidentSummary | None) -> None:
        """A blank 申告 for ``resident``; no identity until ``set_identity``."""
        self.resident = resident
        self.keys.clear()
        self.last_filing = None
        for edit in self.amount_edits.values():
            edit.clear()
        for row in list(self.dependent_rows):
            self._remove_dependent(row)
        self.show_errors({})
        self.message.say("")
        self.set_identity(None)

    def show_years(self, choices: list[tuple[str, int]]) -> None:
        """The 年度 a 申告 may be for (the centre's, newest first); the newest is chosen."""
        fill_combo(self.year_combo, choices)

    def add_dependent(self) -> DependentRow | None:
        if len(self.dependent_rows) >= MAX_DEPENDENTS:
            self.message.say(fill(self.tr("扶養親族は%1人まで入力できます"), MAX_DEPENDENTS), True)
            return None
        row = DependentRow(len(self.dependent_rows) + 1)
        row.remove_requested.connect(self._remove_dependent)
        row.edited.connect(self._edited)
        self.dependent_rows.append(row)
        self.dependents_box.addWidget(row)
        self.dependents_message.hide()
        self._edited()
        return row

    def _remove_dependent(self, row: DependentRow) -> None:
        self.dependent_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        for i, r in enumerate(self.dependent_rows):
            r.set_number(i + 1)
        self.dependents_message.setVisible(not self.dependent_rows)
        self._edited()

    def _edited(self, *_args: object) -> None:
        """The entry changed: the next press sends a new 申告."""
        self.keys.forget(DRAFT)

    def _ask_identity(self) -> None:
        if self.resident is not None:
            self.identity_requested.emit(self.resident)

    def set_identity(self, result: IdentityResult | None) -> None:
        """The 本人確認 recorded for this resident (by the identity page), or None."""
        if result is not None and (self.resident is None or result.resident_id != self.resident.id):
            return
        self.identity = result if result is not None and result.matched else None
        if self.identity is None:
            self.identity_label.setText(self.tr("本人確認: 未実施 — 申告を受け付ける前に、マイナンバーカードまたは本人確認書類で確認してください"))
            self.identity_label.setStyleSheet(WARNING_STYLE)
        else:
            how = {"card": self.tr("マイナンバーカード"), "card_code_b": self.tr("マイナンバーカード（券面）"),
                   "documents": self.tr("本人確認書類")}.get(self.identity.method, self.identity.method)
            self.identity_label.setText(fill(self.tr("本人確認: 済（%1）"), how))
            self.identity_label.setStyleSheet(OK_STYLE + " font-weight: bold;")

    def filing_form(self) -> FilingForm:
        assert self.resident is not None
        return FilingForm(self.resident.id, int(self.year_combo.currentData() or 0),
                          self.identity.method if self.identity else None,
                          {name: edit.text() for name, edit in self.amount_edits.items()},
                          [row.form() for row in self.dependent_rows])

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, edit in self.amount_edits.items():
            edit.setStyleSheet(BAD_FIELD_STYLE if name in errors else "")
            self.amount_errors[name].setText(errors.get(name, ""))
            self.amount_errors[name].setVisible(name in errors)
        for i, row in enumerate(self.dependent_rows):
            prefix = f"dependents.{i}."
            row.show_errors({k[len(prefix):]: v for k, v in errors.items() if k.startswith(prefix)})
        if "identity" in errors:
            self.identity_label.setText(errors["identity"])
            self.identity_label.setStyleSheet(ERROR_STYLE)

    # -- sending ----------------------------------------------------------------------

    def submit_filing(self) -> None:
        if self.ops.running or self.resident is None:
            return
        request, errors = check_filing(self.filing_form())
        self.show_errors(errors)
        if request is None:
            self.message.say(fill(self.tr("入力に誤りがあります（%1件）。赤枠の項目を確認してください"),
                                  len(errors)), True)
            return
        key, client = self.keys.key(DRAFT), self._client
        self.ops.run(lambda: client.submit_tax_filing(request, key), self._filed, self._failed)

    def _filed(self, receipt: TaxFilingReceipt) -> None:
        # the key is kept: pressing again without a change replays this 申告, never a second one
        self.last_filing = receipt
        c = receipt.computed
        self.message.say(fill(
            self.tr("申告第%1号を登録しました。別の職員の二重チェック後に課税台帳へ反映されます。"
                    "（所得 %2・所得控除 %3・課税標準 %4・税額 %5）"),
            receipt.filing_id, yen(c.total_income), yen(c.deductions), yen(c.taxable_income),
            yen(c.tax)))
        self.filed.emit(receipt)

    def _failed(self, failure: Failure) -> None:
        self.keys.failed(DRAFT, failure.exc)
        problem = failure.problem
        if problem is not None and problem.field:
            field = "identity" if problem.field == "identity_method" else problem.field
            self.show_errors({field: failure.message})
        self.message.say(failure.message, True)
