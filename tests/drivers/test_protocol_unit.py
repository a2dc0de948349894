"""Protocol over an in-memory transport wired to the virtual card's APDU handler."""
from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from drivers.card import errors as E
from drivers.card.protocol import MyNumberCard, parse_basic_info
from drivers.card.virtual import Person, VirtualMyNumberCard, build_basic_info_ef, make_my_number
from drivers.card.memory import MemoryTransport

SELECT_EF = bytes.fromhex("00A4020C")


def card_and_vc(person=None, **kw):
    vc = VirtualMyNumberCard(person or Person(), **kw)
    return MyNumberCard(MemoryTransport(vc)), vc


def test_happy_path_reads_and_verifies(person):
    card, vc = card_and_vc(person)
    assert card.pin_tries_left() == 3
    res = card.read_text_ap(person.pin, include_my_number=True)
    bi = res.basic_info
    assert (bi.name, bi.address, bi.birth_date, bi.sex) == (person.name, person.address, person.birth_date, "1")
    assert bi.sex_label_ja == "男" and bi.digests_verified
    assert res.my_number.my_number == person.my_number
    assert res.my_number.check_digit_ok and res.my_number.digest_verified
    assert vc.verify_attempts == 1


def test_basic_info_read_never_touches_my_number_ef(person):
    vc = VirtualMyNumberCard(person)
    seen: list[bytes] = []
    orig = vc.handle
    vc.handle = lambda apdu: (seen.append(apdu), orig(apdu))[1]
    info = MyNumberCard(MemoryTransport(vc)).read_basic_info(person.pin)
    assert info.name == person.name
    assert not any(a.startswith(SELECT_EF) and a[5:7] == b"\x00\x01" for a in seen)
    assert any(a.startswith(SELECT_EF) and a[5:7] == b"\x00\x02" for a in seen)


def test_pin_status_does_not_consume_tries(person):
    card, vc = card_and_vc(person, tries=2)
    for _ in range(5):
        assert card.pin_tries_left() == 2
    assert vc.tries == 2 and vc.verify_attempts == 0


def test_wrong_pin_counts_down_then_locks_and_never_retries(person):
    card, vc = card_and_vc(person)
    for expected in (2, 1):
        with pytest.raises(E.WrongPin) as ei:
            card.read_basic_info("0000")
        assert ei.value.tries_left == expected
        assert vc.verify_attempts == 3 - expected      # exactly one VERIFY per call
        assert card.pin_tries_left() == expected
    # last try: nothing is sent until staff confirm
    with pytest.raises(E.LastTryNeedsConfirmation) as ei:
        card.read_basic_info("0000")
    assert "残り回数が1回" in ei.value.message_ja
    assert vc.verify_attempts == 2 and vc.tries == 1
    with pytest.raises(E.PinLocked) as ei:
        card.read_basic_info("0000", confirm_last_try=True)
    assert ei.value.just_locked and ei.value.sw == 0x63C0
    assert vc.verify_attempts == 3
    with pytest.raises(E.PinLocked) as ei:
        card.pin_tries_left()
    assert ei.value.sw == 0x6984 and not ei.value.just_locked
    assert card.pin_status().locked
    with pytest.raises(E.PinLocked):          # even the right PIN is refused now ...
        card.read_basic_info(person.pin, confirm_last_try=True)
    assert vc.verify_attempts == 3            # ... without sending a VERIFY to a locked PIN
    assert vc.handle(bytes.fromhex("00A4020C020011")) == b"\x90\x00"
    assert vc.handle(bytes.fromhex("00200080043132333435"[:18])) == b"\x69\x84"   # the card itself refuses too


def test_last_try_with_confirmation_and_right_pin_resets(person):
    card, vc = card_and_vc(person, tries=1)
    with pytest.raises(E.LastTryNeedsConfirmation):
        card.read_basic_info(person.pin)
    assert vc.verify_attempts == 0
    assert card.read_basic_info(person.pin, confirm_last_try=True).name == person.name
    assert card.pin_tries_left() == 3


def test_correct_pin_resets_counter(person):
    card, vc = card_and_vc(person)
    with pytest.raises(E.WrongPin):
        card.read_basic_info("9999")
    assert card.pin_tries_left() == 2
    card.read_basic_info(person.pin)
    assert card.pin_tries_left() == 3


def test_locked_card(person):
    card, vc = card_and_vc(person, tries=0)
    with pytest.raises(E.PinLocked) as ei:
        card.pin_tries_left()
    assert ei.value.sw == 0x6984
    with pytest.raises(E.PinLocked):
        card.read_basic_info(person.pin, confirm_last_try=True)
    assert vc.verify_attempts == 0


def test_code_b_when_digests_need_the_pin(person):
    card, _ = card_and_vc(person, code_b_opens_digests=False)
    info = card.read_basic_info_with_code_b(f"{person.birth_date:%y%m%d}", person.card_expiry.year,
                                            person.security_code)
    assert info.name == person.name and info.digests_verified is False
    assert card.read_basic_info(person.pin).digests_verified is True


def test_read_before_verify_is_refused(person):
    card, _ = card_and_vc(person)
    card.select_application(b"\xd3\x92\x10\x00\x31\x00\x01\x01\x04\x08")
    with pytest.raises(E.NotVerified) as ei:
        card.read_tlv_ef(0x0002)
    assert ei.value.sw == 0x6982


