"""Sync outbox (送信待ちキュー) in the encrypted session cache (SYNC-1/2/3, architecture §4).

The client sends intent-level commands; the server decides. Each command gets a UUIDv7 id that
is also its ``Idempotency-Key``; commands leave FIFO per device. States::

    pending ──► sent ──► applied
                    ├──► rejected       (the server's code + Japanese reason: 要確認)
                    └──► needs_review   (an answer that needs a person, e.g. key reused)

``sent`` is written *before* the request goes out, so after a crash between send and ack the
command is sent again with the same key and the server replays its stored result: the effect
happens at most once and nothing is lost.

``OutboxSender.drain()`` sends through a callable ``send(command) -> Result``:

* ``CentralUnreachable`` → exponential backoff with full jitter (injectable clock, sleep and
  random), then the same command again (FIFO: nothing overtakes it);
* a rejection is recorded with the server's ``code`` and ``detail_ja`` in the 要確認 list and the
  queue moves on (SYNC-3);
* ``DeviceDisabled`` → stop and report; the caller then shreds the cache (DEV-3);
* an ended login (``ApiError.ends_session``) → stop and report; the commands stay queued.

``central_sender(client)`` adapts ``app.api_client.CentralClient`` to ``send``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from app.api_client import ApiError, CentralClient, CentralUnreachable, DeviceDisabled
from app.device_key import is_replay_refusal
from app.session_cache import SessionCache, outbox_table

IDOU_PATH = "/v1/commands/idou"

# --- UUIDv7 (RFC 9562 §5.7), stdlib only ------------------------------------------------------

_uuid7_lock = threading.Lock()
_uuid7_last = [0, 0]  # last unix ms, last 12-bit counter


def uuid7(now_ms: int | None = None, randbytes: Callable[[int], bytes] = os.urandom) -> uuid.UUID:
    """A UUIDv7: 48-bit Unix milliseconds, version 7, 12-bit rand_a, variant, 62 random bits.

    Monotonic within the process: in the same (or an earlier) millisecond rand_a counts up
    from the last value, so ids sort in creation order.
    """
    ms = int(time.time() * 1000) if now_ms is None else int(now_ms)
    rand = int.from_bytes(randbytes(10), "big")
    with _uuid7_lock:
        last_ms, last_counter = _uuid7_last
        if ms <= last_ms:
            ms, counter = last_ms, last_counter + 1
            if counter > 0xFFF:
                ms, counter = ms + 1, 0
        else:
            counter = (rand >> 64) & 0x7FF  # random start, leaving headroom to count up
        _uuid7_last[:] = [ms, counter]
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def uuid7_time_ms(value: uuid.UUID) -> int:
    return value.int >> 80


# --- states, commands, results ----------------------------------------------------------------


class CommandState(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    APPLIED = "applied"
    REJECTED = "rejected"
    NEEDS_REVIEW = "needs_review"


FINAL_STATES = frozenset({CommandState.APPLIED, CommandState.REJECTED, CommandState.NEEDS_REVIEW})


@dataclass(frozen=True)
class Command:
    """A queued command. ``body`` is the exact JSON bytes sent on every attempt."""

    seq: int
    command_id: str
    device_id: str
    kind: str
    path: str
    body: bytes = field(repr=False)
    state: CommandState
    attempts: int

    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass(frozen=True)
class Result:
    """The server's verdict on a command (``outcome`` is a final state)."""

    outcome: CommandState
    status: int
    body: dict[str, Any] = field(default_factory=dict, repr=False)
    code: str | None = None
    detail_ja: str | None = None
    replayed: bool = False

    @classmethod
    def applied(cls, status: int, body: dict[str, Any], replayed: bool = False) -> Result:
        return cls(CommandState.APPLIED, status, body, replayed=replayed)

    @classmethod
    def rejected(cls, status: int, code: str, detail_ja: str, body: dict[str, Any] | None = None,
                 replayed: bool = False) -> Result:
        return cls(CommandState.REJECTED, status, body or {}, code, detail_ja, replayed)

    @classmethod
    def needs_review(cls, status: int, code: str, detail_ja: str,
                     body: dict[str, Any] | None = None) -> Result:
        return cls(CommandState.NEEDS_REVIEW, status, body or {}, code, detail_ja)


