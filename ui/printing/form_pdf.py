"""申請書の描画 (a filled form drawn with QPainter, #23 points 1 and 4, K-WF-4.3/4.4): the resident's
screen and the stored PDF/A are drawn by the same routine, so the resident signs exactly what is
stored.

``page_count`` and ``render_page`` give the pages as images for the resident's screen (the
signature box empty with 「ここに署名」 until the resident signs, then the strokes); ``form_pdf``
gives the whole form as PDF/A-1b bytes, made in memory (QPdfWriter on a QBuffer) and never
written to disk, with the signature as vector strokes and the form's digest in every page's
footer. Both go through ``_paint_page`` in one coordinate system (0.1 mm on an A4 sheet), fitted to
the device. A 代筆 is labelled as such on the form. No widgets; safe off the GUI thread once a
QGuiApplication exists. Nothing is logged.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFont, QImage, QPageLayout, QPagedPaintDevice, QPageSize,
                           QPainter, QPainterPath, QPdfWriter, QPen)

from app.forms import FilledForm
from app.signature import PROXY_REASONS, Signature
from japan.kana import full_width_ascii
from ui.printing.certificate_pdf import FONT_FAMILIES

# The sheet in 0.1 mm: A4 portrait.
PAGE_W, PAGE_H = 2100, 2970
MARGIN = 150
CONTENT_W = PAGE_W - 2 * MARGIN
TOP = 340  # below the title and the page line
BOTTOM = PAGE_H - MARGIN - 110  # above the footer
SECTION_H, ROW_H, TABLE_HEAD_H = 75, 100, 80
LABEL_W = 560
SIGNATURE_H = 330
SIGNATURE_BLOCK_H = SECTION_H + SIGNATURE_H + 70
PLACEHOLDER = "ここに署名"
INK = QColor(0, 0, 0)
HINT = QColor(150, 150, 150)
LATIN_FAMILIES = ("DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono")


def _font(px: int, bold: bool = False, latin: bool = False) -> QFont:
    """A font sized in the sheet's units (0.1 mm), so the same page at any device size."""
    from PySide6.QtGui import QFontDatabase

    families = set(QFontDatabase.families())
    wanted = LATIN_FAMILIES if latin else FONT_FAMILIES
    family = next((f for f in wanted if f in families), "")
    font = QFont(family) if family else QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    return font


@dataclass(frozen=True)
class _Block:
    """One drawn block of a page: a section title, a field row, a table head or row, the
    signature box."""

    kind: str  # section / field / head / row / signature
    height: int
    title: str = ""
    field_id: str = ""
    row: int = -1
    table: tuple[str, ...] = ()


def _pages(filled: FilledForm) -> list[list[_Block]]:
    """The form's blocks cut into pages (a table goes on under its head again)."""
    form = filled.form
    pages: list[list[_Block]] = [[]]
    y = TOP

    def put(block: _Block, keep_with: int = 0) -> None:
        nonlocal y
        if y + block.height + keep_with > BOTTOM and pages[-1]:
            pages.append([])
            y = TOP
        pages[-1].append(block)
        y += block.height

    for section in form.sections:
        if section.table:
            put(_Block("section", SECTION_H, section.title), TABLE_HEAD_H + ROW_H)
            put(_Block("head", TABLE_HEAD_H, table=section.table), ROW_H)
            for i in range(max(1, len(filled.rows))):
                if y + ROW_H > BOTTOM:
                    put(_Block("section", SECTION_H, f"{section.title}（続き）"),
                        TABLE_HEAD_H + ROW_H)
                    put(_Block("head", TABLE_HEAD_H, table=section.table), ROW_H)
                put(_Block("row", ROW_H, row=i if filled.rows else -1, table=section.table))
        else:
            put(_Block("section", SECTION_H, section.title), ROW_H)
            for fid in section.fields:
                put(_Block("field", ROW_H, field_id=fid))
    if form.needs_signature:
        put(_Block("signature", SIGNATURE_BLOCK_H, "署名"))
    return pages


def page_count(filled: FilledForm) -> int:
    return len(_pages(filled))


