"""Card-test fixtures: a real pcscd + vsmartcard-vpcd for the session, virtual cards per test."""
from __future__ import annotations

import pytest

from drivers.card.virtual import Person, VirtualMyNumberCard


@pytest.fixture(scope="session")
def pcsc_stack():
    from testbed.stacks import pcscd as ps

    stack = ps.make_stack()
    stack.start()
    try:
        yield stack
    finally:
        ps.cleanup(stack)


@pytest.fixture
def insert_card(pcsc_stack):
    """insert_card(card, slot=0, remove_after=None) -> VpcdCard; every card is pulled at test end."""
    inserted = []

    def insert(card: VirtualMyNumberCard, slot: int = 0, remove_after: int | None = None):
        vc = pcsc_stack.insert(card, slot=slot, remove_after=remove_after)
        inserted.append((vc, slot))
        return vc

    from testbed.stacks.pcscd import wait_card_state

    yield insert
    for vc, _slot in inserted:
        vc.remove()
    if pcsc_stack.needs_restart:
        pcsc_stack.restart()
    else:
        for slot in sorted({slot for _vc, slot in inserted}):
            wait_card_state(pcsc_stack.readers[slot], present=False)


@pytest.fixture
def person() -> Person:
    return Person()
