"""``bhyt-kiosk scan`` end to end: rendered card images -> real decoder -> real signed lookups against the real
mock service on 127.0.0.1 -> the SQLite lookup log -> ``bhyt-kiosk report --format json``.

One module-scoped service and kiosk home; each scan run writes into the same log database, so the report at
the end covers every run (figures computed by hand below).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from kiosk.cli import main
from kiosk.signing.keys import generate_private_key, save_private_key, save_public_key
from kiosk.standins.population import DEFAULT_SEED, DEFAULT_SIZE, Person, Population, generate_population
from kiosk.standins.service.server import RunningService, start_service
from scanner.standins.synth import FrameConditions, other_qr_frame, render_card, synth_frame

KIOSK_ID = "kiosk-e2e"
FACILITY = "27001"
URL_TEXT = "https://benhvien.example.vn/dat-lich?ma=QX7F2"


@dataclass
class Kit:
    home: Path
    service: RunningService
    population: Population
    config: Path
    db: Path
    people: dict[str, Person]  # label -> person
    staff: Person
    outsider: Person  # a person who is nobody's staff: the wrong operator


def _first(pop: Population, code: str, taken: set[str]) -> Person:
    for person in pop.with_code(code):
        if person.staff_of is None and person.identity.id_number not in taken:
            taken.add(person.identity.id_number)
            return person
    raise LookupError(f"no person with result code {code}")


def make_kit(tmp: Path) -> Iterator[Kit]:
    """A kiosk home (BHYT_KIOSK_HOME), keys, a running service and the settings file."""
    mp = pytest.MonkeyPatch()
    for name in list(os.environ):
        if name.startswith("BHYT_KIOSK_"):
            mp.delenv(name)
    home = tmp / "home"
    mp.setenv("BHYT_KIOSK_HOME", str(home))
    service_keys = tmp / "service-keys"
    kiosk_key = generate_private_key()
    save_private_key(kiosk_key, home / "kiosk.pem")
    save_public_key(kiosk_key.public_key(), service_keys / "trusted" / f"{KIOSK_ID}.pem")
    population = generate_population(DEFAULT_SEED, DEFAULT_SIZE)
    service = start_service(population=population, keys_dir=service_keys)
    try:
        save_public_key(service.service_public_key, home / "service.pem")
        staff = population.staff_member(FACILITY)
        taken: set[str] = {staff.identity.id_number}
        people = {label: _first(population, code, taken) for label, code in (
            ("eligible", "000"), ("warning", "001"), ("new-card", "003"), ("not-eligible", "010"),
            ("not-found", "050"), ("mismatch", "060"), ("invalid", "000"), ("unreadable", "000"),
            ("outsider", "000"))}
        config = home / "kiosk.toml"
        config.write_text(
            "\n".join([
                f'service_url = "{service.url}"',
                f'service_key = "{(home / "service.pem").as_posix()}"',
                f'kiosk_id = "{KIOSK_ID}"',
                f'private_key = "{(home / "kiosk.pem").as_posix()}"',
                f'facility_code = "{FACILITY}"',
                f'operator_id = "{staff.identity.id_number}"',
                f'operator_name = "{staff.identity.full_name}"',
                "read_timeout_s = 3.0",
                "connect_timeout_s = 1.0",
                "retries = 1",
                "backoff_s = 0.05",
                "",
            ]),
            encoding="utf-8",
        )
        yield Kit(home, service, population, config, home / "data" / "lookups.db", people, staff,
                  people.pop("outsider"))
    finally:
        service.stop()
        mp.undo()


def invalid_payload(person: Person) -> str:
    """The person's QR text with the sex field flipped: the number's century/sex digit disagrees."""
    fields = person.qr_payload.split("|")
    fields[4] = "Nữ" if fields[4] == "Nam" else "Nam"
    return "|".join(fields)


def write_image(path: Path, image: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), image)
    return path


# file name -> (outcome, result code, eligible); a file that makes no attempt is absent
EXPECTED: dict[str, tuple[str, str | None, bool]] = {
    "01-eligible.png": ("eligible", "000", True),
    "02-warning.png": ("eligible-with-warning", "001", True),
    "03-new-card.png": ("new-card", "003", True),
    "04-not-eligible.png": ("not-eligible", "010", False),
    "05-not-found.png": ("not-found", "050", False),
    "06-mismatch.png": ("data-mismatch", "060", False),
    "07-invalid.png": ("invalid-card", None, False),
    "08-not-id.png": ("not-id-card", None, False),
    "10-unreadable.png": ("unreadable", None, False),
}


def make_card_folder(kit: Kit, folder: Path) -> Path:
    p = kit.people
    easy = FrameConditions(frame_size=(1280, 720), card_width_frac=0.6, rotation_deg=4.0)
    write_image(folder / "01-eligible.png", synth_frame(p["eligible"].qr_payload, easy))
    write_image(folder / "02-warning.png", render_card(p["warning"].qr_payload, width_px=1000))
    write_image(folder / "03-new-card.png", render_card(p["new-card"].qr_payload, width_px=1000))
    write_image(folder / "04-not-eligible.png", synth_frame(p["not-eligible"].qr_payload, easy, background_seed=3))
    write_image(folder / "05-not-found.png", render_card(p["not-found"].qr_payload, width_px=1000))
    write_image(folder / "06-mismatch.png", render_card(p["mismatch"].qr_payload, width_px=1000))
    write_image(folder / "07-invalid.png", render_card(invalid_payload(p["invalid"]), width_px=1000))
    write_image(folder / "08-not-id.png", other_qr_frame(URL_TEXT, easy))
    write_image(folder / "09-empty-desk.png", synth_frame(None, easy))
    write_image(folder / "10-unreadable.png",
                synth_frame(p["unreadable"].qr_payload, FrameConditions(defocus_sigma=6.0)))
    (folder / "notes.txt").write_text("not an image: ignored", encoding="utf-8")
    return folder


def run_scan(kit: Kit, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["scan", "--config", str(kit.config), "--json", *args])
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return status, lines, err.getvalue()


def report_json(db: Path) -> dict[str, Any]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["report", "--db", str(db), "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kit]:
    yield from make_kit(tmp_path_factory.mktemp("scan-e2e"))


@pytest.fixture(scope="module")
def folder_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lookup log of the folder run alone (other tests log to the kit's own database)."""
    return tmp_path_factory.mktemp("folder-log") / "lookups.db"


