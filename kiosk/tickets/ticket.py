"""What a queue ticket says, and which of it the facility chose to print.

A ticket carries no personal data beyond what the facility configures: by default the number, the time, the counter
and the BHYT status ("BHYT: đã kiểm tra" once the service answered, "BHYT: chờ kiểm tra" while the lookup is pending
or after a failure the desk must handle). A facility may add its name and the masked ID number (``••••••••1234``);
never the full number or the name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class BhytStatus(StrEnum):
    CHECKED = "checked"  # the service gave a definitive answer
    WAITING = "waiting"  # pending in the background, or the desk must check

    @property
    def text(self) -> str:
        return "BHYT: đã kiểm tra" if self is BhytStatus.CHECKED else "BHYT: chờ kiểm tra"


class TicketField(StrEnum):
    NUMBER = "number"
    TIME = "time"
    COUNTER = "counter"
    BHYT_STATUS = "bhyt_status"
    FACILITY = "facility"
    MASKED_ID = "masked_id"


@dataclass(frozen=True)
class TicketLayout:
    """The fields printed, in this order (the setting ``ticket_fields``: comma-separated names)."""

    fields: tuple[TicketField, ...] = (TicketField.NUMBER, TicketField.TIME, TicketField.COUNTER,
                                       TicketField.BHYT_STATUS)

    @classmethod
    def parse(cls, text: str) -> TicketLayout:
        names = [part.strip() for part in text.split(",") if part.strip()]
        if not names:
            return cls()
        known = ", ".join(f.value for f in TicketField)
        fields: list[TicketField] = []
        for name in names:
            try:
                field = TicketField(name)
            except ValueError:
                raise ValueError(f"unknown ticket field {name!r}; choose from {known}") from None
            if field not in fields:
                fields.append(field)
        if TicketField.NUMBER not in fields:
            raise ValueError("a ticket must show its number ('number' in ticket_fields)")
        return cls(tuple(fields))


@dataclass(frozen=True)
class Ticket:
    number: int
    facility_code: str
    issued_at: datetime  # timezone-aware; printed in the kiosk's local time
    counter: str
    bhyt_status: BhytStatus
    facility_name: str = ""
    masked_id: str | None = None
    attempt_id: str | None = None  # links the ticket to the lookup (never printed)

    @property
    def number_text(self) -> str:
        return f"{self.number:04d}"


@dataclass(frozen=True)
class TicketLine:
    text: str
    large: bool = False  # the number: as big as the printer/page allows
    bold: bool = False


def ticket_lines(ticket: Ticket, layout: TicketLayout) -> list[TicketLine]:
    """The ticket's lines in the layout's order (one source for the printer, the PDF and the screen)."""
    lines: list[TicketLine] = []
    for field in layout.fields:
        if field is TicketField.NUMBER:
            lines.append(TicketLine(ticket.number_text, large=True, bold=True))
        elif field is TicketField.TIME:
            lines.append(TicketLine(ticket.issued_at.astimezone().strftime("%H:%M  %d/%m/%Y")))
        elif field is TicketField.COUNTER and ticket.counter:
            lines.append(TicketLine(f"Quầy {ticket.counter}", bold=True))
        elif field is TicketField.BHYT_STATUS:
            lines.append(TicketLine(ticket.bhyt_status.text))
        elif field is TicketField.FACILITY and (ticket.facility_name or ticket.facility_code):
            lines.append(TicketLine(ticket.facility_name or ticket.facility_code))
        elif field is TicketField.MASKED_ID and ticket.masked_id:
            lines.append(TicketLine(ticket.masked_id))
    return lines
