"""The client's own code (app/device_key.py signer, app/api_client.py) against the real central API:
the two halves of the device-signature protocol agree, sessions work, and the server's Japanese
problem details reach the client as ApiError (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest

from app.api_client import ApiError, CentralClient, DeviceDisabled
from app.device_key import DeviceKey, DeviceSigner
from central import admin
from tests.central.factories import my_number, new_resident
from tests.central.signing import signed_client


def _client(central, kind="counter"):
    key = DeviceKey.generate("E2E-0001")
    with central.sessions.begin() as db:
        admin.register_device(db, key.device_id, "e2e", kind, key.public_key_raw(), actor="test",
                              loan_approved_by="kacho1" if kind == "loan" else None)
    transport = signed_client(central.app, None)._transport  # in-process ASGI, no socket
    return CentralClient("http://central.test", DeviceSigner(key), transport=transport), key


def test_login_search_and_masking_through_the_client(central):
    central.operator("clerk1", ["clerk"])
    client, _ = _client(central)
    assert client.health()["status"] == "ok"
    with pytest.raises(ApiError) as err:
        client.login("clerk1", "wrong")
    assert err.value.code == "login_failed" and "パスワード" in err.value.detail_ja
    session = client.login("clerk1", central.passwords["clerk1"])
    assert session.operator.login_id == "clerk1"
    made = new_resident(central.clerk(login_id="setup"), name_kanji="端末　確認",
                        name_kana="タンマツ　カクニン", birth_date="1970-07-07")
    result = client.search_residents("inquiry", name="端末確認", birth_date="1970-07-07")
    assert [r.id for r in result.items] == [made["resident_id"]]
    assert result.items[0].my_number == "************"
    with pytest.raises(ApiError) as err:
        client.search_residents("inquiry", name="端末確認")
    assert err.value.code == "search_needs_two_keys"
    client.logout()


def test_remote_disable_reaches_the_client(central):
    central.operator("clerk1", ["clerk"])
    central.operator("it1", ["it_admin"])
    client, key = _client(central, kind="loan")
    client.login("clerk1", central.passwords["clerk1"])
    it = central.client(login_id="it1")
    assert it.post(f"/v1/admin/devices/{key.device_id}/disable",
                   json={"reason": "紛失届"}).status_code == 200
    with pytest.raises(DeviceDisabled):
        client.search_residents("inquiry", juminhyo_code="12345678901")
    with pytest.raises(DeviceDisabled):  # the periodic signed health check notices it too
        client.health()


def test_read_resident_and_terminal_event_through_the_client(central):
    import datetime as dt

    central.operator("clerk1", ["clerk"])
    client, _ = _client(central)
    client.login("clerk1", central.passwords["clerk1"])
    made = new_resident(central.clerk(("clerk", "my_number_access"), login_id="setup"),
                        my_number=my_number())
    with pytest.raises(ApiError) as err:
        client.read_resident(made["resident_id"], None)
    assert err.value.code == "purpose_required"
    record = client.read_resident(made["resident_id"], "identity")
    assert record["id"] == made["resident_id"] and record["my_number"] == "************"
    assert [h["kind"] for h in record["history"]] == ["tennyu"]
    client.report_terminal_event("privacy_shield", "onlooker",
                                 dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.timezone.utc), 1500)
