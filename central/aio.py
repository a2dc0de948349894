"""The register lookup on the event loop (PostgreSQL): psycopg's AsyncConnection, no threads (#2).

Why: at 50 lookup clients the thread-pool path (routes/reads.py ``read``) made ~29 context switches
per lookup, the GIL passing between the event loop and the worker threads around every database
round trip and every audit hand-off, and ``perf`` put a quarter of the server's CPU in switching
(``finish_task_switch``). On the event loop a lookup makes ~1.5, and the server's CPU per lookup fell
by about a third. The statements, the checks and their order are the thread path's own
(``security.auth_query``/``auth_verdict``, ``register.exact_search``, ``audit.PG_APPEND``).

* ``LookupPool``: autocommit connections, each statement its own snapshot (as ``reads.read`` runs its
  Core reads). Not tied to one event loop: a free list, a count and the waiters behind a thread
  lock, so uvicorn's loop and the test client's loop per request share it. While its ``size``
  connections are in use a lookup waits on its loop for the next one given back (sending it to
  the thread path instead cost as much as the whole change saved: at 50 clients most lookups are
  in flight at once). A connection idle for ``idle_ping`` seconds is pinged before use (as db.py
  does for the engine's pool), and a broken one is closed, never given back. Once closed (the
  app's shutdown) it answers None and lookups take the thread path.
* ``rows``: ``db.rows`` on an AsyncConnection (the same compiled SQL, prepared).
* ``AsyncGroupAppender``: the audit group commit of ``audit.GroupAppender`` for requests on one
  loop: ``append`` returns once its row is durable, or raises (LOG-1, fail closed); one writer task
  per loop appends the waiting rows with one statement, on a connection of its own that it keeps
  (one more than the pool's); a failed group's rows are tried alone.

Errors of the database are raised as SQLAlchemy's ``DBAPIError`` without parameters, as
``db.rows`` raises them.
"""
from __future__ import annotations

import asyncio
import collections
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import namedtuple_row
from sqlalchemy import Engine
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.sql import Executable

from . import audit
from .db import IDLE_PING_SECONDS, hidden_error, pg_compiled


POOL_SIZE = 16  # connections of a process's lookup pool; the audit writer may open one more


_OPEN = object()  # handed to a waiter: room to open a connection of its own
_closing: set[asyncio.Task] = set()  # closes under way (a task needs a reference until done)


def _close_soon(conn: psycopg.AsyncConnection) -> None:
    """Close ``conn`` on the running loop, from code that cannot await (a callback, or a
    coroutine being cancelled)."""
    task = asyncio.get_running_loop().create_task(conn.close())
    _closing.add(task)
    task.add_done_callback(_closing.discard)


