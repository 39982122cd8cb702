"""Partial dates as printed on Vietnamese ID and health-insurance cards.

A card may give the full date of birth (``ddMMyyyy``), only month and year (``MMyyyy``) or only the
year (``yyyy``). :class:`PartialDate` keeps what is known and nothing more: impossible dates such as
31/02 are rejected, never rolled over.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from scanner.masking import redact_numbers

_DIGITS = re.compile(r"[0-9]+")
_ISO = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?")
_SLASHED = re.compile(r"(?:(?P<d>[0-9]{1,2})/)?(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})")

MIN_YEAR = 1
MAX_YEAR = 9999


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date that may lack the day, or the day and the month.

    Ordering compares (year, month, day) with a missing part sorting before any known one, so
    ``1998 < 08/1998 < 15/08/1998 < 09/1998``.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        for name in ("year", "month", "day"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise TypeError(f"{name} must be an int or None, got {type(value).__name__}")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"year {self.year} is out of range {MIN_YEAR}..{MAX_YEAR}")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a date with a day must also have a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"day {self.day} does not exist in {self.month:02d}/{self.year:04d}")

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def parse_card(cls, text: str) -> PartialDate:
        """Parse the card form: 'ddMMyyyy', 'MMyyyy' or 'yyyy' (ASCII digits only)."""
        if not isinstance(text, str) or not _DIGITS.fullmatch(text):
            raise ValueError(f"not a card date (ddMMyyyy, MMyyyy or yyyy): {_shown(text)}")
        if len(text) == 8:
            return cls(int(text[4:]), int(text[2:4]), int(text[:2]))
        if len(text) == 6:
            return cls(int(text[2:]), int(text[:2]))
        if len(text) == 4:
            return cls(int(text))
        raise ValueError(f"a card date has 8, 6 or 4 digits, got {len(text)}: {_shown(text)}")

    @classmethod
    def parse_iso(cls, text: str) -> PartialDate:
        """Parse 'yyyy-MM-dd', 'yyyy-MM' or 'yyyy'."""
        match = _ISO.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"not an ISO date (yyyy-MM-dd, yyyy-MM or yyyy): {_shown(text)}")
        return cls._from_match(match)

    @classmethod
    def parse_any(cls, text: str) -> PartialDate:
        """Parse ISO, card form, or the Vietnamese display form 'dd/MM/yyyy' / 'MM/yyyy' (also d/M/yyyy).

        Surrounding whitespace is ignored (manual entry).
        """
        if not isinstance(text, str):
            raise ValueError(f"not a date: {_shown(text)}")
        stripped = text.strip()
        if "-" in stripped:
            return cls.parse_iso(stripped)
        if "/" in stripped:
            match = _SLASHED.fullmatch(stripped)
            if match is None:
                raise ValueError(f"not a date (dd/MM/yyyy, MM/yyyy or yyyy): {_shown(text)}")
            return cls._from_match(match)
        return cls.parse_card(stripped)

    @classmethod
    def from_date(cls, value: datetime.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @classmethod
    def _from_match(cls, match: re.Match[str]) -> PartialDate:
        month = match.group("m")
        day = match.group("d")
        return cls(int(match.group("y")), int(month) if month else None, int(day) if day else None)

    # -- formatting -----------------------------------------------------------------------------

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def card(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.month:02d}{self.year:04d}"
        return f"{self.day:02d}{self.month:02d}{self.year:04d}"

    def display(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.month:02d}/{self.year:04d}"
        return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()

    # -- range ----------------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        return self.day is not None

    def earliest(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> datetime.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return datetime.date(self.year, month, day)

    def to_date(self) -> datetime.date:
        """The exact date; ValueError when the day or month is unknown."""
        if not self.complete:
            raise ValueError(f"incomplete date {self.iso()} has no single calendar date")
        return self.earliest()

    # -- ordering (the other comparisons come from functools.total_ordering) ----------------------

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()


def _shown(text: object) -> str:
    """What a date error may echo of its input: quoted, with long digit runs (an ID number?) masked."""
    return redact_numbers(repr(text)) if isinstance(text, str) else type(text).__name__
