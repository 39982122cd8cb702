"""The read side of the lookup log: filters and the queries behind reports and the log dashboard.

Every figure is computed in SQL; each query walks one covering index (see :mod:`kiosk.log.schema`), so the whole
report stays well under a second on a million attempts. Percentiles are exact (nearest rank: the value at rank
``ceil(p/100 * n)`` of the sorted values), found by walking the stage's index from the nearer end.

Days and hours are the kiosk's local calendar days and hours.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Literal

from kiosk import paths
from kiosk.attempts import InputSource, LookupAttempt, RetryStatus
from kiosk.central import rollups
from kiosk.central.location import is_postgres_url, safe_url
from kiosk.log.health import integrity_problem
from kiosk.log.schema import (
    ATTEMPT_SELECT,
    DURATION_STAGES,
    EPOCH,
    SCHEMA_VERSION,
    LogError,
    closed_on_error,
    row_to_attempt,
    schema_version,
    to_us,
)
from kiosk.outcomes import Outcome

EPOCH_DAY = date(1970, 1, 1)
GroupBy = Literal["day", "hour", "kiosk", "facility", "outcome", "source"]
GROUP_COLUMNS: dict[str, str] = {
    "day": "day",
    "hour": "hour",
    "kiosk": "kiosk_id",
    "facility": "facility_code",
    "outcome": "outcome",
    "source": "source",
}
ORDER_COLUMNS = frozenset(
    {
        "id",
        "started_at",
        "recorded_at",
        "kiosk_id",
        "facility_code",
        "source",
        "outcome",
        "total_ms",
        "read_ms",
        "lookup_ms",
        "frames_to_read",
    }
)
PERCENTILES: tuple[int, ...] = (50, 95, 99)
PAGE_ROWS = 1000  # rows per page when a log is read in recording order


def day_number(value: date) -> int:
    return (value - EPOCH_DAY).days


def day_from_number(value: int) -> date:
    return EPOCH_DAY + timedelta(days=value)


@dataclass(frozen=True)
class LogFilter:
    """Which attempts to look at. Empty tuples mean "all"; ``since``/``until`` are local days, both inclusive.

    ``start``/``end`` (aware datetimes, end exclusive) narrow by the exact start time, for the dashboard.
    """

    since: date | None = None
    until: date | None = None
    kiosks: tuple[str, ...] = ()
    facilities: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    sources: tuple[InputSource, ...] = ()
    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
                raise TypeError(f"LogFilter.{name} must be a date")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"the period starts ({self.since}) after it ends ({self.until})")
        object.__setattr__(self, "outcomes", tuple(Outcome(o) for o in self.outcomes))
        object.__setattr__(self, "sources", tuple(InputSource(s) for s in self.sources))
        object.__setattr__(self, "kiosks", tuple(str(k) for k in self.kiosks))
        object.__setattr__(self, "facilities", tuple(str(f) for f in self.facilities))

    def where(self, *extra: str) -> tuple[str, list[object]]:
        """SQL ``WHERE ...`` clause (or "") and its parameters."""
        clauses: list[str] = [e for e in extra if e]
        params: list[object] = []
        for clause, value in (
            ("day >= ?", None if self.since is None else day_number(self.since)),
            ("day <= ?", None if self.until is None else day_number(self.until)),
            ("started_at >= ?", to_us(self.start, "start")),
            ("started_at < ?", to_us(self.end, "end")),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        for column, values in (
            ("kiosk_id", self.kiosks),
            ("facility_code", self.facilities),
            ("outcome", tuple(o.value for o in self.outcomes)),
            ("source", tuple(s.value for s in self.sources)),
        ):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


ALL = LogFilter()


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _nearest_rank(p: float, n: int) -> int:
    """The 1-based rank of the ``p``-th percentile of ``n`` sorted values (nearest rank)."""
    return max(1, math.ceil(p / 100 * n))


@dataclass(frozen=True)
class Headline:
    attempts: int
    lookups: int
    successful: int
    eligible: int

    @property
    def failed(self) -> int:
        """Attempts without a successful lookup."""
        return self.attempts - self.successful

    @property
    def success_rate(self) -> float | None:
        """successful / lookups (None when no lookup was sent)."""
        return _rate(self.successful, self.lookups)

    @property
    def eligibility_rate(self) -> float | None:
        """eligible outcomes / successful lookups."""
        return _rate(self.eligible, self.successful)


@dataclass(frozen=True)
class ReasonCount:
    outcome: str  # the outcome value, or "unknown"
    reason: str  # error_reason, or the outcome when the pipeline gave no reason
    count: int
    share: float  # of all failed attempts


@dataclass(frozen=True)
class Percentiles:
    count: int
    values: dict[int, float | None]  # percentile -> ms


@dataclass(frozen=True)
class DayPoint(Headline):
    """The headline figures of one local day."""

    day: date


@dataclass(frozen=True)
class GroupRow:
    key: str
    headline: Headline


@dataclass(frozen=True)
class RepeatVisitors:
    people: int  # distinct person hashes
    repeat_people: int  # seen more than once
    repeat_attempts: int  # attempts by those people


@dataclass(frozen=True)
class ShippingStatus:
    """A kiosk as the central collector last heard from it (central stores only)."""

    kiosk_id: str
    facility_code: str | None
    last_batch_us: int
    last_recorded_us: int | None
    lag_s: float | None
    backlog: int


@dataclass(frozen=True)
class RetryFigures:
    """Background retries (attempts whose first try failed transiently): how they ended, and when."""

    successful_after_retry: int  # a late definitive answer
    pending: int  # still retrying
    abandoned: int  # the limit passed (or a restart could not resume them)
    failed_after_retry: int  # a retry met a failure another try cannot fix
    late_delay: Percentiles  # first try's end -> late answer, ms


@dataclass(frozen=True)
class Bucket:
    low_ms: float
    high_ms: float | None  # None: open-ended
    count: int


class LogReader:
    """Read-only access to a lookup log (this kiosk's, or a copy from another one)."""

    postgres = False  # reading a central store on PostgreSQL (else a SQLite lookup-log file)
    use_totals = True  # a central store: answer from its kept totals where they can (False: scan the rows; tests)

    def __init__(self, path: Path | str | None = None) -> None:
        """``path``: a lookup-log file, or the URL of a central store (``postgresql://...``)."""
        if isinstance(path, str) and is_postgres_url(path):
            from kiosk.central.pg_reader import PgConnection, check_central_schema

            self.path = Path(safe_url(path))  # for messages only
            self.postgres = True
            self._conn = PgConnection(path)  # type: ignore[assignment]
            check = partial(check_central_schema, self._conn)
        else:
            self.path = Path(path) if path is not None else paths.default_log_db()
            if not self.path.is_file():
                raise LogError(f"no lookup log at {self.path}")
            self._conn = self._open()
            check = self._check_schema
        with closed_on_error(self._conn, f"{self.path} is not a lookup log"):
            check()

    def _open(self) -> sqlite3.Connection:
        uri = self.path.resolve().as_uri()
        last: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):  # immutable: a copy on read-only media
            try:
                conn = sqlite3.connect(f"{uri}?{options}", uri=True, timeout=5.0)  # mode=ro: SQLite refuses writes
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.Error as exc:
                last = exc
        raise LogError(f"cannot open the lookup log {self.path}: {last}")

    def _check_schema(self) -> None:
        try:
            version = schema_version(self._conn)
            has_table = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attempts'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise LogError(f"{self.path} is not a lookup log: {exc}") from exc
        if not has_table:
            raise LogError(f"{self.path} is not a lookup log (no attempts table)")
        if version < SCHEMA_VERSION:
            raise LogError(
                f"{self.path} has an older lookup-log schema (v{version}, this program reads v{SCHEMA_VERSION}); "
                "upgrade it with `bhyt-kiosk logs migrate --db PATH` (or open it once with the kiosk)"
            )
        if version > SCHEMA_VERSION:
            raise LogError(f"{self.path} was written by a newer bhyt-kiosk (schema v{version})")

    def _whole_store(self, filters: LogFilter) -> bool:
        """A central store asked about everything in it: its totals answer (:mod:`kiosk.central.rollups`)."""
        return self.postgres and self.use_totals and filters == ALL

    def _whole_days(self, filters: LogFilter, *, per_kiosk: bool = True) -> bool:
        """A central store asked about whole days (and kiosks or facilities when ``per_kiosk``): its per-day totals
        answer. Filters by outcome, source or exact start time read the rows."""
        if not (self.postgres and self.use_totals):
            return False
        if filters.outcomes or filters.sources or filters.start is not None or filters.end is not None:
            return False
        return per_kiosk or not (filters.kiosks or filters.facilities)

    def integrity_problem(self) -> str | None:
        """None when ``PRAGMA quick_check`` finds the file sound, else what is damaged (figures may be wrong)."""
        if self.postgres:
            return None  # PostgreSQL checks its own pages; there is no quick_check to run
        return integrity_problem(self._conn)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> LogReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _all(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise LogError(f"reading the lookup log {self.path} failed: {exc}") from exc

    # -- rows ----------------------------------------------------------------------------------------------------

    def count(self, filters: LogFilter = ALL) -> int:
        where, params = filters.where()
        return int(self._all(f"SELECT count(*) FROM attempts {where}", params)[0][0])

    def attempts(
        self,
        filters: LogFilter = ALL,
        order_by: str = "started_at",
        *,
        descending: bool = True,
        limit: int = 100,
        offset: int = 0,
    ) -> list[LookupAttempt]:
        """One page of attempts (newest first by default)."""
        if order_by not in ORDER_COLUMNS:
            raise ValueError(f"cannot order by {order_by!r}; choose one of {', '.join(sorted(ORDER_COLUMNS))}")
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must be >= 0")
        where, params = filters.where()
        direction = "DESC" if descending else "ASC"
        rows = self._all(
            f"SELECT {ATTEMPT_SELECT} FROM attempts {where} ORDER BY {order_by} {direction}, id {direction} "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [row_to_attempt(r) for r in rows]

    def query(self, filters: LogFilter = ALL) -> Iterator[LookupAttempt]:
        """Every matching attempt, oldest first, streamed (constant memory)."""
        for _rowid, attempt in self.iter_rows(filters):
            yield attempt

    def iter_rows(self, filters: LogFilter = ALL, *, after_id: int = 0) -> Iterator[tuple[int, LookupAttempt]]:
        """``(row id, attempt)`` in recording order, from ``after_id`` on, streamed."""
        where, params = filters.where("id > ?")
        sql = f"SELECT id, {ATTEMPT_SELECT} FROM attempts {where} ORDER BY id"
        if self.postgres:  # pages by id (a client-side cursor would hold every row, a held one sorts them all first)
            last = after_id
            while rows := self._all(f"{sql} LIMIT {PAGE_ROWS}", [last, *params]):
                for row in rows:
                    yield int(row[0]), row_to_attempt(row[1:])
                last = int(rows[-1][0])
            return
        # SQLite: one cursor, read in pages (pages by id would sort the matches again for each page when a filter
        # walks an index, e.g. by outcome)
        cursor = self._conn.execute(sql, [after_id, *params])
        while rows := cursor.fetchmany(PAGE_ROWS):
            for row in rows:
                yield int(row[0]), row_to_attempt(row[1:])

    def recent_ids(self, lines: int) -> int:
        """The row id after which the last ``lines`` attempts follow."""
        rows = self._all("SELECT id FROM attempts ORDER BY id DESC LIMIT 1 OFFSET ?", [max(lines, 0)])
        return int(rows[0][0]) if rows else 0

    def recorded_span(self, filters: LogFilter = ALL) -> tuple[datetime, datetime] | None:
        where, params = filters.where()
        ends: list[datetime] = []
        for direction in ("ASC", "DESC"):  # two index walks that stop at the first match (min+max would scan)
            rows = self._all(
                f"SELECT started_at FROM attempts INDEXED BY ix_attempts_started {where} "
                f"ORDER BY started_at {direction} LIMIT 1",
                params,
            )
            if not rows:
                return None
            ends.append(EPOCH + timedelta(microseconds=rows[0][0]))
        return ends[0], ends[1]

    def distinct(self, column: Literal["kiosk_id", "facility_code", "source", "app_version"]) -> list[str]:
        """Distinct values of a column (for filter menus)."""
        if column not in ("kiosk_id", "facility_code", "source", "app_version"):
            raise ValueError(f"no distinct values for {column!r}")
        return [r[0] for r in self._all(f"SELECT DISTINCT {column} FROM attempts ORDER BY 1")]

    # -- aggregates ----------------------------------------------------------------------------------------------

    def outcome_reason_counts(self, filters: LogFilter = ALL) -> list[tuple[str | None, str | None, int, int]]:
        """``(outcome, error_reason, attempts, lookups)`` for every combination present."""
        if self._whole_store(filters):
            return rollups.outcome_reason_counts(self._all)
        where, params = filters.where()
        if self._whole_days(filters):
            return rollups.outcome_reason_counts(self._all, filters.where)
        return self._all(
            "SELECT outcome, error_reason, count(*), sum(lookup_sent) FROM attempts INDEXED BY ix_attempts_outcome "
            f"{where} GROUP BY outcome, error_reason",
            params,
        )

    def headline(self, filters: LogFilter = ALL) -> Headline:
        return headline_from_counts(self.outcome_reason_counts(filters))

    def day_hour_outcome_counts(self, filters: LogFilter = ALL) -> list[tuple[int, int, str | None, int, int]]:
        """``(day number, hour, outcome, attempts, lookups)``: one ordered walk of the day index."""
        where, params = filters.where()
        return self._all(
            "SELECT day, hour, outcome, count(*), sum(lookup_sent) FROM attempts INDEXED BY ix_attempts_day "
            f"{where} GROUP BY day, hour, outcome",
            params,
        )

    def frames_histogram(self, filters: LogFilter = ALL) -> dict[int, int]:
        """Frames needed to read the code -> number of attempts (attempts with a known frame count)."""
        if self._whole_store(filters):
            return rollups.frames_histogram(self._all)
        if self._whole_days(filters, per_kiosk=False):
            return rollups.frames_histogram(self._all, filters.where)
        where, params = filters.where("frames_to_read IS NOT NULL")
        rows = self._all(
            f"SELECT frames_to_read, count(*) FROM attempts INDEXED BY ix_attempts_frames {where} "
            "GROUP BY frames_to_read ORDER BY frames_to_read",
            params,
        )
        return {int(f): int(n) for f, n in rows}

    def percentiles(
        self, stage: str, filters: LogFilter = ALL, percentiles: Sequence[int] = PERCENTILES
    ) -> Percentiles:
        """Exact nearest-rank percentiles of a stage duration (``read``, ``validate``, ``lookup``, ``total``)."""
        if stage not in DURATION_STAGES:
            raise ValueError(f"unknown stage {stage!r}; choose one of {', '.join(DURATION_STAGES)}")
        for p in percentiles:
            if not 0 < p <= 100:
                raise ValueError(f"percentile must be in (0, 100], got {p}")
        if self._whole_store(filters):
            return Percentiles(*rollups.percentiles(self._all, stage, percentiles))
        if self._whole_days(filters, per_kiosk=False):
            return Percentiles(*rollups.percentiles(self._all, stage, percentiles, filters.where))
        if self.postgres:
            return self._latency_in_one_pass(filters, (stage,), percentiles)[stage]
        column = f"{stage}_ms"
        index = f"ix_attempts_{column}"
        where, params = filters.where(f"{column} IS NOT NULL")
        n = int(self._all(f"SELECT count(*) FROM attempts INDEXED BY {index} {where}", params)[0][0])
        values: dict[int, float | None] = dict.fromkeys(percentiles)
        for p in percentiles if n else ():
            rank = _nearest_rank(p, n)  # 1-based, ascending: walk the index from the nearer end
            order, skip = ("ASC", rank - 1) if rank <= n - rank + 1 else ("DESC", n - rank)
            row = self._all(
                f"SELECT {column} FROM attempts INDEXED BY {index} {where} ORDER BY {column} {order} LIMIT 1 OFFSET ?",
                [*params, skip],
            )
            values[p] = float(row[0][0])
        return Percentiles(n, values)

    def latency(self, filters: LogFilter = ALL) -> dict[str, Percentiles]:
        if self.postgres and not (self._whole_store(filters) or self._whole_days(filters, per_kiosk=False)):
            # kiosks, facilities or other filters: one pass over their rows
            return self._latency_in_one_pass(filters, DURATION_STAGES, PERCENTILES)
        return {stage: self.percentiles(stage, filters) for stage in DURATION_STAGES}

    def _latency_in_one_pass(
        self, filters: LogFilter, stages: Sequence[str], percentiles: Sequence[int]
    ) -> dict[str, Percentiles]:
        """PostgreSQL, for a period: every stage's count and percentiles in one scan of its partitions
        (``percentile_disc`` is the same nearest rank, ``ceil(p * n)``, as the index walk)."""
        fractions = [p / 100 for p in percentiles]
        columns = ", ".join(
            f"count({stage}_ms), percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY {stage}_ms)" for stage in stages
        )
        where, params = filters.where()
        row = self._all(f"SELECT {columns} FROM attempts {where}", [*([fractions] * len(stages)), *params])[0]
        out: dict[str, Percentiles] = {}
        for i, stage in enumerate(stages):
            n, values = int(row[2 * i]), row[2 * i + 1] or [None] * len(percentiles)
            out[stage] = Percentiles(n, {p: float(v) if n else None for p, v in zip(percentiles, values, strict=True)})
        return out

    def repeat_visitors(self, filters: LogFilter = ALL) -> RepeatVisitors:
        if self._whole_store(filters):
            return RepeatVisitors(*rollups.repeat_visitors(self._all))
        where, params = filters.where("person_hash IS NOT NULL")
        row = self._all(
            "SELECT count(*), coalesce(sum(CASE WHEN n > 1 THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN n > 1 THEN n ELSE 0 END), 0) FROM "
            f"(SELECT count(*) AS n FROM attempts INDEXED BY ix_attempts_person {where} GROUP BY person_hash) "
            "AS visits",
            params,
        )[0]
        return RepeatVisitors(int(row[0]), int(row[1]), int(row[2]))

    def fleet_counts(
        self, filters: LogFilter, *, current_from: int
    ) -> list[tuple[str, str, str | None, str | None, int, int, int, int]]:
        """``(kiosk, facility, outcome, reason, in current period 0/1, attempts, lookups, newest start)`` per
        combination; the current period starts at local day number ``current_from`` (earlier days: the previous)."""
        if self._whole_days(filters):
            return rollups.day_fleet_counts(self._all, *filters.where("attempts <> 0"), current_from)
        where, params = filters.where()
        rows = self._all(
            "SELECT kiosk_id, facility_code, outcome, error_reason, CASE WHEN day >= ? THEN 1 ELSE 0 END AS cur, "
            f"count(*), sum(lookup_sent), max(started_at) FROM attempts {where} "
            "GROUP BY kiosk_id, facility_code, outcome, error_reason, cur",
            [current_from, *params],
        )
        return [(k, f, o, r, int(c), int(n), int(s or 0), int(m)) for k, f, o, r, c, n, s, m in rows]

    def shipping_status(self) -> dict[str, ShippingStatus]:
        """The collector's ``kiosks`` table of a central store (empty for a kiosk's own log)."""
        try:
            rows = self._all(
                "SELECT kiosk_id, facility_code, last_batch_at, last_recorded_at, lag_s, backlog FROM kiosks"
            )
        except LogError:  # no such table: not a central store
            return {}
        return {
            str(k): ShippingStatus(str(k), f, int(b), None if r is None else int(r), lag, int(n))
            for k, f, b, r, lag, n in rows
        }

    def retry_figures(self, filters: LogFilter = ALL, percentiles: Sequence[int] = PERCENTILES) -> RetryFigures:
        """How background retries ended (a walk of the partial retry index: rows without retries are not read)."""
        where, params = filters.where("retry_status IS NOT NULL")
        counts = dict(self._all(
            f"SELECT retry_status, count(*) FROM attempts INDEXED BY ix_attempts_retry {where} GROUP BY retry_status",
            params,
        ))
        where, params = filters.where("retry_status = 'answered'", "retry_delay_ms IS NOT NULL")
        delays = [float(r[0]) for r in self._all(
            f"SELECT retry_delay_ms FROM attempts INDEXED BY ix_attempts_retry {where} ORDER BY retry_delay_ms",
            params,
        )]
        values = {p: delays[_nearest_rank(p, len(delays)) - 1] if delays else None for p in percentiles}
        return RetryFigures(
            successful_after_retry=int(counts.get(RetryStatus.ANSWERED.value, 0)),
            pending=int(counts.get(RetryStatus.PENDING.value, 0)),
            abandoned=int(counts.get(RetryStatus.ABANDONED.value, 0)),
            failed_after_retry=int(counts.get(RetryStatus.FAILED.value, 0)),
            late_delay=Percentiles(len(delays), values),
        )

    def pending_attempts(self, kiosk_id: str) -> list[LookupAttempt]:
        """This kiosk's attempts still waiting for background retries (``retry_status = 'pending'``)."""
        rows = self._all(
            f"SELECT {ATTEMPT_SELECT} FROM attempts INDEXED BY ix_attempts_retry "
            "WHERE retry_status = 'pending' AND kiosk_id = ? ORDER BY started_at",
            [kiosk_id],
        )
        return [row_to_attempt(r) for r in rows]

    def groups(self, by: GroupBy, filters: LogFilter = ALL) -> list[GroupRow]:
        """Headline figures per day, hour, kiosk, facility, outcome or source."""
        if by not in GROUP_COLUMNS:
            raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUP_COLUMNS)}")
        rows: list[tuple[object, str | None, int, int]]
        if by == "hour" or (by == "day" and not self._whole_days(filters)):
            position = 0 if by == "day" else 1
            rows = [(r[position], r[2], r[3], r[4]) for r in self.day_hour_outcome_counts(filters)]
        elif by == "outcome":
            rows = [(o, o, n, sent) for o, _reason, n, sent in self.outcome_reason_counts(filters)]
        elif by in ("day", "kiosk", "facility") and self._whole_days(filters):
            rows = rollups.day_group_counts(self._all, GROUP_COLUMNS[by], *filters.where())  # type: ignore[arg-type]
        else:
            column = GROUP_COLUMNS[by]
            where, params = filters.where()
            rows = self._all(
                f"SELECT {column}, outcome, count(*), sum(lookup_sent) FROM attempts {where} "
                f"GROUP BY {column}, outcome",
                params,
            )
        acc: dict[object, list[int]] = {}
        for key, outcome, n, sent in rows:
            _add(acc.setdefault(key, [0, 0, 0, 0]), outcome, n, sent)
        out: list[GroupRow] = []
        for key in sorted(acc, key=lambda k: (k is None, k if k is not None else "")):  # type: ignore[arg-type,return-value]
            if by == "day":
                label = day_from_number(int(key)).isoformat()  # type: ignore[call-overload]
            elif by == "hour":
                label = f"{int(key):02d}:00"  # type: ignore[call-overload]
            else:
                label = "unknown" if key is None else str(key)
            out.append(GroupRow(label, Headline(*acc[key])))
        return out


