"""The outbox against the REAL central API (SQLite and PostgreSQL), through the client's own
CentralClient and device signer, with a fault-injecting transport between them.

Faults (drawn by hypothesis): drop the request, lose the reply after the server committed,
duplicate the request, delay it (the client times out; the request reaches the server later,
after later requests: reordering). Invariants, checked by counting rows server-side:
* each command's effect happens at most once (≤ 1 register history row and ≤ 1 change-feed row
  per command id, also after every delayed request has finally arrived);
* once the network heals every command ends applied or rejected, the client's verdict equals
  the server's stored one, and applied commands reached the register in queue order;
* a rejected command never blocks the ones after it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from collections import deque

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.api_client import CentralClient
from app.device_key import DeviceKey, DeviceSigner
from app.outbox import CommandState, DrainStatus, Outbox, OutboxSender, central_sender
from app.session_cache import SessionCache, ShredReason
from central import admin
from central.models import Change, IdempotencyRecord, ResidentHistory
from central import clock  # today in JST, as the centre dates everything
from tests.central.factories import my_number, tennyu, wrong_check_digit
from tests.central.signing import signed_client

FAULTS = ("ok", "drop_request", "drop_reply", "duplicate", "delay")


class FaultyTransport(httpx.BaseTransport):
    """Wraps the in-process transport of the real app and misbehaves on a script of faults."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.faults: deque[tuple[str, int]] = deque()
        self.held: list[list] = []  # [requests still to pass before delivery, request]
        self.delivered = 0

    def _forward(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        self.delivered += 1
        return response

    def _tick(self) -> None:
        due = [h for h in self.held if h[0] <= 0]
        self.held = [h for h in self.held if h[0] > 0]
        for _, request in due:
            self._forward(request).close()  # the late arrival; nobody waits for its answer
        for h in self.held:
            h[0] -= 1

    def flush(self) -> None:
        while self.held:
            self._forward(self.held.pop(0)[1]).close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        kind, lag = self.faults.popleft() if self.faults else ("ok", 0)
        try:
            if kind == "drop_request":
                raise httpx.ConnectError("request dropped", request=request)
            if kind == "delay":
                self.held.append([lag, request])
                raise httpx.ReadTimeout("request delayed", request=request)
            response = self._forward(request)
            if kind == "drop_reply":
                response.close()
                raise httpx.ReadError("reply lost after commit", request=request)
            if kind == "duplicate":
                second = self._forward(request)
                if lag % 2:  # either copy's answer may be the one the client sees
                    response.close()
                    return second
                second.close()
            return response
        finally:
            self._tick()


@dataclasses.dataclass
class Rig:
    central: object
    client: CentralClient
    transport: FaultyTransport
    device_id: str


def _rig(central, kind: str = "counter") -> Rig:
    key = DeviceKey.generate(f"OB-{uuid.uuid4().hex[:8]}")
    with central.sessions.begin() as db:
        admin.register_device(db, key.device_id, "outbox", kind, key.public_key_raw(),
                              actor="test", loan_approved_by="kacho1" if kind == "loan" else None)
    login_id = f"ob{uuid.uuid4().hex[:6]}"
    central.operator(login_id, ["clerk"])
    transport = FaultyTransport(signed_client(central.app, None)._transport)
    client = CentralClient("http://central.test", DeviceSigner(key), transport=transport)
    client.login(login_id, central.passwords[login_id])
    return Rig(central, client, transport, key.device_id)


def _bad_command(variant: int) -> dict:
    if variant == 0:
        return tennyu(my_number=wrong_check_digit(my_number()))
    body = tennyu()
    body["idou_date"] = (clock.today() + dt.timedelta(days=30)).isoformat()  # future date
    return body


def _server_counts(central, command_id: str) -> tuple[int, int, dict | None]:
    with central.sessions() as db:
        history = db.scalar(select(func.count()).select_from(ResidentHistory)
                            .where(ResidentHistory.command_id == command_id))
        changes = db.scalar(select(func.count()).select_from(Change)
                            .where(Change.command_id == command_id))
        record = db.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == command_id))
        stored = None if record is None else {"status": record.status_code, **record.response}
    return history, changes, stored


def _history_ids(central, command_ids: list[str]) -> list[int]:
    with central.sessions() as db:
        rows = dict(db.execute(select(ResidentHistory.command_id, ResidentHistory.id)
                               .where(ResidentHistory.command_id.in_(command_ids))).all())
    return [rows[c] for c in command_ids]


