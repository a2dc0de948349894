"""How the central API is served: connections without Nagle's delay."""
from __future__ import annotations

import asyncio
import base64
import os
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from central.cli import listen_socket


def test_accepted_connections_have_tcp_nodelay():
    """asyncio sets TCP_NODELAY on accepted sockets only if the listener is IPPROTO_TCP."""
    listener = listen_socket("127.0.0.1", 0)
    port = listener.getsockname()[1]
    seen: list[int] = []

    async def main():
        async def handle(reader, writer):
            seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP,
                                                                   socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=listener)
        async with server:
            _, w = await asyncio.open_connection("127.0.0.1", port)
            while not seen:
                await asyncio.sleep(0)  # yield to the server task, not a timed wait
            w.close()

    asyncio.run(asyncio.wait_for(main(), timeout=10))
    assert seen == [1]


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = open(f"/proc/{entry.name}/stat").read()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == str(pid):
                out.append(int(entry.name))
    return out


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
def test_serve_with_several_workers_answers_and_stops_cleanly(db_url):
    """`serve --workers 2`: two worker processes accept on one socket, each with its own
    engine; SIGTERM stops them all and the command exits 0."""
    from central.migrate import upgrade

    upgrade(db_url)
    env = dict(os.environ, MADOGUCHI_DATA_KEY=base64.b64encode(bytes(range(32))).decode())
    proc = subprocess.Popen([sys.executable, "-m", "central.cli", "--database-url", db_url,
                             "serve", "--port", "0", "--workers", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        assert "central API on http://127.0.0.1:" in line and "2 workers" in line, line
        port = int(line.split("127.0.0.1:")[1].split()[0])
        for _ in range(20):
            r = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=30)
            assert r.status_code == 200 and r.json()["status"] == "ok"
        assert len(_children(proc.pid)) == 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_default_workers():
    from central.cli import default_workers

    assert default_workers("sqlite:///x.db") == 1
    assert 1 <= default_workers("postgresql://u@h/db") <= 4


_SERVE_PROBE = """
import asyncio, sys
from central.cli import _serve

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    loop = type(asyncio.get_running_loop())
    http = "httptools" if "uvicorn.protocols.http.httptools_impl" in sys.modules else "h11"
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": f"{loop.__module__} {http}".encode()})

_serve(app, "127.0.0.1", 0, lambda port: print(port, flush=True))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the central runs on Linux (uvloop)")
def test_serve_runs_on_uvloop_and_httptools_without_nagle_delay():
    """`serve` (central.cli._serve, also what each forked worker runs) uses uvloop and the
    httptools parser, both dependencies on Linux: the pure-Python asyncio loop and h11 parser cost
    the API CPU on every request (#2). uvloop's transports switch Nagle off themselves, so a
    keep-alive response never waits ~40 ms for a delayed ACK."""
    import time

    proc = subprocess.Popen([sys.executable, "-c", _SERVE_PROBE], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        port = int(proc.stdout.readline())
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            assert c.get("/").text == "uvloop httptools"
            times = []
            for _ in range(10):
                t0 = time.perf_counter()
                c.get("/")
                times.append(time.perf_counter() - t0)
        assert sorted(times)[5] < 0.03, times  # the median: no delayed-ACK wait
    finally:
        proc.kill()
        proc.wait(10)
