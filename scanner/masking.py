"""Masking of personal data for logs, error messages and screens that staff may photograph.

The full CCCD number, name and address never go to logs or databases; these helpers give the
masked forms (the number keeps its length, so a masked number still looks like a number).
"""

from __future__ import annotations

import re

BULLET = "\u2022"
MAX_SHOWN_DIGITS = 4
_DIGIT_RUN = re.compile(rf"\d{{{MAX_SHOWN_DIGITS + 1},}}")


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


def redact_numbers(text: str) -> str:
    """Mask every run of more than 4 digits but its last 4: ``'date 027175771512 bad'`` -> ``'date ••••••••1512 bad'``.

    For any message that may echo what was typed or scanned (a field that holds an ID number by mistake): no
    message shows more than 4 consecutive digits of anything. Any Unicode digit counts (full-width digits too).
    """
    return _DIGIT_RUN.sub(lambda m: mask_id(m.group(), MAX_SHOWN_DIGITS), text)
