"""Totals the collector keeps up to date, so that the province report over everything ever shipped, or over a period of
whole local days, does not scan every attempt (PostgreSQL only; a report filtered by outcome, source or exact start time
reads the attempts themselves, and so do a period's repeat visitors).

Whole-store tables, changed in the same transaction as the attempts they count (a later version of an attempt takes its
old version's contribution away first, so the totals always equal a count over the table):

- ``rollup_outcomes(outcome, error_reason, attempts, lookups)``: the headline, outcomes and failure reasons;
- ``rollup_frames(frames, n)``: frames to read;
- ``rollup_people(person_hash, n)``: attempts per person (repeat visitors);
- ``rollup_durations(stage, bucket, n)``: how many durations of each stage fall in each bucket (64 per power of two,
  :func:`bucket_of`). An exact nearest-rank percentile is then the bucket holding rank ``ceil(p n)`` and one short walk
  of the stage's index inside that bucket: the same value the full index walk gives.

Per-day tables (``day``: the attempt's local day, the column every period filter uses; a period is whole days, so it is
answered from these alone, without edge days from the rows), changed in the same transaction:

- ``rollup_days(day, kiosk_id, facility_code, outcome, error_reason, attempts, lookups, newest_start)``: the headline,
  outcomes, reasons, the per-kiosk / per-facility / per-day groups and the at-a-glance table. ``newest_start`` only
  grows (an attempt's start never changes between its versions, and its day and kiosk neither, so the newest start of
  a kiosk on a day, over its rows with ``attempts <> 0``, is exact);
- ``rollup_day_frames(day, frames, n)`` and ``rollup_day_durations(day, stage, bucket, n)``: frames to read and the
  duration buckets of the whole province per day (a kiosk's or facility's period reads its rows through its index).

:func:`rebuild` recomputes them from the attempts: the migration that adds them, rows loaded or deleted outside the
collector (a bulk load, an old month's partition dropped) need it.
Rows lock in key order within each table, and the tables in one order, so concurrent batches cannot deadlock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from kiosk.log.schema import DURATION_STAGES, INSERT_COLUMNS, Row

SUB_BUCKETS = 64  # per power of two: a bucket is at most 1/32 of its values wide, at any scale
ZERO_BUCKET = -(2**40)  # durations of exactly 0 ms
_I = {name: INSERT_COLUMNS.index(name) for name in INSERT_COLUMNS}
# Old versions are read with these columns (the rows' contribution to the totals).
CONTRIBUTION_COLUMNS: tuple[str, ...] = (
    "outcome",
    "error_reason",
    "lookup_sent",
    "frames_to_read",
    "person_hash",
    *(f"{stage}_ms" for stage in DURATION_STAGES),
    "day",
    "kiosk_id",
    "facility_code",
    "started_at",
)

MIGRATION: tuple[str, ...] = (
    "CREATE TABLE rollup_outcomes (outcome text, error_reason text, attempts bigint NOT NULL, lookups bigint NOT NULL)",
    "CREATE UNIQUE INDEX ux_rollup_outcomes ON rollup_outcomes (outcome, error_reason) NULLS NOT DISTINCT",
    "CREATE TABLE rollup_frames (frames integer PRIMARY KEY, n bigint NOT NULL)",
    "CREATE TABLE rollup_people (person_hash text PRIMARY KEY, n bigint NOT NULL)",
    "CREATE TABLE rollup_durations (stage text, bucket bigint, n bigint NOT NULL, PRIMARY KEY (stage, bucket))",
)
DAY_MIGRATION: tuple[str, ...] = (
    "CREATE TABLE rollup_days (day integer NOT NULL, kiosk_id text NOT NULL, facility_code text NOT NULL, "
    "outcome text, error_reason text, attempts bigint NOT NULL, lookups bigint NOT NULL, newest_start bigint NOT NULL)",
    "CREATE UNIQUE INDEX ux_rollup_days ON rollup_days (day, kiosk_id, facility_code, outcome, error_reason) "
    "NULLS NOT DISTINCT",
    "CREATE INDEX ix_rollup_days_kiosk ON rollup_days (kiosk_id, day)",
    "CREATE TABLE rollup_day_frames (day integer, frames integer, n bigint NOT NULL, PRIMARY KEY (day, frames))",
    "CREATE TABLE rollup_day_durations (day integer, stage text, bucket bigint, n bigint NOT NULL, "
    "PRIMARY KEY (day, stage, bucket))",
)
WHOLE_TABLES = ("rollup_outcomes", "rollup_frames", "rollup_people", "rollup_durations")
DAY_TABLES = ("rollup_days", "rollup_day_frames", "rollup_day_durations")


def bucket_of(ms: float) -> int:
    """The bucket of a duration: ``ms = m * 2**e`` (``0.5 <= m < 1``), bucket ``64 e + floor(64 m)``. Its values are
    ``[k * 2**(e-6), (k+1) * 2**(e-6))``: bounds that are exact doubles, so float comparisons (the index walk's) and
    this function always agree."""
    if ms == 0:
        return ZERO_BUCKET
    m, e = math.frexp(ms)
    return e * SUB_BUCKETS + int(m * SUB_BUCKETS)


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """``[low, high)`` of a bucket (not the zero bucket)."""
    e, k = divmod(bucket, SUB_BUCKETS)
    return math.ldexp(k, e - 6), math.ldexp(k + 1, e - 6)


def bucket_sql(column: str) -> str:
    """:func:`bucket_of` in SQL: the exponent from a logarithm, corrected with exact comparisons against powers of two,
    then the sub-bucket by an exact scaling by a power of two."""
    guess = f"(floor(ln({column}) / ln(2.0))::int + 1)"
    exponent = (
        f"(CASE WHEN {column} >= power(2.0::float8, {guess}) THEN {guess} + 1 "
        f"WHEN {column} < power(2.0::float8, {guess} - 1) THEN {guess} - 1 ELSE {guess} END)"
    )
    return (
        f"CASE WHEN {column} = 0 THEN {ZERO_BUCKET} ELSE {exponent} * {SUB_BUCKETS} "
        f"+ floor({column} * power(2.0::float8, 6 - {exponent}))::bigint END"
    )


# The totals a batch changes: each table's key columns and count columns (the counts are added to, except
# ``newest_start``, which keeps the larger value).
TOTALS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rollup_outcomes": (("outcome", "error_reason"), ("attempts", "lookups")),
    "rollup_frames": (("frames",), ("n",)),
    "rollup_people": (("person_hash",), ("n",)),
    "rollup_durations": (("stage", "bucket"), ("n",)),
    "rollup_days": (
        ("day", "kiosk_id", "facility_code", "outcome", "error_reason"),
        ("attempts", "lookups", "newest_start"),
    ),
    "rollup_day_frames": (("day", "frames"), ("n",)),
    "rollup_day_durations": (("day", "stage", "bucket"), ("n",)),
}


class Deltas:
    """Changes to the totals from one batch: ``add`` new versions, ``remove`` the old versions they replace."""

    def __init__(self) -> None:
        self.changes: dict[str, dict[tuple[Any, ...], list[int]]] = {table: {} for table in TOTALS}

    def _count(self, table: str, key: tuple[Any, ...], *values: int) -> list[int]:
        counts = self.changes[table].setdefault(key, [0] * len(values))
        for i, value in enumerate(values):
            counts[i] += value
        return counts

    def add(self, values: dict[str, Any], sign: int = 1) -> None:
        key = (values["outcome"], values["error_reason"])
        day = int(values["day"])
        sent = sign * int(values["lookup_sent"] or 0)
        self._count("rollup_outcomes", key, sign, sent)
        day_counts = self._count("rollup_days", (day, values["kiosk_id"], values["facility_code"], *key), sign, sent, 0)
        if sign > 0:  # newest_start: the largest start, not a sum
            day_counts[2] = max(day_counts[2], int(values["started_at"]))
        if values["frames_to_read"] is not None:
            self._count("rollup_frames", (int(values["frames_to_read"]),), sign)
            self._count("rollup_day_frames", (day, int(values["frames_to_read"])), sign)
        if values["person_hash"] is not None:
            self._count("rollup_people", (values["person_hash"],), sign)
        for stage in DURATION_STAGES:
            ms = values[f"{stage}_ms"]
            if ms is not None:
                bucket = bucket_of(float(ms))
                self._count("rollup_durations", (stage, bucket), sign)
                self._count("rollup_day_durations", (day, stage, bucket), sign)

    def add_row(self, row: Row) -> None:
        self.add({name: row[_I[name]] for name in CONTRIBUTION_COLUMNS})

    def remove(self, values: dict[str, Any]) -> None:
        self.add(values, -1)

    def apply(self, conn: Any) -> None:
        """Write the changes (each table's rows in key order) on a connection inside the batch's transaction."""
        for table, (keys, counts) in TOTALS.items():
            changed = sorted(self.changes[table].items(), key=lambda item: tuple(str(x) for x in item[0]))
            rows = [(*key, *values) for key, values in changed if any(values)]
            if not rows:
                continue
            updates = ", ".join(
                f"{c} = greatest(t.{c}, excluded.{c})" if c == "newest_start" else f"{c} = t.{c} + excluded.{c}"
                for c in counts
            )
            with conn.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} AS t VALUES ({', '.join(['%s'] * len(rows[0]))}) "
                    f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
                    rows,
                )


def rebuild(conn: Any) -> None:
    """Recompute every total, whole-store and per day, from the attempts table (inside the caller's transaction)."""
    rebuild_whole(conn)
    rebuild_days(conn)


def rebuild_whole(conn: Any) -> None:
    """Recompute the whole-store totals from the attempts table (inside the caller's transaction)."""
    for table in WHOLE_TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute(
        "INSERT INTO rollup_outcomes SELECT outcome, error_reason, count(*), sum(lookup_sent) FROM attempts "
        "GROUP BY outcome, error_reason"
    )
    conn.execute(
        "INSERT INTO rollup_people SELECT person_hash, count(*) FROM attempts WHERE person_hash IS NOT NULL "
        "GROUP BY person_hash"
    )
    _rebuild_frames_and_durations(conn, "rollup_frames", "rollup_durations", "")


def rebuild_days(conn: Any) -> None:
    """Recompute the per-day totals from the attempts table (inside the caller's transaction)."""
    for table in DAY_TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute(
        "INSERT INTO rollup_days SELECT day, kiosk_id, facility_code, outcome, error_reason, count(*), "
        "sum(lookup_sent), max(started_at) FROM attempts GROUP BY day, kiosk_id, facility_code, outcome, error_reason"
    )
    _rebuild_frames_and_durations(conn, "rollup_day_frames", "rollup_day_durations", "day, ")


def _rebuild_frames_and_durations(conn: Any, frames_table: str, durations_table: str, keys: str) -> None:
    """The frames and duration-bucket counts, grouped by ``keys`` (``""``: the whole store; ``"day, "``: per day)."""
    conn.execute(
        f"INSERT INTO {frames_table} SELECT {keys}frames_to_read, count(*) FROM attempts "
        f"WHERE frames_to_read IS NOT NULL GROUP BY {keys}frames_to_read"
    )
    for stage in DURATION_STAGES:
        column = f"{stage}_ms"
        conn.execute(
            f"INSERT INTO {durations_table} SELECT {keys}%s, {bucket_sql(column)} AS b, count(*) FROM attempts "
            f"WHERE {column} IS NOT NULL GROUP BY {keys}b",
            (stage,),
        )


# ------------------------------------------------------------------------------------------------------------ reading
# A day filter's ``where`` (:meth:`kiosk.log.reader.LogFilter.where`; whole days only): read the per-day totals of its
# days; None: the whole-store totals.
DayFilter = Callable[..., tuple[str, list[object]]]


def outcome_reason_counts(run: Any, period: DayFilter | None = None) -> list[tuple[str | None, str | None, int, int]]:
    where, params = (period or _no_period)()
    table = "rollup_outcomes" if period is None else "rollup_days"
    rows = run(
        f"SELECT outcome, error_reason, sum(attempts), sum(lookups) FROM {table} {where} "
        "GROUP BY outcome, error_reason HAVING sum(attempts) <> 0",
        params,
    )
    return [(o, r, int(n), int(s)) for o, r, n, s in rows]


def frames_histogram(run: Any, period: DayFilter | None = None) -> dict[int, int]:
    where, params = (period or _no_period)()
    table = "rollup_frames" if period is None else "rollup_day_frames"
    rows = run(f"SELECT frames, sum(n) FROM {table} {where} GROUP BY frames HAVING sum(n) <> 0 ORDER BY frames", params)
    return {int(f): int(n) for f, n in rows}


def repeat_visitors(run: Any) -> tuple[int, int, int]:
    row = run(
        "SELECT count(*), count(*) FILTER (WHERE n > 1), coalesce(sum(n) FILTER (WHERE n > 1), 0) "
        "FROM rollup_people WHERE n > 0"
    )[0]
    return int(row[0]), int(row[1]), int(row[2])


def percentiles(
    run: Any, stage: str, wanted: Iterable[int], period: DayFilter | None = None
) -> tuple[int, dict[int, float | None]]:
    """``(n, {p: value})``: exact nearest-rank percentiles from the buckets and one walk inside a bucket each (among
    the rows of the ``period``'s days, if given)."""
    column = f"{stage}_ms"
    where, params = (period or _no_period)("stage = ?")
    table = "rollup_durations" if period is None else "rollup_day_durations"
    rows = run(
        f"SELECT bucket, sum(n) FROM {table} {where} GROUP BY bucket HAVING sum(n) <> 0 ORDER BY bucket",
        [stage, *params],
    )
    buckets = [(int(b), int(n)) for b, n in rows]
    total = sum(n for _, n in buckets)
    values: dict[int, float | None] = {}
    for p in wanted:
        if total == 0:
            values[p] = None
            continue
        rank = max(1, math.ceil(p / 100 * total))
        below = 0
        for b, n in buckets:
            if below + n >= rank:
                if b == ZERO_BUCKET:
                    values[p] = 0.0
                    break
                low, high = bucket_bounds(b)
                where, params = (period or _no_period)(f"{column} >= ?", f"{column} < ?")
                row = run(
                    f"SELECT {column} FROM attempts {where} ORDER BY {column} LIMIT 1 OFFSET ?",
                    [low, high, *params, rank - below - 1],
                )
                values[p] = float(row[0][0])
                break
            below += n
    return total, values


def _no_period(*clauses: str) -> tuple[str, list[object]]:
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", []


# Per-day totals for a period of whole days (``where``: a day / kiosk / facility filter's WHERE clause).
def day_group_counts(
    run: Any, column: str, where: str, params: list[object]
) -> list[tuple[object, str | None, int, int]]:
    """``(group key, outcome, attempts, lookups)``: ``column`` is ``day``, ``kiosk_id`` or ``facility_code``."""
    rows = run(
        f"SELECT {column}, outcome, sum(attempts), sum(lookups) FROM rollup_days {where} "
        f"GROUP BY {column}, outcome HAVING sum(attempts) <> 0",
        params,
    )
    return [(k, o, int(n), int(s)) for k, o, n, s in rows]


def day_fleet_counts(
    run: Any, where: str, params: list[object], current_from: int
) -> list[tuple[str, str, str | None, str | None, int, int, int, int]]:
    """``where`` must keep ``attempts <> 0``: a row emptied by later versions may hold an old ``newest_start``."""
    rows = run(
        "SELECT kiosk_id, facility_code, outcome, error_reason, CASE WHEN day >= ? THEN 1 ELSE 0 END AS cur, "
        f"sum(attempts), sum(lookups), max(newest_start) FROM rollup_days {where} "
        "GROUP BY kiosk_id, facility_code, outcome, error_reason, cur",
        [current_from, *params],
    )
    return [(k, f, o, r, int(c), int(n), int(s), int(m)) for k, f, o, r, c, n, s, m in rows]