@dataclass(frozen=True)
class ReviewItem:
    """One entry of the 要確認 list: a command the server did not apply, with its reason."""

    command_id: str
    kind: str
    state: CommandState
    status: int | None
    code: str | None
    detail_ja: str | None


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


class Outbox:
    """The outbox table of one session cache, for one device."""

    def __init__(self, cache: SessionCache, device_id: str) -> None:
        self.cache = cache
        self.device_id = device_id

    @staticmethod
    def _command(row: Any) -> Command:
        return Command(row.seq, row.command_id, row.device_id, row.kind, row.path,
                       row.body.encode(), CommandState(row.state), row.attempts)

    def enqueue(self, kind: str, body: dict[str, Any], *, path: str = IDOU_PATH,
                command_id: uuid.UUID | str | None = None) -> Command:
        """Queue a command (state pending) with a new UUIDv7 id unless one is given."""
        cid = str(uuid.UUID(str(command_id))) if command_id is not None else str(uuid7())
        now = _now_iso()
        with self.cache.begin() as c:
            c.execute(outbox_table.insert(), {
                "command_id": cid, "device_id": self.device_id, "kind": kind, "path": path,
                "body": _canonical(body).decode(), "state": CommandState.PENDING.value,
                "attempts": 0, "created_at": now, "updated_at": now,
            })
            row = c.execute(select(outbox_table).where(outbox_table.c.command_id == cid)).one()
        return self._command(row)

    def get(self, command_id: str) -> Command | None:
        with self.cache.begin() as c:
            row = c.execute(select(outbox_table)
                            .where(outbox_table.c.command_id == command_id)).one_or_none()
        return None if row is None else self._command(row)

    def all(self) -> list[Command]:
        with self.cache.begin() as c:
            rows = c.execute(select(outbox_table)
                             .where(outbox_table.c.device_id == self.device_id)
                             .order_by(outbox_table.c.seq)).all()
        return [self._command(r) for r in rows]

    def next(self) -> Command | None:
        """The oldest command not yet answered (pending, or sent without an answer)."""
        with self.cache.begin() as c:
            row = c.execute(
                select(outbox_table)
                .where(outbox_table.c.device_id == self.device_id,
                       outbox_table.c.state.in_([CommandState.PENDING.value,
                                                 CommandState.SENT.value]))
                .order_by(outbox_table.c.seq).limit(1)).one_or_none()
        return None if row is None else self._command(row)

    def next_batch(self, limit: int) -> list[Command]:
        """The oldest ``limit`` commands not yet answered, in queue order."""
        with self.cache.begin() as c:
            rows = c.execute(
                select(outbox_table)
                .where(outbox_table.c.device_id == self.device_id,
                       outbox_table.c.state.in_([CommandState.PENDING.value,
                                                 CommandState.SENT.value]))
                .order_by(outbox_table.c.seq).limit(limit)).all()
        return [self._command(r) for r in rows]

    def mark_sent_many(self, command_ids: list[str]) -> None:
        """``mark_sent`` for a batch, in one transaction."""
        with self.cache.begin() as c:
            for command_id in command_ids:
                done = c.execute(
                    update(outbox_table)
                    .where(outbox_table.c.command_id == command_id,
                           outbox_table.c.state.in_([CommandState.PENDING.value,
                                                     CommandState.SENT.value]))
                    .values(state=CommandState.SENT.value, attempts=outbox_table.c.attempts + 1,
                            updated_at=_now_iso())).rowcount
                if done != 1:
                    raise ValueError("command is not waiting to be sent")

    def record_many(self, results: list[tuple[str, Result]]) -> None:
        """``record`` for a batch, in one transaction."""
        with self.cache.begin() as c:
            for command_id, result in results:
                if result.outcome not in FINAL_STATES:
                    raise ValueError("a result must be final")
                c.execute(
                    update(outbox_table)
                    .where(outbox_table.c.command_id == command_id,
                           outbox_table.c.state.in_([CommandState.PENDING.value,
                                                     CommandState.SENT.value]))
                    .values(state=result.outcome.value, updated_at=_now_iso(),
                            result=json.dumps(result.body, ensure_ascii=False),
                            error_status=None if result.outcome is CommandState.APPLIED
                            else result.status,
                            error_code=result.code, error_detail_ja=result.detail_ja))

    def pending_count(self) -> int:
        return sum(1 for cmd in self.all() if cmd.state not in FINAL_STATES)

    def mark_sent(self, command_id: str) -> None:
        """Durably note that the command may reach the server (before it goes out)."""
        self.mark_sent_many([command_id])

    def record(self, command_id: str, result: Result) -> None:
        """Store the server's verdict; a final state never changes again."""
        self.record_many([(command_id, result)])

    def result_body(self, command_id: str) -> dict[str, Any] | None:
        with self.cache.begin() as c:
            raw = c.execute(select(outbox_table.c.result)
                            .where(outbox_table.c.command_id == command_id)).scalar_one_or_none()
        return None if raw is None else json.loads(raw)

    def review_items(self) -> list[ReviewItem]:
        """The 要確認 list: rejected and needs-review commands, oldest first."""
        with self.cache.begin() as c:
            rows = c.execute(
                select(outbox_table)
                .where(outbox_table.c.device_id == self.device_id,
                       outbox_table.c.state.in_([CommandState.REJECTED.value,
                                                 CommandState.NEEDS_REVIEW.value]))
                .order_by(outbox_table.c.seq)).all()
        return [ReviewItem(r.command_id, r.kind, CommandState(r.state), r.error_status,
                           r.error_code, r.error_detail_ja) for r in rows]


