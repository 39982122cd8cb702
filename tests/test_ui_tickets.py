"""The app windows with background retries and queue tickets, against the real local service (DemoEnvironment):
the kiosk shows the ticket at once when the gateway fails, reception's list gets the late answer."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_ui_app import WAIT_MS, demo, no_leaked_threads, wait_result  # noqa: F401  (fixtures)

from kiosk.his import HisSender
from kiosk.outcomes import Outcome
from kiosk.pipeline import KioskPipeline
from kiosk.retrier import RetryEventKind
from kiosk.standins.demo import DemoEnvironment
from kiosk.tickets.issuer import TicketIssuer
from kiosk.tickets.numbers import TicketCounter
from ui.flow import Screen
from ui.main_window import MainWindow
from ui.runtime import Runtime

pytestmark = pytest.mark.timeout(120)

WindowFactory = Callable[..., MainWindow]

# a late answer comes at the retry after the faults end: the retries made while they lasted (more on a loaded
# machine) may have grown the next wait up to the policy's cap (60 s)
LATE_MS = 75_000


@pytest.fixture
def retry_window(qtbot, demo: DemoEnvironment, tmp_path: Path,  # type: ignore[no-untyped-def]  # noqa: F811
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[WindowFactory]:
    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path / "home"))  # the pending-lookup key goes there
    windows: list[MainWindow] = []

    def factory(mode: str, his_url: str = "") -> MainWindow:
        cfg = copy.deepcopy(demo.config)
        cfg.mode = mode
        cfg.his_url = his_url
        cfg.sounds = False
        cfg.result_timeout_s = 30.0
        cfg.first_try_deadline_s = 1.0
        cfg.log_db = tmp_path / f"{mode}.db"
        cfg.ticket_pdf_dir = tmp_path / "tickets"
        cfg.ticket_counter = "3"
        window = MainWindow(cfg, apply_style=False)
        qtbot.addWidget(window)
        windows.append(window)
        tickets = TicketIssuer(cfg, TicketCounter(tmp_path / "numbers.db")) if mode == "kiosk" else None
        pipeline = KioskPipeline(config=cfg, hasher=demo.hasher, background_retries=True, tickets=tickets)
        pipeline.add_listener(window.bridge.listener)
        pipeline.add_retry_listener(window.retry_bridge.listener)
        his = HisSender(his_url) if his_url else None  # what build_runtime gives reception with a his_url
        runtime = Runtime(config=cfg, config_path=None, pipeline=pipeline, source_description="", tickets=tickets,
                          his=his)
        pipeline.start()
        window.attach_runtime(runtime)
        window.show()
        qtbot.waitUntil(lambda: window.current_screen is Screen.WAITING, timeout=WAIT_MS)
        return window

    yield factory
    demo.set_faults("none")
    for window in windows:
        window.allow_exit()
        window.shutdown()


def test_kiosk_gives_the_ticket_at_once_when_the_gateway_fails(qtbot, retry_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                              demo: DemoEnvironment, tmp_path: Path) -> None:  # noqa: F811
    window = retry_window("kiosk")
    demo.set_faults("error=1")
    person = demo.person_for(Outcome.ELIGIBLE)
    window.pipeline.submit_payload(person.payload)
    qtbot.waitUntil(lambda: window.current_screen is Screen.TICKET, timeout=WAIT_MS)
    view = window.ticket_view
    assert view.number.text() == "0001" and view.counter.text() == "Quầy 3"
    assert view.status.text() == "BHYT: chờ kiểm tra"
    assert view.next_step.text().startswith("Đang chờ kết quả BHYT")
    pdf = next((tmp_path / "tickets").glob("*.pdf"))  # no printer set: the ticket is a PDF
    assert "0001" in PdfReader(pdf).pages[0].extract_text()
    retrier = window.pipeline.retrier
    assert retrier is not None and len(retrier.store) == 1
    demo.set_faults("none")
    assert window.pipeline.wait_pending(LATE_MS / 1000)
    window.dismiss_result()
    assert window.current_screen is Screen.WAITING and view.number.text() == ""


def test_kiosk_patient_takes_a_number_after_a_result(qtbot, retry_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                     demo: DemoEnvironment) -> None:  # noqa: F811

    window = retry_window("kiosk")
    window.pipeline.submit_payload(demo.person_for(Outcome.NOT_FOUND).payload)
    wait_result(qtbot, window)
    assert window.ticket_button.isEnabled()
    window.ticket_button.click()
    qtbot.waitUntil(lambda: window.current_screen is Screen.TICKET, timeout=WAIT_MS)
    assert window.ticket_view.status.text() == "BHYT: đã kiểm tra"
    assert window.ticket_view.next_step.text() == "Mời bạn đến quầy khi được gọi số."
    assert window.result_view.shown is None  # the result's personal data left the screen


def test_reception_list_shows_the_late_answer(qtbot, retry_window: WindowFactory,  # type: ignore[no-untyped-def]
                                              demo: DemoEnvironment) -> None:  # noqa: F811

    window = retry_window("reception")
    assert window.pending_list is not None
    demo.set_faults("error=1")
    window.pipeline.submit_payload(demo.person_for(Outcome.ELIGIBLE).payload)
    wait_result(qtbot, window)  # reception sees the first try's outcome, and the row
    qtbot.waitUntil(lambda: window.pending_list.table.rowCount() == 1, timeout=WAIT_MS)
    assert window.pending_list.table.item(0, 2).text() == "Đang chờ kết quả BHYT"
    demo.set_faults("none")
    qtbot.waitUntil(lambda: next(iter(window.pending_list.rows.values())).event.kind is RetryEventKind.ANSWERED,
                    timeout=LATE_MS)
    assert window.pending_list.table.item(0, 2).text() == "Thẻ BHYT còn hiệu lực"


def test_reception_hands_a_first_try_result_to_the_his(qtbot, retry_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                      demo: DemoEnvironment) -> None:  # noqa: F811
    from fhir.resources.R4B.bundle import Bundle
    from his_endpoint import HisEndpoint
    from PySide6.QtWidgets import QApplication

    with HisEndpoint() as his:
        window = retry_window("reception", his_url=his.url)
        person = demo.person_for(Outcome.ELIGIBLE)
        window.pipeline.submit_payload(person.payload)
        wait_result(qtbot, window)
        assert window.copy_fhir_button.isEnabled() and window.send_his_button.isEnabled()
        window.copy_fhir_button.click()
        copied = Bundle.model_validate_json(QApplication.clipboard().text())
        patient = next(e.resource for e in copied.entry if e.resource.get_resource_type() == "Patient")
        assert patient.identifier[0].value == person.person.identity.id_number  # type: ignore[union-attr]
        window.send_his_button.click()
        qtbot.waitUntil(lambda: "accepted" in window.status_line.text(), timeout=WAIT_MS)
        assert window.status_line.text() == "Gửi HIS: accepted (HTTP 200)"
        assert len(his.state.received) == 1
        window.pipeline.submit_payload(demo.person_for(Outcome.INVALID_CARD).payload)
        qtbot.waitUntil(lambda: window.result_view.shown is not None
                        and window.result_view.shown.outcome is Outcome.INVALID_CARD, timeout=WAIT_MS)
        assert not window.copy_fhir_button.isEnabled() and not window.send_his_button.isEnabled()
