"""#21 class 6 (LOG-1): every refused read is audited, whatever the reason, without storing
oversized text.

For each read route (search, one record, the tax inquiry, the review queues): an oversized
``purpose`` or ``purpose_note`` (10 KB), a missing or unknown purpose, a malformed parameter and
an unknown resident are refused, and each refusal leaves one audit row with the operator, the
terminal and a purpose marker — never the oversized text itself."""
from __future__ import annotations

import pytest

from central.models import AuditEvent
from tests.central.factories import new_resident

BIG = "x" * 10240  # 10 KB (a query string of 10 KB of kanji would be 90 KB encoded)


def _rows_since(central, seq: int) -> list[AuditEvent]:
    return [a for a in central.audit_rows() if a.seq > seq]


def _last_seq(central) -> int:
    rows = central.audit_rows()
    return rows[-1].seq if rows else 0


def _refused(central, client, send, action: str, login: str, device: str):
    """Send one refused read; assert its one audit row, without the oversized text."""
    before = _last_seq(central)
    r = send(client)
    assert 400 <= r.status_code < 500, r.text
    body = r.json()
    assert body["code"] and body["detail_ja"] and body["title_ja"]
    assert BIG not in r.text and BIG[:300] not in r.text
    rows = [a for a in _rows_since(central, before) if a.action == action]
    assert len(rows) == 1, [(a.action, a.outcome) for a in _rows_since(central, before)]
    row = rows[0]
    assert row.outcome in ("rejected", "denied")
    assert (row.operator_login, row.device_id) == (login, device)
    for text in (row.purpose or "", row.purpose_note or "", repr(row.detail)):
        assert BIG[:50] not in text and len(text) <= 200, text[:80]
    return row, body


@pytest.fixture
def reader(central):
    login = "reader1"
    central.operator(login, ["clerk", "reviewer", "supervisor"])
    terminal = central.device()
    client = central.client(terminal, login_id=login)
    made = new_resident(client, name_kanji="監査　花子", name_kana="カンサ　ハナコ",
                        birth_date="1981-02-03")
    return client, login, terminal.device_id, made["resident_id"]


def _variants(rid: int):
    """(route action, label, send, purpose marker predicate) per read route."""
    search = {"name": "監査花子", "birth_date": "1981-02-03"}
    out = []
    for action, get in (
            ("resident.search", lambda p: (lambda c: c.get("/v1/residents", params={**search, **p}))),
            ("resident.read", lambda p: (lambda c: c.get(f"/v1/residents/{rid}", params=p)))):
        out += [
            (action, "oversized purpose", get({"purpose": BIG}), "purpose"),
            (action, "oversized note", get({"purpose": "other", "purpose_note": BIG}), "note"),
            (action, "missing purpose", get({}), None),
            (action, "unknown purpose", get({"purpose": "curiosity"}), "curiosity"),
        ]
    out += [
        ("resident.search", "bad date", lambda c: c.get("/v1/residents", params={
            "purpose": "inquiry", "name": "監査花子", "birth_date": "1981-02-30"}), "inquiry"),
        ("resident.search", "bad flag", lambda c: c.get("/v1/residents", params={
            "purpose": "inquiry", **search, "include_removed": "perhaps"}), "inquiry"),
        ("resident.search", "one key", lambda c: c.get("/v1/residents", params={
            "purpose": "inquiry", "name": "監査花子"}), "inquiry"),
        ("resident.read", "bad id", lambda c: c.get("/v1/residents/abc",
                                                     params={"purpose": "inquiry"}), "inquiry"),
        ("resident.read", "unknown resident", lambda c: c.get(
            "/v1/residents/999999", params={"purpose": "inquiry"}), "inquiry"),
        ("resident.read", "NUL", lambda c: c.get(f"/v1/residents/{rid}?purpose=inquiry&x=%00"),
         "inquiry"),
    ]

    def inquiry(extra):
        return lambda c: c.post("/v1/tax/inquiries", json={
            "name": "監査花子", "birth_date": "1981-02-03", "my_number": "123456789012",
            **extra})
    out += [
        ("tax.inquiry", "oversized purpose", inquiry({"purpose": BIG}), "purpose"),
        ("tax.inquiry", "oversized note", inquiry({"purpose": "other", "purpose_note": BIG}),
         "note"),
        ("tax.inquiry", "missing purpose", inquiry({}), None),
        ("tax.inquiry", "unknown purpose", inquiry({"purpose": "curiosity"}), "curiosity"),
        ("tax.inquiry", "bad year", inquiry({"purpose": "tax", "fiscal_year": "soon"}), "tax"),
        ("case.list", "bad limit", lambda c: c.get("/v1/cases", params={"limit": "lots"}), None),
        ("support_decision.list", "bad status",
         lambda c: c.get("/v1/support-decisions", params={"status": "any"}), None),
        ("tax.filing.list", "bad limit", lambda c: c.get("/v1/tax/filings",
                                                          params={"limit": "0"}), None),
    ]
    return out


def test_every_refused_read_is_audited_without_the_oversized_text(central, reader):
    client, login, device, rid = reader
    for action, label, send, marker in _variants(rid):
        row, body = _refused(central, client, send, action, login, device)
        if marker == "purpose":
            assert row.purpose and "10240" in row.purpose, (label, row.purpose)
        elif marker == "note":
            assert row.purpose == "other" and "10240" in (row.purpose_note or ""), label
        elif marker is not None:
            assert row.purpose == marker, (label, row.purpose)
        assert row.detail.get("code") == body["code"], label


def test_refused_before_authentication_is_audited_as_the_claimed_device(central, reader):
    """An oversized purpose from an unauthenticated request: the refusal (401) is audited as
    the device it claimed, without the text."""
    client, _, device, rid = reader
    token = client.headers.pop("Authorization")
    try:
        before = _last_seq(central)
        r = client.get(f"/v1/residents/{rid}", params={"purpose": BIG})
        assert r.status_code in (401, 422)
        rows = [a for a in _rows_since(central, before) if a.action == "resident.read"]
        assert len(rows) == 1 and rows[0].device_id == device
        assert "10240" in (rows[0].purpose or "") and BIG[:50] not in repr(rows[0].detail)
    finally:
        client.headers["Authorization"] = token
