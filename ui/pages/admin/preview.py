"""検出の様子: what the face detector sees, drawn as boxes on a blank frame — never the camera image
(PRIV-1). The largest face (the operator) is green, the others red, each with its confidence."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget


class DetectorPreview(QWidget):
    """What the face detector sees, as boxes on a blank frame — never the camera image (PRIV-1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detectorPreview")
        self.setMinimumSize(320, 240)
        self.faces: tuple[Any, ...] = ()
        self.frame_size = (640, 480)
        self.fault: str | None = None
        self.frames = 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(320, 240)

    def show_result(self, result: Any) -> None:
        """A camera result (``FrameResult`` or ``NoFrame``): keep the boxes, repaint."""
        health = getattr(result, "health", None)
        if health is None:
            self.faces, self.fault = (), getattr(result, "reason", "missing")
        else:
            self.faces = tuple(getattr(result, "faces", ()))
            self.fault = health.fault
            self.frame_size = (int(getattr(result, "width", 640)), int(getattr(result, "height", 480)))
        self.frames += 1
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(30, 34, 40))
        w, h = self.frame_size
        scale = min(self.width() / max(1, w), self.height() / max(1, h))
        ox, oy = (self.width() - w * scale) / 2, (self.height() - h * scale) / 2
        painter.setPen(QPen(QColor(90, 90, 90), 1))
        painter.drawRect(QRectF(ox, oy, w * scale, h * scale))
        largest = max(self.faces, key=lambda f: f.w * f.h, default=None)
        for face in self.faces:
            colour = QColor(60, 200, 90) if face is largest else QColor(230, 60, 60)
            painter.setPen(QPen(colour, 2))
            painter.drawRect(QRectF(ox + face.x * scale, oy + face.y * scale, face.w * scale, face.h * scale))
            painter.drawText(QRectF(ox + face.x * scale, oy + face.y * scale - 16, 80, 16),
                             int(Qt.AlignmentFlag.AlignLeft), f"{face.score:.2f}")
        if self.fault:
            painter.setPen(QColor(255, 200, 0))
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), self.fault)
        painter.end()
