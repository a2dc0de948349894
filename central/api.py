"""The central API (FastAPI): the app and its wiring; the routes are in central/routes/.

Routes are thin: authenticate (device signature, then operator session and the action's right,
routes/auth.py), do one transaction of domain work from the modules beside this one, audit it.
Refusals are RFC 9457 problems (problems.py) and are audited too ("denied attempts are logged",
002 L1362). ``create_app`` makes the app's shared state (routes/context.py), installs the problem
handlers and includes the routers in order.
"""
from __future__ import annotations

import asyncio
import contextlib

from fastapi import FastAPI
from sqlalchemy import Engine

from . import aio, checkpoint
from .config import Settings
from .db import make_engine
from .direct import DirectRoutesApp
from . import openapi
from .guard import RequestGuard, body_limits_of, body_routes_of
from .problems import install_handlers
from .routes import (admin, audit, cases, changes, commands, factors, forms, idou_list, issuance,
                     password, register, renkei, sessions, shokken, support_decisions, system, tax,
                     tokurei)
from .routes.auth import audit_refusal
from .routes.context import make_context
from .routes.system import VERSION

__all__ = ["NO_TELEMETRY", "VERSION", "create_app"]

# The routers in the order Starlette tries their routes (the register lookup is moved first).
ROUTERS = (system, sessions, factors, password, register, commands, cases, issuance,
           support_decisions, tax, changes, audit, admin, tokurei, shokken, idou_list, forms,
           renkei)

# FastAPI's built-in OpenTelemetry stays off: once a provider is configured on the host (an
# ``opentelemetry-instrument`` wrapper, a vendor agent), it would export every request's URL with its
# query (a search's 氏名, 住所 and 生年月日) and exception messages and stack traces, 4情報 leaving the
# audited path. Off, it also costs nothing per request (it looked the providers up on each, #2).
NO_TELEMETRY: dict[str, bool] = {"tracing": False, "metrics": False, "logs": False,
                                 "operation_spans": False, "auto_configure": False}


def create_app(settings: Settings, engine: Engine | None = None,
               lookup_connections: int = aio.POOL_SIZE) -> FastAPI:
    """The app on ``engine`` (or one made from the settings). On PostgreSQL the lookup's asyncio
    path opens up to ``lookup_connections`` connections of its own besides the engine's pool, and
    one for its audit writer (aio.py)."""
    ctx = make_context(settings, engine or make_engine(settings.database_url),
                       lookup_connections)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        anchor = checkpoint.from_settings(settings, ctx.sessions)  # LOG-1: the chain's head, signed
        try:
            yield
        finally:
            if anchor is not None:
                await asyncio.to_thread(anchor.stop)
            await ctx.close()

    app = DirectRoutesApp(title="Madoguchi central API", version=VERSION,
                          description="窓口端末の中央API (reference register, commands, change "
                          "feed, audit)", telemetry=NO_TELEMETRY, lifespan=lifespan)
    app.state.context = ctx
    app.state.engine = ctx.engine
    app.state.lookup_pool = ctx.lookup_pool
    app.state.lookup_audit = ctx.lookup_audit
    app.state.sessions = ctx.sessions
    app.state.cipher = ctx.cipher
    install_handlers(app)
    for area in ROUTERS:
        # The routes themselves, in order, as if declared on the app: FastAPI's include_router
        # (0.137+) would add one lazy node per router, matched twice per request and hiding the
        # routes from the list the lookup is moved to the front of.
        app.router.routes.extend(area.router.routes)
    register.serve_first(app)  # the hot path (direct.py, #2)
    openapi.install(app)  # security schemes and each operation's requirement (openapi.py)

    def refused(p, scope) -> None:
        """A request the guard refused, audited as the device it claims (#21 class 1)."""
        claimed = next((v.decode("latin-1") for k, v in scope["headers"]
                        if k == b"x-device-id"), "")[:40] or None
        audit_refusal(ctx, p, "request.refused", claimed, None)

    # Ahead of everything, the direct routes included: sizes, depth and encodings are checked
    # before any parser sees a byte (guard.py).
    app.ahead.append(lambda a, stack: RequestGuard(stack, body_routes_of(a), refused,
                                                   body_limits_of(a)))
    return app
