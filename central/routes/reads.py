"""閲覧の記録 (audited reads): how every read of personal data answers, for the routers that read.

``read`` authenticates (auth.py), checks the stated purpose, runs the route's ``work`` on the
same connection and appends the audit row (who, when, subject, purpose, terminal: LOG-1) through
the group appender, all in one worker-thread hop; ``read_on_loop`` does the same for an exact-key
lookup on the event loop (PostgreSQL, aio.py). The answer leaves only once its audit row is
durable (fail closed); a refusal is audited too. Used by the register, 審査, 支援措置 and tax
routers with ``deferred(action)``. Owns no routes; may touch auth, register (the purpose check),
aio and the Context.

Every refused read is audited, whatever refused it (#21 class 6, LOG-1): a purpose check or a
lookup inside ``read``; and, through ``ReadRoute`` (the route class of the reading routers), what
FastAPI refuses before the route runs (a parameter of the wrong type or length, an oversized
purpose, a NUL character): the request is then authenticated as far as it goes, and the refusal
audited as the operator and terminal, or as the device it claimed. A purpose or note that could
not be accepted is never stored as sent: only a marker with its length (``stored_purpose``).
"""
from __future__ import annotations

import asyncio
import functools
import json
from typing import Any, Callable

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from .. import aio, audit, register
from ..db import READ_ONLY
from ..problems import Problem, _validation_problem
from .auth import (Caller, Pending, accepted_once, authenticate_in, authenticate_on_loop, claimed,
                   deferred, forget_expired_nonces, refusal_subject)
from .context import Context, context_of

_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}  # PostgreSQL reads without BEGIN/COMMIT (read)

Work = Callable[[Any, Caller], tuple[Any, str | None, dict[str, Any]]]

PURPOSE_MAX, NOTE_MAX = 40, 200  # what a read accepts (the routes' schemas say the same)
_AUDITED = "madoguchi_read_refusal_audited"  # request.state: this refusal has its audit row


def _stored(value: Any, limit: int) -> str | None:
    """What the audit row keeps of a stated purpose or note: the text when a read could accept
    it, else a marker with its length (never the text: it may be 10 KB, or anything)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"[refused: not text ({type(value).__name__})]"
    if len(value) > limit:
        return f"[refused: {len(value)} chars]"
    if not value.isprintable():
        return f"[refused: unprintable, {len(value)} chars]"
    return value


def stored_purpose(purpose: Any, note: Any) -> tuple[str | None, str | None]:
    """The purpose and note of a refused read as its audit row keeps them (``_stored``)."""
    return _stored(purpose, PURPOSE_MAX), _stored(note, NOTE_MAX)


def audit_read_refusal(ctx: Context, p: Problem, action: str, request: Request,
                       seen: dict[str, str], caller: Caller | None, purpose: Any,
                       note: Any) -> None:
    """A refused read, audited in a transaction of its own: denied (401, 403, 423) or rejected
    (anything else); before or while authenticating as the device it claimed (and the login
    tried), afterwards as the caller; with the purpose stated, or its marker."""
    outcome = "denied" if p.status in (401, 403, 423) else "rejected"
    purpose, note = stored_purpose(purpose, note)
    if caller is None:
        device, login = claimed(request), seen.get("login")
    else:
        device, login = caller.device_id, caller.login_id
    detail: dict[str, Any] = {"code": p.code}
    if p.field:
        detail["field"] = str(p.field)[:80]
    with ctx.sessions.begin() as db:
        # whom the refusal concerns (a refused My Number search: whose number), never the answer
        audit.append(db, action=action, outcome=outcome, operator=login, device=device,
                     subject=refusal_subject(ctx, db, p), purpose=purpose, purpose_note=note,
                     detail=detail)
    setattr(request.state, _AUDITED, True)


def _stated(request: Request, body: bytes) -> tuple[Any, Any]:
    """The purpose and note a refused request stated: in its query, or its JSON body."""
    q = request.query_params
    if "purpose" in q or "purpose_note" in q:
        return q.get("purpose"), q.get("purpose_note")
    if body[:1] == b"{" and b'"purpose' in body:
        try:
            data = json.loads(body)
        except ValueError:
            return None, None
        if isinstance(data, dict):
            return data.get("purpose"), data.get("purpose_note")
    return None, None


def _audit_refused(ctx: Context, request: Request, body: bytes, p: Problem, action: str,
                   audit_action: str, purpose: str | None) -> Problem:
    """A read refused before its route ran: authenticate it as far as it goes, then audit the
    refusal; the answer is the authentication's refusal if there is one, else ``p``."""
    seen: dict[str, str] = {}
    caller: Caller | None = None
    try:
        with ctx.sessions.begin() as db:
            caller = authenticate_in(ctx, db.connection(), request, body, action, seen)
    except Problem as auth:
        p = auth
    stated, note = _stated(request, body)
    audit_read_refusal(ctx, p, audit_action, request, seen, caller,
                       stated if stated is not None else purpose, note)
    return p


