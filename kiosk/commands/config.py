"""``bhyt-kiosk config``: see the kiosk's effective settings and set the staff PIN.

``bhyt-kiosk config show [--config FILE]`` prints every setting with where its value came from (file, environment
variable, default); the PIN hash is never printed, only whether one is set.
``bhyt-kiosk config set-pin [--config FILE] [--pin-stdin]`` stores a new staff PIN (4-8 digits) as a salted hash in
the config file: the PIN guards exit and settings on a kiosk-mode screen. Without ``--pin-stdin`` it asks twice on the
terminal without echo.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli import CommandError

NAME = "config"
HELP = "Show the kiosk's settings, or set the staff PIN that guards exit and settings in kiosk mode."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="print the effective settings and where each came from")
    show.add_argument("--config", type=Path, metavar="FILE", help="kiosk.toml (default: the platform config file)")
    pin = sub.add_parser("set-pin", help="store a new staff PIN (hashed) in the config file")
    pin.add_argument("--config", type=Path, metavar="FILE", help="kiosk.toml (default: the platform config file)")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input (for scripts)")


def run(args: argparse.Namespace) -> int:
    if args.config_action == "show":
        return _show(args.config)
    return _set_pin(args.config, from_stdin=args.pin_stdin)


def _show(path: Path | None) -> int:
    from kiosk import paths
    from kiosk.config import KioskConfig, setting_names
    from kiosk.privacy import secret_location

    config = KioskConfig.load(path)

    print(f"# config file: {path or paths.default_config_file()}")
    print(f"# lookup-log pseudonym secret: {secret_location()}")
    for name in setting_names():
        value = getattr(config, name)
        if name == "staff_pin_hash":
            value = "(set)" if value else "(not set)"
        print(f"{name} = {value!s}    # {config.sources.get(name, 'default')}")
    return 0


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    import getpass

    first = getpass.getpass("New staff PIN (4-8 digits): ")
    second = getpass.getpass("Repeat the PIN: ")
    if first != second:
        raise CommandError("the two PINs differ; nothing was changed")
    return first


def _set_pin(path: Path | None, *, from_stdin: bool) -> int:
    from kiosk import paths
    from kiosk.config import ConfigError, KioskConfig
    from kiosk.staff_pin import PinFormatError, hash_pin

    target = path or paths.default_config_file()
    # Only the file's own settings: environment overrides must not be written into it.
    config = KioskConfig.load(target, env={}) if target.exists() else KioskConfig()
    pin = _read_pin(from_stdin)
    try:
        config.staff_pin_hash = hash_pin(pin)
    except PinFormatError as exc:
        raise CommandError(str(exc)) from None
    try:
        saved = config.save(target)
    except (ConfigError, OSError) as exc:
        raise CommandError(f"cannot save {target}: {exc}") from None
    print(f"staff PIN set in {saved}")
    return 0
