"""Central API behaviour on SQLite and PostgreSQL: device identity, sessions, search rule (DQ-7),
purpose and audit (LOG-1), masking (AUTHZ-2), idempotent commands, logical checks (DQ-*)."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from central.models import Resident
from central import clock  # today in JST, as the centre dates everything
from tests.central.factories import my_number, new_resident, post, tennyu, wrong_check_digit
from tests.central.signing import TestSigner, signed_client


# --- device identity --------------------------------------------------------------------------


def test_unsigned_request_is_refused(central):

    r = signed_client(central.app, None).post("/v1/sessions", json={"login_id": "x", "password": "y"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "device_auth_required"
    assert r.json()["detail_ja"]


def test_unknown_device_and_bad_signature_and_skew(central):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    term = central.device()
    stranger = signed_client(central.app, TestSigner("NOPE", Ed25519PrivateKey.generate()))
    assert stranger.get("/v1/me").json()["code"] == "device_unknown"
    forged = signed_client(central.app, TestSigner(term.device_id, Ed25519PrivateKey.generate()))
    assert forged.get("/v1/me").json()["code"] == "device_signature_invalid"
    late = signed_client(central.app, TestSigner(term.device_id, term.key,
                                                   clock=lambda: 1_000_000_000))
    assert late.get("/v1/me").json()["code"] == "device_clock_skew"
    denied = central.audit_rows("device.auth") + central.audit_rows("changes.read")
    assert {a.outcome for a in denied} == {"denied"}
    assert len(denied) == 3


def test_body_is_bound_to_the_signature(central):
    """Changing the body after signing breaks verification."""
    central.operator("clerk1", ["clerk"])
    term = central.device()
    client = central.client(term)

    class Tamper(TestSigner):
        def auth_flow(self, request):
            for req in super().auth_flow(request):
                req._content = req.content.replace(b"clerk1", b"clerk2")
                yield req

    client.auth = Tamper(term.device_id, term.key)
    r = client.post("/v1/sessions", json={"login_id": "clerk1", "password": "x"})
    assert r.json()["code"] == "device_signature_invalid"


def test_disabled_device_gets_a_distinct_answer(central):
    """DEV-3: remote disable; the device's next contact says device_disabled and sessions end."""
    central.operator("it1", ["it_admin"])
    central.operator("clerk1", ["clerk"])
    laptop = central.device(kind="loan", loan_approved_by="課長", loan_approval_ref="R7-12")
    clerk = central.client(laptop, "clerk1")
    assert clerk.get("/v1/me").status_code == 200
    it = central.client(login_id="it1")
    r = it.post(f"/v1/admin/devices/{laptop.device_id}/disable", json={"reason": "紛失"})
    assert r.status_code == 200
    r = clerk.get("/v1/me")
    assert r.status_code == 403 and r.json()["code"] == "device_disabled"


# --- sessions and rights ----------------------------------------------------------------------


def test_login_returns_rights_and_policy(central):
    central.operator("clerk1", ["clerk", "my_number_access"])
    term = central.device(kind="loan", loan_approved_by="課長", loan_approval_ref="R7-1")
    c = central.client(term)
    r = c.post("/v1/sessions", json={"login_id": "clerk1", "password": central.passwords["clerk1"]})
    assert r.status_code == 201
    body = r.json()
    assert {x["right"] for x in body["rights"]} == {"clerk", "my_number_access"}
    assert body["policy"]["idle_lock_minutes"] == 5
    assert body["policy"]["max_session_minutes"] == 480
    assert body["policy"]["roaming_allowed"] is True
    end = dt.date.fromisoformat(body["rights"][0]["valid_until"])
    assert (end.month, end.day) == (3, 31)
    assert "password" not in r.text.lower().replace("password_change_required", "")


