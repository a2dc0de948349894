"""認証・認可 (authentication and authorization): the one module every route's caller comes from.

Owns, for every route:

* the body check made before authentication (``checked_body``: NUL characters, unpaired
  surrogates). FastAPI has parsed a route's JSON body by the time a dependency runs: a limit
  that must come before parsing (size, depth) belongs ahead of the routes, in ``create_app``;
* authentication: the device signature (over what ``_signed`` lists and the body; the scheme is
  security.py's), then for an action the operator session and one of the action's rights, from
  one statement (``security.authenticate``; ``authenticate_on_loop`` runs the same statement and
  checks on the event loop). The result is a ``Caller``;
* the dependencies routes declare: ``authenticated(action)`` (authenticate before the route runs,
  ``None``: a device only) and ``deferred(action)`` (the register reads, which authenticate inside
  their own transaction, reads.py);
* the audit row of every refusal ("denied attempts are logged", 002 L1362): ``audit_refusal``.

May touch: security (signatures, sessions, rights today), rights (the actions' rights), audit and
the Context. Never a domain module, never a route.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from .. import aio, audit, clock
from ..db import hidden_error
from ..models import Resident
from ..problems import Problem, problem
from ..rights import ACTIONS, allowed
from ..security import (NONCE_INSERT_PG, Verified, auth_query, auth_verdict, consume_nonce,
                        nonce_params, purge_due, purge_nonces, replayed)
from ..security import authenticate as verify
from .context import Context, Ctx


@dataclass(frozen=True)
class Caller(Verified):
    """The verified device and (when the route needs one) operator behind a request, with the
    SHA-256 of the body it signed (what idempotency compares)."""

    body_sha256: str = ""
    route: str = ""  # method and route template: what an Idempotency-Key is scoped to (#21 class 4)


@dataclass(frozen=True)
class Pending:
    """A request whose authentication runs inside the route's own transaction (the reads)."""

    request: Request
    body: bytes
    action: str


def _unencodable(body: bytes) -> bool:
    """True when a JSON body carries text no database can store (an unpaired surrogate)."""
    if b"\\u" not in body:
        return False
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except (ValueError, RecursionError):
        return False  # not JSON (or too deep; guard.py refuses those first): validation answers
    return False


async def checked_body(request: Request) -> bytes:
    """The request's body, refused (422) when it or the query carries what no record may hold."""
    headers = request.headers
    if request.method == "GET" and "content-length" not in headers \
            and "transfer-encoding" not in headers:
        body = b""  # a GET without either header has no body (RFC 9112 §6.3): ~40 µs saved
    else:
        body = await request.body()
    query = request.scope.get("query_string", b"").lower()
    if b"\x00" in body or b"\\u0000" in body or b"%00" in query or _unencodable(body):
        raise problem("invalid_request", "NUL characters or unpaired surrogates are "
                      "not accepted", "入力に使用できない文字が含まれています")
    return body


def _signed(request: Request) -> tuple[str, str, str]:
    """What the device signature covers besides the body: method, path and raw query."""
    return (request.method, request.url.path,
            request.scope.get("query_string", b"").decode("latin-1"))


def route_of(request: Request) -> str:
    """The request's method and route template (its path when no route matched)."""
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', None) or request.url.path}"[:200]


def caller_of(v: Verified, body: bytes, action: str | None, seen: dict[str, str],
              route: str = "") -> Caller:
    """The verified request's Caller, refused unless it holds one of the action's rights;
    ``seen`` gets the operator's login (for the refusal's audit row)."""
    caller = Caller(**v.__dict__, body_sha256=hashlib.sha256(body).hexdigest(), route=route)
    if action is None:
        return caller
    seen["login"] = v.login_id
    if not allowed(action, v.rights or {}):
        raise problem("forbidden", f"Action {action} needs one of: "
                      + ", ".join(sorted(ACTIONS[action])),
                      "この操作を行う権限がありません", action=action)
    return caller


def authenticate_in(ctx: Context, conn: Connection, request: Request, body: bytes,
                    action: str | None, seen: dict[str, str]) -> Caller:
    """Device signature, then (for an action) session and the action's right, inside the
    caller's transaction, from one statement (``security.authenticate``)."""
    v = verify(conn, request.headers, *_signed(request), body, ctx.settings.clock_skew_seconds,
               need_session=action is not None, today=clock.today())
    return caller_of(v, body, action, seen, route_of(request))


def accepted_once(ctx: Context, conn: Connection | None, caller: Caller) -> None:
    """The replay cache (#21 class 5): record the caller's signature nonce, on ``conn`` (inside
    the request's own write transaction, or an autocommit connection) or else in a transaction of
    its own, or refuse a signature seen before."""
    if conn is not None:
        consume_nonce(conn, caller)
    else:
        with ctx.engine.begin() as own:
            consume_nonce(own, caller)


