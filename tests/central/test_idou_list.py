"""異動リスト (DQ-2, K-DQ-6, K-WF-6.5): the day's applied 異動 of every kind, per counter and for the
office, as JSON and PDF, ticked row by row by a reviewer who did not enter it; rows nobody ticked
stay on the lists of the following days. Never a 個人番号; every read and refusal audited."""
from __future__ import annotations

import datetime as dt
import subprocess
import uuid

import pytest

from central import clock  # today in JST, as the centre dates everything
from tests.central.factories import add_support_measure, my_number, post, tennyu

TODAY = clock.today()
ALL_KINDS = {"tennyu", "tenkyo", "tenshutsu", "setai_henko", "shussei", "shibou",
             "shokken_kisai", "shokken_shojo", "shokken_shusei"}


def _ok(r):
    assert r.status_code in (200, 201), r.text
    return r.json()


def _record(client, rid):
    return _ok(client.get(f"/v1/residents/{rid}", params={"purpose": "idou"}))


def _evidence() -> dict:
    return {"investigated_on": TODAY.isoformat(), "investigators": ["chosa1", "chosa2"],
            "method": "site_visit", "finding": "居住の実態を確認"}


def _shokken(central, entrant, approver, body) -> dict:
    case = _ok(entrant.post("/v1/shokken", json=body,
                            headers={"Idempotency-Key": str(uuid.uuid4())}))
    return _ok(approver.post(f"/v1/shokken/{case['case_id']}/approve",
                             headers={"Idempotency-Key": str(uuid.uuid4())}))


@pytest.fixture
def day(central):
    """A day at two counters: 窓口1 (clerk c1, with 特定個人情報アクセス権限) enters a 転入 with a
    My Number, a 転居, a 出生, a 世帯変更, a 転出 and a 死亡; 窓口2 (clerk c2) a 転入 and the three
    職権 entries, which supervisor kacho approves."""
    t1, t2 = central.device("MADO-1"), central.device("MADO-2")
    central.operator("c1", ["clerk", "my_number_access"])
    central.operator("c2", ["clerk"])
    central.operator("kacho", ["supervisor"])
    central.operator("rev", ["reviewer"])
    c1, c2 = central.client(t1, "c1"), central.client(t2, "c2")
    kacho, rev = central.client(login_id="kacho"), central.client(login_id="rev")
    number = my_number()
    today = TODAY.isoformat()
    mother = _ok(post(c1, tennyu(name_kanji="異動　花子", name_kana="イドウ　ハナコ",
                                 sex="female", birth_date="1990-05-05", my_number=number)))
    moved = _ok(post(c1, {"kind": "tenkyo", "resident_id": mother["resident_id"],
                          "expected_version": mother["version"], "idou_date": today,
                          "todoke_date": today, "changes": {"address": "架空県さくら市竹町3番3号"}}))
    hh = _record(c1, mother["resident_id"])["household"]["household_no"]
    baby = _ok(post(c1, {"kind": "shussei", "idou_date": today, "todoke_date": today,
                         "person": {"name_kanji": "異動　一郎", "name_kana": "イドウ　イチロウ",
                                    "birth_date": today, "sex": "male", "postal_code": "9990001",
                                    "address": "架空県さくら市竹町3番3号"},
                         "household": {"household_no": hh, "relationship_to_head": "子"}}))
    other = _ok(post(c1, tennyu(name_kanji="世帯　変男", name_kana="セタイ　ヘンオ")))
    _ok(post(c1, {"kind": "setai_henko", "resident_id": other["resident_id"],
                  "expected_version": other["version"], "idou_date": today, "todoke_date": today,
                  "changes": {"household_no": hh, "relationship_to_head": "同居人"}}))
    leaver = _ok(post(c1, tennyu(name_kanji="転出　去子", name_kana="テンシュツ　サリコ",
                                 sex="female")))
    _ok(post(c1, {"kind": "tenshutsu", "resident_id": leaver["resident_id"],
                  "expected_version": leaver["version"], "idou_date": today,
                  "todoke_date": today, "moved_out_to": "架空県もみじ市北町7番7号"}))
    late = _ok(post(c1, tennyu(name_kanji="死亡　故人", name_kana="シボウ　コジン")))
    _ok(post(c1, {"kind": "shibou", "resident_id": late["resident_id"],
                  "expected_version": late["version"], "idou_date": today, "todoke_date": today}))
    gone = _ok(post(c2, tennyu(name_kanji="不在　住人", name_kana="フザイ　ジュウニン")))
    _shokken(central, c2, kacho, {
        "kind": "shokken_shojo", "resident_id": gone["resident_id"],
        "expected_version": gone["version"], "idou_date_unknown": True,
        "reason": "不現住", "investigation": _evidence()})
    _shokken(central, c2, kacho, {
        "kind": "shokken_kisai", "idou_date": today, "reason": "居住の実態あり",
        "investigation": _evidence(),
        "person": {"name_kanji": "職権　記載", "name_kana": "ショッケン　キサイ",
                   "birth_date": "1970-01-01", "sex": "male", "postal_code": "9990003",
                   "address": "架空県さくら市菊町1番1号"}})
    _shokken(central, c2, kacho, {
        "kind": "shokken_shusei", "resident_id": baby["resident_id"],
        "expected_version": 1, "idou_date": today, "reason": "出生届の誤記の修正",
        "investigation": dict(_evidence(), method="documents", investigators=["c2"]),
        "changes": {"name_kana": "イドウ　イチロー"}})
    assert moved["version"] == 2
    return {"central": central, "c1": c1, "c2": c2, "kacho": kacho, "rev": rev,
            "number": number, "t1": t1.device_id, "t2": t2.device_id}


