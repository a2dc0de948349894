"""In-memory card reader: the virtual card's APDU handler without PC/SC.

``MemoryTransport`` sends APDUs straight to a ``VirtualMyNumberCard`` (unit tests; ``fail_after``
simulates a card pulled after N APDUs). ``MemoryCardReader`` has the same ``run`` interface as
``pcsc.PcscCardReader``, so the client's built-in virtual card (demo, no reader attached) goes
through exactly the same protocol code as a real card.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .errors import CardRemoved, NoCard
from .protocol import MyNumberCard
from .virtual import VirtualMyNumberCard

T = TypeVar("T")


class MemoryTransport:
    def __init__(self, card: VirtualMyNumberCard, *, fail_after: int | None = None) -> None:
        self.card = card
        self.fail_after = fail_after
        self.sent = 0

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.sent += 1
        if self.fail_after is not None and self.sent >= self.fail_after:
            raise CardRemoved()
        resp = self.card.handle(apdu)
        return resp[:-2], (resp[-2] << 8) | resp[-1]


class MemoryCardReader:
    """A reader with an in-memory virtual card on it (or none: ``card=None``)."""

    def __init__(self, card: VirtualMyNumberCard | None, *, fail_after: int | None = None) -> None:
        self.card = card
        self.fail_after = fail_after

    def run(self, operation: Callable[[MyNumberCard], T]) -> T:
        if self.card is None:
            raise NoCard()
        self.card.reset()  # a new session, as after a power-up (the PIN counter persists)
        return operation(MyNumberCard(MemoryTransport(self.card, fail_after=self.fail_after)))