def _shown(text: str) -> str:
    # Printed full-width, as forms print numbers: Qt's PDF text of Latin letters followed by
    # digits in the CJK font loses the digits for text extraction (see guide_pdf).
    return full_width_ascii(text)


def _value_px(text: str, width: int) -> int:
    """The value's size: 4 mm, smaller for a long text so it fits in two lines of its box."""
    per_line = max(1, width // 40)
    if len(text) <= per_line:
        return 40
    if len(text) <= 2 * per_line:
        return 36
    return max(22, int(36 * 2 * per_line / len(text)))


def _text(painter: QPainter, rect: QRectF, text: str, px: int, *, bold: bool = False,
          color: QColor = INK, align=Qt.AlignmentFlag.AlignLeft, latin: bool = False) -> None:
    painter.setFont(_font(px, bold, latin))
    painter.setPen(color)
    painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap),
                     text)


def signature_box(filled: FilledForm) -> tuple[int, QRectF] | None:
    """The page (from 0) and the rectangle, in the sheet's units, of the signature box; None when
    the form takes no signature."""
    for n, blocks in enumerate(_pages(filled)):
        y = TOP
        for b in blocks:
            if b.kind == "signature":
                return n, QRectF(MARGIN, y + SECTION_H, CONTENT_W, SIGNATURE_H)
            y += b.height
    return None


def _proxy_label(sig: Signature) -> str:
    proxy = sig.proxy
    assert proxy is not None
    reason = PROXY_REASONS.get(proxy.reason, proxy.reason)
    if proxy.note.strip():
        reason = f"{reason}：{proxy.note.strip()}"
    return f"代筆（職員 {_shown(proxy.writer)}、理由: {_shown(reason)}）"


def _draw_signature(painter: QPainter, box: QRectF, sig: Signature) -> None:
    paths = [p for p in sig.paths() if p]
    if not paths:
        return
    xs = [x for p in paths for x, _ in p]
    ys = [y for p in paths for _, y in p]
    bw, bh = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
    inner = box.adjusted(40, 30, -40, -30)
    scale = min(inner.width() / bw, inner.height() / bh)
    ox = inner.left() + (inner.width() - bw * scale) / 2 - min(xs) * scale
    oy = inner.top() + (inner.height() - bh * scale) / 2 - min(ys) * scale
    pen = QPen(INK, 7)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for stroke in paths:
        path = QPainterPath(QPointF(ox + stroke[0][0] * scale, oy + stroke[0][1] * scale))
        if len(stroke) == 1:
            path.lineTo(QPointF(ox + stroke[0][0] * scale + 0.5, oy + stroke[0][1] * scale))
        for x, y in stroke[1:]:
            path.lineTo(QPointF(ox + x * scale, oy + y * scale))
        painter.drawPath(path)


