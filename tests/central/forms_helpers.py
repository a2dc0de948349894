"""Synthetic signed forms for the central tests: a PDF/A-declaring PDF, items, a signature in the
shape of app/signature.py's ``Signature.to_json``, and a case waiting for 審査 to store them on."""
from __future__ import annotations

import base64
import hashlib
import json
import uuid

from central import clock
from tests.central.factories import new_resident

XMP = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part>'
       '<pdfaid:conformance>B</pdfaid:conformance></rdf:Description></rdf:RDF></x:xmpmeta>'
       '<?xpacket end="w"?>')
MARKER = b"MADOGUCHI-FORM-BODY-7f3c"  # a byte string only the PDF holds


def pdf_bytes(pdfa: bool = True, pad: int = 0) -> bytes:
    """A small PDF that declares PDF/A-2b in its XMP (or not), with MARKER in it."""
    meta = XMP if pdfa else XMP.replace("pdfaid:part", "pdfaid:nopart")
    body = (b"%PDF-1.7\n1 0 obj\n<< /Type /Metadata /Subtype /XML >>\nstream\n"
            + meta.encode() + b"\nendstream\nendobj\n% " + MARKER + b"\n" + b" " * pad
            + b"%%EOF\n")
    return body


def canonical_digest(items: dict) -> str:
    return hashlib.sha256(json.dumps(items, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


def signature(proxy: dict | None = None) -> dict:
    return {"input": "tablet", "width": 400.0, "height": 120.0,
            "signed_at": "2026-12-09T01:02:03Z",
            "strokes": [[[10.0, 20.0, 0, 0.4], [30.5, 40.0, 16, 0.6], [50.0, 45.0, 33, None]],
                        [[60.0, 50.0, 400, 0.5], [90.0, 60.0, 420, 0.5]]],
            "proxy": proxy}


FORMS = {  # form_id -> (title, division_id, the item naming the person, the address item)
    "jumin_idou": ("住民異動届", "shimin", "requester_name", "new_address"),
    "kokuho_shikaku": ("国民健康保険 資格取得・喪失届", "kokuho", "requester_name", "address"),
    "jidou_teate": ("児童手当 認定請求書／住所変更届", "kosodate", "claimant_name",
                    "claimant_address"),
}


def items(form_id: str, name: str = "窓口　花子") -> dict:
    """Items of ``form_id`` as the catalogue (resources/forms.toml) has them."""
    title, division, name_key, address_key = FORMS[form_id]
    return {"form_id": form_id, "title": title, "division_id": division,
            "values": {name_key: name, address_key: "架空県さくら市梅町5番5号",
                       "todoke_date": clock.today().isoformat()},
            "rows": [{"relationship_to_head": "世帯主", "name_kanji": name}]}


def form_body(form_id: str = "kokuho_shikaku", *, name: str = "窓口　花子", pdf: bytes | None = None,
              told: bool = True, proxy: dict | None = None, retention_years: int = 5,
              **override) -> dict:
    title, division = FORMS[form_id][:2]
    it = items(form_id, name)
    body = {"form_id": form_id, "title": title, "division_id": division,
            "retention_years": retention_years,
            "pdf": base64.b64encode(pdf if pdf is not None else pdf_bytes()).decode(),
            "items": it, "digest": canonical_digest(it), "signature": signature(proxy),
            "told_divisions": told}
    body.update(override)
    return body


def store(client, case_id: int, body: dict, key: str | None = None):
    """POST the form; the body as Python's json writes it (a NaN as ``NaN``, as a broken client
    would send it)."""
    return client.post(f"/v1/cases/{case_id}/forms", content=json.dumps(body).encode(),
                       headers={"Idempotency-Key": key or str(uuid.uuid4()),
                                "Content-Type": "application/json"})


def pending_case(central, clerk) -> int:
    """A 転居 entered by ``clerk`` and waiting for 審査; its case id."""
    made = new_resident(clerk)
    today = clock.today().isoformat()
    r = clerk.post("/v1/cases/idou", json={
        "kind": "tenkyo", "resident_id": made["resident_id"],
        "expected_version": made["version"], "idou_date": today, "todoke_date": today,
        "changes": {"address": "架空県さくら市梅町5番5号"}},
        headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return r.json()["case_id"]