def test_the_days_list_has_every_kind_per_counter_and_for_the_office(day):
    """DQ-2 / K-DQ-6: every 異動 of the day, with 種別 (届出/職権), entrant, terminal and approver."""
    rev = day["rev"]
    office = _ok(rev.get("/v1/idou-list"))
    assert office["date"] == TODAY.isoformat() and office["scope"] == "office"
    kinds = [r["kind"] for r in office["rows"]]
    assert set(kinds) == ALL_KINDS and kinds.count("tennyu") == 5
    assert office["count"] == office["today_count"] == office["unchecked_count"] == 13
    assert office["carried_over_count"] == 0
    by_kind = {r["kind"]: r for r in office["rows"]}
    assert {k: r["entry_kind_ja"] for k, r in by_kind.items()} == {
        k: "職権" if k.startswith("shokken") else "届出" for k in ALL_KINDS}
    assert by_kind["shokken_shojo"]["approved_by"] == "kacho"
    assert by_kind["shokken_shojo"]["operator"] == "c2"
    assert by_kind["tenkyo"]["approved_by"] is None and by_kind["tenkyo"]["device"] == day["t1"]
    assert by_kind["tenshutsu"]["moved_out_to"] == "架空県もみじ市北町7番7号"
    assert by_kind["tenkyo"]["changed_fields"] == ["address", "address_set_on",
                                                   "previous_address"]
    assert by_kind["shokken_shusei"]["changed_fields"] == ["name_kana"]
    # each row shows the person as that 異動 left them (what its 届出 says), not as they are now
    first_in = next(r for r in office["rows"] if r["resident_id"] == by_kind["tenkyo"]["resident_id"])
    assert first_in["kind"] == "tennyu" and first_in["address"].startswith("架空県さくら市桜町")
    assert by_kind["tenkyo"]["address"] == "架空県さくら市竹町3番3号"
    assert by_kind["shussei"]["name_kana"] == "イドウ　イチロウ"
    assert by_kind["shokken_shusei"]["name_kana"] == "イドウ　イチロー"
    assert day["number"] not in str(office) and "my_number" not in str(office)

    one = _ok(rev.get("/v1/idou-list", params={"device": day["t1"]}))
    assert one["scope"] == "device" and {r["device"] for r in one["rows"]} == {day["t1"]}
    assert sorted(r["kind"] for r in one["rows"]) == sorted(
        ["tennyu"] * 4 + ["tenkyo", "shussei", "setai_henko", "tenshutsu", "shibou"])
    two = _ok(rev.get("/v1/idou-list", params={"device": day["t2"]}))
    assert sorted(r["kind"] for r in two["rows"]) == sorted(
        ["tennyu", "shokken_kisai", "shokken_shojo", "shokken_shusei"])
    assert _ok(rev.get("/v1/idou-list", params={"device": "MADO-9"}))["rows"] == []

    reads = [a for a in day["central"].audit_rows("idou_list.read") if a.outcome == "ok"]
    assert [a.detail["device"] for a in reads] == [None, day["t1"], day["t2"], "MADO-9"]
    assert all(a.operator_login == "rev" and a.purpose == "review" for a in reads)
    assert reads[0].subject.count("resident:") == len({r["resident_id"]
                                                       for r in office["rows"]})


