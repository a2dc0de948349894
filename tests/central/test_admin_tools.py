"""Security admin tools: rights list export (AUTHZ-9), daily access review (LOG-10), device
registry (DEV-4, DEV-6). Nothing exported ever holds a My Number (001 L492)."""
from __future__ import annotations

import base64
import datetime as dt

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central import audit
from central.cli import main as cli_main
from central.review import JST, access_review
from tests.central.factories import add_support_measure, my_number, new_resident
from tests.central.signing import TestSigner, signed_client


def test_rights_csv_for_reconciliation(central):
    central.operator("sec1", ["security_admin"])
    central.operator("=cmd|calc", ["clerk"], contractor=True)
    central.operator("gone", ["clerk", "my_number_access"])
    number = my_number()
    new_resident(central.clerk(("clerk", "my_number_access"), login_id="c1"), my_number=number)
    sec = central.client(login_id="sec1")
    with central.sessions() as db:
        from sqlalchemy import select

        from central.models import Operator, RightGrant
        gid = db.scalar(select(RightGrant.id).join(Operator).where(
            Operator.login_id == "gone", RightGrant.right == "my_number_access"))
    sec.post(f"/v1/admin/rights/{gid}/revoke", json={"reason": "異動"})
    r = sec.get("/v1/admin/rights.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8")
    assert text.startswith("\ufefflogin_id,display_name,section,contractor")
    lines = text.splitlines()
    assert any(line.startswith("gone,") and ",my_number_access,特定個人情報アクセス権限," in line
               and ",revoked," in line for line in lines)
    assert any(line.startswith("'=cmd|calc,") and ",yes," in line for line in lines)  # no formula
    assert number not in text


def _read(central, login, device, subject, at):
    with central.sessions.begin() as db:
        audit.append(db, action="resident.read", outcome="ok", operator=login, device=device,
                     subject=subject, purpose="inquiry", at=at)


def test_daily_access_review_flags_what_an_admin_must_check(central):
    clerk = central.clerk(login_id="c1")
    made = new_resident(clerk)
    rid = made["resident_id"]
    day = dt.date(2026, 11, 20)  # a Friday
    add_support_measure(central, rid, start=day, end=day + dt.timedelta(days=365))
    office = dt.datetime(2026, 11, 20, 10, 0, tzinfo=JST)
    _read(central, "day", "T-1", "resident:999", office)
    _read(central, "night", "T-1", "resident:998", dt.datetime(2026, 11, 20, 22, 30, tzinfo=JST))
    _read(central, "dv", "T-2", f"resident:{rid}", office)
    for i in range(60):
        _read(central, "bulk", "T-3", f"resident:{1000 + i}", office + dt.timedelta(minutes=i))
    _read(central, "other", "T-4", "resident:5", office)
    _read(central, "other", "T-4", "resident:6", office)
    _read(central, "elsewhen", "T-1", "resident:7", dt.datetime(2026, 11, 21, 10, 0, tzinfo=JST))
    c = central.client()
    c.post("/v1/sessions", json={"login_id": "c1", "password": "wrong"})
    c.post("/v1/sessions", json={"login_id": "nobody", "password": "x"})
    with central.sessions() as db:
        report = access_review(db, day)
    kinds = {(f["kind"], f["operator"]) for f in report["findings"]}
    assert ("off_hours", "night") in kinds
    assert ("support_measure_access", "dv") in kinds
    assert ("unusual_volume", "bulk") in kinds
    assert not any(op in ("day", "other", "elsewhen") for _, op in kinds)
    assert report["reads_per_operator"]["bulk"] == 60
    # failed logins happen "today": review today's date through the API as the security admin
    central.operator("sec1", ["security_admin"])
    r = central.client(login_id="sec1").get("/v1/admin/access-review")
    failed = {f["operator"] for f in r.json()["findings"] if f["kind"] == "failed_logins"}
    assert failed == {"c1", "(unknown: nobody)"}


def test_access_review_command_exits_1_on_findings(central, monkeypatch, capsys):
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", base64.b64encode(bytes(32)).decode())
    _read(central, "night", "T-1", "resident:1", dt.datetime(2026, 11, 20, 23, 0, tzinfo=JST))
    url = central.settings.database_url
    assert cli_main(["--database-url", url, "access-review", "--date", "2026-11-20"]) == 1
    assert "開庁時間外" in capsys.readouterr().out
    assert cli_main(["--database-url", url, "access-review", "--date", "2026-11-19"]) == 0


def test_device_registry(central):
    central.operator("it1", ["it_admin"])
    central.operator("clerk1", ["clerk"])
    it = central.client(login_id="it1")
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    body = {"device_id": "LOAN-01", "name": "貸出ノート1", "kind": "loan",
            "public_key": base64.b64encode(raw).decode(), "loan_approved_by": "市民課長",
            "loan_approval_ref": "R8-市-12"}
    assert it.post("/v1/admin/devices", json=dict(body, loan_approval_ref=None)).status_code == 422
    assert it.post("/v1/admin/devices", json=dict(body, kind="counter")).status_code == 422
    assert it.post("/v1/admin/devices", json=dict(body, public_key="AAAA" * 11)).status_code == 422
    assert it.post("/v1/admin/devices", json=body).status_code == 201
    assert it.post("/v1/admin/devices", json=body).json()["field"] == "device_id"
    listed = {d["device_id"]: d for d in it.get("/v1/admin/devices").json()["items"]}
    assert listed["LOAN-01"]["loan_approved_by"] == "市民課長"
    laptop = signed_client(central.app, TestSigner("LOAN-01", key))
    r = laptop.post("/v1/sessions", json={"login_id": "clerk1",
                                          "password": central.passwords["clerk1"]})
    assert r.status_code == 201 and r.json()["policy"]["roaming_allowed"] is True
