"""``bhyt-kiosk logs``: the lookup log. ``tail`` (watch live), ``export`` (CSV/JSON), ``simulate`` (test histories),
``migrate`` (upgrade a copied log). Without an action it opens the log window of the Qt app.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kiosk.attempts import InputSource
from kiosk.cli import CommandError, add_db_argument
from kiosk.config import KioskConfig
from kiosk.outcomes import Outcome

NAME = "logs"
HELP = "lookup log: tail it live, export it (CSV/JSON), simulate histories; no action opens the log window"

OUTCOME_CHOICES = tuple(o.value for o in Outcome)
SOURCE_CHOICES = tuple(s.value for s in InputSource)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(db=None)  # `logs --db` (the log window's) or an action's --db
    add_db_argument(parser, central=True)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    tail = actions.add_parser("tail", help="show the latest attempts (masked ID numbers only); --follow to watch")
    add_db_argument(tail, central=True)
    tail.add_argument("--json", action="store_true", help="one JSON object per line")
    tail.add_argument("--follow", "-f", action="store_true", help="keep watching for new attempts")
    tail.add_argument("-n", "--lines", type=int, default=20, metavar="N", help="show the last N attempts first")
    tail.add_argument("--interval", type=float, default=1.0, metavar="S", help="poll every S seconds (--follow)")
    tail.add_argument("--count", type=int, metavar="N", help="with --follow: stop after N new attempts")

    export = actions.add_parser("export", help="export attempts as CSV or JSON (no personal data)")
    add_db_argument(export, central=True)
    export.add_argument("--since", metavar="DATE", help="first day (YYYY-MM-DD)")
    export.add_argument("--until", metavar="DATE", help="last day, included (YYYY-MM-DD)")
    export.add_argument("--outcome", action="append", choices=OUTCOME_CHOICES, default=[], help="repeatable")
    export.add_argument("--source", action="append", choices=SOURCE_CHOICES, default=[], help="repeatable")
    export.add_argument("--kiosk", action="append", default=[], metavar="ID", help="repeatable")
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--out", required=True, metavar="FILE", help="output file, or - for standard output")

    simulate = actions.add_parser("simulate", help="write a realistic simulated history into a lookup log")
    add_db_argument(simulate, required=True)
    simulate.add_argument("--days", type=int, required=True, metavar="D")
    simulate.add_argument("--kiosks", type=int, metavar="K", help="how many kiosks (kiosk-01, kiosk-02, ...)")
    simulate.add_argument(
        "--kiosk-id", action="append", default=[], metavar="ID", help="simulate the kiosk with this id (repeatable)"
    )
    simulate.add_argument("--facility", default="27001", metavar="CODE", help="facility code of the kiosks")
    simulate.add_argument("--seed", type=int, default=0, metavar="S")
    simulate.add_argument("--attempts-per-day", type=int, default=300, metavar="N", help="per kiosk, on a weekday")
    simulate.add_argument("--end", metavar="DATE", help="last simulated day (default: yesterday)")

    migrate = actions.add_parser("migrate", help="upgrade a lookup log (e.g. copied from an older kiosk) in place")
    add_db_argument(migrate)

    shipping = argparse.ArgumentParser(add_help=False)  # what ship and status both read
    add_db_argument(shipping)
    shipping.add_argument("--collector", metavar="URL", help="the collector (default: the collector_url setting)")
    shipping.add_argument("--kiosk-id", metavar="ID", help="this kiosk's id (default: the kiosk_id setting)")
    ship = actions.add_parser(
        "ship",
        parents=[shipping],
        help="send the attempts the collector has not acknowledged (exit 0 caught up, 1 unreachable, 3 refused)",
    )
    ship.add_argument("--collector-key", metavar="FILE", help="the collector's public key, PEM or JWK (pinned)")
    ship.add_argument("--key", type=Path, metavar="FILE", help="this kiosk's private key (default: the setting)")
    ship.add_argument("--once", action="store_true", help="send until caught up, then exit (else keep shipping)")
    ship.add_argument("--batch", type=int, default=200, metavar="N", help="attempts per batch (default 200)")

    status = actions.add_parser("status", parents=[shipping],
                                help="the shipping backlog: attempts not yet acknowledged by the collector")
    status.add_argument("--json", action="store_true", help="as JSON")


def run(args: argparse.Namespace) -> int:
    from kiosk.lookup_log import LogError

    action = getattr(args, "action", None)
    if action is None:
        opener = getattr(args, "open_log_window", None)
        if opener is None:
            print(
                "bhyt-kiosk logs: the log window needs the desktop app; use `bhyt-kiosk logs tail|export|simulate`"
                " here (see `bhyt-kiosk logs --help`)"
            )
            return 2
        return int(opener(args))
    actions = {"tail": _tail, "export": _export, "simulate": _simulate, "migrate": _migrate, "ship": _ship,
               "status": _status}
    try:
        return actions[action](args)
    except (LogError, ValueError, OSError) as exc:
        raise CommandError(str(exc)) from exc


def _tail(args: argparse.Namespace) -> int:
    from kiosk.log.export import TAIL_COLUMNS, attempt_record, tail_line
    from kiosk.lookup_log import LogReader

    if args.lines < 0 or args.interval <= 0 or (args.count is not None and args.count < 1):
        raise ValueError("--lines must be >= 0, --interval > 0 and --count >= 1")
    with LogReader(args.db) as reader:
        after = reader.recent_ids(args.lines)
        shown = 0
        while True:
            for rowid, attempt in reader.iter_rows(after_id=after):
                after = rowid
                if args.json:
                    line = json.dumps(attempt_record(attempt, TAIL_COLUMNS), ensure_ascii=False)
                else:
                    line = tail_line(attempt)
                sys.stdout.write(line + "\n")
                shown += 1
                if args.follow and args.count is not None and shown >= args.count:
                    sys.stdout.flush()
                    return 0
            sys.stdout.flush()
            if not args.follow:
                return 0
            time.sleep(args.interval)


def _export(args: argparse.Namespace) -> int:
    from kiosk.log import export
    from kiosk.lookup_log import LogFilter, LogReader
    from kiosk.reports import parse_day

    filters = LogFilter(
        since=parse_day(args.since, "--since") if args.since else None,
        until=parse_day(args.until, "--until") if args.until else None,
        outcomes=tuple(args.outcome),
        sources=tuple(args.source),
        kiosks=tuple(args.kiosk),
    )
    writer = export.write_csv if args.format == "csv" else export.write_json
    with LogReader(args.db) as reader:
        if args.out == "-":
            count = writer(reader.query(filters), sys.stdout)
        else:
            out = Path(args.out)
            with out.open("w", encoding="utf-8", newline="") as stream:
                count = writer(reader.query(filters), stream)
            print(f"exported {count:,} attempts to {out}", file=sys.stderr)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from kiosk.reports import parse_day
    from kiosk.standins.simulate import SimulationConfig, write_simulation

    if args.kiosks is None and not args.kiosk_id:
        raise ValueError("give --kiosks K or --kiosk-id ID")
    if args.kiosks is not None and args.kiosk_id and args.kiosks != len(args.kiosk_id):
        raise ValueError("--kiosks and the number of --kiosk-id values differ")
    config = SimulationConfig(
        days=args.days,
        kiosks=args.kiosks or len(args.kiosk_id),
        kiosk_ids=tuple(args.kiosk_id),
        facility_code=args.facility,
        attempts_per_day=args.attempts_per_day,
        seed=args.seed,
        end=parse_day(args.end, "--end") if args.end else None,
    )
    started = time.perf_counter()
    inserted = write_simulation(args.db, config)
    elapsed = time.perf_counter() - started
    print(
        f"simulated {inserted:,} attempts ({config.days} days to {config.last_day}, {config.kiosks} kiosks, "
        f"seed {config.seed}) into {args.db} in {elapsed:.1f} s"
    )
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from kiosk import paths
    from kiosk.lookup_log import migrate_log

    db = args.db if args.db is not None else paths.default_log_db()
    found, now = migrate_log(db)
    print(f"{db}: schema v{found} -> v{now}" if found != now else f"{db}: already at schema v{now}")
    return 0


def _shipping_settings(args: argparse.Namespace) -> tuple[KioskConfig, Path, str, str]:
    """The kiosk's settings, and the log file, collector URL and kiosk id from the flags, else those settings."""
    config = KioskConfig.load()
    db = args.db if args.db is not None else config.effective_log_db
    collector = args.collector or config.collector_url
    kiosk_id = args.kiosk_id or config.kiosk_id
    if not collector:
        raise CommandError("no collector: give --collector URL (or set collector_url)")
    if not kiosk_id:
        raise CommandError("no kiosk id: give --kiosk-id ID (or set kiosk_id)")
    return config, Path(db), collector, kiosk_id


