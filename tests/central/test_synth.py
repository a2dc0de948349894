"""Synthetic reference register: the generator (central.synth) and the bulk loader (central.seed)."""
from __future__ import annotations

import collections
import datetime as dt
import itertools
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, delete, func, insert, select

from central.crypto import MyNumberCipher, new_master_key, parse_master_key
from central.models import (
    AuditEvent,
    Base,
    Change,
    Household,
    Resident,
    ResidentHistory,
    SupportMeasure,
    SupportMeasureRelated,
    TaxRecord,
)
from central.seed import LoadStats, load, seed_demo
from central.synth import ART30_45_CATEGORIES, CITY, HouseholdData, PersonData, generate
from japan.kana import is_katakana, normalise_name, search_kana
from japan import mynumber

TODAY = dt.date(2026, 11, 22)
SP = "\u3000"
PERMANENT = {"永住者", "特別永住者"}
CARD = re.compile(r"^[A-Z]{2}\d{8}[A-Z]{2}$")
ADDRESS = re.compile(r"^架空県さくら市(\S+?[一二三四五六七八九]丁目\d+番\d+号|大字\S+?\d+番地\d*)$")


@pytest.fixture(scope="module")
def households() -> list[HouseholdData]:
    return list(generate(7, 5000, today=TODAY))


@pytest.fixture(scope="module")
def people(households: list[HouseholdData]) -> list[PersonData]:
    return [p for h in households for p in h.members]


@pytest.fixture(scope="module")
def cipher() -> MyNumberCipher:
    return MyNumberCipher.from_master(parse_master_key(new_master_key()))


def _years_later(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _age(birth: dt.date, on: dt.date = TODAY) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- generator -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 2, 3, 17, 1000])
def test_exactly_count_people(count: int) -> None:
    assert sum(len(h.members) for h in generate(3, count, today=TODAY)) == count


def test_streams_lazily() -> None:
    start = time.perf_counter()
    first = list(itertools.islice(generate(3, 1_000_000, today=TODAY), 5))
    assert len(first) == 5
    assert time.perf_counter() - start < 2


def test_deterministic() -> None:
    a = list(generate(42, 1500, today=TODAY))
    b = list(generate(42, 1500, today=TODAY))
    assert a == b
    assert a != list(generate(43, 1500, today=TODAY))
    assert a != list(generate(42, 1500, today=TODAY + dt.timedelta(days=1)))
    # a smaller run is a prefix of a bigger one, except the last (possibly cut) household
    bigger = list(generate(42, 3000, today=TODAY))
    assert bigger[: len(a) - 1] == a[:-1]


