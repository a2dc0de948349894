"""Session cache: a real SQLCipher file keyed from the real (private) Secret Service.

What is proven: no plaintext in the file, a wrong key cannot open it, the security pragmas are on,
shredding removes the key before the file and leaves neither, and start-up recovery shreds what a
crash (a real killed process) left behind, including orphan keys.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.keystore import MemoryKeyStore
from app.session_cache import (CacheError, CacheKeyMissing, CacheKeyWrong, CacheShredded,
                               SessionCache, ShredReason, cache_path, drafts_table,
                               recover_at_startup)
from tests.central.factories import my_number

REPO = Path(__file__).resolve().parents[2]
NAME = "窓口　試験花子"          # synthetic
KANA = "マドグチ　シケンハナコ"


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _draft(number: str) -> dict:
    return {"name_kanji": NAME, "name_kana": KANA, "my_number": number,
            "address": "架空県さくら市桜町一丁目1番1号", "birth_date": "1980-02-29"}


def _needles(number: str) -> list[bytes]:
    return [NAME.encode(), KANA.encode(), number.encode(), "架空県さくら市".encode(),
            b"1980-02-29", NAME.encode("unicode_escape")]


def test_file_holds_no_plaintext_while_the_same_data_in_plain_sqlite_would(tmp_path, keystore):
    number = my_number()
    cache = SessionCache.create(tmp_path / "c", keystore)
    for i in range(50):  # enough rows to fill several pages
        cache.put_draft(f"d{i}", "tennyu", _draft(number))
    assert cache.get_draft("d7") == _draft(number)
    files = {p.name: p.read_bytes() for p in cache.path.parent.iterdir()}
    # WAL journaling: the main file, its -wal (where recent pages live) and -shm
    assert cache.path.name + "-wal" in files
    assert sum(len(b) for b in files.values()) > 4096
    assert not files[cache.path.name].startswith(b"SQLite format 3")
    for content in files.values():
        for needle in _needles(number):
            assert needle not in content
    # Mid-transaction too (temp_store is MEMORY, so no temp files appear).
    with cache.begin() as c:
        c.execute(drafts_table.update().values(body=json.dumps(_draft(number) | {"v": 2},
                                                                ensure_ascii=False)))
        during = {p.name: p.read_bytes() for p in cache.path.parent.iterdir()}
    assert set(during) <= {cache.path.name, cache.path.name + "-wal", cache.path.name + "-shm"}
    for content in during.values():
        for needle in _needles(number):
            assert needle not in content
    # Control: the same rows in an unencrypted SQLite file are findable, so the check can fail.
    plain = sqlite3.connect(tmp_path / "plain.db")
    plain.execute("CREATE TABLE d (body TEXT)")
    plain.execute("INSERT INTO d VALUES (?)", [json.dumps(_draft(number), ensure_ascii=False)])
    plain.commit()
    plain.close()
    plain_raw = (tmp_path / "plain.db").read_bytes()
    assert NAME.encode() in plain_raw and number.encode() in plain_raw
    cache.shred()


def test_wrong_key_and_plain_sqlite_cannot_open_it_the_right_key_can(tmp_path, keystore):
    directory = tmp_path / "c"
    number = my_number()
    cache = SessionCache.create(directory, keystore)
    cache.put_draft("d1", "tennyu", _draft(number))
    session_id, path = cache.session_id, cache.path
    cache.close()

    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM drafts").fetchall()
    good = keystore.get(session_id)
    keystore.put(session_id, bytes(b ^ 1 for b in good))  # one bit off in every byte
    with pytest.raises(CacheKeyWrong):
        SessionCache.open(directory, session_id, keystore)
    keystore.put(session_id, good)
    reopened = SessionCache.open(directory, session_id, keystore)
    assert reopened.get_draft("d1") == _draft(number)
    reopened.shred()
    with pytest.raises(CacheKeyMissing):
        SessionCache.open(directory, session_id, keystore)


def test_security_pragmas_and_fresh_random_keys(tmp_path, keystore):
    a = SessionCache.create(tmp_path / "c", keystore)
    b = SessionCache.create(tmp_path / "c", keystore)
    key_a, key_b = keystore.get(a.session_id), keystore.get(b.session_id)
    assert len(key_a) == 32 and len(key_b) == 32 and key_a != key_b
    assert key_a.hex() not in repr(a)
    with a.begin() as c:
        assert c.exec_driver_sql("PRAGMA cipher_memory_security").scalar() in ("1", 1)
        assert c.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert c.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
        assert c.exec_driver_sql("PRAGMA cipher_version").scalar()
    assert oct(a.path.stat().st_mode & 0o777) == "0o600"
    assert oct(a.path.parent.stat().st_mode & 0o777) == "0o700"
    with pytest.raises(CacheError):
        SessionCache.create(tmp_path / "c", keystore, session_id=a.session_id)
    a.shred()
    b.shred()


class OrderCheckingKeyStore:
    """The real store, noting whether the cache file still existed when the key was deleted."""

    def __init__(self, inner, directory: Path) -> None:
        self.inner, self.directory, self.file_existed_at_delete = inner, directory, []

    def put(self, sid, key):
        self.inner.put(sid, key)

    def get(self, sid):
        return self.inner.get(sid)

    def session_ids(self):
        return self.inner.session_ids()

    def delete(self, sid):
        self.file_existed_at_delete.append(cache_path(self.directory, sid).exists())
        self.inner.delete(sid)


@pytest.mark.parametrize("reason", list(ShredReason))
def test_shred_deletes_key_first_then_file_and_side_files(tmp_path, keystore, secret_service,
                                                           reason):
    directory = tmp_path / "c"
    store = OrderCheckingKeyStore(keystore, directory)
    cache = SessionCache.create(directory, store)
    cache.put_draft("d1", "tennyu", _draft(my_number()))
    for side in ("-wal", "-shm", "-journal"):  # as a crash mid-transaction could leave them
        Path(str(cache.path) + side).write_bytes(os.urandom(64))
    assert len(_files(directory)) == 4 and keystore.get(cache.session_id) is not None

    cache.shred(reason)
    assert store.file_existed_at_delete == [True]  # key went while the file was still there
    assert keystore.get(cache.session_id) is None
    assert cache.session_id not in keystore.session_ids()
    assert _files(directory) == []
    with pytest.raises(CacheShredded):
        cache.get_draft("d1")
    cache.shred(reason)  # idempotent


def test_ttl_expiry_shreds(tmp_path, keystore):
    now = [dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)]
    cache = SessionCache.create(tmp_path / "c", keystore, ttl=dt.timedelta(hours=8),
                                clock=lambda: now[0])
    assert cache.expires_at() == now[0] + dt.timedelta(hours=8)
    now[0] += dt.timedelta(hours=7, minutes=59)
    assert cache.shred_if_expired() is False and cache.is_open
    now[0] += dt.timedelta(minutes=1)
    assert cache.shred_if_expired() is True
    assert not cache.is_open and not cache.path.exists()
    assert keystore.get(cache.session_id) is None


CRASHER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, sys.argv[1])
    from app.keystore import KeyringKeyStore
    from app.session_cache import SessionCache
    store = KeyringKeyStore()
    cache = SessionCache.create(sys.argv[2], store, session_id=sys.argv[3])
    cache.put_draft("d1", "tennyu", {"name_kanji": "窓口　試験花子"})
    with cache.begin() as c:          # die inside a write transaction
        c.exec_driver_sql("INSERT INTO drafts VALUES ('d2', 'x', '{}', 'now')")
        os._exit(9)
""")