@pytest.fixture(scope="module")
def folder_run(kit: Kit, folder_db: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[int, list[dict[str, Any]], str]:
    folder = make_card_folder(kit, tmp_path_factory.mktemp("cards"))
    return run_scan(kit, "--source", str(folder), "--db", str(folder_db))


# --------------------------------------------------------------------------------------------- tests


def test_folder_scan_gives_one_line_per_attempt_with_each_outcome(folder_run: Any, kit: Kit) -> None:
    status, lines, err = folder_run
    assert status == 0, err
    got = {Path(line["path"]).name: (line["outcome"], line["result_code"], line["eligible"]) for line in lines}
    assert got == EXPECTED
    assert [Path(line["path"]).name for line in lines] == sorted(EXPECTED)  # in folder order
    by_name = {Path(line["path"]).name: line for line in lines}
    for name, line in by_name.items():
        assert set(line["durations_ms"]) == {"read", "validate", "lookup", "total"}
        assert line["durations_ms"]["total"] is not None
        assert line["attempt_id"]
        if EXPECTED[name][1] is not None:  # a lookup was answered
            person = kit.people[name[3:-4]]
            assert line["masked_id"] == "••••••••" + person.identity.id_number[-4:]
            assert line["http_attempts"] == 1 and line["frames_to_read"] == 1
            assert all(line["durations_ms"][k] is not None for k in ("read", "validate", "lookup"))
            assert line["decoder_backend"] in ("zxing", "wechat", "opencv", "zbar")
    assert by_name["07-invalid.png"]["error_reason"] == "invalid-card: sex-mismatch"
    assert by_name["08-not-id.png"]["error_reason"] == "not-id-card: other"
    assert by_name["10-unreadable.png"]["error_reason"].startswith("unreadable: ")
    assert by_name["10-unreadable.png"]["masked_id"] is None


def test_setup_error_with_a_wrong_operator(kit: Kit, folder_run: Any, tmp_path: Path) -> None:
    image = write_image(tmp_path / "card.png", render_card(kit.people["eligible"].qr_payload, width_px=1000))
    status, lines, err = run_scan(kit, "--source", str(image), "--operator-id", kit.outsider.identity.id_number,
                                  "--operator-name", kit.outsider.identity.full_name)
    assert status == 0, err
    assert [(x["outcome"], x["result_code"], x["eligible"], x["path"]) for x in lines] == [
        ("setup-error", "054", False, str(image))]


@pytest.mark.parametrize(("faults", "outcome", "http_attempts"), [("error=1", "service-error", 2),
                                                                   ("hang=1:2", "timeout", 1)])
def test_service_faults(kit: Kit, folder_run: Any, tmp_path: Path, faults: str, outcome: str,
                        http_attempts: int) -> None:
    image = write_image(tmp_path / "card.png", render_card(kit.people["eligible"].qr_payload, width_px=1000))
    kit.service.set_faults(faults)
    try:
        status, lines, err = run_scan(kit, "--source", str(image), "--timeout", "0.5", "--retry-limit", "0")
    finally:
        kit.service.set_faults(None)
    assert status == 0, err
    (line,) = lines
    assert (line["outcome"], line["eligible"], line["http_attempts"]) == (outcome, False, http_attempts)
    assert line["error_reason"].startswith(outcome + ": ")
    assert line["durations_ms"]["lookup"] is not None
    assert line["retry_status"] is None  # --retry-limit 0: no background retries


def test_scan_waits_for_a_late_answer_after_a_burst_outage(kit: Kit, folder_run: Any, tmp_path: Path) -> None:
    image = write_image(tmp_path / "card.png", render_card(kit.people["eligible"].qr_payload, width_px=1000))
    kit.service.set_faults("error=1")
    outage = threading.Timer(1.5, kit.service.set_faults, args=(None,))  # the outage ends while the run waits
    outage.start()
    try:
        status, lines, err = run_scan(kit, "--source", str(image), "--timeout", "0.5", "--retry-limit", "30",
                                      "--db", str(tmp_path / "late.db"))
    finally:
        outage.join()
        kit.service.set_faults(None)
    assert status == 0, err
    first, final = lines
    assert first["attempt_id"] == final["attempt_id"] and first["path"] == final["path"] == str(image)
    assert (first["outcome"], first["retry_status"], first["first_try_outcome"]) == (
        "service-error", "pending", "service-error")
    assert (final["outcome"], final["result_code"], final["eligible"], final["retry_status"]) == (
        "eligible", "000", True, "answered")
    assert final["retry_delay_ms"] >= 500 and final["http_attempts"] >= 3
    report = report_json(tmp_path / "late.db")
    assert (report["lookups"], report["successful"], report["successful_first_try"]) == (1, 1, 0)
    assert (report["successful_after_retry"], report["success_rate"], report["success_rate_first_try"]) == (1, 1.0, 0.0)


def test_scan_records_abandoned_when_the_outage_outlasts_the_limit(kit: Kit, folder_run: Any,
                                                                   tmp_path: Path) -> None:
    image = write_image(tmp_path / "card.png", render_card(kit.people["not-found"].qr_payload, width_px=1000))
    kit.service.set_faults("error=1")
    try:
        status, lines, err = run_scan(kit, "--source", str(image), "--timeout", "0.5", "--retry-limit", "1.5",
                                      "--db", str(tmp_path / "abandoned.db"))
    finally:
        kit.service.set_faults(None)
    assert status == 0, err
    first, final = lines
    assert first["retry_status"] == "pending"
    assert (final["outcome"], final["retry_status"]) == ("service-error", "abandoned")
    assert final["error_reason"].startswith("abandoned: no answer within 1.5 s")
    report = report_json(tmp_path / "abandoned.db")
    assert (report["lookups"], report["successful"], report["abandoned"], report["pending"]) == (1, 0, 1, 0)


def test_console_script_scan_of_one_image(kit: Kit, folder_run: Any, tmp_path: Path) -> None:
    image = write_image(tmp_path / "không dấu card.png", render_card(kit.people["not-found"].qr_payload,
                                                                     width_px=1000))
    script = Path(sys.executable).with_name("bhyt-kiosk")
    env = {**os.environ, "BHYT_KIOSK_HOME": str(kit.home)}
    proc = subprocess.run([str(script), "scan", "--source", str(image), "--config", str(kit.config)],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    assert line.startswith("không dấu card.png  not-found  code=050  ••••••••")
    assert kit.people["not-found"].identity.id_number not in proc.stdout


def test_cannot_run_exits_2(kit: Kit, tmp_path: Path) -> None:
    status, lines, err = run_scan(kit, "--source", str(tmp_path / "missing-folder"))
    assert (status, lines) == (2, []) and "missing-folder" in err
    status, lines, err = run_scan(kit, "--source", str(tmp_path), "--service", "ftp://nowhere")
    assert (status, lines) == (2, []) and "service_url" in err
    status, _, err = run_scan(kit, "--source", str(tmp_path), "--hold-off", "-1")
    assert status == 2 and "--hold-off" in err


def test_log_and_report_match_the_runs(kit: Kit, folder_run: Any, folder_db: Path, tmp_path: Path) -> None:
    # this test's own log: the folder run (9 attempts), then here a wrong operator (1) and a service error (1)
    from kiosk.lookup_log import LogReader
    from kiosk.privacy import PersonHasher, load_or_create_secret

    db = tmp_path / "lookups.db"
    shutil.copy(folder_db, db)
    image = write_image(tmp_path / "card.png", render_card(kit.people["eligible"].qr_payload, width_px=1000))
    assert run_scan(kit, "--source", str(image), "--db", str(db), "--operator-id",
                    kit.outsider.identity.id_number, "--operator-name", kit.outsider.identity.full_name)[0] == 0
    kit.service.set_faults("error=1")
    try:
        assert run_scan(kit, "--source", str(image), "--db", str(db), "--timeout", "0.5", "--retry-limit", "0")[0] == 0
    finally:
        kit.service.set_faults(None)
    with LogReader(db) as reader:
        attempts = list(reader.query())
    assert len(attempts) == 11
    outcomes = sorted(a.outcome.value for a in attempts if a.outcome is not None)
    assert outcomes == sorted([
        "eligible", "eligible-with-warning", "new-card", "not-eligible", "not-found", "data-mismatch",
        "invalid-card", "not-id-card", "unreadable", "setup-error", "service-error"])
    hasher = PersonHasher(load_or_create_secret())
    _, lines, _ = folder_run
    by_id = {a.attempt_id: a for a in attempts}
    for line in lines:
        a = by_id[line["attempt_id"]]
        assert (a.outcome.value if a.outcome else None, a.result_code) == (line["outcome"], line["result_code"])
        assert a.kiosk_id == KIOSK_ID and a.facility_code == FACILITY and a.source.value == "camera"
        assert a.total_ms == pytest.approx(line["durations_ms"]["total"], abs=0.01)
        if line["result_code"] is not None:
            person = kit.people[Path(line["path"]).name[3:-4]]
            assert a.person_hash == hasher.hash_id(person.identity.id_number)
            assert a.lookup_sent_at is not None and a.answered_at is not None
            assert a.first_seen_at is not None and a.first_seen_at <= a.lookup_sent_at <= a.answered_at
        else:
            assert a.person_hash is None and a.lookup_sent_at is None

    report = report_json(db)
    # hand-computed: lookups = the 6 answered cards + wrong operator + service error = 8;
    # successful = definitive answers = 6; eligible = eligible, warning, new card.
    assert (report["attempts"], report["lookups"], report["successful"]) == (11, 8, 6)
    assert report["success_rate"] == pytest.approx(0.75)
    assert (report["successful_first_try"], report["successful_after_retry"]) == (6, 0)  # no background retries
    assert report["success_rate_first_try"] == report["success_rate"] and report["abandoned"] == 0
    assert report["eligible"] == 3 and report["eligibility_rate"] == pytest.approx(0.5)
    assert report["by_outcome"] == {
        "eligible": 1, "eligible-with-warning": 1, "new-card": 1, "not-eligible": 1, "not-found": 1,
        "data-mismatch": 1, "setup-error": 1, "service-error": 1, "invalid-card": 1, "not-id-card": 1,
        "unreadable": 1,
    } | {k: v for k, v in report["by_outcome"].items() if v == 0}


def test_video_is_a_stream_of_presentations(kit: Kit, tmp_path: Path) -> None:
    """A card held in view is one attempt; a card swapped in is a new one; a card re-shown after another is too."""
    a, b = kit.people["eligible"], kit.people["not-eligible"]
    easy = FrameConditions(frame_size=(640, 480), card_width_frac=0.8)
    frames = [synth_frame(a.qr_payload, replace(easy, rotation_deg=i * 0.3, seed=i)) for i in range(20)]
    frames += [synth_frame(None, easy)] * 70  # 2.3 s of empty desk: the card has gone
    frames += [synth_frame(b.qr_payload, replace(easy, rotation_deg=-i * 0.3, seed=i)) for i in range(15)]
    frames += [synth_frame(a.qr_payload, replace(easy, center=(0.45, 0.5), seed=i)) for i in range(15)]
    video = tmp_path / "desk.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 480))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()
    status, lines, err = run_scan(kit, "--source", str(video), "--db", str(tmp_path / "video.db"))
    assert status == 0, err
    assert [(x["outcome"], x["masked_id"][-4:], x["path"]) for x in lines] == [
        ("eligible", a.identity.id_number[-4:], str(video)),
        ("not-eligible", b.identity.id_number[-4:], str(video)),
        ("eligible", a.identity.id_number[-4:], str(video)),
    ]
    assert all(x["frames_to_read"] >= 1 for x in lines)


def test_damaged_text_is_refused_with_a_reason_not_dropped_as_no_code(kit: Kit, tmp_path: Path) -> None:
    """A card whose QR text holds U+FFFD (bytes lost before printing): read, refused, no lookup — as a still and
    in a video (where it must be seen twice, like any text that is not a valid card)."""
    fields = kit.people["eligible"].qr_payload.split("|")
    fields[2] = fields[2][:2] + "\ufffd" + fields[2][3:]
    damaged = "|".join(fields)
    easy = FrameConditions(frame_size=(640, 480), card_width_frac=0.8)
    image = write_image(tmp_path / "damaged.png", synth_frame(damaged, easy))
    video = tmp_path / "damaged.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 480))
    for i in range(10):
        writer.write(synth_frame(damaged, replace(easy, seed=i)))
    writer.release()
    for source in (image, video):
        status, lines, err = run_scan(kit, "--source", str(source), "--db", str(tmp_path / "damaged.db"))
        assert status == 0, err
        assert [(x["outcome"], x["error_reason"], x["masked_id"], x["http_attempts"]) for x in lines] == [
            ("unreadable", "unreadable: damaged text", None, None)], source