# --- the sender -------------------------------------------------------------------------------


class DrainStatus(str, enum.Enum):
    DRAINED = "drained"                  # nothing left to send
    OFFLINE = "offline"                  # gave up for now after repeated CentralUnreachable
    DEVICE_DISABLED = "device_disabled"  # the centre switched this terminal off: shred
    SESSION_ENDED = "session_ended"      # log in again; the queue is kept


@dataclass
class DrainReport:
    status: DrainStatus
    applied: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)   # rejected or needs_review
    transient_failures: int = 0
    delays: list[float] = field(default_factory=list)
    next_retry_at: float | None = None
    error: ApiError | None = None


SendFn = Callable[[Command], Result]
BatchSendFn = Callable[[list[Command]], list[Result]]


class OutboxSender:
    """Drains an ``Outbox`` FIFO through ``send`` with exponential backoff and full jitter.

    The delay after the n-th consecutive failure is ``rng.uniform(0, min(cap, base * 2**(n-1)))``.
    ``max_failures`` consecutive failures end a drain with ``OFFLINE`` (``None``: never give up).
    """

    def __init__(self, outbox: Outbox, send: SendFn, *, base: float = 0.5, cap: float = 60.0,
                 max_failures: int | None = 8, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None, send_batch: BatchSendFn | None = None,
                 batch_size: int = 50) -> None:
        self.outbox = outbox
        self.send = send
        self.send_batch = send_batch
        self.batch_size = batch_size
        self.base, self.cap, self.max_failures = base, cap, max_failures
        self.clock, self.sleep = clock, sleep
        self.rng = rng or random.SystemRandom()

    def backoff(self, failures: int) -> float:
        return self.rng.uniform(0.0, min(self.cap, self.base * (2 ** max(0, failures - 1))))

    def drain(self) -> DrainReport:
        """Send until the queue is empty, the centre is away ``max_failures`` times in a row, the
        terminal is disabled or the login has ended. With ``send_batch``, ``batch_size`` commands
        go per round trip (the server applies them in order, each as if posted alone); a transport
        failure retries the same commands with the same keys."""
        report = DrainReport(DrainStatus.DRAINED)
        failures = 0
        while cmds := self._next():
            ids = [c.command_id for c in cmds]
            self.outbox.mark_sent_many(ids)
            try:
                results = (self.send_batch(cmds) if self.send_batch is not None
                           else [self.send(cmds[0])])
            except DeviceDisabled as exc:
                report.status, report.error = DrainStatus.DEVICE_DISABLED, exc
                return report
            except CentralUnreachable:
                failures += 1
                report.transient_failures += 1
                delay = self.backoff(failures)
                report.delays.append(delay)
                if self.max_failures is not None and failures >= self.max_failures:
                    report.status = DrainStatus.OFFLINE
                    report.next_retry_at = self.clock() + delay
                    return report
                self.sleep(delay)
                continue
            except ApiError as exc:
                if exc.ends_session:
                    report.status, report.error = DrainStatus.SESSION_ENDED, exc
                    return report
                results = [Result.needs_review(exc.status, exc.code, exc.detail_ja)] * len(cmds)
            failures = 0
            self.outbox.record_many(list(zip(ids, results)))
            for command_id, result in zip(ids, results):
                done = report.applied if result.outcome is CommandState.APPLIED else report.rejected
                done.append(command_id)
        return report

    def _next(self) -> list[Command]:
        if self.send_batch is not None:
            return self.outbox.next_batch(self.batch_size)
        cmd = self.outbox.next()
        return [] if cmd is None else [cmd]


