"""A private Secret Service for the cache tests: our own D-Bus session bus and gnome-keyring-daemon.

Session-scoped: one bus (``dbus-daemon --session --nofork`` on a socket in a temporary directory)
and one ``gnome-keyring-daemon --foreground --components=secrets --unlock`` (the login keyring is
created and unlocked with a throw-away password on stdin; its files live in the temporary
XDG_DATA_HOME). Readiness is read from the daemons themselves (the bus prints its address, the
keyring prints its environment), and the Secret Service is awaited on the bus itself (a
NameOwnerChanged subscription for org.freedesktop.secrets made before the daemon starts).
``DBUS_SESSION_BUS_ADDRESS`` points the ``keyring`` backend at this bus, set per test
(monkeypatch) only for tests that use it, so later Qt tests never see this bus; both processes are
stopped by their pid at the end.
Works as root with no display and no pre-existing user session.
"""
from __future__ import annotations

import os
import selectors
import shutil
import subprocess
from dataclasses import dataclass

import pytest

READY_TIMEOUT = 30.0


def _read_line(proc: subprocess.Popen, stream, what: str) -> str:
    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    data = b""
    try:
        while not data.endswith(b"\n"):
            if not sel.select(READY_TIMEOUT):
                raise RuntimeError(f"{what} did not become ready")
            chunk = os.read(stream.fileno() if hasattr(stream, "fileno") else stream, 4096)
            if not chunk:
                raise RuntimeError(f"{what} exited (rc={proc.poll()})")
            data += chunk
    finally:
        sel.close()
    return data.decode().strip()


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class SecretService:
    bus_address: str
    env: dict
    keyring_pid: int

    def backend(self):
        from keyring.backends.SecretService import Keyring

        return Keyring()


class NameWatcher:
    """Waits for a well-known name to get an owner on the bus: subscribes to NameOwnerChanged
    before the daemon starts, so the signal cannot be missed (no polling, no sleeps)."""

    def __init__(self, address: str, name: str) -> None:
        from jeepney import MatchRule, message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.name = name
        self.conn = open_dbus_connection(bus=address)
        self.rule = MatchRule(type="signal", sender="org.freedesktop.DBus",
                              interface="org.freedesktop.DBus", member="NameOwnerChanged",
                              path="/org/freedesktop/DBus")
        self.rule.add_arg_condition(0, name)
        self.queue_cm = self.conn.filter(self.rule)
        self.queue = self.queue_cm.__enter__()
        self.conn.send_and_get_reply(message_bus.AddMatch(self.rule))

    def wait(self, timeout: float) -> None:
        from jeepney import message_bus

        try:
            if self.conn.send_and_get_reply(message_bus.NameHasOwner(self.name)).body[0]:
                return
            while True:
                signal = self.conn.recv_until_filtered(self.queue, timeout=timeout)
                if signal.body[0] == self.name and signal.body[2]:
                    return
        finally:
            self.queue_cm.__exit__(None, None, None)
            self.conn.close()


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory):
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        assert shutil.which(tool), f"{tool} is required (Debian: dbus, gnome-keyring)"
    base = tmp_path_factory.mktemp("secret-service")
    for sub in ("run", "data", "config", "cache", "home"):
        (base / sub).mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOME=str(base / "home"), XDG_RUNTIME_DIR=str(base / "run"),
               XDG_DATA_HOME=str(base / "data"), XDG_CONFIG_HOME=str(base / "config"),
               XDG_CACHE_HOME=str(base / "cache"))

    read_fd, write_fd = os.pipe()
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nosyslog",
         f"--address=unix:path={base / 'run' / 'bus'}", f"--print-address={write_fd}"],
        pass_fds=(write_fd,), env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    keyring_proc = None
    try:
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            address = _read_line(bus, pipe, "dbus-daemon")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        watcher = NameWatcher(address, "org.freedesktop.secrets")
        keyring_proc = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--components=secrets", "--unlock",
             f"--control-directory={base / 'run' / 'keyring'}"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        keyring_proc.stdin.write(b"madoguchi-test-only")  # unlock password for the login keyring
        keyring_proc.stdin.close()
        ready = _read_line(keyring_proc, keyring_proc.stdout, "gnome-keyring-daemon")
        assert ready.startswith("GNOME_KEYRING_CONTROL="), ready
        watcher.wait(READY_TIMEOUT)  # the Secret Service is on the bus
        yield SecretService(address, env, keyring_proc.pid)
    finally:
        if keyring_proc is not None:
            _stop(keyring_proc)
            keyring_proc.stdout.close()
        _stop(bus)


@pytest.fixture(autouse=True)
def _private_bus_env(request, monkeypatch):
    """Tests that use the Secret Service see only the private bus; nothing leaks to other tests."""
    if "secret_service" in request.fixturenames:
        service = request.getfixturevalue("secret_service")
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)


@pytest.fixture
def keystore(secret_service):
    """The real keyring key store on the private Secret Service; left empty after each test."""
    from app.keystore import KeyringKeyStore

    store = KeyringKeyStore(secret_service.backend())
    yield store
    for session_id in store.session_ids():
        store.delete(session_id)
