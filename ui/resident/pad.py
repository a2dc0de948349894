"""署名欄 (the signature pad): the resident's strokes as vectors with their timing, from a tablet's
pen (with its pressure), a touch screen or a mouse, drawn as they are written.

「職員が代わりに署名できない」: the pad exists only inside its ``ResidentWindow`` (its ``owner``)
and ignores every pointer event unless its own top-level window is that window — a pad moved into
another window is dead. It has no public way to add strokes; the signature leaves the resident's
screen only through ``ResidentWindow.signed``, after the resident's confirm button there. Mouse
events that Qt synthesises from a pen or a finger are ignored, so a stroke is never counted twice;
once a signature has begun with one input, the others are ignored until it is cleared (a palm on
the touch screen while the pen writes). Times are milliseconds since the first sample, from the
events' own timestamps (a monotonic clock), never the wall clock.

The rules of a usable signature are ``app.signature.check``'s. Nothing is written or logged.
"""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QInputDevice, QMouseEvent, QPainter, QPainterPath, QPaintEvent,
                           QPen, QTabletEvent, QTouchEvent)
from PySide6.QtWidgets import QWidget

from app.signature import MAX_POINTS, Point, Proxy, Signature, Stroke, check

_POINTER_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.TabletPress, QEvent.Type.TabletMove,
    QEvent.Type.TabletRelease, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd, QEvent.Type.TouchCancel,
})
INK = QColor(16, 24, 64)
PAPER = QColor(255, 255, 255)
GUIDE = QColor(170, 180, 200)


