"""KeyStore: the real keyring store on a private gnome-keyring, the backend check, the fake."""
from __future__ import annotations

import secrets
import subprocess

import pytest
from keyring.backends import chainer, fail, null

from app.keystore import (SERVICE, InsecureKeyringError, KeyringKeyStore, MemoryKeyStore,
                          check_backend_secure, open_keystore)


def secret_tool_lookup(secret_service, session_id: str) -> subprocess.CompletedProcess:
    """Ask the Secret Service with libsecret's own CLI, independent of the keyring package."""
    return subprocess.run(["secret-tool", "lookup", "service", SERVICE, "username", session_id],
                          env=secret_service.env, capture_output=True, text=True, timeout=30)


def test_keyring_store_round_trip_lives_in_the_secret_service(secret_service, keystore):
    key = secrets.token_bytes(32)
    keystore.put("sess-a", key)
    assert keystore.get("sess-a") == key
    assert keystore.session_ids() == ["sess-a"]
    # The secret is really in gnome-keyring: another program on the bus reads it back.
    looked_up = secret_tool_lookup(secret_service, "sess-a")
    assert looked_up.returncode == 0 and looked_up.stdout.strip() == key.hex()
    # A fresh store object (a restarted client) still finds it.
    assert KeyringKeyStore(secret_service.backend()).get("sess-a") == key

    keystore.delete("sess-a")
    assert keystore.get("sess-a") is None
    assert keystore.session_ids() == []
    assert secret_tool_lookup(secret_service, "sess-a").stdout.strip() == ""
    keystore.delete("sess-a")  # deleting twice is fine


def test_keyring_store_refuses_bad_ids_and_key_sizes(keystore):
    for bad in ("", "../x", "a/b", "__index__", "x" * 65, "名前"):
        with pytest.raises(ValueError):
            keystore.put(bad, bytes(32))
    with pytest.raises(ValueError):
        keystore.put("ok", bytes(16))
    assert keystore.session_ids() == []


def test_memory_fake_behaves_like_the_protocol():
    store = MemoryKeyStore()
    key = secrets.token_bytes(32)
    store.put("s1", key)
    assert store.get("s1") == key and store.session_ids() == ["s1"]
    store.delete("s1")
    store.delete("s1")
    assert store.get("s1") is None and store.session_ids() == []
    assert key.hex() not in repr(store)


def test_secret_service_backend_is_accepted(secret_service):
    check_backend_secure(secret_service.backend())
    assert isinstance(open_keystore(production=True, backend=secret_service.backend()),
                      KeyringKeyStore)


class PlaintextKeyring:
    """Stands in for keyrings.alt's plaintext file backend (not installed here; not a registered
    KeyringBackend subclass, so it cannot leak into keyring's own backend discovery)."""

    priority = 1

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        pass

    def delete_password(self, service, username):
        pass


@pytest.mark.parametrize("backend", [null.Keyring(), fail.Keyring(), PlaintextKeyring()],
                         ids=["null", "fail", "plaintext"])
def test_insecure_backends_are_refused_with_japanese_and_english(backend):
    with pytest.raises(InsecureKeyringError) as err:
        check_backend_secure(backend)
    assert "安全な鍵保管庫" in str(err.value) and "No secure OS keyring" in str(err.value)
    assert type(backend).__name__ in err.value.backend_name
    with pytest.raises(InsecureKeyringError):
        open_keystore(production=True, backend=backend)
    open_keystore(production=False, backend=backend)  # development mode only warns


def test_a_chain_with_an_insecure_member_is_refused(secret_service, monkeypatch):
    chain = chainer.ChainerBackend()
    monkeypatch.setattr(chainer.ChainerBackend, "backends",
                        [secret_service.backend(), null.Keyring()])
    with pytest.raises(InsecureKeyringError) as err:
        check_backend_secure(chain)
    assert err.value.backend_name == "keyring.backends.null.Keyring"
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [secret_service.backend()])
    check_backend_secure(chain)


def test_secret_service_without_a_bus_is_refused(secret_service, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    with pytest.raises(InsecureKeyringError) as err:
        check_backend_secure(secret_service.backend())
    assert "unavailable" in err.value.message_en
