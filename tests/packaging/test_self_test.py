"""``madoguchi --self-test`` from source: passes on this machine, and names what is broken (#9).

The frozen build's self-test is in test_linux_build.py (it needs the PyInstaller build).
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(env_extra: dict[str, str] | None = None, pythonpath: list[str] = ()) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = os.pathsep.join([*pythonpath, str(REPO)])
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "ui.main", "--self-test"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)


def test_self_test_passes_from_source_without_a_display():
    result = _run()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for name in ("qt-plugins", "japanese-font", "main-window", "opencv", "pyscard", "sqlcipher",
                 "keyring", "tls-bundle", "translations", "face-models", "card-driver"):
        assert any(line.startswith(f"ok   {name}:") for line in lines), name
    assert lines[-1] == "self-test OK (11 checks)"
    assert "Traceback" not in result.stderr


def test_self_test_names_a_missing_native_piece_and_fails(tmp_path):
    # A sqlcipher3 that cannot load, as in a build that forgot its shared library.
    broken = tmp_path / "broken"
    (broken / "sqlcipher3").mkdir(parents=True)
    (broken / "sqlcipher3" / "__init__.py").write_text("raise ImportError('libsqlcipher.so.0: cannot open')\n")
    result = _run(pythonpath=[str(broken)])
    assert result.returncode == 1
    assert "FAIL sqlcipher: ImportError: libsqlcipher.so.0: cannot open" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("self-test FAILED: sqlcipher")
    assert "ok   main-window:" in result.stdout  # the other checks still ran
