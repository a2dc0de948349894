"""No existence oracles (#21 class 2, AUTHZ-1, AUTH-*): no route tells an operator more than the
search they are allowed, and login failures do not tell which IDs exist.

An operator without 特定個人情報アクセス権限 may not search by My Number (403); so every route that
would look a My Number up for them — a 転入 or 出生 alone, in a batch or for 審査, a tax inquiry, a
tax filing's dependents — answers them the same whether or not the number is on the register. A
refusal that concerns a registered person is audited with that person as subject. Login answers
one problem for an unknown ID, a wrong password, a locked and a disabled account, and the audit
row keeps the true reason; the lockout still holds.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import func, select, update

from central.models import Operator, Resident
from tests.central.factories import my_number, new_resident, post, tennyu
from tests.central.test_tax import filing, identify, submit


def _same(a, b) -> None:
    """Two answers an operator cannot tell apart: status, headers that matter, body."""
    assert (a.status_code, a.headers["content-type"]) == (b.status_code, b.headers["content-type"])
    assert a.json() == b.json()


def _residents(central) -> int:
    with central.sessions() as db:
        return db.scalar(select(func.count()).select_from(Resident))


@pytest.fixture
def registered(central):
    """(holder client, resident id, their My Number, a My Number nobody has)."""
    holder = central.clerk(("clerk", "my_number_access"), login_id="holder")
    number = my_number()
    rid = new_resident(holder, my_number=number, name_kanji="登録　花子",
                       name_kana="トウロク　ハナコ", birth_date="1980-02-02")["resident_id"]
    return holder, rid, number, my_number()


def _newcomer(number: str, kind: str = "tennyu") -> dict:
    body = tennyu(my_number=number, name_kanji="転入　次郎", name_kana="テンニュウ　ジロウ")
    if kind == "shussei":
        body = dict(body, kind="shussei", idou_date=body["person"]["birth_date"],
                    household={"household_no": None, "relationship_to_head": "世帯主"})
        body.pop("moved_in_from")
        body["person"]["birth_date"] = body["todoke_date"]
        body["idou_date"] = body["todoke_date"]
    return body


@pytest.mark.parametrize("kind", ["tennyu", "shussei"])
def test_a_notification_with_a_my_number_answers_the_same_whoever_has_it(central, registered,
                                                                          kind):
    _, rid, number, unused = registered
    clerk = central.clerk(("clerk",), login_id="plain")
    before = _residents(central)
    known, unknown = post(clerk, _newcomer(number, kind)), post(clerk, _newcomer(unused, kind))
    assert known.status_code == 403 and known.json()["code"] == "forbidden"
    _same(known, unknown)
    assert "resident_id" not in known.json() and number not in known.text
    assert _residents(central) == before  # nothing applied either way
    rows = [a for a in central.audit_rows(f"idou.{kind}") if a.outcome == "rejected"]
    assert [(a.subject, a.operator_login) for a in rows] == [(f"resident:{rid}", "plain"),
                                                             (None, "plain")]
    assert all(number not in json.dumps(a.detail) for a in rows)


def test_a_batch_and_a_case_answer_the_same_whoever_has_the_number(central, registered):
    _, rid, number, unused = registered
    clerk = central.clerk(("clerk",), login_id="plain")
    batch = clerk.post("/v1/commands/batch", json={"commands": [
        {"key": str(uuid.uuid4()), "path": "/v1/commands/idou", "body": json.dumps(_newcomer(n))}
        for n in (number, unused)]})
    assert batch.status_code == 200
    a, b = batch.json()["results"]
    assert (a["status"], a["body"]) == (b["status"], b["body"]) and a["status"] == 403
    assert "resident_id" not in a["body"] and number not in json.dumps(a["body"])
    rows = [x for x in central.audit_rows("idou.tennyu") if x.outcome == "rejected"]
    assert [x.subject for x in rows] == [f"resident:{rid}", None]

    cases = [clerk.post("/v1/cases/idou", json=_newcomer(n),
                        headers={"Idempotency-Key": str(uuid.uuid4())}) for n in (number, unused)]
    _same(*cases)
    assert cases[0].status_code == 403 and "resident_id" not in cases[0].json()
    rows = [x for x in central.audit_rows("case.submit.tennyu") if x.outcome == "rejected"]
    assert [x.subject for x in rows] == [f"resident:{rid}", None]


def test_a_refused_my_number_search_is_audited_with_the_person_as_subject(central, registered):
    _, rid, number, unused = registered
    clerk = central.clerk(("clerk",), login_id="plain")
    known, unknown = (clerk.get("/v1/residents", params={"purpose": "identity", "my_number": n})
                      for n in (number, unused))
    assert known.status_code == 403
    _same(known, unknown)
    rows = [a for a in central.audit_rows("resident.search") if a.outcome == "denied"]
    assert [(a.subject, a.operator_login) for a in rows] == [(f"resident:{rid}", "plain"),
                                                             (None, "plain")]
    assert all(number not in json.dumps(a.detail) for a in rows)


def test_the_holder_still_learns_who_is_already_resident(central, registered):
    holder, rid, number, _ = registered
    r = post(holder, _newcomer(number))
    assert r.status_code == 422 and r.json()["code"] == "already_resident"
    assert r.json()["resident_id"] == rid


def test_a_notification_without_a_number_still_works_for_a_clerk(central):
    clerk = central.clerk(("clerk",), login_id="plain")
    assert post(clerk, tennyu()).status_code == 201


def test_a_tax_inquiry_by_my_number_needs_the_right(central, registered):
    _, rid, number, unused = registered
    clerk = central.clerk(("clerk",), login_id="plain")
    base = {"name": "登録　花子", "birth_date": "1980-02-02", "purpose": "tax"}
    known = clerk.post("/v1/tax/inquiries", json=dict(base, my_number=number))
    unknown = clerk.post("/v1/tax/inquiries", json=dict(base, my_number=unused))
    assert known.status_code == 403 and known.json()["code"] == "forbidden"
    _same(known, unknown)
    assert "花子" not in known.text
    rows = [a for a in central.audit_rows("tax.inquiry")]
    assert [(a.outcome, a.subject) for a in rows] == [("denied", f"resident:{rid}"),
                                                      ("denied", None)]


def test_a_tax_filing_does_not_compare_dependents_numbers_for_a_clerk_without_the_right(
        central, registered):
    holder, _, number, unused = registered
    entrant = central.clerk(("clerk",), login_id="tax1")
    filer = new_resident(holder, birth_date="1970-01-01", my_number=my_number())["resident_id"]
    identify(entrant, filer)
    answers = []
    for n in (number, unused):  # a registered person born on another day, and nobody
        dep = {"name": "扶養　次郎", "name_kana": "フヨウ　ジロウ", "birth_date": "2010-01-01",
               "relationship": "child", "my_number": n}
        answers.append(submit(entrant, filing(filer, dependents=[dep])))
    assert [a.status_code for a in answers] == [201, 201]
    assert {k: v for k, v in answers[0].json().items() if k != "filing_id"} == \
        {k: v for k, v in answers[1].json().items() if k != "filing_id"}


# --- login ----------------------------------------------------------------------------------


def test_login_failures_are_indistinguishable_and_the_lockout_holds(central):
    central.operator("known", ["clerk"])
    central.operator("locked", ["clerk"])
    central.operator("gone", ["clerk"])
    with central.sessions.begin() as db:
        db.execute(update(Operator).where(Operator.login_id == "gone").values(status="suspended"))
    c = central.client()

    def login(who, pw):
        return c.post("/v1/sessions", json={"login_id": who, "password": pw})

    for _ in range(central.settings.max_failed_logins):
        assert login("locked", "wrong").status_code == 401
    answers = {
        "unknown_login_id": login("nobody", "whatever"),
        "wrong_password": login("known", "wrong"),
        "account_locked": login("locked", central.passwords["locked"]),  # the right password
        "account_disabled": login("gone", central.passwords["gone"]),
    }
    first = answers["unknown_login_id"]
    assert first.status_code == 401 and first.json()["code"] == "login_failed"
    for r in answers.values():
        _same(first, r)
        assert "token" not in r.json()
    rows = central.audit_rows("session.login")[-4:]
    assert [a.detail["reason"] for a in rows] == list(answers)
    assert {a.outcome for a in rows} == {"denied"}
    # the lock still holds, and an active account with the right password still logs in
    assert login("locked", central.passwords["locked"]).status_code == 401
    assert login("known", central.passwords["known"]).status_code == 201


def test_an_unknown_id_costs_the_same_argon2_work(central, monkeypatch):
    """Every variant verifies one Argon2 hash (an unknown ID a dummy one): no timing shortcut."""
    from central.routes import sessions

    calls = []
    real_verify, real_burn = sessions.verify_password, sessions.burn_password_time
    monkeypatch.setattr(sessions, "verify_password",
                        lambda h, p: calls.append("verify") or real_verify(h, p))
    monkeypatch.setattr(sessions, "burn_password_time",
                        lambda p: calls.append("burn") or real_burn(p))
    central.operator("known", ["clerk"])
    c = central.client()
    seen = {}
    for who, locked in (("nobody", False), ("known", False), ("known", True)):
        if locked:
            with central.sessions.begin() as db:
                db.execute(update(Operator).where(Operator.login_id == "known").values(
                    locked_until=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
                    + dt.timedelta(minutes=5)))
        calls.clear()
        c.post("/v1/sessions", json={"login_id": who, "password": "wrong"})
        seen[(who, locked)] = list(calls)
    assert seen == {("nobody", False): ["burn"], ("known", False): ["verify"],
                    ("known", True): ["verify"]}
