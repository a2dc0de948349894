"""The client-release update repository (TUF metadata), for the release manager (#9).

    python -m tools.release_repo init --repo REPO --keys KEYS [--expires-days 365]
    python -m tools.release_repo add --repo REPO --keys KEYS --file madoguchi_0.2.0_amd64.deb \\
        --version 0.2.0 --platform linux-deb [--expires-days 30]
    python -m tools.release_repo timestamp --repo REPO --keys KEYS [--expires-days 7]

REPO gets ``metadata/`` (``1.root.json``, ``targets.json``, ``snapshot.json``, ``timestamp.json``)
and ``targets/`` (the release files); serve it over HTTPS or copy it to a file share. KEYS holds one
Ed25519 PEM per role (root, targets, snapshot, timestamp): in production the root and targets keys
live offline (an HSM or an air-gapped machine) and only the timestamp key is online. The terminal
trusts ``1.root.json`` (installed with the client and pinned by SHA-256 in the signed terminal
configuration) and verifies everything else from it: app/updates.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import (Metadata, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp)
from tuf.api.serialization.json import JSONSerializer

ROLES = ("root", "targets", "snapshot", "timestamp")
PRETTY = JSONSerializer(compact=False)


def _utc_in(days: float) -> dt.datetime:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).replace(microsecond=0)


def _signer(keys: Path, role: str) -> CryptoSigner:
    private = serialization.load_pem_private_key((keys / f"{role}.pem").read_bytes(), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    return CryptoSigner(private, SSlibKey.from_crypto(private.public_key()))


def _write(repo: Path, name: str, md: Metadata) -> None:
    md.to_file(str(repo / "metadata" / name), serializer=PRETTY)


def _load(repo: Path, role: str) -> Metadata:
    return Metadata.from_file(str(repo / "metadata" / f"{role}.json"))


def init(repo: Path, keys: Path, *, expires_days: float = 365) -> Path:
    """New keys and version-1 metadata with no release in it; returns the path of 1.root.json."""
    keys.mkdir(parents=True, exist_ok=True)
    (repo / "metadata").mkdir(parents=True, exist_ok=True)
    (repo / "targets").mkdir(parents=True, exist_ok=True)
    signers = {}
    for role in ROLES:
        private = Ed25519PrivateKey.generate()
        (keys / f"{role}.pem").write_bytes(private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        (keys / f"{role}.pem").chmod(0o600)
        signers[role] = CryptoSigner(private, SSlibKey.from_crypto(private.public_key()))
    root = Metadata(Root(expires=_utc_in(expires_days), consistent_snapshot=False))
    for role in ROLES:
        root.signed.add_key(signers[role].public_key, role)
    root.sign(signers["root"])
    _write(repo, "1.root.json", root)
    targets = Metadata(Targets(expires=_utc_in(expires_days)))
    targets.sign(signers["targets"])
    _write(repo, "targets.json", targets)
    _snapshot_and_timestamp(repo, keys, expires_days=min(expires_days, 7), new=True)
    return repo / "metadata" / "1.root.json"


def _snapshot_and_timestamp(repo: Path, keys: Path, *, expires_days: float, new: bool = False) -> None:
    targets = _load(repo, "targets")
    if new:
        snapshot = Metadata(Snapshot(expires=_utc_in(expires_days)))
    else:
        snapshot = _load(repo, "snapshot")
        snapshot.signed.version += 1
        snapshot.signed.expires = _utc_in(expires_days)
    snapshot.signed.meta["targets.json"] = MetaFile(version=targets.signed.version)
    snapshot.signatures.clear()
    snapshot.sign(_signer(keys, "snapshot"))
    _write(repo, "snapshot.json", snapshot)
    bump_timestamp(repo, keys, expires_days=expires_days, new=new)


def bump_timestamp(repo: Path, keys: Path, *, expires_days: float = 1, new: bool = False) -> None:
    """A fresh timestamp (the online role, re-signed often so that a frozen mirror is noticed)."""
    snapshot_version = _load(repo, "snapshot").signed.version
    if new:
        timestamp = Metadata(Timestamp(expires=_utc_in(expires_days)))
    else:
        timestamp = _load(repo, "timestamp")
        timestamp.signed.version += 1
        timestamp.signed.expires = _utc_in(expires_days)
    timestamp.signed.snapshot_meta = MetaFile(version=snapshot_version)
    timestamp.signatures.clear()
    timestamp.sign(_signer(keys, "timestamp"))
    _write(repo, "timestamp.json", timestamp)


def add_release(repo: Path, keys: Path, file: Path, *, version: str, platform: str,
                expires_days: float = 30) -> str:
    """Publish ``file`` as a release; returns its target name."""
    name = file.name
    shutil.copyfile(file, repo / "targets" / name)
    target = TargetFile.from_file(name, str(repo / "targets" / name), ["sha256"])
    target.unrecognized_fields["custom"] = {"version": version, "platform": platform}
    targets = _load(repo, "targets")
    targets.signed.targets[name] = target
    targets.signed.version += 1
    targets.signed.expires = _utc_in(max(expires_days, 1))
    targets.signatures.clear()
    targets.sign(_signer(keys, "targets"))
    _write(repo, "targets.json", targets)
    _snapshot_and_timestamp(repo, keys, expires_days=min(expires_days, 7))
    return name


def root_sha256(repo: Path) -> str:
    return hashlib.sha256((repo / "metadata" / "1.root.json").read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.release_repo", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("init", "add", "timestamp"):
        s = sub.add_parser(name)
        s.add_argument("--repo", type=Path, required=True)
        s.add_argument("--keys", type=Path, required=True)
        s.add_argument("--expires-days", type=float, default={"init": 365, "add": 30, "timestamp": 1}[name])
        if name == "add":
            s.add_argument("--file", type=Path, required=True)
            s.add_argument("--version", required=True)
            s.add_argument("--platform", required=True, choices=("linux-deb", "windows-msi"))
    args = p.parse_args(argv)
    if args.cmd == "init":
        root = init(args.repo, args.keys, expires_days=args.expires_days)
        print(f"repository initialised; trusted root {root} sha256 {root_sha256(args.repo)}")
    elif args.cmd == "add":
        name = add_release(args.repo, args.keys, args.file, version=args.version, platform=args.platform,
                           expires_days=args.expires_days)
        print(f"published {name} ({args.version}, {args.platform})")
    else:
        bump_timestamp(args.repo, args.keys, expires_days=args.expires_days)
        print("timestamp re-signed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
