"""税務窓口（個人住民税）(#8): the page the main window shows (``page.TaxPage``), its 申告受付 tab
(``filing``) with one row per 扶養親族 (``dependents``), and its 課税・所得証明書 tab
(``certificate``)."""

from ui.pages.tax.page import TaxPage

__all__ = ["TaxPage"]
