"""Fonts, colours and sizes: the default and the high-contrast theme, scaled by the config's font_scale.

The style sheet template is ``assets/styles/kiosk.qss``; ``@NAME@`` placeholders are filled from a palette
here. The app font must have Vietnamese glyphs: DejaVu Sans / Noto Sans on Linux, Segoe UI on Windows.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ui.assets import styles_dir

PALETTES: dict[str, dict[str, str]] = {
    "default": {
        "FG": "#1b1f24", "BG": "#f4f6f8", "MUTED": "#5b6570", "FIELD": "#ffffff", "BORDER": "#b8c2cc",
        "FOCUS": "#1565c0", "BUTTON": "#e3e8ee", "BUTTON_FG": "#1b1f24", "BUTTON_PRESSED": "#c9d2dc",
        "PRIMARY": "#1565c0", "ON_PRIMARY": "#ffffff", "HINT_BG": "#fff3c4", "HINT_FG": "#4a3800",
        "GREEN": "#2e7d32", "ON_GREEN": "#ffffff", "AMBER": "#f9a825", "ON_AMBER": "#1b1f24",
        "RED": "#c62828", "ON_RED": "#ffffff", "GREY": "#616161", "ON_GREY": "#ffffff", "ERROR_FG": "#b71c1c",
    },
    "high-contrast": {
        "FG": "#ffffff", "BG": "#000000", "MUTED": "#e0e0e0", "FIELD": "#000000", "BORDER": "#ffffff",
        "FOCUS": "#ffff00", "BUTTON": "#000000", "BUTTON_FG": "#ffffff", "BUTTON_PRESSED": "#333333",
        "PRIMARY": "#ffff00", "ON_PRIMARY": "#000000", "HINT_BG": "#ffff00", "HINT_FG": "#000000",
        "GREEN": "#00e676", "ON_GREEN": "#000000", "AMBER": "#ffd600", "ON_AMBER": "#000000",
        "RED": "#ff5252", "ON_RED": "#000000", "GREY": "#ffffff", "ON_GREY": "#000000", "ERROR_FG": "#ff8a80",
    },
}

# Banner colours also used when painting (the preview's guide frame).
GUIDE_COLOUR = "#ffeb3b"
BASE_FONT_PX = 18
FONT_FAMILIES = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Arial", "Tahoma")


@dataclass(frozen=True)
class Theme:
    high_contrast: bool = False
    font_scale: float = 1.0

    @property
    def palette_name(self) -> str:
        return "high-contrast" if self.high_contrast else "default"

    def font_px(self, factor: float = 1.0) -> int:
        return max(8, round(BASE_FONT_PX * self.font_scale * factor))

    def style_sheet(self) -> str:
        template = (styles_dir() / "kiosk.qss").read_text(encoding="utf-8")
        values = dict(PALETTES[self.palette_name])
        values.update(
            FONT=str(self.font_px()),
            FONT_L=str(self.font_px(1.4)),
            FONT_XL=str(self.font_px(1.9)),
            TOUCH=str(max(48, self.font_px(3.2))),
            TOUCH_W=str(max(96, self.font_px(6))),
            FIELD_H=str(self.font_px(1.6)),
        )
        for name in sorted(values, key=len, reverse=True):
            template = template.replace(f"@{name}@", values[name])
        return template


def pick_font_family() -> str:
    """The first installed family that has Vietnamese glyphs (Qt falls back per glyph anyway)."""
    families = set(QFontDatabase.families())
    preferred = ("Segoe UI", *FONT_FAMILIES) if sys.platform == "win32" else FONT_FAMILIES
    for family in preferred:
        if family in families:
            return family
    return QApplication.font().family()


def apply_theme(app: QApplication, theme: Theme) -> None:
    font = QFont(pick_font_family())
    font.setPixelSize(theme.font_px())
    app.setFont(font)
    app.setStyleSheet(theme.style_sheet())
