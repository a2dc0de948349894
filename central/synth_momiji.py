"""A second synthetic city, 架空県もみじ市, that sends 転出証明書情報 for families moving to さくら市
(#22 point 2, K-WF-4.6): the input of the 住基ネット CS adapter (tennyu_yotei.py, cs-receive).

    doc = document(seed=1, households=20, today=dt.date(2026, 12, 7))   # the adapter's format

Everything is synthetic and deterministic in (seed, households, today), built with synth.py's
generator (names, ages, 続柄, 本籍・筆頭者): families with realistic 続柄 (世帯主, 妻 or 夫, 子, 父,
母, 子の妻, 孫), valid 個人番号 check digits (japan/mynumber.py), and on purpose some 異体字 names
(a 外字 surname such as 髙橋 with its 代替文字) and some 旧氏 (a married woman's former surname).
The first household is always a family of four (世帯主, 妻, two 子), every member holding a card,
with a 異体字 surname and the 妻's 旧氏 (every 4th household has a 外字 surname, every 3rd a 旧氏).

Identifiers never collide with さくら市's synthetic register: さくら市 draws 住民票コード and 個人番号
bodies from [10^10, 10^10 + 2^36), もみじ市 from [8·10^10, 9.9·10^10) (keyed permutations, as
synth.py). The 転出予定日 lies within the last week, the 転出先 is an address in さくら市.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from japan import mynumber

from .synth import _P_NO_MY_NUMBER, _Draft, _Feistel, _Generator, _Town, _age, _kanji_num

SENDER = {"municipality": "架空県もみじ市", "code": "999021"}
FORMAT = "madoguchi.tenshutsu-shomeisho-joho/1"
_BASE = 80_000_000_000
_SPAN = 19_000_000_000
_TOWNS = (("紅葉町", "9992101"), ("楓が丘", "9992102"), ("錦町", "9992103"), ("山王", "9992104"),
          ("川端町", "9992105"))
# the compositions of families that move together, with weights
_KINDS = (("four", 35), ("couple_kids", 25), ("couple", 15), ("single_parent", 10),
          ("three_gen", 8), ("with_parents", 7))


class _Momiji(_Generator):
    """synth.py's generator, with もみじ市's own identifier ranges."""

    def __init__(self, seed: int, today: dt.date) -> None:
        super().__init__(seed, today)
        self._jm2 = _Feistel(_SPAN, self.r)
        self._mn2 = _Feistel(_SPAN, self.r)

    def person_ids(self) -> tuple[str, str | None]:
        n = self._people
        self._people += 1
        juminhyo = f"{_BASE + self._jm2(n):011d}"
        if n and self.chance(_P_NO_MY_NUMBER):
            return juminhyo, None
        first11 = f"{_BASE + self._mn2(n):011d}"
        return juminhyo, first11 + str(mynumber.check_digit(first11))

    def family(self, kind: str) -> list[_Draft]:
        self._taken = []
        if kind == "four":
            while True:
                members = self._couple((28, 48))
                self.add_children(members, [m.birth for m in members], 2, max_age=17)
                if len(members) == 4:
                    return members
                self._taken = []
        if kind == "couple":
            return self._couple((24, 70))
        return getattr(self, "h_" + kind)()[0]

    def old_address(self) -> tuple[_Town, str]:
        name, postal = self.r.choice(_TOWNS)
        chome = _kanji_num(self.r.randint(1, 4))
        address = (f"{SENDER['municipality']}{name}{chome}丁目{self.r.randint(1, 25)}番"
                   f"{self.r.randint(1, 20)}号")
        return _Town(name, postal, 1, 1, 1), address


def _qualifications(m: _Draft, today: dt.date, kokuho: bool, has_children: bool) -> dict[str, bool]:
    """資格 marks as practice would show them (synthetic): 国保 for a 国保 household, 後期高齢 from
    75, 介護 第1号 from 65, 国民年金 第1号 for 20–59 in a 国保 household, 児童手当 for the 世帯主 of a
    household with a child under 18."""
    age = _age(m.birth, today)
    return {"kokuho": kokuho and age < 75, "kouki": age >= 75, "kaigo": age >= 65,
            "nenkin": kokuho and 20 <= age < 60,
            "jidou_teate": m.rel == "世帯主" and has_children}


def _certificate(gen: _Momiji, n: int, kind: str, seed: int) -> dict[str, Any]:
    r, today = gen.r, gen.today
    members = gen.family(kind)
    if n % 4 == 0:  # some 異体字 names (a 外字 surname and its 代替文字), the first family's too
        kanji, kana, chars = r.choice(gen.d.gaiji_surnames)
        family_sur = members[0].sur
        for m in members:
            if m.sur == family_sur:
                m.sur, m.gaiji = (kanji, kana), chars
    gen.koseki(members)
    for m in members:  # some 旧氏 (旧氏併記 at the woman's request)
        if m.rel in ("妻", "子の妻") and m.former is None and n % 3 == 0:
            m.former = gen.plain_surname(avoid=m.sur[0])
    town, address = gen.old_address()
    people = [gen.freeze(m, town, address, None) for m in members]
    kokuho = gen.chance(0.3)
    has_children = any(_age(m.birth, today) < 18 for m in members[1:])
    head = people[0]
    out_members = []
    for i, (m, p) in enumerate(zip(members, people)):
        card = p.my_number is not None and (i == 0 or gen.chance(0.85) or kind == "four")
        out_members.append({
            "juminhyo_code": p.juminhyo_code, "my_number": p.my_number,
            "name_kanji": p.name_kanji, "name_kana": p.name_kana,
            "former_surname": p.former_surname, "former_surname_kana": p.former_surname_kana,
            "substitute_chars": p.substitute_chars,
            "birth_date": p.birth_date.isoformat(), "sex": p.sex,
            "relationship_to_head": p.relationship_to_head,
            "honseki": p.honseki, "hittousha": p.hittousha, "card_held": card,
            "qualifications": _qualifications(m, today, kokuho, has_children)})
    return {"certificate_id": f"{SENDER['code']}-{seed % 10000:04d}-{n:06d}",
            "address": address, "householder_name": head.name_kanji,
            "moved_out_to": gen.random_city_address(),
            "planned_date": (today - dt.timedelta(days=r.randint(0, 6))).isoformat(),
            "members": out_members}


def document(seed: int, households: int, *, today: dt.date) -> dict[str, Any]:
    """A 転出証明書情報 document of ``households`` families (the first a family of four)."""
    if households < 1:
        raise ValueError("households must be ≥ 1")
    gen = _Momiji(seed, today)
    kinds = [k for k, _ in _KINDS]
    weights = [w for _, w in _KINDS]
    certs = []
    for n in range(households):
        kind = "four" if n == 0 else gen.r.choices(kinds, weights)[0]
        certs.append(_certificate(gen, n, kind, seed))
    return {"format": FORMAT, "sender": dict(SENDER),
            "sent_at": dt.datetime.combine(today, dt.time(9, 0)).isoformat() + "Z",
            "certificates": certs}


def family_of_four(seed: int, *, today: dt.date) -> dict[str, Any]:
    """A document holding one family of four (世帯主, 妻, two 子), every member with a card."""
    return document(seed, 1, today=today)


__all__ = ["FORMAT", "SENDER", "document", "family_of_four"]
