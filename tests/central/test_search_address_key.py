"""#21 class 7 (DQ-7): an address is a second search key only when it narrows the search.

On the synthetic register of 架空県さくら市 every address starts with 「架空県さくら市」: a 氏名
search with the prefecture, the municipality, or a character of either as its 住所 would answer
every resident of that name. Such a key is refused (422, English and Japanese); an address that
reaches the 町字 is accepted and narrows."""
from __future__ import annotations

from collections import defaultdict

from japan.address import split_address

BROAD = ("架空県", "架空県さくら市", "さくら市", "架", "県", "架空県　さくら市", "架空県 さくら市 ",
         "ｶｸｳ県さくら市", "架空県さくら市大字", "架空県さくら市桜", "架空県さくら市１")


def _town(address: str) -> str:
    """The first two characters of an address's 町字 (after 大字), with what comes before."""
    rest = split_address(address).rest
    lead = "大字" if rest.startswith("大字") else ""
    return lead + rest[len(lead):len(lead) + 2]


def _namesakes(households):
    """The full name borne by residents in the most 町字."""
    towns = defaultdict(set)
    for h in households:
        for m in h.members:  # the generator's residents are all current
            towns[m.name_kanji].add(_town(m.address))
    return max(towns, key=lambda n: len(towns[n]))


def test_an_address_that_does_not_narrow_is_no_second_key(central):
    households = central.seed(600)
    name = _namesakes(households)
    people = [m for h in households for m in h.members if m.name_kanji == name]
    assert len({_town(p.address) for p in people}) >= 2
    clerk = central.clerk()
    for address in BROAD:
        r = clerk.get("/v1/residents", params={"purpose": "inquiry", "name": name,
                                              "address": address})
        assert r.status_code == 422, (address, r.text)
        body = r.json()
        assert (body["code"], body["field"]) == ("search_needs_two_keys", "address"), address
        assert "町字" in body["detail_ja"] and "narrow" in body["detail"]
        assert "items" not in body
    refused = [a for a in central.audit_rows("resident.search") if a.outcome == "rejected"]
    assert len(refused) == len(BROAD)  # each refusal audited (LOG-1)

    target = people[0]
    parts = split_address(target.address)
    town = parts.prefecture + parts.municipality + _town(target.address)
    # the 町字 as typed at a counter: full-width, with spaces
    typed = "　".join((parts.prefecture, parts.municipality, _town(target.address))).translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    wide = "　".join((parts.prefecture, parts.municipality, parts.rest)).translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    arabic = target.address
    for n, k in enumerate("一二三四五六七八九", 1):  # 五丁目 typed 5丁目
        arabic = arabic.replace(f"{k}丁目", f"{n}丁目")
    for address in (town, typed, wide, arabic, target.address):
        r = clerk.get("/v1/residents", params={"purpose": "inquiry", "name": name,
                                              "address": address})
        assert r.status_code == 200, (address, r.text)
        found = r.json()["items"]
        assert target.juminhyo_code in {i["juminhyo_code"] for i in found}
        assert all(i["address"].startswith(town) for i in found)
        assert len(found) < len(people)  # it narrows


def test_a_broad_address_beside_a_birth_date_is_harmless(central):
    """With 生年月日 as the second key, a broad address only adds a (true) condition."""
    households = central.seed(200)
    p = households[0].members[0]
    clerk = central.clerk()
    r = clerk.get("/v1/residents", params={"purpose": "inquiry", "name": p.name_kanji,
                                          "address": "架空県", "birth_date": p.birth_date.isoformat()})
    assert r.status_code == 200
    assert p.juminhyo_code in {i["juminhyo_code"] for i in r.json()["items"]}
