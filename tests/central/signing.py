"""Test-side request signer built on the server's own canonical message (the client's signer in
app/device_key.py is checked against the server separately, in tests/e2e)."""
from __future__ import annotations

import base64
import secrets
import time

import httpx

from central.security import canonical_message


class TestSigner(httpx.Auth):
    __test__ = False
    requires_request_body = True

    def __init__(self, device_id, key, clock=time.time):
        self.device_id, self.key, self.clock = device_id, key, clock

    def auth_flow(self, request: httpx.Request):
        sign_request(request, self.device_id, self.key, self.clock())
        yield request


def sign_request(request: httpx.Request, device_id: str, key, now: float,
                 nonce: str | None = None) -> None:
    """Set the X-Device-* headers of ``request`` (MADOGUCHI-DEVICE-V2, a fresh nonce unless one is
    given), over the Idempotency-Key and Authorization headers it already has."""
    ts, nonce = str(int(now)), nonce or secrets.token_urlsafe(16)
    msg = canonical_message(request.method, request.url.path, request.url.query.decode("ascii"),
                            ts, request.content, nonce=nonce,
                            idempotency_key=request.headers.get("Idempotency-Key", ""),
                            authorization=request.headers.get("Authorization", ""))
    request.headers["X-Device-Id"] = device_id
    request.headers["X-Device-Timestamp"] = ts
    request.headers["X-Device-Nonce"] = nonce
    request.headers["X-Device-Signature"] = base64.b64encode(key.sign(msg)).decode()


def signed_client(app, signer: httpx.Auth | None, base_url: str = "http://central.test"):
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url=base_url)
    if signer is not None:
        client.auth = signer
    return client
