"""Kill test for the lookup log: SIGKILL ``bhyt-kiosk scan --json`` right after a printed line, count lost attempts.

    .venv/bin/python bench/bench_log_kill.py [--runs 50] [--images 12] [--seed 1]

Each run scans a folder of card images (rendered from the stand-in population: own generator, for this durability
check only) against the mock service on 127.0.0.1, reads the printed lines as they come and sends SIGKILL as soon as
the k-th line is read (k random per run). Then every attempt id printed must be in the log database. Target: 0 lost in
50 runs. POSIX only (SIGKILL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2

from kiosk.config import KioskConfig
from kiosk.signing.keys import generate_private_key, save_private_key, save_public_key
from kiosk.standins.population import DEFAULT_SEED, generate_population
from kiosk.standins.service.server import start_service
from scanner.standins.synth import render_card

KIOSK_ID = "kiosk-kill"
FACILITY = "27001"


def make_home(root: Path, images: int) -> tuple[Path, Path, object]:
    """Keys, a running service, a settings file and a folder of card images. Returns (config, folder, service)."""
    home = root / "home"
    service_keys = root / "service-keys"
    kiosk_key = generate_private_key()
    save_private_key(kiosk_key, home / "kiosk.pem")
    save_public_key(kiosk_key.public_key(), service_keys / "trusted" / f"{KIOSK_ID}.pem")
    population = generate_population(DEFAULT_SEED, 2_000)
    service = start_service(population=population, keys_dir=service_keys)
    save_public_key(service.service_public_key, home / "service.pem")
    staff = population.staff_member(FACILITY)
    people = [p for p in population.with_code("000") if p.staff_of is None][:images]
    folder = root / "cards"
    folder.mkdir()
    for i, person in enumerate(people):
        assert cv2.imwrite(str(folder / f"{i:03d}.png"), render_card(person.qr_payload, width_px=700))
    config = KioskConfig(service_url=service.url, service_key=str(home / "service.pem"), kiosk_id=KIOSK_ID,
                         private_key=home / "kiosk.pem", facility_code=FACILITY, operator_id=staff.identity.id_number,
                         operator_name=staff.identity.full_name).save(home / "kiosk.toml")
    return config, folder, service


def one_run(config: Path, folder: Path, db: Path, kill_after: int) -> tuple[int, int]:
    """Returns (attempts printed, printed attempts missing from the database)."""
    script = Path(sys.executable).with_name("bhyt-kiosk")
    env = {**os.environ, "BHYT_KIOSK_HOME": str(config.parent)}
    proc = subprocess.Popen([str(script), "scan", "--json", "--config", str(config), "--db", str(db),
                             "--source", str(folder)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    printed: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            printed.append(json.loads(line)["attempt_id"])
            if len(printed) >= kill_after:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        proc.stdout.close()
    if not printed:
        return 0, 0
    conn = sqlite3.connect(db)
    try:
        have = {row[0] for row in conn.execute("SELECT attempt_id FROM attempts")}
    finally:
        conn.close()
    return len(printed), sum(1 for a in printed if a not in have)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if os.name != "posix":
        print("SIGKILL is POSIX only")
        return 2
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        config, folder, service = make_home(Path(tmp), args.images)
        try:
            total_printed = total_lost = 0
            started = time.perf_counter()
            for run in range(args.runs):
                db = Path(tmp) / f"run-{run:03d}.db"
                printed, lost = one_run(config, folder, db, rng.randint(1, args.images))
                total_printed += printed
                total_lost += lost
                if lost:
                    print(f"  run {run}: {lost} of {printed} printed attempts missing")
            elapsed = time.perf_counter() - started
        finally:
            service.stop()  # type: ignore[attr-defined]
    print(f"kill test: {args.runs} runs, lost {total_lost} of {total_printed} printed attempts "
          f"({elapsed:.0f} s)")
    return 0 if total_lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
