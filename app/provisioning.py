"""Terminal provisioning: the municipality-signed terminal configuration (端末設定ファイル) (#9).

A production terminal takes its central URL, its device id and its policy pins from one JSON file
that the municipality's IT signs with its Ed25519 key (自治体署名鍵). The public half of that key is
installed on the terminal by IT beside the configuration (``municipality.pub``); the client refuses
to start when the file is missing, unsigned, signed by another key, modified after signing,
malformed, or past its ``not_after``. The demo mode needs none of this.

File format (UTF-8 JSON)::

    {"signed": { ...configuration... },
     "signatures": [{"keyid": "<sha256 hex of the raw public key>", "sig": "<base64 Ed25519>"}]}

The signature covers ``MADOGUCHI-TERMINAL-CONFIG-V1\\n`` followed by the canonical JSON of
``signed`` (keys sorted, no spaces, UTF-8). ``signed`` holds::

    format          "madoguchi-terminal-config/1"
    municipality    the issuing municipality (display only)
    central_url     https URL of the central API
    device_id       this terminal's 端末ID, registered with the central API
    device_kind     "counter" or "loan"
    device_key_path where the terminal's private key lives (optional)
    issued_at       ISO 8601 UTC; not_after (optional) ISO 8601 UTC
    pins            {"card_issuer_keys_sha256": hex, "update_root_sha256": hex} (each optional):
                     SHA-256 of files the client must find unchanged: the card-issuer key list
                     given with --card-keys, and the update repository's trusted TUF root.json
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "madoguchi-terminal-config/1"
DOMAIN = b"MADOGUCHI-TERMINAL-CONFIG-V1\n"
KINDS = ("counter", "loan")
PIN_NAMES = ("card_issuer_keys_sha256", "update_root_sha256")


def default_config_dir() -> Path:
    """Where IT installs the configuration: /etc/madoguchi, or %ProgramData%\\Madoguchi."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Madoguchi"
    return Path("/etc/madoguchi")


def default_config_path() -> Path:
    return Path(os.environ.get("MADOGUCHI_TERMINAL_CONFIG") or default_config_dir() / "terminal.json")


def default_trust_key_path() -> Path:
    return Path(os.environ.get("MADOGUCHI_CONFIG_TRUST_KEY") or default_config_dir() / "municipality.pub")


