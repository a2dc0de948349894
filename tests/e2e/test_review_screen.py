"""The 審査 screen in the real window against the real central API (SQLite and PostgreSQL): the
entry beside the current record, approval by someone other than the entrant (DQ-1), no approval of
an outdated record (DQ-8, 000 L4375), a return needs a reason, a 支援措置 banner, an approval whose
answer is lost is retried with the same key and applied once, the 本人確認 the 届出 names."""
from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app import clock
from central.models import Resident, ResidentHistory
from tests.central.factories import add_support_measure, my_number, new_resident, post, tennyu
from ui.shell.main_window import MainWindow
from ui.common.worker import run_synchronously
from tests.e2e import windows

TODAY = clock.today()  # the counter's day, in Japan (JST)


class FlakyTransport(httpx.BaseTransport):
    """Loses the answer of the next request after the server handled it, once."""

    def __init__(self, inner):
        self.inner = inner
        self.lose_next = False

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if self.lose_next:
            self.lose_next = False
            response.read()
            response.close()
            raise httpx.ReadError("answer lost", request=request)
        return response

    def close(self):
        self.inner.close()


@pytest.fixture
def window(central, qtbot):
    made: list[FlakyTransport] = []
    client, key = central.terminal("REV-0001", wrap=lambda t: made.append(FlakyTransport(t)) or made[0])
    transport = made[0]
    win = MainWindow(client, run_synchronously, terminal_id=key.device_id,
                     guard_tick_ms=3_600_000, health_interval_ms=3_600_000)
    win.flaky = transport
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def log_in(qtbot, central, win, login_id):
    windows.log_in(qtbot, central, win, login_id)
    win.review_action.trigger()
    assert win.current_page is win.review_page


def submit(client, body):
    r = client.post("/v1/cases/idou", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return r.json()["case_id"]


def tenkyo(made, address):
    return {"kind": "tenkyo", "resident_id": made["resident_id"],
            "expected_version": made["version"], "idou_date": TODAY.isoformat(),
            "todoke_date": TODAY.isoformat(), "changes": {"address": address}}


def detail(page):
    t = page.detail
    return {t.item(r, 0).text(): (t.item(r, 1).text(), t.item(r, 2).text()) for r in range(t.rowCount())}


def test_approve_a_tennyu_entered_by_someone_else(central, window, qtbot):
    entrant = central.clerk(("clerk", "my_number_access"), login_id="entrant")
    case_id = submit(entrant, tennyu(name_kanji="審査　花子", name_kana="シンサ　ハナコ",
                                     my_number=my_number()))
    central.operator("rev1", ["reviewer"])
    log_in(qtbot, central, window, "rev1")
    page = window.review_page
    assert page.queue.rowCount() == 1 and page.queue.item(0, 2).text() == "審査　花子"
    page.select_case(case_id)
    rows = detail(page)
    assert rows["氏名"][0] == "審査　花子" and rows["フリガナ"][0] == "シンサ　ハナコ"
    assert rows["個人番号"][0] == "************"  # the reviewer has no 特定個人情報アクセス権限
    assert page.approve_button.isEnabled() and page.support_banner.isHidden()
    window.flaky.lose_next = True  # the centre applies it, the answer is lost …
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    assert page.message.isVisible() and "接続できません" in page.message.text()
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)  # … so the clerk retries
    assert "承認し" in page.message.text() and page.queue.rowCount() == 0
    with central.sessions() as db:
        names = db.scalars(select(Resident.name_kanji).where(Resident.name_kanji == "審査　花子")).all()
        assert names == ["審査　花子"]  # applied exactly once
        assert db.scalar(select(func.count()).select_from(ResidentHistory).where(
            ResidentHistory.operator_login == "entrant")) == 1


def test_own_entry_cannot_be_reviewed(central, window, qtbot):
    central.operator("sup1", ["supervisor"])
    sup = central.client(login_id="sup1")
    made = new_resident(sup)
    case_id = submit(sup, tenkyo(made, "架空県さくら市梅町6番6号"))
    log_in(qtbot, central, window, "sup1")
    page = window.review_page
    page.select_case(case_id)
    assert not page.approve_button.isEnabled() and not page.return_button.isEnabled()
    assert "別の職員" in page.message.text()


def test_an_outdated_record_cannot_be_approved_only_returned_with_a_reason(central, window, qtbot):
    entrant = central.clerk(login_id="entrant")
    made = new_resident(entrant)
    case_id = submit(entrant, tenkyo(made, "架空県さくら市梅町7番7号"))
    assert post(entrant, tenkyo(made, "架空県さくら市梅町8番8号")).status_code == 201
    central.operator("rev1", ["reviewer"])
    log_in(qtbot, central, window, "rev1")
    page = window.review_page
    page.select_case(case_id)
    assert page.stale_banner.isVisible() and not page.approve_button.isEnabled()
    rows = detail(page)
    assert rows["住所"] == ("架空県さくら市梅町7番7号", "架空県さくら市梅町8番8号")
    qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    assert "理由" in page.message.text() and page.queue.rowCount() == 1
    qtbot.keyClicks(page.reason_edit, "re-enter on the latest record")
    qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    assert "差し戻しました" in page.message.text() and page.queue.rowCount() == 0


def test_support_measure_subject_shows_the_banner(central, window, qtbot):
    entrant = central.clerk(login_id="entrant")
    made = new_resident(entrant)
    add_support_measure(central, made["resident_id"], end=TODAY + dt.timedelta(days=365))
    case_id = submit(entrant, tenkyo(made, "架空県さくら市梅町9番9号"))
    central.operator("rev1", ["reviewer"])
    log_in(qtbot, central, window, "rev1")
    page = window.review_page
    assert page.queue.item(0, 2).text().startswith("⚠")
    page.select_case(case_id)
    assert page.support_banner.isVisible()


def test_the_identity_check_is_shown_and_one_of_someone_else_is_flagged(central, window, qtbot):
    """Beside the entry, the 本人確認 the 届出 names: of the person it is about (plain), or of
    another resident (a family member's 届出: flagged, so the reviewer makes sure of the 届出人)."""
    entrant = central.clerk(login_id="entrant")
    mover, relative = new_resident(entrant), new_resident(entrant)
    cases = []
    checks = ({"method": "card", "signature_verified": True},
              {"method": "documents", "items": ["passport"]})
    for who, address, how in ((mover, "架空県さくら市梅町1番1号", checks[0]),
                              (relative, "架空県さくら市梅町2番2号", checks[1])):
        r = entrant.post("/v1/identity-checks", json={"resident_id": who["resident_id"],
                                                      "matched": True, **how})
        assert r.status_code == 201, r.text
        cases.append(submit(entrant, tenkyo(mover, address) | {"identity_check_seq": r.json()["seq"]}))
    central.operator("rev1", ["reviewer"])
    log_in(qtbot, central, window, "rev1")
    page = window.review_page
    page.select_case(cases[0])
    shown = page.identity_label.text()
    assert f"届出の対象者本人（記録番号 {mover['resident_id']}）" in shown, shown
    assert "マイナンバーカード（ICチップ照合）・署名検証済み" in shown and "確認者: entrant" in shown
    assert "bold" not in page.identity_label.styleSheet()
    page.select_case(cases[1])
    shown = page.identity_label.text()
    assert f"対象者以外の住民（記録番号 {relative['resident_id']}）" in shown, shown
    assert "届出人であることを確かめて" in shown and "bold" in page.identity_label.styleSheet()
    assert "本人確認書類（旅券（パスポート））" in shown  # which document was seen
    assert page.approve_button.isEnabled()  # the reviewer decides; the check only informs
