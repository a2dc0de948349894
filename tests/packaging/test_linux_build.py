"""The Linux build that IT deploys (#9): frozen client, .deb, signed apt repository, SBOM.

packaging/build_linux.sh runs once per session (conftest.linux_build, a few minutes); each test
then checks one property of its output, and each tampering check works on a copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tools.verify", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def test_the_frozen_client_passes_its_self_test(linux_build):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH")}
    result = subprocess.run([str(linux_build.frozen), "--self-test"], env=env, cwd=linux_build.out,
                            capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("madoguchi self-test (frozen,")
    assert result.stdout.splitlines()[-1] == "self-test OK (11 checks)"


def test_the_deb_installs_the_frozen_client_with_its_sbom(linux_build):
    info = subprocess.run(["dpkg-deb", "--field", str(linux_build.deb), "Package", "Version", "Depends"],
                          capture_output=True, text=True, check=True).stdout
    assert "Package: madoguchi" in info and "Version: 0.1.0" in info and "fonts-noto-cjk" in info
    files = subprocess.run(["dpkg-deb", "--contents", str(linux_build.deb)], capture_output=True, text=True,
                           check=True).stdout
    for path in ("./opt/madoguchi/madoguchi", "./usr/bin/madoguchi -> /opt/madoguchi/madoguchi",
                 "./usr/share/doc/madoguchi/sbom.cdx.json", "./usr/share/doc/madoguchi/licenses.md",
                 "./opt/madoguchi/_internal/resources/translations/madoguchi_en.qm"):
        assert path in files, path
    assert "root/root" in files and "/tests/" not in files and "/central/" not in files


def test_the_sbom_is_cyclonedx_and_lists_licences_of_what_ships(linux_build):
    bom = json.loads((linux_build.out / "sbom" / "sbom.cdx.json").read_text())
    assert bom["bomFormat"] == "CycloneDX"
    names = {c["name"].lower().replace("_", "-") for c in bom["components"]}
    assert {"pyside6-essentials", "opencv-python-headless", "pyscard", "sqlcipher3-binary", "keyring",
            "cryptography", "numpy"} <= names
    assert not names & {"pytest", "fastapi", "schemathesis", "pyinstaller"}  # not bundled
    licences = (linux_build.out / "sbom" / "licenses.md").read_text()
    assert "| PySide6_Essentials | " in licences and "LGPL-3.0-only" in licences


def test_the_signed_repository_and_its_deb_verify(linux_build):
    result = verify("apt-repo", str(linux_build.repo), "--keyring", str(linux_build.keyring))
    assert result.returncode == 0, result.stderr
    assert "VERIFIED" in result.stdout and "1 package(s)" in result.stdout
    result = verify("deb", str(linux_build.deb), "--repo", str(linux_build.repo), "--keyring",
                    str(linux_build.keyring))
    assert result.returncode == 0, result.stderr


def test_apt_itself_accepts_the_signed_repository(linux_build, tmp_path):
    """apt-get update against the repository, with the archive key as its only trusted key."""
    root = tmp_path / "apt"
    for d in ("lists/partial", "cache/archives/partial", "etc/sources.list.d", "etc/preferences.d"):
        (root / d).mkdir(parents=True)
    (root / "status").write_text("")
    (root / "etc/sources.list").write_text(
        f"deb [signed-by={linux_build.keyring}] file:{linux_build.repo} stable main\n")
    opts = [f"-oDir::State::Lists={root}/lists", f"-oDir::Cache={root}/cache",
            f"-oDir::State::status={root}/status", f"-oDir::Etc::SourceList={root}/etc/sources.list",
            f"-oDir::Etc::SourceParts={root}/etc/sources.list.d", f"-oDir::Etc::Preferences={root}/etc/preferences.d",
            "-oAPT::Sandbox::User=root", "-oDebug::NoLocking=1"]
    update = subprocess.run(["apt-get", *opts, "update"], capture_output=True, text=True, timeout=120)
    assert update.returncode == 0 and "NO_PUBKEY" not in update.stderr, update.stdout + update.stderr
    policy = subprocess.run(["apt-cache", *opts, "policy", "madoguchi"], capture_output=True, text=True)
    assert "Candidate: 0.1.0" in policy.stdout, policy.stdout


@pytest.fixture()
def repo_copy(linux_build, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(linux_build.repo, copy)
    return copy


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_tampered_deb_is_refused(linux_build, repo_copy):
    deb = next((repo_copy / "pool").rglob("*.deb"))
    _flip_byte(deb, deb.stat().st_size // 2)
    result = verify("apt-repo", str(repo_copy), "--keyring", str(linux_build.keyring))
    assert result.returncode == 1
    assert "does not match its signed size and SHA-256 (tampered)" in result.stderr
    result = verify("deb", str(deb), "--repo", str(repo_copy), "--keyring", str(linux_build.keyring))
    assert result.returncode == 1


def test_an_unsigned_repository_is_refused(linux_build, repo_copy):
    (repo_copy / "dists/stable/InRelease").unlink()
    result = verify("apt-repo", str(repo_copy), "--keyring", str(linux_build.keyring))
    assert result.returncode == 1 and "unsigned repository" in result.stderr


def test_an_edited_packages_index_is_refused(linux_build, repo_copy):
    packages = repo_copy / "dists/stable/main" / next((repo_copy / "dists/stable/main").iterdir()).name / "Packages"
    packages.write_text(packages.read_text().replace("Priority: optional", "Priority: required"))
    result = verify("apt-repo", str(repo_copy), "--keyring", str(linux_build.keyring))
    assert result.returncode == 1 and "does not match the signed Release" in result.stderr


def test_an_edited_inrelease_is_refused(linux_build, repo_copy):
    inrelease = repo_copy / "dists/stable/InRelease"
    inrelease.write_text(inrelease.read_text().replace("Suite: stable", "Suite: stab1e"))
    result = verify("apt-repo", str(repo_copy), "--keyring", str(linux_build.keyring))
    assert result.returncode == 1 and "InRelease signature not valid" in result.stderr


def test_a_repository_signed_by_another_key_is_refused(linux_build, repo_copy, gpg_homes):
    _, stranger = gpg_homes
    suite = repo_copy / "dists/stable"
    subprocess.run(["gpg", "--batch", "--yes", "--local-user", stranger.fingerprint, "--clearsign", "-o",
                    str(suite / "InRelease"), str(suite / "Release")], env=stranger.env(), check=True,
                   capture_output=True)
    result = verify("apt-repo", str(repo_copy), "--keyring", str(linux_build.keyring))
    assert result.returncode == 1 and "InRelease signature not valid" in result.stderr
    # ...and it verifies with the stranger's own key, so the refusal was about the key.
    assert verify("apt-repo", str(repo_copy), "--keyring",
                  str(stranger.export(repo_copy / "stranger.gpg"))).returncode == 0
