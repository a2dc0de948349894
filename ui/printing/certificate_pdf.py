"""Rendering a 住民票の写し (or a 課税・所得証明書, or a 記載事項証明書) with Qt in a fixed A4 layout and a
Japanese font: to PDF (QPdfWriter) or to a printer (QPrinter), by the same drawing code.

Safe to call off the GUI thread (painting on a QPdfWriter is supported in worker threads). The file
is created 0600; the caller decides where (the session's print folder, shredded at session end).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (QFont, QFontDatabase, QFontMetricsF, QPageLayout, QPagedPaintDevice, QPageSize, QPainter,
                           QPdfWriter, QPen)
from PySide6.QtPrintSupport import QPrinter

from app.certificate import CertificateLayout, KisaiLayout

FONT_FAMILIES = ("Noto Sans CJK JP", "Noto Serif CJK JP", "IPAexGothic", "IPAGothic")


def _font(size_pt: float, bold: bool = False) -> QFont:
    families = set(QFontDatabase.families())
    family = next((f for f in FONT_FAMILIES if f in families), "")
    font = QFont(family) if family else QFont()
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    return font


def _a4(margin_mm: float) -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm), QPageLayout.Unit.Millimeter)


def _pdf_writer(path: Path, title: str) -> QPdfWriter:
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.close(fd)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("Madoguchi")
    return writer


def render_pdf(doc: CertificateLayout, path: Path, copies: int = 1) -> int:
    """Write ``doc`` to ``path``; returns the number of pages."""
    return paint_certificate(doc, _pdf_writer(path, doc.title), copies)


def render_kisai_pdf(doc: KisaiLayout, path: Path, copies: int = 1) -> int:
    """A 記載事項証明書 to ``path`` (see ``paint_kisai``). Returns the number of pages."""
    return paint_kisai(doc, _pdf_writer(path, doc.title), copies)


def print_document(doc: CertificateLayout | KisaiLayout, printer: QPrinter, copies: int = 1) -> int:
    """印刷: the same fixed layout, drawn by the same code, on a printer instead of a PDF file.
    Like the PDF, it may run off the GUI thread once the printer is chosen. Returns the pages."""
    printer.setDocName(doc.title)
    printer.setCreator("Madoguchi")
    if isinstance(doc, KisaiLayout):
        return paint_kisai(doc, printer, copies)
    return paint_certificate(doc, printer, copies)


def paint_certificate(doc: CertificateLayout, writer: QPagedPaintDevice, copies: int = 1) -> int:
    """A 住民票の写し or a tax certificate, in its fixed A4 layout, on a PDF writer or a printer."""
    writer.setPageLayout(_a4(18))
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError("the printer could not be opened")
    pages = 1
    try:
        mm = writer.resolution() / 25.4
        width = writer.width()
        height = writer.height()
        y = 0.0

        def text(x: float, w: float, h: float, value: str, font: QFont,
                 flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) -> None:
            painter.setFont(font)
            painter.drawText(QRectF(x, y, w, h), int(flags), value)

        def new_page() -> None:
            nonlocal y, pages
            writer.newPage()
            pages += 1
            y = 0.0

        for copy in range(copies):
            if copy:
                new_page()
            text(0, width, 14 * mm, doc.title, _font(18, True), Qt.AlignmentFlag.AlignCenter)
            y += 16 * mm
            text(0, width, 6 * mm, f"証明書番号　{doc.certificate_no}", _font(9),
                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            y += 8 * mm
            header = doc.header or (("住所", doc.address), ("世帯主", doc.householder))
            # the label column fits its longest label (転出証明書: 転出の予定年月日)
            metrics = QFontMetricsF(_font(10, True), writer)
            label_w = max([30 * mm] + [metrics.horizontalAdvance(lb) + 4 * mm for lb, _ in header])
            for label, value in header:
                text(0, label_w, 8 * mm, label, _font(10, True))
                text(label_w, width - label_w, 8 * mm, value, _font(11))
                y += 8 * mm
            y += 3 * mm
            row_h = 6.2 * mm
            for block in doc.persons:
                block_h = row_h * len(block.rows) + 4 * mm
                if y + block_h > height - 40 * mm:
                    new_page()
                painter.setPen(QPen(Qt.GlobalColor.black, 0.3 * mm))
                painter.drawRect(QRectF(0, y, width, block_h))
                y += 2 * mm
                for label, value in block.rows:
                    text(3 * mm, 36 * mm, row_h, label, _font(9, True))
                    text(40 * mm, width - 43 * mm, row_h, value, _font(10))
                    y += row_h
                y += 5 * mm
            if y > height - 40 * mm:
                new_page()
            y = max(y + 6 * mm, height - 40 * mm)
            text(0, width, 8 * mm, doc.certification, _font(10))
            y += 10 * mm
            text(0, width, 8 * mm, doc.issued_on, _font(10))
            y += 9 * mm
            text(0, width, 8 * mm, doc.issuer, _font(12, True),
                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    finally:
        painter.end()
    return pages


def paint_kisai(doc: KisaiLayout, writer: QPagedPaintDevice, copies: int = 1) -> int:
    """A 記載事項証明書 in its own fixed layout: 提出先 and 使用目的 at the top, one ruled table of
    the certified items (label column | value column), the certification sentence framed right
    under the table, then the date and the mayor. Returns the number of pages."""
    writer.setPageLayout(_a4(20))
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError("the printer could not be opened")
    try:
        mm = writer.resolution() / 25.4
        width = writer.width()
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for copy in range(copies):
            if copy:
                writer.newPage()
            y = 0.0

            def text(x: float, w: float, h: float, value: str, font: QFont,
                     flags: Qt.AlignmentFlag | None = None) -> None:
                painter.setFont(font)
                painter.drawText(QRectF(x, y, w, h), int(flags or left), value)

            text(0, width, 6 * mm, f"証明書番号　{doc.certificate_no}", _font(9),
                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            y += 10 * mm
            text(0, width, 14 * mm, doc.title, _font(20, True), Qt.AlignmentFlag.AlignCenter)
            y += 20 * mm
            for label, value in (("提出先", doc.submit_to), ("使用目的", doc.purpose)):
                text(0, 28 * mm, 7 * mm, label, _font(10, True))
                text(28 * mm, width - 28 * mm, 7 * mm, value, _font(11))
                y += 7 * mm
            y += 6 * mm
            row_h = 10 * mm
            label_w = 40 * mm
            top = y
            painter.setPen(QPen(Qt.GlobalColor.black, 0.35 * mm))
            for label, value in doc.rows:
                painter.drawRect(QRectF(0, y, width, row_h))
                painter.drawLine(int(label_w), int(y), int(label_w), int(y + row_h))
                text(3 * mm, label_w - 6 * mm, row_h, label, _font(10, True))
                text(label_w + 4 * mm, width - label_w - 8 * mm, row_h, value, _font(11))
                y += row_h
            painter.setPen(QPen(Qt.GlobalColor.black, 0.6 * mm))
            painter.drawRect(QRectF(0, top, width, y - top))
            y += 8 * mm
            painter.setPen(QPen(Qt.GlobalColor.black, 0.35 * mm))
            painter.drawRect(QRectF(0, y, width, 14 * mm))
            text(0, width, 14 * mm, doc.certification, _font(11), Qt.AlignmentFlag.AlignCenter)
            y += 24 * mm
            text(0, width, 8 * mm, doc.issued_on, _font(10))
            y += 10 * mm
            text(0, width, 8 * mm, doc.issuer, _font(12, True),
                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    finally:
        painter.end()
    return copies