def _ship(args: argparse.Namespace) -> int:
    from kiosk.central.shipper import BACKOFF_FIRST_S, BACKOFF_MAX_S, IDLE_POLL_S, ShipError, Shipper, ShipProblem
    from kiosk.signing.keys import SigningKeyError, load_private_key, load_public_key

    config, db, collector, kiosk_id = _shipping_settings(args)
    key_file = args.key or config.private_key
    collector_key = args.collector_key or config.collector_key
    if key_file is None:
        raise CommandError("no kiosk key: give --key FILE (or set private_key)")
    if not collector_key:
        raise CommandError("no collector key: give --collector-key FILE (or set collector_key)")
    try:
        private_key = load_private_key(Path(key_file))
        public_key = load_public_key(collector_key)
    except SigningKeyError as exc:
        raise CommandError(str(exc)) from None
    shipper = Shipper(
        db,
        collector=collector,
        collector_key=public_key,
        kiosk_id=kiosk_id,
        private_key=private_key,
        batch_size=args.batch,
    )
    delay = BACKOFF_FIRST_S
    try:
        while True:
            try:
                result = shipper.ship()
            except ShipError as exc:
                print(f"bhyt-kiosk logs ship: {exc}", file=sys.stderr)
                if args.once:
                    return 1 if exc.problem is ShipProblem.UNREACHABLE else 3
                time.sleep(delay if exc.problem is ShipProblem.UNREACHABLE else BACKOFF_MAX_S)
                delay = min(delay * 2, BACKOFF_MAX_S)
                continue
            delay = BACKOFF_FIRST_S
            if result.sent or args.once:
                print(
                    f"shipped {result.sent:,} attempts in {result.batches} batches to {collector} "
                    f"({result.stored:,} new there); {result.pending:,} waiting",
                    flush=True,
                )
            if args.once:
                return 0 if result.pending == 0 else 1
            time.sleep(IDLE_POLL_S)
    finally:
        shipper.stop()