def _add(acc: list[int], outcome: str | None, n: int, sent: int | None) -> None:
    """Add a count to [attempts, lookups, successful, eligible]."""
    acc[0] += int(n)
    acc[1] += int(sent or 0)
    if outcome is not None:
        o = Outcome(outcome)
        if o.definitive:
            acc[2] += int(n)
        if o.eligible:
            acc[3] += int(n)


def headline_from_counts(rows: Sequence[tuple[str | None, str | None, int, int]]) -> Headline:
    """The headline of :meth:`LogReader.outcome_reason_counts` rows."""
    acc = [0, 0, 0, 0]
    for outcome, _reason, n, sent in rows:
        _add(acc, outcome, n, sent)
    return Headline(*acc)


def daily_series_from(rows: Sequence[tuple[int, int, str | None, int, int]]) -> list[DayPoint]:
    """The per-day series of :meth:`LogReader.day_hour_outcome_counts` rows (days without attempts are absent)."""
    per_day: dict[int, list[int]] = {}
    for day, _hour, outcome, n, sent in rows:
        _add(per_day.setdefault(int(day), [0, 0, 0, 0]), outcome, n, sent)
    return [DayPoint(*acc, day=day_from_number(d)) for d, acc in sorted(per_day.items())]


def hourly_counts_from(rows: Sequence[tuple[int, int, str | None, int, int]]) -> dict[int, int]:
    """Attempts per hour of day of :meth:`LogReader.day_hour_outcome_counts` rows (hours without attempts absent)."""
    counts: Counter[int] = Counter()
    for _day, hour, _outcome, n, _sent in rows:
        counts[int(hour)] += int(n)
    return dict(sorted(counts.items()))


def outcome_counts_from(rows: Sequence[tuple[str | None, str | None, int, int]]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for outcome, _reason, n, _sent in rows:
        counts[outcome or "unknown"] += n
    order = [o.value for o in Outcome] + ["unknown"]
    return {k: counts[k] for k in order if k in counts}


def failure_reasons_from(rows: Sequence[tuple[str | None, str | None, int, int]]) -> list[ReasonCount]:
    failed = [(o, r, n) for o, r, n, _s in rows if o is None or not Outcome(o).definitive]
    total = sum(n for _o, _r, n in failed)
    merged: Counter[tuple[str, str]] = Counter()
    for outcome, reason, n in failed:
        merged[outcome or "unknown", reason or outcome or "unknown"] += n
    items = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    return [ReasonCount(o, r, n, n / total) for (o, r), n in items]

