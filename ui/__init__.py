"""Madoguchi counter-terminal GUI (窓口端末の画面, PySide6).

``ui.main`` is the composition root; the views here hold no business rules.
"""
