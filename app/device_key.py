"""Device identity: the terminal's signing key (端末鍵・端末署名).

Every request a counter terminal (窓口端末) sends to the central API is signed
with the terminal's Ed25519 key. The server verifies exactly this scheme:

Headers::

    X-Device-Id: <device id>
    X-Device-Timestamp: <integer unix seconds>
    X-Device-Signature: <standard base64 of the Ed25519 signature>

Signed message: the UTF-8 encoding of these six lines joined by ``"\\n"``
(no trailing newline)::

    MADOGUCHI-DEVICE-V1
    <HTTP method, upper case>
    <percent-decoded URL path, as httpx's request.url.path>
    <raw query string without '?', empty if none>
    <timestamp, the same string as the header>
    <lowercase hex SHA-256 of the request body bytes (of b"" if no body)>
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

SCHEME = "MADOGUCHI-DEVICE-V1"
HEADER_DEVICE_ID = "X-Device-Id"
HEADER_TIMESTAMP = "X-Device-Timestamp"
HEADER_SIGNATURE = "X-Device-Signature"


def canonical_message(
    method: str,
    path: str,
    query: str,
    timestamp: int | str,
    body: bytes | None,
) -> bytes:
    """Build the exact bytes that are signed for one request (署名対象メッセージ).

    ``path`` is the percent-decoded path, ``query`` the raw query string
    without the leading ``?`` (empty string if none) and ``timestamp`` the
    same string that is sent in ``X-Device-Timestamp``.
    """
    body_hash = hashlib.sha256(body or b"").hexdigest()
    lines = [SCHEME, method.upper(), path, query, str(timestamp), body_hash]
    return "\n".join(lines).encode("utf-8")


@dataclass(frozen=True)
class DeviceKey:
    """The terminal's identity (端末ID and 端末秘密鍵)."""

    device_id: str
    private_key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def load(cls, path: str | os.PathLike[str], device_id: str) -> DeviceKey:
        """Load an unencrypted PKCS#8 PEM Ed25519 private key from ``path``."""
        data = Path(path).read_bytes()
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        return cls(device_id=device_id, private_key=key)

    @classmethod
    def generate(cls, device_id: str) -> DeviceKey:
        """Create a new random key (used for provisioning and tests)."""
        return cls(device_id=device_id, private_key=Ed25519PrivateKey.generate())

    def private_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM (the format ``load`` reads)."""
        return self.private_key.private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )

    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def public_key_raw(self) -> bytes:
        """The 32-byte raw Ed25519 public key (registered with the server)."""
        return self.public_key().public_bytes(
            encoding=serialization.Encoding.Raw,
            format=serialization.PublicFormat.Raw,
        )

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def sign_headers(
    key: DeviceKey,
    method: str,
    path: str,
    query: str,
    body: bytes | None,
    timestamp: int,
) -> dict[str, str]:
    """The three device headers for one request."""
    message = canonical_message(method, path, query, timestamp, body)
    signature = base64.b64encode(key.sign(message)).decode("ascii")
    return {
        HEADER_DEVICE_ID: key.device_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: signature,
    }


class DeviceSigner(httpx.Auth):
    """httpx authentication that signs every request with the device key (端末署名)."""

    requires_request_body = True

    def __init__(self, key: DeviceKey, clock: Callable[[], float] = time.time) -> None:
        self.key = key
        self._clock = clock

    @property
    def device_id(self) -> str:
        return self.key.device_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        body = request.read()
        headers = sign_headers(
            self.key,
            method=request.method,
            path=request.url.path,
            query=request.url.query.decode("ascii"),
            body=body,
            timestamp=int(self._clock()),
        )
        request.headers.update(headers)
        yield request
