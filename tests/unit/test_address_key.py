"""DQ-7 (#21 class 7): the structure of an address and when it narrows a search; the client
refuses a non-narrowing address key with the server's words, before any request."""
import httpx
import pytest

from app.api_client import ApiError, CentralClient
from app.device_key import DeviceKey, DeviceSigner
from app.residents import address_key_refusal
from japan.address import narrows_search, normalise_address, split_address


@pytest.mark.parametrize("address", [
    "架空県", "架空県さくら市", "さくら市", "架", "県", "架空県　さくら市", " 架空県 さくら市 ",
    "ｶｸｳ県さくら市", "架空県さくら市大字", "架空県さくら市桜", "架空県さくら市１", "桜町一丁目",
    "", "東京都", "東京都千代田区", "神奈川県横浜市中区", "架空県もみじ郡あさひ町",
])
def test_broad_addresses_do_not_narrow(address):
    assert not narrows_search(address)


@pytest.mark.parametrize("address", [
    "架空県さくら市桜町", "架空県さくら市桜町一丁目2番3号", "架空県　さくら市　桜町",
    "架空県さくら市大字東原", "東京都千代田区千代田1", "神奈川県横浜市中区本町",
    "架空県もみじ郡あさひ町本町", "架空県さくら市若葉台３丁目",
])
def test_town_level_addresses_narrow(address):
    assert narrows_search(address)


def test_parts_and_normal_form():
    assert split_address("架空県 さくら市 桜町２丁目３番") == (
        split_address("架空県さくら市桜町二丁目3番"))
    p = split_address("神奈川県横浜市中区本町1番")
    assert (p.prefecture, p.municipality, p.rest) == ("神奈川県", "横浜市中区", "本町1番")
    assert normalise_address("桜町１２丁目") == "桜町十二丁目"


def test_client_refuses_a_broad_address_before_sending():
    sent = []
    key = DeviceKey.generate("T-1")
    client = CentralClient("http://central.test", DeviceSigner(key), transport=httpx.MockTransport(
        lambda r: sent.append(r) or httpx.Response(200, json={"items": [], "count": 0})))
    with pytest.raises(ApiError) as info:
        client.search_residents("inquiry", name="山田太郎", address="架空県さくら市")
    assert (info.value.code, info.value.field) == ("search_needs_two_keys", "address")
    assert "町字" in info.value.detail_ja and "narrow" in info.value.detail
    assert sent == []
    client.search_residents("inquiry", name="山田太郎", address="架空県さくら市桜町")
    client.search_residents("inquiry", name="山田太郎", address="架空県", birth_date="1980-01-01")
    assert len(sent) == 2
    # without a purpose the server answers first (purpose_required), as it orders its checks
    assert address_key_refusal({"name": "山田", "address": "県"}) is None
