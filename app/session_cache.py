"""Encrypted session cache (セッションキャッシュ) with crypto-shredding (SYNC-4, architecture §3).

One SQLCipher file per operator session, opened through SQLAlchemy's ``sqlite+pysqlcipher``
dialect on the ``sqlcipher3`` driver. The dialect quotes the URL password as an identifier, so
the password ``x'<64 hex>'`` becomes exactly ``PRAGMA key = "x'<64 hex>'"``: a raw 256-bit key,
no per-open KDF. The key is random per session and lives only in the ``KeyStore`` (OS keyring).

Every connection also sets ``cipher_memory_security = ON``, ``secure_delete = ON``,
``temp_store = MEMORY`` and WAL journaling (the -wal/-shm files hold encrypted pages only).

The cache holds the open session's working data only: case drafts (JSON) and the sync outbox
(``app.outbox``). Never 支援措置 lists, never bulk register data.

``shred()`` deletes the key first, then the file and its ``-wal``/``-shm``/``-journal``: once the
key is gone the file is noise even if a file delete fails. It is called on logout, idle lock
timeout, session-out, TTL expiry and a remote-disable answer; ``recover_at_startup()`` shreds
whatever a crash left behind (cache files and orphan keys).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import logging
import os
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    exc as sa_exc,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection, Engine

from app.keystore import KEY_BYTES, KeyStore, validate_session_id

log = logging.getLogger(__name__)

SUFFIX = ".cache"
_SIDE_FILES = ("-journal", "-wal", "-shm")
DEFAULT_TTL = dt.timedelta(hours=12)


class ShredReason(enum.Enum):
    """Why a cache was shredded (破棄理由); logged without any personal data."""

    LOGOUT = "logout"
    IDLE_LOCK = "idle_lock"
    SESSION_OUT = "session_out"
    TTL_EXPIRED = "ttl_expired"
    REMOTE_DISABLE = "remote_disable"
    CRASH_RECOVERY = "crash_recovery"


class CacheError(RuntimeError):
    """The session cache cannot be used (セッションキャッシュを利用できません)."""


class CacheKeyMissing(CacheError):
    """No key for this cache in the keystore: it was shredded or never made."""


class CacheKeyWrong(CacheError):
    """The key does not open this file (鍵が一致しません)."""


class CacheShredded(CacheError):
    """The cache was shredded; make a new one."""


metadata = MetaData()

meta_table = Table(
    "meta",
    metadata,
    Column("k", String(40), primary_key=True),
    Column("v", Text, nullable=False),
)

drafts_table = Table(
    "drafts",
    metadata,
    Column("draft_id", String(64), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("body", Text, nullable=False),  # JSON
    Column("updated_at", String(40), nullable=False),
)

outbox_table = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("command_id", String(40), nullable=False, unique=True),
    Column("device_id", String(40), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("path", String(200), nullable=False),
    Column("body", Text, nullable=False),  # the exact JSON bytes sent, so retries hash the same
    Column("state", String(20), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("result", Text),  # JSON of the server's answer (applied result or problem)
    Column("error_status", Integer),
    Column("error_code", String(80)),
    Column("error_detail_ja", Text),
)

# The change-feed projection (app.puller): the latest version the client has seen of each entity
# and where the feed cursor stands. Entity kinds and ids only, never personal data.
entity_versions_table = Table(
    "entity_versions",
    metadata,
    Column("entity", String(40), primary_key=True),
    Column("entity_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("op", String(20), nullable=False),
    Column("seq", Integer, nullable=False),
)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cache_path(directory: str | os.PathLike[str], session_id: str) -> Path:
    return Path(directory) / f"{validate_session_id(session_id)}{SUFFIX}"


def _remove_files(path: Path) -> None:
    for p in (path, *(Path(str(path) + s) for s in _SIDE_FILES)):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


#: Everything but the encryption: secure_delete, temp store in memory, and WAL (one fsync per
#: commit instead of the rollback journal's three; the -wal/-shm side files are encrypted pages
#: and are shredded with the file). ``bench/cache_sync.py`` gives its plain-SQLite baseline the same.
PLAIN_PRAGMAS = ("PRAGMA secure_delete = ON", "PRAGMA temp_store = MEMORY", "PRAGMA journal_mode = WAL")


def _make_engine(path: Path, key: bytes) -> Engine:
    url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:  # runs after the dialect's PRAGMA key
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA cipher_memory_security = ON")
        for pragma in PLAIN_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    return engine


class SessionCache:
    """One operator session's encrypted working store. Use ``create`` or ``open``."""

    def __init__(self, path: Path, session_id: str, keystore: KeyStore, engine: Engine,
                 clock: Callable[[], dt.datetime]) -> None:
        self.path = path
        self.session_id = session_id
        self._keystore = keystore
        self._engine: Engine | None = engine
        self._clock = clock
        self._lock = threading.RLock()

    def __repr__(self) -> str:  # no key, no data
        state = "shredded" if self._engine is None else "open"
        return f"SessionCache({self.session_id[:8]}…, {state})"

    # -- life cycle ------------------------------------------------------

    @classmethod
    def create(cls, directory: str | os.PathLike[str], keystore: KeyStore, *,
               session_id: str | None = None, ttl: dt.timedelta = DEFAULT_TTL,
               clock: Callable[[], dt.datetime] = _utcnow) -> SessionCache:
        """A new cache with a fresh random 256-bit key stored in ``keystore`` first."""
        session_id = validate_session_id(session_id or uuid.uuid4().hex)
        directory = Path(directory)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = cache_path(directory, session_id)
        if path.exists() or keystore.get(session_id) is not None:
            raise CacheError("session cache already exists")
        key = secrets.token_bytes(KEY_BYTES)
        keystore.put(session_id, key)  # key before file: recovery finds the orphan key
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        engine = _make_engine(path, key)
        del key
        cache = cls(path, session_id, keystore, engine, clock)
        try:
            metadata.create_all(engine)
            now = clock()
            with engine.begin() as c:
                c.execute(meta_table.insert(), [
                    {"k": "created_at", "v": now.isoformat()},
                    {"k": "expires_at", "v": (now + ttl).isoformat()},
                ])
        except Exception:
            cache.shred(ShredReason.CRASH_RECOVERY)
            raise
        return cache

    @classmethod
    def open(cls, directory: str | os.PathLike[str], session_id: str, keystore: KeyStore, *,
             clock: Callable[[], dt.datetime] = _utcnow) -> SessionCache:
        """Reopen an existing cache with its key from ``keystore``."""
        path = cache_path(directory, session_id)
        key = keystore.get(session_id)
        if key is None:
            raise CacheKeyMissing("no key for this session cache")
        if not path.exists():
            raise CacheError("no session cache file")
        engine = _make_engine(path, key)
        del key
        try:
            with engine.connect() as c:
                c.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
        except sa_exc.DatabaseError as exc:
            engine.dispose()
            raise CacheKeyWrong("the key does not open this cache") from exc
        return cls(path, session_id, keystore, engine, clock)

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction on the cache (for ``app.outbox``)."""
        with self._lock:
            if self._engine is None:
                raise CacheShredded("the session cache was shredded")
            with self._engine.begin() as conn:
                yield conn

    def expires_at(self) -> dt.datetime:
        with self.begin() as c:
            value = c.execute(select(meta_table.c.v).where(meta_table.c.k == "expires_at")).scalar_one()
        return dt.datetime.fromisoformat(value)

    def shred_if_expired(self) -> bool:
        """Shred when the TTL has run out (有効期限切れ); True when it did."""
        if self._engine is not None and self._clock() >= self.expires_at():
            self.shred(ShredReason.TTL_EXPIRED)
            return True
        return False

    def shred(self, reason: ShredReason = ShredReason.LOGOUT) -> None:
        """Crypto-shred: close, delete the key, then the file and its side files. Idempotent."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            shred_files(self.path.parent, self.session_id, self._keystore)
        log.info("session cache %s… shredded (%s)", self.session_id[:8], reason.value)

    def close(self) -> None:
        """Close without shredding (the key stays; used only to reopen, e.g. in tests)."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    # -- drafts (入力中の届出) ---------------------------------------------

    def put_draft(self, draft_id: str, kind: str, body: dict[str, Any]) -> None:
        row = {"draft_id": draft_id, "kind": kind,
               "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
               "updated_at": self._clock().isoformat()}
        with self.begin() as c:
            c.execute(delete(drafts_table).where(drafts_table.c.draft_id == draft_id))
            c.execute(drafts_table.insert(), row)

    def get_draft(self, draft_id: str) -> dict[str, Any] | None:
        with self.begin() as c:
            body = c.execute(select(drafts_table.c.body)
                             .where(drafts_table.c.draft_id == draft_id)).scalar_one_or_none()
        return None if body is None else json.loads(body)

    def drafts(self) -> list[tuple[str, str]]:
        """(draft_id, kind) of every draft, oldest first."""
        with self.begin() as c:
            rows = c.execute(select(drafts_table.c.draft_id, drafts_table.c.kind)
                             .order_by(drafts_table.c.updated_at)).all()
        return [(r.draft_id, r.kind) for r in rows]

    def delete_draft(self, draft_id: str) -> None:
        with self.begin() as c:
            c.execute(delete(drafts_table).where(drafts_table.c.draft_id == draft_id))


def shred_files(directory: str | os.PathLike[str], session_id: str, keystore: KeyStore) -> None:
    """Delete the key, then the cache file and side files (key first: SYNC-4)."""
    keystore.delete(session_id)
    if keystore.get(session_id) is not None:
        raise CacheError("the session key could not be deleted")
    _remove_files(cache_path(directory, session_id))


def recover_at_startup(directory: str | os.PathLike[str], keystore: KeyStore) -> list[str]:
    """Shred every cache a crash left behind (files and orphan keys); returns the session ids.

    Call before any login: at start-up no session is open, so everything found is stale.
    """
    directory = Path(directory)
    found: set[str] = set(keystore.session_ids())
    if directory.is_dir():
        for entry in directory.iterdir():
            name = entry.name
            for side in ("", *_SIDE_FILES):
                if name.endswith(SUFFIX + side):
                    stem = name[: -len(SUFFIX + side)]
                    try:
                        found.add(validate_session_id(stem))
                    except ValueError:
                        continue
    for session_id in sorted(found):
        shred_files(directory, session_id, keystore)
        log.info("session cache %s… shredded (%s)", session_id[:8], ShredReason.CRASH_RECOVERY.value)
    return sorted(found)
