import datetime as dt
import json

import httpx
import pytest

from app.api_client import ApiError, CentralClient, CentralUnreachable, DeviceDisabled, parse_timestamp
from app.device_key import DeviceKey, DeviceSigner

PROBLEM = "application/problem+json"

SESSION_BODY = {
    "token": "tok-123",
    "expires_at": "2026-11-22T18:00:00+09:00",
    "operator": {"login_id": "clerk01", "display_name": "窓口 一郎"},
    "rights": [{"right": "clerk", "valid_until": "2027-03-31"}],
    "policy": {"idle_lock_minutes": 5, "max_session_minutes": 480},
    "pending_factors": [],
}

RESIDENT = {
    "id": 7,
    "juminhyo_code": "12345678901",
    "name_kanji": "山田 太郎",
    "name_kana": "ヤマダ タロウ",
    "birth_date": "1980-04-01",
    "sex": "male",
    "address": "架空県見本市1-2-3",
    "katagaki": None,
    "status": "current",
    "my_number": "************",
    "my_number_disclosed": False,
    "support_measure": True,
    "version": 3,
}


def problem(status, code, detail_ja, field=None):
    body = {
        "type": f"https://madoguchi.invalid/problems/{code}",
        "title": code.replace("_", " ").title(),
        "status": status,
        "detail": f"English detail for {code}",
        "code": code,
        "title_ja": "タイトル",
        "detail_ja": detail_ja,
    }
    if field:
        body["field"] = field
    return httpx.Response(status, content=json.dumps(body).encode(), headers={"Content-Type": PROBLEM})


def make_client(handler):
    signer = DeviceSigner(DeviceKey.generate("T-1"))
    return CentralClient("http://central.test", signer, transport=httpx.MockTransport(handler))


def test_health_is_signed():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"status": "ok", "version": "1.0"})

    assert make_client(handler).health() == {"status": "ok", "version": "1.0"}
    assert seen[0].url.path == "/v1/health"
    assert seen[0].headers["X-Device-Id"] == "T-1"
    assert "X-Device-Signature" in seen[0].headers
    assert "Authorization" not in seen[0].headers


def test_problem_json_becomes_api_error_with_japanese_fields():
    client = make_client(
        lambda request: problem(422, "search_needs_two_keys", "検索条件を2つ以上入力してください", field="name")
    )
    with pytest.raises(ApiError) as info:
        client.search_residents("idou", name="山田")
    err = info.value
    assert type(err) is ApiError
    assert err.status == 422
    assert err.code == "search_needs_two_keys"
    assert err.detail_ja == "検索条件を2つ以上入力してください"
    assert err.title_ja == "タイトル"
    assert err.detail == "English detail for search_needs_two_keys"
    assert err.field == "name"


def test_non_json_error_is_still_an_api_error():
    client = make_client(lambda request: httpx.Response(502, text="<html>Bad gateway</html>"))
    with pytest.raises(ApiError) as info:
        client.health()
    assert info.value.status == 502
    assert info.value.code == "invalid_response"


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow")],
)
def test_network_failures_become_central_unreachable(exc):
    def handler(request):
        raise exc

    with pytest.raises(CentralUnreachable) as info:
        make_client(handler).health()
    assert str(info.value) == "中央サーバーに接続できません"


def test_connect_error_against_a_closed_port():
    signer = DeviceSigner(DeviceKey.generate("T-1"))
    client = CentralClient("http://127.0.0.1:9", signer, timeout=2)
    with pytest.raises(CentralUnreachable):
        client.health()


def test_device_disabled_is_its_own_error():
    client = make_client(lambda request: problem(403, "device_disabled", "この端末は利用停止されています"))
    with pytest.raises(DeviceDisabled) as info:
        client.health()
    assert isinstance(info.value, ApiError)
    assert info.value.detail_ja == "この端末は利用停止されています"


