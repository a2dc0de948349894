"""書かない窓口 end to end (#23; K-WF-4.3, K-WF-4.4, K-WF-4.5, K-PRIV-11): a family of four moves in
(特例転入 from 転出証明書情報) and joins 国保 and 児童手当, in real windows — the clerk's, the
resident's and a reviewer's — against the central API on SQLite and on PostgreSQL.

The interview decides the forms (住民異動届, 国保, 児童手当, 子ども医療費); the clerk sees which items
are missing and types the ones only the clerk knows; each page goes to the resident's window and is
painted there; the resident signs once with a pen (synthetic tablet events with pressure); storing
waits until the clerk has recorded telling the resident which divisions receive what; the signed
PDFs are kept encrypted at the centre with their SHA-256 in the audit chain; the reviewer sees the
forms beside the entry and approves; the 国保 and 子育て支援 feeds deliver exactly their forms' items;
the stored PDF, rendered back with pdftoppm, carries the signature; nothing of a form or the
signature is left on the terminal's disk."""
from __future__ import annotations

import json
import os

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app import procedures
from app.forms import load
from central import renkei
from central.models import AuditEvent, SignedForm
from tests.central.signing import signed_client
from tests.e2e.test_case_flow import keys, log_in
from tests.e2e.test_tokurei_family_screen import (TODAY, approve_all, cards, family,  # noqa: F401
                                                  read_card)
from tests.e2e.windows import find_resident, open_window, screenshot
from tests.ui.test_form_pdf import DPI, dark_share, pdf_page, pdf_text
from tests.ui.test_resident_screen import draw_tablet
from ui.pages.case.forms_box import PAGE_SIZE
from ui.printing import form_pdf

FORMS = ["jumin_idou", "kokuho_shikaku", "jidou_teate", "kodomo_iryou"]


