"""Tell what a decoded QR text is — a CCCD payload, a BHYT card's QR, or some other code — and validate it.

:func:`classify_payload` never raises: an invalid card becomes a reading with ``error`` set, so the
caller can count "a damaged or invalid ID card" apart from "some other QR code".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from scanner.bhyt_card import HealthInsuranceCard, looks_like_bhyt, parse_bhyt_qr
from scanner.cccd import CardPayloadError, CitizenCard, InvalidReason, looks_like_cccd, parse_cccd
from scanner.dates import PartialDate
from scanner.vntext import REPLACEMENT_CHARACTER, is_mojibake

__all__ = ["PayloadKind", "PayloadReading", "best_reading", "classify_payload", "is_mojibake", "letters_lost"]


class PayloadKind(StrEnum):
    CCCD = "cccd"
    BHYT = "bhyt"
    OTHER = "other"


@dataclass(frozen=True)
class PayloadReading:
    text: str
    kind: PayloadKind
    card: CitizenCard | None = None
    insurance_card: HealthInsuranceCard | None = None
    error: CardPayloadError | None = None  # set when kind is cccd/bhyt but validation failed

    @property
    def valid(self) -> bool:
        if self.error is not None:
            return False
        if self.kind is PayloadKind.CCCD:
            return self.card is not None
        if self.kind is PayloadKind.BHYT:
            return self.insurance_card is not None
        return False

    @property
    def reason(self) -> InvalidReason | None:
        return self.error.reason if self.error is not None else None

    @property
    def retry_advised(self) -> bool:
        """The read looks like decoder charset trouble (not UTF-8, mojibake): read the code again."""
        return self.reason in _RETRY_REASONS

    @property
    def damaged(self) -> bool:
        """The code itself carries damaged text (U+FFFD: bytes lost before it was printed). Every exact decoder
        reads the same, so reading again does not help: it is refused as ``unreadable: damaged text``."""
        return REPLACEMENT_CHARACTER in self.text


_RETRY_REASONS = frozenset({InvalidReason.NOT_UTF8, InvalidReason.MOJIBAKE})


def _as_text(text: str | bytes) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray | memoryview):
        return bytes(text).decode("utf-8", errors="replace")
    return str(text)


def letters_lost(text: str) -> bool:
    """A CCCD payload typed by a keyboard-wedge scanner that lost the Vietnamese letters.

    Such scanners emulate a US keyboard: the ID number and dates come through, every letter outside ASCII is
    dropped or replaced ("NGUYỄN" -> "NGUYN", "Nữ" -> "N"). A real card's QR is never plain ASCII (its
    address and almost every name carry diacritics), so an ASCII-only payload whose ID number and date of
    birth are well formed is such a burst.
    """
    if not text.isascii() or not looks_like_cccd(text):
        return False
    fields = text.strip().split("|")
    if len(fields) < 7 or not (len(fields[0]) == 12 and fields[0].isdigit()):
        return False
    try:
        PartialDate.parse_card(fields[3])
    except ValueError:
        return False
    return True


def classify_payload(text: str | bytes, *, today: datetime.date | None = None, typed: bool = False) -> PayloadReading:
    """Classify and validate a decoded QR text (bytes are read as UTF-8). Never raises.

    ``typed``: the text came as keystrokes from a keyboard-wedge scanner (see :func:`letters_lost`).
    """
    raw = text
    text = _as_text(text)
    if typed and letters_lost(text):
        return PayloadReading(text, PayloadKind.CCCD, error=CardPayloadError(
            InvalidReason.LETTERS_LOST,
            "The scanner typed the card without its Vietnamese letters (it emulates a US keyboard).",
        ))
    if looks_like_bhyt(text):
        try:
            return PayloadReading(text, PayloadKind.BHYT, insurance_card=parse_bhyt_qr(raw))
        except CardPayloadError as exc:
            return PayloadReading(text, PayloadKind.BHYT, error=exc)
    if looks_like_cccd(text):
        try:
            return PayloadReading(text, PayloadKind.CCCD, card=parse_cccd(raw, today=today))
        except CardPayloadError as exc:
            return PayloadReading(text, PayloadKind.CCCD, error=exc)
    return PayloadReading(text, PayloadKind.OTHER)


_KIND_RANK = {PayloadKind.CCCD: 0, PayloadKind.BHYT: 1, PayloadKind.OTHER: 2}


def best_reading(readings: Iterable[PayloadReading]) -> PayloadReading | None:
    """The reading to report of several codes seen together: a card that can be looked up first (a valid ID
    card, then a valid BHYT card), then a refused ID card, a refused BHYT card, other codes; None for none."""
    return min(readings, key=lambda r: (not r.valid, _KIND_RANK[r.kind]), default=None)
