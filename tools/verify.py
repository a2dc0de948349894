"""Verify installers before deploying them (#9). Exit 0 = verified; 1 = refused, with the reason.

    python -m tools.verify apt-repo REPO --keyring madoguchi-archive-keyring.gpg [--suite stable]
    python -m tools.verify deb FILE.deb --repo REPO --keyring madoguchi-archive-keyring.gpg
    python -m tools.verify msi FILE.msi --ca ca.pem

``apt-repo``: the suite must have an ``InRelease`` whose OpenPGP signature ``gpgv`` accepts with the
given keyring (an unsigned repository, or one signed by any other key, is refused); the index files
it lists must have the listed size and SHA-256; every package in ``Packages`` must have the listed
size and SHA-256. Only the text that gpgv verified is read, never the file around it.
``deb``: the repository as above, and this .deb must be one of its packages, byte for byte.
``msi``: ``osslsigncode verify`` against the given CA (Authenticode signature and its chain).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path


class Refused(Exception):
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _stanzas(text: str) -> Iterator[dict[str, str]]:
    """Deb822 paragraphs (continuation lines joined with newlines)."""
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        last = None
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and last:
                fields[last] += "\n" + line.strip()
            elif ":" in line:
                last, _, value = line.partition(":")
                fields[last] = value.strip()
        if fields:
            yield fields


def verified_release(suite_dir: Path, keyring: Path) -> str:
    inrelease = suite_dir / "InRelease"
    if not inrelease.is_file():
        raise Refused(f"unsigned repository: {inrelease} is missing")
    if not keyring.is_file():
        raise Refused(f"keyring {keyring} is missing")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "Release"
        proc = subprocess.run(["gpgv", "--keyring", str(keyring.resolve()), "--output", str(out),
                               str(inrelease)], capture_output=True, text=True)
        if proc.returncode != 0 or not out.is_file():
            reason = " ".join(line for line in proc.stderr.splitlines() if "gpgv:" in line)[-400:]
            raise Refused(f"InRelease signature not valid for {keyring.name}: {reason or proc.returncode}")
        return out.read_text(encoding="utf-8")


def verify_apt_repo(repo: Path, keyring: Path, suite: str = "stable") -> list[tuple[str, Path]]:
    """Returns [(sha256, path)] of the verified packages."""
    suite_dir = repo / "dists" / suite
    release = next(_stanzas(verified_release(suite_dir, keyring)), {})
    listed = release.get("SHA256", "")
    if not listed:
        raise Refused("InRelease lists no SHA256 index hashes")
    packages_files = []
    for line in listed.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        digest, size, name = parts
        path = suite_dir / name
        if not path.exists():
            continue  # apt-ftparchive also lists index names it did not write
        if path.stat().st_size != int(size) or _sha256(path) != digest:
            raise Refused(f"{name} does not match the signed Release (size or SHA-256)")
        if name.endswith("/Packages"):
            packages_files.append(path)
    if not packages_files:
        raise Refused("no Packages index is covered by the signed Release")
    verified = []
    for index in packages_files:
        for pkg in _stanzas(index.read_text(encoding="utf-8")):
            deb = repo / pkg["Filename"]
            if not deb.is_file():
                raise Refused(f"{pkg['Filename']} listed in {index.name} is missing")
            if deb.stat().st_size != int(pkg["Size"]) or _sha256(deb) != pkg["SHA256"]:
                raise Refused(f"{pkg['Filename']} does not match its signed size and SHA-256 (tampered)")
            verified.append((pkg["SHA256"], deb))
    if not verified:
        raise Refused("the repository holds no packages")
    return verified


def verify_deb(deb: Path, repo: Path, keyring: Path, suite: str = "stable") -> Path:
    digest = _sha256(deb)
    for sha, path in verify_apt_repo(repo, keyring, suite):
        if sha == digest:
            return path
    raise Refused(f"{deb.name} is not a package of the signed repository (tampered or foreign)")


def verify_msi(msi: Path, ca: Path) -> str:
    if not msi.is_file():
        raise Refused(f"{msi} is missing")
    proc = subprocess.run(["osslsigncode", "verify", "-CAfile", str(ca), "-in", str(msi)],
                          capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    if proc.returncode != 0 or "Signature verification: ok" not in text:
        lines = [ln for ln in text.splitlines() if "fail" in ln.lower() or "error" in ln.lower()]
        raise Refused(f"Authenticode verification failed: {'; '.join(lines[:3]) or proc.returncode}")
    return "Authenticode signature and chain ok"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.verify", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("apt-repo")
    s.add_argument("repo", type=Path)
    s.add_argument("--keyring", type=Path, required=True)
    s.add_argument("--suite", default="stable")
    s = sub.add_parser("deb")
    s.add_argument("deb", type=Path)
    s.add_argument("--repo", type=Path, required=True)
    s.add_argument("--keyring", type=Path, required=True)
    s.add_argument("--suite", default="stable")
    s = sub.add_parser("msi")
    s.add_argument("msi", type=Path)
    s.add_argument("--ca", type=Path, required=True)
    args = p.parse_args(argv)
    try:
        if args.cmd == "apt-repo":
            pkgs = verify_apt_repo(args.repo, args.keyring, args.suite)
            print(f"VERIFIED: {args.repo} (InRelease signature ok, {len(pkgs)} package(s) match)")
        elif args.cmd == "deb":
            verify_deb(args.deb, args.repo, args.keyring, args.suite)
            print(f"VERIFIED: {args.deb.name} is in the signed repository")
        else:
            print(f"VERIFIED: {args.msi.name}: {verify_msi(args.msi, args.ca)}")
    except Refused as exc:
        print(f"REFUSED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