class LookupPool:
    """Autocommit AsyncConnections to the engine's database, shared by every event loop.

    ``take`` waits while ``size`` connections are in use: a waiter is a future on its own loop,
    handed the next connection given back (or the room left by one closed) with
    ``call_soon_threadsafe``, so loops in different threads share the pool safely. It gives up
    after ``timeout`` seconds (SQLAlchemy's TimeoutError, as the engine's pool raises it)."""

    def __init__(self, engine: Engine, size: int = POOL_SIZE,
                 idle_ping: float = IDLE_PING_SECONDS, timeout: float = 30.0) -> None:
        self.dialect = engine.dialect
        # The engine's URL only: connect_args or "connect" events given to the engine would not
        # reach these connections (make_engine uses neither on PostgreSQL).
        self._dsn = engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False)
        self._size, self._idle_ping, self._timeout = size, idle_ping, timeout
        self._lock = threading.Lock()
        self._free: list[tuple[psycopg.AsyncConnection, float]] = []
        self._waiters: collections.deque = collections.deque()
        self._open = 0
        self._closed = False

    async def take(self) -> psycopg.AsyncConnection | None:
        """A connection (waiting while ``size`` are in use), or None once the pool is closed."""
        while True:
            waiter = None
            with self._lock:
                if self._closed:
                    return None
                if self._free:
                    item = self._free.pop()
                elif self._open < self._size:
                    self._open += 1
                    item = _OPEN
                else:
                    loop = asyncio.get_running_loop()
                    waiter = (loop, loop.create_future())
                    self._waiters.append(waiter)
            if waiter is not None:
                item = await self._wait(waiter)
                if item is None:
                    return None  # closed while waiting
            if item is _OPEN:
                try:
                    return await self.connect()
                except BaseException:
                    self._release(_OPEN)  # the room goes to a waiter, or back
                    raise
            conn, since = item
            try:
                if await self.alive(conn, since):
                    return conn
            except BaseException:  # cancelled while pinging: the connection is dropped
                self._release(_OPEN)
                _close_soon(conn)
                raise
            await self._discard(conn)

    async def _wait(self, waiter: tuple[asyncio.AbstractEventLoop, asyncio.Future]) -> Any:
        handed = waiter[1]
        try:
            async with asyncio.timeout(self._timeout):
                return await handed
        except BaseException as exc:  # timed out or cancelled
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            if handed.done() and not handed.cancelled():  # handed over just before: give back
                self._give_back(handed.result())
            if isinstance(exc, TimeoutError):
                raise SATimeoutError(f"no lookup connection free within {self._timeout:.0f} s"
                                     ) from None
            raise

    def _release(self, item: Any) -> bool:
        """Hand ``item`` (a sound connection with its idle time, or ``_OPEN``) to the oldest
        waiter, or keep it. True when the caller must close the connection instead."""
        while True:
            with self._lock:
                if not self._waiters or self._closed:
                    if item is _OPEN:
                        self._open -= 1
                        return False
                    if self._closed or len(self._free) >= self._size:
                        self._open -= 1
                        return True
                    self._free.append(item)
                    return False
                loop, handed = self._waiters.popleft()
            try:
                loop.call_soon_threadsafe(self._hand, loop, handed, item)
                return False
            except RuntimeError:  # that waiter's loop has ended: the next one
                continue

    def _hand(self, loop: asyncio.AbstractEventLoop, handed: asyncio.Future, item: Any) -> None:
        """On the waiter's loop: its item, or back to the pool if it stopped waiting."""
        if not handed.done():
            handed.set_result(item)
        else:
            self._give_back(item)

    def _give_back(self, item: Any) -> None:
        """An item handed to a waiter that stopped waiting: to the next one, or kept, or closed
        (on the running loop)."""
        if item is not None and self._release(item) and item is not _OPEN:
            _close_soon(item[0])

    async def connect(self) -> psycopg.AsyncConnection:
        """A new connection as the pool opens them, not counted in its ``size``."""
        try:
            return await psycopg.AsyncConnection.connect(self._dsn, autocommit=True,
                                                         row_factory=namedtuple_row)
        except psycopg.Error as exc:
            raise hidden_error("connect", exc) from exc

    async def alive(self, conn: psycopg.AsyncConnection, idle_since: float) -> bool:
        """False for a connection that went away while idle (restart, network); one idle for
        less than ``idle_ping`` seconds is taken on trust, as db.py does."""
        if time.monotonic() - idle_since < self._idle_ping:
            return True
        try:
            await conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    @staticmethod
    def sound(conn: psycopg.AsyncConnection) -> bool:
        """Open, not broken and idle (no statement or transaction left over)."""
        return not conn.closed and not conn.broken \
            and conn.info.transaction_status == TransactionStatus.IDLE

    async def give(self, conn: psycopg.AsyncConnection) -> None:
        """Back to a waiter or the free list, if it is sound and idle; closed otherwise."""
        if self.sound(conn):
            if self._release((conn, time.monotonic())):
                await conn.close()
            return
        await self._discard(conn)

    async def _discard(self, conn: psycopg.AsyncConnection) -> None:
        self._release(_OPEN)
        await conn.close()

    async def close(self) -> None:
        """Close the free connections and send the waiters away (None); those in use are closed
        when given back."""
        with self._lock:
            self._closed = True
            free, self._free = self._free, []
            waiters, self._waiters = list(self._waiters), collections.deque()
            self._open -= len(free)
        for loop, handed in waiters:
            try:
                loop.call_soon_threadsafe(self._hand, loop, handed, None)
            except RuntimeError:
                pass
        for conn, _ in free:
            await conn.close()

    @property
    def in_use(self) -> int:
        with self._lock:
            return self._open - len(self._free)