def test_wrong_password_is_refused_audited_and_locks_after_five(central):
    central.operator("clerk1", ["clerk"])
    c = central.client()
    for _ in range(5):
        r = c.post("/v1/sessions", json={"login_id": "clerk1", "password": "wrong"})
        assert r.status_code == 401 and r.json()["code"] == "login_failed"
    r = c.post("/v1/sessions", json={"login_id": "clerk1", "password": central.passwords["clerk1"]})
    # locked: the right password still does not open a session, and the answer is the one an
    # unknown ID gets (#21 class 2); the audit row says why
    assert r.status_code == 401 and r.json()["code"] == "login_failed"
    rows = central.audit_rows("session.login")
    assert [a.outcome for a in rows] == ["denied"] * 6
    assert rows[-1].detail["reason"] == "account_locked"
    assert rows[-2].detail["reason"] == "wrong_password_locked"
    r = c.post("/v1/sessions", json={"login_id": "nobody", "password": "x"})
    assert r.json()["code"] == "login_failed"  # the same answer as a wrong password
    last = central.audit_rows("session.login")[-1]
    assert (last.operator_login, last.detail["attempted_login_id"]) == (None, "nobody")


def test_expired_right_refuses_login(central):
    central.operator("temp1", [], employment_until=clock.today() - dt.timedelta(days=1))
    r = central.client().post("/v1/sessions", json={"login_id": "temp1",
                                                     "password": central.passwords["temp1"]})
    assert r.status_code == 403 and r.json()["code"] == "no_valid_rights"


def test_revocation_takes_effect_on_the_next_request(central):
    """AUTHZ-6: same-day revocation; rollover revokes everyone (AUTHZ-8)."""
    central.operator("sec1", ["security_admin"])
    central.operator("clerk1", ["clerk"])
    clerk = central.client(login_id="clerk1")
    q = {"purpose": "inquiry", "juminhyo_code": "12345678901"}
    assert clerk.get("/v1/residents", params=q).status_code == 200
    sec = central.client(login_id="sec1")
    with central.sessions() as db:
        from central.models import RightGrant
        gid = db.scalar(select(RightGrant.id).where(RightGrant.right == "clerk"))
    assert sec.post(f"/v1/admin/rights/{gid}/revoke", json={"reason": "異動"}).status_code == 200
    r = clerk.get("/v1/residents", params=q)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = sec.post("/v1/admin/rollover", json={"fiscal_year_end": "2027-03-31"})
    assert r.status_code == 200 and r.json()["revoked"] >= 1
    assert sec.get("/v1/audit/verify").json()["code"] == "forbidden"


def test_grant_past_fiscal_year_end_is_refused(central):
    central.operator("sec1", ["security_admin"])
    central.operator("kacho", ["supervisor"], section="市民課")
    central.operator("clerk9", [], section="市民課")
    sec = central.client(login_id="sec1")
    kacho = central.client(login_id="kacho")
    today = clock.today()
    fy_end = dt.date(today.year if today.month <= 3 else today.year + 1, 3, 31)
    body = {"login_id": "clerk9", "right": "clerk", "valid_from": today.isoformat(),
            "reason": "窓口配属"}
    r = kacho.post("/v1/admin/rights/applications", json=dict(
        body, valid_until=(fy_end + dt.timedelta(days=1)).isoformat()))
    assert r.status_code == 422 and r.json()["code"] == "right_period_invalid"
    r = kacho.post("/v1/admin/rights/applications", json=dict(body, valid_until=fy_end.isoformat()))
    assert r.status_code == 201
    r = sec.post(f"/v1/admin/rights/applications/{r.json()['id']}/execute")
    assert r.status_code == 201 and r.json()["valid_until"] == fy_end.isoformat()


# --- search, purpose, masking -----------------------------------------------------------------


def test_search_needs_two_keys_and_sex_never_counts(central):
    """DQ-7: 氏名+住所 or 氏名+生年月日; sex is not a key."""
    clerk = central.clerk()
    for params in ({"name": "試験太郎"}, {"name": "試験太郎", "sex": "male"},
                   {"address": "架空県さくら市"}, {"birth_date": "1990-04-01", "sex": "male"}, {}):
        r = clerk.get("/v1/residents", params={"purpose": "inquiry", **params})
        assert r.status_code == 422, params
        assert r.json()["code"] == "search_needs_two_keys"
        assert "氏名" in r.json()["detail_ja"]
    assert [a.outcome for a in central.audit_rows("resident.search")] == ["rejected"] * 5


