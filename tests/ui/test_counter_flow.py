"""The counter's routes (ui/shell/counter_flow.py, #20 point 1): the window only navigates; the
visit says who the 届出 is about, and only the search page's 届出 button chooses that person."""
from __future__ import annotations

import pytest

from tests.ui.test_shell import FakeClient, log_in, resident
from ui.common.worker import run_synchronously
from ui.shell.main_window import MainWindow


class Client(FakeClient):
    def tax_certificate_kinds(self):
        raise AttributeError("not needed here")


@pytest.fixture
def window(qtbot):
    win = MainWindow(Client(), run_synchronously, terminal_id="FLOW-0001")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    log_in(qtbot, win)
    return win


def test_the_tax_page_does_not_choose_the_subject_of_a_todoke(window):
    someone = resident(id=5, support_measure=False)
    window.flow.open_tax(someone)
    assert window.current_page is window.tax_page
    window.case_action.trigger()
    assert window.current_page is window.case_page
    page = window.case_page
    assert page.resident is None
    page.queue_edit.setText("A-1")
    page.open_case()
    page.event_checks["move_in"].setChecked(True)
    assert "住民検索で選んでください" in page.subject_label.text()
    assert page.case.resident_ids == []


def test_the_search_pages_todoke_button_chooses_the_subject(window):
    someone = resident(id=6, support_measure=False)
    window.flow.open_case(someone)
    assert window.case_page.resident is someone
    assert window.flow.visit.subject.resident_id == 6


def test_a_new_session_starts_a_new_visit(window, qtbot):
    window.flow.open_case(resident(id=7, support_measure=False))
    first = window.flow.visit
    window.logout()
    assert window.flow.visit is not first and window.flow.visit.persons == []
    log_in(qtbot, window)
    assert window.case_page.resident is None
