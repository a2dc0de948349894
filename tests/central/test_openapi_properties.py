"""Property tests over every operation of the OpenAPI description (schemathesis), on SQLite and
PostgreSQL (#21 "must show"), as three callers: an operator holding every right but
特定個人情報アクセス権限 (``my_number_access``), a registered device without a session, and an
outsider who signs nothing. For valid and for invalid requests (positive and negative
generation), on a register whose residents have My Numbers:

* no response is a 5xx, and every refusal is an RFC 9457 problem with Japanese text;
* nothing is logged at ERROR and no traceback reaches the log (logging captured for the run);
* no body holds a 12-digit number (a My Number, the operator lacking the right) nor any of
  the register's My Numbers.

Bounded: a few examples per operation and caller, derandomized (the same examples every run).
"""
from __future__ import annotations

import logging
import re
import time

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from central.rights import ALL_RIGHTS, MY_NUMBER_ACCESS
from tests.central.factories import new_resident

# Operations that would end the test's own session or rights; covered by test_api.py instead.
_EXCLUDED = {("DELETE", "/v1/sessions/current"), ("POST", "/v1/admin/rollover"),
             ("POST", "/v1/admin/rights/{grant_id}/revoke"),
             ("POST", "/v1/admin/devices/{device_id}/disable"),
             ("POST", "/v1/sessions/current/password")}
# examples per operation: (caller, generation mode) -> count
_BUDGET = {("operator", GenerationMode.POSITIVE): 12, ("operator", GenerationMode.NEGATIVE): 8,
           ("device", GenerationMode.POSITIVE): 3, ("device", GenerationMode.NEGATIVE): 3,
           ("outsider", GenerationMode.POSITIVE): 2, ("outsider", GenerationMode.NEGATIVE): 3}
# Raw bodies every operation gets from every caller besides the generated ones (#21 class 1).
_HOSTILE = (b"[" * 100_000 + b'"\\u0041"', b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
            b'{"login_id": "\xff\xfe"}', b'{"x": "\\udc00"}',
            b'{"my_number": 123456789012}')
_STANDALONE_12 = re.compile(r"(?<![0-9A-Za-z-])\d{12}(?![0-9A-Za-z-])")


def _send(client, case):
    kw = case.as_transport_kwargs(base_url="http://central.test")
    headers = {k: v for k, v in (kw.get("headers") or {}).items()
               if k.lower() not in ("authorization", "content-length")}
    send = {"params": kw.get("params"), "headers": headers}
    if "json" in kw:
        send["json"] = kw["json"]
    elif kw.get("data") is not None or kw.get("content") is not None:
        send["content"] = kw.get("content", kw.get("data"))
    return client.request(kw["method"], kw["url"], **send)


def _check(r, where: tuple[str, str], my_numbers: set[str]) -> None:
    assert r.status_code < 500, (where, r.text[:500])
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json"), (where, r.text)
        body = r.json()
        assert body["code"] and body["detail_ja"] and body["title_ja"], (where, body)
    text = r.text
    assert not _STANDALONE_12.search(text), (where, text[:500])
    assert not any(n in text for n in my_numbers), (where, text[:500])


def _concrete(path: str, resident_id: int) -> str:
    return re.sub(r"\{[a-z_]+\}", lambda m: str(resident_id) if m.group() == "{resident_id}"
                  else "face" if m.group() == "{provider}" else "1", path)


def _no_errors_logged(caplog) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info
           or "Traceback" in r.getMessage()]
    assert not bad, [(r.name, r.getMessage()[:300]) for r in bad]


@pytest.fixture
def register(central):
    """A register with My Numbers, and the ids of some of its residents."""
    households = central.seed(30)
    my_numbers = {p.my_number for h in households for p in h.members if p.my_number}
    assert len(my_numbers) >= 20
    central.operator("fuzz_admin", list(ALL_RIGHTS))
    admin = central.client(login_id="fuzz_admin")
    made = [new_resident(admin) for _ in range(2)]
    return my_numbers, [m["resident_id"] for m in made]


def test_no_server_errors_no_tracebacks_no_my_numbers(central, register, caplog):
    my_numbers, resident_ids = register
    caplog.set_level(logging.WARNING)
    central.operator("fuzz", [r for r in ALL_RIGHTS if r != MY_NUMBER_ACCESS])
    outsider = TestClient(central.app, base_url="http://central.test")
    central._clients.append(outsider)
    callers = {"operator": central.client(login_id="fuzz"), "device": central.client(),
               "outsider": outsider}
    # the operator's own reads of people with My Numbers: masked (the check below holds)
    r = callers["operator"].get(f"/v1/residents/{resident_ids[0]}", params={"purpose": "inquiry"})
    assert r.status_code == 200 and r.json()["my_number_disclosed"] is False, r.text

    schema = schemathesis.openapi.from_asgi("/openapi.json", central.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    started, sent, checked = time.perf_counter(), [0], 0
    for op in operations:
        if (op.method.upper(), op.path) in _EXCLUDED:
            continue
        pinned = {"resident_id": resident_ids[0]} if "{resident_id}" in op.path else None
        for (who, mode), count in _BUDGET.items():
            client = callers[who]
            strategy = op.as_strategy(generation_mode=mode)
            if pinned and mode is GenerationMode.POSITIVE:
                strategy = strategy | op.as_strategy(path_parameters=pinned)

            @given(case=strategy)
            @settings(max_examples=count, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            def run(case):
                _check(_send(client, case), (case.method, case.path), my_numbers)
                sent[0] += 1

            try:
                run()
            except Unsatisfiable:
                # nothing of this operation can be made invalid (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE, (op.method, op.path)
        checked += 1
        for who, client in callers.items():
            for body in _HOSTILE:
                url = _concrete(op.path, resident_ids[0])
                r = client.request(op.method.upper(), url, content=body,
                                   headers={"Content-Type": "application/json"})
                _check(r, (op.method.upper(), op.path), my_numbers)
                sent[0] += 1
    assert checked >= 40  # every operation but the excluded ones was exercised
    assert sent[0] >= 300
    _no_errors_logged(caplog)
    print(f"\n{central.dialect}: {sent[0]} requests over {checked} operations in "
          f"{time.perf_counter() - started:.1f} s")
