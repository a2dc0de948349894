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
