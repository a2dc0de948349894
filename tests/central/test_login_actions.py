"""The login tells the terminal what the operator may do (#20 point 2, AUTHZ-3): each action the
held rights allow, with its last day, and nothing else. The terminal's screens ask only this
(``OperatorSession.may``); the table itself stays the centre's (central/rights.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from app.api_client import OperatorSession
from central.rights import ACTIONS, DISCLOSURES, MY_NUMBER_ACCESS, ROLES

# Written out by hand from the specification (tests/central/test_authz_matrix.py's EXPECTED is the
# route side of the same table).
REVIEWER_MAY = {"resident.search", "resident.read", "case.review", "changes.read", "tax.filing.check",
                "idou_list.read", "idou_list.check",  # 異動リスト: read and tick (DQ-2, K-WF-6.5)
                "form.read"}  # the signed forms beside the entry in 審査 (#23 point 4)


def login(central, login_id, rights):
    central.operator(login_id, rights)
    c = central.client(central.device())
    r = c.post("/v1/sessions", json={"login_id": login_id, "password": central.passwords[login_id]})
    assert r.status_code == 201
    return c, r.json()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_told_exactly_the_actions_its_right_gives(central, role):
    _c, body = login(central, f"op-{role}", [role])
    expected = {a for a, roles in ACTIONS.items() if role in roles}
    assert set(body["actions"]) == expected
    ends = {dt.date.fromisoformat(u) for u in body["actions"].values()}
    assert len(ends) == 1 and (next(iter(ends)).month, next(iter(ends)).day) == (3, 31)
    session = OperatorSession.from_json(body)
    assert all(session.may(a) for a in expected)
    assert not any(session.may(a) for a in set(ACTIONS) - expected)
    assert not session.may("my_number.read")


def test_a_reviewer_is_told_what_the_specification_says(central):
    _c, body = login(central, "rev1", ["reviewer"])
    assert set(body["actions"]) == REVIEWER_MAY


def test_the_my_number_disclosure_is_an_action_of_its_own(central):
    _c, body = login(central, "mn1", ["clerk", MY_NUMBER_ACCESS])
    assert set(DISCLOSURES) <= set(body["actions"])
    _c, alone = login(central, "mn2", [MY_NUMBER_ACCESS])
    assert set(alone["actions"]) == set(DISCLOSURES)  # the right alone opens no screen


def test_me_answers_the_same_actions_as_the_login(central):
    c, body = login(central, "me1", ["clerk", "reviewer"])
    c.headers["Authorization"] = f"Bearer {body['token']}"
    me = c.get("/v1/me")
    assert me.status_code == 200 and me.json()["actions"] == body["actions"]


def test_an_action_ends_when_the_right_that_gives_it_ends(central):
    _c, body = login(central, "end1", ["clerk"])
    session = OperatorSession.from_json(body)
    last = dt.date.fromisoformat(body["actions"]["idou.submit"])
    assert session.may("idou.submit", today=last)
    assert not session.may("idou.submit", today=last + dt.timedelta(days=1))
