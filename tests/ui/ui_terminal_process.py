"""Helpers to run ``python -m ui.main`` as a real process against the fake central."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FAKE_CENTRAL = REPO / "tests" / "fakes" / "fake_central"


def env_without_display(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    # The fake ``central`` package shadows the real one; the repo keeps ``app``/``ui`` importable.
    env["PYTHONPATH"] = os.pathsep.join([str(FAKE_CENTRAL), str(REPO)])
    env.update(extra)
    return env


def run_terminal(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 150) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.main", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def signed_terminal_config(directory: Path, *, central_url: str = "http://127.0.0.1:9",
                           device_id: str = "PROD-0001", device_key_path: Path | None = None) -> list[str]:
    """A municipality key and a signed terminal configuration in ``directory`` (#9); returns the
    command-line arguments that point the client at them."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.provisioning import make_config, sign_config, write_config

    key = Ed25519PrivateKey.generate()
    pub = directory / "municipality.pub"
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    config = directory / "terminal.json"
    write_config(config, sign_config(make_config(
        municipality="試験市", central_url=central_url, device_id=device_id, device_kind="counter",
        device_key_path=str(device_key_path) if device_key_path else None), key))
    return ["--terminal-config", str(config), "--config-trust-key", str(pub)]
