"""A province's kiosks and facilities at a glance: one row each, the ones that need attention first.

For a period (local days ``since``..``until``) and the period of the same length just before it:

- **attempts**, **lookups**, **successful**, **success rate** in the period;
- **change**: success rate minus the previous period's (``None`` when either has no lookups);
- **top failure**: the most frequent failure reason in the period (as in the report's failure list);
- **last seen**: the start of the kiosk's newest attempt in the two periods;
- **shipping lag** and **backlog** (central stores only, from the collector's ``kiosks`` table): the collector's
  time of the kiosk's last batch minus when its newest attempt was recorded, and what the kiosk said it still held.

Attention, most urgent first (then by failed lookups, most first):

1. ``silent``: the kiosk's last attempt is more than a day older than the newest attempt of any kiosk in the view
   (a kiosk that stopped working or stopped shipping while the others go on);
2. ``shipping-behind``: shipping lag over 15 minutes, or a backlog of more than :data:`BACKLOG_LIMIT` attempts;
3. ``falling``: success rate down 5 points or more on the previous period;
4. ``low-success``: success rate 5 points or more below the whole view's;
5. ``ok``.

Without a period the view covers the 7 days up to the newest attempt in the log. All figures come from one SQL query
over the two periods (plus the small ``kiosks`` table), on a kiosk's log file and on the central store alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import Literal

from kiosk.log.reader import LogFilter, LogReader, ShippingStatus, day_number
from kiosk.log.schema import US_PER_DAY, from_us
from kiosk.outcomes import Outcome

FleetBy = Literal["kiosk", "facility"]
DEFAULT_DAYS = 7
SILENT_AFTER_US = US_PER_DAY
LAG_LIMIT_S = 15 * 60
BACKLOG_LIMIT = 500
CHANGE_LIMIT = -0.05
LOW_MARGIN = 0.05


class Attention(IntEnum):
    SILENT = 0
    SHIPPING_BEHIND = 1
    FALLING = 2
    LOW_SUCCESS = 3
    OK = 4

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class FleetRow:
    key: str  # kiosk id or facility code
    facility: str | None  # the kiosk's facility (kiosk rows), None for facility rows
    kiosks: int  # kiosks in the row (1 for a kiosk)
    attempts: int
    lookups: int
    successful: int
    previous_lookups: int
    previous_successful: int
    top_failure: str | None
    top_failure_count: int
    last_seen: datetime | None
    shipping_lag_s: float | None
    backlog: int | None
    attention: Attention = Attention.OK

    @property
    def success_rate(self) -> float | None:
        return self.successful / self.lookups if self.lookups else None

    @property
    def previous_success_rate(self) -> float | None:
        return self.previous_successful / self.previous_lookups if self.previous_lookups else None

    @property
    def change(self) -> float | None:
        now, before = self.success_rate, self.previous_success_rate
        return None if now is None or before is None else now - before

    @property
    def failed_lookups(self) -> int:
        return self.lookups - self.successful


@dataclass(frozen=True)
class FleetView:
    by: FleetBy
    since: date
    until: date
    previous_since: date
    rows: tuple[FleetRow, ...]  # most urgent first


@dataclass
class _Acc:
    facility: str | None
    attempts: int = 0
    lookups: int = 0
    successful: int = 0
    previous_lookups: int = 0
    previous_successful: int = 0
    last_seen_us: int | None = None
    kiosks: set[str] = field(default_factory=set)
    reasons: dict[str, int] = field(default_factory=dict)

    def seen(self, us: int | None) -> None:
        if us is not None:
            self.last_seen_us = us if self.last_seen_us is None else max(self.last_seen_us, us)


def _period(reader: LogReader, filters: LogFilter) -> tuple[date, date] | None:
    if filters.since is not None and filters.until is not None:
        return filters.since, filters.until
    span = reader.recorded_span(LogFilter(kiosks=filters.kiosks, facilities=filters.facilities))
    if span is None:
        return None
    until = filters.until or span[1].date()
    since = filters.since or until - timedelta(days=DEFAULT_DAYS - 1)
    return since, until


def fleet_view(reader: LogReader, by: FleetBy = "kiosk", filters: LogFilter | None = None) -> FleetView | None:
    """The at-a-glance table per kiosk or facility (None when the log holds no attempts)."""
    if by not in ("kiosk", "facility"):
        raise ValueError(f"the at-a-glance view is per kiosk or per facility, not {by!r}")
    f = filters or LogFilter()
    period = _period(reader, f)
    if period is None:
        return None
    since, until = period
    previous_since = since - (until - since + timedelta(days=1))
    window = replace(f, since=previous_since, until=until)
    rows = reader.fleet_counts(window, current_from=day_number(since))
    shipping = reader.shipping_status()

    groups: dict[str, _Acc] = {}  # per kiosk, or per facility

    def group_of(kiosk_id: str, facility: str | None) -> _Acc:
        key = kiosk_id if by == "kiosk" else facility or "unknown"
        acc = groups.setdefault(key, _Acc(facility if by == "kiosk" else None))
        acc.kiosks.add(kiosk_id)
        return acc

    with_attempts: set[str] = set()
    for kiosk_id, facility, outcome, reason, current, n, sent, last in rows:
        with_attempts.add(str(kiosk_id))
        acc = group_of(str(kiosk_id), str(facility))
        definitive = outcome is not None and Outcome(outcome).definitive
        successful = n if definitive else 0
        if current:
            acc.attempts += n
            acc.lookups += sent
            acc.successful += successful
            if not definitive:
                label = reason or outcome or "unknown"
                acc.reasons[label] = acc.reasons.get(label, 0) + n
        else:
            acc.previous_lookups += sent
            acc.previous_successful += successful
        acc.seen(last)
    for kiosk_id, status in shipping.items():  # kiosks that shipped but have no attempts in the window
        if kiosk_id in with_attempts or (f.kiosks and kiosk_id not in f.kiosks):
            continue
        if f.facilities and status.facility_code not in f.facilities:
            continue
        group_of(kiosk_id, status.facility_code).seen(status.last_recorded_us)

    out: list[FleetRow] = []
    for key, acc in groups.items():
        lags = [shipping[k].lag_s for k in acc.kiosks if k in shipping and shipping[k].lag_s is not None]
        backlogs = [shipping[k].backlog for k in acc.kiosks if k in shipping]
        top = max(acc.reasons.items(), key=lambda kv: (kv[1], kv[0]), default=(None, 0))
        out.append(
            FleetRow(
                key=key,
                facility=acc.facility if by == "kiosk" else None,
                kiosks=len(acc.kiosks),
                attempts=acc.attempts,
                lookups=acc.lookups,
                successful=acc.successful,
                previous_lookups=acc.previous_lookups,
                previous_successful=acc.previous_successful,
                top_failure=top[0],
                top_failure_count=top[1],
                last_seen=from_us(acc.last_seen_us),
                shipping_lag_s=max(lags) if lags else None,  # type: ignore[type-var]
                backlog=sum(backlogs) if backlogs else None,
            )
        )
    lookups = sum(r.lookups for r in out)
    overall = sum(r.successful for r in out) / lookups if lookups else None
    newest = max((r.last_seen for r in out if r.last_seen is not None), default=None)
    ranked = [replace(r, attention=_attention(r, overall, newest)) for r in out]
    ranked.sort(key=lambda r: (r.attention, -r.failed_lookups, -(r.attempts), r.key))
    return FleetView(by, since, until, previous_since, tuple(ranked))


def _attention(row: FleetRow, overall: float | None, newest: datetime | None) -> Attention:
    if row.last_seen is None or (
        newest is not None and newest - row.last_seen > timedelta(microseconds=SILENT_AFTER_US)
    ):
        return Attention.SILENT
    if (row.shipping_lag_s is not None and row.shipping_lag_s > LAG_LIMIT_S) or (row.backlog or 0) > BACKLOG_LIMIT:
        return Attention.SHIPPING_BEHIND
    if row.change is not None and row.change <= CHANGE_LIMIT:
        return Attention.FALLING
    rate = row.success_rate
    if rate is not None and overall is not None and rate <= overall - LOW_MARGIN:
        return Attention.LOW_SUCCESS
    return Attention.OK


__all__ = ["Attention", "FleetRow", "FleetView", "ShippingStatus", "fleet_view"]
