"""Queue tickets: numbers, ESC/POS bytes (python-escpos Dummy and a real network socket), PDFs."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from threads import run_in_threads

from kiosk.tickets import BhytStatus, Ticket, TicketCounter, TicketField, TicketLayout
from kiosk.tickets.printing import PrinterSpec, TicketPrinter, open_printer, render_escpos, write_pdf

DAY = date(2026, 12, 6)


def escpos_bytes(ticket: Ticket, layout: TicketLayout) -> bytes:
    """The exact bytes a printer receives for this ticket (python-escpos's Dummy printer, default profile)."""
    from escpos.printer import Dummy

    dummy = Dummy()
    render_escpos(dummy, ticket, layout)
    return bytes(dummy.output)


def _ticket(number: int = 42, status: BhytStatus = BhytStatus.WAITING, **extra: object) -> Ticket:
    return Ticket(number=number, facility_code="27001", issued_at=datetime(2026, 12, 6, 1, 30, tzinfo=UTC),
                  counter="3", bhyt_status=status, **extra)  # type: ignore[arg-type]


# --------------------------------------------------------------------- numbers


def test_numbers_are_sequential_per_facility_and_day_and_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "tickets.db"
    with TicketCounter(db) as counter:
        assert [counter.next_number("27001", DAY) for _ in range(3)] == [1, 2, 3]
        assert counter.next_number("27002", DAY) == 1
        assert counter.next_number("27001", date(2026, 12, 7)) == 1
    with TicketCounter(db) as counter:  # a restart continues the day
        assert counter.next_number("27001", DAY) == 4


def test_threads_and_processes_never_share_a_number(tmp_path: Path) -> None:
    db = tmp_path / "tickets.db"
    script = (
        "import sys; from datetime import date; from pathlib import Path; from kiosk.tickets import TicketCounter\n"
        "c = TicketCounter(Path(sys.argv[1]))\n"
        "print(' '.join(str(c.next_number('27001', date(2026, 12, 6))) for _ in range(40)))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    counter = TicketCounter(db)
    taken = run_in_threads(lambda: [counter.next_number("27001", DAY) for _ in range(40)], 4)
    numbers = [n for got in taken for n in got]
    for p in procs:
        out, _ = p.communicate(timeout=60)
        assert p.returncode == 0
        numbers.extend(int(n) for n in out.split())
    counter.close()
    assert sorted(numbers) == list(range(1, 241))


def test_unusable_number_file_is_a_clear_error(tmp_path: Path) -> None:
    from kiosk.tickets.numbers import TicketNumberError

    bad = tmp_path / "tickets.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(TicketNumberError, match=r"tickets\.db"):
        TicketCounter(bad)


# --------------------------------------------------------------------- layout


def test_layout_setting() -> None:
    assert TicketLayout.parse("").fields == TicketLayout().fields
    layout = TicketLayout.parse("number, bhyt_status,number,masked_id")
    assert layout.fields == (TicketField.NUMBER, TicketField.BHYT_STATUS, TicketField.MASKED_ID)
    with pytest.raises(ValueError, match="unknown ticket field 'name'"):
        TicketLayout.parse("number,name")
    with pytest.raises(ValueError, match="number"):
        TicketLayout.parse("time,counter")


# --------------------------------------------------------------------- ESC/POS bytes

# ESC/POS (Epson "ESC/POS Command Reference"): GS ! n character size (0x33: 4x wide, 4x high), ESC E bold,
# ESC a 1 centred, ESC t 30 code page TCVN-3 (Vietnamese), GS V 0 cut after ESC d 6 feed.
# TCVN-3 (TCVN 5712:1993): ờ = 0xE8, ể = 0xD3, ầ = 0xC7, đ = 0xAE, ã = 0xB7.


def test_printer_bytes_default_ticket() -> None:
    data = escpos_bytes(_ticket(), TicketLayout())
    assert data.startswith(b"\x1d!\x33\x1bE\x01\x1ba\x01")  # the number: 4x4, bold, centred
    assert b"0042\n" in data
    local = datetime(2026, 12, 6, 1, 30, tzinfo=UTC).astimezone()  # printed in the kiosk's local time
    assert local.strftime("%H:%M  %d/%m/%Y\n").encode() in data
    assert b"Qu\x1bt\x1e\xc7y 3\n" in data  # "Quầy 3" through code page 30 (TCVN-3)
    assert b"BHYT: ch\xea ki\xd3m tra\n" in data  # "BHYT: chờ kiểm tra"
    assert data.endswith(b"\x1bd\x06\x1dV\x00")  # feed and cut
    checked = escpos_bytes(_ticket(status=BhytStatus.CHECKED), TicketLayout())
    assert b"BHYT: \xae\xb7 ki\xd3m tra\n" in checked  # "BHYT: đã kiểm tra"


def test_printer_bytes_carry_only_configured_fields() -> None:
    ticket = _ticket(masked_id="••••••••2345", facility_name="TTYT Từ Sơn", attempt_id="a-1")
    default = escpos_bytes(ticket, TicketLayout())
    assert b"2345" not in default and b"TTYT" not in default and b"a-1" not in default
    chosen = escpos_bytes(ticket, TicketLayout.parse("number,masked_id"))
    assert b"2345" in chosen and b"06/12/2026" not in chosen and b"BHYT" not in chosen


def test_network_printer_receives_the_same_bytes(tmp_path: Path) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received = bytearray()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=serve)
    thread.start()
    spec = PrinterSpec.parse(f"network:127.0.0.1:{port}")
    result = TicketPrinter(spec, tmp_path / "pdf").issue(_ticket())
    thread.join(10)
    server.close()
    assert result.printed and result.pdf is None and result.error is None
    assert bytes(received) == escpos_bytes(_ticket(), TicketLayout())
    assert not (tmp_path / "pdf").exists()


def test_unreachable_printer_still_issues_the_ticket_as_pdf(tmp_path: Path) -> None:
    free = socket.create_server(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()  # nothing listens there now
    printer = TicketPrinter(PrinterSpec.parse(f"network:127.0.0.1:{port}"), tmp_path / "pdf",
                            printer_factory=lambda spec, profile: open_printer(spec, profile, timeout_s=2))
    result = printer.issue(_ticket())
    assert not result.printed
    assert result.error is not None and "network" in result.error
    assert result.pdf is not None and result.pdf.is_file()


@pytest.mark.parametrize(
    ("text", "kind", "args"),
    [
        ("usb:0x04b8:0x0202", "usb", (0x04B8, 0x0202)),
        ("serial:/dev/ttyUSB0", "serial", ("/dev/ttyUSB0", 9600)),
        ("serial:COM3:19200", "serial", ("COM3", 19200)),
        ("network:192.168.1.40", "network", ("192.168.1.40", 9100)),
        ("network:printer.local:9101", "network", ("printer.local", 9101)),
    ],
)
def test_printer_setting(text: str, kind: str, args: tuple[object, ...]) -> None:
    spec = PrinterSpec.parse(text)
    assert spec is not None and (spec.kind, spec.args) == (kind, args)


@pytest.mark.parametrize("text", ["usb:04b8", "usb:x:y", "usb:0x1ffff:1", "serial:", "network:", "network:h:0",
                                  "lpt:1"])
def test_bad_printer_setting(text: str) -> None:
    with pytest.raises(ValueError, match="ticket_printer"):
        PrinterSpec.parse(text)
    assert PrinterSpec.parse("  ") is None


# --------------------------------------------------------------------- PDF


def test_pdf_ticket_reads_back_in_vietnamese(tmp_path: Path) -> None:
    printer = TicketPrinter(None, tmp_path / "tickets")
    result = printer.issue(_ticket(number=7, status=BhytStatus.CHECKED))
    assert result.pdf == tmp_path / "tickets" / f"ticket-27001-{_local_day()}-0007.pdf"
    reader = PdfReader(result.pdf)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("0007", "Quầy 3", "BHYT: đã kiểm tra"):
        assert expected in text
    assert not list((tmp_path / "tickets").glob("*.tmp"))


def test_pdf_with_no_font_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.tickets import printing

    monkeypatch.setattr(printing, "FONT_CANDIDATES", ())
    monkeypatch.setattr(printing.sys, "platform", "linux")
    result = TicketPrinter(None, tmp_path).issue(_ticket())
    assert result.pdf is None and result.error is not None and "font" in result.error
    with pytest.raises(printing.TicketPrintError):
        write_pdf(_ticket(), TicketLayout(), tmp_path / "x.pdf")


def _local_day() -> str:
    return datetime(2026, 12, 6, 1, 30, tzinfo=UTC).astimezone().strftime("%Y-%m-%d")


# --------------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ticket_printer", "lpt:1", "ticket_printer"),
        ("ticket_fields", "number,full_name", "unknown ticket field"),
        ("his_url", "ftp://his", "his_url"),
        ("retry_limit_s", "0", "retry_limit_s"),
        ("retry_limit_s", "100000", "retry_limit_s"),
        ("first_try_deadline_s", "-1", "first_try_deadline_s"),
    ],
)
def test_issue14_settings_are_checked(name: str, value: str, message: str) -> None:
    from kiosk.config import ConfigError, KioskConfig

    with pytest.raises(ConfigError, match=message):
        KioskConfig.load(env={f"BHYT_KIOSK_{name.upper()}": value, "BHYT_KIOSK_CONFIG": ""})