def test_my_numbers_valid_and_unique(people: list[PersonData]) -> None:
    numbers = [p.my_number for p in people if p.my_number is not None]
    assert all(mynumber.is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    missing = len(people) - len(numbers)
    assert 0.005 * len(people) <= missing <= 0.05 * len(people)


def test_identifiers_unique(households: list[HouseholdData], people: list[PersonData]) -> None:
    codes = [p.juminhyo_code for p in people]
    assert all(re.fullmatch(r"\d{11}", c) for c in codes)
    assert len(set(codes)) == len(codes)
    numbers = [h.household_no for h in households]
    assert all(re.fullmatch(r"\d{10}", n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_kana_and_names(people: list[PersonData]) -> None:
    for p in people:
        assert is_katakana(p.name_kana) and SP in p.name_kana, p.name_kana
        if p.tsusho is not None:
            assert p.tsusho_kana and is_katakana(p.tsusho_kana) and SP in p.tsusho
        if p.former_surname is not None:
            assert p.former_surname_kana and is_katakana(p.former_surname_kana)
        if p.is_foreign:
            assert p.name_roman and p.name_roman == p.name_roman.upper()
        else:
            assert p.name_roman is None
            assert p.name_kanji.count(SP) == 1 and p.name_kana.count(SP) == 1, p.name_kanji
    # several hundred different names
    assert len({p.name_kanji for p in people}) > 1000


def test_gaiji(people: list[PersonData]) -> None:
    with_gaiji = [p for p in people if p.gaiji]
    assert 0.002 * len(people) <= len(with_gaiji) <= 0.03 * len(people)
    for p in people:
        assert p.gaiji == bool(p.substitute_chars)
        for sub in p.substitute_chars:
            assert set(sub) == {"position", "original", "substitute"}
            char = p.name_kanji[sub["position"]]
            assert sub["original"].startswith(char + "（")
            assert sub["substitute"] != char and len(sub["substitute"]) == 1


def test_foreign_residents(people: list[PersonData]) -> None:
    foreign = [p for p in people if p.is_foreign]
    assert 0.015 * len(people) <= len(foreign) <= 0.06 * len(people)
    assert len({p.nationality for p in foreign}) >= 5
    assert any(p.tsusho for p in foreign)
    assert any(p.residence_status == "特別永住者" for p in foreign)
    for p in foreign:
        assert p.nationality and p.art30_45_category in ART30_45_CATEGORIES
        assert p.honseki is None and p.hittousha is None
        if p.residence_status in PERMANENT:
            assert p.residence_expiry is None
        else:
            assert p.residence_expiry is not None and p.residence_expiry > TODAY
        if p.residence_card_no is not None:
            assert CARD.match(p.residence_card_no)
            assert p.residence_status is not None
        else:
            assert p.art30_45_category not in ("中長期在留者", "特別永住者")
        if p.residence_status == "特別永住者":
            assert p.art30_45_category == "特別永住者"
    for p in people:
        if not p.is_foreign:
            assert p.nationality is p.residence_status is p.residence_card_no is p.art30_45_category is None
            assert p.residence_expiry is None


def test_support_measures(households: list[HouseholdData]) -> None:
    with_support = [h for h in households if h.support]
    assert with_support
    assert 0.001 * len(households) <= len(with_support) <= 0.02 * len(households)
    for h in with_support:
        s = h.support
        assert s.category in ("DV", "ストーカー", "児童虐待")
        assert 0 <= s.target < len(h.members)
        assert all(0 <= i < len(h.members) and i != s.target for i in s.co_protected)
        assert s.start_date <= s.end_date and s.start_date <= TODAY
        assert s.start_date >= h.members[s.target].became_resident_on
        assert s.perpetrator_name and SP in s.perpetrator_name
        assert not s.perpetrator_address.startswith(CITY)
        if s.category == "DV":
            assert h.members[s.target].sex == "female"
        if s.category == "児童虐待":
            assert _age(h.members[s.target].birth_date) < 18
    # across more households every category appears
    categories = {h.support.category for h in generate(8, 60_000, today=TODAY) if h.support}
    assert categories == {"DV", "ストーカー", "児童虐待"}


def test_dates_consistent(people: list[PersonData]) -> None:
    for p in people:
        assert p.birth_date <= p.became_resident_on <= p.address_set_on <= TODAY, p
        assert _age(p.birth_date) <= 105
        if p.moved_in_from is not None:
            assert p.previous_address is not None
            assert not p.moved_in_from.startswith(CITY)
            if p.address_set_on == p.became_resident_on:
                assert p.previous_address == p.moved_in_from
        if p.previous_address is None:
            assert p.moved_in_from is None and p.address_set_on == p.became_resident_on
    assert sum(p.moved_in_from is not None for p in people) > len(people) // 4
    assert sum(p.became_resident_on == p.birth_date for p in people) > len(people) // 10


def test_households(households: list[HouseholdData]) -> None:
    for h in households:
        heads = [p for p in h.members if p.relationship_to_head == "世帯主"]
        assert len(heads) == 1 and h.members[0] is heads[0] is h.head
        assert len({(p.address, p.katagaki, p.postal_code) for p in h.members}) == 1
        head = h.head
        assert ADDRESS.match(head.address), head.address
        assert re.fullmatch(r"909\d{4}", head.postal_code)
        if head.katagaki is not None:
            assert re.search(r"\d{3,4}号$", head.katagaki)
        spouses = [p for p in h.members if p.relationship_to_head in ("妻", "夫")]
        assert len(spouses) <= 1
        parents_of_children = [head, *spouses]
        for p in h.members:
            rel = p.relationship_to_head
            if rel == "子":
                for parent in parents_of_children:
                    assert _years_later(parent.birth_date, 18) <= p.birth_date <= _years_later(
                        parent.birth_date, 45), (parent, p)
            if rel in ("父", "母"):
                assert _years_later(p.birth_date, 18) <= head.birth_date <= _years_later(p.birth_date, 45)
            if rel in ("妻", "夫", "子の妻", "子の夫", "同居人"):
                assert _age(p.birth_date) >= 18
        given = [p.name_kanji.split(SP)[-1] for p in h.members]
        assert len(set(given)) == len(given), given
        # Japanese members share the head's surname, except 同居人 (and foreign spouses)
        if not head.is_foreign:
            surname = head.name_kanji.split(SP)[0]
            for p in h.members:
                if not p.is_foreign and p.relationship_to_head != "同居人":
                    assert p.name_kanji.split(SP)[0] == surname
    sizes = collections.Counter(len(h.members) for h in households)
    assert sizes[1] > sizes[2] > sizes[3]  # 単独世帯 are the most common, as in Japan
    assert max(sizes) >= 5


def test_apartments_and_relationships(people: list[PersonData]) -> None:
    assert any(p.katagaki for p in people) and any(p.katagaki is None for p in people)
    relationships = {p.relationship_to_head for p in people}
    assert {"世帯主", "妻", "夫", "子", "父", "母", "孫", "子の妻", "同居人"} <= relationships


def test_households_pass_the_household_checks(households: list[HouseholdData]) -> None:
    """#22: the synthetic 続柄 are realistic by the register's own rules (japan/zokugara.py,
    K-DQ-1): one 世帯主, one spouse, every 続柄 from the list and consistent with age and sex."""
    from japan.zokugara import Member, RELATIONSHIPS, household_refusal

    for h in households:
        views = [Member(i, p.relationship_to_head, p.birth_date, p.sex, (p.address, p.katagaki))
                 for i, p in enumerate(h.members)]
        assert household_refusal(views, TODAY, check_all=True) is None, [
            (p.relationship_to_head, p.birth_date, p.sex) for p in h.members]
    relationships = collections.Counter(p.relationship_to_head for h in households
                                        for p in h.members)
    assert set(relationships) <= set(RELATIONSHIPS)
    assert {"祖母", "祖父", "妻の子", "夫の子", "縁故者", "同居人"} <= set(relationships)
    grand = [h for h in households if any(p.relationship_to_head in ("祖父", "祖母")
                                          for p in h.members)]
    assert grand and all(_age(h.head.birth_date) >= 18 for h in grand)


def test_honseki_for_japanese(people: list[PersonData]) -> None:
    for p in people:
        if not p.is_foreign:
            assert p.honseki and p.honseki.endswith("番地") or re.search(r"番地\d+$", p.honseki or ""), p
            assert p.hittousha and SP in p.hittousha


def test_tax_records(households: list[HouseholdData]) -> None:
    years = range(TODAY.year - 2, TODAY.year + 1)
    some_taxed = False
    for h in households:
        for p in h.members:
            fys = [t.fiscal_year for t in p.tax_records]
            assert fys == sorted(set(fys)) and set(fys) <= set(years)
            if p.tax_records:
                assert _age(p.birth_date) >= 18
            for fy in years:
                jan1 = dt.date(fy, 1, 1)
                expected = p.became_resident_on <= jan1 and _age(p.birth_date, jan1) >= 18
                assert (fy in fys) == expected, (p, fy)
            for t in p.tax_records:
                assert min(t.employment_income, t.pension_income, t.other_income, t.deductions) >= 0
                assert t.total_income == t.employment_income + t.pension_income + t.other_income
                assert t.taxable_income == max(0, t.total_income - t.deductions)
                assert t.municipal_tax == t.taxable_income * 6 // 100 // 100 * 100
                assert t.prefectural_tax == t.taxable_income * 4 // 100 // 100 * 100
                assert 0 <= t.dependents_count < len(h.members)
                assert t.total_income <= 40_000_000
                some_taxed |= t.municipal_tax > 0
        # a household's dependents are claimed once per year
        for fy in years:
            claimed = sum(t.dependents_count for p in h.members for t in p.tax_records if t.fiscal_year == fy)
            assert claimed < len(h.members)
    assert some_taxed
    pensioners = [p for h in households for p in h.members
                  if p.tax_records and p.tax_records[-1].pension_income]
    assert pensioners and all(_age(p.birth_date) >= 60 for p in pensioners)


# --- loader ----------------------------------------------------------------------------------------


def _max_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {m.__tablename__: conn.execute(select(func.coalesce(func.max(m.id), 0))).scalar_one()
                for m in (Household, Resident, ResidentHistory, TaxRecord, SupportMeasure,
                          SupportMeasureRelated)}


def _load_and_check(engine: Engine, households: list[HouseholdData], cipher: MyNumberCipher) -> LoadStats:
    """Load into a database that may already hold rows and check every new row against the input."""
    before = _max_ids(engine)
    with engine.connect() as conn:
        changes_before = conn.execute(select(func.count()).select_from(Change)).scalar_one()
        audit_before = conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    stats = load(engine, households, cipher, batch_size=500)  # several batches
    people = {p.juminhyo_code: p for h in households for p in h.members}
    assert stats.households == len(households)
    assert stats.residents == stats.history == len(people)
    assert stats.tax_records == sum(len(p.tax_records) for p in people.values())
    assert stats.support_measures == sum(1 for h in households if h.support)
    assert stats.support_related == sum(len(h.support.co_protected) + 1 for h in households if h.support)
    assert stats.elapsed_seconds > 0
    with engine.connect() as conn:
        def new(model):
            return select(model).where(model.id > before[model.__tablename__]).order_by(model.id)

        hh_rows = conn.execute(new(Household)).all()
        assert [r.household_no for r in hh_rows] == [h.household_no for h in households]
        hh_ids = {r.id: r.household_no for r in hh_rows}
        rows = conn.execute(new(Resident)).all()
        assert len(rows) == len(people)
        by_id = {}
        for r in rows:
            p = people[r.juminhyo_code]
            by_id[r.id] = p
            assert hh_ids[r.household_id]
            if p.my_number is None:
                assert r.my_number_enc is None and r.my_number_index is None
            else:
                assert cipher.decrypt(r.my_number_enc) == p.my_number
                assert r.my_number_index == cipher.index(p.my_number)
            assert r.name_kanji == p.name_kanji and r.name_kana == p.name_kana
            assert r.name_search_kana == search_kana(p.name_kana)
            assert r.name_search == normalise_name(p.name_kanji)
            assert (r.status, r.version) == ("current", 1)
            assert r.substitute_chars == p.substitute_chars
            assert (r.birth_date, r.became_resident_on, r.address_set_on) == (
                p.birth_date, p.became_resident_on, p.address_set_on)
            assert (r.address, r.katagaki, r.residence_expiry) == (p.address, p.katagaki, p.residence_expiry)
        history = conn.execute(new(ResidentHistory)).all()
        assert sorted(h.resident_id for h in history) == sorted(by_id)
        for h in history:
            became = by_id[h.resident_id].became_resident_on
            assert (h.kind, h.reason, h.idou_date) == ("initial", "住民となった", became)
            assert h.operator_login is None
        taxes = conn.execute(new(TaxRecord)).all()
        assert len(taxes) == stats.tax_records
        for t in taxes:
            fy = {x.fiscal_year: x for x in by_id[t.resident_id].tax_records}[t.fiscal_year]
            assert (t.total_income, t.municipal_tax, t.dependents_count) == (
                fy.total_income, fy.municipal_tax, fy.dependents_count)
        measures = conn.execute(new(SupportMeasure)).all()
        related = conn.execute(new(SupportMeasureRelated)).all()
        expected = {h.members[h.support.target].juminhyo_code: h for h in households if h.support}
        assert {by_id[m.target_resident_id].juminhyo_code for m in measures} == set(expected)
        for m in measures:
            s = expected[by_id[m.target_resident_id].juminhyo_code].support
            assert (m.category, m.start_date, m.end_date) == (s.category, s.start_date, s.end_date)
            mine = [x for x in related if x.measure_id == m.id]
            perpetrators = [x for x in mine if x.role == "perpetrator"]
            assert len(perpetrators) == 1 and perpetrators[0].resident_id is None
            assert perpetrators[0].name == s.perpetrator_name
            assert len([x for x in mine if x.role == "co_protected"]) == len(s.co_protected)
        # seeding is not an operator action: no change feed, no audit
        assert conn.execute(select(func.count()).select_from(Change)).scalar_one() == changes_before
        assert conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == audit_before
    # the database still hands out fresh ids by itself (PostgreSQL: the sequences moved on)
    with engine.begin() as conn:
        new_id = conn.execute(insert(Household).values(household_no="X-PROBE")).inserted_primary_key[0]
        assert new_id > max(hh_ids)
        conn.execute(delete(Household).where(Household.id == new_id))
    return stats


def _no_plaintext_my_numbers(data: bytes, people: list[PersonData]) -> None:
    numbers = {p.my_number.encode() for p in people if p.my_number}
    codes = {p.juminhyo_code.encode() for p in people}
    digit_runs = [m.group() for m in re.finditer(rb"[0-9]{11,}", data)]
    windows12 = {run[i:i + 12] for run in digit_runs for i in range(len(run) - 11)}
    windows11 = {run[i:i + 11] for run in digit_runs for i in range(len(run) - 10)}
    assert codes & windows11, "sanity: plain 住民票コード are visible in the file"
    assert not numbers & windows12


def test_load_sqlite(tmp_path: Path, cipher: MyNumberCipher) -> None:
    path = tmp_path / "register.db"
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    households = list(generate(11, 2000, today=TODAY))
    _load_and_check(engine, households, cipher)
    engine.dispose()
    data = b"".join(f.read_bytes() for f in tmp_path.iterdir() if f.name.startswith("register.db"))
    _no_plaintext_my_numbers(data, [p for h in households for p in h.members])


def test_load_into_non_empty_database_with_project_engine(tmp_path: Path, cipher: MyNumberCipher) -> None:
    from central.db import make_engine  # WAL, BEGIN IMMEDIATE: the engine the central API uses

    engine = make_engine(f"sqlite:///{tmp_path / 'register.db'}")
    Base.metadata.create_all(engine)
    first = list(generate(21, 700, today=TODAY))
    second = list(generate(22, 900, today=TODAY))
    _load_and_check(engine, first, cipher)
    _load_and_check(engine, second, cipher)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Resident)).scalar_one() == 1600
    engine.dispose()


def test_load_on_a_connection_leaves_the_transaction_to_the_caller(tmp_path: Path,
                                                                   cipher: MyNumberCipher) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'register.db'}")
    Base.metadata.create_all(engine)
    with engine.connect() as conn:
        stats = load(conn, generate(5, 300, today=TODAY), cipher, batch_size=100)
        assert stats.residents == 300
        assert conn.execute(select(func.count()).select_from(Resident)).scalar_one() == 300
        conn.rollback()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Resident)).scalar_one() == 0
    engine.dispose()


def test_seed_demo_only_once(tmp_path: Path, cipher: MyNumberCipher) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'register.db'}")
    Base.metadata.create_all(engine)
    stats = seed_demo(engine, cipher, count=250, today=TODAY)
    assert stats.residents == 250
    assert seed_demo(engine, cipher, count=250, today=TODAY) == LoadStats()
    engine.dispose()


def test_load_into_migrated_schema(db_url: str, cipher: MyNumberCipher) -> None:
    """The lead's fixture: the Alembic schema on SQLite and on the session's real PostgreSQL."""
    from central.db import make_engine

    engine = make_engine(db_url)
    try:
        households = list(generate(31, 2000, today=TODAY))
        _load_and_check(engine, households, cipher)
        _load_and_check(engine, list(generate(32, 300, today=TODAY)), cipher)  # on top of the first
    finally:
        engine.dispose()
