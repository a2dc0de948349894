"""Device identity: the terminal's signing key (端末鍵・端末署名).

Every request a counter terminal (窓口端末) sends to the central API is signed
with the terminal's Ed25519 key. The server verifies exactly this scheme:

Headers::

    X-Device-Id: <device id>
    X-Device-Timestamp: <integer unix seconds>
    X-Device-Nonce: <16-64 characters of the base64url alphabet, new for every send>
    X-Device-Signature: <standard base64 of the Ed25519 signature>

Signed message: the UTF-8 encoding of these nine lines joined by ``"\\n"``
(no trailing newline)::

    MADOGUCHI-DEVICE-V2
    <HTTP method, upper case>
    <percent-decoded URL path, as httpx's request.url.path>
    <raw query string without '?', empty if none>
    <timestamp, the same string as the header>
    <nonce, the same string as the header>
    <Idempotency-Key header as sent, empty if none>
    <lowercase hex SHA-256 of the Authorization header as sent, empty if none>
    <lowercase hex SHA-256 of the request body bytes (of b"" if no body)>

The signature covers the headers the server acts on, and the server accepts a nonce once: a
captured request cannot be sent again, with or without a new Idempotency-Key (#21 class 5). Each
send is signed anew, so a retry of a stored command (same body, same Idempotency-Key) carries a
fresh nonce and is answered by the server's idempotency record.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
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

SCHEME = "MADOGUCHI-DEVICE-V2"
HEADER_DEVICE_ID = "X-Device-Id"
HEADER_TIMESTAMP = "X-Device-Timestamp"
HEADER_NONCE = "X-Device-Nonce"
HEADER_SIGNATURE = "X-Device-Signature"


def new_nonce() -> str:
    """A fresh nonce for one send (128 random bits, 22 base64url characters)."""
    return secrets.token_urlsafe(16)


def canonical_message(
    method: str,
    path: str,
    query: str,
    timestamp: int | str,
    body: bytes | None,
    *,
    nonce: str,
    idempotency_key: str = "",
    authorization: str = "",
) -> bytes:
    """Build the exact bytes that are signed for one request (署名対象メッセージ).

    ``path`` is the percent-decoded path, ``query`` the raw query string
    without the leading ``?`` (empty string if none), ``timestamp`` and ``nonce``
    the same strings that are sent in their headers, ``idempotency_key`` and
    ``authorization`` the headers' values as sent (empty if none).
    """
    body_hash = hashlib.sha256(body or b"").hexdigest()
    auth_hash = hashlib.sha256(authorization.encode("latin-1")).hexdigest() if authorization else ""
    lines = [SCHEME, method.upper(), path, query, str(timestamp), nonce, idempotency_key,
             auth_hash, body_hash]
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
    *,
    nonce: str | None = None,
    idempotency_key: str = "",
    authorization: str = "",
) -> dict[str, str]:
    """The four device headers for one request (a fresh nonce unless one is given)."""
    nonce = nonce or new_nonce()
    message = canonical_message(method, path, query, timestamp, body, nonce=nonce,
                                idempotency_key=idempotency_key, authorization=authorization)
    signature = base64.b64encode(key.sign(message)).decode("ascii")
    return {
        HEADER_DEVICE_ID: key.device_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature,
    }


class DeviceSigner(httpx.Auth):
    """httpx authentication that signs every request with the device key (端末署名): each send
    anew, with a fresh timestamp and nonce, after every other header is set."""

    requires_request_body = True
    requires_response_body = True  # to tell a replay refusal (a small problem body) from others

    def __init__(self, key: DeviceKey, clock: Callable[[], float] = time.time) -> None:
        self.key = key
        self._clock = clock

    @property
    def device_id(self) -> str:
        return self.key.device_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        body = request.read()
        for _attempt in range(1 + self.REPLAY_RESENDS):
            request.headers.update(sign_headers(
                self.key,
                method=request.method,
                path=request.url.path,
                query=request.url.query.decode("ascii"),
                body=body,
                timestamp=int(self._clock()),
                idempotency_key=request.headers.get("Idempotency-Key", ""),
                authorization=request.headers.get("Authorization", ""),
            ))
            response = yield request
            if not is_replay_refusal(response):
                return
            # The network delivered a copy of this request before (a duplicate whose first
            # answer was lost): its effect, if any, is the server's idempotency record's. Sent
            # again, signed anew, the same Idempotency-Key gets that stored answer.

    REPLAY_RESENDS = 2


def is_replay_refusal(response: httpx.Response) -> bool:
    """True for the server's ``401 device_signature_replayed`` problem: this very signed request
    reached the server before (a network duplicate). Not an answer about the command: send it
    again, signed anew."""
    return response.status_code == 401 and b'"device_signature_replayed"' in response.content
