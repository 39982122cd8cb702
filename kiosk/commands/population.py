"""``bhyt-kiosk population generate``: write a deterministic synthetic population (JSON lines).

``bhyt-kiosk population generate --seed S --size N --out FILE.jsonl``

Each line: ``identity`` (as on the card), ``qr_payload`` (the card's QR text), ``insurance`` (the
gateway's record, validity as day offsets from the lookup date; or null), ``no_card_reason``,
``expected_result_code`` and ``staff_of``. The same seed and size always give the same file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import CommandError

NAME = "population"
HELP = "Generate the synthetic population the mocked service answers for."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="population_command", metavar="ACTION", required=True)
    gen = sub.add_parser("generate", help="write a population file (JSON lines)")
    gen.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    gen.add_argument("--size", type=int, default=1000, help="number of people (default: 1000)")
    gen.add_argument("--out", type=Path, required=True, metavar="FILE", help="the JSONL file to write")
    gen.add_argument("--force", action="store_true", help="overwrite an existing file")


def run(args: argparse.Namespace) -> int:
    from collections import Counter

    from kiosk.standins.population import generate_population

    if args.size < 1 or args.size > 1_000_000:
        raise CommandError(f"--size {args.size}: give a number of people from 1 to 1000000")
    out: Path = args.out
    if out.exists() and not args.force:
        raise CommandError(f"{out} exists; add --force to overwrite it")
    population = generate_population(args.seed, args.size)
    try:
        population.save(out)
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
    codes = Counter(p.expected_result_code for p in population)
    print(f"wrote {len(population)} people to {out} (seed {args.seed})")
    print("result codes: " + ", ".join(f"{code}×{n}" for code, n in sorted(codes.items())))
    print(f"facilities with lookup staff: {', '.join(sorted(population.staff))}")
    return 0
