"""特例転入 through the client core (app/tokurei.py, #22 point 2, K-WF-4.6, WF-5 審査, AUTHZ-2): one card
finds the household, the four cards read in the visit are matched to their members, the 転入 of
each is entered for 審査 and applied on approval with the numbers carried over; the reviewer without
特定個人情報アクセス権限 sees the cards' numbers masked (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from app.identity import CardIdentity
from app.tokurei import CardNotInHousehold, tennyu_command
from central import clock, tennyu_yotei
from central.models import Resident
from central.synth_momiji import document, family_of_four


def _receive(central, doc) -> None:
    with central.sessions.begin() as db:
        tennyu_yotei.receive(db, central.cipher, tennyu_yotei.parse(json.dumps(doc)),
                             received_by="test")


def _card(member: dict, address: str) -> CardIdentity:
    return CardIdentity(name=member["name_kanji"], address=address,
                        birth_date=dt.date.fromisoformat(member["birth_date"]), sex=member["sex"],
                        digests_verified=True, my_number=member["my_number"],
                        my_number_check_digit_ok=True)


def test_a_family_of_four_from_one_card_through_review(central):
    doc = family_of_four(31, today=clock.today())
    cert = doc["certificates"][0]
    _receive(central, doc)
    other = document(32, 1, today=clock.today())["certificates"][0]
    client, _ = central.terminal("TOK-0001")
    central.operator("c1", ["clerk", "my_number_access"])
    client.login("c1", central.passwords["c1"])
    cards = [_card(m, cert["address"]) for m in cert["members"]]
    household = client.lookup_tennyu_yotei(my_number=cards[1].my_number)  # the wife's card
    assert len(household.members) == 4 and "髙" not in repr(household)  # no data in the repr
    read = {household.member_for(c).member_no: c for c in cards[::-1]}  # any order
    assert household.cards_missing(read) == ()
    with pytest.raises(CardNotInHousehold):
        household.member_for(_card(other["members"][0], other["address"]))
    moved_in, today = clock.today() - dt.timedelta(days=1), clock.today()
    head = household.members[0]
    body = tennyu_command(household, head, read[head.member_no], postal_code="9990001",
                          moved_in=moved_in, todoke=today)
    case = client.submit_case(body, str(uuid.uuid4()))
    # the reviewer has no 特定個人情報アクセス権限: the card's number is masked in the queue
    reviewer = central.clerk(("reviewer",), login_id="r1")
    queue = reviewer.get("/v1/cases").json()
    assert all(m["my_number"] not in json.dumps(queue) for m in cert["members"])
    entry = next(c for c in queue["items"] if c["id"] == case.case_id)
    assert entry["command"]["tokurei"]["card"]["my_number"] == "************"
    approved = reviewer.post(f"/v1/cases/{case.case_id}/approve",
                             headers={"Idempotency-Key": str(uuid.uuid4())})
    assert approved.status_code == 200, approved.text
    head_id = approved.json()["resident_id"]
    with central.sessions() as db:
        household_no = db.get(Resident, head_id).household.household_no
    for m in household.members[1:]:
        body = tennyu_command(household, m, read[m.member_no], postal_code="9990001",
                              moved_in=moved_in, todoke=today, household_no=household_no)
        r = client.post_command("/v1/commands/idou", json.dumps(body).encode(), str(uuid.uuid4()))
        assert r.status_code == 201, r.text
    with central.sessions() as db:
        people = sorted(db.get(Resident, head_id).household.members, key=lambda r: r.id)
        assert [(p.juminhyo_code, central.cipher.decrypt(p.my_number_enc), p.relationship_to_head)
                for p in people] == [(m["juminhyo_code"], m["my_number"],
                                      m["relationship_to_head"]) for m in cert["members"]]
        assert all(p.address == cert["moved_out_to"] and p.moved_in_from == cert["address"]
                   for p in people)
