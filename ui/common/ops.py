"""Page operations (画面の処理): one background call of a page, and the failures every page shares.

A page runs each call to the centre, the card or the printer as ``self.ops.run(fn, on_done,
on_failed)``. The call runs on the runner (off the GUI thread, ``ui.common.worker``); the page's busy
indicator shows from the moment it is handed over until its outcome is back on the GUI thread; and
the failures that mean the same on every page are handled here, once, before the page hears of
them (as Anki's CollectionOp does):

* a login that is no longer valid (再ログインが必要) and a terminal the centre disabled (利用停止) go
  to ``Failures``, which the shell connects to ending the session; the page's ``on_failed`` is not
  called, since the page is about to be wiped;
* a centre that cannot be reached (オフライン) is reported to ``Failures`` too (the shell checks the
  connection at once), and the page still gets the failure to say so where the clerk looks;
* everything else (a problem answered by the centre, a card error, a bug) reaches ``on_failed`` as a
  ``Failure`` with the Japanese (or English) message already made (``ui.common.errors``), or, when
  the page gives no ``on_failed``, is shown by the page's default (``PageOps.say``).

Pages keep their own widgets and rules; this module knows nothing of any page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.api_client import ApiError, CentralUnreachable, DeviceDisabled
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.worker import Runner, bracketed


class Failures(QObject):
    """The failures every page shares, in one place: the shell connects these once."""

    session_ended = Signal(str)  # the message for the login page
    device_disabled = Signal()
    offline = Signal()

    def take(self, exc: BaseException) -> bool:
        """Handle ``exc`` if it is shared; True when the page need not hear of it."""
        if isinstance(exc, DeviceDisabled):
            self.device_disabled.emit()
            return True
        if isinstance(exc, ApiError) and exc.ends_session:
            self.session_ended.emit(error_message(exc))
            return True
        if isinstance(exc, CentralUnreachable):
            self.offline.emit()
        return False


@dataclass(frozen=True)
class Failure:
    """A failure the page handles: the exception, the message to show, and what kind it is."""

    exc: BaseException

    @property
    def message(self) -> str:
        """What to tell the clerk (``ui.common.errors``). Made when asked: a page that says its
        own words for a failure (a face capture too dark, say) neither makes nor logs this one."""
        return error_message(self.exc)

    @property
    def problem(self) -> ApiError | None:
        """The centre's problem answer (RFC 9457), if that is what it was."""
        return self.exc if isinstance(self.exc, ApiError) else None

    @property
    def code(self) -> str:
        """The problem's ``code`` (or a card error's), "" otherwise."""
        return str(getattr(self.exc, "code", "") or "")

    @property
    def offline(self) -> bool:
        return isinstance(self.exc, CentralUnreachable)


class PageOps:
    """A page's background calls. ``say(text, error)`` is the page's message line, used when a
    call names no ``on_failed``; ``on_busy(bool)`` lets the page switch its buttons while a call
    of its own is out."""

    def __init__(self, runner: Runner, busy: BusyIndicator | None = None,
                 failures: Failures | None = None, *,
                 say: Callable[[str, bool], None] | None = None,
                 on_busy: Callable[[bool], None] | None = None) -> None:
        runner = busy.wrap(runner) if busy is not None else runner
        self._runner = bracketed(runner, self._begin, self._end)
        self.failures = failures if failures is not None else Failures()
        self._say = say
        self._on_busy = on_busy
        self._out = 0

    @property
    def running(self) -> bool:
        """Whether a call of this page has not delivered its outcome yet."""
        return self._out > 0

    def say(self, text: str, error: bool = False) -> None:
        if self._say is not None:
            self._say(text, error)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_failed: Callable[[Failure], None] | None = None) -> None:
        """Run ``fn`` in the background; ``on_done(result)`` or ``on_failed(Failure)`` on the GUI
        thread (shared failures are taken first, see the module's docstring)."""
        def failed(exc: Exception) -> None:
            if self.failures.take(exc):
                return
            failure = Failure(exc)
            if on_failed is not None:
                on_failed(failure)
            else:
                self.say(failure.message, True)

        self._runner(fn, on_done, failed)

    def _begin(self) -> None:
        self._out += 1
        if self._out == 1 and self._on_busy is not None:
            self._on_busy(True)

    def _end(self) -> None:
        self._out = max(0, self._out - 1)
        if self._out == 0 and self._on_busy is not None:
            self._on_busy(False)