def forget_expired_nonces(ctx: Context) -> None:
    """Once a minute per process: delete the nonces outside the clock window, in a transaction
    of its own (a failure, e.g. a deadlock with another worker's purge, is left to the next).
    Called where this thread holds no write transaction (SQLite would wait for its own lock)."""
    now = purge_due()
    if now is None:
        return
    try:
        with ctx.engine.begin() as own:
            purge_nonces(own, now, ctx.settings.clock_skew_seconds)
    except DBAPIError:
        pass


async def accepted_once_on_loop(ctx: Context, conn: Any, caller: Caller) -> None:
    """``accepted_once`` on an autocommit connection of the lookup pool (aio.py)."""
    p = nonce_params(caller)
    try:
        cur = await conn.execute(NONCE_INSERT_PG, (p["device_pk"], p["nonce"], p["signed_at"]),
                                 prepare=True)
    except Exception as exc:  # noqa: BLE001 - raised as db.rows raises: without parameters
        raise hidden_error(NONCE_INSERT_PG, exc) from exc
    if cur.rowcount != 1:
        raise replayed()
    if purge_due(peek=True):
        await asyncio.get_running_loop().run_in_executor(ctx.lookup_threads,
                                                         forget_expired_nonces, ctx)


async def authenticate_on_loop(ctx: Context, conn: Any, pending: Pending,
                               seen: dict[str, str]) -> Caller:
    """``authenticate_in`` for an operator's action on the event loop (aio.py), on ``conn`` of
    the lookup pool: the same statement and checks."""
    request, today = pending.request, clock.today()
    q = auth_query(request.headers, need_session=True, today=today)
    v = auth_verdict(q, await aio.rows(ctx.lookup_pool, conn, q.statement, q.params),
                     *_signed(request), pending.body, ctx.settings.clock_skew_seconds,
                     need_session=True, today=today)
    caller = caller_of(v, pending.body, pending.action, seen, route_of(request))
    await accepted_once_on_loop(ctx, conn, caller)
    return caller


def claimed(request: Request) -> str | None:
    """The device a request claims to come from (audited with a refusal before it is verified)."""
    return (request.headers.get("x-device-id") or "")[:40] or None


def refusal_subject(ctx: Context, db: Any, p: Problem) -> str | None:
    """Whom a refusal concerns, for its audit row only: a person the refusing code looked up
    (``audit_subject``), or the resident whose My Number a refused search named
    (``audit_my_number``), if the number is anyone's. Never part of the answer."""
    if getattr(p, "audit_subject", None):
        return p.audit_subject  # type: ignore[attr-defined]
    number = getattr(p, "audit_my_number", None)
    if not number:
        return None
    rid = db.scalar(select(Resident.id).where(Resident.my_number_index == ctx.cipher.index(number)))
    return f"resident:{rid}" if rid else None


def audit_refusal(ctx: Context, p: Problem, action: str, device_id: str | None,
                  login: str | None, **kw: Any) -> None:
    """The audit row of a refusal, in a transaction of its own: denied (401, 403, 423) or
    rejected (anything else)."""
    outcome = "denied" if p.status in (401, 403, 423) else "rejected"
    with ctx.sessions.begin() as db:
        subject = refusal_subject(ctx, db, p)
        if subject:  # the person a refusal concerns (#21 class 2)
            kw.setdefault("subject", subject)
        audit.append(db, action=action, outcome=outcome, operator=login, device=device_id,
                     detail={"code": p.code}, **kw)


def authenticate(ctx: Context, request: Request, body: bytes, action: str | None) -> Caller:
    """``authenticate_in`` in a transaction of its own; a refusal is audited."""
    seen: dict[str, str] = {}
    try:
        with ctx.sessions.begin() as db:
            caller = authenticate_in(ctx, db.connection(), request, body, action, seen)
            accepted_once(ctx, db.connection(), caller)
    except Problem as p:
        audit_refusal(ctx, p, action or "device.auth", claimed(request), seen.get("login"))
        raise
    forget_expired_nonces(ctx)
    return caller


async def caller_for(request: Request, ctx: Context, action: str | None) -> Caller:
    """The checked body, then ``authenticate`` in a worker thread."""
    body = await checked_body(request)
    return await run_in_threadpool(authenticate, ctx, request, body, action)


def authenticated(action: str | None) -> Callable[..., Any]:
    """The dependency of a route for ``action`` (``None``: any registered device)."""
    async def dependency(request: Request, ctx: Ctx) -> Caller:
        return await caller_for(request, ctx, action)
    dependency.auth = "operator" if action else "device"  # type: ignore[attr-defined] # openapi.py
    return dependency


def deferred(action: str) -> Callable[..., Any]:
    """For the register reads: authenticate, read and audit in one worker-thread hop (the
    hot path of every counter, see ``reads.read``); refusals are audited as before."""
    async def dependency(request: Request) -> Pending:
        return Pending(request, await checked_body(request), action)
    dependency.auth = "operator"  # type: ignore[attr-defined] # openapi.py
    return dependency
