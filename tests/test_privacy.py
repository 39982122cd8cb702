"""No CCCD number and no name of a scanned person ever reaches the lookup log or any file the kiosk writes.

Two runs over rendered cards against the real service: the pipeline with its log still open (so the WAL
and shared-memory files exist and are searched as they are), and ``bhyt-kiosk scan`` (files after it
closed the log), plus its stdout. Every byte of every file under the kiosk home and of the databases is
searched for each number and each name in UTF-8 (composed NFC and decomposed NFD forms, as given and
upper case) and in UTF-16.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import logging
import pickle
import sqlite3
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_scan_e2e import Kit, invalid_payload, make_card_folder, make_kit, write_image

from kiosk import privacy
from kiosk.attempts import InputSource, LookupAttempt
from kiosk.cli import main
from kiosk.config import KioskConfig
from kiosk.lookup_log import LookupLog
from kiosk.outcomes import Outcome
from kiosk.pipeline import KioskPipeline, RecordedAttempt
from kiosk.privacy import DeferredHash, PersonHasher, load_or_create_secret
from scanner.sources import open_source
from scanner.standins.synth import render_card


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kit]:
    yield from make_kit(tmp_path_factory.mktemp("privacy"))


def _needles(kit: Kit) -> dict[str, list[bytes]]:
    """label -> byte patterns that must not appear anywhere."""
    people = [*kit.people.values(), kit.staff]
    needles: dict[str, list[bytes]] = {}
    for person in people:
        ident = person.identity
        needles[f"id {ident.masked_id}"] = [ident.id_number.encode("ascii"), ident.id_number.encode("utf-16-le")]
        forms: list[bytes] = []
        for text in {ident.full_name, ident.full_name.upper()}:
            for form in ("NFC", "NFD"):
                normal = unicodedata.normalize(form, text)
                forms += [normal.encode("utf-8"), normal.encode("utf-16-le")]
        needles[f"name of {ident.masked_id}"] = forms
        if ident.address:
            needles[f"address of {ident.masked_id}"] = [
                unicodedata.normalize(form, ident.address).encode("utf-8") for form in ("NFC", "NFD")]
    return needles


def _leaks(files: list[Path], needles: dict[str, list[bytes]], extra: dict[str, bytes] | None = None) -> list[str]:
    blobs = {str(f): f.read_bytes() for f in files if f.is_file()}
    blobs.update(extra or {})
    found = []
    for where, data in blobs.items():
        for label, patterns in needles.items():
            if any(p in data for p in patterns):
                found.append(f"{label} in {where}")
    return found


def _home_files(kit: Kit) -> list[Path]:
    # everything the kiosk wrote: its data folder (log, secret), config and keys; the service's files live elsewhere
    return sorted(p for p in kit.home.rglob("*") if p.is_file())


def test_open_log_wal_and_shm_hold_no_number_or_name(kit: Kit, tmp_path: Path) -> None:
    folder = make_card_folder(kit, tmp_path / "cards")
    write_image(folder / "11-staff.png", render_card(kit.staff.qr_payload, width_px=1000))
    write_image(folder / "12-invalid-staff.png", render_card(invalid_payload(kit.staff), width_px=1000))
    db = tmp_path / "open" / "lookups.db"
    config = KioskConfig.load(kit.config)
    log = LookupLog(db)
    recorded: list[RecordedAttempt] = []
    pipeline = KioskPipeline(config=config, log=log, source=open_source(str(folder), realtime=False),
                             hasher=PersonHasher(load_or_create_secret()))
    pipeline.add_record_listener(recorded.append)
    before = set(threading.enumerate())
    pipeline.start()
    try:
        assert pipeline.wait_input_finished(60)
        # manual entry and a USB payload go through the same path
        staff = kit.staff.identity
        pipeline.submit_manual(staff.id_number, staff.full_name, staff.date_of_birth.display())
        pipeline.submit_payload(kit.people["eligible"].qr_payload)
        assert pipeline.wait_idle(30)
        assert log.flush(10)
        files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
        assert files[1].exists() and files[1].stat().st_size > 0  # the WAL holds the rows right now
        assert _leaks(files, _needles(kit)) == []
    finally:
        pipeline.stop()
        log.close()
    assert set(threading.enumerate()) - before == set()  # every pipeline thread joined
    outcomes = [r.attempt.outcome for r in recorded]
    assert len(outcomes) == 13 and outcomes.count(Outcome.INVALID_CARD) == 2
    assert [r.attempt.source.value for r in recorded[-2:]] == ["manual", "usb-scanner"]
    assert _leaks([db, db.with_name(db.name + "-wal")], _needles(kit)) == []
    # the records themselves carry nothing but the hash and the masked number
    leaks = _leaks([], _needles(kit), {f"record {r.attempt.attempt_id}": repr(vars(r.attempt)).encode("utf-8")
                                        for r in recorded})
    assert leaks == []


def test_scan_command_files_and_output_hold_no_number_or_name(kit: Kit, tmp_path: Path) -> None:
    folder = make_card_folder(kit, tmp_path / "cards")
    out, err = io.StringIO(), io.StringIO()
    for json_flag in ([], ["--json"]):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            assert main(["scan", "--config", str(kit.config), "--source", str(folder), *json_flag]) == 0
    assert out.getvalue().count("\n") == 18
    db = kit.home / "data" / "lookups.db"
    assert db.exists()
    extra = {"stdout": out.getvalue().encode("utf-8"), "stderr": err.getvalue().encode("utf-8")}
    files = _home_files(kit) + [db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal")]
    leaks = _leaks(files, _needles(kit), extra)
    # the settings file names the operator (the staff member) on purpose: that is configuration, not a log
    assert [x for x in leaks if not x.endswith("kiosk.toml")] == []
    assert any(x.endswith("kiosk.toml") for x in leaks)  # the search does find what is there


# --------------------------------------------------------------------------------------------- pseudonyms


def test_the_log_keeps_no_digit_of_a_number_and_a_slow_keyed_hash(kit: Kit, tmp_path: Path) -> None:
    """Someone with the whole data folder (database and secret) gets no digit to narrow the search, and each guess
    costs a scrypt with N >= 2^15, r = 8 (checked against hashlib's scrypt, not the kiosk's code)."""
    import hashlib
    import hmac
    import sqlite3

    folder = make_card_folder(kit, tmp_path / "cards")
    db = tmp_path / "pseudonyms.db"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["scan", "--config", str(kit.config), "--source", str(folder), "--db", str(db)]) == 0
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT person_hash, masked_id FROM attempts").fetchall()
    conn.close()
    assert len(rows) == 9 and all(masked is None for _, masked in rows)
    hashes = {h for h, _ in rows if h is not None}
    secret = load_or_create_secret()
    salt = hmac.digest(secret, b"bhyt-kiosk person_hash salt v1", hashlib.sha256)
    expected = set()
    for person in kit.people.values():
        key = hmac.digest(secret, person.identity.id_number.encode(), hashlib.sha256)
        assert key.hex() not in hashes  # not the fast HMAC of before
        expected.add(hashlib.scrypt(key, salt=salt, n=2**15, r=8, p=1, maxmem=2**26, dklen=32).hex())
    assert hashes and hashes <= expected


def test_repeat_visits_still_count_and_hashes_are_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    scrypts: list[bytes] = []
    real_scrypt = hashlib.scrypt

    def counted(key: bytes, **params: Any) -> bytes:
        scrypts.append(key)
        return real_scrypt(key, **params)

    monkeypatch.setattr(privacy.hashlib, "scrypt", counted)
    hasher = PersonHasher(b"s" * 32)
    first = hasher.hash_id("001098012345")
    assert hasher.hash_id(" 001098012345 ") == first and len(scrypts) == 1  # the second visit: from the cache
    assert PersonHasher(b"s" * 32).hash_id("001098012345") == first  # the same in the next process
    assert PersonHasher(b"t" * 32).hash_id("001098012345") != first
    small = PersonHasher(b"s" * 32, cache_size=1)
    small.hash_id("001098012345"), small.hash_id("001098054321"), small.hash_id("001098012345")
    assert len(scrypts) == 6  # a cache of one: the first number was pushed out and computed again


def test_a_pending_hash_gives_out_nothing_but_the_hash(tmp_path: Path) -> None:
    """The number waiting for its hash on the way to the log writer cannot be printed, logged, copied or pickled."""
    hasher = PersonHasher(b"k" * 32, cost=4)
    person = DeferredHash(hasher, "001098012345")
    shown = [repr(person), str(person), f"{person}", f"{person!r}", logging.Formatter().format(
        logging.LogRecord("kiosk", logging.ERROR, __file__, 1, "%s", (person,), None))]
    assert not any("1234" in text for text in shown)
    for leak in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError):
            leak(person)
    with LookupLog(tmp_path / "log.db") as log:  # the writer thread computes it just before the insert
        attempt = LookupAttempt.start(kiosk_id="k", facility_code="f", source=InputSource.MANUAL)
        attempt.outcome = Outcome.ELIGIBLE
        assert log.record(attempt, person).wait(10)
    assert attempt.person_hash is None  # nothing of the person on the attempt the caller holds
    conn = sqlite3.connect(tmp_path / "log.db")
    assert conn.execute("SELECT person_hash FROM attempts").fetchall() == [(hasher.hash_id("001098012345"),)]
    conn.close()


def test_upgrading_a_log_forgets_the_old_reversible_pseudonyms(tmp_path: Path) -> None:
    import sqlite3

    from kiosk.log import schema

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    schema.migrate(conn, target=2)
    row = dict.fromkeys(schema.INSERT_COLUMNS)
    row.update(attempt_id="a1", kiosk_id="k", facility_code="27001", source="camera", app_version="0.1",
               stage="answered", outcome="eligible", person_hash="ab" * 32, masked_id="••••••••2345",
               started_at=1, recorded_at=1, day=0, hour=0, utc_offset_min=0, lookup_sent=1)
    v2_columns = [c for c in schema.INSERT_COLUMNS if c not in ("first_try_outcome", "retry_status", "retry_delay_ms")]
    conn.execute(f"INSERT INTO attempts ({', '.join(v2_columns)}) VALUES ({', '.join('?' * len(v2_columns))})",
                 tuple(row[c] for c in v2_columns))  # the columns a v2 log has (v4 added the retry columns)
    conn.close()
    LookupLog(db, retention_days=100_000).close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT outcome, person_hash, masked_id FROM attempts").fetchall() == [
        ("eligible", None, None)]
    conn.close()


# --------------------------------------------------------------------------------------------- where the key lives


def test_the_secret_is_not_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the data folder (what IT takes to read a log) holds no key; an older install's key moves out."""
    from kiosk import paths
    from kiosk.privacy import default_secret_path, legacy_secret_path

    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BHYT_KIOSK_SECRET_STORE", raising=False)
    old = b"o" * 32
    paths.write_private_file(legacy_secret_path(), old)
    assert load_or_create_secret() == old and not legacy_secret_path().exists()
    assert default_secret_path().read_bytes() == old
    assert not default_secret_path().is_relative_to(paths.data_dir())
    assert [p for p in paths.data_dir().rglob("*") if p.is_file()] == []


def test_the_secret_goes_to_the_os_credential_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    from kiosk import paths
    from kiosk.privacy import legacy_secret_path, secret_location

    class MemoryStore(KeyringBackend):
        priority = 5  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.items.pop((service, username), None)

    before = keyring.get_keyring()
    store = MemoryStore()
    keyring.set_keyring(store)
    try:
        monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("BHYT_KIOSK_SECRET_STORE", "keyring")
        old = b"p" * 32
        paths.write_private_file(legacy_secret_path(), old)
        assert load_or_create_secret() == old == load_or_create_secret()
        assert len(store.items) == 1 and "credential store" in secret_location()
        assert [p for p in (tmp_path / "home").rglob("*") if p.is_file()] == []  # no key file anywhere
    finally:
        keyring.set_keyring(before)
