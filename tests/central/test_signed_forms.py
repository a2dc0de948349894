"""申請書の電子保存 (#23 point 4): a signed form is stored beside its case (PDF/A, items, signature,
encrypted at rest), read by 審査 beside the entry, its PDF's SHA-256 in the audit chain; every
refusal is audited and echoes no item; forms-purge deletes what is past retention."""
from __future__ import annotations

import base64
import hashlib
import uuid

import pytest
from sqlalchemy import select, text

from central import clock
from central.audit import verify_chain
from central.cli import main as cli_main
from central.models import SignedForm
from central.signed_forms import MAX_PDF_BYTES
from tests.fixtures_central import DATA_KEY
from tests.central.forms_helpers import (MARKER, canonical_digest, form_body, pdf_bytes,
                                         pending_case, signature, store)


@pytest.fixture
def counter(central):
    clerk = central.clerk(login_id="entrant")
    return clerk, pending_case(central, clerk)


def test_store_list_and_pdf_round_trip_encrypted_at_rest(central, counter):
    clerk, case_id = counter
    pdf = pdf_bytes()
    r = store(clerk, case_id, form_body("kokuho_shikaku", pdf=pdf))
    assert r.status_code == 201, r.text
    stored = r.json()
    assert (stored["version"], stored["signer"], stored["division_id"]) == (1, "resident",
                                                                            "kokuho")
    assert stored["sha256"] == hashlib.sha256(pdf).hexdigest()
    # signed again: a new version, the first kept
    pdf2 = pdf_bytes(pad=10)
    assert store(clerk, case_id, form_body("kokuho_shikaku", pdf=pdf2)).json()["version"] == 2

    reviewer = central.clerk(("reviewer",), login_id="rev1")
    listed = reviewer.get(f"/v1/cases/{case_id}/forms")
    assert listed.status_code == 200, listed.text
    forms = listed.json()["items"]
    assert [(f["form_id"], f["version"]) for f in forms] == [("kokuho_shikaku", 1),
                                                             ("kokuho_shikaku", 2)]
    assert forms[0]["items"]["values"]["requester_name"] == "窓口　花子"
    assert forms[0]["told_divisions"] is True and "pdf" not in forms[0]
    # the entrant reads its own case's forms too
    assert clerk.get(f"/v1/cases/{case_id}/forms").status_code == 200

    latest = reviewer.get(f"/v1/cases/{case_id}/forms/kokuho_shikaku/pdf")
    assert latest.status_code == 200 and latest.headers["content-type"] == "application/pdf"
    assert latest.content == pdf2 and latest.headers["cache-control"] == "no-store"
    first = reviewer.get(f"/v1/cases/{case_id}/forms/kokuho_shikaku/pdf", params={"version": 1})
    assert first.content == pdf
    missing = reviewer.get(f"/v1/cases/{case_id}/forms/jidou_teate/pdf")
    assert missing.status_code == 404 and missing.json()["code"] == "form_not_found"

    # at rest: neither the PDF nor a name from the items, nor a stroke, in any column
    with central.engine.connect() as conn:
        raw = conn.execute(text("SELECT * FROM signed_forms")).all()
    blob = b"".join(bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode()
                    for row in raw for v in row)
    assert MARKER not in blob and "窓口".encode() not in blob and b"30.5" not in blob
    assert "窓口　花子".encode("utf-8") not in blob

    # the SHA-256 in the audit chain, the chain intact
    rows = central.audit_rows("form.store")
    assert [(a.outcome, a.detail["version"], a.detail["sha256"]) for a in rows] == [
        ("ok", 1, hashlib.sha256(pdf).hexdigest()), ("ok", 2, hashlib.sha256(pdf2).hexdigest())]
    assert rows[0].subject.startswith("resident:") and rows[0].detail["case_id"] == case_id
    assert rows[0].detail["division_id"] == "kokuho"
    reads = [(a.action, a.operator_login, a.subject) for a in central.audit_rows()
             if a.action in ("form.list", "form.pdf") and a.outcome == "ok"]
    assert reads[0] == ("form.list", "rev1", rows[0].subject)
    assert ("form.pdf", "rev1", rows[0].subject) in reads
    with central.sessions() as db:
        assert verify_chain(db).ok


