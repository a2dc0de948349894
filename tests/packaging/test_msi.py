"""The Windows installer as authored on Linux CI (#9): wixl builds the MSI from packaging/windows/
madoguchi.wxs, osslsigncode signs it with a code-signing certificate of a test CA made here;
``python -m tools.verify msi`` passes on it and refuses a one-byte change, another CA and no
signature. (The Windows-only steps, PyInstaller on Windows and signtool with a timestamp, are
described in packaging/README.md.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def make_ca(directory: Path, name: str) -> tuple[Path, Path, Path]:
    """(CA certificate, signing chain = leaf + CA, leaf key)."""
    directory.mkdir(parents=True)

    def ssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", f"/CN={name} Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "sign.key", "-out", "sign.csr",
        "-subj", f"/CN={name} Code Signing")
    (directory / "ext.cnf").write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                       "extendedKeyUsage=codeSigning\n")
    ssl("x509", "-req", "-in", "sign.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "sign.pem", "-days", "2", "-extfile", "ext.cnf")
    chain = directory / "chain.pem"
    chain.write_bytes((directory / "sign.pem").read_bytes() + (directory / "ca.pem").read_bytes())
    return directory / "ca.pem", chain, directory / "sign.key"


def build_msi(out: Path, chain: Path, key: Path) -> Path:
    proc = subprocess.run(["bash", str(REPO / "packaging" / "build_msi_linux.sh"), str(out), "0.1.0", str(chain),
                           str(key)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out / "madoguchi-0.1.0-x64.msi"


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    base = tmp_path_factory.mktemp("msi")
    ca, chain, key = make_ca(base / "ca", "Madoguchi")
    return ca, build_msi(base / "out", chain, key), base


def verify(msi: Path, ca: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tools.verify", "msi", str(msi), "--ca", str(ca)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_the_signed_msi_verifies(signed):
    ca, msi, _ = signed
    result = verify(msi, ca)
    assert result.returncode == 0, result.stderr
    assert "Authenticode signature and chain ok" in result.stdout


def test_the_msi_installs_the_payload_under_program_files(signed):
    _, msi, _ = signed
    files = subprocess.run(["msiinfo", "export", str(msi), "File"], capture_output=True, text=True, check=True).stdout
    assert "madoguchi_entry.py" in files and "main.py" in files and "self_test.py" in files
    dirs = subprocess.run(["msiinfo", "export", str(msi), "Directory"], capture_output=True, text=True,
                          check=True).stdout
    assert "ProgramFiles64Folder" in dirs and "Madoguchi" in dirs
    props = subprocess.run(["msiinfo", "export", str(msi), "Property"], capture_output=True, text=True,
                           check=True).stdout
    assert "ProductVersion\t0.1.0" in props and "UpgradeCode\t{6E3C5A51-7B0E-4C4B-9C55-2F0B1C6D9A01}" in props


def test_a_one_byte_change_breaks_the_signature(signed, tmp_path):
    ca, msi, _ = signed
    data = bytearray(msi.read_bytes())
    at = data.find(b"Madoguchi Counter Terminal")  # the product name in the MSI string pool
    assert at > 0
    data[at] ^= 0x01
    tampered = tmp_path / "tampered.msi"
    tampered.write_bytes(bytes(data))
    result = verify(tampered, ca)
    assert result.returncode == 1 and "REFUSED: Authenticode verification failed" in result.stderr


def test_a_signature_from_another_ca_is_refused(signed, tmp_path):
    ca, _, _ = signed
    _, other_chain, other_key = make_ca(tmp_path / "other", "Stranger")
    other = build_msi(tmp_path / "out", other_chain, other_key)
    assert verify(other, ca).returncode == 1
    assert verify(other, tmp_path / "other" / "ca.pem").returncode == 0  # refused for its CA only


def test_an_unsigned_msi_is_refused(signed, tmp_path):
    ca, msi, _ = signed
    unsigned = tmp_path / "unsigned.msi"
    subprocess.run(["osslsigncode", "remove-signature", "-in", str(msi), "-out", str(unsigned)], check=True,
                   capture_output=True)
    result = verify(unsigned, ca)
    assert result.returncode == 1
