"""The log dashboard's figures and series for a period and filter (pure Python, no Qt).

Built on :class:`kiosk.lookup_log.LogReader`; :class:`DashboardReader` adds the few queries the dashboard needs that the
reader does not have (the time-to-result histogram in fine bins, the ordered row ids and row pages of the attempts
table). Every figure is computed in SQL on a read-only connection.

Definitions are the reports' (:mod:`kiosk.reports`): a *lookup* is an attempt whose request was sent, a *successful*
lookup is a definitive answer, success rate = successful / lookups, eligibility rate = eligible / successful. The
median time from card to result is the nearest-rank median of ``total_ms`` (first seen -> result shown).
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from kiosk.attempts import InputSource, LookupAttempt
from kiosk.log.reader import (
    Bucket,
    Headline,
    LogFilter,
    LogReader,
    ReasonCount,
    RetryFigures,
    daily_series_from,
    day_from_number,
    failure_reasons_from,
    headline_from_counts,
    hourly_counts_from,
)
from kiosk.log.schema import ATTEMPT_SELECT, LogError, row_to_attempt
from kiosk.outcomes import Outcome

# Failure categories of the stacked "failures per day" chart, in a stable order ("unknown": no outcome recorded).
FAILURE_OUTCOMES: tuple[str, ...] = (*(o.value for o in Outcome if not o.definitive), "unknown")
TIME_BIN_MS = 1_000  # time-to-result histogram: 1-second bins ...
TIME_BINS = 20  # ... from 0 to 20 s, then one open-ended bin
FRAMES_MAX = 15  # frames-to-read histogram: 1..15 frames, then "more than 15"
MAX_DAY_BARS = 62  # longer periods are shown per week, then per month
# Columns the attempts table can be sorted by (in SQL).
TABLE_SORT_COLUMNS: tuple[str, ...] = (
    "started_at", "kiosk_id", "facility_code", "source", "outcome", "error_reason", "result_code", "frames_to_read",
    "read_ms", "lookup_ms", "total_ms",
)


class Period(StrEnum):
    TODAY = "today"
    LAST_7_DAYS = "7-days"
    LAST_30_DAYS = "30-days"
    ALL = "all"
    CUSTOM = "custom"


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def period_days(
    period: Period | str, today: date, since: date | None = None, until: date | None = None
) -> tuple[date | None, date | None]:
    """First and last local day (both included) of a period; ``(None, None)`` for the whole log."""
    period = Period(period)
    if period is Period.TODAY:
        return today, today
    if period is Period.LAST_7_DAYS:
        return today - timedelta(days=6), today
    if period is Period.LAST_30_DAYS:
        return today - timedelta(days=29), today
    if period is Period.ALL:
        return None, None
    if since is None or until is None:
        raise ValueError("a custom period needs a first and a last day")
    return since, until  # LogFilter refuses one that starts after it ends


@dataclass(frozen=True)
class TimeBin:
    """A bar of the per-day charts: one day, or a week or month for long periods."""

    first: date
    last: date
    attempts: int = 0
    lookups: int = 0
    successful: int = 0
    eligible: int = 0

    @property
    def success_rate(self) -> float | None:
        return self.successful / self.lookups if self.lookups else None


@dataclass(frozen=True)
class Dashboard:
    filters: LogFilter
    headline: Headline
    median_total_ms: float | None  # time from card to result (nearest-rank median of total_ms)
    p95_total_ms: float | None
    timed_attempts: int  # attempts with a total time
    granularity: Granularity
    bins: tuple[TimeBin, ...]  # continuous, zero-filled over the period (or the log's span for the whole log)
    failures_by_bin: dict[str, tuple[int, ...]]  # failure outcome -> count per bin (only outcomes that occur)
    time_to_result: tuple[Bucket, ...]  # TIME_BINS bins of TIME_BIN_MS, then [TIME_BINS s, inf)
    frames: tuple[tuple[int, int], ...]  # (frames, count) for 1..FRAMES_MAX, then (FRAMES_MAX + 1, count of more)
    hourly: tuple[int, ...]  # attempts per local hour of day, 0..23
    reasons: tuple[ReasonCount, ...]  # failures by reason, most frequent first
    retries: RetryFigures  # background retries: late answers, pending, abandoned, delays

    @property
    def empty(self) -> bool:
        return self.headline.attempts == 0


def granularity_for(first: date, last: date) -> Granularity:
    days = (last - first).days + 1
    if days <= MAX_DAY_BARS:
        return Granularity.DAY
    if days <= MAX_DAY_BARS * 7:
        return Granularity.WEEK
    return Granularity.MONTH


def bin_start(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.DAY:
        return day
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())  # Monday
    return day.replace(day=1)


def _next_bin(start: date, granularity: Granularity) -> date:
    if granularity is Granularity.DAY:
        return start + timedelta(days=1)
    if granularity is Granularity.WEEK:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def bin_starts(first: date, last: date, granularity: Granularity) -> list[date]:
    starts = []
    current = bin_start(first, granularity)
    while current <= last:
        starts.append(current)
        current = _next_bin(current, granularity)
    return starts


@dataclass(frozen=True)
class TableRow:
    """One attempt of the attempts table, with the kiosk's UTC offset (to show the kiosk's local time)."""

    row_id: int
    utc_offset_min: int
    attempt: LookupAttempt

    @property
    def local_started_at(self) -> datetime | None:
        start = self.attempt.started_at
        return None if start is None else start.astimezone(timezone(timedelta(minutes=self.utc_offset_min)))


class DashboardReader(LogReader):
    """A read-only :class:`LogReader` with the dashboard's extra queries."""

    def interrupt(self) -> None:
        """Abort the running query (from any thread): it raises :class:`LogError` in its own thread."""
        self._conn.interrupt()

    def total_ms_histogram(self, filters: LogFilter) -> tuple[Bucket, ...]:
        """Time to result in TIME_BIN_MS bins up to TIME_BINS, then one open-ended bin (one index walk)."""
        where, params = filters.where("total_ms IS NOT NULL")
        rows = self._all(
            f"SELECT min(CAST(total_ms / {TIME_BIN_MS} AS INTEGER), {TIME_BINS}), count(*) "
            f"FROM attempts INDEXED BY ix_attempts_total_ms {where} GROUP BY 1",
            params,
        )
        counts = dict.fromkeys(range(TIME_BINS + 1), 0)
        for index, n in rows:
            counts[int(index)] = int(n)
        return tuple(
            Bucket(float(i * TIME_BIN_MS), None if i == TIME_BINS else float((i + 1) * TIME_BIN_MS), counts[i])
            for i in range(TIME_BINS + 1)
        )

    def ordered_ids(self, filters: LogFilter, order_by: str = "started_at", *, descending: bool = True) -> array:
        """Row ids of the matching attempts in table order (8 bytes each: 8 MB for a million rows)."""
        if order_by not in TABLE_SORT_COLUMNS:
            raise ValueError(f"cannot sort by {order_by!r}; choose one of {', '.join(TABLE_SORT_COLUMNS)}")
        where, params = filters.where()
        direction = "DESC" if descending else "ASC"
        ids = array("q")
        try:
            cursor = self._conn.execute(
                f"SELECT id FROM attempts {where} ORDER BY {order_by} {direction}, id {direction}",
                params,
            )
            while rows := cursor.fetchmany(20_000):
                ids.extend(r[0] for r in rows)
        except sqlite3.DatabaseError as exc:
            raise LogError(f"reading the lookup log {self.path} failed: {exc}") from exc
        return ids

    def attempts_by_id(self, ids: Sequence[int]) -> list[TableRow]:
        """The attempts with the given row ids, in the order given (ids no longer in the log are left out)."""
        found: dict[int, TableRow] = {}
        wanted = [int(i) for i in ids]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._all(
                f"SELECT id, utc_offset_min, {ATTEMPT_SELECT} FROM attempts "
                f"WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                found[int(row[0])] = TableRow(int(row[0]), int(row[1] or 0), row_to_attempt(row[2:]))
        return [found[i] for i in wanted if i in found]


def build_dashboard(reader: DashboardReader, filters: LogFilter) -> Dashboard:
    """Every figure and series of the dashboard for ``filters`` (period = ``since``/``until`` local days)."""
    day_rows = reader.day_hour_outcome_counts(filters)  # one walk for the per-day, per-bin and per-hour series
    counts = reader.outcome_reason_counts(filters)  # and one for the headline and the failure reasons
    days = daily_series_from(day_rows)
    hours = hourly_counts_from(day_rows)

    first, last = filters.since, filters.until
    if days:
        first = first or days[0].day
        last = last or days[-1].day
    bins: list[TimeBin] = []
    failures: dict[str, tuple[int, ...]] = {}
    granularity = Granularity.DAY
    if first is not None and last is not None:
        granularity = granularity_for(first, last)
        starts = bin_starts(first, last, granularity)
        position = {start: i for i, start in enumerate(starts)}
        sums = [[0, 0, 0, 0] for _ in starts]
        for point in days:
            if first <= point.day <= last:
                sum_ = sums[position[bin_start(point.day, granularity)]]
                for k, value in enumerate((point.attempts, point.lookups, point.successful, point.eligible)):
                    sum_[k] += value
        for i, start in enumerate(starts):
            bin_last = min(_next_bin(start, granularity) - timedelta(days=1), last)
            bins.append(TimeBin(max(start, first), bin_last, *sums[i]))
        per_bin = {outcome: [0] * len(starts) for outcome in FAILURE_OUTCOMES}  # failure outcome -> attempts per bin
        for day, _hour, outcome, n, _sent in day_rows:
            when = day_from_number(int(day))
            if first <= when <= last and (outcome is None or not Outcome(outcome).definitive):
                per_bin[outcome or "unknown"][position[bin_start(when, granularity)]] += int(n)
        failures = {outcome: tuple(series) for outcome, series in per_bin.items() if any(series)}

    latency = reader.percentiles("total", filters, (50, 95))
    frames = reader.frames_histogram(filters)
    frame_bins = [(k, frames.get(k, 0)) for k in range(1, FRAMES_MAX + 1)]
    frame_bins.append((FRAMES_MAX + 1, sum(n for k, n in frames.items() if k > FRAMES_MAX)))
    if frames.get(0):
        frame_bins[0] = (1, frame_bins[0][1] + frames[0])  # 0 frames cannot happen; count it with the first bar
    return Dashboard(
        filters=filters,
        headline=headline_from_counts(counts),
        median_total_ms=latency.values.get(50),
        p95_total_ms=latency.values.get(95),
        timed_attempts=latency.count,
        granularity=granularity,
        bins=tuple(bins),
        failures_by_bin=failures,
        time_to_result=reader.total_ms_histogram(filters),
        frames=tuple(frame_bins),
        hourly=tuple(hours.get(hour, 0) for hour in range(24)),
        reasons=tuple(failure_reasons_from(counts)),
        retries=reader.retry_figures(filters),
    )


def period_filter(
    period: Period | str,
    today: date,
    *,
    since: date | None = None,
    until: date | None = None,
    kiosks: Sequence[str] = (),
    facilities: Sequence[str] = (),
    outcomes: Sequence[Outcome | str] = (),
    sources: Sequence[InputSource | str] = (),
) -> LogFilter:
    """The LogFilter of a period (``since``/``until`` for a custom one) and the kiosk/facility/outcome/source."""
    first, last = period_days(period, today, since, until)
    # LogFilter makes the outcome and source names enums and refuses a period that starts after it ends
    return LogFilter(since=first, until=last, kiosks=tuple(kiosks), facilities=tuple(facilities),
                     outcomes=tuple(outcomes), sources=tuple(sources))  # type: ignore[arg-type]


__all__ = [
    "FAILURE_OUTCOMES",
    "FRAMES_MAX",
    "TABLE_SORT_COLUMNS",
    "TIME_BINS",
    "TIME_BIN_MS",
    "Dashboard",
    "DashboardReader",
    "Granularity",
    "Period",
    "TableRow",
    "TimeBin",
    "bin_starts",
    "build_dashboard",
    "granularity_for",
    "period_days",
    "period_filter",
]
