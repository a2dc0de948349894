"""The centred panel (中央のパネル) of the login-side pages: ログイン, 画面ロック, 顔認証, パスワードの更新
and 顔認証の登録 show one card of fixed width in the middle of the window, with the busy indicator
above it, and run their calls through page operations (``ui.common.ops``).

``PanelPage`` owns that frame: the shared failures, the busy indicator, ``self.ops`` and the
layout; a page adds its widgets to ``self.panel_layout`` and says how it shows a message
(``_say``) and what its buttons do while a call is out (``_set_busy``). Before a session exists the
shell has nothing to end when the centre answers that the terminal is disabled, so a page may also
hear of a shared failure after the shell did (``_shared_failure``). ``password_edit`` is the one
way these pages make a password field. No page logic here.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ui.common.busy import BusyIndicator
from ui.common.ops import Failures, PageOps
from ui.common.worker import Runner


class _HeardFailures(Failures):
    """The shell's shared failures, handled there as on every page, and then told to the page."""

    def __init__(self, shared: Failures, heard: Callable[[BaseException], None]) -> None:
        super().__init__(shared)
        self._shared, self._heard = shared, heard

    def take(self, exc: BaseException) -> bool:
        if not self._shared.take(exc):
            return False
        self._heard(exc)
        return True


class PanelPage(QWidget):
    """A page showing one centred panel ``width`` pixels wide (at most ``width`` when not
    ``fixed``)."""

    def __init__(self, runner: Runner, failures: Failures | None, parent: QWidget | None, *,
                 width: int, fixed: bool = True) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self.ops = PageOps(self._runner, None, _HeardFailures(self.failures, self._shared_failure),
                           say=self._say, on_busy=self._set_busy)
        self.panel = QWidget()
        if fixed:
            self.panel.setFixedWidth(width)
        else:
            self.panel.setMaximumWidth(width)
        self.panel_layout = QVBoxLayout(self.panel)
        # Centre with stretches, not alignment flags: an aligned widget loses
        # height-for-width, and wrapped labels (errors, demo hint) get clipped.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.panel)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.busy)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def add(self, *widgets: QWidget) -> None:
        """Add ``widgets`` to the panel, top to bottom."""
        for widget in widgets:
            self.panel_layout.addWidget(widget)

    def _say(self, text: str, error: bool = False) -> None:
        """Show ``text`` where the page shows its messages (every page says how)."""
        raise NotImplementedError

    def _set_busy(self, busy: bool) -> None:
        """A call of the page went out (``True``) or all are back (``False``)."""

    def _shared_failure(self, exc: BaseException) -> None:
        """The shell handled ``exc`` (the session ended, the terminal was disabled); a page with
        no session yet says it too."""


def password_edit(name: str = "", label: str = "", *, placeholder: bool = True) -> QLineEdit:
    """A password field: typed characters are never shown; ``label`` is what a screen reader says
    and, with ``placeholder``, what the empty field shows."""
    edit = QLineEdit()
    if name:
        edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(256)
    if label:
        edit.setAccessibleName(label)
        if placeholder:
            edit.setPlaceholderText(label)
    return edit
