"""drivers/ never imports Qt, app/ or central/ (stdlib, pyscard, cryptography only)."""
import ast
from pathlib import Path

DRIVERS = Path(__file__).resolve().parents[2] / "drivers"
ALLOWED_THIRD_PARTY = {"smartcard", "cryptography"}
FORBIDDEN = {"PySide6", "PyQt5", "PyQt6", "shiboken6", "app", "ui", "central"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_drivers_never_import_qt_app_or_central():
    files = sorted(DRIVERS.rglob("*.py"))
    assert files
    for f in files:
        for mod in _imports(f):
            assert mod not in FORBIDDEN, f"{f}: imports {mod}"


def test_card_package_uses_stdlib_pyscard_cryptography_only():
    import sys

    files = sorted((DRIVERS / "card").rglob("*.py"))
    assert files
    for f in files:
        for mod in _imports(f):
            assert mod in sys.stdlib_module_names or mod in ALLOWED_THIRD_PARTY or mod == "drivers", f"{f}: {mod}"


def test_protocol_does_not_need_pyscard():
    for name in ("protocol.py", "errors.py", "tlv.py", "virtual.py", "mynumber.py"):
        assert "smartcard" not in set(_imports(DRIVERS / "card" / name)), name
