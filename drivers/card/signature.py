"""The 券面事項入力補助AP signature chain (EF 00 03 DF33, EF 00 04 card certificate).

Structure (../shared/docs/mynumber-card.md §1.5, [unverified] against a real card):
* EF 00 04 = ``7F 21 { 5F 4E <AKI 16 | SKI 16 | 90 e | 91 n>, 5F 37 <RSA signature 256> }`` — the
  card's text-AP public key, signed (RSASSA-PKCS1-v1_5, SHA-256 over the 5F 4E value) by an issuer
  key identified by the AKI;
* DF 33 = RSASSA-PKCS1-v1_5 / SHA-256 over ``EF03-value[:70]`` (the DF 31 and DF 32 TLVs), made
  with the card key.
``verify`` checks both against a **pinned** set of issuer keys (AKI → RSA public key): nothing is
fetched, nothing trusted from the card alone. ``TEST_ISSUER`` is a key the project generates for
its virtual card; it verifies only virtual cards and says so.

``make_signed_card_data`` builds EF 00 04 and DF 33 for the virtual card (tests, demo).
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import tlv
from .errors import MalformedData

TEST_AKI = b"MADOGUCHI-TEST01"  # 16 bytes: the project's own test issuer (virtual cards only)


@dataclass(frozen=True)
class PinnedKeys:
    """Issuer public keys by AKI, from configuration (never from the card)."""

    keys: dict[bytes, rsa.RSAPublicKey]
    test_only: frozenset[bytes] = frozenset()

    @classmethod
    def load(cls, path: str | Path) -> PinnedKeys:
        """A JSON file: ``{"keys": [{"aki_hex": "...", "pem": "-----BEGIN PUBLIC KEY-----..."}]}``."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        keys = {}
        for item in data.get("keys", []):
            key = serialization.load_pem_public_key(item["pem"].encode("ascii"))
            if not isinstance(key, rsa.RSAPublicKey):
                raise ValueError("pinned keys must be RSA public keys")
            keys[bytes.fromhex(item["aki_hex"])] = key
        return cls(keys)

    def merged(self, other: PinnedKeys) -> PinnedKeys:
        return PinnedKeys({**self.keys, **other.keys}, self.test_only | other.test_only)


@dataclass(frozen=True)
class SignatureResult:
    verified: bool
    reason: str  # ok / no_pinned_key / bad_certificate / bad_signature / malformed / missing
    test_key: bool = False  # verified with the project's test issuer (a virtual card)


def _rsa_verify(key: rsa.RSAPublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        return True
    except InvalidSignature:
        return False


def parse_card_certificate(ef04: bytes) -> tuple[bytes, bytes, rsa.RSAPublicKey, bytes]:
    """(AKI, signed bytes, card public key, issuer signature) from EF 00 04."""
    outer = tlv.parse_one(ef04)
    if outer.tag != 0x7F21:
        raise MalformedData(message_en=f"EF 00 04 starts with tag {outer.tag:X}, expected 7F21")
    parts = {c.tag: c.value for c in tlv.parse(outer.value)}
    body, sig = parts.get(0x5F4E), parts.get(0x5F37)
    if body is None or sig is None or len(body) < 32:
        raise MalformedData(message_en="EF 00 04 lacks 5F4E/5F37")
    aki = body[:16]
    key_parts = {c.tag: c.value for c in tlv.parse(body[32:])}
    try:
        e = int.from_bytes(key_parts[0x90], "big")
        n = int.from_bytes(key_parts[0x91], "big")
    except KeyError:
        raise MalformedData(message_en="card public key lacks e/n") from None
    return aki, body, rsa.RSAPublicNumbers(e, n).public_key(), sig


def verify(ef03: bytes, ef04: bytes | None, pinned: PinnedKeys) -> SignatureResult:
    """Verify DF33 with the card key, and the card key with a pinned issuer key."""
    if ef04 is None:
        return SignatureResult(False, "missing")
    try:
        outer = tlv.parse_one(ef03)
        fields = {c.tag: c.value for c in tlv.parse(outer.value)}
        df33 = fields.get(0xDF33)
        aki, body, card_key, cert_sig = parse_card_certificate(ef04)
    except (MalformedData, ValueError, IndexError):
        return SignatureResult(False, "malformed")
    if not df33:
        return SignatureResult(False, "missing")
    issuer = pinned.keys.get(aki)
    if issuer is None:
        return SignatureResult(False, "no_pinned_key")
    if not _rsa_verify(issuer, cert_sig, body):
        return SignatureResult(False, "bad_certificate")
    if not _rsa_verify(card_key, df33, outer.value[:70]):
        return SignatureResult(False, "bad_signature")
    return SignatureResult(True, "ok", test_key=aki in pinned.test_only)


# --- the project's test issuer and the virtual card's signed data --------------------------------


@functools.lru_cache(maxsize=1)
def _test_issuer_key() -> rsa.RSAPrivateKey:
    # Generated per process (never a fixed private key in the repository); verifies only data the
    # virtual card signed in the same process.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def virtual_issuer() -> PinnedKeys:
    """The pinned set that verifies virtual cards made in this process (marked test-only)."""
    return PinnedKeys({TEST_AKI: _test_issuer_key().public_key()}, frozenset({TEST_AKI}))


@functools.lru_cache(maxsize=1)
def _card_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_signed_card_data(d31: bytes, d32: bytes, *, tamper_certificate: bool = False) -> tuple[bytes, bytes]:
    """(EF 00 03, EF 00 04) for a virtual card: digests signed by a card key certified by the test issuer."""
    card = _card_key()
    numbers = card.public_key().public_numbers()
    pub = tlv.encode(0x90, numbers.e.to_bytes(3, "big")) + tlv.encode(0x91, numbers.n.to_bytes(256, "big"))
    body = TEST_AKI + hashlib.sha256(pub).digest()[:16] + pub
    cert_sig = _test_issuer_key().sign(body, padding.PKCS1v15(), hashes.SHA256())
    if tamper_certificate:
        cert_sig = bytes([cert_sig[0] ^ 1]) + cert_sig[1:]
    signed = tlv.encode(0xDF31, d31) + tlv.encode(0xDF32, d32)
    df33 = card.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    ef03 = tlv.encode(0xFF30, signed + tlv.encode(0xDF33, df33))
    ef04 = tlv.encode(0x7F21, tlv.encode(0x5F4E, body) + tlv.encode(0x5F37, cert_sig))
    return ef03, ef04
