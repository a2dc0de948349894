"""The hand-written English translation covers every UI string, and Qt actually uses it."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from app.api_client import CentralUnreachable
from app.residents import ResidentSearchResult, ResidentSummary
from ui.common import i18n
from ui.common.errors import error_message
from ui.shell.main_window import MainWindow
from ui.common.worker import run_synchronously

REPO = Path(__file__).resolve().parents[2]
TS_FILE = REPO / "resources" / "translations" / "madoguchi_en.ts"


def source_strings() -> set[tuple[str, str]]:
    """(context, source) of every self.tr("…") and QCoreApplication.translate("Ctx", "…") in ui/."""
    found: set[tuple[str, str]] = set()

    def visit(node: ast.AST, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            context = child.name if isinstance(child, ast.ClassDef) else cls
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                func, args = child.func, child.args
                if func.attr == "tr" and isinstance(func.value, ast.Name) and func.value.id == "self":
                    assert cls and isinstance(args[0], ast.Constant), ast.dump(child)
                    found.add((cls, args[0].value))
                elif func.attr == "translate" and not (  # QPainter.translate(dx, dy) is not i18n
                        isinstance(func.value, ast.Name) and func.value.id == "painter"):
                    assert all(isinstance(a, ast.Constant) for a in args[:2]), (
                        f"translate() with a non-literal string: {ast.unparse(child)}"
                    )
                    found.add((args[0].value, args[1].value))
            visit(child, context)

    for path in sorted((REPO / "ui").rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def ts_messages() -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(TS_FILE).getroot()
    messages = {}
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            messages[(name, message.findtext("source"))] = message
    return messages


def test_every_ui_string_has_an_english_translation():
    strings = source_strings()
    assert len(strings) > 40
    messages = ts_messages()
    missing = sorted(strings - set(messages))
    assert not missing, f"add these to {TS_FILE.name}: {missing}"
    for key in strings:
        translation = messages[key].find("translation")
        assert translation.get("type") is None, f"unfinished: {key}"
        text = "".join(translation.itertext()).strip()
        assert text, f"empty translation: {key}"
        for placeholder in ("%1", "%2", "%3", "%n"):
            assert (placeholder in key[1]) == (placeholder in text), f"placeholder {placeholder} in {key}"


def test_no_stale_translations():
    stale = sorted(set(ts_messages()) - source_strings())
    assert not stale, f"no longer used in ui/: {stale}"


@pytest.fixture
def english(qapp, tmp_path):
    qm = tmp_path / "madoguchi_en.qm"
    i18n.compile_translation(TS_FILE, qm)
    translator = i18n.install_translator(qapp, "en", qm_file=qm)
    assert translator is not None
    yield translator
    QCoreApplication.removeTranslator(translator)
    i18n.reset_language()


class _Client:
    def health(self):
        return {"status": "ok"}


def test_english_ui_uses_the_translation(qtbot, english):
    window = MainWindow(_Client(), run_synchronously, terminal_id="T-EN")
    qtbot.addWidget(window)
    assert window.windowTitle() == "Counter Terminal — Madoguchi"
    assert window.login_page.login_button.text() == "Log in"
    assert window.terminal_label.text() == "Terminal ID: T-EN"
    assert "online" in window.connection_label.text()
    page = window.search_page
    assert page.purpose_combo.itemText(page.purpose_combo.count() - 1) == "Other"
    page._show_results(ResidentSearchResult(items=(), count=0))
    assert page.result_label.text() == "No matching resident was found"
    one = ResidentSummary.from_json({"id": 1, "name_kanji": "山田 太郎"})
    page._show_results(ResidentSearchResult(items=(one, one), count=2))
    assert page.result_label.text() == "2 residents found"
    page._show_results(ResidentSearchResult(items=(one,), count=1))
    assert page.result_label.text() == "1 resident found"
    assert error_message(CentralUnreachable()) == "Cannot connect to the central server"


def test_japanese_is_the_default(qtbot):
    window = MainWindow(_Client(), run_synchronously, terminal_id="T-JA")
    qtbot.addWidget(window)
    assert i18n.language() == "ja"
    assert window.login_page.login_button.text() == "ログイン"
