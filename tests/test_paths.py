"""Private files (keys, secrets, settings with the PIN hash): owner-only from the first byte, replaced atomically."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.paths import write_private_file

OLD = b"old contents, readable by everyone\n"
SECRET = b"-----BEGIN PRIVATE KEY-----\nsecret\n"


def test_a_new_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "kiosk.key.pem"
    write_private_file(path, SECRET)
    assert path.read_bytes() == SECRET
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_overwriting_a_world_readable_file_never_exposes_the_secret(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.key.pem"
    path.write_bytes(OLD)
    path.chmod(0o644)
    # Another user opened the file while it was world-readable (or opens it in the moment before the mode is
    # narrowed): whatever is written into that same file can be read through the open handle.
    with path.open("rb") as attacker:
        write_private_file(path, SECRET)
        assert attacker.read() == OLD
    assert path.read_bytes() == SECRET
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE and SIGXFSZ")
def test_a_write_that_fails_midway_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(OLD)
    # A real failing write: the file-size limit lets the first 100 bytes reach the disk, then the kernel refuses
    # (EFBIG), as a full disk would.
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from kiosk.paths import write_private_file\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))\n"
        "try:\n"
        "    write_private_file(Path(sys.argv[1]), b'x' * 100_000)\n"
        "except OSError as exc:\n"
        "    print(exc.errno)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(errno.EFBIG)]
    assert path.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # the partial temporary file is removed
