"""Shared pieces of the benchmarks: machine description, BENCHMARKS.md sections, fresh databases,
the API server subprocess, request signing, CPU accounting and percentiles.

``python -m bench.common serve --app central|bare --socket nodelay|cli --port-file F`` is the server
entry point the benchmarks start in a subprocess: one uvicorn worker on 127.0.0.1 and an ephemeral
port written to ``F``. ``--socket cli`` serves exactly as ``madoguchi-central serve`` does
(``central.cli``: PostgreSQL in one forked worker per core); ``--socket nodelay`` is one process
with the same uvicorn configuration and a listening socket created with ``IPPROTO_TCP``, so that
asyncio sets TCP_NODELAY on accepted connections (a proto-0 socket leaves Nagle on, which cost
~40 ms per keep-alive response; ``central.cli.listen_socket`` now does the same).
The central app reads ``DATABASE_URL`` and ``MADOGUCHI_DATA_KEY`` from the environment.
"""
from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import importlib.metadata
import math
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
_CLK_TCK = os.sysconf("SC_CLK_TCK")

_HEADER = """# Madoguchi benchmarks

Measured figures of the central API and its data loading. Each section is written by one benchmark
script between its own `<!-- bench:NAME -->` … `<!-- /bench:NAME -->` markers; rerunning a script
rewrites only its section (edit the scripts, not the figures). Every section states the machine, the
date and the exact command that reproduces it.
"""


# --- machine and BENCHMARKS.md ------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def postgres_version() -> str:
    try:
        from testbed.stacks.postgres import bindir

        out = subprocess.run([str(bindir() / "postgres"), "--version"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        m = re.search(r"\d+(\.\d+)+", out)
        return m.group(0) if m else (out or "?")
    except Exception:  # noqa: BLE001 - informational only
        return "not installed"


def machine_line() -> str:
    """One Markdown paragraph describing where and when the figures were measured."""
    nproc = len(os.sched_getaffinity(0))
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, AttributeError):
        pass
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"Machine: nproc={nproc} ({_cpu_model()}){mem}, Linux {platform.release()}; "
            f"Python {platform.python_version()}; PostgreSQL {postgres_version()}; "
            f"SQLite {sqlite3.sqlite_version}; fastapi {_version('fastapi')}, "
            f"uvicorn {_version('uvicorn')}, SQLAlchemy {_version('sqlalchemy')}, "
            f"psycopg {_version('psycopg')}, httpx {_version('httpx')}. Date: {now}.")


def write_section(name: str, body: str, path: Path = BENCHMARKS_MD) -> None:
    """Replace (or append) this benchmark's section of BENCHMARKS.md, leaving the others alone.

    The file is rewritten in place under an exclusive ``flock`` so that two benchmarks finishing at
    the same time do not lose each other's section.
    """
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    with os.fdopen(fd, "r+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        text = f.read()
        if not text.strip():
            text = _HEADER
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
        if pattern.search(text):
            text = pattern.sub(lambda _m: block, text, count=1)
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        f.seek(0)
        f.write(text)
        f.truncate()


def publish(name: str, body: str, no_write: bool, shown: str | None = None) -> None:
    """Print a benchmark's section (or ``shown``, a plain-text version of it) and, unless
    ``no_write``, put the section into BENCHMARKS.md."""
    if shown is not None:
        print()
    print(body if shown is None else shown)
    if not no_write:
        write_section(name, body)
        print(f"\nwrote the {name} section of {BENCHMARKS_MD}")


def section_head(title: str, command: str) -> list[str]:
    """The opening lines every BENCHMARKS.md section shares: title, machine, how to reproduce."""
    return [title, "", machine_line(), "", "Reproduce (from the repository root):", "", "```sh",
            command, "```", ""]


def md_table(headers: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A GitHub Markdown table; ``align`` is one character per column, l or r."""
    align = align or "l" * len(headers)
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """The same table as plain aligned text, for the terminal."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    fmt = "  ".join("{:>%d}" % w for w in widths)
    return "\n".join([fmt.format(*headers), fmt.format(*("-" * w for w in widths))]
                     + [fmt.format(*r) for r in rows])


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


# --- databases ----------------------------------------------------------------------------------


def start_postgres():
    """A durable (fsync on, synchronous_commit on) throw-away cluster on 127.0.0.1."""
    from testbed.stacks import postgres

    return postgres.start(durable=True)


def create_pg_database(cluster, name: str) -> str:
    from sqlalchemy import create_engine, text

    eng = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        eng.dispose()
    return cluster.url(name)


def settle_postgres(url: str) -> None:
    """Start a measurement from a settled database: VACUUM ANALYZE and a CHECKPOINT, so that the
    autovacuum and checkpoint owed for the previous cells' tens of thousands of audit rows do not
    land in the middle of the next (measured: 100-300 ms stalls in the first paced cell)."""
    from sqlalchemy import create_engine, text

    eng = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as c:
            c.execute(text("VACUUM (ANALYZE)"))
            c.execute(text("CHECKPOINT"))
    finally:
        eng.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def db_size_bytes(url: str) -> int:
    """On-disk size of the database: SQLite main file plus WAL; PostgreSQL pg_database_size."""
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    try:
        with eng.connect() as c:
            return int(c.execute(text("SELECT pg_database_size(current_database())")).scalar())
    finally:
        eng.dispose()


# --- CPU accounting -----------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rsplit(")", 1)[1].split()  # [state, ppid, ..., utime=11, stime=12, cutime, cstime]


def process_cpu_seconds(pid: int, children: bool = False) -> float:
    f = _stat_fields(pid)
    if f is None:
        return 0.0
    ticks = int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if children else 0)
    return ticks / _CLK_TCK


def process_tree_cpu_seconds(pid: int) -> float:
    """CPU used so far by a process, its reaped children and its live children (the API's worker
    processes when ``madoguchi-central serve`` forks several)."""
    total = process_cpu_seconds(pid, children=True)
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            f = _stat_fields(int(entry.name))
            if f is not None and f[1] == str(pid):
                total += (int(f[11]) + int(f[12])) / _CLK_TCK
    return total


def system_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores; /proc/stat, steal included)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / _CLK_TCK


