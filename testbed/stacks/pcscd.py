"""A private pcscd + vsmartcard-vpcd for the card tests (tests/drivers/conftest.py) and
bench/card_read.py, started and stopped by the test session or the benchmark.

pcscd runs in the foreground with ``--config <tmp dir>`` holding one vpcd reader entry on a free
port pair, so the readers are "Madoguchi Test PCD 00 00" (port p) and "... 00 01" (port p+1).
pcscd 1.9.9 ignores PCSCLITE_CSOCK_NAME (doc §3.4), so its client socket is the system one in
/run/pcscd: if another pcscd already serves it, we refuse to start rather than disturb it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from smartcard import scard

from drivers.card import pcsc
from drivers.card.virtual import VirtualMyNumberCard, VpcdCard
from testbed.stacks.daemons import stop_process_group, unix_socket_served

PCSCD = "/usr/sbin/pcscd"
VPCD_LIB = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
PCSCD_SOCKET = "/run/pcscd/pcscd.comm"
FRIENDLY = "Madoguchi Test PCD"


def _free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port >= 65535:
            continue
        try:
            with socket.socket() as s2:
                s2.bind(("0.0.0.0", port + 1))
            with socket.socket() as s1:
                s1.bind(("0.0.0.0", port))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair for vpcd")


def wait_card_state(reader: str, present: bool, timeout: float = 10.0) -> None:
    """Block in SCardGetStatusChange until the reader shows (or stops showing) a card."""
    ctx = pcsc.establish_context()
    try:
        deadline = time.monotonic() + timeout
        current = scard.SCARD_STATE_UNAWARE
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{reader}: card {'present' if present else 'absent'} not seen in {timeout}s")
            hr, states = scard.SCardGetStatusChange(ctx, int(remaining * 1000), [(reader, current)])
            if hr == scard.SCARD_E_TIMEOUT:
                continue
            assert hr == scard.SCARD_S_SUCCESS, hex(hr)
            _name, state, _atr = states[0]
            if bool(state & scard.SCARD_STATE_PRESENT) == present and not state & scard.SCARD_STATE_MUTE:
                return
            current = state & ~scard.SCARD_STATE_CHANGED
    finally:
        scard.SCardReleaseContext(ctx)


@dataclass
class PcscStack:
    workdir: Path
    port: int = field(default_factory=_free_port_pair)
    proc: subprocess.Popen | None = None
    # vsmartcard-vpcd 3.3 does not notice a card re-inserted on a port whose previous card vanished
    # in the middle of a transmit; after such a test the stack is restarted (see restart()).
    needs_restart: bool = False

    @property
    def readers(self) -> list[str]:
        return [f"{FRIENDLY} 00 00", f"{FRIENDLY} 00 01"]

    def port_of(self, slot: int) -> int:
        return self.port + slot

    def start(self, timeout: float = 15.0) -> None:
        for path in (PCSCD, VPCD_LIB):
            if not os.path.exists(path):
                raise RuntimeError(f"{path} missing: apt-get install pcscd vsmartcard-vpcd libpcsclite-dev")
        if unix_socket_served(PCSCD_SOCKET):
            raise RuntimeError(f"another pcscd already serves {PCSCD_SOCKET}; stop it before running tests/drivers")
        conf = self.workdir / "reader.conf.d"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "vpcd").write_text(
            f'FRIENDLYNAME "{FRIENDLY}"\nDEVICENAME   /dev/null:0x{self.port:04X}\n'
            f"LIBPATH      {VPCD_LIB}\nCHANNELID    0x{self.port:04X}\n")
        log = open(self.workdir / "pcscd.log", "ab")
        self.proc = subprocess.Popen([PCSCD, "--foreground", "--config", str(conf), os.environ.get("MADOGUCHI_PCSCD_LOG", "--error")],
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while True:   # bounded readiness poll: pcscd gives no readiness signal
            if self.proc.poll() is not None:
                raise RuntimeError(f"pcscd exited ({self.proc.returncode}); see {self.workdir / 'pcscd.log'}")
            try:
                if set(self.readers) <= set(pcsc.list_readers()):
                    return
            except Exception:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("pcscd did not list the vpcd readers in time")
            time.sleep(0.05)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        stop_process_group(proc)

    def restart(self) -> None:
        self.stop()
        self.start()
        self.needs_restart = False

    def insert(self, card: VirtualMyNumberCard, slot: int = 0, remove_after: int | None = None) -> VpcdCard:
        if remove_after is not None:
            self.needs_restart = True
        vc = VpcdCard(card, port=self.port_of(slot), remove_after=remove_after).insert()
        wait_card_state(self.readers[slot], present=True)
        return vc

    def remove(self, vc: VpcdCard, slot: int = 0) -> None:
        vc.remove()
        wait_card_state(self.readers[slot], present=False)


def make_stack() -> PcscStack:
    return PcscStack(Path(tempfile.mkdtemp(prefix="madoguchi-pcsc-")))


def cleanup(stack: PcscStack) -> None:
    stack.stop()
    shutil.rmtree(stack.workdir, ignore_errors=True)