def test_issue14_settings_defaults() -> None:
    from kiosk.config import KioskConfig

    config = KioskConfig()
    config.validate()
    assert (config.first_try_deadline_s, config.retry_limit_s, config.ticket_printer) == (3.0, 600.0, "")
    assert TicketLayout.parse(config.ticket_fields) == TicketLayout()


def test_issuer_takes_the_next_number_and_writes_the_pdf(tmp_path: Path) -> None:
    from kiosk.config import KioskConfig
    from kiosk.tickets.issuer import TicketIssuer

    config = KioskConfig(facility_code="27001", ticket_counter="2", ticket_pdf_dir=tmp_path / "pdf",
                         ticket_fields="number,counter,bhyt_status,masked_id")
    issuer = TicketIssuer(config, TicketCounter(tmp_path / "n.db"))
    first = issuer.issue(BhytStatus.WAITING, attempt_id="a-1", masked_id="••••••••1234")
    second = issuer.issue(BhytStatus.CHECKED)
    issuer.close()
    assert (first.ticket.number, second.ticket.number) == (1, 2)
    assert first.printed.pdf is not None and first.printed.error is None
    text = PdfReader(first.printed.pdf).pages[0].extract_text()
    assert "0001" in text and "Quầy 2" in text and "chờ kiểm tra" in text and "1234" in text


@pytest.mark.parametrize("setting", ["usb:0x04b8:0x0202", "serial:/dev/bhyt-kiosk-no-such-printer"])
def test_absent_usb_or_serial_printer_falls_back_to_pdf(tmp_path: Path, setting: str) -> None:
    result = TicketPrinter(PrinterSpec.parse(setting), tmp_path / "pdf").issue(_ticket())
    kind = setting.split(":")[0]
    assert not result.printed and result.error is not None and f"ticket printer {kind} failed" in result.error
    assert result.pdf is not None and "0042" in PdfReader(result.pdf).pages[0].extract_text()
