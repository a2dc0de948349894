"""Terminal provisioning for IT staff (#9): keys, the signed terminal configuration, checks.

    python -m tools.provision municipality-key --key municipality.key --pub municipality.pub
    python -m tools.provision device-key --device-id T-0001 --key /etc/madoguchi/device.pem --pub T-0001.pub
    python -m tools.provision sign-config --key municipality.key --out terminal.json \\
        --municipality 例市 --central-url https://central.example --device-id T-0001 --kind counter \\
        [--device-key-path /etc/madoguchi/device.pem] [--valid-days 400] \\
        [--pin card_issuer_keys_sha256=FILE] [--pin update_root_sha256=FILE]
    python -m tools.provision verify-config terminal.json --trust-key municipality.pub

``device-key`` runs on the terminal itself: the private key never leaves it; only the public PEM
goes to the administrator, who registers it with
``madoguchi-central register-device --device-id T-0001 --name … --kind counter --public-key T-0001.pub``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.device_key import DeviceKey
from app.provisioning import (KINDS, PIN_NAMES, ConfigError, load_config, make_config, sign_config,
                              write_config)


def _write_private(path: Path, pem: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise SystemExit(f"refusing to overwrite {path}")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)


def _public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def cmd_municipality_key(args: argparse.Namespace) -> int:
    key = Ed25519PrivateKey.generate()
    _write_private(args.key, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    args.pub.write_bytes(_public_pem(key))
    print(f"municipality signing key written to {args.key} (keep it offline); public key {args.pub}")
    return 0


def cmd_device_key(args: argparse.Namespace) -> int:
    key = DeviceKey.generate(args.device_id)
    _write_private(args.key, key.private_pem())
    args.pub.write_bytes(_public_pem(key.private_key))
    print(f"device key for {args.device_id} written to {args.key}; register {args.pub} with the central API")
    return 0


def cmd_sign_config(args: argparse.Namespace) -> int:
    key = serialization.load_pem_private_key(args.key.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        print("--key is not an Ed25519 private key", file=sys.stderr)
        return 2
    pins = {}
    for item in args.pin or ():
        name, _, file = item.partition("=")
        if name not in PIN_NAMES or not file:
            print(f"--pin {item!r}: use NAME=FILE with NAME among {', '.join(PIN_NAMES)}", file=sys.stderr)
            return 2
        pins[name] = hashlib.sha256(Path(file).read_bytes()).hexdigest()
    not_after = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=args.valid_days)
                 if args.valid_days else None)
    try:
        signed = make_config(municipality=args.municipality, central_url=args.central_url,
                             device_id=args.device_id, device_kind=args.kind,
                             device_key_path=args.device_key_path, not_after=not_after, pins=pins)
    except ValueError as exc:
        print(f"invalid configuration: {exc}", file=sys.stderr)
        return 2
    write_config(args.out, sign_config(signed, key))
    print(f"signed terminal configuration for {args.device_id} written to {args.out}")
    return 0


def cmd_verify_config(args: argparse.Namespace) -> int:
    try:
        cfg = load_config(args.config, args.trust_key)
    except ConfigError as exc:
        print(f"REFUSED ({exc.code})\n{exc.message_ja}\n{exc.message_en}", file=sys.stderr)
        return 1
    print(f"OK: {cfg.device_id} ({cfg.device_kind}) → {cfg.central_url}, signed by {cfg.keyid[:16]}…, "
          f"pins: {', '.join(sorted(cfg.pins)) or 'none'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools.provision", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("municipality-key", help="make the municipality's config-signing key pair")
    s.add_argument("--key", type=Path, required=True)
    s.add_argument("--pub", type=Path, required=True)
    s.set_defaults(fn=cmd_municipality_key)
    s = sub.add_parser("device-key", help="on the terminal: make its device key (private key stays)")
    s.add_argument("--device-id", required=True)
    s.add_argument("--key", type=Path, required=True)
    s.add_argument("--pub", type=Path, required=True)
    s.set_defaults(fn=cmd_device_key)
    s = sub.add_parser("sign-config", help="write a signed terminal configuration")
    s.add_argument("--key", type=Path, required=True, help="the municipality's private key (PEM)")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--municipality", required=True)
    s.add_argument("--central-url", required=True)
    s.add_argument("--device-id", required=True)
    s.add_argument("--kind", choices=KINDS, required=True)
    s.add_argument("--device-key-path", default=None)
    s.add_argument("--valid-days", type=int, default=0, help="not_after = now + N days (0: no end)")
    s.add_argument("--pin", action="append", help="NAME=FILE: pin the SHA-256 of FILE")
    s.set_defaults(fn=cmd_sign_config)
    s = sub.add_parser("verify-config", help="check a configuration as the client will")
    s.add_argument("config", type=Path)
    s.add_argument("--trust-key", type=Path, required=True)
    s.set_defaults(fn=cmd_verify_config)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.fn(args))


if __name__ == "__main__":
    sys.exit(main())