# --- adapter for the central API --------------------------------------------------------------

#: Answers that are a person's job rather than the clerk's ordinary 要確認 (client-side faults).
_REVIEW_CODES = frozenset({"idempotency_key_reused", "idempotency_key_invalid",
                           "idempotency_key_required", "invalid_response"})


def _result_from(status: int, body: Any, replayed: bool) -> Result:
    if not isinstance(body, dict):
        return Result.needs_review(status, "invalid_response", "サーバーの応答を解釈できません")
    if 200 <= status < 300:
        return Result.applied(status, body, replayed)
    code = str(body.get("code") or "unknown")
    detail = str(body.get("detail_ja") or body.get("title_ja") or "")
    if code in _REVIEW_CODES:
        return Result.needs_review(status, code, detail, body)
    return Result.rejected(status, code, detail, body, replayed)


def central_batch_sender(client: CentralClient) -> BatchSendFn:
    """``send_batch`` for ``OutboxSender``: ``POST /v1/commands/batch`` with each stored body as
    text, so every command hashes exactly as if posted alone. 5xx/429 and answers that do not
    match the batch are transport failures (the whole batch is retried with the same keys)."""
    def send(cmds: list[Command]) -> list[Result]:
        payload = {"commands": [{"key": c.command_id, "path": c.path, "body": c.body.decode("utf-8")}
                                for c in cmds]}
        response = client.post_command("/v1/commands/batch",
                                       json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                       str(uuid7()))
        if _transient(response):
            raise CentralUnreachable()
        if not response.is_success:
            raise ApiError.from_response(response)
        try:
            items = response.json()["results"]
        except (ValueError, KeyError, TypeError):
            raise CentralUnreachable() from None
        if not isinstance(items, list) or [i.get("key") for i in items] != [c.command_id for c in cmds]:
            raise CentralUnreachable()
        return [_result_from(int(i.get("status", 0)), i.get("body"), bool(i.get("replayed")))
                for i in items]

    return send


def _transient(response) -> bool:
    """An answer that says nothing about the command: the server or the link is in trouble
    (5xx, 408, 429), or the network delivered a copy of the signed request before and the signer's
    fresh sends were refused too (``device_signature_replayed``). Retried with the same key."""
    return response.status_code >= 500 or response.status_code in (408, 429) \
        or is_replay_refusal(response)


def central_sender(client: CentralClient) -> SendFn:
    """``send`` for ``OutboxSender`` over a logged-in ``CentralClient``.

    The stored body bytes are sent unchanged with ``Idempotency-Key: <command id>``, so a retry
    is byte-identical. 2xx → applied; 5xx/429 → ``CentralUnreachable`` (retried); other problems
    → rejected with the server's ``code`` and ``detail_ja``; ``DeviceDisabled`` and ended logins
    are raised.
    """
    def send(cmd: Command) -> Result:
        response = client.post_command(cmd.path, cmd.body, cmd.command_id)
        replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        if _transient(response):
            raise CentralUnreachable()
        if response.is_success:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return Result.needs_review(response.status_code, "invalid_response",
                                           "サーバーの応答を解釈できません")
            return Result.applied(response.status_code, body, replayed)
        error = ApiError.from_response(response)
        if isinstance(error, DeviceDisabled) or error.ends_session:
            raise error
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if error.code in _REVIEW_CODES:
            return Result.needs_review(error.status, error.code, error.detail_ja, problem)
        return Result.rejected(error.status, error.code, error.detail_ja, problem, replayed)

    return send
