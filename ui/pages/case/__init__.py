"""受付・聞き取り・届出の入力: the page (``page``) and its three parts — 受付 (``reception_box``),
聞き取り (``interview_box``) and the 異動届 form (``entry_form``)."""

from ui.pages.case.page import CasePage

__all__ = ["CasePage"]
