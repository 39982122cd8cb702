"""Where the project's data files live (``assets/``: WeChat QR models, demo images).

Source checkouts and editable installs find ``assets/`` beside the ``scanner`` package; a wheel installs it
to ``<sys.prefix>/share/bhyt-kiosk/assets`` (``pyproject.toml``, data-files), which is tried last. Anything else
(a frozen app) points ``BHYT_KIOSK_ASSETS`` at a copy of that folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "BHYT_KIOSK_ASSETS"


def _candidates() -> list[Path]:
    found: list[Path] = []
    env = os.environ.get(ENV_VAR)
    if env:
        found.append(Path(env))
    found.append(Path(__file__).resolve().parent.parent / "assets")
    found.append(Path(sys.prefix) / "share" / "bhyt-kiosk" / "assets")
    return found


def assets_dir() -> Path:
    """The project's ``assets/`` folder. Raises FileNotFoundError (naming the places tried) when there is none."""
    tried = _candidates()
    for path in tried:
        if path.is_dir():
            return path
    raise FileNotFoundError(f"assets folder not found (set {ENV_VAR}); tried: {', '.join(str(p) for p in tried)}")


def models_dir() -> Path:
    """``assets/models`` (WeChat QR detector and super-resolution models)."""
    return assets_dir() / "models"
