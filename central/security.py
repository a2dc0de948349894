"""Who is calling: the device (signed request) and the operator (session token).

Device identity — choice: a **signed device key** rather than mTLS. Each terminal holds an Ed25519
private key generated on the device at enrolment; the central API stores only the public key. Every
request carries ``X-Device-Id``, ``X-Device-Timestamp`` and ``X-Device-Signature`` over::

    MADOGUCHI-DEVICE-V1\\n<METHOD>\\n<decoded path>\\n<raw query>\\n<timestamp>\\n<sha256(body) hex>

Why: it works end to end through TLS-terminating proxies and load balancers of a government cloud
(mTLS needs the client certificate forwarded by every hop), binds the body to the device, and is tested
here without a TLS stack. TLS still protects the channel in production; the timestamp window bounds
replay of a captured request, and commands are idempotent anyway. A disabled device gets a distinct
``device_disabled`` (403) on its next contact (remote disable, DEV-3).

Operator sessions: a random bearer token, stored only as SHA-256, bound to the device that logged in.
Passwords are hashed with argon2id (memory-hard).
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .models import Device, Operator, OperatorSession, RightGrant, utcnow
from .problems import problem

SIGNATURE_PREFIX = "MADOGUCHI-DEVICE-V1"
_hasher = PasswordHasher()  # argon2id, 64 MiB, t=3


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# A constant hash to spend the same time on unknown login IDs as on wrong passwords.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def burn_password_time(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


def canonical_message(method: str, path: str, query: str, timestamp: str, body: bytes) -> bytes:
    return "\n".join([SIGNATURE_PREFIX, method.upper(), path, query, timestamp,
                      hashlib.sha256(body).hexdigest()]).encode()


def verify_device(db: Session, headers, method: str, path: str, query: str, body: bytes,
                  skew_seconds: int, now: float | None = None) -> Device:
    device_id = headers.get("x-device-id")
    ts = headers.get("x-device-timestamp")
    sig = headers.get("x-device-signature")
    if not device_id or not ts or not sig:
        raise problem("device_auth_required", "X-Device-Id, X-Device-Timestamp and "
                      "X-Device-Signature are required", "端末の署名ヘッダーがありません")
    device = db.scalar(select(Device).where(Device.device_id == device_id))
    if device is None:
        raise problem("device_unknown", "This device is not registered",
                      "この端末は登録されていません。情報システム担当に連絡してください")
    try:
        signature = base64.b64decode(sig, validate=True)
        Ed25519PublicKey.from_public_bytes(device.public_key).verify(
            signature, canonical_message(method, path, query, ts, body))
    except (InvalidSignature, ValueError):
        raise problem("device_signature_invalid", "The request signature does not verify",
                      "端末の署名を確認できません") from None
    try:
        skew = abs((now if now is not None else time.time()) - int(ts))
    except ValueError:
        skew = float("inf")
    if skew > skew_seconds:
        raise problem("device_clock_skew", f"Device clock differs by more than {skew_seconds} s",
                      "端末の時刻がずれています。時刻設定を確認してください")
    if device.status != "active":
        raise problem("device_disabled", "This device has been disabled",
                      "この端末は利用停止されています。データは消去されます")
    return device


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def effective_rights(db: Session, operator: Operator, today: dt.date) -> dict[str, dt.date]:
    """Rights valid today (right -> valid_until), computed from grants on every request."""
    if operator.status != "active":
        return {}
    if operator.employment_until is not None and today > operator.employment_until:
        return {}
    rows = db.scalars(select(RightGrant).where(
        RightGrant.operator_id == operator.id,
        RightGrant.revoked_at.is_(None),
        RightGrant.valid_from <= today,
        RightGrant.valid_until >= today,
    ))
    rights: dict[str, dt.date] = {}
    for g in rows:
        rights[g.right] = max(g.valid_until, rights.get(g.right, g.valid_until))
    return rights


@dataclass
class Caller:
    """The authenticated device and operator behind one request."""

    device: Device
    operator: Operator
    session: OperatorSession
    rights: dict[str, dt.date]

    @property
    def login_id(self) -> str:
        return self.operator.login_id


def resolve_session(db: Session, device: Device, authorization: str | None) -> OperatorSession:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise problem("session_required", "Bearer token required", "ログインしてください")
    sess = db.scalar(select(OperatorSession).options(joinedload(OperatorSession.operator)).where(
        OperatorSession.token_hash == token_hash(authorization[7:].strip())))  # one round trip
    if sess is None or sess.ended_at is not None or sess.expires_at <= utcnow():
        raise problem("session_invalid", "Session is invalid or has expired",
                      "ログインの有効期限が切れました。もう一度ログインしてください")
    if sess.device_pk != device.id:
        raise problem("session_wrong_device", "The session was opened on another device",
                      "このセッションは別の端末で開始されました")
    if set(sess.factors_required) - set(sess.factors_done):
        raise problem("session_invalid", "Authentication is not complete",
                      "本人認証が完了していません")
    return sess
