"""The terminal's client for 申請書の電子保存 (#23 point 4): a signed form stored, listed and its PDF
read back through app.api_client against the central API, the digest computed as the centre does
(app.signature's ``Signature`` as the signature), refusals raised as ApiError."""
from __future__ import annotations

import uuid

import pytest

from app.api_client import ApiError, items_digest
from app.signature import Signature
from central import signed_forms
from tests.central.forms_helpers import items, pdf_bytes, pending_case, signature


def _login(central, device_id: str, login_id: str, rights: list[str]):
    central.operator(login_id, rights)
    client, _ = central.terminal(device_id)
    client.login(login_id, central.passwords[login_id])
    return client


def test_store_list_and_read_a_form_through_the_client(central):
    clerk = _login(central, "CL-1", "c1", ["clerk"])
    reviewer = _login(central, "CL-2", "rev", ["reviewer"])
    case_id = pending_case(central, central.client(login_id="c1"))  # c1's own 届出
    it = items("kokuho_shikaku")
    assert items_digest(it) == signed_forms.items_digest(it)  # one canonical form, both sides
    sig = Signature.from_json(signature())  # the client's own type, as the resident signed
    pdf = pdf_bytes()
    form = {"form_id": "kokuho_shikaku", "title": it["title"], "division_id": "kokuho",
            "retention_years": 5, "pdf": pdf, "items": it, "signature": sig.to_json(),
            "told_divisions": True}
    stored = clerk.store_signed_form(case_id, form, str(uuid.uuid4()))
    assert stored["version"] == 1 and stored["division_id"] == "kokuho"
    [listed] = reviewer.case_forms(case_id)
    assert listed["items"] == it and listed["signer"] == "resident"
    assert reviewer.form_pdf(case_id, "kokuho_shikaku") == pdf
    assert reviewer.form_pdf(case_id, "kokuho_shikaku", version=1) == pdf
    other = _login(central, "CL-3", "c2", ["clerk"])  # another counter's clerk: not theirs
    with pytest.raises(ApiError) as not_theirs:
        other.store_signed_form(case_id, form, str(uuid.uuid4()))
    assert not_theirs.value.code == "form_not_entrant" and not_theirs.value.status == 403
    with pytest.raises(ApiError) as refused:
        clerk.store_signed_form(case_id, dict(form, told_divisions=False), str(uuid.uuid4()))
    assert refused.value.code == "resident_not_told" and refused.value.detail_ja
    with pytest.raises(ApiError) as missing:
        reviewer.form_pdf(case_id, "kokuho_shikaku", version=9)
    assert missing.value.code == "form_not_found"

