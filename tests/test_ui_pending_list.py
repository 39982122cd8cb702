"""Reception's pending list as a widget: rows update in place, the list keeps at most MAX_ROWS (pending ones stay)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from kiosk.attempts import InputSource, LookupAttempt, RetryStatus
from kiosk.outcomes import Outcome
from kiosk.retrier import RetryEvent, RetryEventKind
from ui.pending_list import MAX_ROWS, PendingList

T0 = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


def _event(i: int, kind: RetryEventKind) -> RetryEvent:
    attempt = LookupAttempt(attempt_id=f"a{i:04d}", kiosk_id="k", facility_code="27001", source=InputSource.CAMERA,
                            first_seen_at=T0, outcome=Outcome.TIMEOUT, masked_id=f"••••••••{i:04d}",
                            retry_status=RetryStatus.PENDING)
    if kind is RetryEventKind.ANSWERED:
        attempt = dataclasses.replace(attempt, outcome=Outcome.NOT_FOUND, result_code="050",
                                      retry_status=RetryStatus.ANSWERED, retry_delay_ms=61_000.0)
    return RetryEvent(kind, attempt, ticket_number=i)


def test_rows_change_in_place_and_the_oldest_ended_ones_go(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = PendingList()
    qtbot.addWidget(widget)
    for i in range(5):  # five lookups that stay pending
        widget.on_event(_event(i, RetryEventKind.PENDING))
    for i in range(5, 5 + MAX_ROWS + 10):
        widget.on_event(_event(i, RetryEventKind.PENDING))
        widget.on_event(_event(i, RetryEventKind.ANSWERED))
    assert widget.table.rowCount() == len(widget.rows) == MAX_ROWS
    assert all(f"a{i:04d}" in widget.rows for i in range(5))  # pending rows are never dropped
    assert "a0005" not in widget.rows and f"a{4 + MAX_ROWS + 10:04d}" in widget.rows  # the oldest ended went
    top = [widget.table.item(0, c).text() for c in range(4)]
    newest = 4 + MAX_ROWS + 10
    assert top == [f"{newest:04d}", f"••••••••{newest:04d}", "Không tìm thấy thẻ BHYT", "61 s"]
    assert widget.title.text() == "Chờ kết quả BHYT: 5"
    widget.clear()
    assert widget.table.rowCount() == 0 and widget.title.text() == "Chờ kết quả BHYT: 0"
