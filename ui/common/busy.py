"""処理中の表示: every wait of a page (the centre, the card, printing) shows it.

``BusyIndicator`` is an indeterminate progress bar that also gives its page the busy cursor. A page
wraps its runner with ``wrap``: each job shows the indicator from the moment it is handed to the
runner until its result (or error) is delivered, so no page can forget to show a wait.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QWidget

from ui.common.worker import Runner, bracketed


class BusyIndicator(QProgressBar):
    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self._page = page
        self._waiting = 0
        self.setObjectName("busyIndicator")
        self.setRange(0, 0)  # indeterminate: it moves while we wait
        self.setTextVisible(False)
        self.setMaximumHeight(8)
        self.setAccessibleName(self.tr("処理中"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the page does not jump when a wait begins or ends
        self.setSizePolicy(policy)
        self.hide()

    @property
    def waiting(self) -> int:
        """How many jobs of the page have not delivered their result yet."""
        return self._waiting

    def wrap(self, runner: Runner) -> Runner:
        return bracketed(runner, self._begin, self._end)

    def _begin(self) -> None:
        self._waiting += 1
        if self._waiting == 1:
            self._page.setCursor(Qt.CursorShape.BusyCursor)
            self.show()

    def _end(self) -> None:
        self._waiting = max(0, self._waiting - 1)
        if self._waiting == 0:
            self._page.unsetCursor()
            self.hide()
