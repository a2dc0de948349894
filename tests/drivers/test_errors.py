import re

import pytest

from drivers.card import errors as E

JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _check_messages(exc: E.CardError):
    assert JA.search(exc.message_ja), exc.message_ja
    assert exc.message_en and not JA.search(exc.message_en)
    assert exc.code in str(exc)


@pytest.mark.parametrize("sw", sorted(E.SW_TABLE))
def test_every_table_sw_maps_to_its_class(sw):
    exc = E.error_for_sw(sw)
    cls, ja, en = E.SW_TABLE[sw]
    assert type(exc) is cls and exc.sw == sw
    assert exc.message_ja == ja and exc.message_en == en
    _check_messages(exc)


def test_specific_classes():
    assert isinstance(E.error_for_sw(0x6984), E.PinLocked)
    assert isinstance(E.error_for_sw(0x6983), E.PinLocked)
    assert isinstance(E.error_for_sw(0x6982), E.NotVerified)
    assert isinstance(E.error_for_sw(0x6A82), E.FileNotFound)
    assert isinstance(E.error_for_sw(0x6A82, selecting_application=True), E.NotMyNumberCard)


@pytest.mark.parametrize("tries", range(1, 16))
def test_wrong_pin_family(tries):
    exc = E.error_for_sw(0x63C0 | tries)
    assert isinstance(exc, E.WrongPin) and exc.tries_left == tries
    assert f"残り{tries}回" in exc.message_ja and f"{tries} tries" in exc.message_en
    _check_messages(exc)


def test_63c0_is_just_locked():
    exc = E.error_for_sw(0x63C0)
    assert isinstance(exc, E.PinLocked) and exc.just_locked
    assert exc.message_ja != E.PinLocked.message_ja
    _check_messages(exc)


def test_wrong_le_and_unknown():
    exc = E.error_for_sw(0x6C10)
    assert isinstance(exc, E.WrongLe) and exc.available == 0x10
    _check_messages(exc)
    unknown = E.error_for_sw(0x6F00)
    assert isinstance(unknown, E.UnexpectedStatus) and "6F00" in unknown.message_ja
    _check_messages(unknown)


@pytest.mark.parametrize("hresult", sorted(E.PCSC_TABLE))
def test_every_pcsc_error_maps(hresult):
    exc = E.error_for_hresult(hresult)
    assert type(exc) is E.PCSC_TABLE[hresult] and exc.hresult == hresult
    _check_messages(exc)


def test_pcsc_groups():
    assert isinstance(E.error_for_hresult(E.SCARD_W_REMOVED_CARD), E.CardRemoved)
    assert isinstance(E.error_for_hresult(E.SCARD_W_RESET_CARD), E.CardRemoved)
    assert isinstance(E.error_for_hresult(E.SCARD_E_NO_SERVICE), E.ServiceLost)
    assert isinstance(E.error_for_hresult(E.SCARD_E_SERVICE_STOPPED), E.ServiceLost)
    assert isinstance(E.error_for_hresult(E.SCARD_E_UNKNOWN_READER), E.ReaderLost)
    assert isinstance(E.error_for_hresult(E.SCARD_E_NO_READERS_AVAILABLE), E.ReaderLost)
    assert isinstance(E.error_for_hresult(E.SCARD_W_REMOVED_CARD - 2**32), E.CardRemoved)   # signed form accepted
    other = E.error_for_hresult(0x80100099)
    assert type(other) is E.TransportError and "0x80100099" in other.message_en


def test_distinct_messages_per_class():
    classes = {cls for cls, _, _ in E.SW_TABLE.values()} | set(E.PCSC_TABLE.values())
    messages = {cls.message_ja for cls in classes}
    assert len(messages) == len(classes)
