"""Central API settings, read from the environment (12-factor)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .crypto import parse_master_key


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_key: bytes  # 256-bit master key for My Number encryption (MADOGUCHI_DATA_KEY, base64)
    clock_skew_seconds: int = 120  # allowed device clock difference for request signatures
    idle_lock_minutes: int = 5  # 001 L475: the screen locks; the same operator re-authenticates
    lock_logout_minutes: int = 10  # a lock left this long ends the session (cache shredded)
    max_session_minutes: int = 480  # loan devices: 8 h (000 L3584)
    counter_session_minutes: int = 720
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    password_max_age_days: int = 183  # six months (001)
    # 覗き込み対策 (PRIV-1): frames with an onlooker before the shield, clean frames before it
    # clears, seconds without the operator before the screen locks, and whether a camera in doubt
    # (missing, covered, frozen) shields the screen.
    onlooker_k: int = 2
    onlooker_m: int = 25
    operator_absent_seconds: int = 60
    camera_fail_closed: bool = True
    # 顔認証 (AUTH-1/2): "required" — every operator needs an enrolled face (none: login refused);
    # "if_enrolled" — operators with a template verify their face, others log in with the password
    # (the demo and transition periods); "off" — password only. Failed face attempts in a row
    # before the account locks; distance threshold of the face matcher; minutes a password-only
    # session has to complete its pending factor.
    face_policy: str = "required"
    face_threshold: float = 0.5
    max_failed_biometrics: int = 5
    factor_minutes: int = 5
    # 監査ログの外部アンカー (LOG-1, #21): where signed checkpoints of the audit chain's head are
    # appended (a file outside the database, append-only, another owner), the server's Ed25519
    # key that signs them (PEM) and how often (seconds; one more at shutdown). Unset: the chain
    # is not anchored, which the server logs at start and audit-verify reports.
    audit_checkpoints: str | None = None
    audit_key_pem: bytes | None = field(default=None, repr=False)
    audit_checkpoint_seconds: float = 60.0
    # 世帯主変更 (counter-domain.md §2.3, japan/zokugara.py): the age from which a remaining member
    # counts as a possible 世帯主 — 15 as offices explain it (practice, unverified), a setting for
    # municipalities that differ.
    head_succession_age: int = 15

    @classmethod
    def from_env(cls) -> "Settings":
        url = os.environ.get("DATABASE_URL", "sqlite:///madoguchi-central.db")
        key = os.environ.get("MADOGUCHI_DATA_KEY")
        if not key:
            raise SystemExit("MADOGUCHI_DATA_KEY is not set (base64 of 32 random bytes); "
                             "create one with: madoguchi-central new-key")
        policy = os.environ.get("MADOGUCHI_FACE_POLICY", "required")
        if policy not in FACE_POLICIES:
            raise SystemExit(f"MADOGUCHI_FACE_POLICY must be one of {', '.join(FACE_POLICIES)}")
        checkpoints = os.environ.get("MADOGUCHI_AUDIT_CHECKPOINTS") or None
        key_file = os.environ.get("MADOGUCHI_AUDIT_KEY") or None
        if bool(checkpoints) != bool(key_file):
            raise SystemExit("MADOGUCHI_AUDIT_CHECKPOINTS and MADOGUCHI_AUDIT_KEY go together: the "
                             "checkpoint file and the PEM key that signs it "
                             "(madoguchi-central new-audit-key --out FILE makes one)")
        try:
            key_pem = Path(key_file).read_bytes() if key_file else None
        except OSError as exc:
            raise SystemExit(f"MADOGUCHI_AUDIT_KEY cannot be read: {exc.strerror}") from None
        try:
            interval = float(os.environ.get("MADOGUCHI_AUDIT_CHECKPOINT_SECONDS", "60"))
        except ValueError:
            raise SystemExit("MADOGUCHI_AUDIT_CHECKPOINT_SECONDS must be a number of seconds") from None
        try:
            head_age = int(os.environ.get("MADOGUCHI_HEAD_SUCCESSION_AGE", "15"))
        except ValueError:
            raise SystemExit("MADOGUCHI_HEAD_SUCCESSION_AGE must be a whole number of years") \
                from None
        if not 0 < head_age < 30:
            raise SystemExit("MADOGUCHI_HEAD_SUCCESSION_AGE must lie between 1 and 29")
        return cls(database_url=url, data_key=parse_master_key(key), face_policy=policy,
                   audit_checkpoints=checkpoints, audit_key_pem=key_pem,
                   audit_checkpoint_seconds=interval, head_succession_age=head_age)


FACE_POLICIES = ("required", "if_enrolled", "off")
