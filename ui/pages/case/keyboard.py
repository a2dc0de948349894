"""Keyboard operation of the case page (issue #7 point 9): Return advances — from the interview to
the first empty field of the 届出, from a field of the 届出 to the next (the last one to 審査に回す) —
and Tab follows the page top to bottom, including the questions and the fields that are built as
the interview goes (Qt would put new widgets at the end of the chain)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class KeyboardOrder(QObject):
    """The event filter of the case page's boxes and fields (``page`` is the ``CasePage``)."""

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        page = self.page
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in RETURN_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if watched in page.event_checks.values() or watched in page.question_checks.values():
                target = page.entry_form.first_empty()
                if target is not None:
                    self.focus(target)
                    return True
            elif watched in page.edits.values():
                self._advance_from(watched)
                return True
            elif watched in page.setai_box.edits.values():  # 世帯の届出: the next field, then the rows
                edits = list(page.setai_box.edits.values())
                i = edits.index(watched)
                rows = page.setai_box.rows
                self.focus(edits[i + 1] if i + 1 < len(edits) else
                           rows[0].person if rows else page.setai_box.submit_button)
                return True
            elif watched in page.tokurei_box.edits.values():  # 特例転入: the next field, then 送信
                edits = list(page.tokurei_box.edits.values())
                i = edits.index(watched)
                self.focus(edits[i + 1] if i + 1 < len(edits) else page.tokurei_box.submit_button)
                return True
        return super().eventFilter(watched, event)

    def focus(self, target: QWidget) -> None:
        target.setFocus(Qt.FocusReason.TabFocusReason)
        self.page.scroll.ensureWidgetVisible(target)

    def _advance_from(self, edit: QObject) -> None:
        edits = self.page.edits
        names = list(edits)
        for name, widget in edits.items():
            if widget is edit:
                self.page.entry_form.check(name)
                i = names.index(name)
                self.focus(edits[names[i + 1]] if i + 1 < len(names) else self.page.submit_button)
                return

    def fix_tab_order(self) -> None:
        p = self.page
        chain: list[QWidget] = [p.queue_edit, p.requester_combo, p.poa_check, p.proxy_id_check,
                                p.open_button, p.identity_button, p.park_button, p.parked_combo,
                                p.resume_button]
        chain += list(p.event_checks.values()) + list(p.question_checks.values())
        chain += [p.procedure_list, p.guide_button, p.kind_combo]
        box = p.tokurei_box
        chain += list(box.edits.values()) + list(box.relation_combos.values())
        chain += [box.read_button, box.submit_button]
        chain += list(p.edits.values()) + [p.submit_button, p.setai_button]
        setai = p.setai_box
        chain += list(setai.edits.values())
        for row in setai.rows:
            chain += [row.person, row.event, row.to, row.relation]
        chain += [setai.add_button, setai.remove_button, setai.submit_button, p.back_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
