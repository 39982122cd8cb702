"""``bhyt-kiosk report``: success-rate report from the lookup log (table, JSON or CSV)."""

from __future__ import annotations

import argparse

from kiosk.central.location import log_location

NAME = "report"
HELP = "success-rate report from the lookup log: lookups, success and eligibility rates, failure reasons, latency"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=log_location,
        metavar="PATH|URL",
        help="lookup log file, or a central store postgresql://user@host/db (default: this kiosk's log)",
    )
    parser.add_argument("--since", metavar="DATE", help="first day (YYYY-MM-DD, kiosk local time)")
    parser.add_argument("--until", metavar="DATE", help="last day, included (YYYY-MM-DD)")
    parser.add_argument(
        "--by", choices=("day", "hour", "kiosk", "facility", "outcome", "source"), help="add figures per group"
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    parser.add_argument("--kiosk", action="append", default=[], metavar="ID", help="only this kiosk (repeatable)")
    parser.add_argument("--facility", action="append", default=[], metavar="CODE", help="only this facility")


def run(args: argparse.Namespace) -> int:
    import sys

    from kiosk.cli import CommandError
    from kiosk.lookup_log import LogError, LogFilter, LogReader
    from kiosk.reports import build_report, parse_day, render

    try:
        filters = LogFilter(
            since=parse_day(args.since, "--since") if args.since else None,
            until=parse_day(args.until, "--until") if args.until else None,
            kiosks=tuple(args.kiosk),
            facilities=tuple(args.facility),
        )
        with LogReader(args.db) as reader:
            report = build_report(reader, filters, by=args.by)
    except (LogError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    sys.stdout.write(render(report, args.format))
    return 0
