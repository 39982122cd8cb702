"""``bhyt-kiosk service``: run the mocked population-data service (FastAPI on uvicorn).

``bhyt-kiosk service [--host 127.0.0.1] [--port 8787] [--population FILE] [--keys-dir DIR] [--faults SPEC]``

The service key is ``<keys-dir>/service.pem`` (made on first start, mode 0600); kiosk public keys it
trusts go in ``<keys-dir>/trusted/<kiosk-id>.pem`` (``bhyt-kiosk keys new`` makes them). Without
``--population`` it serves the default synthetic population (seed 1, 1000 people), held in memory only.
"""

from __future__ import annotations

import argparse
import ipaddress
from pathlib import Path

from kiosk.cli import CommandError, add_server_arguments, print_server_keys, serve_until_stopped

NAME = "service"
HELP = "Run the mocked population-data service that answers signed eligibility lookups."

FAULTS_HELP = """\
fault injection, comma-separated parts (each with a probability P in 0..1):
latency=P:SECONDS (delay), error=P[:STATUS] (signed 5xx, default 503),
hang=P[:SECONDS] (no answer for SECONDS, default 30, then close), drop=P (close the connection),
malformed=P (body is not JSON), badsig=P (corrupted response signature), seed=N (deterministic).
Example: latency=0.2:1.5,error=0.1,hang=0.05,drop=0.05,malformed=0.05,badsig=0.05.
Only with --faults (an empty SPEC starts with no faults) can it be changed while running:
PUT /v1/admin/faults {"spec": "..."} from loopback with "Authorization: Bearer TOKEN",
TOKEN being the admin token printed at start."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawTextHelpFormatter
    add_server_arguments(parser, role="service", port=8787)
    parser.add_argument(
        "--population",
        type=Path,
        metavar="FILE",
        help="population JSONL (bhyt-kiosk population generate); default: seed 1, 1000 people",
    )
    parser.add_argument("--faults", metavar="SPEC", default=None, help=FAULTS_HELP)


def run(args: argparse.Namespace) -> int:
    from kiosk.signing.keys import SigningKeyError
    from kiosk.standins.population import PopulationError
    from kiosk.standins.service.faults import FaultSpecError
    from kiosk.standins.service.server import build_state, default_service_keys_dir, serve

    if not 0 <= args.port <= 65535:
        raise CommandError(f"--port {args.port} is not a port number (0-65535)")
    keys_dir: Path = args.keys_dir or default_service_keys_dir()
    try:
        state = build_state(population=args.population, keys_dir=keys_dir, faults=args.faults)
    except FaultSpecError as exc:
        raise CommandError(f"--faults: {exc}") from None
    except PopulationError as exc:
        raise CommandError(f"--population: {exc}") from None
    except SigningKeyError as exc:
        raise CommandError(f"service key: {exc}") from None
    except OSError as exc:
        raise CommandError(f"--keys-dir {keys_dir}: {exc.strerror or exc}") from None
    print_server_keys("service", keys_dir, state.keyid)
    print(f"population:         {len(state.population)} people, {len(state.population.staff)} facilities")
    print(f"faults:             {state.faults.spec.to_text()}")
    if state.admin_token is not None:
        print(f"admin token:        {state.admin_token} (PUT /v1/admin/faults, loopback only, "
              "header Authorization: Bearer <token>)")
    if not _is_loopback(args.host):
        print(f"warning: listening on {args.host}, not loopback: other machines can reach this mock service")
    return serve_until_stopped(
        lambda on_listening: serve(state, host=args.host, port=args.port, on_listening=on_listening),
        args.host,
        args.port,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
