"""Packaging fixtures (#9): one Linux build per test session, signed with a key made here."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class GpgHome:
    home: Path
    fingerprint: str

    def env(self) -> dict[str, str]:
        return {**os.environ, "GNUPGHOME": str(self.home)}

    def export(self, out: Path) -> Path:
        out.write_bytes(subprocess.run(["gpg", "--batch", "--export", self.fingerprint], env=self.env(),
                                       check=True, capture_output=True).stdout)
        return out


def make_gpg_home(directory: Path, uid: str) -> GpgHome:
    directory.mkdir(mode=0o700, parents=True)
    env = {**os.environ, "GNUPGHOME": str(directory)}
    subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "1d"],
                   env=env, check=True, capture_output=True)
    out = subprocess.run(["gpg", "--batch", "--with-colons", "--list-secret-keys"], env=env, check=True,
                         capture_output=True, text=True).stdout
    fpr = next(line.split(":")[9] for line in out.splitlines() if line.startswith("fpr:"))
    return GpgHome(directory, fpr)


def kill_agent(home: GpgHome) -> None:
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=home.env(), capture_output=True)


@pytest.fixture(scope="session")
def gpg_homes(tmp_path_factory):
    base = tmp_path_factory.mktemp("gpg")
    archive = make_gpg_home(base / "archive", "Madoguchi Test Archive <archive@example.invalid>")
    stranger = make_gpg_home(base / "stranger", "Somebody Else <else@example.invalid>")
    yield archive, stranger
    kill_agent(archive)
    kill_agent(stranger)


@dataclass
class LinuxBuild:
    out: Path
    deb: Path
    repo: Path
    keyring: Path
    frozen: Path
    seconds: float
    log: str


@pytest.fixture(scope="session")
def linux_build(tmp_path_factory, gpg_homes) -> LinuxBuild:
    """packaging/build_linux.sh run once: frozen client, SBOM, .deb, signed apt repository."""
    archive, _ = gpg_homes
    out = tmp_path_factory.mktemp("linux-build")
    env = {**archive.env(), "MADOGUCHI_GPG_KEY": archive.fingerprint}
    started = time.monotonic()
    proc = subprocess.run(["bash", str(REPO / "packaging" / "build_linux.sh"), str(out), "0.1.0"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    debs = sorted(out.glob("madoguchi_0.1.0_*.deb"))
    assert len(debs) == 1, list(out.iterdir())
    return LinuxBuild(out, debs[0], out / "repo", out / "repo" / "madoguchi-archive-keyring.gpg",
                      out / "dist" / "madoguchi" / "madoguchi", seconds, proc.stdout)
