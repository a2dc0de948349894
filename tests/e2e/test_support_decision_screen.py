"""支援措置の判断 with two real windows against the real central API (SQLite and PostgreSQL): the clerk
is refused a third-party copy of a 支援措置 target's 住民票, sends the 判断依頼 from the issuance page,
a supervisor in another window sees the request and the fact of the measure (not its related
persons) and approves or refuses it with a reason; an approval lets the clerk issue that request
once, a refusal is shown to the clerk in Japanese with the reason (WF-7)."""
from __future__ import annotations


import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from central.models import Issuance, SupportDecision
from tests.central.factories import add_support_measure
from tests.e2e.test_issuance_screen import choose, log_in_and_find, pdf_text, resident
from tests.e2e.windows import log_in, open_window


@pytest.fixture
def windows(central, qtbot, tmp_path):
    clerk = open_window(central, qtbot, "ISS-0001", tmp_path / "ws")
    boss = open_window(central, qtbot, "SUP-0001")
    return clerk, boss


def protected(central):
    made, code = resident(central, name_kanji="保護　花子", name_kana="ホゴ　ハナコ")
    add_support_measure(central, made["resident_id"], perpetrator="加害　次郎")
    return made, code


def blocked_then_asked(qtbot, central, win, code):
    central.operator("c1", ["clerk"])
    page = log_in_and_find(qtbot, central, win, "c1", code)
    assert not page.decision_box.isVisible()
    choose(page.purpose_combo, "inquiry")
    page.purpose_note_edit.insert("債権回収のため")  # an IME commits the text
    choose(page.requester_combo, "third_party")
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    assert "所属長の判断が必要" in page.message.text()
    assert page.decision_box.isVisible()
    qtbot.mouseClick(page.ask_decision_button, Qt.MouseButton.LeftButton)
    assert "氏名" in page.message.text()  # the requester's name is asked for first
    page.requester_name_edit.insert("債権　回収")  # an IME commits the text
    page.requester_org_edit.insert("さくら債権株式会社")  # an IME commits the text
    qtbot.mouseClick(page.ask_decision_button, Qt.MouseButton.LeftButton)
    assert "判断依頼 第" in page.decision_label.text(), page.message.text()
    qtbot.mouseClick(page.check_decision_button, Qt.MouseButton.LeftButton)
    assert "まだ判断されていません" in page.decision_label.text()
    assert page.requester_combo.currentData() == "third_party"  # nothing typed was lost
    assert page.purpose_note_edit.text() == "債権回収のため"
    return page


def supervisor_sees(qtbot, central, win):
    central.operator("boss", ["supervisor"])
    log_in(qtbot, central, win, "boss")
    assert win.decision_action.isVisible()
    win.decision_action.trigger()
    page = win.decision_page
    assert win.current_page is page and page.queue.rowCount() == 1
    page.queue.setCurrentCell(0, 0)
    shown = "\n".join(page.detail.item(r, 1).text() for r in range(page.detail.rowCount()))
    assert "保護　花子" in shown and "債権　回収" in shown and "さくら債権株式会社" in shown
    assert "第三者" in shown and "債権回収のため" in shown
    assert page.support_label.isVisible() and "1 人" in page.support_label.text()
    assert "加害" not in shown and "秘密町" not in shown
    assert page.approve_button.isEnabled()  # a clerk's request: the boss may decide
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    assert "理由" in page.message.text()  # no decision without a reason
    return page


def before_the_supervisor(qtbot, central, windows, reason):
    """The clerk's blocked third-party request for the protected resident, asked for a decision,
    and the supervisor on it with ``reason`` typed: (the clerk's page, the supervisor's page)."""
    clerk_win, boss_win = windows
    _made, code = protected(central)
    page = blocked_then_asked(qtbot, central, clerk_win, code)
    decide = supervisor_sees(qtbot, central, boss_win)
    decide.reason_edit.insert(reason)  # an IME commits the text
    return page, decide


def test_supervisor_approves_and_the_clerk_issues_that_request_once(central, windows, qtbot):
    page, decide = before_the_supervisor(qtbot, central, windows, "弁護士会照会の文書を確認")
    qtbot.mouseClick(decide.approve_button, Qt.MouseButton.LeftButton)
    assert "交付を認めました" in decide.message.text(), decide.message.text()
    assert decide.queue.rowCount() == 0
    qtbot.mouseClick(page.check_decision_button, Qt.MouseButton.LeftButton)
    assert "交付を認めました" in page.decision_label.text()
    assert "弁護士会照会の文書を確認" in page.decision_label.text()
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    assert "交付しました" in page.message.text(), page.message.text()
    assert "保護 花子" in pdf_text(page.last_pdf).replace("\u3000", " ")
    first = page.last_pdf
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)  # once only
    assert "所属長の判断が必要" in page.message.text() and page.last_pdf == first
    with central.sessions() as db:
        [row] = db.scalars(select(Issuance)).all()
        decision = db.scalar(select(SupportDecision))
        assert row.support_decision_id == decision.id and row.requester_relation == "third_party"
        assert (decision.status, decision.decided_by, decision.requested_by) == ("used", "boss", "c1")


def test_a_refusal_is_shown_to_the_clerk_in_japanese(central, windows, qtbot):
    page, decide = before_the_supervisor(qtbot, central, windows, "請求の正当な理由が確認できない")
    qtbot.mouseClick(decide.refuse_button, Qt.MouseButton.LeftButton)
    assert "認めませんでした" in decide.message.text()
    qtbot.mouseClick(page.check_decision_button, Qt.MouseButton.LeftButton)
    text = page.decision_label.text()
    assert "所属長が交付を認めませんでした" in text and "請求の正当な理由が確認できない" in text
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    assert "支援措置" in page.message.text() and page.last_pdf is None
    with central.sessions() as db:
        assert db.scalar(select(Issuance.id)) is None


def test_a_supervisor_cannot_decide_their_own_request(central, windows, qtbot):
    clerk_win, boss_win = windows
    made, code = protected(central)
    central.operator("boss2", ["supervisor"])
    page = log_in_and_find(qtbot, central, boss_win, "boss2", code)
    choose(page.purpose_combo, "inquiry")
    choose(page.requester_combo, "proxy")
    page.attorney_check.setChecked(True)
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    page.requester_name_edit.insert("代理　人")  # an IME commits the text
    qtbot.mouseClick(page.ask_decision_button, Qt.MouseButton.LeftButton)
    assert "判断依頼 第" in page.decision_label.text(), page.message.text()
    boss_win.decision_action.trigger()
    decide = boss_win.decision_page
    decide.queue.setCurrentCell(0, 0)
    assert not decide.approve_button.isEnabled() and not decide.refuse_button.isEnabled()
    assert "ご自身が依頼した判断はできません" in decide.message.text()
