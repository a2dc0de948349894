"""職権消除 and the 異動リスト in real windows against the real central API (SQLite and PostgreSQL):
a clerk enters a 職権消除 (reason, 実態調査) for the resident chosen on the search page, sees the
format checks and the centre's refusal beside the fields with nothing typed lost; a supervisor in
another window decides it in the 職権 queue, where their own entry is listed but not decidable
(K-DQ-16, DQ-1); then a reviewer's 異動リスト of the day shows exactly that row beside the test's
other 異動, and the reviewer ticks it; the entrant's own rows are not tickable (DQ-2, K-WF-6.5)."""
from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app import clock
from central.models import IdouCheck, Resident, ResidentHistory
from tests.e2e.test_issuance_screen import choose, pdf_text, printer_to_file, resident
from tests.e2e.windows import find_resident, log_in, open_window

TODAY = clock.today()


@pytest.fixture
def windows(central, qtbot, tmp_path):
    return (open_window(central, qtbot, "CL-0001", tmp_path / "ws"),
            open_window(central, qtbot, "SUP-0001"),
            open_window(central, qtbot, "REV-0001", tmp_path / "ws-rev"))


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def clerk_enters_a_shojo(qtbot, central, win, code):
    central.operator("c1", ["clerk"])
    log_in(qtbot, central, win, "c1")
    assert win.shokken_action.isVisible() and not win.shokken_queue_action.isVisible()
    assert not win.idou_list_action.isVisible()  # a clerk neither decides nor checks
    search = find_resident(qtbot, win, "idou", code)
    search.results_table.selectRow(0)
    win.shokken_action.trigger()
    page = win.shokken_page
    assert win.current_page is page and "職権　消除" in page.subject_label.text()
    click(qtbot, page.submit_button)  # nothing typed yet: every missing item beside its field
    for name in ("reason", "investigated_on", "investigators", "method", "finding"):
        assert page.errors[name].isVisible(), name
    assert page.errors["resident"].isHidden() and page.errors["idou_date"].isHidden()
    page.reason_edit.insert("不現住（居住の実態なし）")  # an IME commits the text
    qtbot.keyClicks(page.investigated_edit, TODAY.isoformat())
    qtbot.keyClicks(page.investigators_edit, "chosa1")
    choose(page.method_combo, "site_visit")
    page.finding_edit.insertPlainText("3回訪問し不在。郵便物が滞留し、管理人から退去の申出あり")
    click(qtbot, page.submit_button)  # a 現地調査 by one person: the centre refuses beside the field
    assert page.errors["investigators"].isVisible()
    assert "2人以上" in page.errors["investigators"].text(), page.errors["investigators"].text()
    assert page.errors["reason"].isHidden()
    assert page.reason_edit.text() == "不現住（居住の実態なし）"  # nothing typed was lost
    assert page.method_combo.currentData() == "site_visit"
    assert "管理人" in page.finding_edit.toPlainText()
    page.investigators_edit.insert("、chosa2")  # an IME commits the text
    click(qtbot, page.submit_button)
    assert "決裁に回しました" in page.message.text(), page.message.text()
    assert page.reason_edit.text() == "" and page.record_edit.text() == ""  # a new entry begins


