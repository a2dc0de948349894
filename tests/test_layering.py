"""The rooms of the architecture (shared/docs/architecture.md §1): who may import whom.

app/ is the Qt-free client core; drivers/ talk to hardware and know nothing of the client or the
server; central/ is a separate deployable; ui/ may use drivers only in its composition root; japan/
holds the Japanese rules that all of them import, and imports none of them (#20).
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")

# room -> top-level modules it must never import
FORBIDDEN = {
    "app": set(QT) | {"ui", "central", "drivers"},
    "drivers": set(QT) | {"app", "ui", "central"},
    "central": set(QT) | {"app", "ui", "drivers"},
    "japan": set(QT) | {"app", "ui", "central", "drivers"},
}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_room_imports_only_what_it_may(room):
    files = sorted((REPO / room).rglob("*.py"))
    assert files
    for path in files:
        bad = imported(path) & FORBIDDEN[room]
        assert not bad, f"{path.relative_to(REPO)} imports {sorted(bad)}"


@pytest.mark.parametrize("room", ["app", "ui", "drivers", "central", "tools"])
def test_product_never_imports_the_test_support(room):
    """testbed/ (stacks, evaluation sets) and tests/ are not shipped: product code never needs them."""
    files = sorted((REPO / room).rglob("*.py"))
    assert files
    for path in files:
        bad = imported(path) & {"testbed", "tests"}
        assert not bad, f"{path.relative_to(REPO)} imports {sorted(bad)}"


@pytest.mark.parametrize("folder", ["bench", "scripts"])
def test_benchmarks_and_scripts_take_what_they_share_with_tests_from_testbed(folder):
    files = sorted((REPO / folder).glob("*.py"))
    assert files
    for path in files:
        assert "tests" not in imported(path), f"{path.relative_to(REPO)} imports tests"


def test_only_the_composition_root_of_ui_touches_drivers():
    """ui/main.py wires the drivers in; ui/devices/ runs them off the GUI thread; no page, shell
    or printing file imports them."""
    for path in sorted((REPO / "ui").rglob("*.py")):
        where = path.relative_to(REPO / "ui")
        if where == Path("main.py") or where.parts[0] == "devices":
            continue
        assert "drivers" not in imported(path), str(where)


def test_card_protocol_is_pure_python_over_a_transport():
    card = REPO / "drivers" / "card"
    allowed = set(sys.stdlib_module_names) | {"smartcard", "cryptography", "drivers", "japan"}
    for path in sorted(card.rglob("*.py")):
        assert imported(path) <= allowed, path.name
    for name in ("protocol.py", "errors.py", "tlv.py", "virtual.py"):
        assert "smartcard" not in imported(card / name), name


def test_japan_is_pure_python_every_room_can_import():
    allowed = set(sys.stdlib_module_names) | {"jaconv", "japan"}
    for path in sorted((REPO / "japan").rglob("*.py")):
        assert imported(path) <= allowed, path.name


def test_onlooker_policy_needs_no_camera_stack():
    assert not imported(REPO / "app" / "onlooker.py") & {"cv2", "numpy"}


def test_importing_the_core_loads_no_qt():
    code = ("import sys, app.api_client, app.device_key, app.residents, app.embedded_central, "
            "app.onlooker, app.outbox, app.session_cache, drivers.camera, drivers.card, central.api, japan.era, "
            "japan.kana, japan.mynumber;"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO).stdout
    assert out.strip() == "[]"
