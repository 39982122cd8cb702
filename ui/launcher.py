"""The ``bhyt-kiosk`` console script.

``bhyt-kiosk`` alone starts the app, ``bhyt-kiosk --demo`` starts it in demo mode, ``bhyt-kiosk app ...`` is the full
form; every other subcommand is the headless command line of :mod:`kiosk.cli`. Qt is imported only when a window is
actually opened, so the headless commands start fast and run on machines without a display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kiosk import cli

APP_FLAGS = ("--demo", "--mode", "--camera", "--config", "--scanner", "--service", "--service-key", "--kiosk-id",
             "--key", "--facility", "--operator-id", "--operator-name", "--timeout", "--retries")


class AppCommand:
    """``bhyt-kiosk app [--mode kiosk|reception] [--camera SRC] [--scanner serial:PORT[,BAUD]] [--config FILE]
    [--demo]`` and the lookup flags every looking-up command takes (``--service URL`` ... ``--timeout S``)."""

    NAME = "app"
    HELP = "start the kiosk app (the default when no command is given)"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        from kiosk.config import add_lookup_arguments

        parser.add_argument("--mode", choices=("kiosk", "reception"), help="kiosk (patients) or reception (staff)")
        parser.add_argument("--camera", metavar="SRC", help="camera index, device, video, image folder or 'synthetic'")
        parser.add_argument("--scanner", metavar="serial:PORT[,BAUD]",
                            help="a serial (USB CDC / COM port) barcode scanner, e.g. serial:COM3 or "
                                 "serial:/dev/ttyACM0,115200")
        add_lookup_arguments(parser)  # --config and the lookup settings
        parser.add_argument(
            "--demo",
            action="store_true",
            help="built-in demo: mock service in-process, demo people, webcam or synthetic camera",
        )

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from ui.app import run_app

        return run_app(args)


def _open_log_window(args: argparse.Namespace) -> int:
    from ui.log_window import run_log_window

    return run_log_window(args)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # `bhyt-kiosk` and `bhyt-kiosk --demo ...` mean `bhyt-kiosk app ...`
    if not args or args[0] in APP_FLAGS or any(args[0].startswith(f + "=") for f in APP_FLAGS):
        args = ["app", *args]
    commands = [AppCommand()]
    return cli.main(args, extra_commands=commands, defaults={"open_log_window": _open_log_window})


if __name__ == "__main__":
    sys.exit(main())
