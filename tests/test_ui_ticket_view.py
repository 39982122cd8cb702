"""The kiosk's ticket screen (real widgets, offscreen)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk.tickets.issuer import IssuedTicket
from kiosk.tickets.printing import PrintResult
from kiosk.tickets.ticket import BhytStatus, Ticket
from ui.ticket_view import TicketView


def _issued(printed: PrintResult, status: BhytStatus = BhytStatus.WAITING) -> IssuedTicket:
    return IssuedTicket(Ticket(7, "27001", datetime(2026, 12, 6, 1, 0, tzinfo=UTC), "2", status), printed)


def test_pending_ticket_says_the_answer_is_awaited(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = TicketView()
    qtbot.addWidget(view)
    view.show_ticket(_issued(PrintResult(True, None, None)), pending=True)
    assert view.number.text() == "0007"
    assert view.counter.text() == "Quầy 2"
    assert view.status.text() == "BHYT: chờ kiểm tra"
    assert view.next_step.text().startswith("Đang chờ kết quả BHYT")
    assert view.printed.text() == "Đã in phiếu. Mời bạn lấy phiếu."
    view.clear()
    assert all(label.text() == "" for label in (view.number, view.counter, view.status, view.next_step,
                                                 view.printed))


def test_printer_failure_is_said_and_the_number_still_shown(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = TicketView()
    qtbot.addWidget(view)
    view.show_ticket(_issued(PrintResult(False, tmp_path / "t.pdf", "ticket printer network failed"),
                             BhytStatus.CHECKED), pending=False)
    assert view.number.text() == "0007" and view.status.text() == "BHYT: đã kiểm tra"
    assert view.printed.text().startswith("Không in được phiếu")
    view.show_ticket(_issued(PrintResult(False, tmp_path / "t.pdf", None)), pending=False)
    assert view.printed.text() == "Phiếu đã được lưu để in."
    assert view.next_step.text() == "Mời bạn đến quầy khi được gọi số."


def test_the_screen_speaks_english_when_the_kiosk_does(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.i18n import Translations

    view = TicketView()
    qtbot.addWidget(view)
    translations = Translations()
    translations.install("en")
    try:
        view.show_ticket(_issued(PrintResult(True, None, None)), pending=True)
        assert view.caption.text() == "Your queue number"
        assert view.status.text() == "BHYT: to be checked"
        view.show_ticket(_issued(PrintResult(True, None, None), BhytStatus.CHECKED), pending=False)
        assert view.status.text() == "BHYT: checked"
    finally:
        translations.uninstall()
