"""Fuzz/property tests (issue #4): the BER-TLV parser and the protocol's response handling never raise
anything but the card module's own clean errors (CardError, which carries Japanese and English),
whatever bytes and status words come back."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.card import tlv
from drivers.card.errors import CardError, MalformedData
from drivers.card.protocol import MyNumberCard
from drivers.card.signature import PinnedKeys, verify


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=600))
def test_tlv_parser_raises_only_malformed_data(buf):
    try:
        items = tlv.parse(buf)
    except MalformedData:
        return
    assert sum(len(i.value) + i.header_len for i in items) == len(buf)  # nothing skipped


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.binary(max_size=400))
def test_signature_check_never_raises(ef03, ef04):
    result = verify(ef03, ef04, PinnedKeys({}))
    assert not result.verified


SW = st.one_of(st.sampled_from([0x9000, 0x6282, 0x6982, 0x6984, 0x6A82, 0x63C1, 0x63C0, 0x6700,
                                 0x6B00, 0x6D00, 0x6E00, 0x6A86, 0x6986]),
               st.integers(0, 0xFFFF))


class ScriptedTransport:
    """Answers every APDU with the next (data, sw) drawn by hypothesis."""

    def __init__(self, answers):
        self.answers = list(answers)

    def transmit(self, apdu):
        if not self.answers:
            return b"", 0x6F00
        return self.answers.pop(0)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.binary(max_size=300), SW), max_size=20),
       st.sampled_from(["tries", "read", "read_number", "cert", "code_b"]))
def test_protocol_raises_only_card_errors(answers, operation):
    card = MyNumberCard(ScriptedTransport(answers))
    try:
        if operation == "tries":
            card.pin_tries_left()
        elif operation == "read":
            card.read_text_ap("1234", confirm_last_try=True)
        elif operation == "read_number":
            card.read_text_ap("1234", include_my_number=True, confirm_last_try=True,
                              pinned_keys=PinnedKeys({}))
        elif operation == "cert":
            card.read_auth_certificate()
        else:
            card.read_basic_info_with_code_b("850401", 2033, "5678", confirm_last_try=True)
    except CardError as exc:
        assert exc.message_ja and exc.message_en
