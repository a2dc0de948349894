"""POST /v1/identity-checks on SQLite and PostgreSQL (WF-2, LOG-1, issue #7): a resident's check as
before, and a 転入's card check recorded against the counter case (no register record yet); one
subject exactly, nothing of the card in the log, the tax counter still needs a resident's check."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from central.models import AuditEvent
from tests.central.factories import new_resident


def checks(central):
    with central.sessions() as db:
        return [(e.subject, e.outcome, e.operator_login, e.detail) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.action == "identity.check").order_by(AuditEvent.seq))]


def test_a_newcomer_is_recorded_against_the_counter_case(central):
    client = central.clerk(login_id="idc1")
    case = uuid.uuid4().hex
    r = client.post("/v1/identity-checks", json={"newcomer_case": case, "method": "card", "matched": True,
                                                 "digests_verified": True, "virtual_card": True})
    assert r.status_code == 201, r.text
    ((subject, outcome, who, detail),) = checks(central)
    assert subject == f"newcomer:{case}" and outcome == "ok" and who == "idc1"
    assert detail == {"method": "card", "matched": True, "items": [], "digests_verified": True,
                      "signature_verified": False, "virtual_card": True}


def test_a_resident_check_is_unchanged(central):
    client = central.clerk(login_id="idc2")
    made = new_resident(client)
    r = client.post("/v1/identity-checks", json={"resident_id": made["resident_id"], "method": "documents",
                                                 "matched": True, "items": ["passport"]})
    assert r.status_code == 201, r.text
    assert checks(central)[0][0] == f"resident:{made['resident_id']}"


def test_exactly_one_subject(central):
    client = central.clerk(login_id="idc3")
    made = new_resident(client)
    neither = client.post("/v1/identity-checks", json={"method": "card", "matched": True})
    both = client.post("/v1/identity-checks", json={"resident_id": made["resident_id"],
                                                    "newcomer_case": uuid.uuid4().hex,
                                                    "method": "card", "matched": True})
    for r in (neither, both):
        assert r.status_code == 422 and r.json()["field"] == "resident_id"
        assert "ひとつ" in r.json()["detail_ja"]
    bad = client.post("/v1/identity-checks", json={"newcomer_case": "../../etc", "method": "card",
                                                   "matched": True})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert checks(central) == []


def test_a_newcomer_check_needs_a_logged_in_operator(central):
    anonymous = central.client()
    r = anonymous.post("/v1/identity-checks", json={"newcomer_case": uuid.uuid4().hex, "method": "card",
                                                    "matched": True})
    assert r.status_code == 401 and checks(central) == []
