"""Recognising USB keyboard-wedge barcode scanners by keystroke timing (pure Python, no Qt).

A wedge scanner "types" the code it read: a burst of characters a few milliseconds apart, often ended by
Enter. People type far slower (tens of milliseconds at the very fastest, usually 100 ms or more). The
:class:`WedgeDetector` holds each printable key briefly; keys that keep coming faster than ``max_gap_s``
form a burst, and a burst of at least ``min_length`` characters is a scan. Everything else is handed back
as ordinary typing (:attr:`WedgeAction.text` with ``is_scan`` False) so the focused field receives it,
only ``max_gap_s`` late.

Timestamps are seconds on one monotonic clock; the caller (the Qt event filter in ``ui.wedge_filter``)
feeds keys with :meth:`key`, Enter with :meth:`enter`, and calls :meth:`poll` when the gap timer fires.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_GAP_S = 0.030
DEFAULT_MIN_LENGTH = 8
#: A burst longer than this is noise (a stuck key, a scanner gone mad), not a code: a CCCD payload is a few hundred
#: characters. Its keys are swallowed, not held, and the burst is dropped (as the serial scanner drops such a line).
MAX_BURST_CHARS = 8192


@dataclass(frozen=True)
class WedgeAction:
    text: str
    is_scan: bool
    overflow: bool = False  # a burst past ``max_length``: ``text`` is its first part; neither a scan nor typing


class WedgeDetector:
    def __init__(self, *, max_gap_s: float = DEFAULT_MAX_GAP_S, min_length: int = DEFAULT_MIN_LENGTH,
                 max_length: int = MAX_BURST_CHARS) -> None:
        if max_gap_s <= 0:
            raise ValueError("max_gap_s must be positive")
        if min_length < 2:
            raise ValueError("min_length must be at least 2")
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.max_length = max(min_length, max_length)
        self._chars: list[str] = []
        self._overflow = False
        self._last: float = 0.0

    @property
    def pending(self) -> bool:
        return bool(self._chars)

    @property
    def held_count(self) -> int:
        """Keys held (a burst past ``max_length`` holds no more)."""
        return len(self._chars)

    @property
    def pending_text(self) -> str:
        return "".join(self._chars)

    def deadline(self) -> float | None:
        """When :meth:`poll` should next be called (None: nothing held)."""
        return self._last + self.max_gap_s if self._chars else None

    def key(self, char: str, t: float) -> list[WedgeAction]:
        """A printable key at time ``t``; returns what to do with earlier held keys (the new key is held)."""
        if not char:
            raise ValueError("empty key text")
        actions: list[WedgeAction] = []
        if self._chars and t - self._last > self.max_gap_s:
            actions.extend(self._flush())
        if len(self._chars) >= self.max_length:
            self._overflow = True
        else:
            self._chars.append(char)
        self._last = t
        return actions

    def enter(self, t: float) -> tuple[list[WedgeAction], bool]:
        """Enter (or Tab: scanners end codes with either) at time ``t``. Returns (actions, consumed): consumed
        means the key ended a scan and must not reach the focused widget."""
        if self._overflow and t - self._last <= self.max_gap_s:
            return self._flush(), True
        if self._chars and t - self._last <= self.max_gap_s and len(self._chars) >= self.min_length:
            text = self.pending_text
            self._chars.clear()
            return [WedgeAction(text, True)], True
        return self._flush(), False

    def interrupt(self) -> list[WedgeAction]:
        """A non-text key (arrows, Backspace, a shortcut): a burst held so far ends (a scan if it is long
        enough), a person's held key is given back as typing."""
        return self._flush()

    def poll(self, t: float) -> list[WedgeAction]:
        """Time passed: a burst that stopped (a scanner without Enter) or a held human key is released."""
        if self._chars and t - self._last > self.max_gap_s:
            return self._flush()
        return []

    def _flush(self) -> list[WedgeAction]:
        if not self._chars:
            return []
        text = self.pending_text
        self._chars.clear()
        if self._overflow:
            self._overflow = False
            return [WedgeAction(text, False, overflow=True)]
        return [WedgeAction(text, len(text) >= self.min_length)]
