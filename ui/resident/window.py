"""お客様用画面 (the resident's window): a second top-level window, on the display that faces the
resident, showing in large type only what the clerk sends — a neutral waiting panel, one form page
to confirm, or the signature pad with the forms the one signature goes on.

Accessibility: larger/smaller text (bounded), English for the instructions (the project's
translation, ``ui.resident.language``), furigana on the Japanese instructions (``RubyLabel``).
``blank()`` drops the page image and any strokes at once and shows the waiting panel. Views only:
whether something may be shown is ``ui.resident.controller``'s, what a signature must be is
``app.signature``'s.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPaintEvent, QScreen
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStackedWidget,
                               QVBoxLayout, QWidget)

from app.signature import PROXY_REASONS, Proxy, SignatureError
from ui.common.i18n import fill
from ui.resident.language import ResidentLanguage
from ui.resident.pad import SignaturePad
from ui.resident.ruby_label import RubyLabel

#: The text sizes (points) the resident can choose; the second is the start.
FONT_LEVELS = (20, 26, 32, 40, 50)
DEFAULT_LEVEL = 1
BACKGROUND = QColor(250, 250, 247)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class PageView(QWidget):
    """One form page, scaled to fit and keeping its aspect; ``painted(page)`` after its first paint."""

    painted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("residentPageView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._image: QImage | None = None
        self._page = 0
        self._pending = False

    @property
    def image(self) -> QImage | None:
        return self._image

    def show_image(self, image: QImage, page: int) -> None:
        self._image, self._page, self._pending = image, page, True
        self.update()

    def clear(self) -> None:
        self._image, self._page, self._pending = None, 0, False
        self.update()

    def target(self) -> QRectF:
        """Where the page is drawn: the largest rectangle of the page's aspect that fits."""
        if self._image is None or self._image.isNull():
            return QRectF()
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        image = self._image
        if image is not None and not image.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(self.target(), image)
        painter.end()
        if image is not None and self._pending:
            self._pending = False
            self.painted.emit(self._page)


