"""Outbox and sender logic, fast: SQLCipher cache with the in-memory keystore, a scripted send()."""
from __future__ import annotations

import random
import time
import uuid

import pytest

from app.api_client import ApiError, CentralUnreachable, DeviceDisabled
from app.keystore import MemoryKeyStore
from app.outbox import (CommandState, DrainStatus, Outbox, OutboxSender, Result, uuid7,
                        uuid7_time_ms)
from app.session_cache import SessionCache


@pytest.fixture
def outbox(tmp_path):
    cache = SessionCache.create(tmp_path, MemoryKeyStore())
    yield Outbox(cache, "DEV-1")
    cache.shred()


class Clock:
    def __init__(self) -> None:
        self.now, self.sleeps = 1000.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Script:
    """send(): answers from a script per command id (default: applied), records the order."""

    def __init__(self, answers: dict[str, list] | None = None) -> None:
        self.answers, self.calls = answers or {}, []

    def __call__(self, cmd):
        self.calls.append(cmd.command_id)
        queue = self.answers.get(cmd.command_id)
        answer = queue.pop(0) if queue else Result.applied(201, {"n": len(self.calls)})
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_uuid7_layout_time_and_order():
    ms = int(time.time() * 1000) + 1_000_000  # ahead of any id made so far in this process
    first = uuid7(now_ms=ms + 10_000_000)
    assert first.version == 7 and first.variant == uuid.RFC_4122
    assert uuid7_time_ms(first) == ms + 10_000_000
    ids = [uuid7(now_ms=ms + 10_000_000) for _ in range(5000)]  # same millisecond, many ids
    assert ids == sorted(ids, key=lambda u: u.int) and len(set(ids)) == len(ids)
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in ids)
    later = uuid7(now_ms=ms + 20_000_000)
    assert later.int > ids[-1].int and uuid7_time_ms(later) == ms + 20_000_000
    assert str(uuid.UUID(str(later))) == str(later)
    # A clock that steps back (NTP) never makes an id sort before an earlier one.
    stepped_back = uuid7(now_ms=ms)
    assert stepped_back.int > later.int and uuid7_time_ms(stepped_back) == ms + 20_000_000


def test_enqueue_is_fifo_with_uuid7_ids_and_exact_body(outbox):
    a = outbox.enqueue("tennyu", {"b": 2, "a": "住所"})
    b = outbox.enqueue("tenkyo", {"x": 1})
    assert outbox.next() == a and a.state is CommandState.PENDING
    assert uuid.UUID(a.command_id).version == 7
    assert a.payload() == {"b": 2, "a": "住所"} and "住所".encode() in a.body
    assert [c.command_id for c in outbox.all()] == [a.command_id, b.command_id]


def test_rejections_go_to_the_review_list_and_do_not_block(outbox):
    cmds = [outbox.enqueue("tennyu", {"i": i}) for i in range(4)]
    send = Script({cmds[1].command_id: [Result.rejected(422, "my_number_check_digit",
                                                         "個人番号の検査用数字が誤っています")]})
    report = OutboxSender(outbox, send, sleep=pytest.fail).drain()
    assert report.status is DrainStatus.DRAINED
    assert send.calls == [c.command_id for c in cmds]
    assert report.applied == [cmds[0].command_id, cmds[2].command_id, cmds[3].command_id]
    assert report.rejected == [cmds[1].command_id]
    [item] = outbox.review_items()
    assert (item.command_id, item.state, item.status, item.code) == (
        cmds[1].command_id, CommandState.REJECTED, 422, "my_number_check_digit")
    assert "検査用数字" in item.detail_ja
    assert outbox.pending_count() == 0 and outbox.next() is None
    assert outbox.result_body(cmds[3].command_id) == {"n": 4}


def test_backoff_is_exponential_with_jitter_and_keeps_fifo(outbox):
    a, b = outbox.enqueue("tennyu", {"a": 1}), outbox.enqueue("tennyu", {"b": 1})
    down = [CentralUnreachable() for _ in range(5)]
    send = Script({a.command_id: list(down)})
    clock = Clock()
    sender = OutboxSender(outbox, send, base=1.0, cap=10.0, max_failures=None, clock=clock,
                          sleep=clock.sleep, rng=random.Random(42))
    report = sender.drain()
    assert report.status is DrainStatus.DRAINED and report.transient_failures == 5
    assert send.calls == [a.command_id] * 6 + [b.command_id]  # nothing overtook a
    bounds = [1.0, 2.0, 4.0, 8.0, 10.0]
    assert len(clock.sleeps) == 5
    assert all(0 <= d <= bound for d, bound in zip(clock.sleeps, bounds))
    expected_rng = random.Random(42)
    assert clock.sleeps == [expected_rng.uniform(0, bound) for bound in bounds]
    assert outbox.get(a.command_id).attempts == 6


def test_offline_gives_up_after_max_failures_and_resumes_later(outbox):
    a = outbox.enqueue("tennyu", {"a": 1})
    send = Script({a.command_id: [CentralUnreachable() for _ in range(3)]})
    clock = Clock()
    sender = OutboxSender(outbox, send, base=2.0, max_failures=3, clock=clock, sleep=clock.sleep,
                          rng=random.Random(1))
    report = sender.drain()
    assert report.status is DrainStatus.OFFLINE and len(clock.sleeps) == 2
    assert report.next_retry_at == clock.now + report.delays[-1]
    assert outbox.get(a.command_id).state is CommandState.SENT  # may have arrived: same key later
    report = sender.drain()
    assert report.status is DrainStatus.DRAINED and report.applied == [a.command_id]
    assert set(send.calls) == {a.command_id} and len(send.calls) == 4


