"""Authorisation matrix (AUTHZ-*): every role × every API action, allowed or denied as specified,
and no My Number in any response to a role without 特定個人情報アクセス権限."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from central.rights import ACTIONS, ROLES
from tests.central.factories import my_number, new_resident, tennyu

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
    "policy.manage": {"security_admin"},
    "devices.manage": {"it_admin", "security_admin"},
    "biometrics.manage": {"security_admin"},
    "tax.filing.submit": {"clerk", "supervisor"},
    "tax.filing.check": {"clerk", "reviewer", "supervisor"},
    "tax.certificate.issue": {"clerk", "contractor_clerk", "supervisor"},
    "tax.inquiry": {"clerk", "supervisor"},
}


def _calls(rid: int, code: str):
    today = dt.date.today().isoformat()
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
        "rights.manage": ("POST", "/v1/admin/rights", {"json": {
            "login_id": "target", "right": "clerk", "valid_from": today, "valid_until": today}}),
        "policy.manage": ("GET", "/v1/admin/policy/onlooker", {}),
        "devices.manage": ("POST", "/v1/admin/devices/NO-SUCH/disable", {"json": {"reason": "x"}}),
        "biometrics.manage": ("GET", "/v1/admin/operators/target/biometrics/face", {}),
        "tax.filing.submit": ("POST", "/v1/tax/filings", {
            "json": {"resident_id": rid, "fiscal_year": dt.date.today().year,
                     "identity_method": "documents"},
            "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "tax.filing.check": ("GET", "/v1/tax/filings", {}),
        "tax.certificate.issue": ("POST", "/v1/tax/certificates", {
            "json": {"resident_id": rid, "kind": "kazei", "fiscal_year": dt.date.today().year,
                     "requester_relation": "self", "purpose": "certificate"},
            "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
        "tax.inquiry": ("POST", "/v1/tax/inquiries", {"json": {"purpose": "tax"}}),
    }


def test_the_matrix_in_code_is_the_specified_one():
    assert {a: set(r) for a, r in ACTIONS.items()} == EXPECTED


@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_action(central, role):
    number = my_number()
    setup = central.clerk(("clerk",), login_id="setup")
    made = new_resident(setup, my_number=number)
    code = setup.get(f"/v1/residents/{made['resident_id']}",
                     params={"purpose": "idou"}).json()["juminhyo_code"]
    central.operator("target", [])
    client = central.clerk((role,), login_id=f"u-{role}")
    for action, (method, url, kw) in _calls(made["resident_id"], code).items():
        r = client.request(method, url, **kw)
        if role in EXPECTED[action]:
            assert r.status_code not in (401, 403), (role, action, r.text)
        else:
            assert r.status_code == 403 and r.json()["code"] == "forbidden", (role, action)
        assert number not in r.text, (role, action)
