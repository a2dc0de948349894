"""交付画面 (WF-6, DQ-6, WF-7): ``IssuancePage`` (``page``) takes the request and issues the
住民票の写し or 記載事項証明書 as a PDF; ``decision`` holds the 所属長への判断依頼 offered when a
支援措置 blocks it."""
from ui.pages.issuance.page import IssuancePage

__all__ = ["IssuancePage"]
