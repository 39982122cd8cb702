"""One lookup attempt: what the kiosk records about a card presentation or a manual entry.

An *attempt* is one card presentation (camera, USB scanner) or one manual/command-line entry that the kiosk recorded.
The pipeline creates it with :meth:`LookupAttempt.start`, fills it in as the attempt moves through the stages
(seen -> read -> validated -> lookup-sent -> answered) and hands it to :meth:`kiosk.lookup_log.LookupLog.record` once,
when it ends.

Privacy: an attempt never carries a name, an address, an image or a full CCCD number. The person is identified only by
``person_hash`` (HMAC-SHA-256 of the CCCD number with the installation secret, see :mod:`kiosk.privacy`) and
``masked_id`` (the last 4 digits, ``••••••••1234``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from kiosk import __version__
from kiosk.outcomes import Outcome


class InputSource(StrEnum):
    CAMERA = "camera"
    USB_SCANNER = "usb-scanner"  # a keyboard-wedge (HID) scanner: keystrokes
    SERIAL_SCANNER = "serial-scanner"  # a scanner on a serial / USB CDC (COM) port: exact bytes
    MANUAL = "manual"
    COMMAND_LINE = "command-line"


class Stage(StrEnum):
    """How far the attempt got (the last stage reached)."""

    SEEN = "seen"
    READ = "read"
    VALIDATED = "validated"
    LOOKUP_SENT = "lookup-sent"
    ANSWERED = "answered"


class RetryStatus(StrEnum):
    """Where background retries of a lookup stand (None on an attempt that ended on its first try)."""

    PENDING = "pending"  # retrying in the background
    ANSWERED = "answered"  # a late, definitive answer came
    FAILED = "failed"  # a retry ended with a failure another try cannot fix (signature, set-up)
    ABANDONED = "abandoned"  # the retry limit passed, or a restart could not resume it


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LookupAttempt:
    attempt_id: str
    kiosk_id: str
    facility_code: str
    source: InputSource
    app_version: str = __version__
    # When each stage was reached (timezone-aware UTC datetimes).
    first_seen_at: datetime | None = None
    read_at: datetime | None = None
    lookup_sent_at: datetime | None = None
    answered_at: datetime | None = None
    stage: Stage = Stage.SEEN
    outcome: Outcome | None = None
    result_code: str | None = None  # the service's maKetQua, when it answered
    eligible: bool | None = None
    decoder_backend: str | None = None
    decode_stage: str | None = None  # step of the decoder ladder that read the code
    frames_to_read: int | None = None
    # Durations per stage, milliseconds.
    read_ms: float | None = None
    validate_ms: float | None = None
    lookup_ms: float | None = None
    total_ms: float | None = None
    http_attempts: int | None = None
    error_reason: str | None = None  # short technical reason: 'invalid-card: century-sex-digit', 'timeout: read 10 s'
    person_hash: str | None = field(default=None, repr=False)  # HMAC-SHA-256 (hex) of the CCCD number; NEVER the number
    masked_id: str | None = None  # '••••••••1234': last 4 digits only
    # Background retries (issue 14). ``outcome`` is always the latest: the first try's while pending, then the final
    # one. ``first_try_outcome`` is set once retries start; ``retry_delay_ms`` runs from the first try's end to the
    # final outcome.
    first_try_outcome: Outcome | None = None
    retry_status: RetryStatus | None = None
    retry_delay_ms: float | None = None

    @classmethod
    def start(
        cls,
        *,
        kiosk_id: str,
        facility_code: str,
        source: InputSource,
        now: datetime | None = None,
        app_version: str = __version__,
    ) -> LookupAttempt:
        """A new attempt, first seen ``now`` (UTC; default: the current time)."""
        when = now if now is not None else utc_now()
        if when.tzinfo is None:
            raise ValueError("LookupAttempt.start: 'now' must be timezone-aware (UTC)")
        return cls(
            attempt_id=str(uuid.uuid4()),
            kiosk_id=kiosk_id,
            facility_code=facility_code,
            source=InputSource(source),
            app_version=app_version,
            first_seen_at=when.astimezone(UTC),
        )

    @property
    def started_at(self) -> datetime | None:
        """The attempt's start: when the card was first seen, else the first stage time that is known."""
        stages = (self.first_seen_at, self.read_at, self.lookup_sent_at, self.answered_at)
        return next((value for value in stages if value is not None), None)

    @property
    def lookup_was_sent(self) -> bool:
        """Whether the request reached the point of being sent to the service (a *lookup*)."""
        if self.lookup_sent_at is not None or self.stage in (Stage.LOOKUP_SENT, Stage.ANSWERED):
            return True
        if self.outcome is None or self.outcome is Outcome.CANCELLED:
            return False
        return Outcome(self.outcome).lookup_sent
