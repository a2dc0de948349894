"""Who is calling: the device (signed request) and the operator (session token).

Device identity — choice: a **signed device key** rather than mTLS. Each terminal holds an Ed25519
private key generated on the device at enrolment; the central API stores only the public key. Every
request carries ``X-Device-Id``, ``X-Device-Timestamp``, ``X-Device-Nonce`` and
``X-Device-Signature``, the signature over these nine lines joined by ``\\n``::

    MADOGUCHI-DEVICE-V2
    <METHOD>
    <decoded path>
    <raw query>
    <timestamp>
    <nonce>
    <Idempotency-Key header, empty if none>
    <sha256(Authorization header) hex, empty if none>
    <sha256(body) hex>

The signature covers every header the server acts on (#21 class 5): a captured request cannot be
sent again under a new Idempotency-Key (a second certificate) or with another session's token.
A signature is accepted once: its nonce is recorded per device (``device_nonces``, in the
database, so shared by every worker) for the clock window, and a second request with the same
nonce is ``401 device_signature_replayed``. V1 signatures (without nonce and headers) are refused.

Why: it works end to end through TLS-terminating proxies and load balancers of a government cloud
(mTLS needs the client certificate forwarded by every hop), binds the body to the device, and is tested
here without a TLS stack. TLS still protects the channel in production; the timestamp window bounds
the time a nonce must be remembered. A disabled device gets a distinct
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
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, and_, bindparam, select, text
from sqlalchemy.orm import Session

from .db import rows as fetch_rows
from .models import Device, Operator, OperatorSession, RightGrant, utcnow
from .problems import problem

SIGNATURE_PREFIX = "MADOGUCHI-DEVICE-V2"
NONCE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
NONCE_MIN, NONCE_MAX = 16, 64  # characters of the base64url alphabet
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


def canonical_message(method: str, path: str, query: str, timestamp: str, body: bytes, *,
                      nonce: str, idempotency_key: str = "", authorization: str = "") -> bytes:
    """The bytes a device signs for one request (the module's docstring has the lines)."""
    auth = hashlib.sha256(authorization.encode("latin-1")).hexdigest() if authorization else ""
    return "\n".join([SIGNATURE_PREFIX, method.upper(), path, query, timestamp, nonce,
                      idempotency_key, auth, hashlib.sha256(body).hexdigest()]).encode("utf-8")


@lru_cache(maxsize=4096)
def _public_key(raw: bytes) -> Ed25519PublicKey:
    """The parsed key for these raw bytes. Keyed by the bytes read from the database on this very
    request, so a re-keyed device is checked against its new key and nothing about a device's
    standing (status, existence) is ever cached."""
    return Ed25519PublicKey.from_public_bytes(raw)


@dataclass(frozen=True)
class Signed:
    """The signature headers of one request and the other headers it covers."""

    device_id: str
    timestamp: str
    nonce: str
    signature: str
    idempotency_key: str
    authorization: str


def _device_headers(headers) -> Signed:
    device_id = headers.get("x-device-id")
    ts = headers.get("x-device-timestamp")
    sig = headers.get("x-device-signature")
    if not device_id or not ts or not sig:
        raise problem("device_auth_required", "X-Device-Id, X-Device-Timestamp, X-Device-Nonce "
                      "and X-Device-Signature are required", "端末の署名ヘッダーがありません")
    nonce = headers.get("x-device-nonce")
    if nonce is None:
        raise problem("device_signature_outdated", f"Requests must be signed with "
                      f"{SIGNATURE_PREFIX}, which needs an X-Device-Nonce header",
                      "端末の署名形式が古いため受け付けられません。端末ソフトウェアを更新してください")
    if not NONCE_MIN <= len(nonce) <= NONCE_MAX or not set(nonce) <= NONCE_CHARS:
        raise problem("device_auth_required", f"X-Device-Nonce must be {NONCE_MIN} to "
                      f"{NONCE_MAX} characters of the base64url alphabet",
                      "端末の署名ヘッダーの形式が正しくありません")
    return Signed(device_id, ts, nonce, sig, headers.get("idempotency-key") or "",
                  headers.get("authorization") or "")


def _check_device(found: bool, public_key: bytes | None, status: str | None, signed: Signed,
                  method: str, path: str, query: str, body: bytes, skew_seconds: int,
                  now: float | None) -> None:
    """Registered, signature, clock, then standing: in that order, for every request (DEV-3/6).
    The nonce is recorded afterwards (``consume_nonce``), once every check has passed."""
    if not found:
        raise problem("device_unknown", "This device is not registered",
                      "この端末は登録されていません。情報システム担当に連絡してください")
    try:
        signature = base64.b64decode(signed.signature, validate=True)
        _public_key(bytes(public_key)).verify(signature, canonical_message(
            method, path, query, signed.timestamp, body, nonce=signed.nonce,
            idempotency_key=signed.idempotency_key, authorization=signed.authorization))
    except (InvalidSignature, ValueError):
        raise problem("device_signature_invalid", "The request signature does not verify",
                      "端末の署名を確認できません") from None
    try:
        skew = abs((now if now is not None else time.time()) - int(signed.timestamp))
    except ValueError:
        skew = float("inf")
    if skew > skew_seconds:
        raise problem("device_clock_skew", f"Device clock differs by more than {skew_seconds} s",
                      "端末の時刻がずれています。時刻設定を確認してください")
    if status != "active":
        raise problem("device_disabled", "This device has been disabled",
                      "この端末は利用停止されています。データは消去されます")


# --- the replay cache (#21 class 5) -------------------------------------------------------------
# One row per accepted signature: (device, nonce), kept while the signed timestamp is inside the
# clock window. ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike): a second insert of the same
# nonce, concurrent or later, inserts nothing, and the request is refused. On PostgreSQL a
# concurrent second insert waits for the first's transaction: it is refused if that commits and
# accepted if it rolls back (the first request then had no effect).
NONCE_INSERT = ("INSERT INTO device_nonces (device_pk, nonce, signed_at) "
                "VALUES (:device_pk, :nonce, :signed_at) ON CONFLICT DO NOTHING")
NONCE_INSERT_PG = ("INSERT INTO device_nonces (device_pk, nonce, signed_at) "
                   "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING")
NONCE_PURGE = "DELETE FROM device_nonces WHERE signed_at < :before"
NONCE_PURGE_PG = "DELETE FROM device_nonces WHERE signed_at < %s"
PURGE_EVERY = 60.0  # seconds between purges of expired nonces, per process
_last_purge = [0.0]


def replayed() -> Exception:
    return problem("device_signature_replayed", "This signed request has already been received",
                   "同じ署名の要求がすでに受け付けられています。もう一度操作してください")


def nonce_params(v: "Verified") -> dict[str, Any]:
    return {"device_pk": v.device_pk, "nonce": v.nonce, "signed_at": v.signed_at}


def purge_due(peek: bool = False) -> float | None:
    """Now, when this process's purge of expired nonces is due (and, unless ``peek``, taken)."""
    now = time.time()
    if now - _last_purge[0] < PURGE_EVERY:
        return None
    if not peek:
        _last_purge[0] = now
    return now


def consume_nonce(conn: Connection, v: "Verified") -> None:
    """Record ``v``'s nonce in ``conn``'s transaction, or refuse a signature seen before."""
    if conn.execute(text(NONCE_INSERT), nonce_params(v)).rowcount != 1:
        raise replayed()


def purge_nonces(conn: Connection, now: float, skew_seconds: int) -> None:
    """Forget the nonces whose signed time has left the clock window: a request signed then is
    refused as skewed before its nonce is looked at."""
    conn.execute(text(NONCE_PURGE), {"before": int(now) - skew_seconds - 1})


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


@dataclass(frozen=True)
class Verified:
    """What one request proved: its device and, when asked for, its operator and rights today."""

    device_pk: int
    device_id: str
    device_kind: str
    operator_id: int | None = None
    login_id: str | None = None
    rights: dict[str, dt.date] | None = None
    nonce: str = ""  # the signature's nonce, recorded by ``consume_nonce``
    signed_at: int = 0  # its signed timestamp


_DEVICE_ONLY = select(Device.id, Device.device_id, Device.kind, Device.status,
                      Device.public_key).where(Device.device_id == bindparam("device_id"))

# Device, session (by token hash, whichever device opened it), operator and the grants valid today,
# in one statement: one row per valid grant (or one row with NULL grant columns). Every check is
# then made on this request's rows, exactly as the separate look-ups made them (AUTHZ-6, DEV-3).
_DEVICE_SESSION_RIGHTS = (
    select(Device.id, Device.device_id, Device.kind, Device.status, Device.public_key,
           OperatorSession.id.label("session_pk"), OperatorSession.device_pk.label("session_device"),
           OperatorSession.expires_at, OperatorSession.ended_at, OperatorSession.factors_done,
           OperatorSession.factors_required, Operator.id.label("operator_pk"), Operator.login_id,
           Operator.status.label("operator_status"), Operator.employment_until,
           RightGrant.right, RightGrant.valid_until)
    .select_from(Device)
    .outerjoin(OperatorSession, OperatorSession.token_hash == bindparam("token_hash"))
    .outerjoin(Operator, Operator.id == OperatorSession.operator_id)
    .outerjoin(RightGrant, and_(RightGrant.operator_id == Operator.id,
                                RightGrant.revoked_at.is_(None),
                                RightGrant.valid_from <= bindparam("today"),
                                RightGrant.valid_until >= bindparam("today")))
    .where(Device.device_id == bindparam("device_id"))
)


@dataclass(frozen=True)
class AuthQuery:
    """The one statement that authenticates a request, from its headers (``auth_query``)."""

    signed: Signed
    bearer: bool
    statement: Any
    params: dict[str, Any]


def auth_query(headers, *, need_session: bool, today: dt.date) -> AuthQuery:
    """What to read for this request: the device alone, or (with a bearer token) the device,
    session, operator and grants valid today in one statement. Missing device headers are refused
    here, before any read."""
    signed = _device_headers(headers)
    device_id = signed.device_id
    authorization = signed.authorization if need_session else None
    bearer = bool(authorization) and authorization.lower().startswith("bearer ")
    if not bearer:
        return AuthQuery(signed, False, _DEVICE_ONLY, {"device_id": device_id})
    return AuthQuery(signed, True, _DEVICE_SESSION_RIGHTS, {
        "device_id": device_id, "token_hash": token_hash(authorization[7:].strip()),
        "today": today})


def auth_verdict(q: AuthQuery, rows: list[Any], method: str, path: str, query: str, body: bytes,
                 skew_seconds: int, *, need_session: bool, today: dt.date,
                 now: float | None = None) -> Verified:
    """The checks on the rows ``q.statement`` returned: the device's (``_check_device``), then the
    session's, then the rights valid today (as ``effective_rights`` computes them)."""
    first = rows[0] if rows else None
    _check_device(first is not None, first.public_key if first else None,
                  first.status if first else None, q.signed, method, path, query, body,
                  skew_seconds, now)
    once = {"nonce": q.signed.nonce, "signed_at": int(q.signed.timestamp)}
    if not q.bearer:
        if need_session:
            raise problem("session_required", "Bearer token required", "ログインしてください")
        return Verified(first.id, first.device_id, first.kind, **once)
    if first.session_pk is None or first.ended_at is not None or first.expires_at <= utcnow():
        raise problem("session_invalid", "Session is invalid or has expired",
                      "ログインの有効期限が切れました。もう一度ログインしてください")
    if first.session_device != first.id:
        raise problem("session_wrong_device", "The session was opened on another device",
                      "このセッションは別の端末で開始されました")
    if set(first.factors_required) - set(first.factors_done):
        raise problem("session_invalid", "Authentication is not complete",
                      "本人認証が完了していません")
    rights: dict[str, dt.date] = {}
    if first.operator_status == "active" and (first.employment_until is None
                                              or today <= first.employment_until):
        for r in rows:
            if r.right is not None:
                rights[r.right] = max(r.valid_until, rights.get(r.right, r.valid_until))
    return Verified(first.id, first.device_id, first.kind, first.operator_pk, first.login_id,
                    rights, **once)


def authenticate(conn: Connection, headers, method: str, path: str, query: str, body: bytes,
                 skew_seconds: int, *, need_session: bool, today: dt.date,
                 now: float | None = None) -> Verified:
    """The device (and with ``need_session`` the operator's session and rights) of one request.

    ``auth_verdict``'s checks on one query's rows: nothing is cached between
    requests, so a disabled device, an ended session or a revoked grant is refused on the very next
    request (DEV-3, AUTHZ-6). The lookup's asyncio path (aio.py) runs the same ``auth_query`` and
    ``auth_verdict`` around its own read.
    """
    q = auth_query(headers, need_session=need_session, today=today)
    return auth_verdict(q, fetch_rows(conn, q.statement, q.params), method, path, query, body,
                        skew_seconds, need_session=need_session, today=today, now=now)
