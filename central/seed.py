"""Bulk loader of synthetic households (central.synth) into the reference register tables.

    stats = load(engine, generate(seed=1, count=100_000, today=clock.today()), cipher)

Rows are written with SQLAlchemy Core ``insert()`` executemany in batches. Ids are assigned here, in
each batch's transaction, after the current maximum id of each table, so loading into a non-empty
database works. On PostgreSQL each batch locks the six tables (EXCLUSIVE: reads go on, writes wait)
and moves their id sequences past the new rows before it commits, so the API's own inserts never
collide with seeded ids, even if a load stops half-way. Each resident gets one
ResidentHistory row (kind "initial", 事由 住民となった). The My Number is stored only as AES-GCM
ciphertext plus its HMAC blind index, never in plain text. Seeding is not an operator action, so
no change-feed (``changes``) or audit-log row is written.

On SQLite, another writer could in principle insert between the max(id) read and the insert of a
batch unless the engine begins transactions with BEGIN IMMEDIATE (as ``central.db.make_engine`` does).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import time
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from central import clock
from central.crypto import MyNumberCipher, parse_master_key
from central.models import (
    Household,
    Resident,
    ResidentHistory,
    SupportMeasure,
    SupportMeasureRelated,
    TaxRecord,
    utcnow,
)
from central.synth import HouseholdData, PersonData, TaxData, generate
from japan.kana import normalise_name, search_kana

__all__ = ["LoadStats", "load", "seed_demo"]

_HOUSEHOLDS: Table = Household.__table__  # type: ignore[assignment]
_RESIDENTS: Table = Resident.__table__  # type: ignore[assignment]
_HISTORY: Table = ResidentHistory.__table__  # type: ignore[assignment]
_TAX: Table = TaxRecord.__table__  # type: ignore[assignment]
_SUPPORT: Table = SupportMeasure.__table__  # type: ignore[assignment]
_RELATED: Table = SupportMeasureRelated.__table__  # type: ignore[assignment]
_TABLES = (_HOUSEHOLDS, _RESIDENTS, _HISTORY, _TAX, _SUPPORT, _RELATED)  # in foreign-key order

# PersonData fields copied as they are into residents (my_number is encrypted instead)
_COPIED = tuple(
    f.name for f in dataclasses.fields(PersonData) if f.name not in ("my_number", "tax_records")
)
_TAX_FIELDS = tuple(f.name for f in dataclasses.fields(TaxData))
# resident columns this loader fills itself
_COMPUTED = ("id", "household_id", "my_number_enc", "my_number_index", "name_search", "name_search_kana",
             "status", "removed_on", "removal_reason", "moved_out_to", "version", "updated_at")


@dataclass(frozen=True)
class LoadStats:
    households: int = 0
    residents: int = 0
    history: int = 0
    tax_records: int = 0
    support_measures: int = 0
    support_related: int = 0
    elapsed_seconds: float = 0.0


class _Batch:
    """Rows of whole households; ids and foreign keys are batch-local (0, 1, …) until flushed."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in _TABLES}

    def __len__(self) -> int:
        return len(self.rows[_RESIDENTS.name])

    def add(self, hh: HouseholdData, cipher: MyNumberCipher, now: dt.datetime) -> None:
        rows = self.rows
        households, residents, history = rows[_HOUSEHOLDS.name], rows[_RESIDENTS.name], rows[_HISTORY.name]
        tax_rows, measures, related = rows[_TAX.name], rows[_SUPPORT.name], rows[_RELATED.name]
        household_id = len(households)
        households.append({"id": household_id, "household_no": hh.household_no, "version": 1})
        first_resident = len(residents)
        for person in hh.members:
            resident_id = len(residents)
            residents.append(_resident_row(person, resident_id, household_id, cipher, now))
            history.append({
                "id": len(history), "resident_id": resident_id, "kind": "initial", "reason": "住民となった",
                "idou_date": person.became_resident_on, "todoke_date": None, "recorded_at": now,
                "operator_login": None, "device_id": None, "command_id": None, "changes": {},
            })
            for tax in person.tax_records:
                row = {name: getattr(tax, name) for name in _TAX_FIELDS}
                row.update(id=len(tax_rows), resident_id=resident_id, version=1)
                tax_rows.append(row)
        support = hh.support
        if support is None:
            return
        measure_id = len(measures)
        measures.append({
            "id": measure_id, "target_resident_id": first_resident + support.target,
            "category": support.category, "start_date": support.start_date, "end_date": support.end_date,
        })
        for index in support.co_protected:
            related.append({"id": len(related), "measure_id": measure_id, "role": "co_protected",
                            "resident_id": first_resident + index, "name": None, "address": None})
        related.append({"id": len(related), "measure_id": measure_id, "role": "perpetrator",
                        "resident_id": None, "name": support.perpetrator_name,
                        "address": support.perpetrator_address})

    def flush(self, conn: Connection, counts: dict[str, int]) -> None:
        """Give the rows ids after each table's current max(id) and insert them."""
        rows = self.rows
        postgres = conn.dialect.name == "postgresql"
        if postgres:  # keep concurrent writers out until this batch and the sequences are in place
            conn.execute(text(f"LOCK TABLE {', '.join(t.name for t in _TABLES)} IN EXCLUSIVE MODE"))
        base = {t.name: (conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1 for t in _TABLES}
        shifts = {  # column -> the table its batch-local id points into
            _HOUSEHOLDS.name: {"id": _HOUSEHOLDS},
            _RESIDENTS.name: {"id": _RESIDENTS, "household_id": _HOUSEHOLDS},
            _HISTORY.name: {"id": _HISTORY, "resident_id": _RESIDENTS},
            _TAX.name: {"id": _TAX, "resident_id": _RESIDENTS},
            _SUPPORT.name: {"id": _SUPPORT, "target_resident_id": _RESIDENTS},
            _RELATED.name: {"id": _RELATED, "measure_id": _SUPPORT, "resident_id": _RESIDENTS},
        }
        for table in _TABLES:
            table_rows = rows[table.name]
            if not table_rows:
                continue
            for column, points_to in shifts[table.name].items():
                offset = base[points_to.name]
                for row in table_rows:
                    if row[column] is not None:
                        row[column] += offset
            conn.execute(insert(table), table_rows)
            counts[table.name] += len(table_rows)
        if postgres:
            _advance_sequences(conn)
        for table_rows in rows.values():
            table_rows.clear()


def load(target: Engine | Connection, households: Iterable[HouseholdData], cipher: MyNumberCipher, *,
         batch_size: int = 2000) -> LoadStats:
    """Insert the households, their residents, history, tax records and 支援措置.

    With an Engine, every batch (about ``batch_size`` residents; a household is never split) is
    committed on its own. With a Connection, nothing is committed: the caller owns the transaction.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be ≥ 1")
    if isinstance(target, Engine):
        with target.connect() as conn:
            return _load(conn, households, cipher, batch_size, commit=True)
    return _load(target, households, cipher, batch_size, commit=False)


def _load(conn: Connection, households: Iterable[HouseholdData], cipher: MyNumberCipher,
          batch_size: int, *, commit: bool) -> LoadStats:
    started = time.perf_counter()
    counts = {t.name: 0 for t in _TABLES}
    now = utcnow()
    batch = _Batch()
    for hh in households:
        batch.add(hh, cipher, now)
        if len(batch) >= batch_size:
            batch.flush(conn, counts)
            if commit:
                conn.commit()
    if len(batch):
        batch.flush(conn, counts)
        if commit:
            conn.commit()
    return LoadStats(
        households=counts[_HOUSEHOLDS.name],
        residents=counts[_RESIDENTS.name],
        history=counts[_HISTORY.name],
        tax_records=counts[_TAX.name],
        support_measures=counts[_SUPPORT.name],
        support_related=counts[_RELATED.name],
        elapsed_seconds=time.perf_counter() - started,
    )


def _resident_row(person: PersonData, resident_id: int, household_id: int, cipher: MyNumberCipher,
                  now: dt.datetime) -> dict[str, Any]:
    row = {name: getattr(person, name) for name in _COPIED}
    row["substitute_chars"] = list(person.substitute_chars)
    my_number = person.my_number
    row.update(
        id=resident_id,
        household_id=household_id,
        my_number_enc=cipher.encrypt(my_number) if my_number else None,
        my_number_index=cipher.index(my_number) if my_number else None,
        name_search=normalise_name(person.name_kanji),
        name_search_kana=search_kana(person.name_kana),
        status="current",
        removed_on=None,
        removal_reason=None,
        moved_out_to=None,
        version=1,
        updated_at=now,
    )
    return row


def _advance_sequences(conn: Connection) -> None:
    """Explicit ids do not move a serial/identity sequence: set each one to its table's max(id)."""
    for table in _TABLES:
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), max_id) "
                f"FROM (SELECT MAX(id) AS max_id FROM {table.name}) AS m WHERE max_id IS NOT NULL"
            ),
            {"table": table.name},
        )


