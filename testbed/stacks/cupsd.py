"""A private CUPS scheduler for the printing tests, started and stopped by the test session.

cupsd (Debian's ``cups-daemon``) runs in the foreground from a temporary ServerRoot: it listens only
on a Unix socket in that directory, knows one raw queue whose backend writes what reaches the
device into a file, and keeps the history of finished jobs, so a test can print through the real spooler — Qt's CUPS
plugin, libcups, the scheduler, a backend — and then read what reached the "printer" and
what the queue recorded about the job. The system's own CUPS (if any) is never touched: the test
process points libcups at the private socket — ``CUPS_SERVER`` for threads that have not asked
libcups yet, ``cupsSetServer`` for the calling thread (libcups keeps its server per thread, so the
print must run on that thread or a new one: the tests run background work synchronously) — and
puts both back when the scheduler stops.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from testbed.stacks.daemons import stop_process_group, unix_socket_served

CUPSD = "/usr/sbin/cupsd"
LPSTAT = "/usr/bin/lpstat"
QUEUE = "Madoguchi_Test"

_CUPSD_CONF = """\
Listen {root}/cups.sock
LogLevel info
MaxLogSize 0
PreserveJobHistory Yes
PreserveJobFiles No
Browsing No
DefaultAuthType None
WebInterface No
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""

_FILES_CONF = """\
ServerRoot {root}/etc
RequestRoot {root}/spool
TempDir {root}/spool/tmp
StateDir {root}/state
CacheDir {root}/cache
ServerBin {root}/serverbin
DataDir /usr/share/cups
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
Sandboxing Relaxed
"""

# The "printer": a backend that writes the job as it reaches the device into one file, renamed
# into place when whole (so a reader never sees half a job). Backends owned by root with mode 0700
# run as root; the scheduler lists it when called without arguments (device discovery).
_BACKEND = """\
#!/bin/sh
if [ $# -eq 0 ]; then
  echo 'direct madoguchi "Unknown" "Madoguchi test printer"'
  exit 0
fi
out="${DEVICE_URI#madoguchi:}"
if [ -n "$6" ]; then cat "$6" > "$out.part"; else cat > "$out.part"; fi || exit 1
mv "$out.part" "$out"
"""

_PRINTERS_CONF = """\
<DefaultPrinter {queue}>
Info Madoguchi test printer (a file)
DeviceURI madoguchi:{out}
State Idle
Accepting Yes
Shared No
</DefaultPrinter>
"""


@dataclass
class CupsStack:
    root: Path
    proc: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def socket(self) -> Path:
        return self.root / "cups.sock"

    @property
    def output(self) -> Path:
        """What the printer received (the file device), rewritten by each job."""
        return self.root / "out" / "printed.prn"

    def start(self, timeout: float = 15.0) -> None:
        for d in ("etc", "spool/tmp", "state", "cache", "log", "out", "serverbin/backend"):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)  # cupsd refuses a ServerRoot others may write to
        for d in ("filter", "daemon", "cgi-bin", "monitor", "notifier"):  # the system's own
            system = Path("/usr/lib/cups") / d
            if system.exists():
                (self.root / "serverbin" / d).symlink_to(system)
        backend = self.root / "serverbin" / "backend" / "madoguchi"
        backend.write_text(_BACKEND)
        os.chmod(backend, 0o700)
        (self.root / "etc" / "cupsd.conf").write_text(_CUPSD_CONF.format(root=self.root))
        (self.root / "etc" / "cups-files.conf").write_text(_FILES_CONF.format(root=self.root))
        (self.root / "etc" / "printers.conf").write_text(
            _PRINTERS_CONF.format(queue=QUEUE, out=self.output))
        for conf in (self.root / "etc").iterdir():
            os.chmod(conf, 0o640)
        self.proc = subprocess.Popen(
            [CUPSD, "-f", "-c", str(self.root / "etc" / "cupsd.conf"),
             "-s", str(self.root / "etc" / "cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not unix_socket_served(self.socket):  # bounded readiness poll: cupsd gives no signal
            if self.proc.poll() is not None:
                raise RuntimeError(f"cupsd exited: {self.proc.stderr.read().decode()[-500:]}"
                                   f" {self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"cupsd did not listen on {self.socket}: {self.log()}")
            time.sleep(0.05)
        self.env = {"CUPS_SERVER": str(self.socket)}
        os.environ.update(self.env)
        self._set_server(str(self.socket).encode())

    @staticmethod
    def _set_server(server: bytes | None) -> None:
        """libcups's server for the calling thread (None: back to its defaults)."""
        lib = ctypes.util.find_library("cups")
        if lib:
            ctypes.CDLL(lib).cupsSetServer(ctypes.c_char_p(server))

    def log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def jobs(self, which: str = "completed") -> list[str]:
        """``lpstat -W which`` for the test queue: one line per job."""
        out = subprocess.run([LPSTAT, "-h", str(self.socket), "-W", which, "-o", QUEUE],
                             capture_output=True, text=True, check=True)
        return [line for line in out.stdout.splitlines() if line.strip()]

    def job_records(self) -> bytes:
        """What the scheduler keeps about finished jobs, readable by anyone who may list the queue
        (job name, user, pages): the jobs' control files and the page log, as bytes."""
        paths = sorted((self.root / "spool").glob("c*")) + [self.root / "log" / "page_log"]
        return b"".join(p.read_bytes() for p in paths if p.is_file())

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if self.env:
            for key in self.env:
                os.environ.pop(key, None)
            self.env = {}
            self._set_server(None)
        stop_process_group(proc)


def make_stack() -> CupsStack:
    for tool in (CUPSD, LPSTAT):
        assert shutil.which(tool), f"{tool} is installed by scripts/setup.sh (cups-daemon, cups-client)"
    return CupsStack(Path(tempfile.mkdtemp(prefix="madoguchi-cups-")))


def cleanup(stack: CupsStack) -> None:
    stack.stop()
    shutil.rmtree(stack.root, ignore_errors=True)