def test_search_by_two_keys_and_by_code(central):
    clerk = central.clerk()
    made = new_resident(clerk, name_kanji="髙橋　ガク", name_kana="タカハシ　ガク",
                        address="架空県さくら市桜町二丁目3番4号", birth_date="1985-06-07")
    by_addr = clerk.get("/v1/residents", params={"purpose": "inquiry", "name": "髙橋 ガク",
                                                "address": "架空県さくら市桜町二丁目"}).json()
    by_birth = clerk.get("/v1/residents", params={"purpose": "inquiry", "name": "タカハシカク",
                                                 "birth_date": "1985-06-07"}).json()
    assert [i["id"] for i in by_addr["items"]] == [made["resident_id"]]
    assert [i["id"] for i in by_birth["items"]] == [made["resident_id"]]  # 清音化かな
    code = by_addr["items"][0]["juminhyo_code"]
    by_code = clerk.get("/v1/residents", params={"purpose": "certificate",
                                                "juminhyo_code": code}).json()
    assert by_code["count"] == 1
    wrong = clerk.get("/v1/residents", params={"purpose": "inquiry", "name": "髙橋ガク",
                                              "birth_date": "1985-06-08"}).json()
    assert wrong["count"] == 0


def test_search_query_is_validated_as_declared(central):
    """The lookup's query (validated in one pydantic call, api.ResidentSearchQuery) keeps the
    rules of declared parameters: lengths, a real date, a boolean; each failure is one 422
    problem naming the parameter, with Japanese text; repeated names take the last value; the
    removed-records flag still parses like a boolean (DQ-7, LOG-1)."""
    clerk = central.clerk()
    made = new_resident(clerk, name_kanji="検証　花子", name_kana="ケンショウ　ハナコ",
                        birth_date="1990-03-04")
    for bad, field in ((("juminhyo_code", "1" * 12), "juminhyo_code"),
                       (("purpose", "p" * 41), "purpose"), (("name", "名" * 101), "name"),
                       (("birth_date", "1990-02-30"), "birth_date"),
                       (("include_removed", "perhaps"), "include_removed"),
                       (("my_number", "1" * 13), "my_number")):
        r = clerk.get("/v1/residents", params=dict([("purpose", "inquiry"), bad]))
        assert r.status_code == 422, bad
        body = r.json()
        assert (body["code"], body["field"]) == ("invalid_request", field), body
        assert body["detail_ja"] and body["title_ja"] and body["errors"][0]["field"] == field
    r = clerk.get("/v1/residents?purpose=bogus&purpose=inquiry&name=検証花子&birth_date=1990-03-04"
                  "&include_removed=on")
    assert r.status_code == 200 and [i["id"] for i in r.json()["items"]] == [made["resident_id"]]
    assert clerk.get("/v1/residents", params={"juminhyo_code": "1"}).json()["code"] == (
        "purpose_required")


def test_purpose_is_required_and_recorded(central):
    """LOG-1: who, when, subject, purpose, terminal for every read."""
    clerk = central.clerk(login_id="clerk7")
    made = new_resident(clerk)
    r = clerk.get(f"/v1/residents/{made['resident_id']}")
    assert r.status_code == 422 and r.json()["code"] == "purpose_required"
    r = clerk.get(f"/v1/residents/{made['resident_id']}", params={"purpose": "other"})
    assert r.status_code == 422 and r.json()["field"] == "purpose_note"
    r = clerk.get(f"/v1/residents/{made['resident_id']}",
                  params={"purpose": "other", "purpose_note": "戸籍照合"})
    assert r.status_code == 200
    ok = [a for a in central.audit_rows("resident.read") if a.outcome == "ok"]
    assert len(ok) == 1
    row = ok[0]
    assert (row.operator_login, row.subject, row.purpose, row.purpose_note) == (
        "clerk7", f"resident:{made['resident_id']}", "other", "戸籍照合")
    assert row.device_id and row.at


