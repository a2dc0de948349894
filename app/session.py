"""作業セッション: the client-side rules of an operator's session (no Qt).

``SessionClock`` decides, from the centre's policy and a monotonic clock, when the screen locks and
when the session ends:

* no input for ``idle_lock_minutes`` (default 5, 001 L475) → **lock**: personal data leaves the
  screen and only the same operator may continue, after re-entering the password (AUTH-7); what
  was typed stays (in memory and in the encrypted cache);
* a lock left for ``lock_logout_minutes`` → **end** (``IDLE_TIMEOUT``);
* ``max_session_minutes`` after login, or the server's ``expires_at`` if earlier → **end**
  (``SESSION_OUT``; loan devices 8 h, 000 L3584: a continuous connection beyond it is impossible).

``Workspace`` owns the session's encrypted cache (``app.session_cache``): made at login with a TTL
of the session length, crypto-shredded whenever the session ends, for whatever reason.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.api_client import OperatorSession
from app.keystore import KeyStore
from app.session_cache import SessionCache, ShredReason, recover_at_startup

log = logging.getLogger(__name__)

DEFAULT_LOCK_LOGOUT_MINUTES = 10


class EndReason(enum.Enum):
    """Why a session ended (セッション終了の理由)."""

    LOGOUT = "logout"  # the operator logged out
    IDLE_TIMEOUT = "idle_timeout"  # the lock screen was left too long
    SESSION_OUT = "session_out"  # maximum session length reached
    SERVER_ENDED = "server_ended"  # the centre no longer accepts the session
    REMOTE_DISABLE = "remote_disable"  # the centre disabled this terminal
    ACCOUNT_LOCKED = "account_locked"  # too many wrong passwords at the lock screen

    @property
    def shred_reason(self) -> ShredReason:
        return {
            EndReason.LOGOUT: ShredReason.LOGOUT,
            EndReason.IDLE_TIMEOUT: ShredReason.IDLE_LOCK,
            EndReason.SESSION_OUT: ShredReason.SESSION_OUT,
            EndReason.SERVER_ENDED: ShredReason.SESSION_OUT,
            EndReason.REMOTE_DISABLE: ShredReason.REMOTE_DISABLE,
            EndReason.ACCOUNT_LOCKED: ShredReason.LOGOUT,
        }[self]


class Verdict(enum.Enum):
    ACTIVE = "active"
    LOCK = "lock"
    END = "end"


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    reason: EndReason | None = None


@dataclass
class SessionClock:
    """Idle lock and session-out deadlines on a monotonic clock (seconds)."""

    idle_lock_s: float
    lock_logout_s: float
    ends_at: float  # monotonic deadline of the whole session
    last_activity: float
    locked_since: float | None = None

    @classmethod
    def for_session(cls, session: OperatorSession, now: float,
                    wall_now: dt.datetime | None = None) -> SessionClock:
        """Deadlines for ``session`` starting at monotonic ``now``.

        The session ends at the earlier of ``max_session_minutes`` and the server's ``expires_at``
        (converted once, at login, from wall-clock time to the monotonic clock).
        """
        policy = session.policy
        length = policy.max_session_minutes * 60.0
        if session.expires_at is not None:
            wall_now = wall_now or dt.datetime.now(dt.timezone.utc)
            expires = session.expires_at
            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=dt.timezone.utc)
            length = min(length, max(0.0, (expires - wall_now).total_seconds()))
        return cls(
            idle_lock_s=max(1, policy.idle_lock_minutes) * 60.0,
            lock_logout_s=max(1, policy.lock_logout_minutes) * 60.0,
            ends_at=now + length,
            last_activity=now,
        )

    @property
    def locked(self) -> bool:
        return self.locked_since is not None

    def touch(self, now: float) -> None:
        """The operator did something (input). Ignored while locked: only unlocking continues."""
        if self.locked_since is None:
            self.last_activity = max(self.last_activity, now)

    def lock(self, now: float) -> None:
        if self.locked_since is None:
            self.locked_since = now

    def unlock(self, now: float) -> None:
        self.locked_since = None
        self.last_activity = now

    def check(self, now: float) -> Check:
        """What should happen now: carry on, lock the screen, or end the session."""
        if now >= self.ends_at:
            return Check(Verdict.END, EndReason.SESSION_OUT)
        if self.locked_since is not None:
            if now - self.locked_since >= self.lock_logout_s:
                return Check(Verdict.END, EndReason.IDLE_TIMEOUT)
            return Check(Verdict.LOCK)
        if now - self.last_activity >= self.idle_lock_s:
            return Check(Verdict.LOCK)
        return Check(Verdict.ACTIVE)

    def remaining(self, now: float) -> float:
        """Seconds until the session ends (for the status bar)."""
        return max(0.0, self.ends_at - now)


@dataclass
class Workspace:
    """The terminal's encrypted working store for the open session (作業領域, SYNC-4).

    ``open`` makes a fresh SQLCipher cache whose key goes to the keystore; ``end`` crypto-shreds it.
    ``recover`` shreds whatever a crash left behind; call it once at start-up.
    """

    keystore: KeyStore
    directory: Path
    wall_clock: Callable[[], dt.datetime] = field(
        default=lambda: dt.datetime.now(dt.timezone.utc))
    cache: SessionCache | None = None

    def recover(self) -> list[str]:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        self._clear_prints()  # printouts a crash left behind
        return recover_at_startup(self.directory, self.keystore)

    def open(self, session: OperatorSession) -> SessionCache:
        """A new cache for ``session`` (TTL = the session's maximum length)."""
        if self.cache is not None:
            self.end(EndReason.LOGOUT)
        ttl = dt.timedelta(minutes=session.policy.max_session_minutes)
        self.cache = SessionCache.create(self.directory, self.keystore, ttl=ttl,
                                         clock=self.wall_clock)
        return self.cache

    @property
    def print_dir(self) -> Path:
        """Where this session's certificates wait to be printed (0700); emptied at session end."""
        path = self.directory / "print"
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    def end(self, reason: EndReason) -> None:
        """Crypto-shred the open cache (key first, then the files) and delete the session's
        printouts. Idempotent."""
        cache, self.cache = self.cache, None
        if cache is not None:
            cache.shred(reason.shred_reason)
        self._clear_prints()

    def _clear_prints(self) -> None:
        folder = self.directory / "print"
        if folder.is_dir():
            for item in folder.iterdir():
                item.unlink(missing_ok=True)


def monotonic() -> float:
    return time.monotonic()
