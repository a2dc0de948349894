"""手続き案内票 (procedure guide) to PDF with Qt: where to go next and what to bring (K-WF-4.7).

Only the case's procedures and its 受付番号 are printed: no name, address or number of anyone, so
nothing of another person and never a 支援措置 person's address can reach the paper. The file is
0600 in the session's print folder (shredded at session end). Safe off the GUI thread.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from app import clock
from app.certificate import MUNICIPALITY
from app.procedures import GuideLine
from japan.era import wareki
from japan.kana import full_width_ascii
from ui.printing.certificate_pdf import _font


def render_guide(lines: list[GuideLine], queue_number: str, path: Path,
                 today: dt.date | None = None, sent: list[str] | None = None) -> int:
    """Write the guide; returns the number of pages. ``sent``: which division was sent which of
    the visit's signed forms (庁内連携, K-WF-4.5), one line each, printed after the counters."""
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.close(fd)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle("手続き案内票")
    writer.setCreator("Madoguchi")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    pages = 1
    try:
        mm = writer.resolution() / 25.4
        width, height = writer.width(), writer.height()
        y = 0.0

        def text(x: float, w: float, h: float, value: str, size: float, bold: bool = False,
                 flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) -> None:
            painter.setFont(_font(size, bold))
            painter.drawText(QRectF(x, y, w, h), int(flags | Qt.TextFlag.TextWordWrap), value)

        text(0, width, 14 * mm, "手続き案内票", 20, True, Qt.AlignmentFlag.AlignCenter)
        y += 16 * mm
        # Printed full-width, as forms print numbers: Qt's PDF text of Latin letters followed by
        # digits in the CJK font loses the digits for text extraction (screen readers, search).
        queue = full_width_ascii(queue_number)
        text(0, width, 7 * mm, f"受付番号　{queue}　　{wareki((today or clock.today()).isoformat())}",
             11)
        y += 9 * mm
        text(0, width, 12 * mm, "次の窓口で手続きをしてください。お持ちいただくものも確認してください。", 11)
        y += 14 * mm
        for i, line in enumerate(lines, 1):
            block = (8 + 6 * max(1, len(line.forms))) * mm
            if y + block > height - 20 * mm:
                writer.newPage()
                pages += 1
                y = 0.0
            text(0, width, 8 * mm, f"{i}. {line.procedure}", 12, True)
            y += 8 * mm
            text(8 * mm, width - 8 * mm, 6 * mm, f"窓口: {line.division}　{line.counter}", 10.5)
            y += 6 * mm
            for form in line.forms:
                text(8 * mm, width - 8 * mm, 6 * mm, f"・{form}", 10.5)
                y += 6 * mm
            y += 3 * mm
        if sent:
            if y + (10 + 6 * len(sent)) * mm > height - 20 * mm:
                writer.newPage()
                pages += 1
                y = 0.0
            text(0, width, 8 * mm, "各課へお送りした申請書の内容", 12, True)
            y += 8 * mm
            for line in sent:
                text(8 * mm, width - 8 * mm, 6 * mm, f"・{line}", 10.5)
                y += 6 * mm
        y = height - 12 * mm
        text(0, width, 10 * mm, f"{MUNICIPALITY}　市民課", 10, False, Qt.AlignmentFlag.AlignRight)
    finally:
        painter.end()
    return pages
