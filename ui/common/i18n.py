"""UI language (表示言語). Japanese is the source language; English is a translation.

The English strings live in ``resources/translations/madoguchi_en.ts`` (Qt
Linguist XML). Qt loads compiled ``.qm`` files, so the ``.ts`` is compiled with
PySide6's bundled ``lrelease`` when no up-to-date ``.qm`` sits beside it.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
LANGUAGES = ("ja", "en")

_language = "ja"


def language() -> str:
    """The language currently shown (``"ja"`` or ``"en"``)."""
    return _language


def lrelease_path() -> Path:
    return Path(PySide6.__file__).resolve().parent / "lrelease"


def compile_translation(ts_file: Path, qm_file: Path) -> None:
    """Compile a Qt Linguist ``.ts`` file to ``.qm`` with PySide6's lrelease."""
    qm_file.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(lrelease_path()), "-silent", str(ts_file), "-qm", str(qm_file)],
        check=True,
        capture_output=True,
    )


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "madoguchi" / "translations"


def translation_file(lang: str, translations_dir: Path = TRANSLATIONS_DIR) -> Path | None:
    """A current ``.qm`` for ``lang``, compiling the ``.ts`` if needed."""
    ts_file = translations_dir / f"madoguchi_{lang}.ts"
    if not ts_file.exists():
        return None
    bundled = translations_dir / f"madoguchi_{lang}.qm"
    if getattr(sys, "frozen", False) and bundled.exists():
        return bundled  # a frozen build ships its .qm compiled at build time, and no lrelease (#9)
    for qm_file in (bundled, _cache_dir() / f"madoguchi_{lang}.qm"):
        if qm_file.exists() and qm_file.stat().st_mtime >= ts_file.stat().st_mtime:
            return qm_file
    qm_file = _cache_dir() / f"madoguchi_{lang}.qm"
    try:
        compile_translation(ts_file, qm_file)
    except (OSError, subprocess.CalledProcessError) as exc:
        log.warning("could not compile %s: %s", ts_file, exc)
        return None
    return qm_file


def install_translator(app: QCoreApplication, lang: str, qm_file: Path | None = None) -> QTranslator | None:
    """Show the UI in ``lang``. Japanese needs no translator.

    Returns the installed translator (keep a reference to it), or None.
    """
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang}")
    if lang == "ja":
        _language = "ja"
        return None
    qm_file = qm_file or translation_file(lang)
    translator = QTranslator(app)
    if qm_file is None or not translator.load(str(qm_file)):
        log.warning("no usable translation for %s; staying in Japanese", lang)
        _language = "ja"
        return None
    app.installTranslator(translator)
    _language = lang
    return translator


def reset_language() -> None:
    """Back to Japanese bookkeeping (tests remove their translator themselves)."""
    global _language
    _language = "ja"


def fill(template: str, *args: object) -> str:
    """Replace Qt-style ``%1``, ``%2``… placeholders in one pass (like QString.arg)."""

    def _sub(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return str(args[index]) if 0 <= index < len(args) else match.group(0)

    return re.sub(r"%([1-9])", _sub, template)
