"""DF33 signature chain (issue #4 goal): the card key in EF 00 04 certified by a pinned issuer key,
DF33 over the DF31/DF32 TLVs made with the card key; anything else is reported, never trusted."""
from __future__ import annotations

import json

from cryptography.hazmat.primitives import serialization

from drivers.card import tlv
from drivers.card.memory import MemoryCardReader
from drivers.card.signature import PinnedKeys, TEST_AKI, virtual_issuer, verify
from drivers.card.virtual import Person, VirtualMyNumberCard


def read(card, pinned):
    return MemoryCardReader(card).run(lambda c: c.read_text_ap("1234", pinned_keys=pinned))


def test_a_signed_virtual_card_verifies_with_the_pinned_test_issuer():
    result = read(VirtualMyNumberCard(Person(), signed=True), virtual_issuer()).signature
    assert result.verified and result.reason == "ok" and result.test_key


def test_without_the_issuer_key_nothing_is_trusted():
    result = read(VirtualMyNumberCard(Person(), signed=True), PinnedKeys({})).signature
    assert not result.verified and result.reason == "no_pinned_key"


def test_a_forged_certificate_or_signature_is_refused():
    card = VirtualMyNumberCard(Person(), signed=True, tamper_signature=True)
    assert read(card, virtual_issuer()).signature.reason == "bad_certificate"
    card = VirtualMyNumberCard(Person(), signed=True)
    outer = tlv.parse_one(card.ef03)
    fields = [(c.tag, c.value) for c in tlv.parse(outer.value)]
    df33 = bytes([fields[2][1][0] ^ 1]) + fields[2][1][1:]
    forged = tlv.encode(0xFF30, b"".join(tlv.encode(t, v) for t, v in fields[:2]) + tlv.encode(0xDF33, df33))
    assert verify(forged, card.ef04, virtual_issuer()).reason == "bad_signature"


def test_missing_or_malformed_material_is_reported():
    unsigned = VirtualMyNumberCard(Person())
    assert read(unsigned, virtual_issuer()).signature.reason == "missing"
    card = VirtualMyNumberCard(Person(), signed=True)
    assert verify(card.ef03, b"\x7f\x21\x02\x01\x02", virtual_issuer()).reason == "malformed"
    assert read(unsigned, None).signature is None  # not asked: not checked


def test_pinned_keys_load_from_configuration(tmp_path):
    key = virtual_issuer().keys[TEST_AKI]
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    path = tmp_path / "card-keys.json"
    path.write_text(json.dumps({"keys": [{"aki_hex": TEST_AKI.hex(), "pem": pem.decode()}]}))
    pinned = PinnedKeys.load(path)
    result = read(VirtualMyNumberCard(Person(), signed=True), pinned).signature
    assert result.verified and not result.test_key  # configured keys are not marked test-only