def test_a_replay_stores_once(central, counter):
    clerk, case_id = counter
    body = form_body("jidou_teate")
    first = store(clerk, case_id, body, key="6f1b2c3d-0000-4000-8000-000000000001")
    again = store(clerk, case_id, body, key="6f1b2c3d-0000-4000-8000-000000000001")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    with central.sessions() as db:
        assert len(db.scalars(select(SignedForm)).all()) == 1


def _refusals():
    proxy_other = {"writer": "someone-else", "reason": "physical", "note": ""}
    return {
        "not_pdfa": (form_body(pdf=pdf_bytes(pdfa=False)), 422, "form_pdf_invalid"),
        "not_pdf": (form_body(pdf=b"GIF89a" + MARKER), 422, "form_pdf_invalid"),
        "oversize": (form_body(pdf=pdf_bytes(pad=MAX_PDF_BYTES)), 413, "form_pdf_too_large"),
        "bad_digest": (form_body(digest="0" * 64), 422, "form_digest_mismatch"),
        "items_of_another_form": (form_body(items=form_body("jidou_teate")["items"]), 422,
                                  "form_items_invalid"),
        "proxy_not_caller": (form_body(proxy=proxy_other), 403, "proxy_writer_not_caller"),
        "not_told": (form_body(told=False), 422, "resident_not_told"),
        "signature_nan": (form_body(signature=dict(signature(), width=float("nan"))), 422,
                          "signature_invalid"),
        "signature_empty": (form_body(signature=dict(signature(), strokes=[[[1.0, 1.0, 0, None]]])),
                            422, "signature_invalid"),
        "signature_input": (form_body(signature=dict(signature(), input="pen")), 422,
                            "signature_invalid"),
    }


@pytest.mark.parametrize("case", list(_refusals()))
def test_refusals_are_audited_and_echo_no_item(central, counter, case):
    clerk, case_id = counter
    body, status, code = _refusals()[case]
    r = store(clerk, case_id, body)
    assert (r.status_code, r.json()["code"]) == (status, code), r.text[:300]
    assert "窓口" not in r.text and "梅町" not in r.text
    rows = central.audit_rows("form.store")
    assert [(a.outcome, a.detail["code"]) for a in rows] == [("rejected", code)]
    assert rows[0].subject.startswith("resident:")
    with central.sessions() as db:
        assert db.scalars(select(SignedForm)).all() == []


def test_a_proxy_signature_is_stored_in_its_writers_name(central, counter):
    clerk, case_id = counter
    r = store(clerk, case_id, form_body(proxy={"writer": "entrant", "reason": "visual",
                                               "note": ""}))
    assert r.status_code == 201 and r.json()["signer"] == "proxy"
    with central.sessions() as db:
        row = db.scalars(select(SignedForm)).one()
        assert (row.signer, row.proxy_writer, row.proxy_reason) == ("proxy", "entrant", "visual")


def test_a_shimin_form_needs_no_telling_and_a_decided_case_takes_no_form(central, counter):
    clerk, case_id = counter
    assert store(clerk, case_id, form_body("jumin_idou", told=False)).status_code == 201
    reviewer = central.clerk(("reviewer",), login_id="rev1")
    assert reviewer.post(f"/v1/cases/{case_id}/return", json={"reason": "記載誤り"}).status_code == 200
    r = store(clerk, case_id, form_body("kokuho_shikaku"))
    assert r.status_code == 409 and r.json()["code"] == "case_not_pending"
    assert store(clerk, 999999, form_body()).json()["code"] == "case_not_found"
    outcomes = [(a.outcome, a.detail.get("code")) for a in central.audit_rows("form.store")]
    assert outcomes == [("ok", None), ("rejected", "case_not_pending"),
                        ("rejected", "case_not_found")]


def test_who_may_store_and_read(central, counter):
    clerk, case_id = counter
    assert store(clerk, case_id, form_body()).status_code == 201
    it = central.clerk(("it_admin",), login_id="it1")
    r = store(it, case_id, form_body())
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    denied = [a for a in central.audit_rows("form.store") if a.outcome == "denied"]
    assert [a.operator_login for a in denied] == ["it1"]
    # another clerk, not the entrant nor a reviewer: no reading this case's forms
    other = central.clerk(login_id="other")
    r = other.get(f"/v1/cases/{case_id}/forms")
    assert r.status_code == 403 and "窓口" not in r.text
    r = other.get(f"/v1/cases/{case_id}/forms/kokuho_shikaku/pdf")
    assert r.status_code == 403
    refused = [(a.action, a.operator_login, a.outcome) for a in central.audit_rows()
               if a.action in ("form.list", "form.pdf") and a.outcome != "ok"]
    assert refused == [("form.list", "other", "denied"), ("form.pdf", "other", "denied")]
    assert it.get(f"/v1/cases/{case_id}/forms").status_code == 403


