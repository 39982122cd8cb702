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
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Protocol, cast

from kiosk import __version__

# Order is the order shown in --help.
COMMAND_MODULES: tuple[str, ...] = (
    "kiosk.commands.decode",
    "kiosk.commands.lookup",
    "kiosk.commands.scan",
    "kiosk.commands.service",
    "kiosk.commands.collector",
    "kiosk.commands.population",
    "kiosk.commands.keys",
    "kiosk.commands.config",
    "kiosk.commands.report",
    "kiosk.commands.logs",
)


class CommandModule(Protocol):
    NAME: str
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


class CommandError(Exception):
    """A problem the user can fix (bad flag, unreadable path, missing setting): printed, exit status 2."""


def serve_until_stopped(serve: Callable[[], None], host: str, port: int) -> int:
    """Say where a server listens, run it until Ctrl+C, and turn a port that cannot be bound into a CommandError."""
    print(f"listening on http://{host}:{port} (Ctrl+C to stop)", flush=True)
    try:
        serve()
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return 0


def load_commands(names: Iterable[str] = COMMAND_MODULES) -> list[CommandModule]:
    modules: list[CommandModule] = []
    for name in names:
        module: ModuleType = importlib.import_module(name)
        modules.append(cast(CommandModule, module))
    return modules


def build_parser(commands: Sequence[CommandModule]) -> argparse.ArgumentParser:
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
    return parser


def main(
    argv: Sequence[str] | None = None,
    extra_commands: Sequence[CommandModule] = (),
    defaults: Mapping[str, object] | None = None,
) -> int:
    """Run the command line.

    ``extra_commands`` and ``defaults`` let the ``ui`` package add its commands and hooks (``open_log_window``)
    without this package importing Qt.
    """
    commands = [*load_commands(), *extra_commands]
    parser = build_parser(commands)
    if defaults:
        parser.set_defaults(**defaults)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    run = getattr(args, "_run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        return int(run(args))
    except CommandError as exc:
        print(f"bhyt-kiosk {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
