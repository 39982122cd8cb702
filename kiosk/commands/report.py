"""``bhyt-kiosk report``: success-rate report from the lookup log (table, JSON or CSV)."""

from __future__ import annotations

import argparse

from kiosk.cli import add_db_argument

NAME = "report"
HELP = "success-rate report from the lookup log: lookups, success and eligibility rates, failure reasons, latency"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser, central=True, default=None)
    parser.add_argument("--since", metavar="DATE", help="first day (YYYY-MM-DD, kiosk local time)")
    parser.add_argument("--until", metavar="DATE", help="last day, included (YYYY-MM-DD)")
    parser.add_argument(
        "--by", choices=("day", "hour", "kiosk", "facility", "outcome", "source"), help="add figures per group"
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    parser.add_argument("--kiosk", action="append", default=[], metavar="ID", help="only this kiosk (repeatable)")
    parser.add_argument("--facility", action="append", default=[], metavar="CODE", help="only this facility")


def run(args: argparse.Namespace) -> int:
    import sqlite3
    import sys

    from kiosk.cli import CommandError
    from kiosk.log.health import damaged_copies
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
            damage = reader.integrity_problem()
            if damage is not None:
                sys.stderr.write(f"bhyt-kiosk report: WARNING: the lookup log {reader.path} is damaged "
                                 f"(quick_check: {damage}); the figures below may be incomplete or wrong\n")
            report = build_report(reader, filters, by=args.by)
            for aside in damaged_copies(reader.path):
                sys.stderr.write(f"bhyt-kiosk report: note: a damaged log was set aside as {aside} "
                                 "(not included)\n")
    except sqlite3.DatabaseError as exc:
        raise CommandError(f"the lookup log is damaged and cannot be read: {exc}") from exc
    except (LogError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    sys.stdout.write(render(report, args.format))
    return 1 if damage is not None else 0
