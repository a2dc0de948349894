"""The clerk's side of the resident's screen (お客様用画面の制御): the small API the clerk's window
uses to send a page or ask for the signature, and the rule of when nothing may be shown.

Fail closed: the resident's window is blanked when the privacy shield goes up (PRIV-1), when the
clerk's screen locks (AUTH-7) and when the session ends; while the shield is up or the screen is
locked, nothing is sent — a page or a signature request is dropped and ``send_refused(reason)``
says so (the clerk sends again once the shield is down or the screen unlocked). The composition
root connects the shell's signals (see ``attach``); this module edits no shell module.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication, QImage, QScreen

from app.signature import Proxy
from ui.resident.window import ResidentWindow

SHIELDED, LOCKED, NO_SESSION = "shield", "locked", "no_session"


class ResidentScreen(QObject):
    """Signals: ``signed(Signature)`` after the resident confirmed on the resident's window;
    ``painted(page)`` after a sent page was painted there; ``send_refused(reason)``
    (``"no_session"``, ``"shield"`` or ``"locked"``) when a send was dropped."""

    signed = Signal(object)
    painted = Signal(int)
    send_refused = Signal(str)

    def __init__(self, window: ResidentWindow | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window or ResidentWindow()
        self.window.signed.connect(self.signed)
        self.window.painted.connect(self.painted)
        self.shielded = False
        self.locked = False
        self.in_session = True  # standalone; ``attach`` starts it outside any session

    def place(self, app: QGuiApplication) -> QScreen | None:
        """Show the window: full screen on the second display if there is one."""
        return self.window.place(app)

    def attach(self, *, shield: Any, locked: SignalInstance, unlocked: SignalInstance,
               session_ended: SignalInstance) -> None:
        """Follow the shell: the privacy shield (``PrivacyShield``: its ``shield_changed(bool)``
        and whether it is up now — it starts fail closed; None without a camera guard), a lock,
        its unlock and ``MainWindow.session_ended``."""
        self.in_session = False  # attached to a shell: nothing until a session starts
        if shield is not None:
            shield.shield_changed.connect(self.on_shield)
            self.on_shield(shield.active)
        locked.connect(self.on_lock)
        unlocked.connect(self.on_unlock)
        session_ended.connect(self.on_session_end)

    # -- the shell's events ----------------------------------------------------------------------
    def on_shield(self, up: bool) -> None:
        self.shielded = bool(up)
        if self.shielded:
            self.window.blank()

    def on_lock(self, *_args: object) -> None:
        self.locked = True
        self.window.blank()

    def on_unlock(self, *_args: object) -> None:
        self.locked = False  # the window stays blank until the clerk sends again

    def on_session_start(self, *_args: object) -> None:
        """An operator logged in: the clerk may send pages (shield and lock permitting)."""
        self.in_session = True

    def on_session_end(self, *_args: object) -> None:
        """The session is over (the lock ends with it); the next resident starts afresh."""
        self.locked = False
        self.in_session = False
        self.window.blank()
        self.window.reset_preferences()

    # -- what the clerk sends --------------------------------------------------------------------
    def _refused(self) -> str | None:
        if not self.in_session:
            return NO_SESSION
        if self.shielded:
            return SHIELDED
        if self.locked:
            return LOCKED
        return None

    def send_page(self, image: QImage, title: str, page: int, pages: int) -> bool:
        """Show one form page to the resident; False (and ``send_refused``) when it may not."""
        reason = self._refused()
        if reason is not None:
            self.send_refused.emit(reason)
            return False
        self.window.show_page(image, title, page, pages)
        return True

    def ask_signature(self, titles: list[str], proxy: Proxy | None = None) -> bool:
        """Ask the resident to sign once for ``titles``; False (and ``send_refused``) when it may not."""
        reason = self._refused()
        if reason is not None:
            self.send_refused.emit(reason)
            return False
        self.window.ask_signature(titles, proxy)
        return True

    def blank(self) -> None:
        """The clerk is done with the resident's screen for now (the clerk went back)."""
        self.window.blank()

    def new_visit(self) -> None:
        """The visit ended: blank, and the next resident starts in Japanese at the normal size."""
        self.window.blank()
        self.window.reset_preferences()
