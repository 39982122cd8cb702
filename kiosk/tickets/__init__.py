"""Queue tickets: numbers sequential per facility and day, printed on a receipt printer or written as a PDF."""

from kiosk.tickets.numbers import TicketCounter
from kiosk.tickets.ticket import BhytStatus, Ticket, TicketField, TicketLayout, ticket_lines

__all__ = ["BhytStatus", "Ticket", "TicketCounter", "TicketField", "TicketLayout", "ticket_lines"]