def _paint_page(painter: QPainter, filled: FilledForm, page: int, width: float, height: float,
                signature: Signature | None, *, screen: bool) -> None:
    """Draw page ``page`` of the form on a device of ``width`` × ``height`` pixels: the one layout
    of the screen and the PDF. ``screen`` only adds the 「ここに署名」 prompt to an empty box."""
    pages = _pages(filled)
    blocks = pages[page]
    form = filled.form
    painter.save()
    scale = min(width / PAGE_W, height / PAGE_H)
    painter.translate((width - PAGE_W * scale) / 2, (height - PAGE_H * scale) / 2)
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    thin = QPen(INK, 3)
    _text(painter, QRectF(MARGIN, MARGIN, CONTENT_W, 110), form.title, 62, bold=True,
          align=Qt.AlignmentFlag.AlignHCenter)
    _text(painter, QRectF(MARGIN, MARGIN + 115, CONTENT_W, 60),
          f"提出先　{form.division}", 32)
    _text(painter, QRectF(MARGIN, MARGIN + 115, CONTENT_W, 60),
          _shown(f"{page + 1}／{len(pages)}頁"), 32, align=Qt.AlignmentFlag.AlignRight)
    y = float(TOP)
    fields = {f.id: f for f in form.fields + form.person_fields}
    for b in blocks:
        if b.kind == "section":
            _text(painter, QRectF(MARGIN, y, CONTENT_W, b.height), f"■ {b.title}", 42, bold=True)
        elif b.kind == "field":
            f = fields[b.field_id]
            value = filled.values.get(f.id, "")
            painter.setPen(thin)
            painter.setBrush(QColor(238, 238, 238))
            painter.drawRect(QRectF(MARGIN, y, LABEL_W, b.height))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(MARGIN + LABEL_W, y, CONTENT_W - LABEL_W, b.height))
            _text(painter, QRectF(MARGIN + 20, y, LABEL_W - 40, b.height), f.label,
                  32 if len(f.label) <= 16 else 26)
            vw = CONTENT_W - LABEL_W - 40
            _text(painter, QRectF(MARGIN + LABEL_W + 20, y, vw, b.height), _shown(value),
                  _value_px(value, vw))
        elif b.kind in ("head", "row"):
            total = sum(fields[c].width for c in b.table)
            x = float(MARGIN)
            for c in b.table:
                f = fields[c]
                w = CONTENT_W * f.width / total
                painter.setPen(thin)
                painter.setBrush(QColor(238, 238, 238) if b.kind == "head" else Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(x, y, w, b.height))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                if b.kind == "head":
                    _text(painter, QRectF(x + 10, y, w - 20, b.height), f.label,
                          30 if len(f.label) * 30 <= w - 20 else 24,
                          align=Qt.AlignmentFlag.AlignHCenter)
                elif b.row >= 0:
                    value = filled.rows[b.row].get(c, "")
                    _text(painter, QRectF(x + 12, y, w - 24, b.height), _shown(value),
                          _value_px(value, int(w - 24)))
                x += w
        elif b.kind == "signature":
            _text(painter, QRectF(MARGIN, y, CONTENT_W, SECTION_H),
                  "■ 署名（上記の内容に相違ありません）", 42, bold=True)
            box = QRectF(MARGIN, y + SECTION_H, CONTENT_W, SIGNATURE_H)
            painter.setPen(QPen(INK, 5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box)
            if signature is not None:
                _draw_signature(painter, box, signature)
                if signature.proxy is not None:
                    _text(painter, QRectF(MARGIN, box.bottom() + 5, CONTENT_W, 60),
                          _proxy_label(signature), 30)
            elif screen:
                _text(painter, box, PLACEHOLDER, 70, color=HINT,
                      align=Qt.AlignmentFlag.AlignHCenter)
        y += b.height
    footer = QRectF(MARGIN, PAGE_H - MARGIN - 60, CONTENT_W, 30)
    _text(painter, footer, f"照合番号（SHA-256） {filled.digest()}", 22, latin=True)
    _text(painter, QRectF(MARGIN, PAGE_H - MARGIN - 30, CONTENT_W, 30),
          _shown(f"保存年限 {form.retention_years}年　{form.division}"), 22,
          align=Qt.AlignmentFlag.AlignRight)
    painter.restore()


def render_page(filled: FilledForm, page: int, size: QSize,
                signature: Signature | None = None) -> QImage:
    """Page ``page`` (from 0) as the resident's screen shows it, at ``size`` (the sheet fitted in,
    centred on white)."""
    if not 0 <= page < page_count(filled):
        raise IndexError(page)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    try:
        _paint_page(painter, filled, page, size.width(), size.height(), signature, screen=True)
    finally:
        painter.end()
    del painter
    return image


def form_pdf(filled: FilledForm, signature: Signature | None = None) -> bytes:
    """The whole form as PDF/A-1b, in memory (never a file): the same pages as ``render_page``,
    the signature as vector strokes (an empty box when unsigned, for a signature on paper)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_A1b)
    writer.setResolution(300)
    writer.setTitle(filled.form.title)
    writer.setCreator("Madoguchi")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError("the PDF writer could not be opened")
    try:
        for page in range(page_count(filled)):
            if page:
                writer.newPage()
            _paint_page(painter, filled, page, writer.width(), writer.height(), signature,
                        screen=False)
    finally:
        painter.end()
    del painter, writer
    out = bytes(buffer.data())
    buffer.close()
    del buffer
    return out