class SignaturePad(QWidget):
    """The strokes of one signature. ``changed`` after every stroke begun and after ``clear``."""

    changed = Signal()

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self.setObjectName("signaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMinimumSize(480, 200)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._strokes: list[list[Point]] = []
        self._paths: list[QPainterPath] = []
        self._input: str | None = None
        self._drawing = False  # a stroke is being written
        self._touch_id: int | None = None
        self._t0: int | None = None  # the first sample's event timestamp
        self._clock = QElapsedTimer()  # for events without a timestamp

    # -- what the resident's window asks -----------------------------------------------------------
    def clear(self) -> None:
        """消して書き直す: forget every stroke (nothing of them stays in memory)."""
        self._strokes, self._paths = [], []
        self._input, self._drawing, self._touch_id, self._t0 = None, False, None, None
        self._clock.invalidate()
        self.update()
        self.changed.emit()

    @property
    def empty(self) -> bool:
        return not self._strokes

    @property
    def stroke_count(self) -> int:
        return len(self._strokes)

    def signature(self, signed_at: str, proxy: Proxy | None = None) -> Signature:
        """The strokes as a checked ``Signature`` (``SignatureError`` when they are not usable)."""
        xs = [p.x for s in self._strokes for p in s]
        ys = [p.y for s in self._strokes for p in s]
        sig = Signature(strokes=tuple(Stroke(tuple(s)) for s in self._strokes if s),
                        input=self._input or "mouse",
                        width=float(max([self.width(), *xs])), height=float(max([self.height(), *ys])),
                        signed_at=signed_at, proxy=proxy)
        check(sig)
        return sig

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(900, 320)

    # -- the gate ----------------------------------------------------------------------------------
    def _ours(self) -> bool:
        """Input counts only on the owner's own top-level window, while the pad is shown there."""
        return self.window() is self._owner and self.isVisible()

    def event(self, event: QEvent) -> bool:
        etype = event.type()
        if etype in _POINTER_EVENTS and not self._ours():
            event.ignore()
            return True  # refused: not delivered to the handlers
        if etype in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                     QEvent.Type.TouchCancel):
            self._touch(event)  # type: ignore[arg-type]
            event.accept()
            return True
        return super().event(event)

    # -- the three inputs ----------------------------------------------------------------------------
    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt API
        event.accept()  # an accepted tablet event is not re-sent as a mouse event
        etype = event.type()
        pressure = min(1.0, max(0.0, float(event.pressure())))
        if etype == QEvent.Type.TabletPress:
            self._begin("tablet", event.position(), event.timestamp(), pressure)
        elif etype == QEvent.Type.TabletMove and self._drawing:
            self._extend("tablet", event.position(), event.timestamp(), pressure)
        elif etype == QEvent.Type.TabletRelease and self._drawing:
            self._extend("tablet", event.position(), event.timestamp(), pressure)
            self._drawing = False

    def _touch(self, event: QTouchEvent) -> None:
        device = event.device()
        has_pressure = device is not None and bool(
            device.capabilities() & QInputDevice.Capability.Pressure)
        etype = event.type()
        if etype == QEvent.Type.TouchCancel:
            if self._drawing and self._input == "touch":
                self._drop_current()
            return
        points = event.points()
        if etype == QEvent.Type.TouchBegin and points and not self._drawing:
            first = points[0]
            if self._begin("touch", first.position(), event.timestamp(),
                           min(1.0, max(0.0, first.pressure())) if has_pressure else None):
                self._touch_id = first.id()
            return
        if self._touch_id is None or self._input != "touch":
            return
        for point in points:  # one finger writes; the others are ignored
            if point.id() != self._touch_id:
                continue
            self._extend("touch", point.position(), event.timestamp(),
                         min(1.0, max(0.0, point.pressure())) if has_pressure else None)
            if etype == QEvent.Type.TouchEnd or point.state() == point.State.Released:
                self._drawing, self._touch_id = False, None

    @staticmethod
    def _from_mouse(event: QMouseEvent) -> bool:
        """A real mouse: not one Qt made from a pen or a finger (their device is not a mouse)."""
        device = event.device()
        return device is not None and device.type() == QInputDevice.DeviceType.Mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._from_mouse(event) and event.button() == Qt.MouseButton.LeftButton:
            self._begin("mouse", event.position(), event.timestamp(), None)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._from_mouse(event) and self._drawing and self._input == "mouse":
            self._extend("mouse", event.position(), event.timestamp(), None)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._from_mouse(event) and self._drawing and self._input == "mouse" \
                and event.button() == Qt.MouseButton.LeftButton:
            self._extend("mouse", event.position(), event.timestamp(), None)
            self._drawing = False
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        event.accept()  # a second press of the same stroke, not a new one

    # -- strokes -------------------------------------------------------------------------------------
    def _begin(self, source: str, pos: QPointF, timestamp: int, pressure: float | None) -> bool:
        if self._input is not None and self._input != source:
            return False  # one input per signature (a palm while the pen writes)
        if self._drawing:
            self._drawing = False  # a lost release: the previous stroke ends here
        if sum(len(s) for s in self._strokes) > MAX_POINTS:
            return False  # check() says too many; no more is kept
        self._input = source
        self._strokes.append([])
        self._paths.append(QPainterPath())
        self._drawing = True
        self._extend(source, pos, timestamp, pressure)
        self.changed.emit()
        return True

    def _extend(self, source: str, pos: QPointF, timestamp: int, pressure: float | None) -> None:
        if not self._drawing or source != self._input or not self._strokes:
            return
        stroke, path = self._strokes[-1], self._paths[-1]
        if sum(len(s) for s in self._strokes) > MAX_POINTS:
            return
        x = min(max(pos.x(), 0.0), float(self.width()))
        y = min(max(pos.y(), 0.0), float(self.height()))
        t = self._time(timestamp)
        if stroke and t < stroke[-1].t_ms:
            t = stroke[-1].t_ms
        stroke.append(Point(x, y, t, pressure))
        if len(stroke) == 1:
            path.moveTo(x, y)
            path.lineTo(x + 0.01, y + 0.01)  # a dot is visible
        else:
            path.lineTo(x, y)
        self.update()

    def _time(self, timestamp: int) -> int:
        if self._t0 is None:
            self._t0 = int(timestamp)
            self._clock.start()
            return 0
        if timestamp and self._t0:
            return max(0, int(timestamp) - self._t0)
        return max(0, int(self._clock.elapsed()))

    def _drop_current(self) -> None:
        if self._strokes:
            self._strokes.pop()
            self._paths.pop()
        if not self._strokes:
            self._input, self._t0 = None, None
        self._drawing, self._touch_id = False, None
        self.update()
        self.changed.emit()

    # -- painting --------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), PAPER)
        painter.setPen(QPen(GUIDE, 2, Qt.PenStyle.DashLine))
        base = self.height() * 0.75
        painter.drawLine(QPointF(24, base), QPointF(self.width() - 24, base))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        pen = QPen(INK, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for path in self._paths:
            painter.drawPath(path)
        painter.end()