def test_my_number_masked_without_the_right(central):
    """AUTHZ-2: decrypted only for holders of 特定個人情報アクセス権限."""
    number = my_number()
    plain = central.clerk(login_id="plain")
    holder = central.clerk(("clerk", "my_number_access"), login_id="holder")
    made = new_resident(holder, my_number=number)
    rid = made["resident_id"]
    for path in ("/v1/residents/%d" % rid,):
        masked = plain.get(path, params={"purpose": "idou"})
        assert number not in masked.text
        assert masked.json()["my_number"] == "************"
        assert masked.json()["my_number_disclosed"] is False
        shown = holder.get(path, params={"purpose": "idou"})
        assert shown.json()["my_number"] == number and shown.json()["my_number_disclosed"]
    r = plain.get("/v1/residents", params={"purpose": "identity", "my_number": number})
    assert r.status_code == 403 and number not in r.text
    r = holder.get("/v1/residents", params={"purpose": "identity", "my_number": number})
    assert [i["id"] for i in r.json()["items"]] == [rid]
    # never in plain text at rest, nor in the audit log
    with central.sessions() as db:
        enc = db.scalar(select(Resident.my_number_enc).where(Resident.id == rid))
    assert number.encode() not in enc
    assert all(number not in str(a.detail) + str(a.subject) for a in central.audit_rows())


# --- idempotent commands ----------------------------------------------------------------------


