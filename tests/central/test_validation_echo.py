"""Validation problems never echo what was sent (#21 class 10): a My Number sent as a JSON number,
an over-long one, a name or a birth date that fails validation comes back as the field's location
and a message, never as the value (pydantic's ``input``/``input_value``/``ctx``), whether the
command is posted alone, queued in a batch, or entered for 審査; likewise for a query."""
from __future__ import annotations

import json
import re
import uuid

import pytest

from tests.central.factories import my_number, tennyu

NAME = "漏洩　花子"
KANA = "ロウエイ　ハナコ"
DIGITS = re.compile(r"\d{12}")


def _bad_commands(number: str) -> list[dict]:
    """Commands that fail validation, each carrying personal values."""
    out = []
    as_int = tennyu(name_kanji=NAME, name_kana=KANA)
    as_int["person"]["my_number"] = int(number)  # a JSON number, not a string
    out.append(as_int)
    too_long = tennyu(name_kanji=NAME, name_kana=KANA, my_number=number * 2)  # 24 digits
    out.append(too_long)
    bad_birth = tennyu(name_kanji=NAME, name_kana=KANA, my_number=number,
                       birth_date=f"{number}-01-01")
    out.append(bad_birth)
    long_name = tennyu(name_kanji=NAME * 40, name_kana=KANA, my_number=number)
    out.append(long_name)
    name_as_number = tennyu(name_kanji=int(number), name_kana=KANA, my_number=number)
    out.append(name_as_number)
    extra_key = tennyu(name_kanji=NAME, name_kana=KANA, my_number=number)
    extra_key["person"][number] = NAME  # an unknown field named by the number itself
    out.append(extra_key)
    wrong_kind = tennyu(name_kanji=NAME, my_number=number)
    wrong_kind["kind"] = number  # the discriminator's message would quote the tag
    out.append(wrong_kind)
    bad_date = tennyu(name_kanji=NAME, my_number=number)
    bad_date["idou_date"] = f"20x{number}"
    out.append(bad_date)
    return out


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _assert_no_echo(text: str, number: str) -> None:
    text = UUID.sub("<key>", text)  # a batch's keys are echoed; one may end in 12 digits
    assert number not in text and not DIGITS.search(text), text
    for personal in (NAME, KANA, NAME.split("　")[0], "漏洩", '"input"', "input_value", '"ctx"'):
        assert personal not in text, (personal, text)


@pytest.fixture
def clerk(central):
    return central.clerk(rights=("clerk",))  # no my_number_access


def test_single_command_problems_echo_no_values(central, clerk):
    number = my_number()
    for cmd in _bad_commands(number):
        r = clerk.post("/v1/commands/idou", json=cmd,
                       headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["code"] == "invalid_request" and body["errors"], body
        assert all(e["field"] and e["message"] for e in body["errors"])
        _assert_no_echo(r.text, number)


def test_case_entry_problems_echo_no_values(central, clerk):
    number = my_number()
    for cmd in _bad_commands(number):
        r = clerk.post("/v1/cases/idou", json=cmd,
                       headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code in (403, 422), r.text
        _assert_no_echo(r.text, number)


def test_batch_problems_echo_no_values(central, clerk):
    number = my_number()
    cmds = _bad_commands(number)
    r = clerk.post("/v1/commands/batch", json={"commands": [
        {"key": str(uuid.uuid4()), "path": "/v1/commands/idou",
         "body": json.dumps(c, ensure_ascii=False)} for c in cmds]})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert len(results) == len(cmds)
    for item in results:
        assert item["status"] == 422 and item["body"]["code"] == "invalid_request", item
        assert item["body"]["errors"] and item["body"]["field"], item
    _assert_no_echo(r.text, number)


def test_batch_envelope_problems_echo_no_values(central, clerk):
    number = my_number()
    r = clerk.post("/v1/commands/batch", json={"commands": [
        {"key": int(number), "path": f"/v1/{number}", "body": int(number), number: NAME}]})
    assert r.status_code == 422, r.text
    _assert_no_echo(r.text, number)


def test_query_problems_echo_no_values(central, clerk):
    number = my_number()
    for params in ({"my_number": number * 2, "purpose": "inquiry"},
                   {"name": NAME * 50, "birth_date": "1950-01-01", "purpose": "inquiry"},
                   {"name": NAME, "birth_date": f"{number}", "purpose": "inquiry"},
                   {"juminhyo_code": number * 2, "purpose": "inquiry"}):
        r = clerk.get("/v1/residents", params=params)
        assert r.status_code == 422, r.text
        _assert_no_echo(r.text, number)


def test_login_problems_echo_no_values(central):
    number = my_number()
    client = central.client()
    for body in ({"login_id": int(number), "password": NAME},
                 {"login_id": number * 5, "password": NAME},
                 {"login_id": "x", "password": NAME, number: NAME}):
        r = client.post("/v1/sessions", json=body)
        assert r.status_code == 422, r.text
        _assert_no_echo(r.text, number)
