"""Through the real stack: pyscard → pcscd → vsmartcard-vpcd → our virtual My Number card."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pytest
from smartcard import scard

from drivers.card import errors as E
from drivers.card import pcsc
from drivers.card.monitor import MonitorCallbacks, ReaderMonitor
from drivers.card.protocol import TEXT_AP_AID, MyNumberCard
from drivers.card.virtual import Person, VirtualMyNumberCard, make_my_number
from testbed.stacks.pcscd import wait_card_state


def test_happy_path(pcsc_stack, insert_card, person):
    vc = VirtualMyNumberCard(person)
    insert_card(vc)
    reader = pcsc.PcscCardReader(pcsc_stack.readers[0])
    assert reader.run(lambda c: c.pin_tries_left()) == 3
    res = reader.run(lambda c: c.read_text_ap(person.pin, include_my_number=True))
    assert res.basic_info.name == person.name and res.basic_info.address == person.address
    assert res.basic_info.birth_date == person.birth_date and res.basic_info.digests_verified
    assert res.my_number.my_number == person.my_number and res.my_number.check_digit_ok
    cert = reader.run(lambda c: c.read_auth_certificate())
    assert cert.not_after.date() == person.card_expiry
    assert vc.verify_attempts == 1


def test_disconnect_unpowers_so_no_verified_state_survives(pcsc_stack, insert_card, person):
    insert_card(VirtualMyNumberCard(person))
    reader = pcsc.PcscCardReader(pcsc_stack.readers[0])
    reader.run(lambda c: c.read_basic_info(person.pin))

    def read_without_pin(card: MyNumberCard):
        card.select_application(TEXT_AP_AID)
        return card.read_tlv_ef(0x0002)

    with pytest.raises(E.NotVerified):
        reader.run(read_without_pin)


def test_wrong_pin_decreases_tries_without_retry(pcsc_stack, insert_card, person):
    vc = VirtualMyNumberCard(person)
    insert_card(vc)
    reader = pcsc.PcscCardReader(pcsc_stack.readers[0])
    with pytest.raises(E.WrongPin) as ei:
        reader.run(lambda c: c.read_basic_info("0000"))
    assert ei.value.tries_left == 2
    assert vc.verify_attempts == 1
    assert reader.run(lambda c: c.pin_tries_left()) == 2
    assert vc.verify_attempts == 1 and vc.tries == 2
    with pytest.raises(E.WrongPin) as ei:
        reader.run(lambda c: c.read_basic_info("0001"))
    assert ei.value.tries_left == 1 and vc.verify_attempts == 2
    with pytest.raises(E.LastTryNeedsConfirmation):
        reader.run(lambda c: c.read_basic_info("0002"))
    assert vc.verify_attempts == 2 and vc.tries == 1


def test_locked_card(pcsc_stack, insert_card, person):
    vc = VirtualMyNumberCard(person, tries=0)
    insert_card(vc)
    reader = pcsc.PcscCardReader(pcsc_stack.readers[0])
    with pytest.raises(E.PinLocked) as ei:
        reader.run(lambda c: c.pin_tries_left())
    assert ei.value.sw == 0x6984 and "ロック" in ei.value.message_ja
    with pytest.raises(E.PinLocked):
        reader.run(lambda c: c.read_basic_info(person.pin, confirm_last_try=True))
    assert vc.verify_attempts == 0       # no VERIFY is ever sent to a locked PIN


def test_read_before_verify(pcsc_stack, insert_card, person):
    insert_card(VirtualMyNumberCard(person))

    def sneak(card: MyNumberCard):
        card.select_application(TEXT_AP_AID)
        card.select_ef(0x0001)
        return card.read_binary(0, 17)

    with pytest.raises(E.NotVerified) as ei:
        pcsc.PcscCardReader(pcsc_stack.readers[0]).run(sneak)
    assert ei.value.sw == 0x6982


@pytest.mark.parametrize("remove_after", [4, 7])
def test_removal_mid_read_discards_partial_data(pcsc_stack, insert_card, person, remove_after):
    vc = VirtualMyNumberCard(person)
    vcard = insert_card(vc, remove_after=remove_after)
    reader = pcsc.PcscCardReader(pcsc_stack.readers[0])
    result = None
    with pytest.raises((E.CardRemoved, E.NoCard)):
        result = reader.run(lambda c: c.read_text_ap(person.pin, include_my_number=True))
    assert result is None
    assert vcard.removed.wait(5)
    wait_card_state(pcsc_stack.readers[0], present=False)
    with pytest.raises(E.NoCard):
        reader.run(lambda c: c.pin_tries_left())
    # the card comes back (vpcd needs a restart to see it, see PcscStack): a fresh read works from scratch
    pcsc_stack.restart()
    insert_card(vc)
    assert reader.run(lambda c: c.read_basic_info(person.pin)).name == person.name


def test_digest_corruption_detected(pcsc_stack, insert_card, person):
    insert_card(VirtualMyNumberCard(person, corrupt_digest=True))
    with pytest.raises(E.IntegrityError):
        pcsc.PcscCardReader(pcsc_stack.readers[0]).run(lambda c: c.read_basic_info(person.pin))


def test_not_a_my_number_card(pcsc_stack, insert_card):
    insert_card(VirtualMyNumberCard(my_number_card=False))
    reader = pcsc.PcscCardReader(pcsc_stack.readers[0])
    with pytest.raises(E.NotMyNumberCard) as ei:
        reader.run(lambda c: c.pin_tries_left())
    assert ei.value.message_ja.startswith("マイナンバーカードではありません")
    assert reader.run(lambda c: c.is_my_number_card()) is False


def test_slow_card_still_reads(pcsc_stack, insert_card, person):
    vc = VirtualMyNumberCard(person, delay=0.05)
    insert_card(vc)
    info = pcsc.PcscCardReader(pcsc_stack.readers[0]).run(lambda c: c.read_basic_info(person.pin))
    assert info.address == person.address


def test_long_address_through_pcsc(pcsc_stack, insert_card):
    p = Person(address="架空県さくら市" + "桜町" * 60 + "１番地")
    insert_card(VirtualMyNumberCard(p))
    info = pcsc.PcscCardReader(pcsc_stack.readers[0]).run(lambda c: c.read_basic_info(p.pin))
    assert info.address == p.address and info.digests_verified


def test_two_readers_and_preferred(pcsc_stack, insert_card, person):
    other = Person(name="架空　花子", sex="2", my_number=make_my_number("98765432109"), pin="2468")
    insert_card(VirtualMyNumberCard(other), slot=1)
    names = pcsc.list_readers()
    assert set(pcsc_stack.readers) <= set(names)
    with_card = pcsc.readers_with_card()
    assert pcsc_stack.readers[1] in with_card and pcsc_stack.readers[0] not in with_card
    # no preference: the only reader with a card is chosen
    assert pcsc.PcscCardReader().run(lambda c: c.read_basic_info(other.pin)).name == other.name
    insert_card(VirtualMyNumberCard(person), slot=0)
    with pytest.raises(E.ReaderLost):
        pcsc.PcscCardReader().resolve()           # two cards: staff must choose
    assert pcsc.PcscCardReader(preferred="00 00").run(lambda c: c.read_basic_info(person.pin)).name == person.name
    assert pcsc.PcscCardReader(preferred="00 01").run(lambda c: c.read_basic_info(other.pin)).name == other.name
    with pytest.raises(E.ReaderLost):
        pcsc.PcscCardReader(preferred="No Such Reader").resolve()


def test_sharing_violation_is_retried_a_bounded_number_of_times(pcsc_stack, insert_card, person):
    insert_card(VirtualMyNumberCard(person))
    reader = pcsc_stack.readers[0]
    ctx = pcsc.establish_context()
    hr, h, _proto = scard.SCardConnect(ctx, reader, scard.SCARD_SHARE_EXCLUSIVE,
                                       scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
    assert hr == scard.SCARD_S_SUCCESS
    try:
        session = pcsc.CardSession(reader, sharing_retries=2, backoff=0.01)
        with pytest.raises(E.SharingViolation):
            with session:
                pass
        assert session.sharing_violations == 3
    finally:
        scard.SCardDisconnect(h, scard.SCARD_LEAVE_CARD)
        scard.SCardReleaseContext(ctx)
    # released: a session succeeds at once
    with pcsc.CardSession(reader) as t:
        assert MyNumberCard(t).pin_tries_left() == 3


def test_monitor_reports_insert_and_remove(pcsc_stack, person):
    inserted, removed = threading.Event(), threading.Event()
    seen: list[tuple] = []

    def on_inserted(name, atr):
        seen.append(("inserted", name, atr))
        if name == pcsc_stack.readers[0]:
            inserted.set()

    def on_removed(name):
        seen.append(("removed", name))
        if name == pcsc_stack.readers[0]:
            removed.set()

    added: list[str] = []
    mon = ReaderMonitor(MonitorCallbacks(on_inserted=on_inserted, on_removed=on_removed,
                                         on_reader_added=added.append), preferred="PCD 00 00", wait_ms=500)
    with mon:
        vcard = pcsc_stack.insert(VirtualMyNumberCard(person))
        try:
            assert inserted.wait(10)
            assert mon.preferred_reader() == pcsc_stack.readers[0]
        finally:
            pcsc_stack.remove(vcard)
        assert removed.wait(10)
    assert set(pcsc_stack.readers) <= set(added)
    ins = [s for s in seen if s[0] == "inserted"]
    assert ins[0][2] == bytes.fromhex("3BE000FF8131FE4514")


def test_cli_virtual_card(pcsc_stack):
    proc = subprocess.Popen([sys.executable, "-m", "drivers.card.virtual", "--port", str(pcsc_stack.port_of(1)),
                             "--tries", "2", "--pin", "4321", "--expiry", "2030-01-31"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert "inserted" in proc.stdout.readline()
        wait_card_state(pcsc_stack.readers[1], present=True)
        reader = pcsc.PcscCardReader(pcsc_stack.readers[1])
        assert reader.run(lambda c: c.pin_tries_left()) == 2
        assert reader.run(lambda c: c.read_basic_info("4321")).name == Person().name
        assert reader.run(lambda c: c.read_auth_certificate()).not_after.date() == dt.date(2030, 1, 31)
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
    wait_card_state(pcsc_stack.readers[1], present=False)


def test_service_lost_and_restored(pcsc_stack, person):
    """Stops pcscd under a running monitor and starts it again (the stack is usable afterwards)."""
    lost, restored, reinserted = threading.Event(), threading.Event(), threading.Event()
    lost_readers: list[str] = []
    both_added = threading.Event()
    added: list[str] = []

    def on_added(name):
        added.append(name)
        if set(pcsc_stack.readers) <= set(added):
            both_added.set()

    mon = ReaderMonitor(MonitorCallbacks(on_service_lost=lost.set, on_service_restored=restored.set,
                                         on_reader_lost=lost_readers.append, on_reader_added=on_added,
                                         on_inserted=lambda n, a: reinserted.set()),
                        wait_ms=300, backoff_initial=0.05, backoff_max=0.2)
    with mon:
        assert both_added.wait(10)
        pcsc_stack.stop()
        assert lost.wait(10)
        assert set(pcsc_stack.readers) <= set(lost_readers)
        with pytest.raises(E.ServiceLost):
            pcsc.list_readers()
        pcsc_stack.start()
        assert restored.wait(10)
        vcard = pcsc_stack.insert(VirtualMyNumberCard(person))
        try:
            assert reinserted.wait(10)
        finally:
            pcsc_stack.remove(vcard)


def test_unknown_reader_and_empty_reader(pcsc_stack):
    with pytest.raises(E.ReaderLost) as ei:
        pcsc.PcscCardReader("Madoguchi No Such Reader 00 00").run(lambda c: c.pin_tries_left())
    assert ei.value.hresult == E.SCARD_E_UNKNOWN_READER and "カードリーダー" in ei.value.message_ja
    with pytest.raises(E.NoCard) as ei:
        pcsc.PcscCardReader(pcsc_stack.readers[1]).run(lambda c: c.pin_tries_left())
    assert ei.value.message_ja == "カードが置かれていません。カードを置いてください。"


def test_signature_chain_through_pcsc(pcsc_stack, insert_card, person):
    """DF33 and the EF 00 04 certificate read through the real stack and verified against the
    pinned (test) issuer (forgeries: tests/drivers/test_signature.py)."""
    from drivers.card.signature import virtual_issuer

    insert_card(VirtualMyNumberCard(person, signed=True))
    reader = pcsc.PcscCardReader(pcsc_stack.readers[0])
    res = reader.run(lambda c: c.read_text_ap(person.pin, pinned_keys=virtual_issuer()))
    assert res.signature.verified and res.basic_info.digests_verified


def test_recovery_after_a_pcscd_restart_within_two_seconds(pcsc_stack):
    """Issue #4: with the shipped monitor settings, the service is found again ≤ 2 s after pcscd
    is back (measured from the moment its socket answers)."""
    import time

    lost, restored = threading.Event(), threading.Event()
    up = threading.Event()
    mon = ReaderMonitor(MonitorCallbacks(on_service_lost=lost.set,
                                         on_service_restored=restored.set,
                                         on_reader_added=lambda _n: up.set()))
    with mon:
        assert up.wait(10)
        pcsc_stack.stop()
        assert lost.wait(10)
        pcsc_stack.start()  # returns when pcscd's socket is served
        back = time.monotonic()
        assert restored.wait(10)
        assert time.monotonic() - back <= 2.0
