"""閲覧の記録 (audited reads): how every read of personal data answers, for the routers that read.

``read`` authenticates (auth.py), checks the stated purpose, runs the route's ``work`` on the
same connection and appends the audit row (who, when, subject, purpose, terminal: LOG-1) through
the group appender, all in one worker-thread hop; ``read_on_loop`` does the same for an exact-key
lookup on the event loop (PostgreSQL, aio.py). The answer leaves only once its audit row is
durable (fail closed); a refusal is audited too. Used by the register, 審査, 支援措置 and tax
routers with ``deferred(action)``. Owns no routes; may touch auth, register (the purpose check),
aio and the Context.
"""
from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable

from fastapi.responses import JSONResponse

from .. import aio, register
from ..db import READ_ONLY
from ..problems import Problem
from .auth import Caller, Pending, audit_read_refusal, authenticate_in, authenticate_on_loop
from .context import Context

_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}  # PostgreSQL reads without BEGIN/COMMIT (read)

Work = Callable[[Any, Caller], tuple[Any, str | None, dict[str, Any]]]


def read(ctx: Context, pending: Pending, purpose: str | None, note: str | None, work: Work,
         audit_action: str | None = None, core: bool = False) -> Any:
    """Authenticate, then read on the same connection, only if the checks passed, then
    audit it (who, when, subject, purpose, terminal: LOG-1) through the group appender, all on
    one worker thread: the answer leaves only once its audit row is durable (fail closed).

    ``work`` gets an ORM session in the read's transaction, or with ``core`` the Core
    connection itself: the lookup needs no ORM, whose session cost it ~5% of its CPU (#2).
    On PostgreSQL a ``core`` read runs in autocommit: under READ COMMITTED each statement has
    its own snapshot even inside a transaction, so BEGIN and COMMIT around authentication and
    search guaranteed nothing more and cost two round trips (~20% of a lookup's CPU, #2).
    The pool hands the connection back transactional (SQLAlchemy resets the level)."""
    action, seen = audit_action or pending.action, {}
    caller: Caller | None = None
    conn = ctx.engine.connect()
    try:
        conn.execution_options(**(_AUTOCOMMIT if core and ctx.pg else READ_ONLY))
        conn.begin()
        caller = authenticate_in(ctx, conn, pending.request, pending.body, pending.action, seen)
        purpose, note = register.check_purpose(purpose, note)
        if core:
            result, subject, detail = work(conn, caller)
        else:
            with ctx.sessions(bind=conn) as db:  # joins the transaction, never ends it
                result, subject, detail = work(db, caller)
        conn.commit()  # nothing written: ends the read's snapshot and frees the connection
        conn.close()
        ctx.audit_group.append(action=action, outcome="ok", operator=caller.login_id,
                               device=caller.device_id, subject=subject, purpose=purpose,
                               purpose_note=note, detail=detail)  # durable, or it raises
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
