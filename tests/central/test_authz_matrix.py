"""Authorisation matrix (AUTHZ-*): every role × every API action, allowed or denied as specified,
and no My Number in any response to a role without 特定個人情報アクセス権限."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from central import clock
from central.rights import ACTIONS, ROLES
from tests.central.factories import my_number, new_resident, tennyu
from tests.central.forms_helpers import form_body

# The specification, written out by hand (not derived from central.rights.ACTIONS).
EXPECTED = {
    "resident.search": {"clerk", "reviewer", "supervisor", "contractor_clerk"},
    "resident.read": {"clerk", "reviewer", "supervisor", "contractor_clerk"},
    "idou.submit": {"clerk", "contractor_clerk", "supervisor"},
    "certificate.issue": {"clerk", "contractor_clerk", "supervisor"},
    "support.decision.request": {"clerk", "contractor_clerk", "supervisor"},
    "support.decision.decide": {"supervisor"},
    "case.review": {"reviewer", "supervisor"},
    "changes.read": set(ROLES),
    "audit.verify": {"security_admin"},
    "audit.review": {"security_admin"},
    "rights.manage": {"security_admin"},
    "rights.apply": {"supervisor"},
    "policy.manage": {"security_admin"},
    "devices.manage": {"it_admin", "security_admin"},
    "biometrics.manage": {"security_admin"},
    "tax.filing.submit": {"clerk", "supervisor"},
    "tax.filing.check": {"clerk", "reviewer", "supervisor"},
    "tax.certificate.issue": {"clerk", "contractor_clerk", "supervisor"},
    "tax.inquiry": {"clerk", "supervisor"},
    "tennyu_yotei.receive": {"it_admin"},
    # 職権 (K-DQ-16): municipal staff enter, a supervisor decides; 異動リスト (DQ-2, K-WF-6.5)
    "shokken.submit": {"clerk", "supervisor"},
    "shokken.decide": {"supervisor"},
    "idou_list.read": {"reviewer", "supervisor"},
    "idou_list.check": {"reviewer", "supervisor"},
    # 申請書の電子保存 (#23 point 4): stored as a 届出 is submitted; read by reviewers and entrants
    "form.store": {"clerk", "contractor_clerk", "supervisor"},
    "form.read": {"clerk", "contractor_clerk", "reviewer", "supervisor"},
}


def _calls(rid: int, code: str):
    today = clock.today().isoformat()
    return {
        "resident.search": ("GET", "/v1/residents", {"params": {"purpose": "inquiry",
                                                               "juminhyo_code": code}}),
        "resident.read": ("GET", f"/v1/residents/{rid}", {"params": {"purpose": "inquiry"}}),
        "idou.submit": ("POST", "/v1/commands/idou", {
            "json": tennyu(name_kanji="権限　確認", name_kana="ケンゲン　カクニン"),
            "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "certificate.issue": ("POST", "/v1/certificates", {
            "json": {"resident_id": rid, "requester_relation": "self", "purpose": "certificate"},
            "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "support.decision.request": ("POST", "/v1/support-decisions", {
            "json": {"resident_id": rid, "requester_relation": "third_party",
                     "requester_name": "第三者", "purpose": "inquiry"},
            "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "support.decision.decide": ("GET", "/v1/support-decisions", {}),
        "case.review": ("GET", "/v1/cases", {}),
        "changes.read": ("GET", "/v1/changes", {}),
        "audit.verify": ("GET", "/v1/audit/verify", {}),
        "audit.review": ("GET", "/v1/admin/access-review", {}),
        "rights.manage": ("GET", "/v1/admin/rights/applications", {}),
        "rights.apply": ("POST", "/v1/admin/rights/applications", {"json": {
            "login_id": "target", "right": "clerk", "valid_from": today, "valid_until": today,
            "reason": "配属"}}),
        "policy.manage": ("GET", "/v1/admin/policy/onlooker", {}),
        "devices.manage": ("POST", "/v1/admin/devices/NO-SUCH/disable", {"json": {"reason": "x"}}),
        "biometrics.manage": ("GET", "/v1/admin/operators/target/biometrics/face", {}),
        "tax.filing.submit": ("POST", "/v1/tax/filings", {
            "json": {"resident_id": rid, "fiscal_year": clock.today().year,
                     "identity_method": "documents"},
            "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "tax.filing.check": ("GET", "/v1/tax/filings", {}),
        "tax.certificate.issue": ("POST", "/v1/tax/certificates", {
            "json": {"resident_id": rid, "kind": "kazei", "fiscal_year": clock.today().year,
                     "requester_relation": "self", "purpose": "certificate"},
            "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "tax.inquiry": ("POST", "/v1/tax/inquiries", {"json": {"purpose": "tax"}}),
        "tennyu_yotei.receive": ("POST", "/v1/cs/tenshutsu-joho", {"json": _joho()}),
        "shokken.submit": ("POST", "/v1/shokken", {
            "json": {"kind": "shokken_shojo", "resident_id": rid, "expected_version": 1,
                     "idou_date": today, "reason": "不現住",
                     "investigation": {"investigated_on": today, "investigators": ["a", "b"],
                                       "method": "site_visit", "finding": "居住の実態なし"}},
            "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "shokken.decide": ("GET", "/v1/shokken", {}),
        "idou_list.read": ("GET", "/v1/idou-list", {}),
        "idou_list.check": ("POST", "/v1/idou-list/999999/check", {}),
        "form.store": ("POST", "/v1/cases/999999/forms", {
            "json": form_body(), "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "form.read": ("GET", "/v1/cases/999999/forms", {}),
    }


def _joho() -> dict:
    """A one-person 転出証明書情報 (the CS adapter's format, #22)."""
    return {"format": "madoguchi.tenshutsu-shomeisho-joho/1",
            "sender": {"municipality": "架空県もみじ市"},
            "certificates": [{"certificate_id": str(uuid.uuid4()), "address": "架空県もみじ市本町1番1号",
                              "householder_name": "権限　確認", "moved_out_to": "架空県さくら市桜町1番1号",
                              "planned_date": clock.today().isoformat(),
                              "members": [{"juminhyo_code": "10000000001", "my_number": my_number(),
                                           "name_kanji": "権限　確認", "name_kana": "ケンゲン　カクニン",
                                           "birth_date": "1980-01-01", "sex": "male",
                                           "relationship_to_head": "世帯主", "card_held": True}]}]}


def test_the_matrix_in_code_is_the_specified_one():
    assert {a: set(r) for a, r in ACTIONS.items()} == EXPECTED


@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_action(central, role):
    number = my_number()
    setup = central.clerk(("clerk", "my_number_access"), login_id="setup")
    made = new_resident(setup, my_number=number)
    code = setup.get(f"/v1/residents/{made['resident_id']}",
                     params={"purpose": "idou"}).json()["juminhyo_code"]
    central.operator("target", [], section="市民課")
    client = central.clerk((role,), login_id=f"u-{role}")
    with central.sessions.begin() as db:  # every role in the target's section (AUTHZ-4)
        from central.models import Operator
        from sqlalchemy import update
        db.execute(update(Operator).where(Operator.login_id == f"u-{role}")
                   .values(section="市民課"))
    for action, (method, url, kw) in _calls(made["resident_id"], code).items():
        r = client.request(method, url, **kw)
        if role in EXPECTED[action]:
            assert r.status_code not in (401, 403), (role, action, r.text)
        else:
            assert r.status_code == 403 and r.json()["code"] == "forbidden", (role, action)
        assert number not in r.text, (role, action)


# --- the rights workflow (AUTHZ-4, #21 class 3): role x action x own/other ----------------------


def _fy_end() -> str:
    today = clock.today()
    return dt.date(today.year if today.month <= 3 else today.year + 1, 3, 31).isoformat()


def _application(login_id: str, right: str = "my_number_access") -> dict:
    return {"login_id": login_id, "right": right, "valid_from": clock.today().isoformat(),
            "valid_until": _fy_end(), "reason": "個人番号利用事務の担当"}


@pytest.fixture
def office(central):
    """市民課: its 所属長 kacho, clerk c1; 税務課: its 所属長 kacho2; two security admins (sec1 also
    heads 情報政策課 as a supervisor: applicant and executor in one person must still be two)."""
    central.operator("kacho", ["supervisor"], section="市民課")
    central.operator("c1", ["clerk"], section="市民課")
    central.operator("kacho2", ["supervisor"], section="税務課")
    central.operator("sec1", ["security_admin", "supervisor"], section="情報政策課")
    central.operator("sec2", ["security_admin"], section="情報政策課")
    central.operator("joho1", ["clerk"], section="情報政策課")
    return {who: central.client(login_id=who)
            for who in ("kacho", "c1", "kacho2", "sec1", "sec2", "joho1")}


def _rights_of(central, login_id: str) -> set[str]:
    from central.models import Operator
    from central.security import effective_rights
    from sqlalchemy import select

    with central.sessions() as db:
        op = db.scalar(select(Operator).where(Operator.login_id == login_id))
        return set(effective_rights(db, op, clock.today()))  # JST, as the grants are dated


def _apply(client, login_id: str, right: str = "my_number_access"):
    return client.post("/v1/admin/rights/applications", json=_application(login_id, right))


def test_the_security_admin_cannot_grant_directly(central, office):
    for target in ("c1", "sec1"):  # another operator, and itself
        r = office["sec1"].post("/v1/admin/rights", json={
            "login_id": target, "right": "my_number_access",
            "valid_from": clock.today().isoformat(), "valid_until": _fy_end()})
        assert r.status_code == 403 and r.json()["code"] == "rights_application_required"
    assert "my_number_access" not in _rights_of(central, "c1") | _rights_of(central, "sec1")
    refused = [a for a in central.audit_rows("rights.grant") if a.outcome == "denied"]
    assert [a.subject for a in refused] == ["operator:c1", "operator:sec1"]


def test_section_head_applies_and_security_admin_executes(central, office):
    r = _apply(office["kacho"], "c1")
    assert r.status_code == 201, r.text
    app = r.json()
    assert (app["status"], app["applied_by"], app["section"]) == ("pending", "kacho", "市民課")
    assert "my_number_access" not in _rights_of(central, "c1")  # nothing until executed
    queue = office["sec2"].get("/v1/admin/rights/applications").json()["items"]
    assert [a["id"] for a in queue] == [app["id"]]
    r = office["sec2"].post(f"/v1/admin/rights/applications/{app['id']}/execute")
    assert r.status_code == 201, r.text
    assert r.json()["application"]["decided_by"] == "sec2"
    assert "my_number_access" in _rights_of(central, "c1")
    # the right is effective from the clerk's next request
    assert office["c1"].get("/v1/me").json()["actions"].get("my_number.read") is not None
    # executed once only
    again = office["sec1"].post(f"/v1/admin/rights/applications/{app['id']}/execute")
    assert again.status_code == 409 and again.json()["code"] == "right_application_not_pending"
    # each step audited, with the grantee as subject
    steps = [(a.action, a.outcome, a.operator_login, a.subject) for a in central.audit_rows()
             if a.action in ("rights.apply", "rights.execute")]
    assert steps == [("rights.apply", "ok", "kacho", "operator:c1"),
                     ("rights.execute", "ok", "sec2", "operator:c1"),
                     ("rights.execute", "rejected", "sec1", "operator:c1")]
    # the export shows the application behind the grant (AUTHZ-9)
    rows = office["sec2"].get("/v1/admin/rights").json()["items"]
    row = next(x for x in rows if x["login_id"] == "c1" and x["right"] == "my_number_access")
    assert (row["origin"], row["application_id"], row["applied_by"], row["granted_by"]) == (
        "application", app["id"], "kacho", "sec2")
    assert row["applied_at"] == app["applied_at"] and row["granted_at"]
    csv = office["sec2"].get("/v1/admin/rights.csv").content.decode("utf-8")
    header = csv.lstrip("\ufeff").splitlines()[0].split(",")
    for col in ("applied_by", "applied_at", "granted_by", "granted_at", "origin"):
        assert col in header
    line = next(line for line in csv.splitlines()
                if line.startswith("c1,") and ",my_number_access," in line)
    assert ",kacho," in line and ",sec2," in line and ",application," in line
    # provisioned rights have a recorded origin too
    prov = next(x for x in rows if x["login_id"] == "c1" and x["right"] == "clerk")
    assert (prov["origin"], prov["applied_by"]) == ("provisioning", "test")


@pytest.mark.parametrize("who,target,code", [
    ("kacho", "kacho", "own_rights_change"),      # 所属長 applying for itself
    ("sec1", "sec1", "own_rights_change"),        # security admin (a supervisor too) for itself
    ("kacho2", "c1", "not_section_head"),         # 所属長 of another section
    ("kacho", "nobody", "not_section_head"),      # an unknown ID: the same answer
    ("c1", "c1", "forbidden"),                    # a clerk, for itself
    ("c1", "kacho", "forbidden"),                 # a clerk, for another
    ("sec2", "c1", "forbidden"),                  # a security admin who is no 所属長
])
def test_who_may_not_apply(central, office, who, target, code):
    r = _apply(office[who], target)
    assert r.status_code == 403 and r.json()["code"] == code, r.text
    rows = [a for a in central.audit_rows("rights.apply")]
    assert rows and rows[-1].outcome == "denied" and rows[-1].operator_login == who
    if code != "forbidden":  # refused in the workflow: the person it concerns is the subject
        assert rows[-1].subject == f"operator:{target}"
    from central.models import RightApplication
    with central.sessions() as db:
        assert db.query(RightApplication).count() == 0


def test_no_one_executes_their_own_application_or_a_grant_for_themselves(central, office):
    # sec1 heads 情報政策課: it may apply for joho1, but not execute its own application
    mine = _apply(office["sec1"], "joho1").json()
    r = office["sec1"].post(f"/v1/admin/rights/applications/{mine['id']}/execute")
    assert r.status_code == 403 and r.json()["code"] == "executor_is_applicant"
    r = office["sec1"].post(f"/v1/admin/rights/applications/{mine['id']}/decline",
                            json={"reason": "取り下げ"})
    assert r.status_code == 403 and r.json()["code"] == "executor_is_applicant"
    assert "my_number_access" not in _rights_of(central, "joho1")
    # sec2 for itself, applied by its 所属長 sec1: sec2 cannot execute it; sec1 (the applicant)
    # cannot either; it stays pending for a third person
    for_sec2 = _apply(office["sec1"], "sec2", "security_admin").json()
    r = office["sec2"].post(f"/v1/admin/rights/applications/{for_sec2['id']}/execute")
    assert r.status_code == 403 and r.json()["code"] == "own_rights_change"
    r = office["sec1"].post(f"/v1/admin/rights/applications/{for_sec2['id']}/execute")
    assert r.status_code == 403 and r.json()["code"] == "executor_is_applicant"
    # a clerk and a 所属長 cannot execute anything
    for who in ("c1", "kacho"):
        r = office[who].post(f"/v1/admin/rights/applications/{mine['id']}/execute")
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
    # sec2 executes sec1's application for joho1: three different people
    r = office["sec2"].post(f"/v1/admin/rights/applications/{mine['id']}/execute")
    assert r.status_code == 201
    assert "my_number_access" in _rights_of(central, "joho1")
    refused = [(a.operator_login, a.detail["code"]) for a in central.audit_rows("rights.execute")
               if a.outcome == "denied"]
    assert refused == [("sec1", "executor_is_applicant"), ("sec2", "own_rights_change"),
                       ("sec1", "executor_is_applicant")]


def test_decline_grants_nothing_and_is_audited(central, office):
    app = _apply(office["kacho"], "c1").json()
    r = office["sec2"].post(f"/v1/admin/rights/applications/{app['id']}/decline",
                            json={"reason": "業務上不要"})
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert r.json()["decision_reason"] == "業務上不要"
    assert "my_number_access" not in _rights_of(central, "c1")
    rows = central.audit_rows("rights.decline")
    assert [(a.outcome, a.operator_login, a.subject) for a in rows] == [
        ("ok", "sec2", "operator:c1")]


def test_revocation_is_one_step_but_never_of_ones_own_rights(central, office):
    from central.models import Operator, RightGrant
    from sqlalchemy import select

    with central.sessions() as db:
        own, other = (db.scalar(select(RightGrant.id).join(Operator).where(
            Operator.login_id == who, RightGrant.right == right))
            for who, right in (("sec1", "security_admin"), ("c1", "clerk")))
    r = office["sec1"].post(f"/v1/admin/rights/{own}/revoke", json={"reason": "異動"})
    assert r.status_code == 403 and r.json()["code"] == "own_rights_change"
    assert "security_admin" in _rights_of(central, "sec1")
    r = office["sec1"].post(f"/v1/admin/rights/{other}/revoke", json={"reason": "異動"})
    assert r.status_code == 200
    assert "clerk" not in _rights_of(central, "c1")
    rows = central.audit_rows("rights.revoke")
    assert [(a.outcome, a.subject) for a in rows] == [("denied", "operator:sec1"),
                                                      ("ok", "operator:c1")]


def test_an_application_does_not_tell_which_login_ids_exist(central, office):
    other_section, unknown = _apply(office["kacho2"], "c1"), _apply(office["kacho2"], "nobody")
    assert other_section.status_code == unknown.status_code == 403
    assert other_section.json() == unknown.json()
