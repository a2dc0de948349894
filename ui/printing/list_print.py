"""印刷: the 異動リスト (``app.idou_list.ListPrintLayout``) drawn on the printer the reviewer
chooses, A4 landscape, a ruled table whose header repeats on every page. Like the certificates
(``certificate_pdf``), it may run off the GUI thread once the printer is chosen, and nothing is
written to disk on the way: the layout goes from memory to the printer. Text with Latin letters
is drawn full-width, as forms print it (and as ``guide_pdf`` does: Qt's PDF text of Latin letters
followed by digits in the CJK font loses the digits for text extraction)."""
from __future__ import annotations

import re

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QPageLayout, QPagedPaintDevice, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter

from app.idou_list import ListPrintLayout
from japan.kana import full_width_ascii
from ui.printing.certificate_pdf import _font


def _printed(text: str) -> str:
    """Full-width where Latin letters stand (a login ID, then digits); dates stay as they are."""
    return full_width_ascii(text) if re.search(r"[A-Za-z]", text) else text


def print_list(doc: ListPrintLayout, printer: QPrinter) -> int:
    """The list on ``printer``; returns the number of pages."""
    printer.setDocName(doc.title)
    printer.setCreator("Madoguchi")
    return paint_list(doc, printer)


def paint_list(doc: ListPrintLayout, device: QPagedPaintDevice) -> int:
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape,
                                     QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter))
    painter = QPainter(device)
    if not painter.isActive():
        raise OSError("the printer could not be opened")
    pages = 1
    try:
        mm = device.resolution() / 25.4
        width, height = device.width(), device.height()
        total = sum(share for _title, share in doc.columns)
        widths = [width * share / total for _title, share in doc.columns]
        row_h, y = 8.5 * mm, 0.0  # two lines of 7.5 pt
        wrap = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
        painter.setPen(QPen(Qt.GlobalColor.black, 0.2 * mm))

        def cells(values: tuple[str, ...], size: float, bold: bool = False) -> None:
            nonlocal y
            painter.setFont(_font(size, bold))
            x = 0.0
            for value, w in zip(values, widths):
                painter.drawRect(QRectF(x, y, w, row_h))
                painter.drawText(QRectF(x + 1 * mm, y, w - 2 * mm, row_h), wrap, _printed(value))
                x += w
            y += row_h

        def head() -> None:
            nonlocal y
            painter.setFont(_font(13, True))
            painter.drawText(QRectF(0, y, width, 8 * mm), wrap, _printed(doc.heading))
            y += 8 * mm
            painter.setFont(_font(8))
            painter.drawText(QRectF(0, y, width, 6 * mm), wrap, _printed(doc.summary))
            y += 7 * mm
            cells(tuple(title for title, _share in doc.columns), 8, True)

        head()
        for row in doc.rows:
            if y + row_h > height - 8 * mm:
                device.newPage()
                pages += 1
                y = 0.0
                head()
            cells(row, 7.5)
        painter.setFont(_font(8))
        painter.drawText(QRectF(0, y + 2 * mm, width, 6 * mm), wrap, doc.note)
    finally:
        painter.end()
    return pages
