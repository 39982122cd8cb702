"""``bhyt-kiosk collector``: the central log collector (kiosks ship their lookup logs to it).

``bhyt-kiosk collector [--host 127.0.0.1] [--port 8788] [--database URL] [--keys-dir DIR]``

``--database``: ``postgresql://user@host:5432/dbname`` (production; the schema is created or upgraded at start) or
``sqlite:///path/central.db`` (development). The collector key is ``<keys-dir>/service.pem`` (made on first start,
mode 0600), published at ``GET /v1/service-key``; kiosk public keys it trusts go in
``<keys-dir>/trusted/<kiosk-id>.pem``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import CommandError, add_server_arguments, print_server_keys, serve_until_stopped

NAME = "collector"
HELP = "Run the central log collector that stores the signed attempt batches kiosks ship (PostgreSQL)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_arguments(parser, role="collector", port=8788)
    parser.add_argument(
        "--database",
        metavar="URL",
        help="postgresql://user@host:port/dbname, or sqlite:///path (default: <data dir>/central.db, SQLite)",
    )
    parser.add_argument(
        "--max-connections-per-client",
        type=int,
        default=32,
        metavar="N",
        help="open connections allowed from one address (kiosks behind one NAT share it; default 32)",
    )


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk import paths
    from kiosk.central.collector import build_collector_state, default_collector_keys_dir, serve_collector
    from kiosk.central.location import is_postgres_url, safe_url
    from kiosk.http_limits import DEFAULT_LIMITS
    from kiosk.log.schema import LogError
    from kiosk.signing.keys import SigningKeyError

    if not 0 <= args.port <= 65535:
        raise CommandError(f"--port {args.port} is not a port number (0-65535)")
    if args.max_connections_per_client < 1:
        raise CommandError("--max-connections-per-client must be at least 1")
    keys_dir: Path = args.keys_dir or default_collector_keys_dir()
    database = args.database or f"sqlite:///{paths.data_dir() / 'central.db'}"
    try:
        state = build_collector_state(
            database=database,
            keys_dir=keys_dir,
            limits=replace(DEFAULT_LIMITS, max_connections_per_client=args.max_connections_per_client),
        )
    except (LogError, ValueError) as exc:
        raise CommandError(f"--database: {exc}") from None
    except SigningKeyError as exc:
        raise CommandError(f"collector key: {exc}") from None
    except OSError as exc:
        raise CommandError(f"--keys-dir {keys_dir}: {exc.strerror or exc}") from None
    shown = safe_url(database) if is_postgres_url(database) else database
    print_server_keys("collector", keys_dir, state.keyid)
    print(f"store:              {shown} ({state.store.count():,} attempts)")
    return serve_until_stopped(
        lambda on_listening: serve_collector(state, host=args.host, port=args.port, on_listening=on_listening),
        args.host,
        args.port,
    )