def seed_demo(engine: Engine, cipher: MyNumberCipher, count: int = 5000, seed: int = 20261122, *,
              today: dt.date | None = None, skip_if_populated: bool = True) -> LoadStats:
    """Load ``count`` synthetic residents for a demo (the tables must exist).

    By default nothing is loaded when the register already has households, so it can run at every
    start; pass ``skip_if_populated=False`` to add another batch (use another seed then: the same seed
    would repeat the same 住民票コード and My Numbers).
    """
    if skip_if_populated:
        with engine.connect() as conn:
            if conn.execute(select(func.count()).select_from(_HOUSEHOLDS)).scalar():
                return LoadStats()
    return load(engine, generate(seed, count, today=today or clock.today()), cipher)


def _main(argv: list[str] | None = None) -> None:
    from sqlalchemy import create_engine

    from central.models import Base

    parser = argparse.ArgumentParser(description="Load a synthetic reference register (架空県さくら市).")
    parser.add_argument("--url", required=True, help="SQLAlchemy database URL")
    parser.add_argument("--count", type=int, default=5000, help="number of residents")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--create-tables", action="store_true", help="Base.metadata.create_all first")
    args = parser.parse_args(argv)
    key = os.environ.get("MADOGUCHI_DATA_KEY")
    if not key:
        parser.error("MADOGUCHI_DATA_KEY (base64, 32 bytes) must be set")
    cipher = MyNumberCipher.from_master(parse_master_key(key))
    engine = create_engine(args.url)
    if args.create_tables:
        Base.metadata.create_all(engine)
    stats = load(engine, generate(args.seed, args.count, today=args.today or clock.today()), cipher)
    print(stats)


if __name__ == "__main__":
    _main()
