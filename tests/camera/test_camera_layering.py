"""Layering: drivers/camera imports no Qt/app/central; app/onlooker imports no Qt/drivers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_camera_driver_imports_no_qt_app_or_central():
    files = sorted((REPO / "drivers" / "camera").glob("*.py"))
    assert len(files) >= 5
    for path in files:
        bad = {m for m in imported(path) if m.startswith(("PySide", "PyQt", "shiboken")) or m in ("app", "ui", "central")}
        assert not bad, f"{path.name} imports {bad}"


def test_onlooker_policy_imports_no_qt_or_drivers():
    bad = {m for m in imported(REPO / "app" / "onlooker.py")
           if m.startswith(("PySide", "PyQt", "shiboken", "cv2", "numpy")) or m in ("drivers", "ui", "central")}
    assert not bad


def test_importing_driver_and_policy_loads_no_qt():
    code = ("import sys, drivers.camera, drivers.camera.bench, app.onlooker;"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'app.api'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"
