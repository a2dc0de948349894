"""Keyboard operation (issue #7 point 9): buttons whose Alt mnemonic acts at once.

Qt's QPushButton answers its mnemonic with ``animateClick``: the click comes a tenth of a second
later from a timer, so a clerk who types ahead (Alt+N, then the 受付番号) loses the first keys to the
page that was still showing. ``Button`` clicks as soon as the mnemonic arrives (focus first, as Qt
does); an ambiguous mnemonic keeps Qt's behaviour (focus moves between the candidates).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShortcutEvent
from PySide6.QtWidgets import QPushButton


class Button(QPushButton):
    def event(self, e: QEvent) -> bool:  # noqa: D102 - Qt override
        if e.type() == QEvent.Type.Shortcut and isinstance(e, QShortcutEvent) and not e.isAmbiguous():
            if self.isEnabled() and self.isVisible():
                self.setFocus()
                self.click()
            return True
        return super().event(e)
