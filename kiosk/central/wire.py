"""The batch format kiosks send to the collector (``POST /v1/logs/batches``, JSON, signed like a lookup).

A batch::

    {"kiosk_id": "kiosk-01", "backlog": 120,
     "attempts": [{"attempt_id": "...", "kiosk_id": "kiosk-01", ..., "recorded_at": "2026-12-06T08:00:01.5Z",
                   "utc_offset_min": 420}, ...]}

Each attempt carries every lookup-log field (:data:`kiosk.log.schema.ATTEMPT_COLUMNS`; timestamps as ISO 8601 UTC),
``recorded_at`` (when the kiosk recorded it: the attempt's *version*, a later version replaces an earlier one; an
attempt still retried in the background, ``retry_status`` ``pending``, is replaced by any different version) and
``utc_offset_min`` (the kiosk's UTC offset, for its local day and hour). ``backlog`` is how many attempts the kiosk
still holds after this batch (shown centrally as the shipping backlog). The answer::

    {"received": 50, "stored": 48, "updated": 1, "unchanged": 1}

The collector refuses a whole batch (nothing stored) with a problem+json reason: 401 signature, 403 an attempt or batch
of another kiosk, 413 too large, 422 malformed (with the first field errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kiosk.attempts import InputSource, LookupAttempt, RetryStatus, Stage
from kiosk.log.schema import ATTEMPT_COLUMNS, TIMESTAMP_COLUMNS, Row, attempt_to_row, from_us
from kiosk.outcomes import Outcome
from kiosk.signing.profile import KEYID_PATTERN

BATCHES_PATH = "/v1/logs/batches"
MAX_BATCH_ATTEMPTS = 500
MAX_BATCH_BYTES = 2 * 1024 * 1024
MAX_OFFSET_MIN = 14 * 60


class WireError(ValueError):
    """A batch the collector cannot accept: ``errors`` are ``{"field": ..., "message": ...}`` items."""

    def __init__(self, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class AttemptIn(BaseModel):
    """One attempt as shipped (strict: unknown fields are refused, so no personal field can slip in)."""

    model_config = ConfigDict(extra="forbid", str_max_length=200)

    attempt_id: str = Field(min_length=1, max_length=64)
    kiosk_id: str = Field(min_length=1, max_length=64)
    facility_code: str = Field(min_length=1, max_length=16)
    source: InputSource
    app_version: str = Field(min_length=1, max_length=32)
    first_seen_at: AwareDatetime | None = None
    read_at: AwareDatetime | None = None
    lookup_sent_at: AwareDatetime | None = None
    answered_at: AwareDatetime | None = None
    stage: Stage
    outcome: Outcome | None = None
    result_code: str | None = Field(default=None, max_length=16)
    eligible: bool | None = None
    decoder_backend: str | None = None
    decode_stage: str | None = None
    frames_to_read: int | None = Field(default=None, ge=0)
    read_ms: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    validate_ms: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    lookup_ms: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    total_ms: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    http_attempts: int | None = Field(default=None, ge=0)
    error_reason: str | None = None
    person_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    masked_id: str | None = Field(default=None, max_length=32)
    first_try_outcome: Outcome | None = None
    retry_status: RetryStatus | None = None
    retry_delay_ms: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    recorded_at: AwareDatetime  # times without a UTC offset are refused
    utc_offset_min: int = Field(ge=-MAX_OFFSET_MIN, le=MAX_OFFSET_MIN)


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kiosk_id: str = Field(pattern=f"^{KEYID_PATTERN.pattern}$")
    backlog: int = Field(default=0, ge=0)
    attempts: list[AttemptIn] = Field(max_length=MAX_BATCH_ATTEMPTS)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def row_to_wire(row: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object of one attempt from a lookup-log row (ATTEMPT_COLUMNS, recorded_at, utc_offset_min)."""
    out: dict[str, Any] = {}
    for name in ATTEMPT_COLUMNS:
        value = row[name]
        if name in TIMESTAMP_COLUMNS and value is not None:
            value = _iso(from_us(value))  # type: ignore[arg-type]
        elif name == "eligible" and value is not None:
            value = bool(value)
        out[name] = value
    recorded = from_us(row["recorded_at"])
    assert recorded is not None
    out["recorded_at"] = _iso(recorded)
    out["utc_offset_min"] = int(row["utc_offset_min"])
    return out


def parse_batch(body: bytes) -> BatchIn:
    """The batch in a request body, or :class:`WireError` with the field errors."""
    try:
        return BatchIn.model_validate_json(body)
    except ValidationError as exc:  # the first 10 field errors (there is always one)
        errors = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()[:10]]
        first = errors[0]
        raise WireError(f"malformed batch: {first['field'] or 'body'}: {first['message']}", errors) from None


def batch_rows(batch: BatchIn) -> list[Row]:
    """The lookup-log rows (``INSERT_COLUMNS`` values) of a batch; :class:`WireError` if one is refused."""
    rows: list[Row] = []
    for i, item in enumerate(batch.attempts):
        values = item.model_dump(exclude={"recorded_at", "utc_offset_min"})
        try:
            attempt = LookupAttempt(**values)
            row = attempt_to_row(
                attempt,
                recorded_at=item.recorded_at.astimezone(UTC),
                tz=timezone(timedelta(minutes=item.utc_offset_min)),
            )
        except (TypeError, ValueError) as exc:
            raise WireError(
                f"malformed batch: attempts.{i}: {exc}", [{"field": f"attempts.{i}", "message": str(exc)}]
            ) from None
        rows.append(row)
    return rows
