"""The client's calls of the rights workflow (AUTHZ-4, #21 class 3): what it sends and the typed
answers it reads (app.admin.RightApplication, RightGrant's application columns)."""
import datetime as dt
import json

import httpx
import pytest

from app.admin import RightGrant
from app.api_client import ApiError
from tests.unit.test_api_client import make_client, problem

APPLICATION = {"id": 7, "login_id": "c1", "display_name": "職員 c1", "section": "市民課",
               "right": "my_number_access", "right_ja": "特定個人情報アクセス権限",
               "valid_from": "2026-12-07", "valid_until": "2027-03-31", "reason": "担当替え",
               "status": "pending", "applied_by": "kacho", "applied_at": "2026-12-07T01:00:00Z",
               "decided_by": None, "decided_at": None, "decision_reason": None}


def test_apply_list_execute_and_decline():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        seen.append((request.method, request.url.path, body))
        if request.url.path.endswith("/execute"):
            return httpx.Response(201, json={"id": 3, "application": dict(
                APPLICATION, status="executed", decided_by="sec2")})
        if request.url.path.endswith("/decline"):
            return httpx.Response(200, json=dict(APPLICATION, status="declined",
                                                 decision_reason=body["reason"]))
        if request.method == "POST":
            return httpx.Response(201, json=APPLICATION)
        return httpx.Response(200, json={"items": [APPLICATION]})

    client = make_client(handler)
    made = client.apply_for_right("c1", "my_number_access", dt.date(2026, 12, 7),
                                  dt.date(2027, 3, 31), "担当替え")
    assert (made.id, made.status, made.applied_by, made.entered_by) == (7, "pending", "kacho", "kacho")
    assert made.valid_until == dt.date(2027, 3, 31) and "kacho" not in repr(made)
    assert seen[0] == ("POST", "/v1/admin/rights/applications", {
        "login_id": "c1", "right": "my_number_access", "valid_from": "2026-12-07",
        "valid_until": "2027-03-31", "reason": "担当替え"})
    assert [a.id for a in client.list_right_applications()] == [7]
    assert client.execute_right_application(7).decided_by == "sec2"
    assert client.decline_right_application(7, "不要").decision_reason == "不要"
    assert seen[-1] == ("POST", "/v1/admin/rights/applications/7/decline", {"reason": "不要"})


def test_a_refusal_is_the_centres_problem():
    client = make_client(lambda request: problem(403, "own_rights_change",
                                                 "自分自身の権限は変更できません"))
    with pytest.raises(ApiError) as info:
        client.execute_right_application(7)
    assert info.value.code == "own_rights_change"


def test_a_grant_names_its_application():
    g = RightGrant.from_json({"grant_id": 1, "login_id": "c1", "right": "clerk", "status": "valid",
                              "granted_by": "sec2", "origin": "application", "applied_by": "kacho",
                              "applied_at": "2026-12-07T01:00:00Z",
                              "granted_at": "2026-12-07T02:00:00Z"})
    assert (g.origin, g.applied_by, g.granted_by) == ("application", "kacho", "sec2")
    old = RightGrant.from_json({"grant_id": 2, "login_id": "c1", "right": "clerk"})
    assert old.origin == "" and old.applied_by == ""  # an older centre's answer still reads
