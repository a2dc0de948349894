"""``app/`` is the Qt-free client core: no module there may import Qt."""

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_app_imports_no_qt_or_ui():
    for path in APP.glob("*.py"):
        bad = {m for m in imported_modules(path) if m.startswith(("PySide", "PyQt", "shiboken")) or m in ("ui", "central")}
        assert not bad, f"{path.name} imports {bad}"


def test_importing_app_loads_no_qt():
    code = (
        "import sys, app.api_client, app.device_key, app.residents, app.embedded_central;"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
