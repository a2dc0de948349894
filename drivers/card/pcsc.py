"""pyscard (PC/SC) transport: shared mode, one transaction per read operation, disconnect with unpower.

    with CardSession("Virtual PCD 00 00") as transport:
        info = MyNumberCard(transport).read_basic_info(pin)

Every PC/SC failure becomes a typed ``TransportError`` (errors.PCSC_TABLE). Only a sharing violation
(another process holds the card, e.g. right after insertion) is retried, a bounded number of times.
"""
from __future__ import annotations

import threading
from typing import Callable, TypeVar

from smartcard import scard

from .errors import (CardRemoved, NoReaders, ReaderLost, SharingViolation, TransportError, error_for_hresult,
                     SCARD_E_NO_READERS_AVAILABLE)
from .protocol import MyNumberCard

T = TypeVar("T")

SHARING_RETRIES = 5
SHARING_BACKOFF = 0.1   # seconds, doubled each retry


def _check(hresult: int) -> None:
    if hresult != scard.SCARD_S_SUCCESS:
        raise error_for_hresult(hresult)


def establish_context() -> int:
    hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    _check(hresult)
    return ctx


def list_readers(context: int | None = None) -> list[str]:
    """Reader names; [] when pcscd has none. Raises ServiceLost when PC/SC is not running."""
    own = context is None
    ctx = establish_context() if own else context
    try:
        hresult, names = scard.SCardListReaders(ctx, [])
        if hresult == SCARD_E_NO_READERS_AVAILABLE:
            return []
        _check(hresult)
        return list(names)
    finally:
        if own:
            scard.SCardReleaseContext(ctx)


def readers_with_card(context: int | None = None) -> list[str]:
    own = context is None
    ctx = establish_context() if own else context
    try:
        names = list_readers(ctx)
        if not names:
            return []
        hresult, states = scard.SCardGetStatusChange(ctx, 0, [(n, scard.SCARD_STATE_UNAWARE) for n in names])
        _check(hresult)
        return [name for name, state, _atr in states if state & scard.SCARD_STATE_PRESENT]
    finally:
        if own:
            scard.SCardReleaseContext(ctx)


def choose_reader(names: list[str], with_card: list[str], preferred: str | None = None) -> str:
    """Preferred reader by name substring (names can change index); else the only reader holding a card;
    else the only reader. Raises NoReaders, or ReaderLost when the choice is ambiguous/absent."""
    if not names:
        raise NoReaders()
    if preferred:
        matches = [n for n in names if preferred in n]
        if not matches:
            raise ReaderLost(f"指定のカードリーダー（{preferred}）が見つかりません。",
                             f"Preferred reader '{preferred}' not found.")
        present = [n for n in matches if n in with_card]
        return (present or matches)[0]
    if len(with_card) == 1:
        return with_card[0]
    if len(with_card) > 1:
        raise ReaderLost("複数のカードリーダーにカードが置かれています。使用するリーダーを選んでください。",
                         "Cards are present in several readers; choose one.")
    if len(names) == 1:
        return names[0]
    raise ReaderLost("カードが置かれたリーダーがありません。カードを置いてください。",
                     "No reader holds a card; place the card or choose a reader.")


class PcscTransport:
    """Transport over one connected PC/SC card handle (inside a transaction while the session is open)."""

    def __init__(self, card_handle: int, protocol: int) -> None:
        self._h = card_handle
        self._pci = scard.SCARD_PCI_T1 if protocol == scard.SCARD_PROTOCOL_T1 else scard.SCARD_PCI_T0
        self.closed = False

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        if self.closed:
            raise CardRemoved(message_en="the card session is closed")
        hresult, response = scard.SCardTransmit(self._h, self._pci, list(apdu))
        _check(hresult)
        if len(response) < 2:
            # vpcd reports a card pulled mid-APDU as success with no response (doc §3.4)
            raise CardRemoved()
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]


class CardSession:
    """Context manager: connect SHARED (retrying only sharing violations), begin one transaction,
    yield a PcscTransport, then end the transaction and disconnect with SCARD_UNPOWER_CARD so no
    verified security state survives."""

    def __init__(self, reader: str, *, sharing_retries: int = SHARING_RETRIES, backoff: float = SHARING_BACKOFF,
                 cancel: threading.Event | None = None) -> None:
        self.reader = reader
        self.sharing_retries = sharing_retries
        self.backoff = backoff
        self._cancel = cancel or threading.Event()
        self._ctx: int | None = None
        self._h: int | None = None
        self._in_tx = False
        self.transport: PcscTransport | None = None
        self.sharing_violations = 0

    def _with_sharing_retry(self, fn: Callable[[], T]) -> T:
        delay = self.backoff
        for attempt in range(self.sharing_retries + 1):
            try:
                return fn()
            except SharingViolation:
                self.sharing_violations += 1
                if attempt == self.sharing_retries:
                    raise
                if self._cancel.wait(delay):    # backoff, interruptible
                    raise
                delay *= 2
        raise AssertionError("unreachable")

    def __enter__(self) -> PcscTransport:
        try:
            self._ctx = establish_context()

            def connect() -> tuple[int, int]:
                hresult, h, proto = scard.SCardConnect(self._ctx, self.reader, scard.SCARD_SHARE_SHARED,
                                                       scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
                _check(hresult)
                return h, proto

            self._h, proto = self._with_sharing_retry(connect)

            def begin() -> None:
                _check(scard.SCardBeginTransaction(self._h))

            self._with_sharing_retry(begin)
            self._in_tx = True
        except BaseException:
            self._release()
            raise
        self.transport = PcscTransport(self._h, proto)
        return self.transport

    def __exit__(self, *exc: object) -> None:
        self._release()

    def _release(self) -> None:
        if self.transport is not None:
            self.transport.closed = True
        if self._h is not None:
            if self._in_tx:
                scard.SCardEndTransaction(self._h, scard.SCARD_LEAVE_CARD)
                self._in_tx = False
            scard.SCardDisconnect(self._h, scard.SCARD_UNPOWER_CARD)
            self._h = None
        if self._ctx is not None:
            scard.SCardReleaseContext(self._ctx)
            self._ctx = None


class PcscCardReader:
    """Runs one protocol operation per PC/SC session on a chosen reader.

        reader = PcscCardReader(preferred="RC-S300")
        tries = reader.run(lambda card: card.pin_tries_left())
        info = reader.run(lambda card: card.read_basic_info(pin))
    """

    def __init__(self, reader: str | None = None, *, preferred: str | None = None) -> None:
        self.reader = reader
        self.preferred = preferred

    def resolve(self) -> str:
        if self.reader:
            return self.reader
        ctx = establish_context()
        try:
            return choose_reader(list_readers(ctx), readers_with_card(ctx), self.preferred)
        finally:
            scard.SCardReleaseContext(ctx)

    def run(self, operation: Callable[[MyNumberCard], T]) -> T:
        """Any TransportError propagates and whatever the operation had read is dropped with its frame."""
        with CardSession(self.resolve()) as transport:
            return operation(MyNumberCard(transport))


__all__ = ["PcscTransport", "CardSession", "PcscCardReader", "list_readers", "readers_with_card", "choose_reader",
           "establish_context", "TransportError"]
