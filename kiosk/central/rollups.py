"""Whole-store totals the collector keeps up to date, so that the province report over everything ever shipped does not
scan every attempt (PostgreSQL only; a report for a period, a kiosk or a facility reads the attempts themselves).

Four tables, changed in the same transaction as the attempts they count (a later version of an attempt takes its old
version's contribution away first, so the totals always equal a count over the table):

- ``rollup_outcomes(outcome, error_reason, attempts, lookups)``: the headline, outcomes and failure reasons;
- ``rollup_frames(frames, n)``: frames to read;
- ``rollup_people(person_hash, n)``: attempts per person (repeat visitors);
- ``rollup_durations(stage, bucket, n)``: how many durations of each stage fall in each bucket (64 per power of two,
  :func:`bucket_of`). An exact nearest-rank percentile is then the bucket holding rank ``ceil(p n)`` and one short walk
  of the stage's index inside that bucket: the same value the full index walk gives.

:func:`rebuild` recomputes them from the attempts: the migration that adds them, rows loaded or deleted outside the
collector (a bulk load, an old month's partition dropped) need it.
Rows lock in key order within each table, and the tables in one order, so concurrent batches cannot deadlock.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
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
)

MIGRATION: tuple[str, ...] = (
    "CREATE TABLE rollup_outcomes (outcome text, error_reason text, attempts bigint NOT NULL, lookups bigint NOT NULL)",
    "CREATE UNIQUE INDEX ux_rollup_outcomes ON rollup_outcomes (outcome, error_reason) NULLS NOT DISTINCT",
    "CREATE TABLE rollup_frames (frames integer PRIMARY KEY, n bigint NOT NULL)",
    "CREATE TABLE rollup_people (person_hash text PRIMARY KEY, n bigint NOT NULL)",
    "CREATE TABLE rollup_durations (stage text, bucket bigint, n bigint NOT NULL, PRIMARY KEY (stage, bucket))",
)


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


class Deltas:
    """Changes to the totals from one batch: ``add`` new versions, ``remove`` the old versions they replace."""

    def __init__(self) -> None:
        self.outcomes: Counter[tuple[str | None, str | None]] = Counter()
        self.lookups: Counter[tuple[str | None, str | None]] = Counter()
        self.frames: Counter[int] = Counter()
        self.people: Counter[str] = Counter()
        self.durations: Counter[tuple[str, int]] = Counter()

    def add(self, values: dict[str, Any], sign: int = 1) -> None:
        key = (values["outcome"], values["error_reason"])
        self.outcomes[key] += sign
        self.lookups[key] += sign * int(values["lookup_sent"] or 0)
        if values["frames_to_read"] is not None:
            self.frames[int(values["frames_to_read"])] += sign
        if values["person_hash"] is not None:
            self.people[values["person_hash"]] += sign
        for stage in DURATION_STAGES:
            ms = values[f"{stage}_ms"]
            if ms is not None:
                self.durations[(stage, bucket_of(float(ms)))] += sign

    def add_row(self, row: Row) -> None:
        self.add({name: row[_I[name]] for name in CONTRIBUTION_COLUMNS})

    def remove(self, values: dict[str, Any]) -> None:
        self.add(values, -1)

    def apply(self, conn: Any) -> None:
        """Write the changes (in key order) on a connection inside the batch's transaction."""

        def nonzero(counter: Counter[Any]) -> list[Any]:
            return sorted((k for k, v in counter.items() if v), key=lambda k: tuple(str(x) for x in _tuple(k)))

        keys = sorted(
            {k for k in self.outcomes if self.outcomes[k] or self.lookups[k]}, key=lambda k: (str(k[0]), str(k[1]))
        )
        _many(
            conn,
            "INSERT INTO rollup_outcomes AS t VALUES (%s, %s, %s, %s) ON CONFLICT (outcome, error_reason) DO UPDATE "
            "SET attempts = t.attempts + excluded.attempts, lookups = t.lookups + excluded.lookups",
            [(o, r, self.outcomes[(o, r)], self.lookups[(o, r)]) for o, r in keys],
        )
        _many(
            conn,
            "INSERT INTO rollup_frames AS t VALUES (%s, %s) ON CONFLICT (frames) DO UPDATE SET n = t.n + excluded.n",
            [(k, self.frames[k]) for k in nonzero(self.frames)],
        )
        _many(
            conn,
            "INSERT INTO rollup_people AS t VALUES (%s, %s) ON CONFLICT (person_hash) DO UPDATE "
            "SET n = t.n + excluded.n",
            [(k, self.people[k]) for k in nonzero(self.people)],
        )
        _many(
            conn,
            "INSERT INTO rollup_durations AS t VALUES (%s, %s, %s) ON CONFLICT (stage, bucket) DO UPDATE "
            "SET n = t.n + excluded.n",
            [(s, b, self.durations[(s, b)]) for s, b in nonzero(self.durations)],
        )


