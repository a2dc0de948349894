"""ルビ付きラベル (a label with furigana): base text painted with its reading above, for the resident's
instructions. Qt has no ruby, so this widget lays the text out and paints it itself.

The text is ``japan.ruby`` markup (``{署名|しょめい}してください``); text without braces (English) is
painted as plain text. Lines wrap between characters of Japanese and between words of Latin text;
a ruby segment is never split. The reading's font is half the base font. A view only.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from japan.ruby import RubySegment, parse_ruby, plain_text

# A unit that is never broken: a Latin word with its trailing spaces, a run of spaces, or one
# other character (Japanese breaks between any two characters).
_UNITS = re.compile(r"[\w'’\-.,!?:;()/%]+\s*|\s+|.", re.ASCII)
_RUBY_SCALE = 0.5


class RubyLabel(QWidget):
    """Paints ``markup`` with readings above their base text, wrapped to the width, centred or not."""

    def __init__(self, markup: str = "", parent: QWidget | None = None, *,
                 centred: bool = False) -> None:
        super().__init__(parent)
        self._markup = ""
        self._segments: tuple[RubySegment, ...] = ()
        self._centred = centred
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setText(markup)

    # -- text ------------------------------------------------------------------------------------
    def setText(self, markup: str) -> None:  # noqa: N802 - the QLabel name
        self._markup = markup
        self._segments = parse_ruby(markup)
        self.setAccessibleName(plain_text(markup))
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        """The markup, readings included."""
        return self._markup

    def plainText(self) -> str:  # noqa: N802 - the QTextDocument name
        return plain_text(self._markup)

    def segments(self) -> tuple[RubySegment, ...]:
        return self._segments

    # -- layout ----------------------------------------------------------------------------------
    def _ruby_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(1.0, self.font().pointSizeF() * _RUBY_SCALE))
        return font

    def _has_ruby(self) -> bool:
        return any(s.reading for s in self._segments)

    def _line_height(self) -> float:
        base = QFontMetricsF(self.font()).height()
        return base + (QFontMetricsF(self._ruby_font()).height() if self._has_ruby() else 0.0)

    def _units(self) -> list[tuple[str, str | None, float, float]]:
        """(base, reading, base width, unit width) of every unbreakable unit."""
        fm, rfm = QFontMetricsF(self.font()), QFontMetricsF(self._ruby_font())
        units = []
        for seg in self._segments:
            if seg.reading:
                bw = fm.horizontalAdvance(seg.base)
                units.append((seg.base, seg.reading, bw, max(bw, rfm.horizontalAdvance(seg.reading))))
            else:
                for piece in _UNITS.findall(seg.base):
                    bw = fm.horizontalAdvance(piece)
                    units.append((piece, None, bw, bw))
        return units

    def _lines(self, width: float) -> list[list[tuple[str, str | None, float, float]]]:
        lines: list[list[tuple[str, str | None, float, float]]] = [[]]
        x = 0.0
        for unit in self._units():
            if lines[-1] and x + unit[3] > width and not unit[0].isspace():
                lines.append([])
                x = 0.0
            if not lines[-1] and unit[0].isspace():
                continue  # no space at the start of a line
            lines[-1].append(unit)
            x += unit[3]
        return [line for line in lines if line]

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        m = self.contentsMargins()
        lines = max(1, len(self._lines(width - m.left() - m.right())))
        return int(lines * self._line_height() + 0.999) + m.top() + m.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        m = self.contentsMargins()
        width = int(sum(u[3] for u in self._units()) + 0.999) + m.left() + m.right()
        width = min(width, 900)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(int(QFontMetricsF(self.font()).height() * 2), int(self._line_height() + 0.999))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() == event.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    # -- painting --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        rect = self.contentsRect()
        fm, rfm = QFontMetricsF(self.font()), QFontMetricsF(self._ruby_font())
        ruby_h = rfm.height() if self._has_ruby() else 0.0
        line_h = ruby_h + fm.height()
        lines = self._lines(rect.width())
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        y = rect.top() + max(0.0, (rect.height() - line_h * len(lines)) / 2)
        for line in lines:
            used = sum(u[3] for u in line)
            x = rect.left() + ((rect.width() - used) / 2 if self._centred else 0.0)
            for base, reading, bw, uw in line:
                if reading:
                    painter.setFont(self._ruby_font())
                    painter.drawText(QRectF(x, y, uw, ruby_h), Qt.AlignmentFlag.AlignCenter, reading)
                painter.setFont(self.font())
                painter.drawText(QRectF(x + (uw - bw) / 2, y + ruby_h, bw, fm.height()),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, base)
                x += uw
            y += line_h
        painter.end()
