"""How the central API is served: connections without Nagle's delay."""
from __future__ import annotations

import asyncio
import socket

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
