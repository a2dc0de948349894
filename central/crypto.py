"""Encryption at rest of the My Number (個人番号) and its blind index (AUTHZ-2).

One 256-bit master key comes from configuration (``MADOGUCHI_DATA_KEY``, base64). Two sub-keys are
derived from it with HKDF: one for AES-GCM encryption, one for the HMAC-SHA256 blind index that lets
an exact search find a record without decrypting every row. Only callers holding
特定個人情報アクセス権限 ever receive the decrypted value (see register.py).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE = 12
_AAD = b"madoguchi:my_number:v1"


def _derive(master: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)


def parse_master_key(text: str) -> bytes:
    """Decode a base64 master key; exactly 32 bytes or ValueError."""
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise ValueError("MADOGUCHI_DATA_KEY is not valid base64") from exc
    if len(key) != 32:
        raise ValueError("MADOGUCHI_DATA_KEY must decode to 32 bytes (256 bits)")
    return key


def new_master_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@dataclass(frozen=True)
class MyNumberCipher:
    """AES-GCM for the stored value, HMAC for the lookup index."""

    enc_key: bytes
    index_key: bytes

    @classmethod
    def from_master(cls, master: bytes) -> "MyNumberCipher":
        return cls(_derive(master, b"my_number-aes-gcm"), _derive(master, b"my_number-index"))

    def encrypt(self, my_number: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + AESGCM(self.enc_key).encrypt(nonce, my_number.encode("ascii"), _AAD)

    def decrypt(self, blob: bytes) -> str:
        return AESGCM(self.enc_key).decrypt(blob[:_NONCE], blob[_NONCE:], _AAD).decode("ascii")

    def index(self, my_number: str) -> str:
        return hmac.new(self.index_key, my_number.encode("ascii"), hashlib.sha256).hexdigest()
