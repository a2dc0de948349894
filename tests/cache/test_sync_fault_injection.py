"""Sync under faults, as a hypothesis state machine (SYNC-*, architecture §4): the client's outbox
and change-feed puller against the REAL central API (SQLite and PostgreSQL) through a transport that
drops requests, loses replies after commit, duplicates and delays (reorders) them, while another
terminal writes too, and the client crashes between send and ack (the cache is closed without a
shred and reopened with its key from the real Secret Service).

Checked after every step:
* every command's effect happens at most once (register history and change-feed rows per id);
* the feed cursor never moves back, and never skips: the client's projection equals the server's
  projection of every change up to the client's cursor.
Checked when the network heals (end of each run): every command ends applied or rejected, the
client's verdict equals the one the server stored, and the client converges to the server's
projection. The runs add up to at least 5,000 steps per backend, so a CI run (SQLite and
PostgreSQL) takes more than 10,000.
"""
from __future__ import annotations

import random
import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import func, select

from app.api_client import CentralUnreachable
from app.outbox import (CommandState, DrainStatus, Outbox, OutboxSender, central_batch_sender,
                        central_sender)
from app.puller import ChangePuller, Page
from app.session_cache import SessionCache, ShredReason
from central.models import Change, IdempotencyRecord, ResidentHistory
from tests.cache.test_outbox_central import FaultyTransport, _bad_command, _rig
from tests.central.factories import tennyu

MIN_STEPS = 5_000  # per backend; CI runs both
EXAMPLES = 110
STEPS_PER_EXAMPLE = 60
FAULT = st.sampled_from(("ok", "ok", "drop_request", "drop_reply", "duplicate", "delay"))


def server_projection(central, base: int, upto: int | None = None) -> dict[tuple[str, str], int]:
    """The latest version of every entity changed after ``base`` (up to ``upto``)."""
    with central.sessions() as db:
        q = select(Change.entity, Change.entity_id, func.max(Change.version)).where(
            Change.seq > base).group_by(Change.entity, Change.entity_id)
        if upto is not None:
            q = q.where(Change.seq <= upto)
        return {(e, str(i)): v for e, i, v in db.execute(q).all()}


def duplicated_effects(central, command_ids: list[str]) -> list:
    """Command ids with more than one register-history or change-feed row."""
    if not command_ids:
        return []
    with central.sessions() as db:
        history = db.execute(select(ResidentHistory.command_id).where(
            ResidentHistory.command_id.in_(command_ids)).group_by(ResidentHistory.command_id)
            .having(func.count() > 1)).all()
        changes = db.execute(select(Change.command_id).where(Change.command_id.in_(command_ids))
                             .group_by(Change.command_id).having(func.count() > 1)).all()
    return history + changes


def test_sync_state_machine_under_faults(central, keystore, tmp_path_factory):
    rig = _rig(central)
    other = central.clerk()  # another terminal writing at the same time
    central._clients.append(rig.client)
    steps = {"n": 0, "runs": 0}

    class Sync(RuleBasedStateMachine):
        @initialize()
        def start(self):
            rig.transport.faults.clear()
            rig.transport.flush()
            self.dir = tmp_path_factory.mktemp("sync")
            self.cache = SessionCache.create(self.dir, keystore)
            self._wire()
            self.base = self.puller.start_at_head()  # a session follows the feed from its start
            self.plan: dict[str, bool] = {}  # command id -> expected to apply
            self.last_cursor = self.base
            self.old_pages: list[Page] = []
            steps["runs"] += 1

        def _wire(self):
            self.box = Outbox(self.cache, rig.device_id)
            # the path the terminal uses: batches of up to 4 (so a run has several)
            self.sender = OutboxSender(self.box, central_sender(rig.client), max_failures=1,
                                       sleep=lambda _s: None, rng=random.Random(0),
                                       send_batch=central_batch_sender(rig.client), batch_size=4)
            self.puller = ChangePuller(self.cache, rig.client.changes, page_size=7)

        def _step(self):
            steps["n"] += 1

        @rule(good=st.booleans(), variant=st.integers(0, 1))
        def enqueue(self, good, variant):
            self._step()
            cmd = self.box.enqueue("tennyu", tennyu() if good else _bad_command(variant))
            self.plan[cmd.command_id] = good

        @rule(fault=FAULT, lag=st.integers(0, 3))
        def send(self, fault, lag):
            self._step()
            rig.transport.faults.append((fault, lag))
            report = self.sender.drain()
            assert report.status in (DrainStatus.DRAINED, DrainStatus.OFFLINE)

        @rule(fault=FAULT, lag=st.integers(0, 3))
        def pull(self, fault, lag):
            self._step()
            rig.transport.faults.append((fault, lag))
            try:
                page = self.puller.pull_once()
            except CentralUnreachable:
                return
            self.old_pages.append(page)
            del self.old_pages[:-20]

        @precondition(lambda self: self.old_pages)
        @rule(data=st.data())
        def late_page(self, data):
            """A reply to an earlier request arrives late (reordered or duplicated)."""
            self._step()
            page = data.draw(st.sampled_from(self.old_pages))
            self.puller.apply(page)

        @rule()
        def other_terminal_writes(self):
            self._step()
            r = other.post("/v1/commands/idou", json=tennyu(),
                           headers={"Idempotency-Key": str(uuid.uuid4())})
            assert r.status_code == 201, r.text

        @rule()
        def crash(self):
            """The client dies between send and ack; it restarts with the same cache and key."""
            self._step()
            sid = self.cache.session_id
            self.cache.close()
            self.cache = SessionCache.open(self.dir, sid, keystore)
            self._wire()

        @invariant()
        def at_most_once_and_cursor_never_skips(self):
            assert duplicated_effects(central, list(self.plan)) == []
            cursor = self.puller.cursor()
            assert cursor >= self.last_cursor
            self.last_cursor = cursor
            assert self.puller.base() == self.base
            assert self.puller.versions() == server_projection(central, self.base, cursor)

        def teardown(self):
            try:
                rig.transport.faults.clear()
                rig.transport.flush()  # every delayed request arrives; the network heals
                assert self.sender.drain().status is DrainStatus.DRAINED
                for command_id, good in self.plan.items():
                    cmd = self.box.get(command_id)
                    with central.sessions() as db:
                        stored = db.scalar(select(IdempotencyRecord).where(
                            IdempotencyRecord.key == command_id))
                    assert stored is not None
                    if good:
                        assert cmd.state is CommandState.APPLIED and stored.status_code == 201
                    else:
                        assert cmd.state is CommandState.REJECTED
                        item = next(i for i in self.box.review_items()
                                    if i.command_id == command_id)
                        assert (item.status, item.code) == (stored.status_code,
                                                            stored.response["code"])
                self.puller.pull_all()
                assert self.puller.versions() == server_projection(central, self.base)
            finally:
                self.cache.shred(ShredReason.LOGOUT)

    run_state_machine_as_test(Sync, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS_PER_EXAMPLE, deadline=None,
        derandomize=True, suppress_health_check=list(HealthCheck)))
    assert steps["n"] >= MIN_STEPS, steps