def _status(args: argparse.Namespace) -> int:
    from kiosk.central.shipper import Outbox

    _config, db, collector, kiosk_id = _shipping_settings(args)
    outbox = Outbox(db, collector, kiosk_id)
    try:
        backlog = outbox.backlog()
    finally:
        outbox.close()

    def when(value: object) -> str | None:
        return None if value is None else value.isoformat()  # type: ignore[attr-defined]

    if args.json:
        data = {
            "kiosk_id": backlog.kiosk_id,
            "collector": backlog.collector,
            "pending": backlog.pending,
            "acknowledged_row": backlog.acked_id,
            "oldest_pending_recorded_at": when(backlog.oldest_pending_at),
            "last_acknowledged_at": when(backlog.acked_at),
            "last_error": backlog.last_error,
            "last_error_at": when(backlog.last_error_at),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{backlog.kiosk_id} -> {backlog.collector}: {backlog.pending:,} attempts waiting to be shipped")
    if backlog.oldest_pending_at is not None:
        print(f"  oldest waiting since {backlog.oldest_pending_at.astimezone():%Y-%m-%d %H:%M:%S}")
    print(
        "  last acknowledged: "
        + (f"{backlog.acked_at.astimezone():%Y-%m-%d %H:%M:%S}" if backlog.acked_at else "never")
    )
    if backlog.last_error:
        print(f"  last problem: {backlog.last_error}")
    return 0