def test_a_shokken_shojo_from_entry_to_the_ticked_idou_list(central, windows, qtbot, tmp_path):
    clerk_win, boss_win, rev_win = windows
    made, code = resident(central, name_kanji="職権　消除", name_kana="ショッケン　ショウジョ")
    other, _ = resident(central, name_kanji="別人　一郎", name_kana="ベツジン　イチロウ")
    clerk_enters_a_shojo(qtbot, central, clerk_win, code)

    central.operator("kacho", ["supervisor"])
    kacho = central.client(login_id="kacho")  # the supervisor's own entry, made elsewhere
    own = kacho.post("/v1/shokken", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
        "kind": "shokken_shusei", "resident_id": other["resident_id"],
        "expected_version": other["version"], "idou_date": TODAY.isoformat(),
        "reason": "本籍地からの通知による誤記の修正", "changes": {"katagaki": "さくら荘101"},
        "investigation": {"investigated_on": TODAY.isoformat(), "investigators": ["kacho"],
                          "method": "notice", "finding": "本籍地の通知で方書の誤記を確認"}})
    assert own.status_code == 201, own.text
    log_in(qtbot, central, boss_win, "kacho")
    boss_win.shokken_queue_action.trigger()
    queue = boss_win.shokken_queue_page
    assert boss_win.current_page is queue and queue.queue.rowCount() == 2
    rows = {queue.queue.item(r, 1).text(): queue.queue.item(r, 3).text() for r in range(2)}
    assert rows == {"職権消除": "c1", "職権修正": "kacho（本人）"}
    queue.select_case(own.json()["case_id"])
    assert not queue.approve_button.isEnabled() and not queue.return_button.isEnabled()
    assert "ご自身が入力した職権は決裁できません" in queue.message.text()
    shojo = next(c for c in queue.items if c.kind == "shokken_shojo")
    queue.select_case(shojo.id)
    shown = {queue.detail.item(r, 0).text(): queue.detail.item(r, 1).text()
             for r in range(queue.detail.rowCount())}
    assert shown["職権の事由"] == "不現住（居住の実態なし）" and shown["異動日"] == "不詳"
    assert shown["調査した職員"] == "chosa1、chosa2" and shown["調査の方法"] == "現地調査"
    assert queue.approve_button.isEnabled()
    click(qtbot, queue.approve_button)
    assert "決裁し、住民記録に反映しました" in queue.message.text(), queue.message.text()
    assert queue.queue.rowCount() == 1  # only the supervisor's own entry waits
    with central.sessions() as db:
        assert db.get(Resident, made["resident_id"]).status == "removed"

    central.operator("rev", ["reviewer"])
    log_in(qtbot, central, rev_win, "rev")
    assert rev_win.idou_list_action.isVisible() and not rev_win.shokken_action.isVisible()
    rev_win.idou_list_action.trigger()
    page = rev_win.idou_list_page
    assert rev_win.current_page is page and page.table.rowCount() == 0  # nothing at this counter
    choose(page.scope_combo, "")  # the whole office
    listed = [(page.table.item(r, 1).text(), page.table.item(r, 2).text(),
               page.table.item(r, 3).text(), page.table.item(r, 5).text(),
               page.table.item(r, 7).text()) for r in range(page.table.rowCount())]
    with central.sessions() as db:
        history_id = db.scalar(select(ResidentHistory.id).where(
            ResidentHistory.kind == "shokken_shojo"))
        moved_in = db.scalar(select(ResidentHistory.idou_date).where(
            ResidentHistory.kind == "tennyu")).isoformat()  # the factory's 転入, days ago
    assert sorted(listed) == sorted([
        ("届出", "転入", "職権　消除", moved_in, ""),
        ("届出", "転入", "別人　一郎", moved_in, ""),
        ("職権", "職権消除", "職権　消除", "不詳", "kacho")]), listed
    tick = page.tick_buttons[history_id]
    assert tick.isEnabled() and tick.text() == "点検する"
    click(qtbot, tick)
    assert f"異動 {history_id} を点検済みにしました" in page.message.text(), page.message.text()
    assert page.tick_buttons[history_id].text() == "✓ 点検済み（rev）"
    assert not page.tick_buttons[history_id].isEnabled()
    assert "未点検 2 件" in page.summary.text()
    click(qtbot, page.pdf_button)
    assert page.last_pdf is not None and page.last_pdf.read_bytes().startswith(b"%PDF-")
    assert page.last_pdf.stat().st_mode & 0o777 == 0o600
    page.choose_printer = lambda _parent: None  # the reviewer cancels the print dialog
    click(qtbot, page.print_button)
    assert "PDF" in page.message.text()  # nothing printed, nothing said
    paper = tmp_path / "printed-list.pdf"
    page.choose_printer = printer_to_file(paper)
    click(qtbot, page.print_button)
    assert "印刷しました（1 ページ）" in page.message.text(), page.message.text()
    printed = pdf_text(paper)
    assert "全体(所属全端末)" in printed and "未点検 計 2 件" in printed  # (folded to NFKC)
    assert "職権消除" in printed and "済 rev" in printed and "kacho" in printed
    assert "別人" in printed and "一郎" in printed and "c1" in printed and "出力: rev" in printed
    with central.sessions() as db:
        checks = db.scalars(select(IdouCheck)).all()
        assert [(c.history_id, c.checked_by) for c in checks] == [(history_id, "rev")]