def test_outbox_drains_through_the_real_api_and_rejections_do_not_block(central, tmp_path,
                                                                       keystore):
    rig = _rig(central)
    cache = SessionCache.create(tmp_path, keystore)
    box = Outbox(cache, rig.device_id)
    cmds = [box.enqueue("tennyu", tennyu()), box.enqueue("tennyu", _bad_command(0)),
            box.enqueue("tennyu", _bad_command(1)), box.enqueue("tennyu", tennyu())]
    report = OutboxSender(box, central_sender(rig.client), sleep=pytest.fail).drain()
    assert report.status is DrainStatus.DRAINED
    assert report.applied == [cmds[0].command_id, cmds[3].command_id]
    assert report.rejected == [cmds[1].command_id, cmds[2].command_id]
    review = box.review_items()
    for item in review:
        _, _, stored = _server_counts(central, item.command_id)
        assert (item.status, item.code, item.detail_ja) == (
            stored["status"], stored["code"], stored["detail_ja"])
        assert item.detail_ja and any("\u3040" <= ch <= "\u9fff" for ch in item.detail_ja)
    assert review[0].code != review[1].code  # two different logical checks
    for cmd in cmds:
        history, changes, _ = _server_counts(central, cmd.command_id)
        applied = box.get(cmd.command_id).state is CommandState.APPLIED
        assert (history, changes) == ((1, 1) if applied else (0, 0))
        assert box.result_body(cmd.command_id)  # the server's answer is kept
    cache.shred(ShredReason.LOGOUT)


def test_remote_disable_stops_the_drain_and_the_caller_shreds(central, tmp_path, keystore):
    rig = _rig(central, kind="loan")
    central.operator("it1", ["it_admin"])
    cache = SessionCache.create(tmp_path, keystore)
    box = Outbox(cache, rig.device_id)
    first = box.enqueue("tennyu", tennyu())
    assert OutboxSender(box, central_sender(rig.client)).drain().applied == [first.command_id]
    second = box.enqueue("tennyu", tennyu())
    it = central.client(login_id="it1")
    assert it.post(f"/v1/admin/devices/{rig.device_id}/disable",
                   json={"reason": "紛失届"}).status_code == 200

    report = OutboxSender(box, central_sender(rig.client), sleep=pytest.fail).drain()
    assert report.status is DrainStatus.DEVICE_DISABLED and report.error.code == "device_disabled"
    assert _server_counts(central, second.command_id)[:2] == (0, 0)
    cache.shred(ShredReason.REMOTE_DISABLE)
    assert keystore.get(cache.session_id) is None and not cache.path.exists()


_rigs: dict[int, Rig] = {}
fault_scripts = st.lists(st.tuples(st.sampled_from(FAULTS), st.integers(0, 3)), max_size=14)
command_plans = st.lists(st.sampled_from(["ok", "ok", "bad0", "bad1"]), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=command_plans, faults=fault_scripts, seed=st.integers(0, 2**32 - 1))
@example(plan=["ok", "bad0", "ok", "bad1", "ok"],  # every fault at least once, always tried
         faults=[("drop_reply", 0), ("delay", 2), ("duplicate", 1), ("drop_request", 0),
                 ("delay", 0), ("drop_reply", 0), ("duplicate", 0), ("delay", 3)], seed=7)
def test_fault_injection_at_most_once_and_never_blocked(central, tmp_path_factory, keystore,
                                                        plan, faults, seed):
    # One terminal and login per backend (argon2 is slow); every example has new command ids.
    rig = _rigs.get(id(central))
    if rig is None or rig.central is not central:
        rig = _rigs[id(central)] = _rig(central)
        central._clients.append(rig.client)  # closed by the fixture's teardown
    rig.transport.faults.clear()
    rig.transport.flush()
    cache = SessionCache.create(tmp_path_factory.mktemp("ob"), keystore)
    try:
        with central.sessions() as db:
            before = db.scalar(select(func.count()).select_from(ResidentHistory)
                               .where(ResidentHistory.device_id == rig.device_id))
        box = Outbox(cache, rig.device_id)
        cmds = [box.enqueue("tennyu", tennyu() if p == "ok" else _bad_command(int(p[-1])))
                for p in plan]
        rig.transport.faults.extend(faults)
        sleeps: list[float] = []
        sender = OutboxSender(box, central_sender(rig.client), base=0.5, cap=30.0,
                              max_failures=len(faults) + 2, clock=lambda: 0.0,
                              sleep=sleeps.append, rng=random.Random(seed))
        report = sender.drain()
        assert report.status is DrainStatus.DRAINED  # the script ends, the network heals
        assert all(0 <= d <= 30.0 for d in sleeps)

        def check() -> None:
            for p, cmd in zip(plan, cmds):
                history, changes, stored = _server_counts(central, cmd.command_id)
                assert history <= 1 and changes <= 1  # at most once, whatever arrived
                state = box.get(cmd.command_id).state
                assert state in (CommandState.APPLIED, CommandState.REJECTED)
                assert stored is not None
                if state is CommandState.APPLIED:
                    assert p == "ok" and (history, changes) == (1, 1)
                    assert stored["status"] == 201
                    assert box.result_body(cmd.command_id)["history_id"] == _history_ids(
                        central, [cmd.command_id])[0]
                else:
                    assert p != "ok" and (history, changes) == (0, 0)
                    item = next(i for i in box.review_items() if i.command_id == cmd.command_id)
                    assert (item.status, item.code) == (stored["status"], stored["code"])

        def device_total() -> int:  # every effect of this terminal, whatever key it came with
            with central.sessions() as db:
                return db.scalar(select(func.count()).select_from(ResidentHistory)
                                 .where(ResidentHistory.device_id == rig.device_id)) - before

        check()
        assert device_total() == plan.count("ok")
        rig.transport.flush()  # every delayed request finally arrives
        check()
        assert device_total() == plan.count("ok")
        applied = [c.command_id for p, c in zip(plan, cmds) if p == "ok"]
        ids = _history_ids(central, applied)
        assert ids == sorted(ids)  # FIFO: applied in queue order, rejections did not block
        assert sorted(report.applied + report.rejected) == sorted(c.command_id for c in cmds)
    finally:
        cache.shred(ShredReason.LOGOUT)


