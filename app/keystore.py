"""Session-key store (セッション鍵の保管) in the OS keyring (SYNC-4).

Each session cache is encrypted with a random 256-bit key that lives only in the OS keyring,
under the session id. Deleting the key crypto-shreds the cache (see ``app.session_cache``).

* ``KeyStore``: the protocol (put / get / delete a key by session id, list the ids it holds).
* ``KeyringKeyStore``: the real one, through the ``keyring`` package (Secret Service on Linux,
  Keychain on macOS, Credential Manager on Windows).
* ``MemoryKeyStore``: an in-memory fake for fast unit tests only.
* ``check_backend_secure()``: refuses plaintext / null / fail backends; ``open_keystore(production=
  True)`` calls it, so the client refuses to start on an insecure keyring.

Keys are never logged; only a short prefix of the session id is.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any, Protocol, runtime_checkable

log = logging.getLogger(__name__)

#: The keyring "service" name under which session keys are stored.
SERVICE = "jp.madoguchi.session-cache"
#: The entry listing the session ids that have a key (the keyring API cannot enumerate).
_INDEX = "__index__"
KEY_BYTES = 32

_SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def validate_session_id(session_id: str) -> str:
    """A session id is also a file name: letters, digits, ``-`` and ``_`` only."""
    if not isinstance(session_id, str) or not _SESSION_ID.match(session_id) or session_id == _INDEX:
        raise ValueError("invalid session id")
    return session_id


@runtime_checkable
class KeyStore(Protocol):
    """Where session keys live (セッション鍵の保管先)."""

    def put(self, session_id: str, key: bytes) -> None: ...

    def get(self, session_id: str) -> bytes | None: ...

    def delete(self, session_id: str) -> None:
        """Remove the key; no error when there is none."""
        ...

    def session_ids(self) -> list[str]:
        """Session ids that hold a key (for crash recovery of orphan keys)."""
        ...


class KeyStoreError(RuntimeError):
    """The keyring failed (鍵の保管に失敗しました)."""


class InsecureKeyringError(RuntimeError):
    """The OS keyring backend is not a secure store; the client must not start."""

    def __init__(self, backend_name: str) -> None:
        self.backend_name = backend_name
        self.message_ja = (
            f"安全な鍵保管庫（OSのキーリング）が利用できません（{backend_name}）。"
            "平文・無効な保管先ではセッションキャッシュの鍵を保存できないため、起動できません。"
            "情報主管課に連絡してください。"
        )
        self.message_en = (
            f"No secure OS keyring is available (backend: {backend_name}). Session-cache keys "
            "cannot be kept in a plaintext, null or failing backend, so the client will not start. "
            "Contact IT."
        )
        super().__init__(f"{self.message_ja} / {self.message_en}")


# Backends that keep secrets in an OS-protected store (module, class name).
_SECURE_BACKENDS = frozenset(
    {
        ("keyring.backends.SecretService", "Keyring"),
        ("keyring.backends.libsecret", "Keyring"),
        ("keyring.backends.macOS", "Keyring"),
        ("keyring.backends.Windows", "WinVaultKeyring"),
        ("keyring.backends.kwallet", "DBusKeyring"),
        ("keyring.backends.kwallet", "DBusKeyringKWallet4"),
    }
)


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _leaves(backend: Any) -> list[Any]:
    """The backends a chainer would use, or the backend itself."""
    inner = getattr(backend, "backends", None)
    if type(backend).__name__ == "ChainerBackend" and inner is not None:
        return list(inner)
    return [backend]


def check_backend_secure(backend: Any = None) -> None:
    """Raise ``InsecureKeyringError`` unless every backend in use is an OS secure store.

    Plaintext files (keyrings.alt), ``null`` and ``fail`` backends and anything unknown are
    refused (an allow-list, not a deny-list). ``backend`` defaults to ``keyring.get_keyring()``.
    """
    if backend is None:
        import keyring

        backend = keyring.get_keyring()
    leaves = _leaves(backend)
    if not leaves:
        raise InsecureKeyringError(_backend_name(backend))
    for leaf in leaves:
        cls = type(leaf)
        if (cls.__module__, cls.__name__) not in _SECURE_BACKENDS:
            raise InsecureKeyringError(_backend_name(leaf))
        try:
            viable = float(leaf.priority) > 0  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a backend that cannot even rate itself is unusable
            viable = False
        if not viable:
            raise InsecureKeyringError(_backend_name(leaf) + " (unavailable)")


class KeyringKeyStore:
    """Session keys in the OS keyring through the ``keyring`` package."""

    def __init__(self, backend: Any = None, service: str = SERVICE) -> None:
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        self._backend = backend
        self._service = service
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KeyringKeyStore({_backend_name(self._backend)})"

    # The index lists session ids with a key, so crash recovery can find orphan keys.
    def _read_index(self) -> list[str]:
        raw = self._backend.get_password(self._service, _INDEX)
        if not raw:
            return []
        try:
            ids = json.loads(raw)
        except ValueError:
            return []
        return [i for i in ids if isinstance(i, str) and _SESSION_ID.match(i)]

    def _write_index(self, ids: list[str]) -> None:
        if ids:
            self._backend.set_password(self._service, _INDEX, json.dumps(sorted(set(ids))))
        else:
            self._delete_entry(_INDEX)

    def _delete_entry(self, name: str) -> None:
        from keyring.errors import PasswordDeleteError

        try:
            self._backend.delete_password(self._service, name)
        except PasswordDeleteError:
            pass  # already gone

    def put(self, session_id: str, key: bytes) -> None:
        validate_session_id(session_id)
        if len(key) != KEY_BYTES:
            raise ValueError("session keys are 32 bytes")
        with self._lock:
            try:
                # Index first: a crash after it leaves an id without a key, never a lost key.
                self._write_index([*self._read_index(), session_id])
                self._backend.set_password(self._service, session_id, key.hex())
            except Exception as exc:  # noqa: BLE001
                raise KeyStoreError("鍵をキーリングに保存できません / cannot store the key") from exc

    def get(self, session_id: str) -> bytes | None:
        validate_session_id(session_id)
        value = self._backend.get_password(self._service, session_id)
        if value is None:
            return None
        try:
            key = bytes.fromhex(value)
        except ValueError:
            return None
        return key if len(key) == KEY_BYTES else None

    def delete(self, session_id: str) -> None:
        validate_session_id(session_id)
        with self._lock:
            self._delete_entry(session_id)
            if self._backend.get_password(self._service, session_id) is not None:
                raise KeyStoreError("鍵を削除できません / cannot delete the key")
            self._write_index([i for i in self._read_index() if i != session_id])

    def session_ids(self) -> list[str]:
        with self._lock:
            return self._read_index()


class MemoryKeyStore:
    """In-memory fake for unit tests (never for production: the key dies with the process only)."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"MemoryKeyStore({len(self._keys)} keys)"

    def put(self, session_id: str, key: bytes) -> None:
        validate_session_id(session_id)
        if len(key) != KEY_BYTES:
            raise ValueError("session keys are 32 bytes")
        self._keys[session_id] = bytes(key)

    def get(self, session_id: str) -> bytes | None:
        return self._keys.get(validate_session_id(session_id))

    def delete(self, session_id: str) -> None:
        self._keys.pop(validate_session_id(session_id), None)

    def session_ids(self) -> list[str]:
        return sorted(self._keys)


def open_keystore(production: bool = True, backend: Any = None) -> KeyringKeyStore:
    """The keyring key store; in production an insecure backend raises ``InsecureKeyringError``."""
    if backend is None:
        import keyring

        backend = keyring.get_keyring()
    if production:
        check_backend_secure(backend)
    else:
        log.warning("keyring backend not checked (development mode): %s", _backend_name(backend))
    return KeyringKeyStore(backend)