async def refused_before_read(ctx: Context, request: Request, exc: Exception, action: str,
                              audit_action: str | None = None,
                              purpose: str | None = None) -> Exception:
    """The exception to raise for a read refused before ``read`` ran (``exc``: a Problem or
    FastAPI's RequestValidationError), once its refusal is audited (unless it already is)."""
    if getattr(request.state, _AUDITED, False):
        return exc
    p = exc if isinstance(exc, Problem) else _validation_problem(exc)  # type: ignore[arg-type]
    try:
        body = await request.body()
    except Exception:  # noqa: BLE001 - a body that cannot be read: audit without it
        body = b""
    answer = await run_in_threadpool(_audit_refused, ctx, request, body, p, action,
                                     audit_action or action, purpose)
    return exc if answer is p else answer


def audited(action: str, audit_action: str | None = None,
            purpose: str | None = None) -> Callable[..., Any]:
    """The dependency of a read route (``deferred``), marked for ``ReadRoute``: its refusals
    before the route runs are audited as ``audit_action`` (default ``action``), with the
    route's own ``purpose`` when the request states none."""
    dependency = deferred(action)
    dependency.read_audit = (action, audit_action or action, purpose)  # type: ignore[attr-defined]
    return dependency


class ReadRoute(APIRoute):
    """The route class of the routers that read: a route that depends on ``audited(...)`` has
    every refusal audited, also those FastAPI makes before the route runs (#21 class 6)."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()
        spec = next((d.call.read_audit for d in self.dependant.dependencies
                     if hasattr(d.call, "read_audit")), None)
        if spec is None:
            return handler
        action, audit_action, purpose = spec

        async def audited_handler(request: Request) -> Any:
            try:
                return await handler(request)
            except (Problem, RequestValidationError) as exc:
                raise await refused_before_read(context_of(request), request, exc, action,
                                                audit_action, purpose) from None
        return audited_handler


def read(ctx: Context, pending: Pending, purpose: str | None, note: str | None, work: Work,
         audit_action: str | None = None, core: bool = False,
         respond: Callable[[Any, Caller], Any] | None = None) -> Any:
    """Authenticate, then read on the same connection, only if the checks passed, then
    audit it (who, when, subject, purpose, terminal: LOG-1) through the group appender, all on
    one worker thread: the answer leaves only once its audit row is durable (fail closed).

    ``work`` gets an ORM session in the read's transaction, or with ``core`` the Core
    connection itself: the lookup needs no ORM, whose session cost it ~5% of its CPU (#2).
    On PostgreSQL a ``core`` read runs in autocommit: under READ COMMITTED each statement has
    its own snapshot even inside a transaction, so BEGIN and COMMIT around authentication and
    search guaranteed nothing more and cost two round trips (~20% of a lookup's CPU, #2).
    The pool hands the connection back transactional (SQLAlchemy resets the level).

    ``respond``: the answer made from the result, once its audit row is durable (a PDF, say),
    instead of the result as JSON."""
    action, seen = audit_action or pending.action, {}
    caller: Caller | None = None
    conn = ctx.engine.connect()
    try:
        conn.execution_options(**(_AUTOCOMMIT if core and ctx.pg else READ_ONLY))
        conn.begin()
        caller = authenticate_in(ctx, conn, pending.request, pending.body, pending.action, seen)
        autocommit = core and ctx.pg
        if autocommit:  # the nonce on the read's own connection, at once (#21 class 5)
            accepted_once(ctx, conn, caller)
        purpose, note = register.check_purpose(purpose, note)
        if core:
            result, subject, detail = work(conn, caller)
        else:
            with ctx.sessions(bind=conn) as db:  # joins the transaction, never ends it
                result, subject, detail = work(db, caller)
        conn.commit()  # nothing written: ends the read's snapshot and frees the connection
        conn.close()
        if not autocommit:  # the nonce in a write of its own, once the read's connection is
            accepted_once(ctx, None, caller)  # back in the pool (holding two could starve it)
        forget_expired_nonces(ctx)
        ctx.audit_group.append(action=action, outcome="ok", operator=caller.login_id,
                               device=caller.device_id, subject=subject, purpose=purpose,
                               purpose_note=note, detail=detail)  # durable, or it raises
        if respond is not None:
            return respond(result, caller)
        return JSONResponse(result)  # plain JSON values already: no second encoding pass
    except Problem as p:
        conn.close()  # roll back first: on SQLite the refusal's own transaction needs the lock
        audit_read_refusal(ctx, p, action, pending.request, seen, caller, purpose, note)
        raise
    finally:
        conn.close()  # a no-op after commit; otherwise the transaction is rolled back here


async def read_in_thread(ctx: Context, pending: Pending, purpose: str | None, note: str | None,
                         work: Work) -> Any:
    """``read`` of Core ``work`` in one of the lookup's worker threads, from the event loop."""
    return await asyncio.get_running_loop().run_in_executor(
        ctx.lookup_threads, functools.partial(read, ctx, pending, purpose, note, work,
                                              core=True))


async def read_on_loop(ctx: Context, pending: Pending, purpose: str | None, note: str | None,
                       conn: Any, exact: Callable[[Caller], tuple[Any, dict[str, Any]]],
                       answer: Callable[[list[Any], Caller],
                                        tuple[Any, str | None, dict[str, Any]]]) -> Any:
    """``read`` of an exact-key lookup on the event loop (PostgreSQL, aio.py), on ``conn``
    taken from the lookup pool: authenticate, check the purpose, read the statement that
    ``exact`` gives for the caller, then audit through the loop's group appender; the answer
    leaves only once its audit row is durable. The same statements, checks and order as
    ``read``; refusals are audited as there (in a worker thread: they are rare)."""
    action, seen = pending.action, {}
    caller: Caller | None = None
    try:
        try:
            caller = await authenticate_on_loop(ctx, conn, pending, seen)
            purpose, note = register.check_purpose(purpose, note)
            found = await aio.rows(ctx.lookup_pool, conn, *exact(caller))
        finally:
            await ctx.lookup_pool.give(conn)
        result, subject, detail = answer(found, caller)
        await ctx.lookup_audit.append(action=action, outcome="ok", operator=caller.login_id,
                                      device=caller.device_id, subject=subject, purpose=purpose,
                                      purpose_note=note, detail=detail)  # durable, or it raises
        return JSONResponse(result)
    except Problem as p:
        await asyncio.get_running_loop().run_in_executor(ctx.lookup_threads, functools.partial(
            audit_read_refusal, ctx, p, action, pending.request, seen, caller, purpose, note))
        raise