def test_a_supervisor_cannot_tick_their_own_idou_and_a_refusal_is_in_japanese(central, windows,
                                                                              qtbot):
    _clerk_win, boss_win, rev_win = windows
    central.operator("kacho", ["supervisor"])
    kacho = central.client(login_id="kacho")
    from tests.central.factories import new_resident
    new_resident(kacho, name_kanji="所属長　入力", name_kana="ショゾクチョウ　ニュウリョク")
    log_in(qtbot, central, boss_win, "kacho")
    boss_win.idou_list_action.trigger()
    page = boss_win.idou_list_page
    choose(page.scope_combo, "")
    assert page.table.rowCount() == 1
    [tick] = page.tick_buttons.values()
    assert not tick.isEnabled() and "ご自身が入力した異動は点検できません" in tick.toolTip()
    central.operator("rev", ["reviewer"])
    log_in(qtbot, central, rev_win, "rev")
    rev_win.idou_list_action.trigger()
    other = rev_win.idou_list_page
    choose(other.scope_combo, "")
    [history_id] = other.tick_buttons
    click(qtbot, other.tick_buttons[history_id])
    assert "点検済み" in other.message.text()
    page.tick(history_id)  # a page still showing the row unticked: the centre says why not
    assert page.message.text() == "この異動を入力した本人は点検できません。別の職員が点検してください"


def test_an_unticked_row_of_yesterday_stays_on_todays_list_and_the_day_is_chosen(central, windows,
                                                                                qtbot):
    """An earlier day's 異動 nobody ticked is on today's list, marked 繰越; choosing that day shows
    it as that day's; once ticked it leaves today's list (DQ-2)."""
    import datetime as dt

    from PySide6.QtCore import QDate

    _clerk_win, _boss_win, rev_win = windows
    made, _code = resident(central, name_kanji="昨日　転入", name_kana="キノウ　テンニュウ")
    with central.sessions.begin() as db:  # recorded yesterday (JST), at this hour
        h = db.scalar(select(ResidentHistory).where(
            ResidentHistory.resident_id == made["resident_id"]))
        h.recorded_at = h.recorded_at - dt.timedelta(days=1)
        history_id = h.id
    central.operator("rev", ["reviewer"])
    log_in(qtbot, central, rev_win, "rev")
    rev_win.idou_list_action.trigger()
    page = rev_win.idou_list_page
    choose(page.scope_combo, "")
    assert page.table.rowCount() == 1 and "（繰越）" in page.table.item(0, 8).text()
    assert page.table.item(0, 3).background().color().name() == "#fff3c4"
    assert "うち前日までの分 1 件" in page.summary.text()
    yesterday = TODAY - dt.timedelta(days=1)
    page.date_edit.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    assert page.listing.date == yesterday.isoformat() and page.table.rowCount() == 1
    assert "（繰越）" not in page.table.item(0, 8).text()
    click(qtbot, page.tick_buttons[history_id])
    page.date_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    assert page.table.rowCount() == 0 and "この日の異動はありません" in page.message.text()


def test_a_shokken_shusei_for_a_record_number_shows_the_correction_beside_the_record(
        central, windows, qtbot):
    clerk_win, boss_win, _rev_win = windows
    made, _code = resident(central, name_kanji="修正　花子", name_kana="シュウセイ　ハナコ")
    central.operator("c1", ["clerk"])
    log_in(qtbot, central, clerk_win, "c1")
    clerk_win.shokken_action.trigger()
    page = clerk_win.shokken_page
    choose(page.kind_combo, "shokken_shusei")
    qtbot.keyClicks(page.record_edit, "abc")
    click(qtbot, page.lookup_button)
    assert "数字" in page.errors["resident"].text()
    page.record_edit.clear()
    qtbot.keyClicks(page.record_edit, str(made["resident_id"]))
    click(qtbot, page.lookup_button)
    assert "修正　花子" in page.subject_label.text() and page.errors["resident"].isHidden()
    page.reason_edit.insert("本籍地からの通知による誤記の修正")  # an IME commits the text
    qtbot.keyClicks(page.investigated_edit, TODAY.isoformat())
    qtbot.keyClicks(page.investigators_edit, "c1")
    choose(page.method_combo, "notice")
    page.finding_edit.insertPlainText("通知により方書の誤記を確認")
    choose(page.shusei_combo, "katagaki")
    click(qtbot, page.submit_button)
    assert page.errors["idou_date"].isVisible() and page.errors["shusei_value"].isVisible()
    qtbot.keyClicks(page.idou_edit, TODAY.isoformat())
    page.shusei_edit.insert("さくら荘２０１")  # an IME commits the text
    click(qtbot, page.submit_button)
    assert "職権修正" in page.message.text() and "決裁に回しました" in page.message.text(), \
        page.message.text()
    central.operator("kacho", ["supervisor"])
    log_in(qtbot, central, boss_win, "kacho")
    boss_win.shokken_queue_action.trigger()
    queue = boss_win.shokken_queue_page
    queue.queue.setCurrentCell(0, 0)
    rows = {queue.detail.item(r, 0).text(): (queue.detail.item(r, 1).text(),
                                             queue.detail.item(r, 2).text())
            for r in range(queue.detail.rowCount())}
    assert rows["方書"][0] == "さくら荘２０１" and rows["調査の方法"][0] == "他機関からの通知"
    assert rows["対象者"][1] == "修正　花子"
    queue.reason_edit.insert("調査の記録を添付してください")  # an IME commits the text
    click(qtbot, queue.return_button)
    assert "差し戻しました" in queue.message.text() and queue.queue.rowCount() == 0


