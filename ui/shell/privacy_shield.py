"""Privacy shield (覗き込み対策の画面遮蔽, PRIV-1).

``PrivacyShield`` covers every top-level window of the application with an opaque child overlay
(raised above all siblings, filling the window, painting every pixel) that hides all personal data
completely — it does not blur — and tells the clerk why. While it is up, an application-wide event
filter swallows keyboard, shortcut, mouse, wheel, touch and context-menu input, so the clerk cannot
dismiss it or operate the covered window; windows shown later are covered as they appear, and
overlays are kept on top when children are added or raised. Only the policy lifts it: ``apply`` with a
``CLEAR`` decision.

``OnlookerController`` connects a camera worker (any thread) to ``app.onlooker.OnlookerPolicy`` on the
GUI thread and applies the policy's decisions to a ``PrivacyShield``. It imports no driver: it accepts
any result object with ``faces`` / ``health.fault`` / ``width`` (or a "no frame" object with ``reason``),
which is what ``drivers.camera.CaptureWorker`` delivers; the composition root wires the two::

    shield = PrivacyShield(app)
    controller = OnlookerController(shield)                 # fail closed until frames arrive
    worker = CaptureWorker(DeviceSource(0), GatedSsdDetector(), controller.submit, pace=10.0)
    shield.lock_requested.connect(main_window.lock_session)  # LOCK: operator absent for t seconds
    app.aboutToQuit.connect(worker.stop)
    controller.start(); worker.start()
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.onlooker import Action, Decision, Observation, OnlookerPolicy, Reason

SHIELD_COLOUR = QColor(24, 32, 44)
TEXT_COLOUR = QColor(245, 245, 245)

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.ContextMenu, QEvent.Type.InputMethod,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TabletPress,
    QEvent.Type.TabletRelease, QEvent.Type.TabletMove, QEvent.Type.DragEnter, QEvent.Type.DragMove,
    QEvent.Type.Drop, QEvent.Type.NativeGesture, QEvent.Type.Gesture,
})

_POPUP_TYPES = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


class ShieldOverlay(QWidget):
    """The opaque cover of one window (a child widget filling the whole window)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("privacyShieldOverlay")
        # Opaque: paintEvent fills every pixel, so Qt clips everything beneath it out of painting
        # (the covered widgets' visibleRegion() becomes empty). Not a blur, not translucent.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, SHIELD_COLOUR)
        palette.setColor(QPalette.ColorRole.WindowText, TEXT_COLOUR)
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = QLabel(self)
        self.title.setObjectName("privacyShieldTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSize(max(14, font.pointSize() * 2))
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel(self)
        self.detail.setObjectName("privacyShieldDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setGeometry(window.rect())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), SHIELD_COLOUR)
        painter.end()

    def set_message(self, title: str, detail: str) -> None:
        self.title.setText(title)
        self.detail.setText(detail)


class PrivacyShield(QObject):
    """Covers all top-level windows while the onlooker policy says SHIELD or LOCK.

    Signals: ``shield_changed(bool)`` when it goes up/down; ``lock_requested()`` on a LOCK decision
    (the composition root ends or locks the operator session).
    """

    shield_changed = Signal(bool)
    lock_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._decision: Decision = Decision.clear()
        self._overlays: dict[int, tuple[QWidget, ShieldOverlay]] = {}
        self._filtering = False
        self._previous_focus: QWidget | None = None

    def rehearse(self, size: QSize | None = None) -> None:
        """Render one cover offscreen, on a widget of its own, once at start-up. The first shield of
        a process otherwise pays Qt's one-time costs (PySide's enum types of the style and paint
        paths, the message font) — 40–70 ms measured — at the moment it must be quick, e.g. the
        fail-closed shield at login while the camera starts. Nothing is shown or kept."""
        stand_in = QWidget()
        stand_in.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)  # never on a screen
        stand_in.resize(size or QSize(800, 600))
        overlay = ShieldOverlay(stand_in)
        overlay.set_message(*self.message(Reason.CAMERA_MISSING))
        overlay.setGeometry(stand_in.rect())
        stand_in.show()
        stand_in.grab()
        overlay.setFocus(Qt.FocusReason.OtherFocusReason)
        stand_in.hide()
        stand_in.deleteLater()

    # -- state ---------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self._decision.action is not Action.CLEAR

    @property
    def decision(self) -> Decision:
        return self._decision

    def overlays(self) -> list[ShieldOverlay]:
        return [o for w, o in self._overlays.values() if shiboken6.isValid(o) and shiboken6.isValid(w)]

    def overlay_for(self, window: QWidget) -> ShieldOverlay | None:
        pair = self._overlays.get(id(window))
        if pair is None or not shiboken6.isValid(pair[1]):
            return None
        return pair[1]

    def message(self, reason: Reason | None) -> tuple[str, str]:
        if reason is Reason.ONLOOKER:
            return (self.tr("覗き込みを検知しました"),
                    self.tr("個人情報を隠しています。周囲の方が離れると自動的に表示が戻ります。"))
        if reason is Reason.CAMERA_COVERED:
            return (self.tr("カメラが覆われています"),
                    self.tr("カメラの覆いを外してください。映像を確認できるまで画面を隠します。"))
        if reason is Reason.CAMERA_FROZEN:
            return (self.tr("カメラの映像が止まっています"),
                    self.tr("カメラの映像が更新されないため画面を隠しています。"))
        if reason is Reason.OPERATOR_ABSENT:
            return (self.tr("離席を検知しました"),
                    self.tr("画面をロックしました。もう一度ログインしてください。"))
        if reason is Reason.OPERATOR_CHANGED:
            return (self.tr("ログインした職員とは別の人を検知しました"),
                    self.tr("画面をロックしました。ログインした職員本人がパスワードを入力してください。"))
        return (self.tr("カメラを利用できません"),
                self.tr("カメラが接続されていないか応答がないため、画面を隠しています。"))

    # -- control -------------------------------------------------------------------------------
    @Slot(object)
    def apply(self, decision: Decision) -> None:
        """Follow the policy's decision (the only way to lift the shield is a CLEAR decision)."""
        previous = self._decision
        self._decision = decision
        if decision.action is Action.CLEAR:
            if previous.action is not Action.CLEAR:
                self._lower()
            return
        self._raise_all()
        if decision.action is Action.LOCK and previous.action is not Action.LOCK:
            self.lock_requested.emit()
        if previous.action is Action.CLEAR:
            self.shield_changed.emit(True)

    def _raise_all(self) -> None:
        app = QApplication.instance()
        if app is None:
            return
        if not self._filtering:
            self._previous_focus = QApplication.focusWidget()
            app.installEventFilter(self)
            self._filtering = True
        popup = QApplication.activePopupWidget()
        while popup is not None:  # menus and combo lists would float above the covers
            popup.close()
            nxt = QApplication.activePopupWidget()
            popup = None if nxt is popup else nxt
        for widget in QApplication.topLevelWidgets():
            self._cover(widget)
        title, detail = self.message(self._decision.reason)
        for overlay in self.overlays():
            overlay.set_message(title, detail)

    def _cover(self, window: QWidget) -> None:
        if not window.isWindow() or isinstance(window, ShieldOverlay):
            return
        if window.windowType() in _POPUP_TYPES:
            if window.isVisible():
                window.hide()
            return
        overlay = self.overlay_for(window)
        if overlay is None:
            overlay = ShieldOverlay(window)
            self._overlays[id(window)] = (window, overlay)
            window.destroyed.connect(lambda *_a, key=id(window): self._overlays.pop(key, None))
            title, detail = self.message(self._decision.reason)
            overlay.set_message(title, detail)
        overlay.setGeometry(window.rect())
        overlay.show()
        overlay.raise_()
        focus = QApplication.focusWidget()
        if window.isActiveWindow() or (focus is not None and focus.window() is window):
            overlay.setFocus(Qt.FocusReason.OtherFocusReason)  # take focus away from covered inputs

    def _lower(self) -> None:
        app = QApplication.instance()
        if self._filtering and app is not None:
            app.removeEventFilter(self)
        self._filtering = False
        for window, overlay in list(self._overlays.values()):
            if shiboken6.isValid(overlay):
                overlay.hide()
                overlay.deleteLater()
        self._overlays.clear()
        focus = self._previous_focus
        self._previous_focus = None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.shield_changed.emit(False)

    # -- event filter (installed on the application only while shielded) ------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        etype = event.type()
        if etype in _INPUT_EVENTS:
            if etype == QEvent.Type.ShortcutOverride:
                event.accept()  # an accepted override stops QShortcut/QAction from firing
            return True
        if not isinstance(watched, QWidget) or not shiboken6.isValid(watched):
            return False
        if etype == QEvent.Type.Show and watched.isWindow():
            self._cover(watched)
        elif etype == QEvent.Type.Resize and id(watched) in self._overlays:
            overlay = self.overlay_for(watched)
            if overlay is not None:
                overlay.setGeometry(watched.rect())
        elif etype in (QEvent.Type.ChildAdded, QEvent.Type.ChildPolished) and id(watched) in self._overlays:
            overlay = self.overlay_for(watched)
            if overlay is not None:
                overlay.raise_()
        elif etype == QEvent.Type.ZOrderChange and not isinstance(watched, ShieldOverlay):
            parent = watched.parentWidget()
            if parent is not None and id(parent) in self._overlays:
                overlay = self.overlay_for(parent)
                if overlay is not None and overlay is not watched:
                    overlay.raise_()
        return False


class OnlookerController(QObject):
    """Camera results (from any thread) → ``OnlookerPolicy`` (GUI thread) → ``PrivacyShield``.

    ``submit`` may be called from the camera worker thread; a queued signal carries the metadata to
    the GUI thread. A timer calls ``policy.tick`` so a camera that stops delivering is noticed.
    Observations are stamped with ``clock`` on arrival (one clock for frames and ticks).
    """

    decision_changed = Signal(object)
    _result_arrived = Signal(object)

    def __init__(self, shield: PrivacyShield, policy: OnlookerPolicy | None = None, *,
                 tick_ms: int = 100, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shield = shield
        self._clock = clock
        self.policy = policy or OnlookerPolicy(start=clock())
        self.frames = 0
        self._result_arrived.connect(self._on_result, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_tick)
        self._apply(self.policy.decision, force=True)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def submit(self, result: Any) -> None:
        """Thread-safe: hand over one camera result (metadata only)."""
        self._result_arrived.emit(result)

    @Slot(object)
    def _on_result(self, result: Any) -> None:
        now = self._clock()
        health = getattr(result, "health", None)
        if health is None:  # no frame: camera missing / read failure
            obs = Observation(now, (), fault=getattr(result, "reason", "missing") or "missing")
        else:
            self.frames += 1
            obs = Observation(now, tuple(result.faces), fault=health.fault,
                              frame_width=getattr(result, "width", 640),
                              frame_height=getattr(result, "height", 480),
                              verdicts=tuple(getattr(result, "verdicts", ()) or ()))
        self._apply(self.policy.observe(obs))

    @Slot()
    def _on_tick(self) -> None:
        self._apply(self.policy.tick(self._clock()))

    def _apply(self, decision: Decision, *, force: bool = False) -> None:
        if force or decision != self.shield.decision:
            self.shield.apply(decision)
            self.decision_changed.emit(decision)
