"""Where the UI's own files live: style sheets, icons, sounds and translations (``assets/styles``, ``icons``,
``sounds``, ``i18n``).

The ``assets/`` folder itself is found by :func:`scanner.assets.assets_dir` (checkout, wheel prefix or
``BHYT_KIOSK_ASSETS``); the scanner only needs its models and demo images from it, the UI names its own folders here.
"""

from __future__ import annotations

from pathlib import Path

from scanner.assets import assets_dir


def styles_dir() -> Path:
    return assets_dir() / "styles"


def icons_dir() -> Path:
    return assets_dir() / "icons"


def sounds_dir() -> Path:
    return assets_dir() / "sounds"


def translations_dir() -> Path:
    return assets_dir() / "i18n"
