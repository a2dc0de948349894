"""In-memory transport wired to the virtual card's APDU handler (no PC/SC)."""
from __future__ import annotations

from drivers.card.errors import CardRemoved
from drivers.card.virtual import VirtualMyNumberCard


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
