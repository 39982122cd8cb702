"""Pending lookups: personal data only in memory or encrypted at rest; a restart resumes or abandons, never drops."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.eligibility import LookupRequest
from kiosk.outcomes import Outcome
from kiosk.pending import PendingLookup, PendingStore, PendingStoreError

ID = "027195001234"
NAME = "Nguyễn Thị Minh Châu"
NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def _entry(attempt_id: str = "0b6f0e0e-1111-4222-8333-444455556666", *, expires_in_s: float = 600.0,
           tries: int = 1) -> PendingLookup:
    attempt = LookupAttempt(attempt_id=attempt_id, kiosk_id="kiosk-01", facility_code="27001",
                            source=InputSource.CAMERA, first_seen_at=NOW, lookup_sent_at=NOW,
                            stage=Stage.LOOKUP_SENT, outcome=Outcome.TIMEOUT, first_try_outcome=Outcome.TIMEOUT,
                            error_reason="timeout: read 3 s",
                            person_hash="ab" * 32, masked_id="••••••••1234")
    request = LookupRequest(id_number=ID, full_name=NAME, date_of_birth="1995-08-15", facility_code="27001",
                            operator_name="Trần Văn Sơn", operator_id="001098012345", attempt_id=attempt_id)
    return PendingLookup(attempt=attempt, request=request, first_try_reason="read timeout after 3.0 s",
                         first_try_ended_at=NOW, expires_at=NOW + timedelta(seconds=expires_in_s), ticket_number=12,
                         tries=tries)


def _store(tmp_path: Path, key: str = "pending.key") -> PendingStore:
    return PendingStore(tmp_path / "data" / "pending", tmp_path / "keys" / key)


def _all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_memory_only_store_writes_nothing(tmp_path: Path) -> None:
    store = PendingStore()
    store.put(_entry())
    assert len(store) == 1 and store.get(_entry().attempt_id) is not None
    assert store.recover() == ([], [])
    assert store.remove(_entry().attempt_id) is not None and len(store) == 0
    assert not list(tmp_path.iterdir())


def test_at_rest_the_personal_data_is_encrypted_and_deleted_when_done(tmp_path: Path) -> None:
    store = _store(tmp_path)
    entry = _entry()
    store.put(entry)
    files = list((tmp_path / "data" / "pending").iterdir())
    assert [f.name for f in files] == [f"{entry.attempt_id}.pending"]
    raw = _all_bytes(tmp_path / "data")
    for secret in (ID, NAME, "Nguy", "1995-08-15", "15081995", "Trần Văn Sơn", "001098012345"):
        assert secret.encode() not in raw and secret.encode().hex().encode() not in raw
    header = files[0].read_bytes().split(b"\n")[0]  # the plain header holds what the log holds: no digit of the ID
    assert b'"masked_id": null' in header and b"1234" not in header and entry.attempt_id.encode() in header
    if os.name == "posix":
        assert files[0].stat().st_mode & 0o777 == 0o600
        assert (tmp_path / "keys" / "pending.key").stat().st_mode & 0o777 == 0o600
    store.record_try(entry.attempt_id)
    assert store.get(entry.attempt_id).tries == 2  # type: ignore[union-attr]
    store.remove(entry.attempt_id)
    assert not list((tmp_path / "data" / "pending").iterdir())


def test_restart_resumes_pending_and_abandons_expired(tmp_path: Path) -> None:
    store = _store(tmp_path)
    live = _entry("aaaaaaaa-0000-4000-8000-000000000001", tries=4)
    old = _entry("aaaaaaaa-0000-4000-8000-000000000002", expires_in_s=60)
    store.put(live)
    store.put(old)
    again = _store(tmp_path)  # the restart
    resumed, abandoned = again.recover(now=NOW + timedelta(seconds=120))
    assert [r.attempt_id for r in resumed] == [live.attempt_id]
    # every field back, personal data included; the masked number is not kept at rest (as in the log)
    assert resumed[0] == dataclasses.replace(live, attempt=dataclasses.replace(live.attempt, masked_id=None))
    assert len(again) == 1
    assert [(a.attempt_id, a.attempt is not None) for a in abandoned] == [(old.attempt_id, True)]
    assert "limit" in abandoned[0].reason
    assert abandoned[0].attempt.masked_id is None  # type: ignore[union-attr]  # never at rest (as in the log)
    assert not (tmp_path / "data" / "pending" / f"{old.attempt_id}.pending").exists()


def test_restart_without_resume_abandons_every_one(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.put(_entry())
    resumed, abandoned = _store(tmp_path).recover(resume=False, now=NOW)
    assert resumed == [] and len(abandoned) == 1 and "not resumed" in abandoned[0].reason
    assert not list((tmp_path / "data" / "pending").glob("*.pending"))


def test_unreadable_files_are_abandoned_not_dropped(tmp_path: Path) -> None:
    store = _store(tmp_path)
    a, b, c = (_entry(f"bbbbbbbb-0000-4000-8000-00000000000{i}") for i in range(3))
    for e in (a, b, c):
        store.put(e)
    folder = tmp_path / "data" / "pending"
    raw = (folder / f"{a.attempt_id}.pending").read_bytes()
    (folder / f"{a.attempt_id}.pending").write_bytes(raw[:-9] + b"00000000\n")  # ciphertext tampered
    (folder / f"{b.attempt_id}.pending").write_bytes(b"\x00garbage")  # header gone
    (folder / f"{c.attempt_id}.pending.tmp").write_bytes(b"half a write")  # a kill mid-write (older versions)
    (folder / f".{c.attempt_id}.pending.x1y2z3.tmp").write_bytes(b"half")  # the temp file write_private_file left
    resumed, abandoned = _store(tmp_path).recover(now=NOW)
    assert [r.attempt_id for r in resumed] == [c.attempt_id]
    by_id = {x.attempt_id: x for x in abandoned}
    assert "decrypted" in by_id[a.attempt_id].reason and by_id[a.attempt_id].attempt is not None
    assert "unreadable" in by_id[b.attempt_id].reason and by_id[b.attempt_id].attempt is None
    assert not list(folder.glob("*.tmp"))


def test_a_changed_key_cannot_read_them(tmp_path: Path) -> None:
    _store(tmp_path).put(_entry())
    resumed, abandoned = _store(tmp_path, key="other.key").recover(now=NOW)
    assert resumed == [] and "decrypted" in abandoned[0].reason


def test_bad_keys_and_key_placement_are_refused(tmp_path: Path) -> None:
    (tmp_path / "short.key").write_bytes(b"x" * 5)
    with pytest.raises(PendingStoreError, match="not a pending-lookup key"):
        PendingStore(tmp_path / "p", tmp_path / "short.key")
    with pytest.raises(PendingStoreError, match="must not be kept in the pending folder"):
        PendingStore(tmp_path / "p", tmp_path / "p" / "k.key")


def test_sigkill_while_writing_leaves_a_readable_entry(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("SIGKILL")
    script = (
        "import sys, dataclasses; sys.path.insert(0, sys.argv[2]); from pathlib import Path\n"
        "import test_pending as t; from kiosk.pending import PendingStore\n"
        "s = PendingStore(Path(sys.argv[1]) / 'data' / 'pending', Path(sys.argv[1]) / 'keys' / 'pending.key')\n"
        "e = t._entry(); print('go', flush=True)\n"
        "n = 1\n"
        "while True:\n"
        "    n += 1; s.put(dataclasses.replace(e, tries=n))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(Path(__file__).parent)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
    time.sleep(0.4)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    resumed, abandoned = _store(tmp_path).recover(now=NOW)
    assert abandoned == [] and len(resumed) == 1 and resumed[0].tries > 2


def test_a_file_that_cannot_be_deleted_does_not_break_the_end_of_a_lookup(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """remove() runs when a late answer came: a file the OS will not delete (Windows: held open by a virus scanner)
    must not raise into the retrier, which would then never tell staff about the answer."""
    store = _store(tmp_path)
    entry = _entry()
    store.put(entry)
    (path,) = (tmp_path / "data" / "pending").glob("*.pending")
    path.unlink()
    path.mkdir()  # cannot be unlinked (a real OS error, even for root)
    (path / "x").write_bytes(b"")
    with caplog.at_level("ERROR", logger="kiosk.pending"):
        assert store.remove(entry.attempt_id) == entry
    assert len(store) == 0 and entry.attempt_id in caplog.text


def test_files_that_cannot_be_deleted_do_not_stop_a_restart(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.put(_entry())
    folder = tmp_path / "data" / "pending"
    for name in ("0b6f0e0e-1111-4222-8333-000000000000.pending", "0b6f0e0e-1111-4222-8333-000000000001.pending.tmp"):
        (folder / name).mkdir()  # neither readable nor deletable as a file (a real OS error, even for root)
        (folder / name / "x").write_bytes(b"")
    resumed, abandoned = _store(tmp_path).recover(now=NOW)
    assert [e.attempt_id for e in resumed] == [_entry().attempt_id]
    assert [a.attempt_id for a in abandoned] == ["0b6f0e0e-1111-4222-8333-000000000000"]