def test_forms_purge_deletes_what_is_past_retention(central, counter, monkeypatch, capsys):
    clerk, case_id = counter
    for form_id in ("kokuho_shikaku", "jidou_teate", "jumin_idou"):
        assert store(clerk, case_id, form_body(form_id)).status_code == 201
    with central.sessions.begin() as db:  # past retention: two of the three
        for row in db.scalars(select(SignedForm).where(SignedForm.form_id != "jumin_idou")):
            row.retention_until = row.stored_at.replace(year=row.stored_at.year - 1)
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", base64.b64encode(DATA_KEY).decode())
    url = central.settings.database_url
    assert cli_main(["--database-url", url, "forms-purge", "--limit", "1"]) == 0
    assert "purged 1 " in capsys.readouterr().out
    assert cli_main(["--database-url", url, "forms-purge"]) == 0
    assert "purged 1 " in capsys.readouterr().out
    assert cli_main(["--database-url", url, "forms-purge"]) == 0
    assert "purged 0 " in capsys.readouterr().out
    with central.sessions() as db:
        assert [r.form_id for r in db.scalars(select(SignedForm))] == ["jumin_idou"]
        assert verify_chain(db).ok
    purged = central.audit_rows("form.purge")
    assert sorted(a.detail["form_id"] for a in purged) == ["jidou_teate", "kokuho_shikaku"]
    assert all(len(a.detail["sha256"]) == 64 and a.subject.startswith("resident:")
               for a in purged)


def test_the_centre_holds_each_form_to_the_catalogue(central):
    """A terminal cannot route a form elsewhere, add items its division should not get, carry a
    My Number, choose the retention, or store on someone else's 届出; whoever stored the forms
    cannot approve the case (#23 points 4-5, K-DQ-12, DQ-1). Every refusal audited."""
    from tests.central.factories import my_number

    clerk = central.clerk(login_id="entrant")
    case_id = pending_case(central, clerk)

    def body(**change):
        b = form_body("kokuho_shikaku")
        it = dict(b["items"], **change.pop("items", {}))
        b.update(items=it, digest=canonical_digest(it), **change)
        return b

    refusals = {
        "form_unknown": body(form_id="bank_account", items={"form_id": "bank_account"}),
        "form_division_mismatch": body(division_id="kosodate",
                                       items={"division_id": "kosodate"}),
        "form_items_invalid": body(items={"values": {"account": "架空銀行 1234567"}}),
        "form_items_my_number": body(items={"values": {"requester_name": "窓口　花子",
                                                       "previous_insurance": my_number()}}),
    }
    for code, b in refusals.items():
        r = store(clerk, case_id, b)
        assert (r.status_code, r.json()["code"]) == (422, code), r.text
        assert "1234567" not in r.text and "bank_account" != r.json().get("field")
    nested = body(items={"values": {"requester_name": {"deep": ["x"]}}})
    assert store(clerk, case_id, nested).json()["code"] == "form_items_invalid"
    other = central.clerk(login_id="other-counter")
    r = store(other, case_id, form_body("kokuho_shikaku"))
    assert (r.status_code, r.json()["code"]) == (403, "form_not_entrant")
    r = store(clerk, case_id, form_body("kokuho_shikaku", retention_years=150))
    assert r.status_code == 201 and r.json()["retention_until"][:4] == str(
        clock.today().year + 5)  # the catalogue's 5 years, not the terminal's 150
    refused = [a.detail.get("code") for a in central.audit_rows() if a.action == "form.store"
               and a.outcome != "ok"]
    assert set(refusals) | {"form_not_entrant"} <= set(refused), refused
    storer = central.clerk(("clerk", "reviewer"), login_id="storer-reviewer")
    case2 = pending_case(central, storer)
    assert store(storer, case2, form_body("kokuho_shikaku")).status_code == 201
    r = storer.post(f"/v1/cases/{case2}/approve", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 403 and r.json()["code"] in ("reviewer_is_entrant",
                                                         "reviewer_stored_forms")
