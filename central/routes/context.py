"""アプリの状態 (the app's shared state): one ``Context`` per app, which routes reach by a dependency.

``api.create_app`` makes it (``make_context``) and stores it on ``app.state.context``; a route
declares ``ctx: Ctx`` (FastAPI's dependency cache fetches it once per request), and code without
dependencies (the direct route, ``auth``'s own dependencies) calls ``context_of(request)``. It
holds what a request needs beyond its own data: the settings, the engine and its session maker,
the My Number, biometric-template and signed-form ciphers, the face matchers, the reads' audit
group appender, the lookup's worker threads and, on PostgreSQL, its pool and audit writer on the
event loop (aio.py). Owns no routes and no request logic; only the app's lifespan closes it (``close``).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from .. import aio, audit
from ..biometrics import FaceMatcher, TemplateCipher, matchers
from ..config import Settings
from ..crypto import MyNumberCipher
from ..db import make_sessionmaker
from ..signed_forms import FormCipher


@dataclass(frozen=True)
class Context:
    settings: Settings
    engine: Engine
    pg: bool  # PostgreSQL (autocommit reads, the lookup on the event loop)
    sessions: sessionmaker[Session]
    cipher: MyNumberCipher
    templates: TemplateCipher  # enrolled faces (factors)
    forms: FormCipher  # signed forms and the 庁内連携 feed's items (signed_forms.py)
    matchers: dict[str, FaceMatcher]  # by biometric provider
    audit_group: audit.GroupAppender  # the reads' audit rows, group-committed
    lookup_threads: ThreadPoolExecutor  # the register search's worker threads
    lookup_pool: aio.LookupPool | None  # PostgreSQL: the exact-key lookups on the event loop
    lookup_audit: aio.AsyncGroupAppender | None  # and their audit rows

    async def close(self) -> None:
        """The app's shutdown: the lookup pool, then its audit writer."""
        if self.lookup_pool is not None:
            try:
                await self.lookup_pool.close()
            finally:
                await self.lookup_audit.close()


def make_context(settings: Settings, engine: Engine, lookup_connections: int) -> Context:
    pg = engine.dialect.name == "postgresql"
    sessions = make_sessionmaker(engine)
    lookup_pool = aio.LookupPool(engine, lookup_connections) if pg else None
    return Context(
        settings=settings, engine=engine, pg=pg, sessions=sessions,
        cipher=MyNumberCipher.from_master(settings.data_key),
        templates=TemplateCipher.from_master(settings.data_key),
        forms=FormCipher.from_master(settings.data_key),
        matchers=matchers(settings.face_threshold),
        audit_group=audit.GroupAppender(sessions),
        # asyncio's executor hop costs ~23 µs of CPU against ~75 µs through anyio's to_thread
        # (its cancel scope and limiter), on every lookup (#2).
        lookup_threads=ThreadPoolExecutor(max_workers=32, thread_name_prefix="lookup"),
        lookup_pool=lookup_pool,
        lookup_audit=aio.AsyncGroupAppender(lookup_pool) if lookup_pool else None)


def context_of(request: Request) -> Context:
    return request.app.state.context


async def context(request: Request) -> Context:
    """The dependency (async: a plain function would cost each request a worker-thread hop)."""
    return request.app.state.context


Ctx = Annotated[Context, Depends(context)]