def test_not_a_my_number_card(person):
    card, _ = card_and_vc(person, my_number_card=False)
    assert card.is_my_number_card() is False
    with pytest.raises(E.NotMyNumberCard):
        card.pin_tries_left()
    with pytest.raises(E.NotMyNumberCard):
        card.read_auth_certificate()


def test_digest_corruption_detected(person):
    card, _ = card_and_vc(person, corrupt_digest=True)
    with pytest.raises(E.IntegrityError):
        card.read_text_ap(person.pin, include_my_number=True)


def test_my_number_digest_checked(person):
    card, vc = card_and_vc(person)
    vc.ef01 = vc.ef01[:-2] + b"\x00\x00"      # padding changed after the digest was made
    with pytest.raises(E.IntegrityError):
        card.read_text_ap(person.pin, include_my_number=True)
    assert card.read_basic_info(person.pin).digests_verified   # 4情報 alone still verifies


@pytest.mark.parametrize("fail_after", [1, 3, 5, 7, 9, 12])
def test_transport_error_mid_read_discards_everything(person, fail_after):
    vc = VirtualMyNumberCard(person)
    card = MyNumberCard(MemoryTransport(vc, fail_after=fail_after))
    result = None
    with pytest.raises(E.CardRemoved):
        result = card.read_text_ap(person.pin, include_my_number=True)
    assert result is None


@pytest.mark.parametrize("address_chars,length_prefix", [(10, None), (40, 0x81), (120, 0x82)])
def test_long_form_lengths(address_chars, length_prefix):
    p = Person(address="架空県さくら市" + "桜" * address_chars)
    ef = build_basic_info_ef(p)
    if length_prefix:
        assert ef[2] == length_prefix
    else:
        assert ef[2] < 0x80
    fields, digest_input = parse_basic_info(ef)
    # the DF21 offsets point at DF22..DF25 from the start of the EF
    offsets = [int.from_bytes(fields[0xDF21][i:i + 2], "big") for i in range(0, 8, 2)]
    assert [ef[o:o + 2] for o in offsets] == [b"\xdf\x22", b"\xdf\x23", b"\xdf\x24", b"\xdf\x25"]
    assert digest_input == ef[offsets[0]:]
    card, _ = card_and_vc(p)
    assert card.read_basic_info(p.pin).address == p.address


def test_code_b_reads_basic_info_without_pin(person):
    card, vc = card_and_vc(person)
    info = card.read_basic_info_with_code_b(f"{person.birth_date:%y%m%d}", person.card_expiry.year,
                                            person.security_code)
    assert info.name == person.name and info.digests_verified
    assert vc.tries == 3                       # the resident's PIN counter is untouched
    # 照合番号B never opens the My Number
    with pytest.raises(E.NotVerified):
        card.select_ef(0x0001)
        card.read_binary(0, 17)


def test_code_b_wrong_costs_a_code_b_try(person):
    card, vc = card_and_vc(person, code_b_tries=5)
    with pytest.raises(E.WrongPin) as ei:
        card.read_basic_info_with_code_b("000101", 2030, "0000")
    assert ei.value.tries_left == 4 and card.code_b_status().tries_left == 4
    assert vc.verify_attempts == 1
    with pytest.raises(ValueError):
        card.read_basic_info_with_code_b("0001", 2030, "0000")
    assert vc.verify_attempts == 1             # bad input never reaches the card


def test_pin_format_checked_before_card():
    card, vc = card_and_vc()
    with pytest.raises(ValueError):
        card.read_basic_info("12345")
    assert vc.commands == []


def test_auth_certificate_expiry():
    p = Person(card_expiry=dt.date(2031, 7, 15))
    card, vc = card_and_vc(p)
    cert = card.read_auth_certificate()
    assert cert.not_after.date() == dt.date(2031, 7, 15)
    assert cert.der == vc.cert
    assert not cert.expired(dt.datetime(2031, 7, 15, 0, 0, tzinfo=dt.timezone.utc))
    assert cert.expired(dt.datetime(2031, 7, 16, tzinfo=dt.timezone.utc))
    assert cert.days_left(dt.datetime(2031, 7, 5, tzinfo=dt.timezone.utc)) == 10
    assert vc.verify_attempts == 0
    assert card.read_jpki_token() == "JPKIAPICCTOKEN2"


def test_reprs_are_masked(person):
    card, _ = card_and_vc(person)
    res = card.read_text_ap(person.pin, include_my_number=True)
    texts = [repr(res), str(res), repr(res.basic_info), repr(res.my_number), repr(person), str(person)]
    secrets = [person.name, "架空", person.address, person.my_number, person.pin, "1985", person.security_code]
    for text in texts:
        for s in secrets:
            assert s not in text, (s, text)
    assert dataclasses.is_dataclass(res) and res.__dataclass_params__.frozen


def test_virtual_cards_carry_valid_my_numbers():
    """The check digit is japan.mynumber's (tests/unit/test_japan.py), the one the centre uses."""
    from japan import mynumber

    rng = random.Random(4)
    for _ in range(500):
        first11 = "".join(rng.choice("0123456789") for _ in range(11))
        assert mynumber.is_valid(make_my_number(first11))
    assert mynumber.is_valid(make_my_number("98765432109"))


def test_sex_and_birth_fields():
    p = Person(name="架空　花子", sex="2", birth_date=dt.date(2001, 12, 31))
    card, _ = card_and_vc(p)
    info = card.read_basic_info(p.pin)
    assert info.sex == "2" and info.sex_label_ja == "女" and info.birth_date == dt.date(2001, 12, 31)
