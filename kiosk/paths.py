"""Where the kiosk keeps its files, per platform (platformdirs): config, data (lookup log, secrets), keys.

Every location can be moved with ``BHYT_KIOSK_HOME`` (tests, portable installs): then config, data and
keys all live under that one folder.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from platformdirs import PlatformDirs

APP_NAME = "bhyt-kiosk"
_dirs = PlatformDirs(APP_NAME, appauthor=False)


def _folder(under_home: str, platform_folder: str) -> Path:
    home = os.environ.get("BHYT_KIOSK_HOME")
    return Path(home) / under_home if home else Path(platform_folder)


def config_dir() -> Path:
    return _folder("config", _dirs.user_config_dir)


def data_dir() -> Path:
    return _folder("data", _dirs.user_data_dir)


def log_dir() -> Path:
    """Where the app writes its own log file (start-up, configuration and device problems)."""
    return _folder("logs", _dirs.user_log_dir)


def default_config_file() -> Path:
    return config_dir() / "kiosk.toml"


def default_log_db() -> Path:
    return data_dir() / "lookups.db"


def default_keys_dir() -> Path:
    return data_dir() / "keys"


# write_private_file's temporary files end so (a folder's owner may delete the ones a kill left behind)
TEMP_SUFFIX = ".tmp"


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``path`` readable by its owner only (mode 0600 where the platform has modes), atomically.

    The data goes to a new temporary file in the same folder (``mkstemp`` creates it 0600), which then replaces
    ``path``: the secret never sits in a file with a wider mode (an existing 0644 file is replaced, not rewritten),
    and a crash or a full disk mid-write leaves the old file as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_file(path: Path, what: str, error: type[Exception], *, binary: bool = False) -> Any:
    """The contents of ``path`` (UTF-8 text, or bytes), or ``error`` saying which file and what went wrong:
    ``"<path>: <what> not found"``, ``"... is not UTF-8 text"``, ``"cannot read <what> (<reason>)"``."""
    try:
        return path.read_bytes() if binary else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except UnicodeDecodeError:
        raise error(f"{path}: {what} is not UTF-8 text") from None
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
