"""Test-side request signer built on the server's own canonical message (the client's signer in
app/device_key.py is checked against the server separately, in tests/e2e)."""
from __future__ import annotations

import base64
import time

import httpx

from central.security import canonical_message


class TestSigner(httpx.Auth):
    __test__ = False
    requires_request_body = True

    def __init__(self, device_id, key, clock=time.time):
        self.device_id, self.key, self.clock = device_id, key, clock

    def auth_flow(self, request: httpx.Request):
        ts = str(int(self.clock()))
        msg = canonical_message(request.method, request.url.path,
                                request.url.query.decode("ascii"), ts, request.content)
        request.headers["X-Device-Id"] = self.device_id
        request.headers["X-Device-Timestamp"] = ts
        request.headers["X-Device-Signature"] = base64.b64encode(self.key.sign(msg)).decode()
        yield request


def signed_client(app, signer: httpx.Auth | None, base_url: str = "http://central.test"):
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url=base_url)
    if signer is not None:
        client.auth = signer
    return client
