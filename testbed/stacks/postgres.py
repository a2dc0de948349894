"""A throw-away PostgreSQL cluster from Debian's binaries, on loopback, for tests and benchmarks
(the ``pg_cluster`` fixture of tests/conftest.py; bench/common.py).

Started with initdb + pg_ctl in a temporary directory (as the ``postgres`` user when we are root,
because PostgreSQL refuses to run as root), stopped and deleted afterwards.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found: run scripts/setup.sh "
                           "(Debian package postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    root: Path
    port: int
    bindir: Path
    as_postgres: bool

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start(durable: bool = False) -> Cluster:
    """Start a cluster. ``durable=False`` turns fsync off (tests); benchmarks pass True."""
    root = Path(tempfile.mkdtemp(prefix="madoguchi-pg-"))
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    c = Cluster(root, _free_port(), bindir(), as_postgres)
    data = root / "data"
    c._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
           "--no-locale")
    opts = [f"-p {c.port}", "-c listen_addresses=127.0.0.1", f"-k {root}",
            "-c max_connections=200"]
    if not durable:
        opts += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    c._run("pg_ctl", "-D", str(data), "-l", str(root / "log"), "-o", " ".join(opts), "-w",
           "start")
    return c
