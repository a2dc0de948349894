"""The resident's language (お客様用画面の表示言語), apart from the clerk's.

The resident's texts are Japanese source strings wrapped as the project wraps every UI string
(``translate("ResidentWindow", "…")``, listed in ``resources/translations/madoguchi_en.ts``); the
English is that file's translation, looked up with a ``QTranslator`` of the resident's screen's
own that is never installed on the application — so the resident may read English while the
clerk's window stays Japanese, or the other way round. Touches nothing but the translation file.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTranslator

from ui.common import i18n


class ResidentLanguage:
    """Japanese (the source text) or English (the project's translation) for the resident."""

    def __init__(self, qm_file: Path | None = None) -> None:
        self._qm_file = qm_file
        self._translator: QTranslator | None = None
        self._lookup = None
        self.english = False

    def set_english(self, on: bool) -> bool:
        """Show English (``on``) or Japanese; False when no English translation could be loaded
        (the screen stays Japanese)."""
        if on and self._lookup is None:
            qm_file = self._qm_file or i18n.translation_file("en")
            translator = QTranslator()
            if qm_file is None or not translator.load(str(qm_file)):
                self.english = False
                return False
            self._translator = translator
            self._lookup = translator.translate
        self.english = on
        return True

    def translate(self, context: str, source: str) -> str:
        """``source`` in the resident's language (Japanese: the source itself)."""
        if self.english and self._lookup is not None:
            return self._lookup(context, source) or source
        return source