def test_crash_between_send_and_ack_is_resent_and_applied_once(central, tmp_path, keystore):
    rig = _rig(central)
    cache = SessionCache.create(tmp_path, keystore)
    box = Outbox(cache, rig.device_id)
    cmd = box.enqueue("tennyu", tennyu())
    rig.transport.faults.append(("drop_reply", 0))  # the server commits, the answer is lost…
    report = OutboxSender(box, central_sender(rig.client), max_failures=1).drain()
    assert report.status is DrainStatus.OFFLINE
    assert _server_counts(central, cmd.command_id)[:2] == (1, 1)
    cache.close()  # …and the client process dies before it learns the outcome

    reopened = SessionCache.open(tmp_path, cache.session_id, keystore)
    box = Outbox(reopened, rig.device_id)
    assert box.next().state is CommandState.SENT
    seen = []
    send = central_sender(rig.client)
    report = OutboxSender(box, lambda c: seen.append(send(c)) or seen[-1]).drain()
    assert report.applied == [cmd.command_id] and seen[0].replayed is True
    assert _server_counts(central, cmd.command_id)[:2] == (1, 1)
    assert box.result_body(cmd.command_id)["history_id"] == _history_ids(central,
                                                                          [cmd.command_id])[0]
    reopened.shred()


def test_a_reused_key_with_another_body_needs_review_and_does_not_block(central, tmp_path,
                                                                        keystore):
    rig = _rig(central)
    cache = SessionCache.create(tmp_path, keystore)
    box = Outbox(cache, rig.device_id)
    first = box.enqueue("tennyu", tennyu())
    OutboxSender(box, central_sender(rig.client)).drain()
    # A second session of the same terminal queues a different body under the applied key.
    box2 = Outbox(SessionCache.create(tmp_path / "2", keystore), rig.device_id)
    reused = box2.enqueue("tennyu", tennyu(), command_id=first.command_id)
    after = box2.enqueue("tennyu", tennyu())
    report = OutboxSender(box2, central_sender(rig.client), sleep=pytest.fail).drain()
    assert report.applied == [after.command_id] and report.rejected == [reused.command_id]
    [item] = box2.review_items()
    assert item.state is CommandState.NEEDS_REVIEW and item.code == "idempotency_key_reused"
    assert "冪等キー" in item.detail_ja
    assert _server_counts(central, first.command_id)[:2] == (1, 1)  # the first effect stands
    box2.cache.shred()
    cache.shred()


def test_a_batch_applies_in_order_stores_rejections_and_replays(central, tmp_path, keystore):
    """POST /v1/commands/batch: each command as if posted alone (same keys, same hashes)."""
    from app.outbox import central_batch_sender

    rig = _rig(central)
    cache = SessionCache.create(tmp_path, keystore)
    try:
        box = Outbox(cache, rig.device_id)
        cmds = [box.enqueue("tennyu", tennyu()), box.enqueue("tennyu", _bad_command(0)),
                box.enqueue("tennyu", tennyu())]
        rig.transport.faults.append(("drop_reply", 0))  # the batch commits, the answer is lost
        sender = OutboxSender(box, central_sender(rig.client), max_failures=3, sleep=lambda _s: None,
                              send_batch=central_batch_sender(rig.client))
        report = sender.drain()
        assert report.status is DrainStatus.DRAINED and report.transient_failures == 1
        states = [box.get(c.command_id).state for c in cmds]
        assert states == [CommandState.APPLIED, CommandState.REJECTED, CommandState.APPLIED]
        for c in cmds:
            history, changes, stored = _server_counts(central, c.command_id)
            assert history <= 1 and changes <= 1 and stored is not None
        ids = _history_ids(central, [cmds[0].command_id, cmds[2].command_id])
        assert ids == sorted(ids)
        # the same command posted alone afterwards is a replay of what the batch stored
        again = central_sender(rig.client)(box.get(cmds[0].command_id))
        assert again.outcome is CommandState.APPLIED and again.replayed
    finally:
        cache.shred(ShredReason.LOGOUT)
