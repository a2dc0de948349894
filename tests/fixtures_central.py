"""Central API fixtures (a pytest plugin, see tests/conftest.py): every test runs against SQLite and against the real PostgreSQL.

A migrated template database is made once per backend; each test gets a fresh copy (SQLite: a file
copy; PostgreSQL: CREATE DATABASE … TEMPLATE), so tests are independent and fast.
"""
from __future__ import annotations

import itertools
import shutil
import uuid
from dataclasses import dataclass, field

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, select, text

from central import admin
from central.api import create_app
from central.config import Settings
from central.crypto import MyNumberCipher
from central.db import make_engine, make_sessionmaker
from central.migrate import upgrade
from central import clock  # today in JST, as the centre dates everything
from tests.central.signing import TestSigner, signed_client

DATA_KEY = bytes(range(32))
_counter = itertools.count()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("tmpl") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_cluster):
    admin_engine = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as c:
        c.execute(text("CREATE DATABASE madoguchi_template"))
    upgrade(pg_cluster.url("madoguchi_template"))
    yield admin_engine
    admin_engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, sqlite_template):
    if request.param == "sqlite":
        path = tmp_path / "central.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    admin_engine = request.getfixturevalue("pg_template")
    name = f"t{next(_counter)}_{uuid.uuid4().hex[:8]}"
    with admin_engine.connect() as c:
        c.execute(text(f"CREATE DATABASE {name} TEMPLATE madoguchi_template"))
    yield cluster.url(name)
    with admin_engine.connect() as c:
        c.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))


@dataclass
class Terminal:
    device_id: str
    key: Ed25519PrivateKey


@dataclass
class Central:
    """A central API on a fresh database, with helpers to make devices, operators and clients."""

    settings: Settings
    app: object
    engine: object
    sessions: object
    cipher: MyNumberCipher
    passwords: dict[str, str] = field(default_factory=dict)
    _clients: list = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def device(self, device_id: str | None = None, kind: str = "counter",
               **kw) -> Terminal:
        key = Ed25519PrivateKey.generate()
        device_id = device_id or f"T-{next(_counter):04d}"
        raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
        with self.sessions.begin() as db:
            admin.register_device(db, device_id, "テスト端末", kind, raw, actor="test", **kw)
        return Terminal(device_id, key)

    def operator(self, login_id: str, rights: list[str], *, password: str | None = None,
                 **kw) -> str:
        password = password or f"pw-{login_id}-secret"
        with self.sessions.begin() as db:
            admin.create_operator(db, login_id, f"職員 {login_id}", password, actor="test", **kw)
            for r in rights:
                admin.grant(db, login_id, r, actor="test")
        self.passwords[login_id] = password
        return password

    def client(self, terminal: Terminal | None = None, login_id: str | None = None):
        """A signed client for ``terminal``; logged in as ``login_id`` when given."""
        terminal = terminal or self.device()
        c = signed_client(self.app, TestSigner(terminal.device_id, terminal.key))
        self._clients.append(c)
        if login_id:
            r = c.post("/v1/sessions", json={"login_id": login_id,
                                             "password": self.passwords[login_id]})
            assert r.status_code == 201, r.text
            c.headers["Authorization"] = f"Bearer {r.json()['token']}"
        return c

    def terminal(self, device_id: str, kind: str = "counter", wrap=None, **kw):
        """(CentralClient, DeviceKey) of a newly registered terminal, talking to this app in
        process through the client's own signer; ``wrap`` may wrap the transport (faults)."""
        from app.api_client import CentralClient
        from app.device_key import DeviceKey, DeviceSigner

        key = DeviceKey.generate(device_id)
        if kind == "loan":
            kw.setdefault("loan_approved_by", "kacho1")
        with self.sessions.begin() as db:
            admin.register_device(db, key.device_id, "窓口端末", kind, key.public_key_raw(),
                                  actor="test", **kw)
        transport = signed_client(self.app, None)._transport
        client = CentralClient("http://central.test", DeviceSigner(key),
                               transport=wrap(transport) if wrap else transport)
        return client, key

    def clerk(self, rights: tuple[str, ...] = ("clerk",), login_id: str | None = None):
        login_id = login_id or f"clerk{next(_counter)}"
        self.operator(login_id, list(rights))
        return self.client(login_id=login_id)

    def audit_rows(self, action: str | None = None) -> list:
        """The audit log in order (of one ``action`` when given)."""
        from central.models import AuditEvent

        with self.sessions() as db:
            q = select(AuditEvent).order_by(AuditEvent.seq)
            if action:
                q = q.where(AuditEvent.action == action)
            return db.scalars(q).all()

    def seed(self, count: int = 200, seed: int = 7):
        from central.seed import load
        from central.synth import generate

        households = list(generate(seed, count, today=clock.today()))
        load(self.engine, households, self.cipher)
        return households


@pytest.fixture
def central(db_url):
    # Password-only unless a test enrols a face (the product default "required" is tested in
    # tests/central/test_face_auth.py).
    settings = Settings(database_url=db_url, data_key=DATA_KEY, face_policy="if_enrolled")
    engine = make_engine(db_url)
    app = create_app(settings, engine)
    c = Central(settings, app, engine, make_sessionmaker(engine),
                MyNumberCipher.from_master(DATA_KEY))
    yield c
    for client in c._clients:
        client.close()
    engine.dispose()


def new_key() -> str:
    return str(uuid.uuid4())


__all__ = ["httpx", "new_key"]