def postgres_cpu_seconds(cluster) -> float:
    """CPU used so far by a cluster: the postmaster (with reaped children) and its live backends."""
    try:
        master = int((cluster.root / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    total = process_cpu_seconds(master, children=True)
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            f = _stat_fields(int(entry.name))
            if f is not None and f[1] == str(master):
                total += (int(f[11]) + int(f[12])) / _CLK_TCK
    return total


# --- request signing ----------------------------------------------------------------------------


def new_device_key():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def raw_public_key(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


def sign(request, device_id: str, key) -> None:
    """Add the X-Device-* headers to an ``httpx.Request``, as a terminal does (app/device_key.py,
    MADOGUCHI-DEVICE-V2: a fresh nonce, over its Idempotency-Key and Authorization headers)."""
    from app.device_key import DeviceKey, sign_headers

    request.headers.update(sign_headers(
        DeviceKey(device_id, key), request.method, request.url.path,
        request.url.query.decode("ascii"), request.content, int(time.time()),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        authorization=request.headers.get("Authorization", "")))


# --- the server subprocess ----------------------------------------------------------------------


@dataclass
class ServerProcess:
    """A uvicorn server in a child process (started by us, stopped by its own pid)."""

    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        return process_tree_cpu_seconds(self.proc.pid)

    @classmethod
    def start(cls, app: str, workdir: Path, env: dict[str, str] | None = None,
              socket_mode: str = "nodelay", timeout: float = 60.0) -> "ServerProcess":
        workdir.mkdir(parents=True, exist_ok=True)
        port_file = workdir / f"{app}-{os.getpid()}-{time.monotonic_ns()}.port"
        log = port_file.with_suffix(".log")
        full_env = dict(os.environ)
        full_env.update(env or {})
        full_env["PYTHONPATH"] = os.pathsep.join(
            [str(REPO)] + ([full_env["PYTHONPATH"]] if full_env.get("PYTHONPATH") else []))
        with open(log, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "bench.common", "serve", "--app", app,
                                     "--socket", socket_mode, "--port-file", str(port_file)],
                                    cwd=REPO, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not port_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(10)
                raise RuntimeError(f"{app} server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.05)
        return cls(proc, int(port_file.read_text()), log)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # uvicorn shuts down gracefully on SIGTERM
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def bare_app():
    """The baseline: a minimal FastAPI app with one GET route returning a small JSON."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _serve_fixed_socket(app, on_ready) -> None:
    """``central.cli._serve`` with one change: the listening socket is created with
    ``IPPROTO_TCP``, so that asyncio switches Nagle off (TCP_NODELAY) on accepted connections, as it
    does for sockets uvicorn binds itself. Same uvicorn configuration, same readiness wait."""
    import socket

    from central.cli import serve_socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    serve_socket(app, sock, on_ready)


def _serve_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.common serve")
    p.add_argument("--app", choices=["central", "bare"], required=True)
    p.add_argument("--socket", choices=["nodelay", "cli"], default="nodelay",
                   help="cli = central.cli._serve exactly as shipped; nodelay = the same with "
                        "TCP_NODELAY on the connections")
    p.add_argument("--port-file", required=True)
    args = p.parse_args(argv)

    def ready(port: int) -> None:
        tmp = Path(args.port_file + ".tmp")
        tmp.write_text(str(port))
        tmp.replace(args.port_file)

    def central_app():
        from central.api import create_app
        from central.config import Settings

        return create_app(Settings.from_env())

    if args.app == "bare":
        app = bare_app
    else:
        app = central_app
    if args.socket == "cli":
        # As `madoguchi-central serve` runs it: one process, or (PostgreSQL) several forked
        # workers, each building its own app.
        from central.cli import _serve, _serve_workers, default_workers, worker_app_factory
        from central.config import Settings

        workers = default_workers(os.environ.get("DATABASE_URL", "")) if args.app == "central" else 1
        if workers > 1:
            _serve_workers(worker_app_factory(Settings.from_env(), workers), "127.0.0.1", 0,
                           workers, ready)
        else:
            _serve(app(), "127.0.0.1", 0, ready)
    else:
        _serve_fixed_socket(app(), ready)
    return 0


def cleanup_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "serve":
        sys.exit(_serve_main(sys.argv[2:]))
    print("usage: python -m bench.common serve --app central|bare --port-file FILE",
          file=sys.stderr)
    sys.exit(2)