def test_idempotent_replay_returns_the_stored_result(central):
    clerk = central.clerk()
    key = str(uuid.uuid4())
    body = tennyu()
    first = post(clerk, body, key)
    again = post(clerk, body, key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    with central.sessions() as db:
        assert db.query(Resident).count() == 1  # effect happened once


def test_same_key_with_a_different_body_is_422(central):
    clerk = central.clerk()
    key = str(uuid.uuid4())
    assert post(clerk, tennyu(), key).status_code == 201
    r = post(clerk, tennyu(name_kanji="別人　花子", name_kana="ベツジン　ハナコ"), key)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"


def test_rejections_are_stored_results_too(central):
    clerk = central.clerk()
    key = str(uuid.uuid4())
    bad = tennyu(my_number=wrong_check_digit(my_number()))
    a, b = post(clerk, bad, key), post(clerk, bad, key)
    assert a.status_code == b.status_code == 422
    assert a.json() == b.json() and b.headers.get("Idempotent-Replayed") == "true"


def test_command_needs_an_idempotency_key(central):
    clerk = central.clerk()
    r = clerk.post("/v1/commands/idou", json=tennyu())
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_required"
    r = clerk.post("/v1/commands/idou", json=tennyu(), headers={"Idempotency-Key": "abc"})
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_invalid"


# --- logical checks ---------------------------------------------------------------------------


def _problem(r, code):
    assert r.status_code in (409, 422), r.text
    j = r.json()
    assert j["code"] == code, j
    assert j["detail_ja"] and j["title_ja"] and j["detail"] and j["type"].endswith(code)
    return j


def test_tennyu_of_a_current_resident(central):
    clerk = central.clerk(("clerk", "my_number_access"))
    number = my_number()
    new_resident(clerk, my_number=number, birth_date="1990-04-01")
    _problem(post(clerk, tennyu(my_number=number, address="架空県さくら市梅町1番1号")),
             "already_resident")
    # same person without a number: matched by name + reading + birth date
    _problem(post(clerk, tennyu(my_number=None, birth_date="1990-04-01")), "already_resident")


def test_tenshutsu_of_a_non_resident(central):
    clerk = central.clerk()
    made = new_resident(clerk)
    today = clock.today().isoformat()
    out = {"kind": "tenshutsu", "resident_id": made["resident_id"], "expected_version":
           made["version"], "idou_date": today, "todoke_date": today,
           "moved_out_to": "架空県もみじ市本町2番2号"}
    r = post(clerk, out)
    assert r.status_code == 201
    again = dict(out, expected_version=r.json()["version"])
    _problem(post(clerk, again), "not_a_resident")
    with central.sessions() as db:  # logical deletion only
        res = db.get(Resident, made["resident_id"])
        assert (res.status, res.removal_reason) == ("removed", "転出")
        assert [h.kind for h in res.history] == ["tennyu", "tenshutsu"]


def test_tenkyo_may_change_only_the_address(central):
    clerk = central.clerk()
    made = new_resident(clerk)
    today = clock.today().isoformat()
    base = {"kind": "tenkyo", "resident_id": made["resident_id"],
            "expected_version": made["version"], "idou_date": today, "todoke_date": today}
    j = _problem(post(clerk, dict(base, changes={"address": "架空県さくら市梅町3番3号",
                                                  "name_kanji": "改名　太郎"})),
                 "tenkyo_non_address_change")
    assert j["field"] == "name_kanji"
    r = post(clerk, dict(base, changes={"address": "架空県さくら市梅町3番3号",
                                        "postal_code": "9990002"}))
    assert r.status_code == 201
    _problem(post(clerk, dict(base, changes={"address": "架空県さくら市梅町4番4号"})),
             "version_conflict")


def test_my_number_with_a_wrong_check_digit(central):
    clerk = central.clerk()
    j = _problem(post(clerk, tennyu(my_number=wrong_check_digit(my_number()))),
                 "my_number_check_digit")
    assert j["field"] == "person.my_number"
    _problem(post(clerk, tennyu(my_number="12345")), "my_number_format")


def test_dates_in_the_future_or_before_birth(central):
    clerk = central.clerk()
    future = (clock.today() + dt.timedelta(days=2)).isoformat()
    body = tennyu()
    body["idou_date"] = future
    body["todoke_date"] = future
    _problem(post(clerk, body), "date_in_future")
    body = tennyu(birth_date="2020-01-01")
    body["idou_date"] = "2019-12-31"
    _problem(post(clerk, body), "date_before_birth")
    made = new_resident(clerk, birth_date="2000-02-02", name_kanji="日付　検査",
                        name_kana="ヒヅケ　ケンサ")
    r = post(clerk, {"kind": "shibou", "resident_id": made["resident_id"],
                     "expected_version": made["version"], "idou_date": "1999-01-01",
                     "todoke_date": clock.today().isoformat()})
    _problem(r, "date_before_birth")


def test_format_checks_kana_and_postal_code(central):
    clerk = central.clerk()
    _problem(post(clerk, tennyu(name_kana="しけん　たろう")), "kana_invalid")
    _problem(post(clerk, tennyu(postal_code="999-0001")), "postal_code_invalid")


def test_bad_input_is_a_problem_not_a_500(central):
    clerk = central.clerk()
    for body in ({}, {"kind": "nope"}, {"kind": "tennyu"}, [], "x",
                 dict(tennyu(), idou_date="2026-02-30")):
        r = clerk.post("/v1/commands/idou", json=body,
                       headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 422, body
        assert r.json()["code"] == "invalid_request" and r.json()["detail_ja"]


def test_terminal_events_are_audited_without_images(central):
    """PRIV-1: each shield event is audited with terminal, operator, start, duration, reason."""
    clerk = central.clerk(login_id="clerk5")
    ev = {"event": "privacy_shield", "reason": "onlooker", "started_at": "2026-11-22T10:00:00Z",
          "duration_ms": 4200}
    assert clerk.post("/v1/terminal-events", json=ev).status_code == 201
    row = central.audit_rows("terminal.privacy_shield")[-1]
    assert (row.operator_login, row.detail["reason"], row.detail["duration_ms"]) == (
        "clerk5", "onlooker", 4200)
    assert row.device_id
    bad = clerk.post("/v1/terminal-events", json=dict(ev, image="aGVsbG8="))
    assert bad.status_code == 422  # no field can carry a frame