def test_login_stores_the_bearer_token_and_later_calls_send_it():
    seen = []

    def handler(request):
        seen.append(request)
        if request.method == "POST" and request.url.path == "/v1/sessions":
            assert json.loads(request.content) == {"login_id": "clerk01", "password": "secret"}
            return httpx.Response(201, json=SESSION_BODY)
        if request.url.path == "/v1/residents":
            return httpx.Response(200, json={"items": [RESIDENT], "count": 1})
        if request.method == "DELETE":
            return httpx.Response(204)
        if request.url.path == "/v1/health":
            return httpx.Response(200, json={"status": "ok", "version": "1"})
        return httpx.Response(404)

    client = make_client(handler)
    session = client.login("clerk01", "secret")
    assert session.operator.display_name == "窓口 一郎"
    assert session.policy.idle_lock_minutes == 5
    assert session.rights[0].right == "clerk"
    assert session.has_right("clerk")
    assert "tok-123" not in repr(session)
    assert "Authorization" not in seen[0].headers

    result = client.search_residents("idou", juminhyo_code="１２３４５６７８９０１", name=" 山田 ")
    assert seen[1].headers["Authorization"] == "Bearer tok-123"
    assert dict(seen[1].url.params) == {"purpose": "idou", "juminhyo_code": "12345678901", "name": "山田"}
    assert result.count == 1
    resident = result.items[0]
    assert resident.my_number == "************"
    assert resident.support_measure
    assert "my_number=" not in repr(resident)

    client.logout()
    assert seen[2].method == "DELETE"
    assert seen[2].url.path == "/v1/sessions/current"
    assert seen[2].headers["Authorization"] == "Bearer tok-123"
    assert client.session is None
    client.health()
    assert "Authorization" not in seen[3].headers


def test_logout_forgets_the_token_even_when_the_server_is_unreachable():
    state = {"up": True}

    def handler(request):
        if not state["up"]:
            raise httpx.ConnectError("down")
        return httpx.Response(201, json=SESSION_BODY)

    client = make_client(handler)
    client.login("clerk01", "secret")
    state["up"] = False
    with pytest.raises(CentralUnreachable):
        client.logout()
    assert client.session is None


def test_wrong_password():
    client = make_client(lambda request: problem(401, "login_failed", "職員IDまたはパスワードが違います"))
    with pytest.raises(ApiError) as info:
        client.login("clerk01", "wrong")
    assert info.value.code == "login_failed"
    assert client.session is None


def test_search_sends_purpose_note_and_drops_empty_keys():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"items": [], "count": 0})

    result = make_client(handler).search_residents(
        "other", purpose_note=" 弁護士照会 ", name="山田", address="", birth_date="1980/4/1"
    )
    assert dict(seen[0].url.params) == {
        "purpose": "other",
        "purpose_note": "弁護士照会",
        "name": "山田",
        "birth_date": "1980-04-01",
    }
    assert result.items == ()


def test_search_without_purpose_leaves_it_to_the_server():
    client = make_client(lambda request: problem(422, "purpose_required", "利用目的を選択してください"))
    with pytest.raises(ApiError) as info:
        client.search_residents(None, name="山田", address="見本市")
    assert info.value.code == "purpose_required"


def test_unknown_search_key_is_a_programming_error():
    with pytest.raises(TypeError):
        make_client(lambda r: httpx.Response(200)).search_residents("idou", surname="山田")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-22T09:00:00Z", dt.datetime(2026, 11, 22, 9, tzinfo=dt.timezone.utc)),
        ("2026-11-22T09:00:00+00:00Z", dt.datetime(2026, 11, 22, 9, tzinfo=dt.timezone.utc)),
        ("2026-11-22T18:00:00+09:00", dt.datetime(2026, 11, 22, 9, tzinfo=dt.timezone.utc)),
        ("2026-11-22T09:00:00.123456Z", dt.datetime(2026, 11, 22, 9, 0, 0, 123456, tzinfo=dt.timezone.utc)),
        ("not a date", None),
        (None, None),
    ],
)
def test_parse_timestamp(text, expected):
    assert parse_timestamp(text) == expected
