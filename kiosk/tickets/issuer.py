"""Issuing a queue ticket: the next number, then the receipt printer or a PDF (what the settings say).

Called off the GUI thread (printing can wait on a slow printer). A ticket is issued whatever the printer does:
its number exists once taken, the screen shows it, and a printer failure falls back to a PDF with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.config import KioskConfig
from kiosk.tickets.numbers import TicketCounter
from kiosk.tickets.printing import PrinterSpec, PrintResult, TicketPrinter
from kiosk.tickets.ticket import BhytStatus, Ticket, TicketLayout


@dataclass(frozen=True)
class IssuedTicket:
    ticket: Ticket
    printed: PrintResult


class TicketIssuer:
    def __init__(self, config: KioskConfig, counter: TicketCounter | None = None) -> None:
        self.config = config
        self.layout = TicketLayout.parse(config.ticket_fields)
        self._counter = counter if counter is not None else TicketCounter()
        self._printer = TicketPrinter(PrinterSpec.parse(config.ticket_printer), config.effective_ticket_pdf_dir,
                                      self.layout, profile=config.ticket_printer_profile, font=config.ticket_pdf_font)

    def issue(self, status: BhytStatus, *, attempt_id: str | None = None, masked_id: str | None = None,
              now: datetime | None = None) -> IssuedTicket:
        when = now or datetime.now(UTC)
        facility = self.config.facility_code or "00000"
        number = self._counter.next_number(facility, when.astimezone().date())
        ticket = Ticket(number=number, facility_code=facility, issued_at=when, counter=self.config.ticket_counter,
                        bhyt_status=status, facility_name=self.config.facility_name, masked_id=masked_id,
                        attempt_id=attempt_id)
        return IssuedTicket(ticket, self._printer.issue(ticket))

    def close(self) -> None:
        self._counter.close()