def test_device_disabled_stops_the_drain(outbox):
    a, b = outbox.enqueue("tennyu", {"a": 1}), outbox.enqueue("tennyu", {"b": 1})
    send = Script({a.command_id: [DeviceDisabled(403, "device_disabled", detail_ja="利用停止")]})
    report = OutboxSender(outbox, send, sleep=pytest.fail).drain()
    assert report.status is DrainStatus.DEVICE_DISABLED
    assert isinstance(report.error, DeviceDisabled) and send.calls == [a.command_id]
    assert outbox.get(b.command_id).state is CommandState.PENDING


def test_session_end_stops_and_keeps_the_queue(outbox):
    a = outbox.enqueue("tennyu", {"a": 1})
    send = Script({a.command_id: [ApiError(401, "session_invalid")]})
    report = OutboxSender(outbox, send, sleep=pytest.fail).drain()
    assert report.status is DrainStatus.SESSION_ENDED
    assert outbox.get(a.command_id).state is CommandState.SENT
    assert OutboxSender(outbox, send).drain().applied == [a.command_id]


def test_unclassified_api_error_needs_review_and_does_not_block(outbox):
    a, b = outbox.enqueue("tennyu", {"a": 1}), outbox.enqueue("tennyu", {"b": 1})
    send = Script({a.command_id: [ApiError(400, "odd", detail_ja="不明な応答")]})
    report = OutboxSender(outbox, send, sleep=pytest.fail).drain()
    assert report.applied == [b.command_id]
    assert [(i.state, i.code) for i in outbox.review_items()] == [(CommandState.NEEDS_REVIEW, "odd")]


def test_a_command_sent_before_a_crash_is_resent_with_the_same_id(tmp_path):
    store = MemoryKeyStore()
    cache = SessionCache.create(tmp_path, store)
    box = Outbox(cache, "DEV-1")
    a = box.enqueue("tennyu", {"a": 1})
    box.mark_sent(a.command_id)
    cache.close()  # the process dies between send and ack

    reopened = SessionCache.open(tmp_path, cache.session_id, store)
    box = Outbox(reopened, "DEV-1")
    assert box.next().command_id == a.command_id and box.next().state is CommandState.SENT
    send = Script()
    assert OutboxSender(box, send).drain().applied == [a.command_id]
    assert send.calls == [a.command_id] and box.get(a.command_id).attempts == 2
    reopened.shred()


def test_final_states_never_change_and_other_devices_are_separate(outbox):
    a = outbox.enqueue("tennyu", {"a": 1})
    other = Outbox(outbox.cache, "DEV-2")
    o = other.enqueue("tennyu", {"o": 1})
    OutboxSender(outbox, Script()).drain()
    assert outbox.get(a.command_id).state is CommandState.APPLIED
    outbox.record(a.command_id, Result.rejected(422, "late", "遅延"))
    assert outbox.get(a.command_id).state is CommandState.APPLIED
    with pytest.raises(ValueError):
        outbox.mark_sent(a.command_id)
    assert other.next() == o and [c.command_id for c in outbox.all()] == [a.command_id]


def _client_answering(status: int, body: dict, headers: dict | None = None, seen=None):
    import httpx

    from app.api_client import CentralClient
    from app.device_key import DeviceKey, DeviceSigner

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=body, headers=headers or {})

    return CentralClient("http://central.test", DeviceSigner(DeviceKey.generate("U-1")),
                         transport=httpx.MockTransport(handler))


@pytest.mark.parametrize("status,body,expect", [
    (201, {"result": "applied"}, CommandState.APPLIED),
    (422, {"code": "my_number_check_digit", "detail_ja": "検査用数字"}, CommandState.REJECTED),
    (409, {"code": "version_conflict", "detail_ja": "更新されています"}, CommandState.REJECTED),
    (422, {"code": "idempotency_key_reused", "detail_ja": "冪等キー"}, CommandState.NEEDS_REVIEW),
])
def test_central_sender_classifies_answers(outbox, status, body, expect):
    from app.outbox import central_sender

    cmd = outbox.enqueue("tennyu", {"z": 1, "a": "住所"})
    seen: list = []
    result = central_sender(_client_answering(status, body, {"Idempotent-Replayed": "true"},
                                              seen))(cmd)
    assert result.outcome is expect and result.status == status and result.replayed is (
        expect is not CommandState.NEEDS_REVIEW)
    if expect is not CommandState.APPLIED:
        assert (result.code, result.detail_ja) == (body["code"], body["detail_ja"])
    [request] = seen
    assert request.headers["Idempotency-Key"] == cmd.command_id
    assert request.content == cmd.body and request.headers["X-Device-Signature"]


@pytest.mark.parametrize("status,code,raised", [
    (503, "unavailable", CentralUnreachable), (429, "slow_down", CentralUnreachable),
    (403, "device_disabled", DeviceDisabled), (401, "session_invalid", ApiError)])
def test_central_sender_raises_for_transient_disabled_and_session_end(outbox, status, code,
                                                                      raised):
    from app.outbox import central_sender

    cmd = outbox.enqueue("tennyu", {"a": 1})
    with pytest.raises(raised) as err:
        central_sender(_client_answering(status, {"code": code, "detail_ja": "x"}))(cmd)
    if raised is ApiError:
        assert err.value.ends_session
