"""Masking of personal data for logs, error messages and screens that staff may photograph.

The full CCCD number, name and address never go to logs or databases; these helpers give the
masked forms (the number keeps its length, so a masked number still looks like a number).
"""

from __future__ import annotations

BULLET = "\u2022"


def mask_id(number: str, visible: int = 4) -> str:
    """Replace all but the last ``visible`` characters with bullets: '027195001234' -> '••••••••1234'.

    A number no longer than ``visible`` is masked completely (a 4-character "number" is not a number
    whose tail can be shown safely).
    """
    if visible < 0:
        raise ValueError(f"visible must be >= 0, got {visible}")
    if len(number) <= visible:
        return BULLET * len(number)
    if visible == 0:
        return BULLET * len(number)
    return BULLET * (len(number) - visible) + number[-visible:]


def mask_name(name: str) -> str:
    """Initials only: 'Nguyễn Thị Minh Châu' -> 'N. T. M. C.' (empty for an empty name)."""
    return " ".join(f"{word[0]}." for word in name.split())