def test_ticking_rows_and_the_unticked_carried_to_the_next_day(day, monkeypatch):
    """DQ-2: a reviewer ticks rows (who, when); the entrant cannot; unticked rows stay visible on
    the next day's list until ticked (the next day through the clock seam, no sleeping)."""
    rev, kacho, central = day["rev"], day["kacho"], day["central"]
    rows = _ok(rev.get("/v1/idou-list"))["rows"]
    first, second = rows[0], rows[1]
    tick = _ok(rev.post(f"/v1/idou-list/{first['history_id']}/check"))
    assert tick["checked_by"] == "rev" and tick["checked_at"].endswith("Z")
    again = rev.post(f"/v1/idou-list/{first['history_id']}/check")
    assert again.status_code == 409 and again.json()["code"] == "idou_already_checked"
    # the person who entered a 異動 never ticks it: kacho approved the 職権 entries but entered
    # none, so may tick them; a supervisor who entered one may not
    shusei = next(r for r in rows if r["kind"] == "shokken_shusei")
    _ok(kacho.post(f"/v1/idou-list/{shusei['history_id']}/check"))
    own = _ok(post(kacho, tennyu(name_kanji="所属　長子", name_kana="ショゾク　チョウコ")))
    own_row = next(r for r in _ok(kacho.get("/v1/idou-list"))["rows"]
                   if r["resident_id"] == own["resident_id"])
    refused = kacho.post(f"/v1/idou-list/{own_row['history_id']}/check")
    assert refused.status_code == 403 and refused.json()["code"] == "idou_checker_is_entrant"
    missing = rev.post("/v1/idou-list/999999/check")
    assert missing.status_code == 404 and missing.json()["code"] == "idou_not_found"
    checks = [(a.operator_login, a.outcome, a.detail.get("code"))
              for a in central.audit_rows("idou_list.check")]
    assert checks == [("rev", "ok", None), ("rev", "rejected", "idou_already_checked"),
                      ("kacho", "ok", None), ("kacho", "denied", "idou_checker_is_entrant"),
                      ("rev", "rejected", "idou_not_found")]

    today = _ok(rev.get("/v1/idou-list"))
    assert today["unchecked_count"] == today["count"] - 2 == 12
    row = next(r for r in today["rows"] if r["history_id"] == first["history_id"])
    assert row["checked"] and row["checked_by"] == "rev"

    # the next day in Japan: yesterday's ticked rows are gone, the unticked ones carried over
    tomorrow = TODAY + dt.timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda now=None: tomorrow)
    nxt = _ok(rev.get("/v1/idou-list"))
    assert nxt["date"] == tomorrow.isoformat() and nxt["today_count"] == 0
    ids = [r["history_id"] for r in nxt["rows"]]
    assert first["history_id"] not in ids and shusei["history_id"] not in ids
    assert second["history_id"] in ids and len(ids) == 12
    assert all(r["carried_over"] and r["recorded_day"] == TODAY.isoformat()
               for r in nxt["rows"])
    # per counter too; ticking it on the next day removes it from then on
    on_t1 = _ok(rev.get("/v1/idou-list", params={"device": day["t1"]}))["rows"]
    assert {r["device"] for r in on_t1} == {day["t1"]} and len(on_t1) == 8
    _ok(rev.post(f"/v1/idou-list/{second['history_id']}/check"))
    assert second["history_id"] not in [
        r["history_id"] for r in _ok(rev.get("/v1/idou-list"))["rows"]]
    # yesterday's own list still shows every row of that day, ticked or not
    past = _ok(rev.get("/v1/idou-list", params={"date": TODAY.isoformat()}))
    assert past["today_count"] == 14 and past["carried_over_count"] == 0
    # a day after tomorrow is in the future
    r = rev.get("/v1/idou-list", params={"date": (tomorrow + dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and r.json()["code"] == "date_in_future"


def _pdf_text(pdf: bytes, tmp_path, name: str = "list.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return "".join(text.split())  # pdftotext turns the full-width space into breaks: compare flat


def test_the_pdf_has_the_rows_and_no_my_number(day, tmp_path):
    """The printed 異動リスト (K-WF-6.5): the same rows, 職権 marked, a 点検 column; it renders."""
    rev = day["rev"]
    rows = _ok(rev.get('/v1/idou-list'))["rows"]
    _ok(rev.post(f"/v1/idou-list/{rows[0]['history_id']}/check"))
    add_support_measure(day["central"], rows[0]["resident_id"])  # a 支援措置 subject is marked
    assert _ok(rev.get("/v1/idou-list"))["rows"][0]["support_measure"] is True
    r = rev.get("/v1/idou-list.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    assert r.content.startswith(b"%PDF-")
    text = _pdf_text(r.content, tmp_path)
    assert "異動リスト" in text and f"{TODAY.isoformat()}（日本時間）" in text and "全体" in text
    for word in ("転入", "転居", "転出", "世帯変更", "出生", "死亡", "職権記載", "職権消除",
                 "職権修正", "職権", "異動　花子", "イドウ　ハナコ", "不詳", "kacho", "済 rev",
                 "未点検", "架空県もみじ市北町7番7号", "※支援措置対象"):
        assert "".join(word.split()) in text, word
    assert day["number"] not in text and day["number"] not in r.content.decode("latin-1")
    assert text.count("未点検") == 14  # 12 unticked rows and the summary line's two
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp_path / "list.pdf"), str(png)],
                   check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.stat().st_size > 2000 for p in pages)

    one = rev.get("/v1/idou-list.pdf", params={"device": day["t2"]})
    text = _pdf_text(one.content, tmp_path, "device.pdf")
    assert f"端末{day['t2']}" in text and "職権消除" in text and "異動花子" not in text
    pdf_reads = day["central"].audit_rows("idou_list.pdf")
    assert f"resident:{rows[0]['resident_id']}" in pdf_reads[0].subject.split(",")
    assert [(a.outcome, a.detail["device"]) for a in pdf_reads] == [("ok", None),
                                                                     ("ok", day["t2"])]


@pytest.mark.parametrize("role", ["clerk", "contractor_clerk", "it_admin", "security_admin"])
def test_operators_without_the_right_are_refused_and_audited(day, role):
    """K-WF-6.5: only reviewers and supervisors read and tick the list; refusals audited."""
    central = day["central"]
    client = central.clerk((role,), login_id=f"u-{role}")
    row = _ok(day["rev"].get("/v1/idou-list"))["rows"][0]
    for method, url in (("GET", "/v1/idou-list"), ("GET", "/v1/idou-list.pdf"),
                        ("POST", f"/v1/idou-list/{row['history_id']}/check")):
        r = client.request(method, url)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", (method, url)
        assert "異動" not in r.json()["detail"] and day["number"] not in r.text
    refused = [a.action for a in central.audit_rows() if a.operator_login == f"u-{role}"
               and a.outcome == "denied"]
    assert {"idou_list.read", "idou_list.pdf", "idou_list.check"} <= set(refused)
    assert not _ok(day["rev"].get("/v1/idou-list"))["rows"][0]["checked"]


def test_a_malformed_query_is_refused_and_audited(day):
    """#21 class 6 for the list: a refusal before the route runs is audited as the reviewer."""
    rev, central = day["rev"], day["central"]
    for params in ({"date": "2026-13-40"}, {"device": "x" * 41}, {"device": "MADO 1;"}):
        r = rev.get("/v1/idou-list", params=params)
        assert r.status_code == 422 and r.json()["code"] == "invalid_request", params
    rejected = [a for a in central.audit_rows("idou_list.read") if a.outcome == "rejected"]
    assert len(rejected) == 3 and {a.operator_login for a in rejected} == {"rev"}
