"""#21 class 8: a certificate's content is served once (住民票の写し, 記載事項証明書, 課税・所得証明書).

The first GET of the content answers it; any later one is 410 ``certificate_content_served``,
audited as a refusal; a reprint is a new issuance, recorded in the 帳票管理簿. Of two
simultaneous GETs exactly one is answered (one UPDATE … WHERE content_served_at IS NULL), on
SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from central.models import Issuance, TaxCertificate
from tests.central.factories import new_resident
from tests.central.test_issuance import issue
from tests.central.test_tax import cert, seed_record


def _routes(central, clerk, rid):
    """(content path, audit action, issue again) for each kind of certificate."""
    seed_record(central, rid)

    def juminhyo():
        r = issue(clerk, rid)
        assert r.status_code == 201, r.text
        return f"/v1/certificates/{r.json()['issuance_id']}/content"

    def kisai():
        r = issue(clerk, rid, kind="kisai", items=["name", "address"], submit_to="年金事務所")
        assert r.status_code == 201, r.text
        return f"/v1/certificates/{r.json()['issuance_id']}/content"

    def tax():
        r = cert(clerk, rid)
        assert r.status_code == 201, r.text
        return f"/v1/tax/certificates/{r.json()['issuance_id']}/content"
    return (("certificate.content", juminhyo), ("certificate.content", kisai),
            ("tax.certificate.content", tax))


def test_content_is_served_once_and_a_reprint_is_a_new_issuance(central):
    clerk = central.clerk(login_id="c1")
    rid = new_resident(clerk)["resident_id"]
    for action, issue_one in _routes(central, clerk, rid):
        path = issue_one()
        assert clerk.get(path).status_code == 200, path
        for attempt in (2, 3):  # a distinct query each time: a new request, not a replay
            r = clerk.get(path, params={"attempt": attempt})
            assert r.status_code == 410, (path, r.text)
            body = r.json()
            assert body["code"] == "certificate_content_served"
            assert "交付" in body["detail_ja"] and "reprint" in body["detail"]
            assert "persons" not in body and "person" not in body
        rows = central.audit_rows(action)
        assert [a.outcome for a in rows][-3:] == ["ok", "rejected", "rejected"], action
        assert rows[-1].operator_login == "c1" and rows[-1].subject == f"resident:{rid}"
        assert rows[-1].detail == {"code": "certificate_content_served"}
        again = issue_one()  # the reprint: a new issuance, its own content, once
        assert again != path and clerk.get(again).status_code == 200
    with central.sessions() as db:
        assert len(db.scalars(select(Issuance)).all()) == 4  # every print is in the 帳票管理簿
        assert len(db.scalars(select(TaxCertificate)).all()) == 2
        assert all(r.content_served_at for r in db.scalars(select(Issuance)))


def test_refused_content_is_not_marked_served(central):
    """A refusal (another operator) leaves the content for the issuer, and is audited."""
    clerk = central.clerk(login_id="c1")
    rid = new_resident(clerk)["resident_id"]
    iid = issue(clerk, rid).json()["issuance_id"]
    other = central.clerk(login_id="c9")
    assert other.get(f"/v1/certificates/{iid}/content").status_code == 403
    assert central.audit_rows("certificate.content")[-1].operator_login == "c9"
    assert clerk.get(f"/v1/certificates/{iid}/content").status_code == 200


def test_two_simultaneous_requests_get_the_content_once(central):
    clerk = central.clerk(login_id="c1")
    rid = new_resident(clerk)["resident_id"]
    for _action, issue_one in _routes(central, clerk, rid):
        path = issue_one()
        start = threading.Barrier(4)

        def get(n, path=path, start=start):
            start.wait()
            return clerk.get(path, params={"n": n})
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(get, range(4)))
        codes = sorted(r.status_code for r in answers)
        assert codes == [200, 410, 410, 410], [r.text for r in answers]
