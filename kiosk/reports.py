"""Success-rate reports from the lookup log (``bhyt-kiosk report``).

Definitions (the same in the README):

- an **attempt** is one card presentation or manual entry that the kiosk recorded;
- a **lookup** is an attempt whose request was sent to the insurance service;
- a **successful lookup** is a definitive answer from the service for a card that was read: eligible,
  eligible-with-warning, new-card, not-eligible, not-found or data-mismatch;
- **success rate** = successful lookups / lookups;
- **eligibility rate** = eligible outcomes (eligible, eligible-with-warning, new-card) / successful lookups;
- **failures** are attempts without a successful lookup, by reason (the pipeline's short technical reason, else the
  outcome); a failure's share is its part of all failures;
- **latency** per stage (read, validate, lookup, total) is given as exact nearest-rank p50/p95/p99 in milliseconds;
- **repeat visitors** are people (keyed hashes of their ID numbers) seen more than once in the period.

The period is the attempts' start day at the kiosk (local time); ``until`` includes that whole day.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from kiosk.fleet import FleetRow, FleetView, fleet_view
from kiosk.log.reader import (
    GroupRow,
    Headline,
    LogFilter,
    LogReader,
    Percentiles,
    ReasonCount,
    RepeatVisitors,
    RetryFigures,
    failure_reasons_from,
    headline_from_counts,
    outcome_counts_from,
)
from kiosk.log.schema import DURATION_STAGES

FRAMES_SHOWN = 10  # the table lists 1..10 frames, then "more"


@dataclass(frozen=True)
class Report:
    filters: LogFilter
    by: str | None
    headline: Headline
    by_outcome: dict[str, int]
    failures: list[ReasonCount]
    latency: dict[str, Percentiles]
    frames_to_read: dict[int, int]
    repeat_visitors: RepeatVisitors
    groups: list[GroupRow] | None
    span: tuple[datetime, datetime] | None
    retries: RetryFigures
    glance: FleetView | None = None  # --by kiosk / facility: the at-a-glance table, most urgent first


def build_report(reader: LogReader, filters: LogFilter | None = None, by: str | None = None) -> Report:
    f = filters or LogFilter()
    counts = reader.outcome_reason_counts(f)
    return Report(
        filters=f,
        by=by,
        headline=headline_from_counts(counts),
        by_outcome=outcome_counts_from(counts),
        failures=failure_reasons_from(counts),
        latency=reader.latency(f),
        frames_to_read=reader.frames_histogram(f),
        repeat_visitors=reader.repeat_visitors(f),
        groups=reader.groups(by, f) if by is not None else None,  # type: ignore[arg-type]
        span=reader.recorded_span(f),
        retries=reader.retry_figures(f),
        glance=fleet_view(reader, by, f) if by in ("kiosk", "facility") else None,  # type: ignore[arg-type]
    )


def _rate(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _headline_dict(h: Headline) -> dict[str, Any]:
    return {
        "attempts": h.attempts,
        "lookups": h.lookups,
        "successful": h.successful,
        "success_rate": _rate(h.success_rate),
        "eligible": h.eligible,
        "eligibility_rate": _rate(h.eligibility_rate),
        "failed": h.failed,
    }


def _retry_dict(h: Headline, r: RetryFigures) -> dict[str, Any]:
    """First-try and after-retry success (issue 14's keys). ``success_rate`` counts late answers too."""
    first_try = h.successful - r.successful_after_retry
    return {
        "successful_first_try": first_try,
        "successful_after_retry": r.successful_after_retry,
        "pending": r.pending,
        "abandoned": r.abandoned,
        "failed_after_retry": r.failed_after_retry,
        "success_rate_first_try": _rate(first_try / h.lookups) if h.lookups else None,
    }


def _percentiles_dict(p: Percentiles) -> dict[str, Any]:
    return {"count": p.count, **{f"p{k}": (None if v is None else round(v, 3)) for k, v in p.values.items()}}


def _filters_dict(f: LogFilter) -> dict[str, Any]:
    return {
        "since": f.since.isoformat() if f.since else None,
        "until": f.until.isoformat() if f.until else None,
        "kiosks": list(f.kiosks),
        "facilities": list(f.facilities),
        "outcomes": [o.value for o in f.outcomes],
        "sources": [s.value for s in f.sources],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = _headline_dict(report.headline)
    data.update(_retry_dict(report.headline, report.retries))
    data["late_answer_delay_ms"] = _percentiles_dict(report.retries.late_delay)
    data["by_outcome"] = dict(report.by_outcome)
    data["failures"] = [{**asdict(r), "share": _rate(r.share)} for r in report.failures]  # outcome, reason, count
    data["latency_ms"] = {stage: _percentiles_dict(p) for stage, p in report.latency.items()}
    data["frames_to_read"] = {str(k): v for k, v in report.frames_to_read.items()}
    data["repeat_visitors"] = asdict(report.repeat_visitors)  # people, repeat_people, repeat_attempts
    data["period"] = {
        **{k: v for k, v in _filters_dict(report.filters).items() if k in ("since", "until")},
        "first_attempt": report.span[0].isoformat() if report.span else None,
        "last_attempt": report.span[1].isoformat() if report.span else None,
    }
    data["filters"] = _filters_dict(report.filters)
    if report.groups is not None:
        data["by"] = report.by
        data["groups"] = [{"key": g.key, **_headline_dict(g.headline)} for g in report.groups]
    if report.by in ("kiosk", "facility"):
        data["at_a_glance"] = glance_dict(report.glance)
    return data


def glance_row_dict(row: FleetRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "facility": row.facility,
        "kiosks": row.kiosks,
        "attention": row.attention.label,
        "attempts": row.attempts,
        "lookups": row.lookups,
        "successful": row.successful,
        "success_rate": _rate(row.success_rate),
        "previous_success_rate": _rate(row.previous_success_rate),
        "change": _rate(row.change),
        "top_failure": row.top_failure,
        "top_failure_count": row.top_failure_count,
        "last_seen": row.last_seen.isoformat() if row.last_seen else None,
        "shipping_lag_s": None if row.shipping_lag_s is None else round(row.shipping_lag_s, 1),
        "backlog": row.backlog,
    }


def glance_dict(view: FleetView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "since": view.since.isoformat(),
        "until": view.until.isoformat(),
        "previous_since": view.previous_since.isoformat(),
        "rows": [glance_row_dict(r) for r in view.rows],
    }


def _change(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:+.1f}"


def _lag(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 120:
        return f"{value:.0f} s"
    if value < 7200:
        return f"{value / 60:.0f} min"
    return f"{value / 3600:.1f} h"


def glance_table(view: FleetView) -> list[str]:
    """The at-a-glance lines: one per kiosk or facility, most urgent first."""
    out = [
        f"At a glance, {view.since.isoformat()} to {view.until.isoformat()} "
        f"(change: success-rate points against {view.previous_since.isoformat()} onwards)"
    ]
    key_w = max([len(r.key) for r in view.rows] + [len(view.by)])
    reason_w = max([len(r.top_failure or "–") for r in view.rows] + [11])
    out.append(
        f"  {'attention':<16} {view.by:<{key_w}}  {'attempts':>9} {'success':>8} {'change':>7}  "
        f"{'top failure':<{reason_w}}  {'last seen':<16}  {'lag':>7} {'backlog':>8}"
    )
    for r in view.rows:
        seen = r.last_seen.astimezone().strftime("%Y-%m-%d %H:%M") if r.last_seen else "never"
        out.append(
            f"  {r.attention.label:<16} {r.key:<{key_w}}  {r.attempts:>9,} {_pct(r.success_rate):>8} "
            f"{_change(r.change):>7}  {r.top_failure or '–':<{reason_w}}  {seen:<16}  {_lag(r.shipping_lag_s):>7} "
            f"{'–' if r.backlog is None else f'{r.backlog:,}':>8}"
        )
    return out


def format_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def headline_sentence(h: Headline) -> str:
    """'35,299 lookups, 25,624 successful (72.6%)' — the way the province reports it."""
    return f"{h.lookups:,} lookups, {h.successful:,} successful ({_pct(h.success_rate)})"


def _period_text(report: Report) -> str:
    f = report.filters
    if f.since or f.until:
        return f"{f.since.isoformat() if f.since else 'start'} to {f.until.isoformat() if f.until else 'now'}"
    if report.span:
        return f"{report.span[0].date().isoformat()} to {report.span[1].date().isoformat()} (whole log)"
    return "whole log"


def format_table(report: Report) -> str:
    h = report.headline
    out: list[str] = [f"Lookup log report, {_period_text(report)}"]
    scope = [
        f"{label}: {', '.join(values)}"
        for label, values in (
            ("kiosks", report.filters.kiosks),
            ("facilities", report.filters.facilities),
            ("outcomes", [o.value for o in report.filters.outcomes]),
            ("sources", [s.value for s in report.filters.sources]),
        )
        if values
    ]
    if scope:
        out.append("  " + "; ".join(scope))
    out.append("")
    out.append(headline_sentence(h))
    out.append(f"{h.attempts:,} attempts; {h.eligible:,} eligible ({_pct(h.eligibility_rate)} of successful lookups)")
    r = _retry_dict(h, report.retries)
    if h.lookups:
        out.append(
            f"First try: {r['successful_first_try']:,} successful ({_pct(r['success_rate_first_try'])}); "
            f"after background retries: {r['successful_after_retry']:,} more; "
            f"{r['pending']:,} pending, {r['abandoned']:,} abandoned"
        )
        late = report.retries.late_delay
        if late.count:
            out.append(
                f"Late answers came {_ms(late.values.get(50))} ms after the first try (median), "
                f"p95 {_ms(late.values.get(95))} ms, p99 {_ms(late.values.get(99))} ms"
            )
    if h.attempts == 0:
        out.append("")
        out.append("No attempts in this period.")
        return "\n".join(out) + "\n"

    out += ["", "By outcome"]
    width = max(len(k) for k in report.by_outcome)
    for outcome, n in report.by_outcome.items():
        out.append(f"  {outcome:<{width}}  {n:>10,}  {_pct(n / h.attempts):>6}")

    out += ["", f"Failures by reason ({h.failed:,} attempts without a successful lookup)"]
    if report.failures:
        width = max(len(r.reason) for r in report.failures)
        for r in report.failures:
            out.append(f"  {r.reason:<{width}}  {r.count:>10,}  {_pct(r.share):>6}")
    else:
        out.append("  none")

    out += ["", "Latency (ms)        count        p50        p95        p99"]
    for stage in DURATION_STAGES:
        p = report.latency[stage]
        out.append(
            f"  {stage:<12} {p.count:>10,} {_ms(p.values.get(50)):>10} {_ms(p.values.get(95)):>10} "
            f"{_ms(p.values.get(99)):>10}"
        )

    frames = report.frames_to_read
    out += ["", "Frames to read (camera)"]
    total = sum(frames.values())
    if total:
        shown = {k: v for k, v in frames.items() if k <= FRAMES_SHOWN}
        more = sum(v for k, v in frames.items() if k > FRAMES_SHOWN)
        for k, v in shown.items():
            out.append(f"  {k:>3}  {v:>10,}  {_pct(v / total):>6}")
        if more:
            out.append(f"  {'>' + str(FRAMES_SHOWN):>3}  {more:>10,}  {_pct(more / total):>6}")
    else:
        out.append("  no camera reads")

    rv = report.repeat_visitors
    out += [
        "",
        f"Repeat visitors: {rv.repeat_people:,} of {rv.people:,} people came more than once "
        f"({rv.repeat_attempts:,} attempts)",
    ]

    if report.groups is not None:
        out += ["", f"By {report.by}"]
        key_w = max([len(g.key) for g in report.groups] + [len(str(report.by))])
        out.append(
            f"  {report.by:<{key_w}}  {'attempts':>10} {'lookups':>10} {'successful':>10} {'success':>8} "
            f"{'eligible':>9}"
        )
        for g in report.groups:
            gh = g.headline
            out.append(
                f"  {g.key:<{key_w}}  {gh.attempts:>10,} {gh.lookups:>10,} {gh.successful:>10,} "
                f"{_pct(gh.success_rate):>8} {_pct(gh.eligibility_rate):>9}"
            )
    if report.glance is not None:
        out += ["", *glance_table(report.glance)]
    return "\n".join(out) + "\n"


CSV_HEADER = ("section", "key", "metric", "value")


def format_csv(report: Report) -> str:
    """Long format: one ``section,key,metric,value`` row per figure of the JSON report (easy to pivot in a
    spreadsheet); an empty value where the JSON has null."""
    data = report_to_dict(report)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)

    def figures(section: str, key: object, values: dict[str, Any]) -> None:
        w.writerows((section, key, metric, "" if v is None else v) for metric, v in values.items() if metric != "key")

    figures("summary", "", {**_headline_dict(report.headline), **_retry_dict(report.headline, report.retries)})
    figures("late_answer_delay_ms", "", data["late_answer_delay_ms"])
    for outcome, n in data["by_outcome"].items():
        figures("outcome", outcome, {"count": n})
    for r in data["failures"]:
        figures("failure", r["reason"], {"count": r["count"], "share": r["share"]})
    for stage, p in data["latency_ms"].items():
        figures("latency_ms", stage, p)
    for frames, n in data["frames_to_read"].items():
        figures("frames_to_read", frames, {"count": n})
    figures("repeat_visitors", "", data["repeat_visitors"])
    for g in data.get("groups", []):
        figures(f"by_{report.by}", g["key"], g)
    for row in (data.get("at_a_glance") or {}).get("rows", []):
        figures(f"glance_{report.by}", row["key"], row)
    return buf.getvalue()


def render(report: Report, fmt: str) -> str:
    renderers = {"table": format_table, "json": format_json, "csv": format_csv}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(renderers)}")
    return renderers[fmt](report)


def parse_day(text: str, flag: str) -> date:
    """An ISO date (``2025-06-30``) for --since/--until; a clear error otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{flag} expects a date like 2025-06-30, got {text!r}") from None