def test_recover_at_startup_shreds_a_crashed_session_and_orphan_keys(tmp_path, keystore,
                                                                     secret_service):
    directory = tmp_path / "c"
    crashed = subprocess.run([sys.executable, "-c", CRASHER, str(REPO), str(directory), "crashed1"],
                             env={**os.environ, "DBUS_SESSION_BUS_ADDRESS":
                                  secret_service.bus_address},
                             capture_output=True, timeout=60)
    assert crashed.returncode == 9, crashed.stderr
    assert keystore.get("crashed1") is not None and "crashed1.cache" in _files(directory)
    # A closed-but-not-shredded cache (power loss after close) and a key whose file was never made.
    left = SessionCache.create(directory, keystore, session_id="left2")
    left.close()
    keystore.put("orphan3", os.urandom(32))
    (directory / "notes.txt").write_text("not a cache")

    found = recover_at_startup(directory, keystore)
    assert found == ["crashed1", "left2", "orphan3"]
    assert keystore.session_ids() == []
    for sid in found:
        assert keystore.get(sid) is None
    assert _files(directory) == ["notes.txt"]
    assert recover_at_startup(directory, keystore) == []


def test_memory_fake_gives_the_same_cache_behaviour(tmp_path):
    store = MemoryKeyStore()
    cache = SessionCache.create(tmp_path, store)
    cache.put_draft("d1", "tenkyo", {"x": 1})
    cache.put_draft("d1", "tenkyo", {"x": 2})
    assert cache.get_draft("d1") == {"x": 2} and cache.drafts() == [("d1", "tenkyo")]
    cache.delete_draft("d1")
    assert cache.get_draft("d1") is None
    cache.shred(ShredReason.LOGOUT)
    assert store.session_ids() == [] and _files(tmp_path) == []
