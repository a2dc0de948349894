"""CentralClient + DeviceSigner against a real HTTP server that checks signatures on its own.

The fake central (tests/fakes/fake_central) reimplements the signature check
independently, so a drift in either implementation fails here.
"""

import io
import sys
from pathlib import Path

import pytest

from app.api_client import ApiError, CentralClient
from app.device_key import DeviceKey, DeviceSigner
from app.embedded_central import EmbeddedCentral

FAKE_CLI = Path(__file__).resolve().parents[1] / "fakes" / "fake_central" / "central" / "cli.py"


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fake-central")

    def command(data_dir, ready_file):
        return [sys.executable, str(FAKE_CLI), "demo", "--data-dir", str(data_dir), "--ready-file", str(ready_file)]

    embedded = EmbeddedCentral(data_dir, command=command)
    info = embedded.start(timeout=60, progress=io.StringIO())
    yield info
    embedded.stop()


@pytest.fixture
def client(central):
    key = DeviceKey.load(central.device_key_file, central.device_id)
    with CentralClient(central.url, DeviceSigner(key), timeout=5) as client:
        yield client


def test_signed_round_trip(client, central):
    assert client.health()["status"] == "ok"
    op = central.demo_operators[0]
    session = client.login(op["login_id"], op["password"])
    assert session.operator.display_name == "窓口 花子"
    result = client.search_residents("idou", name="山田 太郎", birth_date="１９８０年４月１日")
    assert result.count == 1
    assert result.items[0].my_number == "************"
    with pytest.raises(ApiError) as info:
        client.search_residents("idou", name="山田")
    assert info.value.code == "search_needs_two_keys"
    assert info.value.detail_ja == "検索条件を2つ以上入力してください"
    client.logout()
    assert client.session is None


def test_wrong_key_is_refused(central):
    client = CentralClient(central.url, DeviceSigner(DeviceKey.generate(central.device_id)), timeout=5)
    with pytest.raises(ApiError) as info:
        client.health()
    assert info.value.status == 401
    assert info.value.code == "device_signature_invalid"


def test_wrong_password(client):
    with pytest.raises(ApiError) as info:
        client.login("clerk01", "nope")
    assert info.value.code == "login_failed"
    assert info.value.detail_ja