def test_a_shokken_kisai_founds_a_new_household_after_the_decision(central, windows, qtbot):
    clerk_win, boss_win, rev_win = windows
    central.operator("c1", ["clerk"])
    log_in(qtbot, central, clerk_win, "c1")
    clerk_win.shokken_action.trigger()
    page = clerk_win.shokken_page
    choose(page.kind_combo, "shokken_kisai")
    assert page.person_edits["name_kanji"].isVisible() and not page.record_edit.isVisible()
    page.person_edits["name_kanji"].insert("記載　三郎")  # an IME commits the text
    page.person_edits["name_kana"].insert("きさい")
    click(qtbot, page.submit_button)
    assert "カタカナ" in page.errors["name_kana"].text() and page.errors["resident"].isHidden()
    assert page.errors["birth_date"].isVisible() and page.errors["moved_in_from"].isHidden()
    page.person_edits["name_kana"].clear()
    page.person_edits["name_kana"].insert("キサイ　サブロウ")
    qtbot.keyClicks(page.person_edits["birth_date"], "1980-05-06")
    choose(page.person_edits["sex"], "male")
    qtbot.keyClicks(page.person_edits["postal_code"], "123-4567")
    page.person_edits["address"].insert("架空県さくら市桜町9番9号")
    qtbot.keyClicks(page.idou_edit, TODAY.isoformat())
    page.reason_edit.insert("居住の実態を確認（届出なし）")
    qtbot.keyClicks(page.investigated_edit, TODAY.isoformat())
    qtbot.keyClicks(page.investigators_edit, "c1")
    choose(page.method_combo, "documents")
    page.finding_edit.insertPlainText("賃貸借契約書と公共料金の領収書で居住を確認")
    click(qtbot, page.submit_button)
    assert "決裁に回しました" in page.message.text(), page.message.text()
    central.operator("kacho", ["supervisor"])
    log_in(qtbot, central, boss_win, "kacho")
    boss_win.shokken_queue_action.trigger()
    queue = boss_win.shokken_queue_page
    assert queue.queue.item(0, 2).text() == "記載　三郎"
    queue.queue.setCurrentCell(0, 0)
    click(qtbot, queue.approve_button)
    assert "決裁し、住民記録に反映しました" in queue.message.text(), queue.message.text()
    with central.sessions() as db:
        r = db.scalar(select(Resident).where(Resident.name_kanji == "記載　三郎"))
        assert r.status == "current" and r.relationship_to_head == "世帯主"
        h = db.scalar(select(ResidentHistory).where(ResidentHistory.resident_id == r.id))
        assert (h.kind, h.entry_kind, h.operator_login, h.approved_by) == (
            "shokken_kisai", "shokken", "c1", "kacho")
    central.operator("rev", ["reviewer"])
    log_in(qtbot, central, rev_win, "rev")
    rev_win.idou_list_action.trigger()
    listing = rev_win.idou_list_page
    choose(listing.scope_combo, "")
    assert [(listing.table.item(0, 1).text(), listing.table.item(0, 2).text())] == [
        ("職権", "職権記載")] and listing.table.rowCount() == 1
