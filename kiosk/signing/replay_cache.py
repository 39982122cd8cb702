"""The service's memory of nonces: one partition per key id, each bounded in bytes, nonces bounded in length.

A nonce is remembered until its signature expires (a replay after that is refused as expired). Each kiosk key has
a partition of its own with its own byte budget (``max_bytes_per_key``): a kiosk that signs a flood of requests
with long lifetimes fills and evicts only its own partition, never another kiosk's. When a partition is full of
live entries, the one expiring soonest is evicted and its expiry becomes that partition's *horizon*: later requests
of that key whose signature expires at or before the horizon are refused, because an evicted nonce could be among
them (fresh requests expire later, so they pass). Only requests whose signature was verified reach the cache, so
the partitions are the trusted kiosks' and the whole cache is bounded by ``trusted keys x max_bytes_per_key``.
"""

from __future__ import annotations

import heapq
import math
import threading
from dataclasses import dataclass, field

MAX_NONCE_CHARS = 128  # the kiosk sends 22 (16 random bytes, base64url); longer ones are refused before the cache
ENTRY_OVERHEAD_BYTES = 160  # dict slot, tuple and float per remembered nonce (CPython, measured order of magnitude)
DEFAULT_MAX_BYTES_PER_KEY = 4 * 1024 * 1024  # ~20,000 live nonces: 600 lookups/s per kiosk with 30 s lifetimes


def entry_bytes(nonce: str) -> int:
    return len(nonce.encode("utf-8")) + ENTRY_OVERHEAD_BYTES


@dataclass
class _Partition:
    seen: dict[str, float] = field(default_factory=dict)
    heap: list[tuple[float, str]] = field(default_factory=list)
    bytes: int = 0
    horizon: float = -math.inf

    def forget(self, nonce: str) -> None:
        if self.seen.pop(nonce, None) is not None:
            self.bytes -= entry_bytes(nonce)


class ReplayCache:
    """Nonces seen within their signature's lifetime, per key id; thread-safe, bounded in bytes and in time."""

    def __init__(self, *, max_bytes_per_key: int = DEFAULT_MAX_BYTES_PER_KEY) -> None:
        if max_bytes_per_key < entry_bytes("x" * MAX_NONCE_CHARS):
            raise ValueError("the replay cache must hold at least one nonce per key")
        self.max_bytes_per_key = max_bytes_per_key
        self._partitions: dict[str, _Partition] = {}
        self._expiry: list[tuple[float, str, str]] = []  # every entry, soonest expiry first (lazy deletion)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return sum(len(p.seen) for p in self._partitions.values())

    def bytes_used(self, keyid: str) -> int:
        """Bytes accounted to ``keyid``'s partition."""
        with self._lock:
            part = self._partitions.get(keyid)
            return part.bytes if part is not None else 0

    def check_and_remember(self, keyid: str, nonce: str, expires_at: float, now: float) -> bool:
        """True (and remembered) when ``nonce`` is new for ``keyid``; False when it may be a replay."""
        if len(nonce) > MAX_NONCE_CHARS:
            return False
        size = entry_bytes(nonce)
        with self._lock:
            self._purge(now)
            part = self._partitions.get(keyid)
            if part is None:
                part = self._partitions[keyid] = _Partition()
            if nonce in part.seen or expires_at <= part.horizon:
                return False
            while part.seen and part.bytes + size > self.max_bytes_per_key:
                exp, old = heapq.heappop(part.heap)
                if part.seen.get(old) != exp:
                    continue  # already purged
                part.forget(old)
                part.horizon = max(part.horizon, exp)
                if expires_at <= part.horizon:
                    return False
            part.seen[nonce] = expires_at
            part.bytes += size
            heapq.heappush(part.heap, (expires_at, nonce))
            heapq.heappush(self._expiry, (expires_at, keyid, nonce))
            if len(self._expiry) > 2 * sum(len(p.seen) for p in self._partitions.values()) + 4096:
                self._compact()
            return True

    def _compact(self) -> None:
        """Drop the expiry entries of evicted nonces (a flooding key must not grow the heap past its budget)."""
        self._expiry = [(e, k, n) for e, k, n in self._expiry
                        if (part := self._partitions.get(k)) is not None and part.seen.get(n) == e]
        heapq.heapify(self._expiry)

    def _purge(self, now: float) -> None:
        expiry = self._expiry
        while expiry and expiry[0][0] < now:
            exp, keyid, nonce = heapq.heappop(expiry)
            part = self._partitions.get(keyid)
            if part is None or part.seen.get(nonce) != exp:
                continue
            part.forget(nonce)
            if not part.seen:
                del self._partitions[keyid]  # its horizon is in the past too: nothing to keep
            elif part.heap and len(part.heap) > 2 * len(part.seen) + 64:
                part.heap = [(e, n) for e, n in part.heap if part.seen.get(n) == e]
                heapq.heapify(part.heap)
