"""Putting a ticket on paper: an ESC/POS receipt printer (python-escpos: USB, serial or network) or a PDF.

The printer is chosen by the setting ``ticket_printer``::

    ""                                   no printer: each ticket is written as a PDF (``ticket_pdf_dir``)
    usb:VENDOR:PRODUCT                   e.g. usb:0x04b8:0x0202 (hex or decimal ids)
    serial:DEVICE[:BAUD]                 e.g. serial:/dev/ttyUSB0:19200, serial:COM3
    network:HOST[:PORT]                  e.g. network:192.168.1.40 (port 9100 by default)

``ticket_printer_profile`` names the python-escpos printer profile (code pages, paper width); ``default`` prints
Vietnamese through code page TCVN-3, which most receipt printers sold in Vietnam carry. When the printer cannot be
reached the ticket is still issued: its number is on the screen, the PDF is written instead, and the reason is logged.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.tickets.ticket import Ticket, TicketLayout, ticket_lines

log = logging.getLogger("kiosk.tickets")

# TrueType fonts with Vietnamese glyphs, first found wins (Debian: fonts-dejavu-core, installed by scripts/setup.sh)
FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)
_WINDOWS_FONTS = ("arial.ttf", "segoeui.ttf", "tahoma.ttf")


class TicketPrintError(Exception):
    """The ticket could not be printed or written (message for staff)."""


@dataclass(frozen=True)
class PrinterSpec:
    kind: str  # "usb" | "serial" | "network"
    args: tuple[Any, ...]

    @classmethod
    def parse(cls, text: str) -> PrinterSpec | None:
        """The ``ticket_printer`` setting; None for "" (no printer: PDF). ValueError names what is wrong."""
        text = text.strip()
        if not text:
            return None
        kind, _, rest = text.partition(":")
        kind = kind.lower()
        if kind == "usb":
            parts = rest.split(":")
            if len(parts) != 2:
                raise ValueError(f"ticket_printer {text!r}: write usb:VENDOR:PRODUCT, e.g. usb:0x04b8:0x0202")
            try:
                ids = tuple(int(p, 0) for p in parts)
            except ValueError:
                raise ValueError(f"ticket_printer {text!r}: USB ids must be numbers such as 0x04b8") from None
            if not all(0 <= i <= 0xFFFF for i in ids):
                raise ValueError(f"ticket_printer {text!r}: USB ids are 16-bit numbers")
            return cls("usb", ids)
        if kind == "serial":
            device, baud = rest, 9600
            head, sep, tail = rest.rpartition(":")
            if sep and tail.isdigit() and head:
                device, baud = head, int(tail)
            if not device:
                raise ValueError(f"ticket_printer {text!r}: write serial:DEVICE[:BAUD], e.g. serial:/dev/ttyUSB0")
            return cls("serial", (device, baud))
        if kind == "network":
            host, sep, port_text = rest.rpartition(":")
            if not sep:
                host, port_text = rest, "9100"
            if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise ValueError(f"ticket_printer {text!r}: write network:HOST[:PORT], e.g. network:192.168.1.40")
            return cls("network", (host, int(port_text)))
        raise ValueError(f"ticket_printer {text!r}: must start with usb:, serial: or network: (or be empty for PDF)")


def open_printer(spec: PrinterSpec, profile: str = "default", timeout_s: float = 5.0) -> Any:
    """A python-escpos printer for ``spec`` (the connection is opened on first use)."""
    from escpos import printer

    kwargs: dict[str, Any] = {} if profile in ("", "default") else {"profile": profile}
    if spec.kind == "usb":
        return printer.Usb(spec.args[0], spec.args[1], timeout=int(timeout_s * 1000), **kwargs)
    if spec.kind == "serial":
        return printer.Serial(devfile=spec.args[0], baudrate=spec.args[1], timeout=timeout_s, **kwargs)
    return printer.Network(host=spec.args[0], port=spec.args[1], timeout=timeout_s, **kwargs)


def render_escpos(printer: Any, ticket: Ticket, layout: TicketLayout) -> None:
    """Send the ticket to a python-escpos printer (any Escpos: Usb, Serial, Network, Dummy) and cut the paper."""
    for line in ticket_lines(ticket, layout):
        if line.large:
            printer.set(align="center", bold=True, custom_size=True, width=4, height=4)
        else:
            printer.set(align="center", bold=line.bold, normal_textsize=True)
        printer.textln(line.text)
    printer.set(normal_textsize=True)
    printer.cut()


def find_font(configured: Path | None = None) -> Path:
    """A TrueType font with Vietnamese glyphs for the PDF."""
    candidates: list[Path] = [configured] if configured is not None else []
    candidates += [Path(p) for p in FONT_CANDIDATES]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        candidates += [windir / name for name in _WINDOWS_FONTS]
    for path in candidates:
        if path.is_file():
            return path
    raise TicketPrintError("no TrueType font with Vietnamese letters found for ticket PDFs; install fonts-dejavu-core "
                           "or set ticket_pdf_font")


PDF_PAGE_MM = (80.0, 100.0)  # a receipt-sized page: prints the same on a roll printer's PDF driver or on A4


def write_pdf(ticket: Ticket, layout: TicketLayout, path: Path, font: Path | None = None) -> Path:
    """Write the ticket as a one-page PDF at ``path`` (atomically: a reader never sees half a file)."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format=PDF_PAGE_MM)
    pdf.set_auto_page_break(False)
    pdf.set_margins(5, 6, 5)
    pdf.add_page()
    pdf.add_font("ticket", "", str(find_font(font)))
    pdf.set_title(f"Số thứ tự {ticket.number_text}")
    for line in ticket_lines(ticket, layout):
        pdf.set_font("ticket", size=44 if line.large else (15 if line.bold else 12))
        pdf.cell(0, 20 if line.large else 8, line.text, align="C", new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


@dataclass(frozen=True)
class PrintResult:
    printed: bool  # on the receipt printer
    pdf: Path | None  # the PDF written (no printer, or the printer failed)
    error: str | None  # why the printer was not used, for staff and the log


class TicketPrinter:
    """Issues tickets to the configured printer, else to a PDF per ticket in ``pdf_dir``."""

    def __init__(
        self,
        spec: PrinterSpec | None,
        pdf_dir: Path,
        layout: TicketLayout | None = None,
        *,
        profile: str = "default",
        font: Path | None = None,
        printer_factory: Callable[[PrinterSpec, str], Any] = open_printer,
    ) -> None:
        self.spec = spec
        self.pdf_dir = pdf_dir
        self.layout = layout or TicketLayout()
        self.profile = profile
        self.font = font
        self._factory = printer_factory

    def pdf_path(self, ticket: Ticket) -> Path:
        day = ticket.issued_at.astimezone().strftime("%Y-%m-%d")
        return self.pdf_dir / f"ticket-{ticket.facility_code}-{day}-{ticket.number_text}.pdf"

    def issue(self, ticket: Ticket) -> PrintResult:
        error: str | None = None
        if self.spec is not None:
            try:
                printer = self._factory(self.spec, self.profile)
                try:
                    render_escpos(printer, ticket, self.layout)
                finally:
                    printer.close()  # (every python-escpos printer has close())
                return PrintResult(printed=True, pdf=None, error=None)
            except Exception as exc:  # escpos raises its own errors, OSError, usb.core.USBError, serial errors
                error = f"ticket printer {self.spec.kind} failed: {type(exc).__name__}: {exc}"
                log.error("%s; writing ticket %s as a PDF instead", error, ticket.number_text)
        try:
            path = write_pdf(ticket, self.layout, self.pdf_path(ticket), self.font)
        except (OSError, TicketPrintError) as exc:
            message = f"ticket PDF not written: {exc}"
            log.error(message)
            return PrintResult(printed=False, pdf=None, error="; ".join(filter(None, [error, message])))
        return PrintResult(printed=False, pdf=path, error=error)
