"""What the stacks that start a private daemon (pcscd in ``testbed/stacks/pcscd.py``, cupsd in
``testbed/stacks/cupsd.py``) share: whether a Unix socket is being served, and stopping a daemon
started in its own session (``start_new_session=True``) with everything it forked."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path


def unix_socket_served(path: str | Path) -> bool:
    """Something accepts connections on the Unix socket at ``path``."""
    if not os.path.exists(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        try:
            s.connect(str(path))
            return True
        except OSError:
            return False


def stop_process_group(proc: subprocess.Popen | None, timeout: float = 10.0) -> None:
    """SIGTERM to the daemon's process group; SIGKILL if it has not ended within ``timeout``."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout)
