"""Turning exceptions into messages for the operator (エラーメッセージ).

Never shows a traceback: the server's own localized detail for API errors, the card
reader's message for a card error, a fixed message for an unreachable server, a generic one for
anything else (which is logged for the developers).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from app.api_client import ApiError, CentralUnreachable
from app.identity import CardReadError
from ui.common import i18n

log = logging.getLogger(__name__)


def error_message(exc: BaseException) -> str:
    """The message to show the operator for ``exc``."""
    if isinstance(exc, CardReadError):  # the card reader's own words (drivers/card/errors.py)
        return exc.message_en if i18n.language() == "en" else exc.message_ja
    if isinstance(exc, CentralUnreachable):
        return QCoreApplication.translate("ErrorMessages", "中央サーバーに接続できません")
    if isinstance(exc, ApiError):
        if i18n.language() == "en":
            text = exc.detail or exc.title or exc.detail_ja or exc.title_ja
        else:
            text = exc.detail_ja or exc.title_ja
        if text:
            return text
        return i18n.fill(
            QCoreApplication.translate("ErrorMessages", "中央サーバーでエラーが発生しました（%1）"), exc.status
        )
    log.error("unexpected error", exc_info=exc)
    return QCoreApplication.translate("ErrorMessages", "予期しないエラーが発生しました")
