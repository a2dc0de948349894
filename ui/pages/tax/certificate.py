"""The 課税・所得証明書 tab of the 税務窓口 (TAX-1): kind, 年度, who asks (anyone but the person or
the household needs a 委任状, and their name is recorded), purpose and copies; the fee per copy
comes from the centre's table (``app.tax.TaxCertificateKinds``), never typed here.

Issuing is one background job: the centre's record in the 帳票管理簿, the content to print, and the
PDF (never with a My Number) in the print folder; then 印刷 prints the same copies.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from app.certificate import CertificateLayout, IssuanceAttempt
from app.commands import CommandKeys
from app.residents import ResidentSummary
from app.tax import TaxCertificateContent, TaxCertificateIssued, TaxCertificateKinds, yen
from ui.common.i18n import fill
from ui.common.ops import Failure, PageOps
from ui.common.widgets import (BAD_FIELD_STYLE, ERROR_STYLE, MessageLine, action_row, choice_combo,
                               fill_combo, line_edit)
from ui.common.worker import Runner
from ui.pages.search import purpose_label
from ui.printing.certificate_pdf import render_pdf
from ui.printing.queue import PrintButton

DRAFT = "certificate"
#: Who asks, when it is not the person or their household: a 委任状 and their name are needed.
OTHERS = ("proxy", "third_party")


class CertificateClient(Protocol):
    def issue_tax_certificate(self, request: dict[str, Any],
                              idempotency_key: str) -> TaxCertificateIssued: ...

    def tax_certificate_content(self, issuance_id: int) -> TaxCertificateContent: ...


class CertificateTab(QWidget):
    """課税・所得証明書の交付 for the page's resident; ``issued`` carries the PDF's path."""

    issued = Signal(object)  # the PDF path

    def __init__(self, client: CertificateClient, ops: PageOps, print_runner: Runner,
                 print_dir: Callable[[], Path] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.ops = ops
        self.keys = CommandKeys()
        self._print_dir = print_dir
        self.resident: ResidentSummary | None = None
        self.kinds = TaxCertificateKinds()
        self.last_pdf: Path | None = None

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("taxCertKind")
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("taxCertYear")
        self.requester_combo = choice_combo(
            ((self.tr("本人"), "self"), (self.tr("同一世帯の方"), "household"),
             (self.tr("代理人（委任状が必要）"), "proxy"),
             (self.tr("第三者（委任状が必要）"), "third_party")), "taxRequester")
        self.attorney_check = QCheckBox(self.tr("委任状を確認した"))
        self.attorney_check.setObjectName("taxPowerOfAttorney")
        self.requester_name_edit = line_edit(
            "taxRequesterName", max_length=100,
            placeholder=self.tr("代理人・第三者の氏名（帳票管理簿に記録）"))
        self.purpose_combo = choice_combo(
            [(self.tr("（選択してください）"), ""),
             *((purpose_label(code), code) for code in ("certificate", "tax", "other"))],
            "taxCertPurpose")
        self.purpose_note = line_edit(max_length=200)
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(1, 10)
        self.fee_label = QLabel()
        self.fee_label.setObjectName("taxFee")
        self.fee_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        form = QFormLayout()
        for label, widget in ((self.tr("証明書の種類"), self.kind_combo),
                              (self.tr("年度"), self.year_combo),
                              (self.tr("請求者"), self.requester_combo), ("", self.attorney_check),
                              (self.tr("請求者の氏名"), self.requester_name_edit),
                              (self.tr("利用目的"), self.purpose_combo),
                              (self.tr("目的の補足"), self.purpose_note),
                              (self.tr("部数"), self.copies_spin), (self.tr("手数料"), self.fee_label)):
            form.addRow(label, widget)
        box = QGroupBox(self.tr("請求の内容（証明書に個人番号は記載されません）"))
        box.setLayout(form)
        self.issue_button = QPushButton(self.tr("交付する（PDFを作成）"))
        self.issue_button.setObjectName("taxIssueButton")
        self.message = MessageLine("taxCertMessage")
        self.print_button = PrintButton(print_runner, self.message.say)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addLayout(action_row(self.issue_button, self.print_button))
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.issue_button.clicked.connect(self.issue_certificate)
        self.requester_combo.currentIndexChanged.connect(self._update_requester)
        for combo in (self.kind_combo, self.year_combo, self.requester_combo, self.purpose_combo):
            combo.currentIndexChanged.connect(self._edited)
        self.attorney_check.toggled.connect(self._edited)
        self.attorney_check.toggled.connect(lambda _on: self.attorney_check.setStyleSheet(""))
        self.requester_name_edit.textEdited.connect(lambda _t: self.requester_name_edit.setStyleSheet(""))
        for edit in (self.requester_name_edit, self.purpose_note):
            edit.textEdited.connect(self._edited)
        self.copies_spin.valueChanged.connect(self._edited)
        self.kind_combo.currentIndexChanged.connect(self._show_fee)
        self.copies_spin.valueChanged.connect(self._show_fee)
        self._update_requester()

    # -- the request ----------------------------------------------------------------

    def start(self, resident: ResidentSummary | None) -> None:
        """A blank request for ``resident``."""
        self.resident = resident
        self.keys.clear()
        self.last_pdf = None
        self.print_button.set_document(None)
        self.requester_combo.setCurrentIndex(0)
        self.purpose_combo.setCurrentIndex(0)
        self.requester_name_edit.clear()
        self.purpose_note.clear()
        self.copies_spin.setValue(1)
        self.attorney_check.setStyleSheet("")
        self.requester_name_edit.setStyleSheet("")
        self.message.say("")

    def show_kinds(self, kinds: TaxCertificateKinds, years: list[tuple[str, int]]) -> None:
        """The centre's kinds and fees, and the 年度 on offer (last year's is the usual request)."""
        self.kinds = kinds
        fill_combo(self.kind_combo, [(k.label_ja, k.code) for k in kinds.kinds], keep=True)
        fill_combo(self.year_combo, years)
        if len(years) > 1:
            self.year_combo.setCurrentIndex(1)
        self._show_fee()

    def _edited(self, *_args: object) -> None:
        """The request changed: the next press is a new 交付."""
        self.keys.forget(DRAFT)

    def _update_requester(self) -> None:
        other = self.requester_combo.currentData() in OTHERS
        self.attorney_check.setEnabled(other)
        self.requester_name_edit.setEnabled(other)
        if not other:
            self.attorney_check.setChecked(False)

    def _show_fee(self) -> None:
        kind = self.kinds.kind(self.kind_combo.currentData())
        if kind is None:
            self.fee_label.setText(self.tr("（手数料表を読み込み中）"))
            return
        per, copies = kind.fee_yen_per_copy, self.copies_spin.value()
        self.fee_label.setText(fill(self.tr("%1 × %2通 = %3"), yen(per), copies, yen(per * copies)))

    def certificate_request(self) -> dict[str, Any]:
        assert self.resident is not None
        other = self.requester_combo.currentData() in OTHERS
        return {"resident_id": self.resident.id, "kind": self.kind_combo.currentData(),
                "fiscal_year": self.year_combo.currentData(),
                "requester_relation": self.requester_combo.currentData(),
                "requester_name": (self.requester_name_edit.text().strip() or None) if other else None,
                "power_of_attorney_seen": self.attorney_check.isChecked() if other else False,
                "purpose": self.purpose_combo.currentData() or "",
                "purpose_note": self.purpose_note.text().strip() or None,
                "copies": self.copies_spin.value()}

    # -- issuing ----------------------------------------------------------------------

    def issue_certificate(self) -> None:
        if self.ops.running or self.resident is None:
            return
        if not self.kind_combo.currentData() or self.year_combo.currentData() is None:
            self.message.say(self.tr("証明書の種類と年度を選んでください"), True)
            return
        if not self.purpose_combo.currentData():
            self.message.say(self.tr("利用目的を選んでください"), True)
            self.purpose_combo.setFocus()
            return
        request = self.certificate_request()
        key, client = self.keys.key(DRAFT), self._client
        folder = self._print_dir() if self._print_dir else Path.cwd()

        attempt = IssuanceAttempt()

        def work() -> tuple[TaxCertificateIssued, Path, CertificateLayout, int]:
            answer = client.issue_tax_certificate(request, key)
            attempt.recorded(answer.certificate_no)
            content = client.tax_certificate_content(answer.issuance_id)  # served once (#21 c8)
            path = folder / f"tax-{answer.certificate_no}.pdf"
            render_pdf(content.layout, path, copies=content.copies)
            return answer, path, content.layout, content.copies

        self.message.say(self.tr("交付しています…"))
        self.ops.run(work, self._issued, lambda failure: self._failed(failure, attempt))

    def _issued(self, result: tuple[TaxCertificateIssued, Path, CertificateLayout, int]) -> None:
        answer, path, doc, copies = result
        self.print_button.set_document(doc, copies)
        self.keys.forget(DRAFT)
        self.last_pdf = path
        self.message.say(fill(
            self.tr("証明書番号 %1 を交付しました。手数料 %2 を受領してください。帳票管理簿に記録済みです。PDF: %3"),
            answer.certificate_no, yen(answer.fee_yen), str(path)))
        self.issued.emit(path)

    def _failed(self, failure: Failure, attempt: IssuanceAttempt | None = None) -> None:
        if attempt is not None and attempt.needs_new_issuance:
            # recorded, but not printable here: the next press is a new issuance (#21 class 8)
            self.keys.forget(DRAFT)
            self.message.say(fill(self.tr(
                "証明書番号 %1 は交付として記録されましたが、印刷用の内容を保存できませんでした。"
                "もう一度交付してください（新しい交付として記録されます）"),
                attempt.certificate_no or ""), True)
            return
        self.keys.failed(DRAFT, failure.exc)
        if isinstance(failure.exc, OSError):
            self.message.say(self.tr("PDFを保存できませんでした"), True)
            return
        self.message.say(failure.message, True)
        field = failure.problem.field if failure.problem is not None else None
        if field == "power_of_attorney_seen":
            self.attorney_check.setStyleSheet(ERROR_STYLE)
        elif field == "requester_name":
            self.requester_name_edit.setStyleSheet(BAD_FIELD_STYLE)
