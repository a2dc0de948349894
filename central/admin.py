"""Administrative operations used by the CLI, the demo bootstrap and tests.

Each runs in the caller's transaction and is audited with the acting administrator (or "cli").
"""
from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import audit, clock
from .models import Device, Operator, OperatorSession, RightGrant, utcnow
from .rights import ALL_RIGHTS, fiscal_year_end, period_error
from .security import hash_password


def create_operator(db: Session, login_id: str, display_name: str, password: str, *,
                    contractor: bool = False, employment_until: dt.date | None = None,
                    section: str | None = None, actor: str = "cli") -> Operator:
    op = Operator(login_id=login_id, display_name=display_name,
                  password_hash=hash_password(password), is_contractor=contractor,
                  employment_until=employment_until, section=section)
    db.add(op)
    db.flush()
    audit.append(db, action="operators.create", outcome="ok", operator=actor, device=None,
                 subject=f"operator:{login_id}",
                 detail={"contractor": contractor, "section": section})
    return op


def grant(db: Session, login_id: str, right: str, *, valid_from: dt.date | None = None,
          valid_until: dt.date | None = None, actor: str = "cli") -> RightGrant:
    """初期設定 (initial provisioning) by whoever runs the CLI or the demo set-up on the server:
    a grant outside the API's application workflow (AUTHZ-4), recorded with ``origin``
    "provisioning" and ``actor``, so that the rights list shows where every grant came from.
    Through the API a right is granted only on an application (right_applications.py)."""
    if right not in ALL_RIGHTS:
        raise ValueError(f"unknown right {right!r}; one of {', '.join(ALL_RIGHTS)}")
    op = db.scalar(select(Operator).where(Operator.login_id == login_id))
    if op is None:
        raise ValueError(f"no operator {login_id!r}")
    valid_from = valid_from or clock.today()
    valid_until = valid_until or min(fiscal_year_end(valid_from),
                                     op.employment_until or dt.date.max)
    why = period_error(valid_from, valid_until, op.employment_until)
    if why:
        raise ValueError(why)
    g = RightGrant(operator=op, right=right, valid_from=valid_from, valid_until=valid_until,
                   granted_by=actor, origin="provisioning")
    db.add(g)
    db.flush()
    audit.append(db, action="rights.grant", outcome="ok", operator=actor, device=None,
                 subject=f"operator:{login_id}",
                 detail={"right": right, "grant_id": g.id, "origin": "provisioning"})
    return g


def register_device(db: Session, device_id: str, name: str, kind: str, public_key: bytes, *,
                    actor: str = "cli", loan_approved_by: str | None = None,
                    loan_approval_ref: str | None = None) -> Device:
    if kind not in ("counter", "loan"):
        raise ValueError("kind must be counter or loan")
    if kind == "loan" and not loan_approved_by:
        raise ValueError("a loan device needs its 所属長 approval (DEV-4)")
    Ed25519PublicKey.from_public_bytes(public_key)  # must be a valid key
    d = Device(device_id=device_id, name=name, kind=kind, public_key=public_key,
               registered_by=actor, loan_approved_by=loan_approved_by,
               loan_approval_ref=loan_approval_ref,
               loan_approved_at=utcnow() if loan_approved_by else None)
    db.add(d)
    db.flush()
    audit.append(db, action="devices.register", outcome="ok", operator=actor, device=None,
                 subject=f"device:{device_id}", detail={"kind": kind})
    return d


def public_key_from_pem(pem: bytes) -> bytes:
    """Raw 32-byte Ed25519 public key from a PEM public or private key."""
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        key = serialization.load_pem_private_key(pem, password=None).public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def new_device_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())


def disable_device(db: Session, device_id: str, reason: str, *, by: str | None,
                   by_device: str | None = None) -> Device:
    """Remote disable (DEV-3): ends the device's open sessions; its next contact answers
    device_disabled. Audited. ``ValueError`` for an unknown device."""
    d = db.scalar(select(Device).where(Device.device_id == device_id))
    if d is None:
        raise ValueError(f"no device {device_id}")
    d.status, d.disabled_at, d.disabled_reason = "disabled", utcnow(), reason
    db.execute(update(OperatorSession).where(OperatorSession.device_pk == d.id,
                                             OperatorSession.ended_at.is_(None))
               .values(ended_at=utcnow()))
    audit.append(db, action="devices.disable", outcome="ok", operator=by, device=by_device,
                 subject=f"device:{device_id}", detail={"reason": reason})
    return d
