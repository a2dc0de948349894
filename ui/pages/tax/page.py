"""The 税務窓口（個人住民税）page (#8): 申告受付 and 課税・所得証明書 for the resident chosen on the search
page. This module is the page as the main window sees it — the resident, the 支援措置 banner, the
two tabs, the centre's fee table they share, busy and online — and what it says to the shell:
``show_resident``, ``set_identity``, ``identity_requested``, ``set_online``, ``set_session``,
``back_requested``, ``filed`` and ``issued``.

The tabs are ``filing.FilingTab`` (申告受付, TAX-2/3/4: the filer is identified first, by card or
documents recorded with the centre; the button opens the 本人確認 page and comes back) and
``certificate.CertificateTab`` (証明書交付, TAX-1). Both run their calls through the page's
``PageOps``: one call at a time, the busy indicator on, the failures every page shares handled once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.api_client import OperatorSession
from app.identity import IdentityResult
from app.residents import ResidentSummary
from app.tax import TaxCertificateKinds, TaxFilingReceipt
from japan.era import nendo
from ui.common.busy import BusyIndicator
from ui.common.ops import Failures, PageOps
from ui.common.widgets import banner, show_subject, title_bar
from ui.common.worker import Runner
from ui.pages.tax.certificate import CertificateClient, CertificateTab
from ui.pages.tax.dependents import DependentRow
from ui.pages.tax.filing import FilingClient, FilingTab


class TaxClient(FilingClient, CertificateClient, Protocol):
    """The calls of the 税務窓口: the two tabs' and the fee table."""

    def tax_certificate_kinds(self) -> TaxCertificateKinds: ...


def year_choices(years: tuple[int, ...]) -> list[tuple[str, int]]:
    """令和7年度（2025）… for a 年度 combo box."""
    return [(f"{nendo(y)}（{y}）", y) for y in years]


class TaxPage(QWidget):
    """税務窓口 for one resident: the 申告受付 and 証明書 tabs under the resident's name."""

    back_requested = Signal()
    identity_requested = Signal(object)  # the ResidentSummary to identify first
    filed = Signal(object)  # the centre's TaxFilingReceipt
    issued = Signal(object)  # the PDF path

    def __init__(self, client: TaxClient, runner: Runner, print_dir: Callable[[], Path] | None = None,
                 *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self.ops = PageOps(runner, self.busy, failures, say=self._say, on_busy=self._set_busy)
        self.failures = self.ops.failures  # the shell's (ui.common.ops), or the page's own
        self._runner = self.busy.wrap(runner)  # the print button's (printing shows it too)
        self.session: OperatorSession | None = None
        self._online = True

        self.back_button = QPushButton(self.tr("検索に戻る"))
        self.back_button.setObjectName("taxBack")
        self.subject_label = QLabel()
        self.subject_label.setObjectName("taxSubject")
        self.support_banner = banner(
            self.tr("⚠ 支援措置の対象者です。代理人・第三者への証明書の交付はできません（所属長の判断が必要）"),
            "taxSupportBanner")

        self.filing_tab = FilingTab(client, self.ops)
        self.cert_tab = CertificateTab(client, self.ops, self._runner, print_dir)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.filing_tab, self.tr("住民税申告の受付"))
        self.tabs.addTab(self.cert_tab, self.tr("課税・所得証明書の交付"))
        self.tabs.tabBar().setAccessibleName(self.tr("税務窓口の手続き"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(title_bar(self.tr("税務窓口（個人住民税）"), self.back_button))
        layout.addWidget(self.subject_label)
        layout.addWidget(self.support_banner)
        layout.addWidget(self.tabs, 1)
        self.back_button.clicked.connect(self.back_requested)
        self.filing_tab.identity_requested.connect(self.identity_requested)
        self.filing_tab.filed.connect(self.filed)
        self.cert_tab.issued.connect(self.issued)

        # the tabs' fields under the page's names, as the tests and scripts/screens.py know them
        f, c = self.filing_tab, self.cert_tab
        self.identity_label, self.identity_button = f.identity_label, f.identity_button
        self.filing_year_combo, self.amount_edits, self.amount_errors = (
            f.year_combo, f.amount_edits, f.amount_errors)
        self.file_button, self.filing_message = f.file_button, f.message
        self.cert_year_combo, self.cert_purpose_combo = c.year_combo, c.purpose_combo
        self.requester_combo, self.requester_name_edit = c.requester_combo, c.requester_name_edit
        self.attorney_check, self.copies_spin, self.fee_label = (
            c.attorney_check, c.copies_spin, c.fee_label)
        self.cert_button, self.cert_message, self.print_button = (
            c.issue_button, c.message, c.print_button)

    @property
    def last_filing(self) -> TaxFilingReceipt | None:
        """The centre's receipt of the last 申告 sent for this resident."""
        return self.filing_tab.last_filing

    @property
    def last_pdf(self) -> Path | None:
        """The certificate PDF last issued for this resident."""
        return self.cert_tab.last_pdf

    def add_dependent(self) -> DependentRow | None:
        return self.filing_tab.add_dependent()

    def submit_filing(self) -> None:
        self.filing_tab.submit_filing()

    def issue_certificate(self) -> None:
        self.cert_tab.issue_certificate()

    # -- the shell's interface ------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        """The operator's login; a logout leaves nothing of the resident on the page."""
        self.session = session
        if session is None:
            self.show_resident(None)

    def show_resident(self, resident: ResidentSummary | None) -> None:
        """Start with ``resident``: blank forms, no identity yet (until the page is told)."""
        self.filing_tab.start(resident)
        self.cert_tab.start(resident)
        show_subject(self.subject_label, self.support_banner, resident)
        if resident is not None:
            self.ops.run(self._client.tax_certificate_kinds, self._show_kinds)

    def set_identity(self, result: IdentityResult | None) -> None:
        """The 本人確認 recorded for this resident (by the identity page), or None."""
        self.filing_tab.set_identity(result)

    def set_online(self, online: bool) -> None:
        self._online = online
        self._set_busy(self.ops.running)

    # -- inside the page ----------------------------------------------------------------

    def _show_kinds(self, kinds: TaxCertificateKinds) -> None:
        years = year_choices(kinds.fiscal_years)
        self.cert_tab.show_kinds(kinds, years)
        self.filing_tab.show_years(years)

    def _say(self, text: str, error: bool) -> None:
        """A failure without a handler of its own (the fee table) shows on the certificate tab."""
        self.cert_tab.message.say(text, error)

    def _set_busy(self, busy: bool) -> None:
        enabled = not busy and self._online
        self.file_button.setEnabled(enabled)
        self.cert_button.setEnabled(enabled)
        self.print_button.allow(not busy)