async def rows(pool: LookupPool, conn: psycopg.AsyncConnection, stmt: Executable,
               params: dict[str, Any]) -> list[Any]:
    """All rows of ``stmt`` (a statement built once, see ``db.rows``) on ``conn``."""
    sql, fixed = pg_compiled(pool.dialect, stmt)
    try:
        cur = conn.cursor()
        await cur.execute(sql, {**fixed, **params} if fixed else params, prepare=True)
        return await cur.fetchall()
    except psycopg.Error as exc:
        raise hidden_error(sql, exc) from exc


@dataclass
class _Loop:
    waiting: list[tuple[audit.Entry, asyncio.Future]] = field(default_factory=list)
    writer: asyncio.Task | None = None


class AsyncGroupAppender:
    """グループコミット on an event loop: ``audit.GroupAppender`` for the lookup's asyncio path."""

    def __init__(self, pool: LookupPool, max_group: int = 64) -> None:
        self._pool, self._max = pool, max_group
        self._loops: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self._kept: tuple[psycopg.AsyncConnection, float] | None = None
        self._closed = False

    async def append(self, **row: Any) -> audit.Entry:
        """Append one row (``audit.Entry.now``'s keywords); returns once it is durable."""
        loop = asyncio.get_running_loop()
        state = self._loops.get(loop)
        if state is None:
            state = self._loops[loop] = _Loop()
        done = loop.create_future()
        state.waiting.append((audit.Entry.now(**row), done))
        if state.writer is None:
            state.writer = loop.create_task(self._write_waiting(state))
        return await done

    async def _write_waiting(self, state: _Loop) -> None:
        group: list = []
        try:
            while state.waiting:
                group = state.waiting[:self._max]
                del state.waiting[:self._max]
                await self._write(group)
                group = []
        except BaseException as exc:  # cancelled (shutdown): no row left waiting for ever
            stopped = exc if isinstance(exc, Exception) else RuntimeError("audit writer stopped")
            for _, done in group + state.waiting:
                if not done.done():
                    done.set_exception(stopped)
            state.waiting.clear()
            raise
        finally:
            state.writer = None

    async def _write(self, group: list[tuple[audit.Entry, asyncio.Future]]) -> None:
        try:
            await self._insert([e for e, _ in group])
        except Exception as exc:
            if len(group) > 1:  # fresh rows, each alone: one bad row fails only its request
                for entry, done in group:
                    await self._write([(entry.fresh(), done)])
                return
            for _, done in group:
                if not done.done():
                    done.set_exception(exc)
            return
        for entry, done in group:
            if not done.done():
                done.set_result(entry)

    async def _insert(self, events: list[audit.Entry]) -> None:
        conn = await self._connection()
        try:
            cur = conn.cursor()
            await cur.execute(audit.PG_APPEND, audit.pg_append_param(events), prepare=True)
            audit.pg_written(events, await cur.fetchall())
        except psycopg.Error as exc:
            raise hidden_error(audit.PG_APPEND, exc) from exc
        finally:
            await self._done_with(conn)

    async def _connection(self) -> psycopg.AsyncConnection:
        """The writer's own connection, kept between groups (a connection from the lookups' pool
        had the writer wait behind them, or open one more each time, a new backend per group)."""
        with self._lock:
            kept, self._kept = self._kept, None
        if kept is not None:
            try:
                if await self._pool.alive(*kept):
                    return kept[0]
            except BaseException:  # cancelled while pinging
                _close_soon(kept[0])
                raise
            await kept[0].close()
        return await self._pool.connect()

    async def _done_with(self, conn: psycopg.AsyncConnection) -> None:
        with self._lock:
            if self._pool.sound(conn) and self._kept is None and not self._closed:
                self._kept = (conn, time.monotonic())
                return
        await conn.close()

    async def close(self) -> None:
        """Close the kept connection (the app's shutdown); a writer still busy closes its own."""
        with self._lock:
            self._closed = True
            kept, self._kept = self._kept, None
        if kept is not None:
            await kept[0].close()
