"""庁内連携 (#23 point 5): an approved case puts each latest signed form of another division on that
division's feed with exactly its items; a division reads its own feed with its own token (never an
operator's session, never another division's), from a cursor, at least once; every delivery and
every refusal is audited; the consumer tool reads and acknowledges end to end."""
from __future__ import annotations

import base64
import io
import json
import uuid

import pytest
from sqlalchemy import select, text

from central import renkei
from central.audit import verify_chain
from central.cli import main as cli_main
from central.models import RenkeiEvent
from tests.central.forms_helpers import form_body, items, pending_case, store
from tests.central.signing import signed_client
from tests.fixtures_central import DATA_KEY
from tools import renkei_consumer


def _approve(central, case_id):
    reviewer = central.clerk(("reviewer",))
    r = reviewer.post(f"/v1/cases/{case_id}/approve",
                      headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 200, r.text
    return r


@pytest.fixture
def approved(central):
    """A case with a 市民課 form, a 国保 form signed twice and a 児童手当 form, approved; the
    divisions kokuho and kodomo registered. Returns (case_id, tokens)."""
    clerk = central.clerk(login_id="entrant")
    case_id = pending_case(central, clerk)
    for body in (form_body("jumin_idou"), form_body("kokuho_shikaku", name="窓口　一郎"),
                 form_body("kokuho_shikaku"), form_body("jidou_teate")):
        assert store(clerk, case_id, body).status_code == 201
    with central.sessions.begin() as db:
        tokens = {d: renkei.add_division(db, d, "sec1") for d in ("kokuho", "kosodate", "zeimu")}
    _approve(central, case_id)
    return case_id, tokens


def _feed(central, division, token, **params):
    c = signed_client(central.app, None)
    central._clients.append(c)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return c.get(f"/v1/renkei/{division}/events", params=params, headers=headers)


def _ack(central, division, token, cursor):
    c = signed_client(central.app, None)
    central._clients.append(c)
    return c.post(f"/v1/renkei/{division}/ack", json={"cursor": cursor},
                  headers={"Authorization": f"Bearer {token}"})


def test_approval_sends_each_division_exactly_its_forms_items(central, approved):
    case_id, tokens = approved
    with central.sessions() as db:
        events = db.scalars(select(RenkeiEvent).order_by(RenkeiEvent.id)).all()
        assert [(e.division_id, e.form_id, e.version) for e in events] == [
            ("kosodate", "jidou_teate", 1), ("kokuho", "kokuho_shikaku", 2)]  # no 市民課 form
    kokuho = _feed(central, "kokuho", tokens["kokuho"])
    assert kokuho.status_code == 200, kokuho.text
    [event] = kokuho.json()["events"]
    assert event["items"] == items("kokuho_shikaku")  # the latest version's items, nothing more
    assert set(event) == {"id", "case_id", "form_id", "version", "title", "created_at", "items"}
    assert (event["case_id"], event["version"]) == (case_id, 2)
    [kodomo] = _feed(central, "kosodate", tokens["kosodate"]).json()["events"]
    assert kodomo["items"] == items("jidou_teate") and kodomo["form_id"] == "jidou_teate"
    assert _feed(central, "zeimu", tokens["zeimu"]).json()["events"] == []  # no form of its own
    delivered = central.audit_rows("renkei.deliver")
    assert [(a.operator_login, a.detail) for a in delivered] == [
        ("division:kokuho", {"event_id": event["id"], "form_id": "kokuho_shikaku"}),
        ("division:kosodate", {"event_id": kodomo["id"], "form_id": "jidou_teate"})]
    assert all(a.subject and a.subject.startswith("resident:") for a in delivered)
    approve = central.audit_rows("case.approve")[-1]
    assert sorted(approve.detail["renkei_events"]) == sorted([event["id"], kodomo["id"]])
    with central.engine.connect() as conn:  # the feed's items are encrypted at rest
        raw = conn.execute(text("SELECT items_enc FROM renkei_events")).scalars().all()
    assert all("窓口".encode() not in bytes(b) and b"kokuho_shikaku" not in bytes(b) for b in raw)
    with central.sessions() as db:
        assert verify_chain(db).ok


def test_cursor_ack_and_at_least_once(central, approved):
    _, tokens = approved
    token = tokens["kokuho"]
    first = _feed(central, "kokuho", token).json()
    again = _feed(central, "kokuho", token).json()  # not acknowledged: delivered again
    assert [e["id"] for e in again["events"]] == [e["id"] for e in first["events"]]
    last = first["next"]
    assert _feed(central, "kokuho", token, after=last).json()["events"] == []
    r = _ack(central, "kokuho", token, last)
    assert r.status_code == 200 and r.json()["acked"] == last
    assert _feed(central, "kokuho", token).json()["events"] == []  # from the acknowledged cursor
    assert len(_feed(central, "kokuho", token, after=0).json()["events"]) == 1  # still readable
    assert _ack(central, "kokuho", token, 0).json()["acked"] == last  # never backwards
    ahead = _ack(central, "kokuho", token, last + 100)
    assert ahead.status_code == 422 and ahead.json()["code"] == "renkei_cursor_ahead"
    bad_limit = _feed(central, "kokuho", token, limit=0)
    assert bad_limit.status_code == 422
    refused = [(a.operator_login, a.outcome, a.detail["code"])
               for a in central.audit_rows("renkei.refused")]
    assert refused == [("division:kokuho", "rejected", "renkei_cursor_ahead"),
                       ("division:kokuho", "rejected", "invalid_request")]
    assert [a.detail["acked"] for a in central.audit_rows("renkei.ack")] == [last, last]


def test_only_the_divisions_own_token_reads_its_feed(central, approved):
    _, tokens = approved
    other = _feed(central, "kosodate", tokens["kokuho"])
    assert other.status_code == 403 and other.json()["code"] == "division_forbidden"
    assert "窓口" not in other.text
    for token in ("mdr_not-a-token", None):
        r = _feed(central, "kokuho", token)
        assert r.status_code == 401 and r.json()["code"] in ("division_token_invalid",
                                                             "division_auth_required")
    # an operator's session (signed by a terminal, with its bearer token) reads no feed
    sup = central.clerk(("supervisor", "security_admin", "reviewer"), login_id="boss")
    r = sup.get("/v1/renkei/kokuho/events")
    assert r.status_code == 401 and r.json()["code"] == "division_token_invalid"
    assert sup.post("/v1/renkei/kokuho/ack", json={"cursor": 0}).status_code == 401
    # a division token is no operator session either
    c = central.client()
    r = c.get("/v1/me", headers={"Authorization": f"Bearer {tokens['kokuho']}"})
    assert r.status_code == 401
    # disabled: refused at once
    with central.sessions.begin() as db:
        renkei.disable_division(db, "kokuho")
    assert _feed(central, "kokuho", tokens["kokuho"]).status_code == 401
    refused = [(a.operator_login, a.outcome, a.detail["code"])
               for a in central.audit_rows("renkei.refused")]
    assert refused == [("division:kokuho", "denied", "division_forbidden"),
                       (None, "denied", "division_token_invalid"),
                       (None, "denied", "division_auth_required"),
                       (None, "denied", "division_token_invalid"),
                       (None, "denied", "division_token_invalid"),
                       (None, "denied", "division_token_invalid")]
    assert central.audit_rows("renkei.deliver") == []


def test_division_cli_and_the_consumer_end_to_end(central, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", base64.b64encode(DATA_KEY).decode())
    url = central.settings.database_url
    assert cli_main(["--database-url", url, "division-add", "kokuho", "--by", "sec1"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("mdr_") and len(token) > 40
    token_file = tmp_path / "kokuho.token"
    token_file.write_text(token + "\n")
    clerk = central.clerk(login_id="entrant")
    case_id = pending_case(central, clerk)
    for body in (form_body("kokuho_shikaku"), form_body("jidou_teate")):
        assert store(clerk, case_id, body).status_code == 201
    _approve(central, case_id)
    transport = signed_client(central.app, None)._transport
    state = tmp_path / "kokuho.state.json"
    argv = ["--url", "http://central.test", "--division", "kokuho", "--token-file",
            str(token_file), "--state-file", str(state)]
    out = io.StringIO()
    assert renkei_consumer.main(argv, transport=transport, out=out) == 0
    [line] = out.getvalue().splitlines()
    assert "国民健康保険 資格取得・喪失届" in line and "requester_name" in line and "address" in line
    assert "窓口" not in line and "梅町" not in line  # names of the items, not their values
    assert json.loads(state.read_text())["cursor"] == int(line.split("\t")[0])
    assert (state.stat().st_mode & 0o777) == 0o600
    out = io.StringIO()  # read and acknowledged: nothing again
    assert renkei_consumer.main(argv, transport=transport, out=out) == 0
    assert out.getvalue() == ""
    case2 = pending_case(central, clerk)
    assert store(clerk, case2, form_body("kokuho_shikaku", name="窓口　次郎")).status_code == 201
    _approve(central, case2)
    out = io.StringIO()
    assert renkei_consumer.main(argv + ["--values"], transport=transport, out=out) == 0
    [line] = out.getvalue().splitlines()
    assert f"case {case2}" in line and "窓口　次郎" in line
    assert [a.detail["acked"] for a in central.audit_rows("renkei.ack")][-1] == int(
        line.split("\t")[0])
    # disabled by the CLI: the consumer is refused and keeps its cursor
    assert cli_main(["--database-url", url, "division-disable", "kokuho", "--by", "sec1"]) == 0
    before = state.read_text()
    assert renkei_consumer.main(argv, transport=transport, out=io.StringIO()) == 1
    assert "division_token_invalid" in capsys.readouterr().err and state.read_text() == before
    assert [a.action for a in central.audit_rows() if a.action.startswith("renkei.division")] == [
        "renkei.division_add", "renkei.division_disable"]
