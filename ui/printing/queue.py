"""印刷: the certificate just issued, on the printer the clerk chooses.

``PrintButton`` holds the issued layout (the same data as the PDF in the session's print folder,
gone with the page's next request or the session) and, when pressed, asks for a printer and draws
that layout again in the background (``certificate_pdf.print_document``). Nothing is re-read from
the centre: the issuance already is recorded, in the 帳票管理簿. It prints once (#21 class 8):
once the layout went to a printer, printed or failed, the button lets it go, and printing again
is a new issuance, recorded as well (cancelling the print dialog keeps it).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QPushButton, QWidget

from ui.printing.certificate_pdf import print_document
from ui.common.i18n import fill
from ui.common.worker import Runner

log = logging.getLogger(__name__)


def choose_printer_dialog(parent: QWidget) -> QPrinter | None:
    """The system's print dialog (printer, copies); None when the clerk cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None


class PrintButton(QPushButton):
    """印刷(&P), live once a certificate is issued. ``say(text, error)`` shows the outcome on the
    page; ``choose_printer`` is the print dialog (a seam for tests)."""

    def __init__(self, runner: Runner, say: Callable[[str, bool], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("印刷(&P)"))
        self.setObjectName("printButton")
        self._runner, self._say = runner, say
        self.choose_printer: Callable[[QWidget], QPrinter | None] = choose_printer_dialog
        self._document: tuple[Any, int] | None = None
        self._printing = False
        self._allowed = True
        self.clicked.connect(self.print_now)
        self._update()

    def set_document(self, doc: Any | None, copies: int = 1) -> None:
        """The layout just issued (None: nothing to print)."""
        self._document = (doc, copies) if doc is not None else None
        self._update()

    def allow(self, allowed: bool) -> None:
        """Off while the page waits for something else."""
        self._allowed = allowed
        self._update()

    def print_now(self) -> None:
        if self._document is None or self._printing or not self._allowed:
            return
        printer = self.choose_printer(self.window())
        if printer is None:
            return  # the clerk cancelled the print dialog
        doc, copies = self._document
        self._printing = True
        self._update()
        self._say(self.tr("印刷しています…"), False)
        self._runner(lambda: print_document(doc, printer, copies), self._printed, self._failed)

    def _printed(self, pages: int) -> None:
        self._printing, self._document = False, None  # once: a reprint is a new issuance
        self._update()
        self._say(fill(self.tr("印刷しました（%1 ページ）"), str(pages)), False)

    def _failed(self, exc: Exception) -> None:
        self._printing, self._document = False, None  # once: a reprint is a new issuance
        self._update()
        log.error("printing failed: %s", type(exc).__name__)
        self._say(self.tr("印刷できませんでした。プリンターの状態を確認して、"
                          "もう一度交付してください（新しい交付として記録されます）"), True)

    def _update(self) -> None:
        self.setEnabled(self._document is not None and not self._printing and self._allowed)