class ConfigError(RuntimeError):
    """The configuration cannot be trusted; ``message_ja`` / ``message_en`` are for the screen."""

    def __init__(self, code: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en


_CONTACT_JA = "情報主管課に連絡してください。"
_CONTACT_EN = "Contact the municipality's IT department."


def _error(code: str, ja: str, en: str) -> ConfigError:
    return ConfigError(code, f"{ja}{_CONTACT_JA}", f"{en} {_CONTACT_EN}")


@dataclass(frozen=True)
class TerminalConfig:
    municipality: str
    central_url: str
    device_id: str
    device_kind: str
    issued_at: str
    device_key_path: Path | None = None
    not_after: str | None = None
    pins: dict[str, str] = field(default_factory=dict)
    keyid: str = ""

    def check_pinned_file(self, pin: str, path: Path) -> None:
        """Refuse ``path`` unless its SHA-256 is the pinned one (no pin: anything goes)."""
        want = self.pins.get(pin)
        if not want:
            return
        try:
            got = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError as exc:
            raise _error("pin_missing_file", f"設定で固定されたファイル {path} を読めません。",
                         f"The file {path} pinned by the terminal configuration cannot be read ({exc}).") from None
        if got != want:
            raise _error("pin_mismatch", f"ファイル {path} が端末設定の固定値（{pin}）と一致しません。",
                         f"The file {path} does not match the terminal configuration's pin {pin}.")


def canonical(signed: dict[str, Any]) -> bytes:
    return DOMAIN + json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def keyid(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse_time(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("a time without a zone")
    return parsed


def make_config(*, municipality: str, central_url: str, device_id: str, device_kind: str,
                device_key_path: str | None = None, not_after: dt.datetime | None = None,
                pins: dict[str, str] | None = None, issued_at: dt.datetime | None = None) -> dict[str, Any]:
    """The ``signed`` part, validated as the client will validate it."""
    signed: dict[str, Any] = {
        "format": FORMAT,
        "municipality": municipality,
        "central_url": central_url,
        "device_id": device_id,
        "device_kind": device_kind,
        "issued_at": _iso(issued_at or _now()),
        "pins": dict(pins or {}),
    }
    if device_key_path:
        signed["device_key_path"] = device_key_path
    if not_after is not None:
        signed["not_after"] = _iso(not_after)
    _validate(signed)
    return signed


def sign_config(signed: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed envelope, ready for ``json.dump``."""
    _validate(signed)
    sig = key.sign(canonical(signed))
    return {"signed": signed,
            "signatures": [{"keyid": keyid(key.public_key()), "sig": base64.b64encode(sig).decode()}]}


def write_config(path: Path, envelope: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(envelope, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                          encoding="utf-8")


def load_trust_key(path: Path) -> Ed25519PublicKey:
    try:
        data = Path(path).read_bytes()
    except OSError:
        raise _error("trust_key_missing", f"自治体の署名検証鍵 {path} がありません。",
                     f"The municipality's verification key {path} is missing.") from None
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise _error("trust_key_invalid", f"自治体の署名検証鍵 {path} が Ed25519 公開鍵ではありません。",
                     f"The municipality's verification key {path} is not an Ed25519 public key.")
    return key


def _validate(signed: Any) -> None:
    if not isinstance(signed, dict):
        raise ValueError("'signed' is not an object")
    if signed.get("format") != FORMAT:
        raise ValueError(f"format is not {FORMAT}")
    for name in ("municipality", "central_url", "device_id", "device_kind", "issued_at"):
        if not isinstance(signed.get(name), str) or not signed[name]:
            raise ValueError(f"{name} is missing")
    if not signed["central_url"].startswith(("https://", "http://")):
        raise ValueError("central_url is not an http(s) URL")
    if signed["device_kind"] not in KINDS:
        raise ValueError(f"device_kind must be one of {KINDS}")
    pins = signed.get("pins", {})
    if not isinstance(pins, dict) or set(pins) - set(PIN_NAMES):
        raise ValueError(f"pins must be an object with keys among {PIN_NAMES}")
    for name, value in pins.items():
        if not (isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)):
            raise ValueError(f"pin {name} is not a lowercase SHA-256 hex digest")
    _parse_time(signed["issued_at"])
    if signed.get("not_after") is not None:
        _parse_time(signed["not_after"])


def load_config(path: Path, trust_key: Ed25519PublicKey | Path, *,
                now: dt.datetime | None = None) -> TerminalConfig:
    """Read and verify the terminal configuration; ``ConfigError`` says why it is refused."""
    path = Path(path)
    if not isinstance(trust_key, Ed25519PublicKey):
        trust_key = load_trust_key(Path(trust_key))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _error("missing", f"端末設定ファイル {path} がありません。本番モードでは署名済みの端末設定が必要です。",
                     f"The terminal configuration {path} is missing; production mode needs a signed one.") from None
    except OSError as exc:
        raise _error("unreadable", f"端末設定ファイル {path} を読めません。",
                     f"The terminal configuration {path} cannot be read ({exc.strerror}).") from None
    try:
        envelope = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _error("malformed", f"端末設定ファイル {path} の形式が正しくありません。",
                     f"The terminal configuration {path} is not valid JSON.") from None
    if not isinstance(envelope, dict) or "signed" not in envelope:
        raise _error("malformed", f"端末設定ファイル {path} の形式が正しくありません。",
                     f"The terminal configuration {path} has no 'signed' part.")
    signatures = envelope.get("signatures")
    if not signatures:
        raise _error("unsigned", f"端末設定ファイル {path} に署名がありません。",
                     f"The terminal configuration {path} is not signed.")
    want = keyid(trust_key)
    ours = [s for s in signatures if isinstance(s, dict) and s.get("keyid") == want]
    if not ours:
        raise _error("unknown_signer", f"端末設定ファイル {path} は、この自治体の鍵で署名されていません。",
                     f"The terminal configuration {path} is not signed by this municipality's key.")
    signed = envelope["signed"]
    try:
        message = canonical(signed) if isinstance(signed, dict) else b""
        trust_key.verify(base64.b64decode(ours[0].get("sig", ""), validate=True), message)
    except (InvalidSignature, binascii.Error, TypeError, ValueError):
        raise _error("bad_signature",
                     f"端末設定ファイル {path} の署名が一致しません。署名後に変更された可能性があります。",
                     f"The terminal configuration {path} fails its signature check: it was changed "
                     "after signing.") from None
    try:
        _validate(signed)
    except ValueError as exc:
        raise _error("malformed", f"端末設定ファイル {path} の内容が正しくありません（{exc}）。",
                     f"The terminal configuration {path} is invalid: {exc}.") from None
    if signed.get("not_after") and _parse_time(signed["not_after"]) < (now or _now()):
        raise _error("expired", f"端末設定ファイル {path} の有効期限（{signed['not_after']}）が切れています。",
                     f"The terminal configuration {path} expired at {signed['not_after']}.")
    return TerminalConfig(
        municipality=signed["municipality"], central_url=signed["central_url"],
        device_id=signed["device_id"], device_kind=signed["device_kind"],
        issued_at=signed["issued_at"], not_after=signed.get("not_after"),
        device_key_path=Path(signed["device_key_path"]) if signed.get("device_key_path") else None,
        pins=dict(signed.get("pins", {})), keyid=want)
