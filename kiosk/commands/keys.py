"""``bhyt-kiosk keys new``: make a kiosk's Ed25519 signing key pair.

``bhyt-kiosk keys new --kiosk-id ID --out DIR [--force]`` writes ``DIR/ID.key.pem`` (private, PKCS#8,
mode 0600) and ``DIR/ID.pub.pem``. Copy the public key to the service as
``<service keys-dir>/trusted/ID.pem``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import CommandError

NAME = "keys"
HELP = "Make kiosk signing keys (Ed25519) for signed lookups."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    new = sub.add_parser("new", help="make a new key pair for a kiosk")
    new.add_argument("--kiosk-id", required=True, metavar="ID", help="the kiosk id (the signature keyid)")
    new.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the two key files")
    new.add_argument("--force", action="store_true", help="overwrite existing key files")


def run(args: argparse.Namespace) -> int:
    from kiosk.signing.keys import generate_private_key, key_thumbprint, save_private_key, save_public_key
    from kiosk.signing.profile import KEYID_PATTERN

    kiosk_id: str = args.kiosk_id
    if not KEYID_PATTERN.fullmatch(kiosk_id):
        raise CommandError(
            f"--kiosk-id {kiosk_id!r}: use 1-64 letters, digits, '.', '-' or '_' (a letter or digit first)"
        )
    out: Path = args.out
    private_path = out / f"{kiosk_id}.key.pem"
    public_path = out / f"{kiosk_id}.pub.pem"
    existing = [p for p in (private_path, public_path) if p.exists()]
    if existing and not args.force:
        raise CommandError(f"{', '.join(map(str, existing))} exist(s); add --force to replace the key pair")
    key = generate_private_key()
    try:
        save_private_key(key, private_path)
        save_public_key(key.public_key(), public_path)
    except OSError as exc:
        raise CommandError(f"cannot write keys to {out}: {exc.strerror or exc}") from None
    from kiosk.standins.service.server import default_service_keys_dir

    print(f"private key: {private_path} (mode 0600; keep it on the kiosk)")
    print(f"public key:  {public_path} (thumbprint {key_thumbprint(key.public_key())})")
    print(f"on the service, copy the public key to <service keys-dir>/trusted/{kiosk_id}.pem")
    print(f"  (default service keys-dir: {default_service_keys_dir()})")
    return 0