def feed(central, division, token):
    c = signed_client(central.app, None)
    central._clients.append(c)
    r = c.get(f"/v1/renkei/{division}/events", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()["events"]


def files_under(root) -> dict[str, bytes]:
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as fh:
                out[path] = fh.read()
    return out


def test_a_family_signs_its_forms_once_and_each_division_receives_its_own(
        central, qtbot, tmp_path, cards, family):  # noqa: F811
    cert, _other = family
    central.operator("c1", ["clerk", "my_number_access"])
    central.operator("r1", ["reviewer"])
    with central.sessions.begin() as db:
        tokens = {d: renkei.add_division(db, d, "sec1") for d in ("kokuho", "kosodate")}
    window = open_window(central, qtbot, "FRM-0001", tmp_path / "ws", card_access=cards)
    reviewer = open_window(central, qtbot, "FRM-0002", tmp_path / "ws2")
    resident = window.resident_screen
    resident.window.resize(900, 1100)
    resident.window.show()  # the demo's own window (no second display offscreen)
    qtbot.waitExposed(resident.window)
    assert resident.window.showing == "blank"
    log_in(qtbot, central, window, "c1")
    log_in(qtbot, central, reviewer, "r1")

    # 受付 and 聞き取り: 引越し (市外から), 国保 and children → the forms of the visit
    qtbot.mouseClick(window.search_page.reception_button, Qt.MouseButton.LeftButton)
    page = window.case_page
    keys(qtbot, page.queue_edit, "T-51")
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    page.event_checks["move_in"].setChecked(True)
    for question in ("kokuho", "children"):
        page.interview_box.question_checks[question].setChecked(True)
    members = cert["members"]
    cards.put(members[1], cert["address"])  # one card finds the household
    read_card(qtbot, window, page, page.identity_button)
    cards.put(_other["members"][0], _other["address"])  # another household's card: refused
    read_card(qtbot, window, page, page.tokurei_box.read_button)
    for m in (members[0], members[2], members[3]):  # every other card of the household
        cards.put(m, cert["address"])
        read_card(qtbot, window, page, page.tokurei_box.read_button)
    box = page.tokurei_box
    keys(qtbot, box.edits["postal_code"], "1234567")
    keys(qtbot, box.edits["idou_date"], TODAY.isoformat())
    assert not page.forms_box.isVisible()  # nothing to sign before the 届出 is sent
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    (head_no, head_case), = page.visit.tokurei.sent.items()

    # the forms, filled for the whole household, with what is still missing named
    forms_box, step = page.forms_box, page.forms_step
    assert forms_box.isVisible() and step.case_id == head_case
    assert [f.form.id for f in step.set.forms] == FORMS
    children = [m for m in members if m["relationship_to_head"] == "子"]
    assert len(step.set.form("jidou_teate").rows) == len(children)
    assert len(step.set.form("jumin_idou").rows) == 4
    states = [forms_box.table.item(r, 2).text() for r in range(forms_box.table.rowCount())]
    assert any(s.startswith("未入力") for s in states), states
    qtbot.mouseClick(forms_box.show_button, Qt.MouseButton.LeftButton)
    assert "未入力の項目があります" in forms_box.message.text() or resident.window.showing == "page"
    typed = {"口座": "架空銀行　本店　普通　1234567", "保険者名": "架空健康保険組合",
             "種類": "認定請求", "年金": "国民年金"}
    for edit in forms_box.clerk_edits.values():  # 口座, 健康保険 … only the clerk can type
        keys(qtbot, edit, next((v for k, v in typed.items() if k in edit.accessibleName()), "記入"))
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not step.set.missing(), step.set.missing()

    # the signature cannot be asked for before every page was shown
    qtbot.mouseClick(forms_box.sign_button, Qt.MouseButton.LeftButton)
    assert "確認いただいていません" in forms_box.message.text()
    assert resident.window.showing != "signature"
    n = 0
    while step.set.next_unseen() is not None:
        with qtbot.waitSignal(resident.painted, timeout=5000):
            qtbot.mouseClick(forms_box.show_button, Qt.MouseButton.LeftButton)
        assert resident.window.showing == "page", forms_box.message.text()
        if n == 0:
            screenshot(window, "44-forms-sent-to-resident.png", forms_box)
            out = os.environ.get("MADOGUCHI_SCREENS_OUT")
            if out:
                resident.window.grab().save(os.path.join(out, "45-resident-screen-page.png"))
        n += 1
    assert step.set.next_unseen() is None
    # the resident's screen holds exactly the last form page sent, drawn from the form alone
    last_id, last_page = step.set.page_order()[-1]
    assert resident.window.page_view.image == form_pdf.render_page(
        step.set.form(last_id), last_page - 1, PAGE_SIZE)
    # what the resident sees is the form only: no clerk's menu, no other person, no 個人番号
    shown = " ".join(w.text() for w in resident.window.findChildren(type(resident.window.page_title))
                     if w.isVisible())
    assert all(m["my_number"] not in shown for m in members)
    assert "住民検索" not in shown
    assert _other["members"][0]["name_kanji"] not in shown  # the other household read earlier
    for f in step.set.forms:
        assert _other["members"][0]["name_kanji"] not in json.dumps(f.items(), ensure_ascii=False)

    # one signature, with a pen, on the resident's window
    qtbot.mouseClick(forms_box.sign_button, Qt.MouseButton.LeftButton)
    assert resident.window.showing == "signature"
    QApplication.processEvents()
    draw_tablet(resident.window.pad)
    out = os.environ.get("MADOGUCHI_SCREENS_OUT")
    if out:
        resident.window.grab().save(os.path.join(out, "46-resident-screen-signature.png"))
    with qtbot.waitSignal(resident.signed, timeout=5000):
        qtbot.mouseClick(resident.window.confirm_button, Qt.MouseButton.LeftButton)
    signature = step.set.signature
    assert signature is not None and signature.input == "tablet" and signature.pressure
    assert resident.window.showing == "blank"

    # stored only once the resident was told who receives what (K-PRIV-11)
    qtbot.mouseClick(forms_box.store_button, Qt.MouseButton.LeftButton)
    assert "保険年金課" in forms_box.message.text() and "説明" in forms_box.message.text()
    with central.sessions() as db:
        assert db.scalars(select(SignedForm)).all() == []
    forms_box.told_check.setChecked(True)
    qtbot.mouseClick(forms_box.store_button, Qt.MouseButton.LeftButton)
    assert step.set.all_stored, forms_box.message.text()
    assert "保存しました" in forms_box.message.text()
    screenshot(window, "47-forms-stored.png", forms_box)
    # the 手続き案内票 says which division was sent which form (K-WF-4.5); no one's data
    qtbot.mouseClick(page.guide_button, Qt.MouseButton.LeftButton)
    guide = pdf_text(page.last_guide.read_bytes())
    assert "保険年金課へ「国民健康保険資格取得・喪失届」の内容をお送りしました" in guide, guide
    assert "子育て支援課へ" in guide and members[0]["name_kanji"].replace("　", "") not in guide

    with central.sessions() as db:
        rows = db.scalars(select(SignedForm).order_by(SignedForm.form_id)).all()
        assert sorted(r.form_id for r in rows) == sorted(FORMS)
        assert all(r.case_id == head_case and r.signer == "resident" for r in rows)
        for r in rows:  # encrypted at rest: neither the PDF nor a name in the clear
            assert b"%PDF" not in r.pdf_enc and members[0]["name_kanji"].encode() not in r.fields_enc
        stored = {a.detail["form_id"]: a.detail["sha256"] for a in db.scalars(
            select(AuditEvent).where(AuditEvent.action == "form.store"))}
        assert stored == {r.form_id: r.sha256 for r in rows}
        assert all(r.told_divisions for r in rows if r.division_id != "shimin")

    # the stored PDF, rendered back: the signature is in its box
    pdf = window.client.form_pdf(head_case, "kokuho_shikaku")
    filled = step.set.form("kokuho_shikaku")
    page_no, box_rect = form_pdf.signature_box(filled)
    image = pdf_page(pdf, page_no, tmp_path)
    assert dark_share(image, box_rect, DPI / 254, inset=20) > 0.005

    # 審査: the forms beside the entry, the same content; approved
    reviewer.review_action.trigger()
    review = reviewer.review_page
    qtbot.mouseClick(review.refresh_button, Qt.MouseButton.LeftButton)
    review.select_case(head_case)
    assert review.forms_table.rowCount() == len(FORMS)
    texts = [review.forms_table.item(r, 4).text() for r in range(review.forms_table.rowCount())]
    assert "一致" in review.forms_label.text(), texts
    texts = [review.forms_table.item(r, 4).text() for r in range(review.forms_table.rowCount())]
    assert all(t.startswith("一致") for t in texts), texts
    assert [review.forms_table.item(r, 3).text() for r in range(len(FORMS))] == [
        "市民課", "保険年金課", "子育て支援課", "子育て支援課"]  # in the catalogue's order
    out = os.environ.get("MADOGUCHI_SCREENS_OUT")
    if out:
        reviewer.resize(1180, 960)
        QApplication.processEvents()
        reviewer.grab().save(os.path.join(out, "48-review-signed-forms.png"))
    approve_all(qtbot, central, reviewer, [head_case])

    # 庁内連携: each division receives exactly its forms' items, nothing of the others
    kokuho = feed(central, "kokuho", tokens["kokuho"])
    assert [e["form_id"] for e in kokuho] == ["kokuho_shikaku"]
    assert kokuho[0]["items"] == step.set.form("kokuho_shikaku").items()
    kosodate = feed(central, "kosodate", tokens["kosodate"])
    assert sorted(e["form_id"] for e in kosodate) == ["jidou_teate", "kodomo_iryou"]
    for e in kosodate:
        assert e["items"] == step.set.form(e["form_id"]).items()
    kokuho_text = json.dumps(kokuho, ensure_ascii=False)
    for item in step.set.form("jidou_teate").form.fields:
        if item.source == "clerk":  # the 児童手当 口座 never reaches 国保
            assert item.id not in kokuho_text

    # nothing of a form or the signature on the terminal's disk (workspace, print folder, tmp)
    written = {**files_under(tmp_path / "ws"), **files_under(window._print_dir())}
    for path, data in written.items():
        assert b"%PDF" not in data or "guide" in path, path
        assert members[0]["name_kanji"].encode() not in data, path
    screenshot(window, "47-forms-stored.png", forms_box)


def test_a_proxy_signature_on_a_single_tennyu_records_the_writer_and_the_reason(
        central, qtbot, tmp_path):
    """代筆 (#23 point 3): the clerk writes for a resident who cannot, on the resident's pad; the
    stored form says who wrote it and why. A single 転入 with the card (no other division): no
    notice needed; the newcomer founds a 世帯 and is its 世帯主 on the form."""
    from tests.e2e.test_case_flow import type_into
    from tests.e2e.test_tennyu_card import NewcomerCard, read_card, start_tennyu

    central.operator("c1", ["clerk"])
    card = NewcomerCard("代筆　次郎")
    window = open_window(central, qtbot, "FRM-0003", tmp_path / "ws", card_access=card)
    resident = window.resident_screen
    resident.window.show()
    qtbot.waitExposed(resident.window)
    log_in(qtbot, central, window, "c1")
    page = start_tennyu(qtbot, window, "B-7")
    read_card(qtbot, window, page)
    for name, value in {"name_kana": "ダイヒツ　ジロウ", "postal_code": "1234567",
                        "address": "架空県さくら市本町三丁目4番5号",
                        "idou_date": TODAY.isoformat()}.items():
        type_into(qtbot, page, name, value)
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    case_id = page.case.submitted_case_ids[-1]
    step, forms_box = page.forms_step, page.forms_box
    assert [f.form.id for f in step.set.forms] == ["jumin_idou"]
    (row,) = step.set.form("jumin_idou").rows
    assert (row["name_kanji"], row["relationship_to_head"]) == ("代筆　次郎", "世帯主")
    assert not step.set.missing(), step.set.missing()
    assert not forms_box.told_check.isVisible()  # no other division receives anything
    with qtbot.waitSignal(resident.painted, timeout=5000):
        qtbot.mouseClick(forms_box.show_button, Qt.MouseButton.LeftButton)
    forms_box.proxy_check.setChecked(True)
    forms_box.proxy_combo.setCurrentIndex(forms_box.proxy_combo.findData("other"))
    qtbot.mouseClick(forms_box.sign_button, Qt.MouseButton.LeftButton)
    assert "代筆の理由を入力してください" in forms_box.message.text()  # "other" needs its words
    assert resident.window.showing == "page"
    forms_box.proxy_combo.setCurrentIndex(forms_box.proxy_combo.findData("physical"))
    qtbot.mouseClick(forms_box.sign_button, Qt.MouseButton.LeftButton)
    assert resident.window.showing == "signature"
    assert "代筆" in resident.window.proxy_label.text()
    QApplication.processEvents()
    draw_tablet(resident.window.pad)
    with qtbot.waitSignal(resident.signed, timeout=5000):
        qtbot.mouseClick(resident.window.confirm_button, Qt.MouseButton.LeftButton)
    assert step.set.signature.proxy.writer == "c1"
    qtbot.mouseClick(forms_box.store_button, Qt.MouseButton.LeftButton)
    assert step.set.all_stored, forms_box.message.text()
    with central.sessions() as db:
        (row,) = db.scalars(select(SignedForm)).all()
        assert (row.case_id, row.signer, row.proxy_writer, row.proxy_reason) == (
            case_id, "proxy", "c1", "physical")
    text = pdf_text(window.client.form_pdf(case_id, "jumin_idou"))
    assert "代筆" in text and "c1" in text.lower()


def test_the_catalogue_forms_render_for_screenshots(tmp_path):
    """docs/screens 49–53: each generated form of a family 転入, as the resident's screen shows
    it (when the screenshots are being made); always: each renders at the resident's size."""
    from tests.unit.test_forms import family_sources
    from app.forms import fill, forms_for

    plan = procedures.plan(procedures.load(), ["move_in"],
                           {"kokuho": True, "children": True, "kaigo": True})
    defs = forms_for(plan, load(catalogue=procedures.load()))
    out = os.environ.get("MADOGUCHI_SCREENS_OUT")
    for n, d in enumerate(defs):
        filled = fill(d, family_sources())
        image = form_pdf.render_page(filled, 0, QSize(1240, 1754))
        assert not image.isNull() and image.width() == 1240
        if out:
            image.save(os.path.join(out, f"{49 + n}-form-{d.id}.png"))


def test_a_tenkyo_form_is_completed_by_the_clerk_where_no_source_fills_it(central, qtbot, tmp_path):
    """A 転居 of a resident on the register (#23 point 1): the 住民異動届 only (no other division,
    no notice); what the register summary does not give (続柄, 世帯主 …) the clerk completes on the
    form (補記); shown, signed with the mouse, stored — and the reviewer sees it agree."""
    from tests.central.factories import new_resident
    from tests.e2e.test_case_flow import type_into
    from tests.ui.test_resident_screen import draw_mouse

    setup = central.clerk(login_id="setup1")
    made = new_resident(setup, name_kanji="転居　三郎", name_kana="テンキョ　サブロウ")
    central.operator("c2", ["clerk"])
    central.operator("r2", ["reviewer"])
    window = open_window(central, qtbot, "FRM-0004", tmp_path / "ws")
    resident = window.resident_screen
    resident.window.show()
    qtbot.waitExposed(resident.window)
    log_in(qtbot, central, window, "c2")
    code = setup.get(f"/v1/residents/{made['resident_id']}",
                     params={"purpose": "idou"}).json()["juminhyo_code"]
    search = find_resident(qtbot, window, "idou", code)
    search.results_table.selectRow(0)
    qtbot.mouseClick(search.entry_button, Qt.MouseButton.LeftButton)
    page = window.case_page
    qtbot.keyClicks(page.queue_edit, "8")
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    page.event_checks["move_within"].setChecked(True)
    type_into(qtbot, page, "postal_code", "1234567")
    type_into(qtbot, page, "address", "架空県さくら市中町1-1")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    case_id = page.case.submitted_case_ids[-1]
    step, forms_box = page.forms_step, page.forms_box
    assert [f.form.id for f in step.set.forms] == ["jumin_idou"]
    idou = step.set.form("jumin_idou")
    assert idou.values["new_address"] == "架空県さくら市中町1-1" and idou.rows[0]["name_kanji"] == "転居　三郎"
    missing = set(idou.missing)
    for key, edit in forms_box.clerk_edits.items():  # each item no source filled is typed here
        keys(qtbot, edit, "世帯主" if "続柄" in edit.accessibleName() else
             "転居　三郎" if "世帯主" in edit.accessibleName() or "届出人" in edit.accessibleName()
             else "記入")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert missing and not step.set.missing(), (missing, step.set.missing())
    assert not forms_box.told_check.isVisible()
    with qtbot.waitSignal(resident.painted, timeout=5000):
        qtbot.mouseClick(forms_box.show_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(forms_box.sign_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    draw_mouse(resident.window.pad)
    with qtbot.waitSignal(resident.signed, timeout=5000):
        qtbot.mouseClick(resident.window.confirm_button, Qt.MouseButton.LeftButton)
    assert step.set.signature.input == "mouse"
    qtbot.mouseClick(forms_box.store_button, Qt.MouseButton.LeftButton)
    assert step.set.all_stored, forms_box.message.text()
    window.logout()
    assert resident.window.showing == "blank"
    log_in(qtbot, central, window, "r2")
    window.review_action.trigger()
    review = window.review_page
    review.select_case(case_id)
    assert review.forms_table.rowCount() == 1 and "一致" in review.forms_label.text(), [
        review.forms_table.item(0, 4).text()]