def _tuple(key: object) -> tuple[object, ...]:
    return key if isinstance(key, tuple) else (key,)


def _many(conn: Any, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
    if rows:
        with conn.cursor() as cursor:
            cursor.executemany(sql, rows)


def rebuild(conn: Any) -> None:
    """Recompute every total from the attempts table (inside the caller's transaction)."""
    for table in ("rollup_outcomes", "rollup_frames", "rollup_people", "rollup_durations"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute(
        "INSERT INTO rollup_outcomes SELECT outcome, error_reason, count(*), sum(lookup_sent) FROM attempts "
        "GROUP BY outcome, error_reason"
    )
    conn.execute(
        "INSERT INTO rollup_frames SELECT frames_to_read, count(*) FROM attempts WHERE frames_to_read IS NOT NULL "
        "GROUP BY frames_to_read"
    )
    conn.execute(
        "INSERT INTO rollup_people SELECT person_hash, count(*) FROM attempts WHERE person_hash IS NOT NULL "
        "GROUP BY person_hash"
    )
    for stage in DURATION_STAGES:
        column = f"{stage}_ms"
        conn.execute(
            f"INSERT INTO rollup_durations SELECT %s, {bucket_sql(column)} AS b, count(*) FROM attempts "  # type: ignore[arg-type]
            f"WHERE {column} IS NOT NULL GROUP BY b",
            (stage,),
        )


# ------------------------------------------------------------------------------------------------------------ reading
def outcome_reason_counts(run: Any) -> list[tuple[str | None, str | None, int, int]]:
    rows = run("SELECT outcome, error_reason, attempts, lookups FROM rollup_outcomes WHERE attempts <> 0")
    return [(o, r, int(n), int(s)) for o, r, n, s in rows]


def frames_histogram(run: Any) -> dict[int, int]:
    return {int(f): int(n) for f, n in run("SELECT frames, n FROM rollup_frames WHERE n <> 0 ORDER BY frames")}


def repeat_visitors(run: Any) -> tuple[int, int, int]:
    row = run(
        "SELECT count(*), count(*) FILTER (WHERE n > 1), coalesce(sum(n) FILTER (WHERE n > 1), 0) "
        "FROM rollup_people WHERE n > 0"
    )[0]
    return int(row[0]), int(row[1]), int(row[2])


def percentiles(run: Any, stage: str, wanted: Iterable[int]) -> tuple[int, dict[int, float | None]]:
    """``(n, {p: value})``: exact nearest-rank percentiles from the buckets and one walk inside a bucket each."""
    column = f"{stage}_ms"
    buckets = [
        (int(b), int(n))
        for b, n in run("SELECT bucket, n FROM rollup_durations WHERE stage = ? AND n <> 0 ORDER BY bucket", [stage])
    ]
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
                row = run(
                    f"SELECT {column} FROM attempts WHERE {column} >= ? AND {column} < ? ORDER BY {column} "
                    "LIMIT 1 OFFSET ?",
                    [low, high, rank - below - 1],
                )
                values[p] = float(row[0][0])
                break
            below += n
    return total, values
