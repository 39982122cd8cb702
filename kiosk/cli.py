"""The ``bhyt-kiosk`` command line.

Each subcommand lives in its own module under ``kiosk.commands`` with the same small interface::

    NAME: str                      # the subcommand
    HELP: str                      # one line for --help
    def add_arguments(parser: argparse.ArgumentParser) -> None: ...
    def run(args: argparse.Namespace) -> int: ...   # exit status

Command modules keep their module-level imports light (argparse, stdlib): heavy libraries (OpenCV,
FastAPI, ...) are imported inside ``run`` so that ``bhyt-kiosk --help`` and the app start quickly.
The Qt app registers its own commands (``app``) through ``extra_commands``; this package never imports
``ui``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, cast

from kiosk import __version__
from kiosk.config import ConfigError

# The subcommands, each a module of kiosk.commands; this is the order --help shows them in.
COMMAND_NAMES = ("decode", "lookup", "scan", "service", "collector", "population", "keys", "config", "report", "logs")


class CommandModule(Protocol):
    NAME: str
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


class CommandError(Exception):
    """A problem the user can fix (bad flag, unreadable path, missing setting): printed, exit status 2.
    A :class:`~kiosk.config.ConfigError` (a setting missing or malformed) is printed the same way."""


def add_server_arguments(parser: argparse.ArgumentParser, *, role: str, port: int) -> None:
    """``--host``, ``--port`` and ``--keys-dir`` of a signed server (``role``: the mock service, the collector)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback)")
    parser.add_argument("--port", type=int, default=port, help=f"port to listen on (default: {port}; 0: any free)")
    parser.add_argument("--keys-dir", type=Path, metavar="DIR",
                        help=f"{role} key and trusted kiosk keys (default: <data dir>/keys/{role})")


def add_db_argument(parser: argparse.ArgumentParser, *, required: bool = False, central: bool = False,
                    default: object = argparse.SUPPRESS) -> None:
    """``--db``: a lookup log file, or (``central``) also a central store's URL. The default SUPPRESS leaves the
    attribute alone when the flag is not given: a ``logs`` action's --db must not overwrite ``logs --db``."""
    from kiosk.central.location import log_location

    store = ", or a central store postgresql://..." if central else ""
    parser.add_argument("--db", type=log_location if central else Path, metavar="PATH|URL" if central else "PATH",
                        required=required, default=default, help=f"lookup log database{store} (default: this kiosk's)")


def print_server_keys(role: str, keys_dir: Path, keyid: str) -> None:
    """Where a signed server's own key and the kiosk keys it trusts are (``<keys-dir>/trusted/<kiosk-id>.pem``)."""
    from kiosk.standins.service.server import SERVICE_KEY_FILE, trusted_keys_dir

    trusted = trusted_keys_dir(keys_dir)
    print(f"{role + ' key:':<20}{keys_dir / SERVICE_KEY_FILE} (keyid {keyid})")
    print(f"trusted kiosk keys: {trusted / '<kiosk-id>.pem'} ({len(list(trusted.glob('*.pem')))} now)")


def serve_until_stopped(serve: Callable[[Callable[[int], None]], None], host: str, port: int) -> int:
    """Run a server until Ctrl+C: ``serve(on_listening)`` binds the port, then calls ``on_listening(port)``, which
    says where it listens. A port that cannot be bound is a CommandError (and no "listening" line)."""

    def on_listening(bound: int) -> None:
        print(f"listening on http://{host}:{bound} (Ctrl+C to stop)", flush=True)

    try:
        serve(on_listening)
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return 0


def main(
    argv: Sequence[str] | None = None,
    extra_commands: Sequence[CommandModule] = (),
    defaults: Mapping[str, object] | None = None,
) -> int:
    """Run the command line.

    ``extra_commands`` and ``defaults`` let the ``ui`` package add its commands and hooks (``open_log_window``)
    without this package importing Qt.
    """
    commands = [*(cast(CommandModule, importlib.import_module(f"kiosk.commands.{name}")) for name in COMMAND_NAMES),
                *extra_commands]
    parser = argparse.ArgumentParser(
        prog="bhyt-kiosk",
        description="Health-insurance (BHYT) lookups from chip citizen ID card (CCCD) QR codes.",
    )
    parser.add_argument("--version", action="version", version=f"bhyt-kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands:
        p = sub.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(p)
        p.set_defaults(_run=command.run)
    if defaults:
        parser.set_defaults(**defaults)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    run = getattr(args, "_run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        return int(run(args))
    except (CommandError, ConfigError) as exc:
        print(f"bhyt-kiosk {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
