"""この来庁の申請書 (#23; K-WF-4.3, K-WF-4.5, K-PRIV-11): every page is shown before the one
signature, a changed form is shown again and the signature dropped, a division's form is stored only
once the resident was told, and the upload body is exactly the form's items, digest and signature."""
from __future__ import annotations

import base64
import hashlib
import json

import pytest

from app import forms, procedures
from app.signature import Point, Signature, Stroke
from app.visit_forms import FormSet
from tests.unit.test_forms import family_sources

SIG = Signature((Stroke((Point(1, 1, 0), Point(30, 20, 12))),), "mouse", 400, 120,
                "2026-04-10T01:00:00+00:00")


@pytest.fixture(scope="module")
def catalogue():
    return forms.load(catalogue=procedures.load())


def family(catalogue, **clerk):
    plan = procedures.plan(procedures.load(), ["move_in"], {"kokuho": True, "children": True})
    sources = family_sources(**clerk)
    return [forms.fill(d, sources) for d in forms.forms_for(plan, catalogue)]


def ready(catalogue) -> FormSet:
    filled = family(catalogue)
    clerk = {}
    for f in filled:  # the clerk types what only the clerk knows (口座 and the like)
        for fd in f.form.fields:
            if fd.source == "clerk":
                clerk[fd.id] = "テスト入力"
        for fd in f.form.person_fields:
            if fd.source == "clerk":
                clerk.update({f"{fd.id}.{n}": "架空健康保険組合" for n in range(len(f.rows))})
    filled = [forms.fill(f.form, forms.FormSources(**{**family_sources().__dict__, "clerk": clerk}))
              for f in filled]
    fs = FormSet()
    fs.set_forms(filled, {f.form.id: 1 for f in filled})
    return fs


def test_the_signature_waits_for_every_page_and_item(catalogue):
    fs = FormSet()
    assert fs.problem_before_signing() == "署名いただく申請書がありません"
    fs.set_forms(family(catalogue), {})
    if fs.missing():
        assert "未入力" in fs.problem_before_signing()
    fs = ready(catalogue)
    assert not fs.missing()
    order = fs.page_order()
    assert len(order) >= 3
    for form_id, page in order[:-1]:
        fs.mark_shown(form_id, page)
        assert "まだお客様に確認いただいていません" in fs.problem_before_signing()
        with pytest.raises(ValueError):
            fs.sign(SIG)
    fs.mark_shown(*order[-1])
    assert fs.problem_before_signing() is None
    fs.sign(SIG)
    assert fs.signature is SIG


def test_a_changed_form_is_shown_again_and_the_signature_dropped(catalogue):
    fs = ready(catalogue)
    for fp in fs.page_order():
        fs.mark_shown(*fp)
    fs.sign(SIG)
    changed = [forms.FilledForm(f.form, {**f.values, "todoke_date": "令和9年1月1日"}, f.rows, ())
               if f.form.id == "jumin_idou" else f for f in fs.forms]
    assert fs.set_forms(changed, dict(fs.pages))
    assert fs.signature is None
    assert fs.next_unseen() == ("jumin_idou", 1)
    assert all(fid != "jumin_idou" for fid, _p in fs.shown)
    assert not fs.set_forms(changed, dict(fs.pages))  # the same again: nothing changes


def test_division_forms_are_stored_only_once_the_resident_was_told(catalogue):
    fs = ready(catalogue)
    for fp in fs.page_order():
        fs.mark_shown(*fp)
    assert fs.problem_before_storing() == "お客様の署名がまだありません"
    fs.sign(SIG)
    problem = fs.problem_before_storing()
    assert problem is not None and "保険年金課" in problem and "説明" in problem
    with pytest.raises(ValueError):
        fs.upload(fs.forms[1], b"%PDF-1.4")
    fs.told_divisions = True
    assert fs.problem_before_storing() is None
    kokuho = fs.form("kokuho_shikaku")
    body = fs.upload(kokuho, b"%PDF-1.4 x")
    assert base64.b64decode(body["pdf"]) == b"%PDF-1.4 x"
    assert body["items"] == kokuho.items() and body["told_divisions"] is True
    canonical = json.dumps(body["items"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert body["digest"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert Signature.from_json(body["signature"]) == SIG
    assert "jidou" not in json.dumps(body["items"], ensure_ascii=False)  # only its own items
    fs.mark_stored("kokuho_shikaku", 1)
    assert fs.guide_lines() == ["保険年金課へ「国民健康保険 資格取得・喪失届」の内容をお送りしました（審査の後に届きます）"]
    assert not fs.all_stored
    for f in fs.to_store():
        fs.mark_stored(f.form.id, 1)
    assert fs.all_stored
    assert "山田" not in repr(fs)


def test_the_reviewer_sees_where_a_form_and_the_entry_differ(catalogue):
    from app.visit_forms import form_checks

    fs = ready(catalogue)
    idou = fs.form("jumin_idou").items()
    command = {"kind": "tennyu", "idou_date": "2026-04-01", "todoke_date": "2026-04-10",
               "person": {"name_kanji": "山田　太郎", "address": "東京都架空市本町一丁目2番3号"},
               "members": [{"person": {"name_kanji": n}} for n in
                           ("山田　花子", "山田　一郎", "山田　次郎")]}
    checks = form_checks(idou, command)
    assert checks and all(c.same for c in checks), [c for c in checks if not c.same]
    moved = {**command, "person": {**command["person"], "address": "東京都架空市別町9番"},
             "idou_date": "2026-03-31"}
    wrong = {c.label for c in form_checks(idou, moved) if not c.same}
    assert wrong == {"新しい住所", "異動日"}
    alone = {**command, "members": []}
    strangers = [c for c in form_checks(idou, alone) if not c.same]
    assert [c.on_form for c in strangers] == ["山田　花子", "山田　一郎", "山田　次郎"]
    tokurei = {**alone, "tokurei": {"tennyu_yotei_id": 7}}  # the household's own 転入 follow
    assert all(c.same for c in form_checks(idou, tokurei))
    kokuho = fs.form("kokuho_shikaku").items()
    assert {c.label for c in form_checks(kokuho, command)} <= {"異動日", "届出日", "氏名"}
