"""Fonts, colours and sizes: the default and the high-contrast theme, scaled by the config's font_scale.

The style sheet template is ``assets/styles/kiosk.qss``; ``@NAME@`` placeholders are filled from a palette
here. The app font must have Vietnamese glyphs: DejaVu Sans / Noto Sans on Linux, Segoe UI on Windows.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from ui.assets import icons_dir, styles_dir

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
BASE_FONT_PX = 18  # staff texts (reception, dialogs)
# Patient texts at a kiosk, on a 1080-line screen (scaled with the screen): read at arm's length by the elderly.
KIOSK_BODY_PX = 28
KIOSK_HEADING_PX = 40
TOUCH_MM = 9.0  # smallest touch target
# Vietnamese capitals stack two marks above the letter (Ễ, Ỗ, Ấ, Ừ): they reach about 0.14 em above the
# font's ascent (DejaVu Sans; Noto and Segoe UI are similar). Every text gets that much room on top.
STACK_EM = 0.2
BELOW_EM = 0.1  # and a dot below a bold capital (Ợ, Ậ) reaches a little under the descent
FONT_FAMILIES = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Arial", "Tahoma")


def mm_to_px(mm: float, dpi: float) -> int:
    return math.ceil(mm / 25.4 * dpi)


def stack_room(px: int) -> int:
    """Room above a line of ``px``-pixel text for stacked diacritics."""
    return math.ceil(px * STACK_EM)


@dataclass(frozen=True)
class Theme:
    high_contrast: bool = False
    font_scale: float = 1.0
    screen_scale: float = 1.0  # the screen's size against 1920x1080 (kiosk texts follow it)
    dpi: float = 96.0  # the screen's physical dots per inch (touch targets in mm)

    @property
    def palette_name(self) -> str:
        return "high-contrast" if self.high_contrast else "default"

    def font_px(self, factor: float = 1.0) -> int:
        return max(8, round(BASE_FONT_PX * self.font_scale * factor))

    def kiosk_px(self, base: int) -> int:
        return max(8, round(base * self.screen_scale * self.font_scale))

    def touch_px(self) -> int:
        return mm_to_px(TOUCH_MM, self.dpi)

    def style_sheet(self) -> str:
        template = (styles_dir() / "kiosk.qss").read_text(encoding="utf-8")
        values = dict(PALETTES[self.palette_name])
        sizes = {
            "FONT": self.font_px(),
            "FONT_L": self.font_px(1.4),
            "FONT_XL": self.font_px(1.9),
            "K_BODY": self.kiosk_px(KIOSK_BODY_PX),
            "K_HEAD": self.kiosk_px(KIOSK_HEADING_PX),
        }
        for name, px in list(sizes.items()):
            sizes["PAD_" + name] = stack_room(px)
            sizes["PADB_" + name] = math.ceil(px * BELOW_EM)
        touch = self.touch_px()
        sizes.update(
            TOUCH=max(touch, 48, self.font_px(3.2)),
            TOUCH_W=max(touch, 96, self.font_px(6)),
            K_TOUCH=max(touch, round(sizes["K_BODY"] * 2.4)),
            K_TOUCH_W=max(touch, round(sizes["K_BODY"] * 6)),
            FIELD_H=max(self.font_px(1.6), self.font_px() + stack_room(self.font_px()) + 6),
            SPIN_W=max(24, self.font_px(1.5)),
            CHECK=max(16, self.font_px(1.1)),
        )
        values.update({name: str(px) for name, px in sizes.items()})
        values.update(ICONS=icons_dir().as_posix(), PALETTE=self.palette_name)
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


def for_screen(theme: Theme) -> Theme:
    """``theme`` sized for the primary screen (kiosk texts scale with a 1920x1080 screen; touch sizes in mm)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return theme
    size = screen.geometry()
    scale = min(size.width() / 1920, size.height() / 1080)
    dpi = screen.physicalDotsPerInch()
    return replace(theme, screen_scale=max(0.5, min(scale, 3.0)), dpi=dpi if 50 <= dpi <= 600 else 96.0)


def apply_theme(app: QApplication, theme: Theme) -> None:
    font = QFont(pick_font_family())
    font.setPixelSize(theme.font_px())
    app.setFont(font)
    app.setStyleSheet(theme.style_sheet())


def centred_label(object_name: str = "") -> QLabel:
    """A centred, word-wrapped label (the style sheet sizes it by ``object_name``)."""
    label = QLabel(objectName=object_name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
