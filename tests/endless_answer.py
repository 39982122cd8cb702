"""A broken or hostile HTTP peer for the size-cap tests: a real uvicorn server on 127.0.0.1 (free port) whose every
answer is 200 with a body of up to ``offered`` bytes, sent until the client hangs up."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import uvicorn


class EndlessAnswer:
    """The ASGI app: reads the request, then sends 64 KiB chunks until ``offered`` bytes or the client's hang-up."""

    def __init__(self, offered: int) -> None:
        self.offered = offered
        self.sent = 0
        self.hung_up = False

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):  # the request body
            pass
        hang_up = asyncio.ensure_future(receive())  # http.disconnect, once the client closes the connection
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        while self.sent < self.offered and not hang_up.done():
            await send({"type": "http.response.body", "body": b" " * 65536, "more_body": True})
            self.sent += 65536
        self.hung_up = hang_up.done()
        hang_up.cancel()
        await send({"type": "http.response.body", "body": b"{}"})


@contextlib.contextmanager
def served(app: Callable[..., Awaitable[None]]) -> Iterator[str]:
    """Run ``app`` on a real uvicorn server on 127.0.0.1 for the block; yields its base URL."""
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", access_log=False, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
