"""本人確認 (WF-2, DQ-3, DQ-5): the page (``page``), its card tab (``card_view``, with the PIN pad of
``pin_pad``) and its documents tab (``documents``)."""

from ui.pages.identity.documents import document_labels
from ui.pages.identity.page import IdentityPage

__all__ = ["IdentityPage", "document_labels"]
