"""Limits for every HTTP server the project runs (uvicorn): head size, slow clients, connections per client.

:class:`HttpLimits` says what is allowed; :func:`guarded_protocol` gives uvicorn an HTTP protocol class (its
httptools protocol, extended only through asyncio's ``Protocol`` methods and httptools' parser callbacks) that
enforces it *before* the request is parsed or reaches the app:

* the request head (request line and header fields) above ``max_head_bytes``: ``431`` and the connection is closed,
  as soon as the bytes received show it (a 50 MB header is cut off after the first ``max_head_bytes``);
* a head not complete ``head_timeout_s`` after the connection opened or the request began (an idle or slow
  "slowloris" connection), or a body not complete ``body_timeout_s`` after the head: the connection is closed
  (each timeout is drawn between 1x and 1.5x its value, so that connections opened together do not all close in
  the same event-loop turn and stall the others);
* more than ``max_connections_per_client`` open connections from one address: the new one gets ``503`` and is closed;
* idle keep-alive connections close after ``keep_alive_s`` (uvicorn's own timer).

:func:`field_problem` is the same check on header fields for the ASGI layer (any server): the head size, and the
signature fields (``Signature``, ``Signature-Input``) above ``max_signature_field_bytes`` get ``400`` before they are
parsed.
"""

from __future__ import annotations

import asyncio
import collections
import json
import random
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

SIGNATURE_FIELDS = frozenset({"signature", "signature-input"})
TIMEOUT_JITTER = 0.5


@dataclass(frozen=True)
class HttpLimits:
    max_head_bytes: int = 16 * 1024
    max_signature_field_bytes: int = 2 * 1024  # the kiosk's are ~100 and ~200 bytes
    head_timeout_s: float = 5.0
    body_timeout_s: float = 10.0
    keep_alive_s: float = 5.0
    max_connections_per_client: int = 32


DEFAULT_LIMITS = HttpLimits()


def field_problem(headers: list[tuple[str, str]], limits: HttpLimits = DEFAULT_LIMITS) -> tuple[int, str] | None:
    """(status, detail) when the header fields break the limits (431 for the head, 400 for a signature field)."""
    total = 0
    for name, value in headers:
        total += len(name) + len(value) + 4
        if name.lower() in SIGNATURE_FIELDS and len(value) > limits.max_signature_field_bytes:
            return 400, f"the {name} field is larger than {limits.max_signature_field_bytes} bytes"
    if total > limits.max_head_bytes:
        return 431, f"the request header fields are larger than {limits.max_head_bytes} bytes"
    return None


def plain_response(status: int, reason: str, detail: str) -> bytes:
    """A complete HTTP/1.1 problem response that closes the connection (for answers before any parsing)."""
    body = json.dumps({"type": "about:blank", "title": reason, "status": status, "detail": detail}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/problem+json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n")
    return head.encode("ascii") + body


def guarded_protocol(limits: HttpLimits = DEFAULT_LIMITS) -> type[asyncio.Protocol]:
    """An HTTP protocol class for ``uvicorn.Config(http=...)`` that enforces ``limits`` (one per server: it keeps
    that server's count of connections per client address)."""
    open_per_client: collections.Counter[str] = collections.Counter()

    class GuardedHttpProtocol(HttpToolsProtocol):
        _guard_peer = ""
        _guard_refused = False
        _guard_in_head = True
        _guard_head_bytes = 0
        _guard_tail = b""  # the last bytes of the head so far (its end may be split between two reads)
        _guard_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            peer = transport.get_extra_info("peername")
            self._guard_peer = str(peer[0]) if isinstance(peer, tuple) and peer else "?"
            if open_per_client[self._guard_peer] >= limits.max_connections_per_client:
                self._guard_refused = True
                transport.write(plain_response(503, "Service Unavailable", "too many connections from this address"))
                transport.close()
                return
            open_per_client[self._guard_peer] += 1
            super().connection_made(transport)
            self._guard_arm(limits.head_timeout_s)

        def connection_lost(self, exc: Exception | None) -> None:
            if self._guard_refused:
                return
            self._guard_disarm()
            open_per_client[self._guard_peer] -= 1
            if open_per_client[self._guard_peer] <= 0:
                del open_per_client[self._guard_peer]
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._guard_in_head:
                # the blank line that ends the head may have begun in the previous read: look across the two
                probe = self._guard_tail + data
                found = probe.find(b"\r\n\r\n")
                self._guard_tail = probe[-3:] if found < 0 else b""
                head = self._guard_head_bytes + (len(data) if found < 0 else found - len(probe) + len(data) + 4)
                if head > limits.max_head_bytes:  # before httptools buffers any more of it
                    self._guard_disarm()
                    detail = f"the request head is larger than {limits.max_head_bytes} bytes"
                    self.transport.write(plain_response(431, "Request Header Fields Too Large", detail))
                    self.transport.close()
                    return
                self._guard_head_bytes = head if found < 0 else 0
            super().data_received(data)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._guard_in_head = True
            self._guard_arm(limits.head_timeout_s)

        def on_headers_complete(self) -> None:
            self._guard_in_head = False
            self._guard_head_bytes = 0
            self._guard_tail = b""
            self._guard_arm(limits.body_timeout_s)
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._guard_disarm()  # the app has the request now; keep-alive idling is uvicorn's timer
            self._guard_in_head = True
            super().on_message_complete()

        def _guard_arm(self, seconds: float) -> None:
            self._guard_disarm()
            # up to +50 %, at random: thousands of connections opened together do not all close in one loop turn
            self._guard_timer = self.loop.call_later(seconds * (1.0 + random.random() * TIMEOUT_JITTER),
                                                     self._guard_expired)

        def _guard_disarm(self) -> None:
            if self._guard_timer is not None:
                self._guard_timer.cancel()
                self._guard_timer = None

        def _guard_expired(self) -> None:
            self._guard_timer = None
            if not self.transport.is_closing():
                self.transport.close()  # a head or body that did not arrive in time: nothing to answer

    return GuardedHttpProtocol


def uvicorn_options(limits: HttpLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The ``uvicorn.Config`` keyword arguments that apply ``limits``."""
    return {"http": guarded_protocol(limits), "timeout_keep_alive": max(1, round(limits.keep_alive_s)),
            "h11_max_incomplete_event_size": limits.max_head_bytes}
