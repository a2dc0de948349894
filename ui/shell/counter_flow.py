"""The counter's routes between pages (窓口の流れ): 住民検索 → 本人確認 → 受付・届出 / 税 / 交付, and
back. It holds the session's ``app.visit.Visit`` (made anew at every login and dropped at its
end) and tells each page where to start; what each step means — which person, which card reading,
what the 届出 takes from it — lives in the visit, which the pages read and change themselves.
This module only navigates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from app.identity import IdentityResult
from app.residents import ResidentSummary
from app.visit import RETURN_CASE, RETURN_SEARCH, RETURN_TAX, Visit


class CounterFlow:
    """Routes of the counter pages; ``go(page)`` is the window's navigation (it refuses while
    locked or logged out)."""

    def __init__(self, pages: Any, go: Callable[[QWidget], None]) -> None:
        self.pages = pages  # the window: search_page, identity_page, case_page, tax_page, …
        self._go = go
        self.visit = Visit()

    def connect(self) -> None:
        """The counter pages' requests reach their routes here (the pages exist by now)."""
        p = self.pages
        p.search_page.issue_requested.connect(self.open_issuance)
        p.search_page.identity_requested.connect(self.open_identity)
        p.search_page.entry_requested.connect(self.open_case)
        p.search_page.reception_requested.connect(self.open_reception)
        p.search_page.tax_requested.connect(self.open_tax)
        p.case_page.identity_requested.connect(self.identify_for_case)
        p.tax_page.identity_requested.connect(self.identify_for_tax)
        p.identity_page.recorded.connect(self.identity_recorded)
        p.identity_page.back_requested.connect(self.leave_identity)

    def begin(self) -> None:
        """A session begins (or ends): a new, empty visit."""
        self.visit = Visit()

    def current_visit(self) -> Visit:
        return self.visit

    # -- from the search page ---------------------------------------------------------------

    def open_issuance(self, resident: ResidentSummary) -> None:
        """交付: a new 住民票の写し request for the resident chosen on the search page."""
        self.pages.issuance_page.show_resident(resident)
        self._go(self.pages.issuance_page)

    def open_case(self, resident: ResidentSummary | None) -> None:
        """受付・届出の入力 about the resident chosen on the search page (書かない窓口)."""
        self.pages.case_page.set_resident(resident)
        self._go(self.pages.case_page)

    def open_reception(self) -> None:
        """A new 受付 with nobody chosen on the search page (転入・出生: no record here yet)."""
        if self.visit.case is None:
            self.pages.case_page.set_resident(None)
        self._go(self.pages.case_page)

    def open_identity(self, resident: ResidentSummary) -> None:
        """本人確認 for the resident chosen on the search page."""
        self._identify(resident, RETURN_SEARCH)

    def open_tax(self, resident: ResidentSummary) -> None:
        """税務窓口: 申告受付 and 課税・所得証明書 for the resident chosen on the search page."""
        tax = self.pages.tax_page
        tax.show_resident(resident)
        tax.set_identity(self.visit.identity_of(resident.id))
        self._go(tax)

    # -- 本人確認 and back ----------------------------------------------------------------------

    def identify_for_case(self, resident: ResidentSummary | None) -> None:
        """本人確認 from the case; a 転入 (nobody chosen) reads the card without a record, and the
        card then fills the 転入届 (書かない窓口, WF-2/WF-3)."""
        if self.visit.case is not None:
            self._identify(resident, RETURN_CASE)

    def identify_for_tax(self, resident: ResidentSummary) -> None:
        """本人確認 of the filer, then back to the 申告 (same workflow, TAX-2/3)."""
        self._identify(resident, RETURN_TAX)

    def _identify(self, resident: ResidentSummary | None, return_to: str) -> None:
        self.pages.identity_page.check(resident, return_to)
        self._go(self.pages.identity_page)

    def identity_recorded(self, result: IdentityResult) -> None:
        """The 本人確認 page recorded a check: back to the page that asked, once it matched."""
        back = self.visit.return_to
        if back == RETURN_TAX:
            self.pages.tax_page.set_identity(result)
        if not result.matched or back not in (RETURN_CASE, RETURN_TAX):
            return
        self.visit.end_identity()
        if back == RETURN_CASE:
            self.pages.case_page.identity_recorded(result.method)
            self.pages.identity_page.clear()  # the card's data leaves this page (000 L4643)
            self._go(self.pages.case_page)
        else:
            self._go(self.pages.tax_page)

    def leave_identity(self) -> None:
        back = self.visit.end_identity()
        self.pages.identity_page.clear()
        self._go({RETURN_CASE: self.pages.case_page, RETURN_TAX: self.pages.tax_page}
                 .get(back or "", self.pages.search_page))
