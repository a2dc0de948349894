"""Deterministic synthetic reference register (住民基本台帳) for the fictional city 架空県さくら市.

Everything produced here is synthetic: the prefectures, cities and 町名 are made up, names are common
Japanese (or foreign) names combined at random, and the identifiers are drawn from keyed permutations.
Nothing is derived from real personal data.

    for household in generate(seed=1, count=5_000, today=dt.date(2026, 11, 22)):
        ...

``generate`` is a lazy generator: it yields one household at a time and keeps only a few counters and
keys in memory, so a million people stream in bounded memory. The same (seed, count, today) always
gives the same output: all randomness comes from one ``random.Random(seed)`` consumed in a fixed order.
For a fixed seed and today, the output for a smaller count is a prefix of the output for a larger one,
except that the very last household may be cut short so that exactly ``count`` people are produced.

Identifiers are unique within one run without remembering the issued ones: the n-th person's
個人番号 / 住民票コード and the n-th household's 世帯番号 are a keyed Feistel permutation of n.

The data tables (names, 町名, building names) are in ``central/data/synth_ja.json``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from japan import mynumber

__all__ = [
    "ART30_45_CATEGORIES",
    "CITY",
    "HouseholdData",
    "PersonData",
    "SupportMeasureData",
    "TaxData",
    "generate",
]

_DATA_FILE = Path(__file__).with_name("data") / "synth_ja.json"

CITY = "架空県さくら市"
ART30_45_CATEGORIES = (
    "中長期在留者",
    "特別永住者",
    "一時庇護許可者",
    "仮滞在許可者",
    "出生による経過滞在者",
    "国籍喪失による経過滞在者",
)
_SP = "\u3000"  # full-width space between surname and given name
_DAY = dt.timedelta(days=1)
_KANJI_NUM = "〇一二三四五六七八九十"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_M64 = (1 << 64) - 1

# Household composition for Japanese households (weights, summing to 1000).
_HOUSEHOLD_KINDS = (
    ("single", 360),
    ("couple", 215),
    ("couple_kids", 195),
    ("single_parent", 70),
    ("with_parents", 40),
    ("three_gen", 35),
    ("parent_adult_child", 45),
    ("siblings", 15),
    ("shared", 15),
    ("kin", 10),
    ("with_grandparent", 8),  # a young 世帯主 with a 祖母 / 祖父 (#22)
    ("stepfamily", 12),  # a couple with the spouse's child (妻の子 / 夫の子) and often their own 子
)
_P_FOREIGN_HOUSEHOLD = 0.034  # plus foreign spouses in mixed marriages: ≈3 % of people in total
_P_MIXED_MARRIAGE = 0.02
_P_GAIJI = 0.009
_P_NO_MY_NUMBER = 0.02
_P_SUPPORT = 0.005

_NATIONALITIES = (("中国", 30), ("ベトナム", 22), ("韓国", 16), ("フィリピン", 11), ("ブラジル", 8),
                  ("ネパール", 8), ("米国", 5))
_SPOUSE_NATIONALITIES = (("中国", 30), ("フィリピン", 30), ("韓国", 20), ("ベトナム", 8), ("ブラジル", 6),
                         ("米国", 6))
# status of a foreign single person / of a foreign family's head, by nationality
_SINGLE_STATUS = {
    "中国": (("留学", 35), ("技術・人文知識・国際業務", 35), ("技能実習", 15), ("永住者", 15)),
    "ベトナム": (("技能実習", 45), ("特定技能", 25), ("留学", 15), ("技術・人文知識・国際業務", 15)),
    "韓国": (("特別永住者", 40), ("永住者", 20), ("技術・人文知識・国際業務", 25), ("留学", 15)),
    "フィリピン": (("永住者", 40), ("特定技能", 30), ("技能実習", 20), ("定住者", 10)),
    "ブラジル": (("定住者", 50), ("永住者", 50)),
    "ネパール": (("留学", 50), ("技能", 30), ("特定技能", 20)),
    "米国": (("技術・人文知識・国際業務", 50), ("教育", 30), ("永住者", 20)),
}
_FAMILY_STATUS = {
    "中国": (("永住者", 50), ("技術・人文知識・国際業務", 50)),
    "ベトナム": (("技術・人文知識・国際業務", 70), ("永住者", 30)),
    "韓国": (("特別永住者", 60), ("永住者", 40)),
    "フィリピン": (("永住者", 60), ("定住者", 40)),
    "ブラジル": (("定住者", 50), ("永住者", 50)),
    "ネパール": (("技能", 70), ("永住者", 30)),
    "米国": (("技術・人文知識・国際業務", 60), ("永住者", 40)),
}
_STATUS_AGES = {
    "留学": (18, 30), "技能実習": (19, 35), "特定技能": (20, 40), "技術・人文知識・国際業務": (22, 50),
    "技能": (25, 50), "教育": (25, 55), "永住者": (30, 75), "定住者": (20, 65), "特別永住者": (20, 90),
}
_PERMANENT = ("永住者", "特別永住者")
# longest period of stay (years) granted for each status
_STATUS_PERIOD = {
    "留学": 2, "技能実習": 2, "特定技能": 3, "技術・人文知識・国際業務": 5, "技能": 5, "教育": 5,
    "定住者": 5, "家族滞在": 5, "永住者の配偶者等": 5, "日本人の配偶者等": 5,
}
_WORK_INCOME = {  # (probability of working, low, high) of 給与収入 for foreign statuses
    "留学": (0.7, 600_000, 1_400_000), "技能実習": (1.0, 2_000_000, 3_000_000),
    "特定技能": (1.0, 2_300_000, 3_600_000), "技術・人文知識・国際業務": (1.0, 3_000_000, 7_000_000),
    "技能": (1.0, 2_500_000, 4_000_000), "教育": (1.0, 3_500_000, 6_000_000),
    "家族滞在": (0.4, 400_000, 1_000_000),
}


# --- public data classes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxData:
    """個人住民税 課税台帳 for one 年度 (the income of the previous calendar year)."""

    fiscal_year: int
    employment_income: int  # 給与所得 (after 給与所得控除)
    pension_income: int  # 公的年金等に係る雑所得 (after 公的年金等控除)
    other_income: int
    total_income: int  # 総所得金額
    deductions: int  # 所得控除
    taxable_income: int  # max(0, total_income - deductions)
    municipal_tax: int  # 市民税 ≈ 6 % of taxable, rounded down to 100 yen
    prefectural_tax: int  # 県民税 ≈ 4 %
    dependents_count: int  # 控除対象配偶者 + 扶養親族 (including 年少扶養) claimed by this person


@dataclass(frozen=True)
class PersonData:
    """One 住民票. ``my_number`` is plain text here (12 digits or None); the loader encrypts it."""

    juminhyo_code: str
    my_number: str | None
    name_kanji: str
    name_kana: str
    name_kana_certified: bool
    name_roman: str | None
    gaiji: bool
    substitute_chars: list[dict[str, Any]]
    tsusho: str | None
    tsusho_kana: str | None
    former_surname: str | None
    former_surname_kana: str | None
    birth_date: dt.date
    sex: str  # male / female
    relationship_to_head: str  # 続柄
    postal_code: str
    address: str
    katagaki: str | None
    became_resident_on: dt.date
    address_set_on: dt.date
    previous_address: str | None
    moved_in_from: str | None
    honseki: str | None
    hittousha: str | None
    is_foreign: bool
    nationality: str | None
    residence_status: str | None
    residence_expiry: dt.date | None
    residence_card_no: str | None
    art30_45_category: str | None
    tax_records: list[TaxData] = field(default_factory=list)


@dataclass(frozen=True)
class SupportMeasureData:
    """支援措置 on a household: target and co-protected members are indices into ``members``."""

    target: int
    category: str  # DV / ストーカー / 児童虐待
    start_date: dt.date
    end_date: dt.date
    co_protected: list[int]
    perpetrator_name: str
    perpetrator_address: str  # always outside さくら市


@dataclass(frozen=True)
class HouseholdData:
    household_no: str
    members: list[PersonData]  # the 世帯主 first
    support: SupportMeasureData | None = None

    @property
    def head(self) -> PersonData:
        return self.members[0]


# --- reference data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Town:
    name: str
    postal: str
    chome: int  # 0 for 大字 areas (地番 addresses)
    ban: int
    go: int

    @property
    def lots(self) -> int:
        return self.chome * self.ban * self.go if self.chome else self.ban * (self.go + 1)


class _Data:
    def __init__(self, raw: dict[str, Any]) -> None:
        city = raw["city"]
        self.city = city["pref"] + city["name"]
        self.towns = [
            _Town(t["name"], t["postal"], t.get("chome", 0), t.get("ban", t.get("banchi", 0)),
                  t.get("go", t.get("eda", 0)))
            for t in city["towns"]
        ]
        self.town_cum: list[int] = []
        total = 0
        for t in self.towns:
            total += t.lots
            self.town_cum.append(total)
        self.lot_count = total
        self.other_places = [tuple(p) for p in raw["other_places"]]
        self.other_towns = list(raw["other_towns"])
        self.building_prefixes = list(raw["building_prefixes"])
        self.building_suffixes = list(raw["building_suffixes"])
        self.surnames = [tuple(s) for s in raw["surnames"]]
        # common surnames are more frequent (the list is roughly in order of frequency)
        self.surname_cum = _cumulative(1.0 / (i + 8) ** 0.7 for i in range(len(self.surnames)))
        self.gaiji_surnames = [
            (g["kanji"], g["kana"], tuple(tuple(c) for c in g["chars"])) for g in raw["gaiji_surnames"]
        ]
        self.given = {
            sex: {era: [tuple(n) for n in names] for era, names in eras.items()}
            for sex, eras in raw["given"].items()
        }
        self.foreign = raw["foreign"]


@lru_cache(maxsize=1)
def _data() -> _Data:
    return _Data(json.loads(_DATA_FILE.read_text(encoding="utf-8")))


def _cumulative(weights: Any) -> list[float]:
    out: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# --- helpers ---------------------------------------------------------------------------------------


class _Feistel:
    """A keyed bijection of [0, size): a balanced Feistel network on the smallest even bit width that
    covers ``size``, cycle-walking back into range. Not cryptographic; it only spreads counters."""

    def __init__(self, size: int, rng: random.Random) -> None:
        bits = max(2, (size - 1).bit_length())
        bits += bits & 1
        self.size = size
        self._half = bits // 2
        self._mask = (1 << self._half) - 1
        self._keys = tuple(rng.getrandbits(64) for _ in range(4))

    def __call__(self, x: int) -> int:
        if not 0 <= x < self.size:
            raise ValueError("out of the permutation's domain")
        half, mask, keys = self._half, self._mask, self._keys
        while True:
            left, right = x >> half, x & mask
            for k in keys:
                h = ((right + k) * 0x9E3779B97F4A7C15) & _M64
                h ^= h >> 29
                h = (h * 0xBF58476D1CE4E5B9) & _M64
                h ^= h >> 32
                left, right = right, left ^ (h & mask)
            x = (left << half) | right
            if x < self.size:
                return x


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _kanji_num(n: int) -> str:
    if n <= 10:
        return _KANJI_NUM[n]
    tens, ones = divmod(n, 10)
    return (_KANJI_NUM[tens] if tens > 1 else "") + "十" + (_KANJI_NUM[ones] if ones else "")


def _era(birth: dt.date) -> str:
    if birth.year <= 1955:
        return "old"
    if birth.year <= 1985:
        return "mid"
    if birth.year <= 2005:
        return "young"
    return "new"


_ERAS = ("old", "mid", "young", "new")


def _employment_deduction(revenue: int, income_year: int) -> int:
    """給与所得控除 (令和2年分以降; the 令和7年 reform raised the minimum to 65万円)."""
    if income_year >= 2025 and revenue <= 1_900_000:
        return min(revenue, 650_000)
    if revenue <= 1_625_000:
        return min(revenue, 550_000)
    if revenue < 6_600_000:
        revenue = revenue // 4000 * 4000  # the 年末調整 table works in steps of 4,000 yen
    if revenue <= 1_800_000:
        return revenue * 40 // 100 - 100_000
    if revenue <= 3_600_000:
        return revenue * 30 // 100 + 80_000
    if revenue <= 6_600_000:
        return revenue * 20 // 100 + 440_000
    if revenue <= 8_500_000:
        return revenue * 10 // 100 + 1_100_000
    return 1_950_000


def _pension_deduction(revenue: int, age: int) -> int:
    """公的年金等控除 (other income ≤ 1,000万円)."""
    if age >= 65:
        if revenue <= 3_300_000:
            return min(revenue, 1_100_000)
    elif revenue <= 1_300_000:
        return min(revenue, 600_000)
    if revenue <= 4_100_000:
        return revenue * 25 // 100 + 275_000
    if revenue <= 7_700_000:
        return revenue * 15 // 100 + 685_000
    if revenue <= 10_000_000:
        return revenue * 5 // 100 + 1_455_000
    return 1_955_000


def _basic_deduction(total_income: int) -> int:
    """住民税 基礎控除."""
    if total_income <= 24_000_000:
        return 430_000
    if total_income <= 24_500_000:
        return 290_000
    if total_income <= 25_000_000:
        return 150_000
    return 0


# --- drafts ----------------------------------------------------------------------------------------


class _Draft:
    """A member while the household is being built (mutable); frozen into PersonData at the end."""

    __slots__ = (
        "rel", "sex", "birth", "sur", "given", "gaiji", "foreign", "former", "joined", "from_addr",
        "native", "became", "address_set", "previous", "honseki", "hittousha", "tsusho", "profile",
        "married", "taxes",
    )

    def __init__(self, rel: str, sex: str, birth: dt.date) -> None:
        self.rel = rel
        self.sex = sex
        self.birth = birth
        self.sur: tuple[str, str] = ("", "")  # (kanji, kana)
        self.given: tuple[str, str] = ("", "")
        self.gaiji: tuple[tuple[str, str, str], ...] = ()
        self.foreign: dict[str, Any] | None = None
        self.former: tuple[str, str] | None = None
        self.joined: dt.date | None = None  # joined the household later, from elsewhere
        self.from_addr: str | None = None
        self.native = False
        self.became: dt.date = birth
        self.address_set: dt.date = birth
        self.previous: str | None = None
        self.honseki: str | None = None
        self.hittousha: str | None = None
        self.tsusho: tuple[str, str] | None = None
        self.profile: tuple[int, int, int, float] | None = None
        self.married = False
        self.taxes: list[TaxData] = []


@dataclass
class _Building:
    town: _Town
    address: str
    name: str
    units: list[str]


# --- the generator ---------------------------------------------------------------------------------


class _Generator:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.r = random.Random(seed)
        self.today = today
        self.d = _data()
        r = self.r
        # identifier permutations (keys drawn first, in a fixed order)
        self._hh_perm = _Feistel(1 << 32, r)  # 世帯番号: 10 digits
        self._jm_perm = _Feistel(1 << 36, r)  # 住民票コード: 11 digits
        self._mn_perm = _Feistel(1 << 36, r)  # 個人番号: 11 digits + check digit
        self._lot_perm = _Feistel(self.d.lot_count, r)
        self._households = 0
        self._people = 0
        self._lots_used = 0
        self._buildings: list[_Building] = []
        self._taken: list[str] = []  # given names used in the household being built
        self._kind_cum = _cumulative(w for _, w in _HOUSEHOLD_KINDS)

    # -- small random helpers --

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def pick(self, table: tuple[tuple[str, int], ...]) -> str:
        return self.r.choices([k for k, _ in table], [w for _, w in table])[0]

    def between(self, lo: dt.date, hi: dt.date) -> dt.date:
        if hi <= lo:
            return lo
        return dt.date.fromordinal(self.r.randint(lo.toordinal(), hi.toordinal()))

    def birth_for_age(self, lo: int, hi: int) -> dt.date:
        earliest = _add_years(self.today, -(hi + 1)) + _DAY
        latest = _add_years(self.today, -lo)
        return self.between(earliest, latest)

    def clamp_birth(self, birth: dt.date, min_age: int, max_age: int) -> dt.date:
        latest = _add_years(self.today, -min_age)
        earliest = _add_years(self.today, -(max_age + 1)) + _DAY
        return min(max(birth, earliest), latest)

    def spouse_birth(self, birth: dt.date, sex: str) -> dt.date:
        gap = dt.timedelta(days=self.r.randint(-3 * 365, 8 * 365))  # the husband is usually older
        other = birth + gap if sex == "male" else birth - gap
        return self.clamp_birth(other, 18, 104)

    def child_births(self, parents: list[dt.date], n: int, max_age: int = 40) -> list[dt.date]:
        """Births of up to n children, 18-45 years younger than every parent, oldest first.

        Siblings are at least ~11 months apart (or twins); children that no longer fit are dropped.
        """
        lo = max(_add_years(b, 18) for b in parents)
        hi = min(min(_add_years(b, 45) for b in parents), self.today)
        lo = max(lo, _add_years(self.today, -(max_age + 1)) + _DAY)
        if hi < lo or n <= 0:
            return []
        births = sorted(self.between(lo, hi) for _ in range(n))
        out = [births[0]]
        for b in births[1:]:
            if self.chance(0.01):
                b = out[-1]  # twins
            else:
                b = max(b, out[-1] + dt.timedelta(days=330))
            if b <= hi:
                out.append(b)
        return out

    def parent_birth(self, child: dt.date) -> dt.date:
        """A parent's birth 20-42 years before the child's (never more than 104 years ago)."""
        b = child - dt.timedelta(days=self.r.randint(20 * 365, 42 * 365))
        oldest = _add_years(self.today, -105) + _DAY
        return max(b, oldest, _add_years(child, -45) + _DAY)

    # -- names --

    def surname(self) -> tuple[tuple[str, str], tuple[tuple[str, str, str], ...]]:
        if self.chance(_P_GAIJI):
            kanji, kana, chars = self.r.choice(self.d.gaiji_surnames)
            return (kanji, kana), chars
        return self.r.choices(self.d.surnames, cum_weights=self.d.surname_cum)[0], ()

    def plain_surname(self, avoid: str = "") -> tuple[str, str]:
        while True:
            s = self.r.choices(self.d.surnames, cum_weights=self.d.surname_cum)[0]
            if s[0] != avoid:
                return s

    def given(self, sex: str, birth: dt.date) -> tuple[str, str]:
        era = _era(birth)
        if self.chance(0.15):  # names drift across generations
            i = _ERAS.index(era) + self.r.choice((-1, 1))
            era = _ERAS[min(max(i, 0), len(_ERAS) - 1)]
        return self.r.choice(self.d.given[sex][era])

    def person(self, rel: str, sex: str, birth: dt.date, sur: tuple[str, str],
               gaiji: tuple[tuple[str, str, str], ...] = ()) -> _Draft:
        p = _Draft(rel, sex, birth)
        p.sur = sur
        p.gaiji = gaiji
        for _ in range(20):  # no two members of a household share a given name
            p.given = self.given(sex, birth)
            if p.given[0] not in self._taken:
                break
        self._taken.append(p.given[0])
        return p

    def full_name(self, sur: tuple[str, str], sex: str, birth: dt.date) -> str:
        return sur[0] + _SP + self.given(sex, birth)[0]

    # -- places --

    def _decode_lot(self, lot: int) -> tuple[_Town, str, str]:
        """(town, 住所 without the city, 本籍-style 地番 without the city)"""
        d = self.d
        i = bisect.bisect_right(d.town_cum, lot)
        town = d.towns[i]
        off = lot - (d.town_cum[i - 1] if i else 0)
        if town.chome:
            c, rest = divmod(off, town.ban * town.go)
            b, g = divmod(rest, town.go)
            block = f"{town.name}{_kanji_num(c + 1)}丁目"
            return town, f"{block}{b + 1}番{g + 1}号", f"{block}{b + 1}番地"
        b, e = divmod(off, town.go + 1)
        addr = f"{town.name}{b + 1}番地" + (str(e) if e else "")
        return town, addr, addr

    def next_lot(self) -> tuple[_Town, str]:
        """The next unused 住居 (wrapping round when the city is full: then lots are shared)."""
        lot = self._lot_perm(self._lots_used % self.d.lot_count)
        self._lots_used += 1
        town, addr, _ = self._decode_lot(lot)
        return town, self.d.city + addr

    def random_city_address(self) -> str:
        _, addr, _ = self._decode_lot(self.r.randrange(self.d.lot_count))
        return self.d.city + addr

    def other_address(self, *, banchi: bool = False) -> str:
        pref, city = self.r.choice(self.d.other_places)
        town = self.r.choice(self.d.other_towns)
        chome = _kanji_num(self.r.randint(1, 5))
        ban = self.r.randint(1, 30)
        if banchi:
            return f"{pref}{city}{town}{chome}丁目{ban}番地"
        return f"{pref}{city}{town}{chome}丁目{ban}番{self.r.randint(1, 25)}号"

    def honseki_place(self) -> str:
        if self.chance(0.5):
            _, _, place = self._decode_lot(self.r.randrange(self.d.lot_count))
            return self.d.city + place
        return self.other_address(banchi=True)

    def new_building(self) -> _Building:
        town, address = self.next_lot()
        r = self.r
        floors = r.choice((2, 2, 2, 3, 3, 3, 4, 5, 6, 8, 10, 12))
        per_floor = r.randint(2, 8)
        form = r.random()
        stem = town.name.removeprefix("大字").removesuffix("町") or town.name
        if form < 0.6:
            name = r.choice(self.d.building_prefixes) + r.choice(self.d.building_suffixes)
        elif form < 0.8:
            name = r.choice(("コーポ", "メゾン")) + r.choice((stem, r.choice(self.d.building_prefixes)))
        else:
            name = stem + r.choice(self.d.building_suffixes)
        if floors >= 5 and r.random() < 0.2:
            name += r.choice("ABC") + "棟"
        units = [f"{f}{n:02d}" for f in range(1, floors + 1) for n in range(1, per_floor + 1)]
        r.shuffle(units)
        units = units[: max(1, len(units) * 9 // 10)]  # some flats stay empty
        return _Building(town, address, name, units)

    def dwelling(self, apartment: bool) -> tuple[_Town, str, str | None]:
        if not apartment:
            town, address = self.next_lot()
            return town, address, None
        while len(self._buildings) < 6:
            self._buildings.append(self.new_building())
        i = self.r.randrange(len(self._buildings))
        b = self._buildings[i]
        unit = b.units.pop()
        if not b.units:
            del self._buildings[i]
        return b.town, b.address, f"{b.name}{unit}号"

    # -- identifiers --

    def household_no(self) -> str:
        n = self._hh_perm(self._households)
        self._households += 1
        return f"{1_000_000_000 + n:010d}"

    def person_ids(self) -> tuple[str, str | None]:
        n = self._people
        self._people += 1
        juminhyo = f"{10_000_000_000 + self._jm_perm(n):011d}"
        if self.chance(_P_NO_MY_NUMBER):
            return juminhyo, None
        first11 = f"{10_000_000_000 + self._mn_perm(n):011d}"
        return juminhyo, first11 + str(mynumber.check_digit(first11))

    # -- household compositions --

    def household(self, room: int) -> HouseholdData:
        r = self.r
        self._taken = []
        if r.random() < _P_FOREIGN_HOUSEHOLD:
            members, apartment_p = self.foreign_household()
        else:
            kind = r.choices([k for k, _ in _HOUSEHOLD_KINDS], cum_weights=self._kind_cum)[0]
            members, apartment_p = getattr(self, "h_" + kind)()
        members = members[:room]
        native = not members[0].foreign and self.chance(0.4)
        self.settle(members, native)
        town, address, katagaki = self.dwelling(self.chance(apartment_p))
        self.addresses(members, native)
        self.koseki(members)
        self.taxes(members)
        support = self.support(members)
        people = [self.freeze(p, town, address, katagaki) for p in members]
        return HouseholdData(self.household_no(), people, support)

    def h_single(self) -> tuple[list[_Draft], float]:
        u = self.r.random()
        if u < 0.38:
            birth, sex, ap = self.birth_for_age(18, 34), self.r.choice(("male", "female")), 0.85
        elif u < 0.6:
            birth, sex, ap = self.birth_for_age(35, 64), self.r.choice(("male", "female")), 0.5
        else:
            birth = self.birth_for_age(65, 99)
            sex, ap = ("female" if self.chance(0.65) else "male"), 0.2
        sur, gaiji = self.surname()
        head = self.person("世帯主", sex, birth, sur, gaiji)
        head.married = _age(birth, self.today) >= 65 or (_age(birth, self.today) >= 35 and self.chance(0.4))
        return [head], ap

    def _couple(self, head_age: tuple[int, int]) -> list[_Draft]:
        head_sex = "male" if self.chance(0.88) else "female"
        hb = self.birth_for_age(*head_age)
        sb = self.spouse_birth(hb, head_sex)
        sur, gaiji = self.surname()
        head = self.person("世帯主", head_sex, hb, sur, gaiji)
        spouse_sex = "female" if head_sex == "male" else "male"
        if self.chance(_P_MIXED_MARRIAGE):
            spouse = self.foreign_spouse(spouse_sex, sb, sur)
        else:
            spouse = self.person("妻" if spouse_sex == "female" else "夫", spouse_sex, sb, sur, gaiji)
        head.married = spouse.married = True
        return [head, spouse]

    def h_couple(self) -> tuple[list[_Draft], float]:
        u = self.r.random()
        ages, ap = ((22, 39), 0.6) if u < 0.25 else ((40, 64), 0.3) if u < 0.42 else ((65, 92), 0.1)
        return self._couple(ages), ap

    def h_couple_kids(self) -> tuple[list[_Draft], float]:
        members = self._couple((25, 62))
        n = self.r.choices((1, 2, 3, 4), (40, 45, 13, 2))[0]
        self.add_children(members, [m.birth for m in members], n, max_age=32)
        return members, 0.3

    def h_single_parent(self) -> tuple[list[_Draft], float]:
        sex = "female" if self.chance(0.82) else "male"
        hb = self.birth_for_age(23, 58)
        sur, gaiji = self.surname()
        head = self.person("世帯主", sex, hb, sur, gaiji)
        head.married = True  # divorced or widowed
        members = [head]
        self.add_children(members, [hb], self.r.choices((1, 2, 3), (55, 35, 10))[0], max_age=24)
        return members, 0.6

    def h_with_parents(self) -> tuple[list[_Draft], float]:
        """世帯主 (married or not) living with one or both of their own parents."""
        if self.chance(0.6):
            members = self._couple((30, 62))
            self.add_children(members, [m.birth for m in members], self.r.choice((0, 1, 2, 2, 3)),
                              max_age=30)
        else:
            sur, gaiji = self.surname()
            head = self.person("世帯主", self.r.choice(("male", "female")), self.birth_for_age(28, 65),
                               sur, gaiji)
            members = [head]
        head = members[0]
        fb = self.clamp_birth(self.parent_birth(head.birth), 46, 104)
        mb = self.clamp_birth(self.spouse_birth(fb, "male"), 46, 104)
        mb = min(max(mb, _add_years(head.birth, -45) + _DAY), _add_years(head.birth, -18))
        u = self.r.random()
        joined = self.between(_add_years(head.birth, 25), self.today)  # 呼び寄せ
        for rel, sex, birth, present in (("父", "male", fb, u < 0.55), ("母", "female", mb, u >= 0.15)):
            if present and _add_years(head.birth, -45) < birth <= _add_years(head.birth, -18):
                p = self.person(rel, sex, birth, head.sur, head.gaiji)
                p.married = True
                p.joined = joined
                members.append(p)
        return members, 0.05

    def h_three_gen(self) -> tuple[list[_Draft], float]:
        """Elderly 世帯主 and spouse, a married 子 with 子の妻 (or 子の夫) and 孫."""
        members = self._couple((58, 88))
        kids = self.child_births([m.birth for m in members], 1, max_age=58)
        if not kids:
            return members, 0.05
        child_sex = "male" if self.chance(0.8) else "female"
        head = members[0]
        child = self.person("子", child_sex, kids[0], head.sur, head.gaiji)
        child.married = True
        in_law_sex = "female" if child_sex == "male" else "male"
        ib = self.clamp_birth(self.spouse_birth(kids[0], child_sex), 18, 104)
        in_law = self.person("子の妻" if in_law_sex == "female" else "子の夫", in_law_sex, ib, head.sur,
                             head.gaiji)
        in_law.married = True
        in_law.joined = self.between(max(_add_years(kids[0], 20), _add_years(ib, 18)), self.today)
        members += [child, in_law]
        for b in self.child_births([kids[0], ib], self.r.choice((0, 1, 2, 2, 3)), max_age=25):
            members.append(self.person("孫", self.r.choice(("male", "female")), b, head.sur, head.gaiji))
        return members, 0.03

    def h_parent_adult_child(self) -> tuple[list[_Draft], float]:
        sex = "female" if self.chance(0.65) else "male"
        hb = self.birth_for_age(62, 95)
        sur, gaiji = self.surname()
        head = self.person("世帯主", sex, hb, sur, gaiji)
        head.married = True
        members = [head]
        self.add_children(members, [hb], self.r.choice((1, 1, 1, 2)), max_age=65, min_age=22)
        return members, 0.15

    def h_siblings(self) -> tuple[list[_Draft], float]:
        sur, gaiji = self.surname()
        hb = self.birth_for_age(20, 70)
        head = self.person("世帯主", self.r.choice(("male", "female")), hb, sur, gaiji)
        sb = self.clamp_birth(hb + dt.timedelta(days=self.r.randint(-12 * 365, 12 * 365)), 18, 100)
        sex = self.r.choice(("male", "female"))
        rel = ("兄" if sex == "male" else "姉") if sb < hb else ("弟" if sex == "male" else "妹")
        return [head, self.person(rel, sex, sb, sur, gaiji)], 0.4

    def h_shared(self) -> tuple[list[_Draft], float]:
        sur, gaiji = self.surname()
        head = self.person("世帯主", self.r.choice(("male", "female")), self.birth_for_age(20, 45), sur, gaiji)
        members = [head]
        for _ in range(self.r.choice((1, 1, 2))):
            osur, ogaiji = self.surname()
            if osur[0] == sur[0]:
                osur, ogaiji = self.plain_surname(avoid=sur[0]), ()
            p = self.person("同居人", self.r.choice(("male", "female")), self.birth_for_age(20, 50), osur,
                            ogaiji)
            p.joined = self.between(_add_years(p.birth, 18), self.today)
            members.append(p)
        return members, 0.7

    def h_kin(self) -> tuple[list[_Draft], float]:
        """An elderly 世帯主 living with a relative of another degree (縁故者: a nephew, a niece …)."""
        sur, gaiji = self.surname()
        head = self.person("世帯主", self.r.choice(("male", "female")), self.birth_for_age(70, 95), sur, gaiji)
        head.married = True
        kin = self.person("縁故者", self.r.choice(("male", "female")), self.birth_for_age(25, 60), sur, gaiji)
        kin.joined = self.between(_add_years(kin.birth, 18), self.today)
        return [head, kin], 0.1

    def h_with_grandparent(self) -> tuple[list[_Draft], float]:
        """A young 世帯主 living with a grandparent (祖母 more often than 祖父), 40-65 years older."""
        sur, gaiji = self.surname()
        head = self.person("世帯主", self.r.choice(("male", "female")), self.birth_for_age(18, 40),
                           sur, gaiji)
        sex = "female" if self.chance(0.7) else "male"
        gb = head.birth - dt.timedelta(days=self.r.randint(40 * 365 + 10, 65 * 365))
        gb = min(self.clamp_birth(gb, 60, 104), _add_years(head.birth, -40))
        grand = self.person("祖母" if sex == "female" else "祖父", sex, gb, sur, gaiji)
        grand.married = True
        return [head, grand], 0.1

    def h_stepfamily(self) -> tuple[list[_Draft], float]:
        """A couple with the spouse's child from before (連れ子, 妻の子 / 夫の子: not the head's 子
        unless adopted, counter-domain.md §2.2), and often a child of their own."""
        members = self._couple((28, 55))
        head, spouse = members
        for b in self.child_births([spouse.birth], 1, max_age=20):
            members.append(self.person("妻の子" if spouse.sex == "female" else "夫の子",
                                       self.r.choice(("male", "female")), b, head.sur, head.gaiji))
        if len(members) > 2:
            self.add_children(members, [head.birth, spouse.birth], self.r.choice((0, 1, 1, 2)),
                              max_age=12)
        return members, 0.35

    def add_children(self, members: list[_Draft], parents: list[dt.date], n: int, *, max_age: int,
                     min_age: int = 0) -> None:
        head = members[0]
        births = self.child_births(parents, n, max_age=max_age)
        for b in births:
            if _age(b, self.today) < min_age:
                continue
            members.append(self.person("子", self.r.choice(("male", "female")), b, head.sur, head.gaiji))

    # -- foreign residents --

    def foreign_name(self, nat: str, sex: str, sur: list[str] | None = None) -> dict[str, Any]:
        table = self.d.foreign[nat]
        sur = sur or self.r.choice(table["surnames"])
        for _ in range(20):
            given = self.r.choice(table[sex])
            if given[-1] not in self._taken:
                break
        self._taken.append(given[-1])
        if table["kanji"]:
            kanji = sur[0] + _SP + given[0]
            kana = sur[1] + _SP + given[1]
            roman = f"{sur[2]} {given[2]}"
        else:
            roman = f"{sur[1]} {given[1]}"
            kanji = roman  # the 氏名 of a resident without a kanji name is the alphabet on the card
            kana = sur[0] + _SP + given[0]
        return {"nationality": nat, "surname": sur, "name_kanji": kanji, "name_kana": kana,
                "name_roman": roman}

    def residence(self, info: dict[str, Any], status: str | None, birth: dt.date) -> None:
        today = self.today
        if _age(birth, today) == 0 and (today - birth).days < 60:
            info.update(status=None, expiry=birth + dt.timedelta(days=60), card=None,
                        category="出生による経過滞在者")
            return
        if status in _PERMANENT:
            expiry = None
        else:
            years = _STATUS_PERIOD.get(status or "", 1)
            if self.chance(0.04):
                expiry = today + dt.timedelta(days=self.r.randint(1, 30))  # an application is due
            else:
                expiry = today + dt.timedelta(days=self.r.randint(31, 365 * years))
        card = (self.r.choice(_LETTERS) + self.r.choice(_LETTERS) + f"{self.r.randrange(10**8):08d}"
                + self.r.choice(_LETTERS) + self.r.choice(_LETTERS))
        category = "特別永住者" if status == "特別永住者" else "中長期在留者"
        info.update(status=status, expiry=expiry, card=card, category=category)

    def foreigner(self, rel: str, sex: str, birth: dt.date, nat: str, status: str | None,
                  sur: list[str] | None = None) -> _Draft:
        p = _Draft(rel, sex, birth)
        info = self.foreign_name(nat, sex, sur)
        self.residence(info, status, birth)
        p.foreign = info
        if status == "特別永住者" and self.chance(0.6) or status == "永住者" and self.chance(0.15):
            tsur = self.plain_surname()
            tgiven = self.given(sex, birth)
            p.tsusho = (tsur[0] + _SP + tgiven[0], tsur[1] + _SP + tgiven[1])
        return p

    def foreign_spouse(self, sex: str, birth: dt.date, household_sur: tuple[str, str]) -> _Draft:
        nat = self.pick(_SPOUSE_NATIONALITIES)
        status = "日本人の配偶者等" if self.chance(0.6) else "永住者"
        p = self.foreigner("妻" if sex == "female" else "夫", sex, birth, nat, status)
        if self.chance(0.5):  # 通称: the Japanese spouse's surname with their own given name
            given_kana = p.foreign["name_kana"].rsplit(_SP, 1)[1]
            given = p.foreign["name_kanji"].rsplit(_SP, 1)[1] if self.d.foreign[nat]["kanji"] else given_kana
            p.tsusho = (household_sur[0] + _SP + given, household_sur[1] + _SP + given_kana)
        return p

    def foreign_household(self) -> tuple[list[_Draft], float]:
        r = self.r
        nat = self.pick(_NATIONALITIES)
        u = r.random()
        if u < 0.6:
            status = self.pick(_SINGLE_STATUS[nat])
            lo, hi = _STATUS_AGES[status]
            birth = self.birth_for_age(lo, hi)
            sex = r.choice(("male", "female"))
            head = self.foreigner("世帯主", sex, birth, nat, status)
            special = r.random()
            if status not in _PERMANENT and special < 0.02:
                # rare categories of 第30条の45 without a residence card
                category = r.choice(("一時庇護許可者", "仮滞在許可者", "国籍喪失による経過滞在者"))
                days = 60 if category == "国籍喪失による経過滞在者" else r.randint(30, 180)
                head.foreign.update(status=None, card=None, category=category,
                                    expiry=self.today + dt.timedelta(days=r.randint(1, days)))
            return [head], 0.9
        status = self.pick(_FAMILY_STATUS[nat])
        lo, hi = (35, 90) if status == "特別永住者" else (30, 70) if status == "永住者" else (27, 50)
        hb = self.birth_for_age(lo, hi)
        head_sex = "male" if self.chance(0.9) else "female"
        head = self.foreigner("世帯主", head_sex, hb, nat, status)
        members = [head]
        dependent_status = {"特別永住者": "特別永住者", "永住者": "永住者の配偶者等", "定住者": "定住者"}.get(
            status, "家族滞在")
        sb = self.spouse_birth(hb, head_sex)
        spouse_sex = "female" if head_sex == "male" else "male"
        shares_surname = nat in ("フィリピン", "ブラジル", "米国")
        spouse = self.foreigner("妻" if spouse_sex == "female" else "夫", spouse_sex, sb, nat,
                                dependent_status if status != "永住者" or self.chance(0.5) else "永住者",
                                head.foreign["surname"] if shares_surname else None)
        head.married = spouse.married = True
        members.append(spouse)
        if u < 0.75:
            return members, 0.7
        child_status = {"特別永住者": "特別永住者", "永住者": "永住者", "定住者": "定住者"}.get(status, "家族滞在")
        for b in self.child_births([hb, sb], r.choices((1, 2, 3), (50, 40, 10))[0], max_age=20):
            sex = r.choice(("male", "female"))
            members.append(self.foreigner("子", sex, b, nat, child_status, head.foreign["surname"]))
        return members, 0.7

    # -- dates and addresses --

    def settle(self, members: list[_Draft], native: bool) -> None:
        """住民となった日 for everyone: born here, moved in with the household, or joined later."""
        today = self.today
        head = members[0]
        adults = [m.birth for m in members if m.joined is None and m.rel in ("世帯主", "妻", "夫")]
        if native:
            arrival = None
            core_from = None
        else:
            lo = max(_add_years(b, 18) for b in adults)
            if head.foreign:
                status = head.foreign["status"]
                if status == "特別永住者" and self.chance(0.7):
                    arrival = None
                elif status in _PERMANENT:
                    lo = max(lo, _add_years(today, -35))
                    arrival = self.between(lo, today)
                else:
                    lo = max(lo, _add_years(today, -6))
                    arrival = self.between(lo, today)
            else:
                # recent arrivals are more common than old ones
                span = (today - lo).days
                arrival = today - dt.timedelta(days=int(span * self.r.random() ** 1.6)) if span > 0 else today
            core_from = None
            if arrival is not None:
                if head.foreign and head.foreign["status"] not in _PERMANENT and self.chance(0.7):
                    core_from = f"国外（{head.foreign['nationality']}）"
                else:
                    core_from = self.other_address()
        spouse_joined = None
        if native:
            spouses = [m for m in members if m.rel in ("妻", "夫")]
            if spouses:
                sp = spouses[0]
                kids = [m.birth for m in members if m.rel == "子"]
                lo = max(_add_years(head.birth, 18), _add_years(sp.birth, 18))
                hi = min([today, *kids]) if kids else today
                if sp.foreign or self.chance(0.7):
                    spouse_joined = self.between(lo, max(lo, hi))
                    if sp.foreign and self.chance(0.5):
                        sp.from_addr = f"国外（{sp.foreign['nationality']}）"
                    else:
                        sp.from_addr = self.other_address()
        for m in members:  # the head comes first, so head.became is known for the others
            if m.joined is not None:  # joined later, from elsewhere, never before the head lived here
                m.joined = min(max(m.joined, head.became, m.birth), today)
                m.became = m.joined
                if m.foreign and self.chance(0.5):
                    m.from_addr = f"国外（{m.foreign['nationality']}）"
                else:
                    m.from_addr = self.other_address()
            elif arrival is None:
                if m.rel in ("妻", "夫") and spouse_joined is not None:
                    m.became = max(spouse_joined, m.birth)
                else:
                    m.became = m.birth
                    m.native = True
            elif m.birth >= arrival:
                m.became = m.birth
                m.native = True
            else:
                m.became = arrival
                m.from_addr = core_from

    def addresses(self, members: list[_Draft], native: bool) -> None:
        """住所を定めた日, 前住所 and 転入前住所; sometimes the household moved within the city (転居)."""
        head = members[0]
        moved = None
        p_move = 0.7 if native else 0.2
        if head.became < self.today and self.chance(p_move):
            moved = self.between(head.became + _DAY, self.today)
            old = self.random_city_address()
        for m in members:
            if moved is not None and m.became < moved:
                m.address_set = moved
                m.previous = old
            else:
                m.address_set = m.became
                m.previous = m.from_addr

    # -- 本籍 / 筆頭者 --

    def koseki(self, members: list[_Draft]) -> None:
        head = members[0]
        today = self.today
        family_place = self.honseki_place()
        parents_place = family_place if self.chance(0.5) else self.honseki_place()
        by_rel: dict[str, list[_Draft]] = {}
        for m in members:
            by_rel.setdefault(m.rel, []).append(m)
        spouse = (by_rel.get("妻") or by_rel.get("夫") or [None])[0]
        father = (by_rel.get("父") or [None])[0]

        def father_name(child: _Draft) -> str:
            return self.full_name(child.sur, "male", child.birth - dt.timedelta(days=30 * 365))

        parents_hittousha = father.sur[0] + _SP + father.given[0] if father else father_name(head)
        # the head's own 戸籍
        if spouse is not None:
            husband = head if head.sex == "male" or spouse.foreign else spouse
            head_koseki = (family_place, husband.sur[0] + _SP + husband.given[0])
        elif head.married:
            if head.sex == "female" and _age(head.birth, today) >= 60 and self.chance(0.8):
                # a widow stays in the 戸籍 of her late husband
                late_husband = self.full_name(head.sur, "male", head.birth - dt.timedelta(days=3 * 365))
                head_koseki = (family_place, late_husband)
            else:
                head_koseki = (family_place, head.sur[0] + _SP + head.given[0])
        else:
            head_koseki = (parents_place, parents_hittousha)  # still in the parents' 戸籍
        married_child = next((m for m in by_rel.get("子", []) if m.married), None)
        child_koseki = None
        if married_child is not None:
            in_law = (by_rel.get("子の妻") or by_rel.get("子の夫") or [married_child])[0]
            husband = married_child if married_child.sex == "male" else in_law
            child_koseki = (family_place if self.chance(0.6) else self.honseki_place(),
                            husband.sur[0] + _SP + husband.given[0])
        for m in members:
            if m.foreign:
                continue
            if m.rel in ("世帯主", "妻", "夫") or (m.rel == "子" and not m.married):
                place, name = head_koseki
            elif m.rel in ("父", "母", "兄", "姉", "弟", "妹"):
                place, name = parents_place, parents_hittousha
            elif m.rel in ("子", "子の妻", "子の夫", "孫") and child_koseki is not None:
                place, name = child_koseki
            elif m.rel == "孫":  # their parents are not in this household
                place, name = family_place, father_name(m)
            elif _age(m.birth, today) >= 35 and self.chance(0.6):  # 同居人, 縁故者 …: their own 戸籍
                place, name = self.honseki_place(), m.sur[0] + _SP + m.given[0]
            else:
                place, name = self.honseki_place(), father_name(m)
            m.honseki, m.hittousha = place, name
            if m.sex == "female" and m.married and m.rel in ("世帯主", "妻", "子の妻") and self.chance(0.04):
                m.former = self.plain_surname(avoid=m.sur[0])  # 旧氏 recorded at her request (旧氏併記)

    # -- tax --

    def income_profile(self, m: _Draft) -> tuple[int, int, int, float]:
        """(給与収入, 公的年金等収入, その他の所得, yearly growth) as of last year."""
        r = self.r
        age = _age(m.birth, self.today)
        salary = pension = other = 0
        growth = r.uniform(-0.01, 0.03)
        status = m.foreign["status"] if m.foreign else None
        if m.foreign and status is None:  # no residence status (仮滞在, 一時庇護 …): no work permitted
            return 0, 0, 0, growth
        if status in _WORK_INCOME:
            p, lo, hi = _WORK_INCOME[status]
            if r.random() < p:
                salary = r.randint(lo // 1000, hi // 1000) * 1000
            return salary, 0, 0, growth
        full = part = 0.0
        if m.rel == "子" and age <= 22:
            part = 0.5
        elif age < 60:
            full, part = (0.85, 0.06) if m.sex == "male" else (0.45, 0.3)
        elif age < 65:
            full, part = (0.45, 0.25) if m.sex == "male" else (0.15, 0.3)
        elif age < 75:
            part = 0.3
        else:
            part = 0.04
        u = r.random()
        if u < full:
            median = 2_800_000 + 120_000 * min(max(age - 22, 0), 33)
            if m.sex == "female":
                median = median * 7 // 10
            salary = int(median * math.exp(r.gauss(0, 0.3)))  # log-normal around the median
            salary = min(max(salary, 1_800_000), 25_000_000) // 1000 * 1000
        elif u < full + part:
            salary = r.randint(300, 1_500) * 1000
        if age >= 65 or (age >= 60 and r.random() < 0.1):
            lo, hi = (1_200_000, 2_800_000) if m.sex == "male" else (600_000, 1_800_000)
            pension = r.randint(lo // 100, hi // 100) * 100
        if r.random() < 0.04:
            other = r.randint(300, 6_000) * 1000  # 事業所得
        elif age >= 60 and r.random() < 0.03:
            other = r.randint(200, 3_000) * 1000  # 不動産所得
        return salary, pension, other, growth

    def taxes(self, members: list[_Draft]) -> None:
        """課税台帳 for 年度 today.year-2 … today.year, for adults living here on 1 January of the 年度."""
        today = self.today
        r = self.r
        for m in members:
            if _age(m.birth, today) >= 18:
                m.profile = self.income_profile(m)
        spouse_of = {"世帯主": ("妻", "夫"), "妻": ("世帯主",), "夫": ("世帯主",), "子": ("子の妻", "子の夫"),
                     "子の妻": ("子",), "子の夫": ("子",)}
        parent_of = {"世帯主": ("父", "母"), "子": ("世帯主", "妻", "夫")}
        # ひとり親控除: a divorced or widowed 世帯主 without a spouse who supports a child
        single_parent = members[0].married and not any(m.rel in ("妻", "夫") for m in members)
        for fy in range(today.year - 2, today.year + 1):
            iy = fy - 1
            jan1 = dt.date(fy, 1, 1)
            dec31 = dt.date(iy, 12, 31)
            present = [m for m in members if m.became <= jan1]
            incomes: dict[int, tuple[int, int, int, int]] = {}
            for m in present:
                if m.profile is None or _age(m.birth, jan1) < 18:
                    continue
                salary, pension, other, growth = m.profile
                k = iy - (today.year - 1)
                factor = (1 + growth) ** k * r.uniform(0.97, 1.03)
                sal = int(salary * factor) // 1000 * 1000 if salary else 0
                pen = int(pension * (1 + 0.005 * k)) // 100 * 100 if pension else 0
                oth = int(other * factor) // 1000 * 1000 if other else 0
                emp_inc = max(0, sal - _employment_deduction(sal, iy)) if sal else 0
                pen_inc = max(0, pen - _pension_deduction(pen, _age(m.birth, dec31))) if pen else 0
                social = sal * 145 // 1000 if sal >= 1_060_000 else 0
                if pen:
                    social += pen * 8 // 100
                if oth:
                    social += oth * 10 // 100
                incomes[id(m)] = (emp_inc, pen_inc, oth, social)
            total = {k: v[0] + v[1] + v[2] for k, v in incomes.items()}
            limit = 580_000 if iy >= 2025 else 480_000
            earners = sorted((m for m in present if id(m) in incomes and m.rel != "同居人"),
                             key=lambda m: -total[id(m)])
            main = earners[0] if earners and total[id(earners[0])] > 0 else None
            extra: dict[int, int] = {}
            count: dict[int, int] = {}
            supports_child = False
            for q in present:
                if q.rel == "同居人" or q.birth > dec31:
                    continue
                if total.get(id(q), 0) > limit:
                    continue
                claimer = None
                # a 孫 is supported by their parents, a married 子 and their spouse by each other
                closer = {"孫": ("子", "子の妻", "子の夫"), "子の妻": ("子",), "子の夫": ("子",),
                          "子": ("子の妻", "子の夫") if q.married else ()}.get(q.rel, ())
                if closer:
                    candidates = [c for c in present if c.rel in closer and total.get(id(c), 0) > 1_000_000]
                    if candidates:
                        claimer = max(candidates, key=lambda c: total[id(c)])
                if claimer is None:
                    claimer = main
                if claimer is None or claimer is q or total.get(id(claimer), 0) <= total.get(id(q), 0):
                    continue
                age = _age(q.birth, dec31)
                if q.rel in spouse_of.get(claimer.rel, ()):
                    if total[id(claimer)] > 9_000_000:
                        continue
                    amount = 380_000 if age >= 70 else 330_000
                elif age < 16:
                    amount = 0
                elif age <= 18:
                    amount = 330_000
                elif age <= 22:
                    amount = 450_000
                elif age < 70:
                    amount = 330_000
                else:
                    amount = 450_000 if q.rel in parent_of.get(claimer.rel, ()) else 380_000
                extra[id(claimer)] = extra.get(id(claimer), 0) + amount
                count[id(claimer)] = count.get(id(claimer), 0) + 1
                if q.rel == "子" and claimer is members[0]:
                    supports_child = True
            for m in present:
                if id(m) not in incomes:
                    continue
                emp_inc, pen_inc, oth, social = incomes[id(m)]
                tot = total[id(m)]
                deductions = _basic_deduction(tot) + social + extra.get(id(m), 0)
                if single_parent and m is members[0] and supports_child and tot <= 5_000_000:
                    deductions += 300_000  # ひとり親控除 (住民税)
                taxable = max(0, tot - deductions)
                m.taxes.append(TaxData(
                    fiscal_year=fy, employment_income=emp_inc, pension_income=pen_inc, other_income=oth,
                    total_income=tot, deductions=deductions, taxable_income=taxable,
                    municipal_tax=taxable * 6 // 100 // 100 * 100,
                    prefectural_tax=taxable * 4 // 100 // 100 * 100,
                    dependents_count=count.get(id(m), 0),
                ))

    # -- 支援措置 --

    def support(self, members: list[_Draft]) -> SupportMeasureData | None:
        """A 支援措置 for about 0.5 % of households, mostly DV against a woman living apart from him."""
        r = self.r
        today = self.today
        head = members[0]
        minors = [i for i, m in enumerate(members) if _age(m.birth, today) < 18]
        working_age = [i for i, m in enumerate(members) if 18 <= _age(m.birth, today) < 65]
        dv_eligible = (head.sex == "female" and 18 <= _age(head.birth, today) < 65
                       and not any(m.rel == "夫" for m in members))
        if not self.chance(_P_SUPPORT * (4.5 if dv_eligible else 0.35)):
            return None
        u = r.random()
        if dv_eligible:
            category = "DV" if u < 0.75 else "児童虐待" if minors and u >= 0.9 else "ストーカー"
        else:
            category = "児童虐待" if minors and u < 0.5 else "ストーカー"
        if category == "ストーカー" and not working_age:
            if not minors:
                return None
            category = "児童虐待"
        if category == "DV":
            target = 0
            co = list(minors)  # her children are protected with her
            perp_sur = head.former or (head.sur if head.married else self.plain_surname())
            perp = self.full_name(perp_sur, "male", head.birth - dt.timedelta(days=3 * 365))
        elif category == "児童虐待":
            target = r.choice(minors)
            co = [i for i in minors if i != target]
            child = members[target]
            perp = self.full_name(child.sur, "male", child.birth - dt.timedelta(days=30 * 365))
        else:
            target = r.choice(working_age)
            co = []
            sex = "male" if members[target].sex == "female" else r.choice(("male", "female"))
            perp = self.full_name(self.plain_surname(), sex, members[target].birth)
        t = members[target]
        if r.random() < 0.1:  # an earlier measure that has ended
            start = self.between(max(t.became, today - dt.timedelta(days=3 * 365)),
                                 max(t.became, today - dt.timedelta(days=366)))
        else:
            start = self.between(max(t.became, today - dt.timedelta(days=364)), today)
        end = _add_years(start, 1) - _DAY
        return SupportMeasureData(target=target, category=category, start_date=start, end_date=end,
                                  co_protected=co, perpetrator_name=perp,
                                  perpetrator_address=self.other_address())

    # -- freezing --

    def freeze(self, m: _Draft, town: _Town, address: str, katagaki: str | None) -> PersonData:
        juminhyo, my_number = self.person_ids()
        f = m.foreign
        if f is not None:
            name_kanji, name_kana, name_roman = f["name_kanji"], f["name_kana"], f["name_roman"]
            substitute: list[dict[str, Any]] = []
            certified = False
        else:
            name_kanji = m.sur[0] + _SP + m.given[0]
            name_kana = m.sur[1] + _SP + m.given[1]
            name_roman = None
            substitute = [
                {"position": name_kanji.index(ch), "original": original, "substitute": sub}
                for ch, original, sub in m.gaiji
            ]
            certified = self.chance(0.6)
        return PersonData(
            juminhyo_code=juminhyo,
            my_number=my_number,
            name_kanji=name_kanji,
            name_kana=name_kana,
            name_kana_certified=certified,
            name_roman=name_roman,
            gaiji=bool(substitute),
            substitute_chars=substitute,
            tsusho=m.tsusho[0] if m.tsusho else None,
            tsusho_kana=m.tsusho[1] if m.tsusho else None,
            former_surname=m.former[0] if m.former else None,
            former_surname_kana=m.former[1] if m.former else None,
            birth_date=m.birth,
            sex=m.sex,
            relationship_to_head=m.rel,
            postal_code=town.postal,
            address=address,
            katagaki=katagaki,
            became_resident_on=m.became,
            address_set_on=m.address_set,
            previous_address=m.previous,
            moved_in_from=m.from_addr,
            honseki=m.honseki,
            hittousha=m.hittousha,
            is_foreign=f is not None,
            nationality=f["nationality"] if f else None,
            residence_status=f["status"] if f else None,
            residence_expiry=f["expiry"] if f else None,
            residence_card_no=f["card"] if f else None,
            art30_45_category=f["category"] if f else None,
            tax_records=m.taxes,
        )


def generate(seed: int, count: int, *, today: dt.date) -> Iterator[HouseholdData]:
    """Yield households of synthetic residents of 架空県さくら市, exactly ``count`` people in all.

    Deterministic in (seed, count, today); streams in bounded memory (one household at a time).
    """
    if count < 0:
        raise ValueError("count must be ≥ 0")
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        raise TypeError("today must be a datetime.date")
    if count > 1 << 36:
        raise ValueError("count too large for the identifier space")
    return _stream(_Generator(seed, today), count)


def _stream(gen: _Generator, count: int) -> Iterator[HouseholdData]:
    remaining = count
    while remaining > 0:
        household = gen.household(remaining)
        remaining -= len(household.members)
        yield household
