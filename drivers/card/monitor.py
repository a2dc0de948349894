"""Reader monitor: card inserted / removed, reader added / lost, PC/SC service lost / restored.

Plain callbacks (no Qt), called on the monitor's own thread; a UI forwards them with queued signals.
Waits in SCardGetStatusChange (readers + the PnP pseudo-reader) with a finite timeout; stop() wakes it
with SCardCancel. When pcscd goes away the context is released and re-established with a bounded
exponential backoff, and the reader/card states are reported again once it is back.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Callable

from smartcard import scard

from .errors import SCARD_E_NO_READERS_AVAILABLE

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"
_SERVICE_GONE = {0x8010001D, 0x8010001E, 0x80100003, 0x80100004}   # no service, stopped, invalid handle/param

ReaderCb = Callable[[str], None]
InsertCb = Callable[[str, bytes], None]
PlainCb = Callable[[], None]


@dataclass
class MonitorCallbacks:
    on_inserted: InsertCb | None = None          # (reader, ATR)
    on_removed: ReaderCb | None = None           # (reader)
    on_reader_added: ReaderCb | None = None
    on_reader_lost: ReaderCb | None = None
    on_service_lost: PlainCb | None = None
    on_service_restored: PlainCb | None = None


@dataclass
class ReaderMonitor:
    callbacks: MonitorCallbacks = field(default_factory=MonitorCallbacks)
    preferred: str | None = None       # name substring; used by preferred_reader()
    wait_ms: int = 1000                # GetStatusChange timeout per round
    backoff_initial: float = 0.2
    backoff_max: float = 1.0           # a restarted pcscd is found again within ~1 s (target ≤ 2 s)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx: int | None = None
        self._ctx_lock = threading.Lock()
        self.readers: dict[str, bool] = {}     # reader → card present
        self.atrs: dict[str, bytes] = {}
        self.service_up = False
        self._ever_up = False

    # -- public --
    def start(self) -> "ReaderMonitor":
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="card-reader-monitor", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._ctx_lock:
            if self._ctx is not None:
                scard.SCardCancel(self._ctx)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> "ReaderMonitor":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def preferred_reader(self) -> str | None:
        """The preferred reader if connected, else the one reader with a card, else None."""
        names = list(self.readers)
        if self.preferred:
            for n in names:
                if self.preferred in n:
                    return n
            return None
        present = [n for n, p in self.readers.items() if p]
        return present[0] if len(present) == 1 else None

    # -- internals --
    def _emit(self, name: str, *args: object) -> None:
        cb = getattr(self.callbacks, name)
        if cb is None:
            return
        try:
            cb(*args)
        except Exception:   # a faulty observer must not kill the monitor
            log.exception("card monitor callback %s failed", name)

    def _release(self) -> None:
        with self._ctx_lock:
            if self._ctx is not None:
                scard.SCardReleaseContext(self._ctx)
                self._ctx = None

    def _service_lost(self) -> None:
        self._release()
        if self.service_up:
            self.service_up = False
            for name, present in list(self.readers.items()):
                if present:
                    self._emit("on_removed", name)
                self._emit("on_reader_lost", name)
            self.readers.clear()
            self.atrs.clear()
            self._emit("on_service_lost")

    def _run(self) -> None:
        backoff = self.backoff_initial
        while not self._stop.is_set():
            if self._ctx is None:
                hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
                if hresult != scard.SCARD_S_SUCCESS:
                    if not self._ever_up and not self.service_up:
                        # first start without service: report once so the UI can say so
                        self._ever_up = True
                        self.service_up = True
                        self._service_lost()
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, self.backoff_max)
                    continue
                with self._ctx_lock:
                    self._ctx = ctx
                backoff = self.backoff_initial
                was_known = self._ever_up
                self._ever_up = True
                if not self.service_up:
                    self.service_up = True
                    if was_known:
                        self._emit("on_service_restored")
            try:
                self._round()
            except _ServiceGone:
                self._service_lost()
        self._release()

    def _round(self) -> None:
        ctx = self._ctx
        hresult, names = scard.SCardListReaders(ctx, [])
        if hresult == SCARD_E_NO_READERS_AVAILABLE:
            names = []
        elif hresult in _SERVICE_GONE:
            raise _ServiceGone
        elif hresult != scard.SCARD_S_SUCCESS:
            names = []
        names = list(names)
        for gone in [n for n in self.readers if n not in names]:
            if self.readers.pop(gone):
                self._emit("on_removed", gone)
            self.atrs.pop(gone, None)
            self._emit("on_reader_lost", gone)
        for new in [n for n in names if n not in self.readers]:
            self.readers[new] = False
            self._emit("on_reader_added", new)
        # query current state immediately, then wait for a change
        states = [(n, scard.SCARD_STATE_UNAWARE) for n in names]
        if states:
            hresult, now = scard.SCardGetStatusChange(ctx, 0, states)
            if hresult in _SERVICE_GONE:
                raise _ServiceGone
            if hresult == scard.SCARD_S_SUCCESS:
                self._apply(now)
                states = [(n, st & ~scard.SCARD_STATE_CHANGED) for n, st, _ in now]
        if self._stop.is_set():
            return
        hresult, _ = scard.SCardGetStatusChange(ctx, self.wait_ms, states + [(PNP_READER, len(names) << 16)])
        if hresult in _SERVICE_GONE:
            raise _ServiceGone
        if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
            # e.g. a reader vanished between the listing and the wait: re-list soon, never spin
            self._stop.wait(self.backoff_initial)

    def _apply(self, states: list) -> None:
        for name, state, atr in states:
            if name not in self.readers:
                continue
            present = bool(state & scard.SCARD_STATE_PRESENT) and not state & scard.SCARD_STATE_MUTE
            if state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                present = False
            if present and not self.readers[name]:
                self.readers[name] = True
                self.atrs[name] = bytes(atr)
                self._emit("on_inserted", name, bytes(atr))
            elif not present and self.readers[name]:
                self.readers[name] = False
                self.atrs.pop(name, None)
                self._emit("on_removed", name)


class _ServiceGone(Exception):
    pass


__all__ = ["ReaderMonitor", "MonitorCallbacks", "PNP_READER"]
