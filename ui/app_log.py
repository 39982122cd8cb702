"""The app's log: the terminal and a rotating file in the platform's log folder (``BHYT_KIOSK_HOME/logs``).

IT reads it when a kiosk is out of service: what was started (demo or service, camera, lookup log), and every
configuration or device problem with the exact error. No personal data goes here (the pipeline masks it).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from kiosk import paths

LOG_FILE = "bhyt-kiosk.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to stderr and to :func:`log_file` (1 MB x 3 files). Returns the file, or None if it cannot be
    written (then only the terminal gets the log, and says why)."""
    root = logging.getLogger()
    root.setLevel(level)
    if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
               for h in root.handlers):
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(console)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise on a kiosk
    path = log_file()
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path.resolve():
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError as exc:
        logging.getLogger(__name__).warning("app log file %s cannot be written: %s", path, exc)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return path
