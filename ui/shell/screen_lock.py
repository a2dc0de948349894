"""画面ロック (AUTH-7, PRIV-1): the screen of the main window locked for idleness, for an absent
operator or for another person in front of the camera — personal data leaves the screen, the
camera is released, what was typed stays, and only the same operator continues on the lock page
(``LockPage``, with the password). Unlocking goes back to the page that was showing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class ScreenLock(QObject):
    """The lock of window ``w`` (its pages, guard, camera guard and ``locked`` flag).
    ``locked()`` once the screen is locked, ``unlocked_again()`` once the same operator is back
    (the resident's screen follows both)."""

    locked = Signal()
    unlocked_again = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.w = window
        self._page_before: QWidget | None = None

    def presence_lost(self, reason: str) -> None:
        """The camera guard says the operator left, or someone else sits in front of it."""
        if reason == "operator_changed":
            self.lock(self.tr("ログインした職員とは別の人がカメラの前にいるため、画面をロックしました。"
                              "ログインした職員本人がパスワードを入力してください。"))
        else:
            self.lock(self.tr("職員の離席を検知したため、画面をロックしました。"))

    def lock(self, reason: str = "") -> None:
        w = self.w
        if w.session is None or w.locked:
            return
        w.locked = True
        w.support_banner.hide()  # nothing of the case while locked, not even this
        w.guard.lock()
        if w.onlooker is not None:
            w.onlooker.stop()
        self._page_before = w.stack.currentWidget()
        if self._page_before is w.enrol_page:  # captures are not kept across a lock
            w.enrol_page.reset()
            self._page_before = w.search_page
        w.lock_page.show_for(w.session, reason)
        w.stack.setCurrentWidget(w.lock_page)
        self.locked.emit()

    def unlocked(self) -> None:
        w = self.w
        if w.session is None:
            return
        w.locked = False
        w.guard.unlock()
        w._set_subject(w.search_page.selected_resident())
        w.stack.setCurrentWidget(self._page_before or w.search_page)
        self._page_before = None
        if w.onlooker is not None:
            w.onlooker.start(w.session.policy)
        self.unlocked_again.emit()

    def forget(self) -> None:
        """The session ended: there is no page to go back to."""
        self._page_before = None
