"""The purposes of a lookup (利用目的, LOG-1) as the clerk chooses them: their Japanese names and the
choice box the search, issuance and tax pages offer. The codes and their order are app's
(``app.residents.PURPOSE_CODES``); the centre requires one on every read."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from app.residents import PURPOSE_CODES


def purpose_label(code: str) -> str:
    """The Japanese name of a purpose code (利用目的)."""
    labels = {
        "idou": QCoreApplication.translate("Purposes", "異動届の受付"),
        "certificate": QCoreApplication.translate("Purposes", "証明書の交付"),
        "identity": QCoreApplication.translate("Purposes", "本人確認"),
        "tax": QCoreApplication.translate("Purposes", "税務"),
        "inquiry": QCoreApplication.translate("Purposes", "照会への回答"),
        "review": QCoreApplication.translate("Purposes", "審査"),
        "other": QCoreApplication.translate("Purposes", "その他"),
    }
    return labels.get(code, code)


def purpose_combo(name: str, prompt: str, codes: Sequence[str] = PURPOSE_CODES) -> QComboBox:
    """A choice of ``codes`` under ``prompt`` (「（選択してください）」, no purpose yet); each item's
    data is its code."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(prompt, "")
    for code in codes:
        combo.addItem(purpose_label(code), code)
    return combo