class ResidentWindow(QWidget):
    """The resident's window. Signals: ``painted(page)`` after a sent page was first painted,
    ``signed(Signature)`` after the resident confirmed a usable signature on this window."""

    painted = Signal(int)
    signed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, english_qm: Path | None = None,
                 now: Callable[[], str] = utc_now) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("residentWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # the clerk's window quits
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(palette.ColorRole.Window, BACKGROUND)
        palette.setColor(palette.ColorRole.WindowText, QColor(20, 20, 20))
        self.setPalette(palette)
        self.resize(1024, 768)
        self._lang = ResidentLanguage(english_qm)
        self._now = now
        self._level = DEFAULT_LEVEL
        self._showing = "blank"
        self._page = (0, 0)
        self._titles: list[str] = []
        self._proxy: Proxy | None = None
        self._error: SignatureError | None = None

        # The resident's own controls (not on the waiting panel: nothing there but the words).
        self.smaller_button = self._button("residentSmaller")
        self.larger_button = self._button("residentLarger")
        self.english_button = self._button("residentEnglish")
        self.english_button.setCheckable(True)
        self.toolbar = QWidget()
        bar = QHBoxLayout(self.toolbar)
        bar.addStretch(1)
        for b in (self.smaller_button, self.larger_button, self.english_button):
            bar.addWidget(b)
        self.smaller_button.clicked.connect(self.smaller)
        self.larger_button.clicked.connect(self.larger)
        self.english_button.toggled.connect(self.set_english)

        # 待機: the waiting panel.
        self.waiting_label = RubyLabel(centred=True)
        self.waiting_label.setObjectName("residentWaiting")
        self.waiting_panel = QWidget()
        wl = QVBoxLayout(self.waiting_panel)
        wl.addStretch(1)
        wl.addWidget(self.waiting_label)
        wl.addStretch(1)

        # 確認: one form page.
        self.page_title = QLabel()
        self.page_title.setObjectName("residentPageTitle")
        self.page_title.setWordWrap(True)
        self.page_number = QLabel()
        self.page_number.setObjectName("residentPageNumber")
        self.page_instruction = RubyLabel()
        self.page_instruction.setObjectName("residentPageInstruction")
        self.page_view = PageView()
        self.page_view.painted.connect(self.painted)
        self.page_panel = QWidget()
        pl = QVBoxLayout(self.page_panel)
        head = QHBoxLayout()
        head.addWidget(self.page_title, 1)
        head.addWidget(self.page_number)
        pl.addLayout(head)
        pl.addWidget(self.page_instruction)
        pl.addWidget(self.page_view, 1)

        # 署名: the pad, the forms it goes on, 代筆.
        self.sign_instruction = RubyLabel()
        self.sign_instruction.setObjectName("residentSignInstruction")
        self.forms_instruction = RubyLabel()
        self.forms_instruction.setObjectName("residentFormsInstruction")
        self.forms_list = QLabel()
        self.forms_list.setObjectName("residentFormsList")
        self.forms_list.setWordWrap(True)
        self.proxy_label = QLabel()
        self.proxy_label.setObjectName("residentProxy")
        self.proxy_label.setWordWrap(True)
        self.proxy_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.pad = SignaturePad(self)
        self.error_label = QLabel()
        self.error_label.setObjectName("residentSignError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.clear_button = self._button("residentClearSignature")
        self.confirm_button = self._button("residentConfirmSignature")
        self.clear_button.clicked.connect(self._clear_pad)
        self.confirm_button.clicked.connect(self._confirm)
        self.sign_panel = QWidget()
        sl = QVBoxLayout(self.sign_panel)
        sl.addWidget(self.forms_instruction)
        sl.addWidget(self.forms_list)
        sl.addWidget(self.proxy_label)
        sl.addWidget(self.sign_instruction)
        sl.addWidget(self.pad, 1)
        sl.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        sl.addLayout(buttons)

        self.stack = QStackedWidget()
        for panel in (self.waiting_panel, self.page_panel, self.sign_panel):
            self.stack.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        self._apply_font()
        self._retranslate()
        self.blank()

    def _button(self, name: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touched, not tabbed to
        button.setMinimumHeight(56)
        return button

    # -- where it is shown -----------------------------------------------------------------------------
    def place(self, app: QGuiApplication) -> QScreen | None:
        """Full screen on the second display when there is one (returned); else a normal window."""
        primary = app.primaryScreen()
        others = [s for s in app.screens() if s is not primary]
        if not others:
            self.showNormal()
            return None
        screen = others[0]
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        return screen

    # -- what the clerk sends ------------------------------------------------------------------------
    @property
    def showing(self) -> str:
        """``"blank"`` (the waiting panel), ``"page"`` or ``"signature"``."""
        return self._showing

    def show_page(self, image: QImage, title: str, page: int, pages: int) -> None:
        """One form page to confirm: its title, 「1 / 3 ページ」, the page scaled to fit."""
        self.pad.clear()
        self._titles, self._proxy, self._error = [], None, None
        self._page = (page, pages)
        self.page_title.setText(title)
        self.page_view.show_image(image, page)
        self._show("page", self.page_panel)

    def ask_signature(self, titles: list[str], proxy: Proxy | None = None) -> None:
        """The pad, the forms the one signature is placed on, and 代筆 with its reason if given."""
        self.page_view.clear()
        self.page_title.clear()
        self.pad.clear()
        self._titles, self._proxy, self._error = list(titles), proxy, None
        self._show("signature", self.sign_panel)

    def blank(self) -> None:
        """Nothing at once: the page image and every stroke are dropped, the waiting panel shown."""
        self.page_view.clear()
        self.page_title.clear()
        self.pad.clear()
        self._titles, self._proxy, self._error, self._page = [], None, None, (0, 0)
        self._show("blank", self.waiting_panel)
        if self.isVisible():
            self.repaint()

    def _show(self, showing: str, panel: QWidget) -> None:
        self._showing = showing
        self.toolbar.setVisible(showing != "blank")
        self.stack.setCurrentWidget(panel)
        self._retranslate()

    # -- the resident's confirm --------------------------------------------------------------------
    def _clear_pad(self) -> None:
        self.pad.clear()
        self._error = None
        self._retranslate()

    def _confirm(self) -> None:
        if self._showing != "signature":
            return
        try:
            signature = self.pad.signature(self._now(), self._proxy)
        except SignatureError as exc:
            self._error = exc
            self._retranslate()
            return
        self.blank()  # the strokes leave the screen and memory with the signature
        self.signed.emit(signature)

    # -- accessibility ------------------------------------------------------------------------------
    @property
    def font_level(self) -> int:
        return self._level

    @property
    def english(self) -> bool:
        return self._lang.english

    def larger(self) -> None:
        self._set_level(self._level + 1)

    def smaller(self) -> None:
        self._set_level(self._level - 1)

    def _set_level(self, level: int) -> None:
        self._level = max(0, min(len(FONT_LEVELS) - 1, level))
        self._apply_font()

    def set_english(self, on: bool) -> None:
        """English instructions for the resident (the clerk's window keeps its own language)."""
        if not self._lang.set_english(on):
            on = False
        if self.english_button.isChecked() != on:
            self.english_button.blockSignals(True)
            self.english_button.setChecked(on)
            self.english_button.blockSignals(False)
        self._retranslate()

    def reset_preferences(self) -> None:
        """The next resident starts with Japanese at the usual size."""
        self._set_level(DEFAULT_LEVEL)
        self.set_english(False)

    def _apply_font(self) -> None:
        size = FONT_LEVELS[self._level]
        for widget, scale in ((self.waiting_label, 1.5), (self.page_instruction, 1.0),
                              (self.sign_instruction, 1.0), (self.forms_instruction, 1.0),
                              (self.forms_list, 1.0), (self.proxy_label, 1.0),
                              (self.error_label, 1.0), (self.page_title, 1.1),
                              (self.page_number, 1.0), (self.clear_button, 0.9),
                              (self.confirm_button, 0.9), (self.smaller_button, 0.7),
                              (self.larger_button, 0.7), (self.english_button, 0.7)):
            font = widget.font()
            font.setPointSizeF(size * scale)
            widget.setFont(font)
        self.smaller_button.setEnabled(self._level > 0)
        self.larger_button.setEnabled(self._level < len(FONT_LEVELS) - 1)

    def _retranslate(self) -> None:
        self.setWindowTitle(self._lang.translate("ResidentWindow", "窓口 — お客様用画面"))
        self.waiting_label.setText(self._lang.translate("ResidentWindow", "しばらくお{待|ま}ちください"))
        self.smaller_button.setText(self._lang.translate("ResidentWindow", "文字を小さく"))
        self.larger_button.setText(self._lang.translate("ResidentWindow", "文字を大きく"))
        self.english_button.setText("日本語" if self._lang.english else "English")
        self.page_instruction.setText(self._lang.translate("ResidentWindow", "{内容|ないよう}をご{確認|かくにん}ください"))
        self.page_number.setText(fill(self._lang.translate("ResidentWindow", "%1 / %2 ページ"), *self._page)
                                 if self._showing == "page" else "")
        self.forms_instruction.setText(self._lang.translate(
            "ResidentWindow", "この{署名|しょめい}は{次|つぎ}の{書類|しょるい}に{使|つか}われます"))
        self.forms_list.setText("\n".join(f"・{title}" for title in self._titles))
        self.sign_instruction.setText(self._lang.translate(
            "ResidentWindow", "{下|した}の{枠|わく}の{中|なか}にお{名前|なまえ}を{書|か}いてください"))
        self.clear_button.setText(self._lang.translate("ResidentWindow", "消して書き直す"))
        self.confirm_button.setText(self._lang.translate("ResidentWindow", "署名を確定する"))
        proxy = self._proxy
        self.proxy_label.setVisible(proxy is not None)
        if proxy is not None:
            reason = PROXY_REASONS.get(proxy.reason, proxy.reason)
            if proxy.note.strip():
                reason = f"{reason}（{proxy.note.strip()}）"
            self.proxy_label.setText(fill(self._lang.translate("ResidentWindow", "代筆 — 理由: %1"), reason))
        else:
            self.proxy_label.clear()
        error = self._error
        self.error_label.setVisible(error is not None)
        if error is None:
            self.error_label.clear()
        elif self._lang.english:
            self.error_label.setText(f"{error.message_ja}\n{error}")
        else:
            self.error_label.setText(error.message_ja)
