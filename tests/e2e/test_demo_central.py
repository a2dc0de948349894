"""The main job's backend for real: `central.cli demo` started the way the client starts it, with
synthetic residents on SQLite, the demo terminal's key, and files private to the user."""
from __future__ import annotations

import sqlite3
import stat

from app.api_client import CentralClient
from app.device_key import DeviceKey, DeviceSigner
from app.embedded_central import EmbeddedCentral


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_demo_central_serves_synthetic_residents_privately(tmp_path):
    data = tmp_path / "demo"
    central = EmbeddedCentral(data)
    info = central.start(timeout=120)
    try:
        client = CentralClient(info.url, DeviceSigner(DeviceKey.load(info.device_key_file,
                                                                     info.device_id)))
        assert client.health()["status"] == "ok"
        clerk = next(o for o in info.demo_operators if o["login_id"] == "clerk01")
        client.login(clerk["login_id"], clerk["password"])
        with sqlite3.connect(data / "central.db") as db:
            total, = db.execute("SELECT count(*) FROM residents").fetchone()
            name, birth, rid = db.execute("SELECT name_kanji, birth_date, id FROM residents "
                                          "WHERE my_number_enc IS NOT NULL LIMIT 1").fetchone()
        assert total == 5000
        found = client.search_residents("inquiry", name=name, birth_date=birth)
        assert rid in [r.id for r in found.items]
        assert all(r.my_number == "************" for r in found.items)  # clerk01: masked
        client.logout()
        client.close()
        assert _mode(data) == 0o700
        for name in ("central.db", "data-key", "device-key.pem", "demo.json"):
            assert _mode(data / name) & 0o077 == 0, name
    finally:
        central.stop()
    # a second start reuses the same register and accounts
    again = EmbeddedCentral(data)
    info2 = again.start(timeout=120)
    try:
        assert info2.demo_operators == info.demo_operators
    finally:
        again.stop()
