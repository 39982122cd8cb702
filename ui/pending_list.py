"""Reception's list of lookups waiting for a late BHYT answer, and the hand-off of a result to the hospital system.

Rows appear when a lookup goes to the background and change as it ends: a late answer (with a sound), a refusal,
or abandoned after the retry limit. Each row shows the queue number, the masked ID number, the state and how long
it took. For a late definitive answer staff can copy the FHIR Bundle, save it as a file, or send it to the HIS
(``his_url``): the row then says what was sent and whether the HIS accepted it.

Events come from the retrier's thread through :class:`ui.bridge.RetryBridge` (a queued Qt signal). Sending to the
HIS runs on a worker thread; :meth:`PendingList.shutdown` joins it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.retrier import RetryEvent, RetryEventKind
from ui.outcome_texts import outcome_text
from ui.sounds import Cue

if TYPE_CHECKING:
    from kiosk.his import HandoffResult, HisSender
    from ui.sounds import Sounds

log = logging.getLogger(__name__)

COLUMNS = 4
MAX_ROWS = 200  # the oldest ended rows go (with the personal data of their late answers) beyond this


@dataclass
class PendingRow:
    attempt_id: str
    event: RetryEvent
    handoff: HandoffResult | None = None
    sending: bool = False


class PendingList(QWidget):
    handoff_done = Signal(str, object)  # attempt id, HandoffResult (from the sending thread)

    def __init__(self, sounds: Sounds | None = None, his: HisSender | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sounds = sounds
        self._his = his
        self.rows: dict[str, PendingRow] = {}
        self._order: list[str] = []
        self._threads: list[threading.Thread] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()  # the title and the actions on the selected row on one line (less height)
        self.title = QLabel(objectName="fieldName")
        heading.addWidget(self.title, 1)
        layout.addLayout(heading)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_bundle)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_bundle_dialog)
        self.send_button = QPushButton()
        self.send_button.clicked.connect(self.send_selected)
        for b in (self.copy_button, self.save_button, self.send_button):
            heading.addWidget(b)
        self.handoff_label = QLabel(objectName="fieldName")
        self.handoff_label.setWordWrap(True)
        layout.addWidget(self.handoff_label)
        self.handoff_done.connect(self._on_handoff_done)
        self.retranslate()

    def set_his(self, his: HisSender | None) -> None:
        self._his = his
        self._update_buttons()

    # ----------------------------------------------------------------- events

    def on_event(self, event: RetryEvent) -> None:
        """A retrier event (GUI thread)."""
        attempt_id = event.attempt.attempt_id
        row = self.rows.get(attempt_id)
        if row is None:
            row = PendingRow(attempt_id, event)
            self.rows[attempt_id] = row
            self._order.insert(0, attempt_id)
            self.table.insertRow(0)
            self._drop_oldest()
        else:
            row.event = event
        if event.kind is RetryEventKind.ANSWERED and self._sounds is not None:
            self._sounds.play(Cue.GOOD if event.result is not None and event.result.eligible else Cue.ATTENTION)
        elif event.kind in (RetryEventKind.FAILED, RetryEventKind.ABANDONED) and self._sounds is not None:
            self._sounds.play(Cue.ATTENTION)
        self._show_row(attempt_id)
        self._update_title()

    def _state_text(self, row: PendingRow) -> str:
        event = row.event
        if event.kind is RetryEventKind.PENDING:
            return self.tr("Đang chờ kết quả BHYT")
        if event.kind is RetryEventKind.ABANDONED:
            return self.tr("Không có kết quả: kiểm tra tại quầy")
        outcome = event.attempt.outcome
        text = outcome_text(outcome, event.attempt.result_code).title if outcome is not None else ""
        if row.handoff is not None:
            text += " · " + (self.tr("HIS đã nhận") if row.handoff.accepted else self.tr("HIS chưa nhận"))
        elif row.sending:
            text += " · " + self.tr("đang gửi HIS…")
        return text

    def _drop_oldest(self) -> None:
        """Keep at most MAX_ROWS rows: the oldest that ended go first (a pending one stays)."""
        while len(self._order) > MAX_ROWS:
            ended = [i for i in range(len(self._order) - 1, -1, -1)
                     if self.rows[self._order[i]].event.kind is not RetryEventKind.PENDING]
            if not ended:
                return
            index = ended[0]
            del self.rows[self._order.pop(index)]
            self.table.removeRow(index)

    def _show_row(self, attempt_id: str) -> None:
        """Write one row's cells (only that row: a long list costs nothing per event)."""
        index = self._order.index(attempt_id)
        row = self.rows[attempt_id]
        attempt = row.event.attempt
        delay = attempt.retry_delay_ms
        values = (
            f"{row.event.ticket_number:04d}" if row.event.ticket_number is not None else "–",
            attempt.masked_id or "",
            self._state_text(row),
            "" if delay is None else f"{delay / 1000:.0f} s",
        )
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, attempt_id)
            self.table.setItem(index, column, item)
        if self.selected_id() == attempt_id:
            self._update_buttons()

    def _update_title(self) -> None:
        waiting = sum(1 for r in self.rows.values() if r.event.kind is RetryEventKind.PENDING)
        self.title.setText(self.tr("Chờ kết quả BHYT: {n}").replace("{n}", str(waiting)))

    def _refresh(self) -> None:
        """Every row and the title again (after a language change, or when the list is emptied)."""
        self.table.setRowCount(len(self._order))
        for attempt_id in self._order:
            self._show_row(attempt_id)
        self._update_title()
        self._update_buttons()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Số"), self.tr("CCCD"), self.tr("Trạng thái"), self.tr("Thời gian")])
        self.copy_button.setText(self.tr("Sao chép FHIR"))
        self.save_button.setText(self.tr("Lưu tệp FHIR…"))
        self.send_button.setText(self.tr("Gửi HIS"))
        self._refresh()

    # ----------------------------------------------------------------- hand-off

    def selected_id(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _selected_row(self) -> PendingRow | None:
        attempt_id = self.selected_id()
        return self.rows.get(attempt_id) if attempt_id else None

    def _handoff_ready(self, row: PendingRow | None) -> bool:
        return (row is not None and row.event.kind is RetryEventKind.ANSWERED and row.event.result is not None
                and row.event.request is not None)

    def _update_buttons(self) -> None:
        row = self._selected_row()
        ready = self._handoff_ready(row)
        self.copy_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.send_button.setEnabled(ready and self._his is not None and row is not None and not row.sending)
        if row is not None and row.handoff is not None:
            self.handoff_label.setText(self.tr("Gửi HIS: {s}").replace("{s}", row.handoff.detail))
        else:
            self.handoff_label.clear()

    def bundle_text(self, attempt_id: str) -> str:
        from kiosk.his import build_bundle, bundle_json

        event = self.rows[attempt_id].event
        assert event.result is not None and event.request is not None
        return bundle_json(build_bundle(event.result, event.request, attempt_id=attempt_id))

    def copy_bundle(self) -> None:
        row = self._selected_row()
        if self._handoff_ready(row):
            assert row is not None
            QApplication.clipboard().setText(self.bundle_text(row.attempt_id))

    def save_bundle_dialog(self) -> None:
        row = self._selected_row()
        if not self._handoff_ready(row):
            return
        assert row is not None
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu tệp FHIR"), f"bhyt-{row.attempt_id}.json",
                                              "FHIR JSON (*.json)")
        if path:
            self.save_bundle(row.attempt_id, Path(path))

    def save_bundle(self, attempt_id: str, path: Path) -> bool:
        """Write the Bundle to ``path``; a disk that refuses (read-only, full, gone) is said under the list."""
        try:
            path.write_text(self.bundle_text(attempt_id), encoding="utf-8")
        except OSError as exc:
            log.warning("FHIR bundle not saved to %s: %s", path, exc.strerror or type(exc).__name__)
            self.handoff_label.setText(self.tr("Không lưu được tệp FHIR: {error}").replace(
                "{error}", exc.strerror or str(exc)))
            return False
        return True

    def send_selected(self) -> None:
        row = self._selected_row()
        if self._his is None or not self._handoff_ready(row) or row is None or row.sending:
            return
        from kiosk.his import build_bundle

        event = row.event
        assert event.result is not None and event.request is not None
        bundle = build_bundle(event.result, event.request, attempt_id=row.attempt_id)
        row.sending = True
        his = self._his
        attempt_id = row.attempt_id
        self._show_row(attempt_id)

        def work() -> None:
            self.handoff_done.emit(attempt_id, his.send(bundle))

        thread = threading.Thread(target=work, name="his-handoff", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        self._update_buttons()

    def _on_handoff_done(self, attempt_id: str, result: HandoffResult) -> None:
        row = self.rows.get(attempt_id)
        if row is None:
            return
        row.sending = False
        row.handoff = result
        self._show_row(attempt_id)
        self._update_buttons()

    def clear(self) -> None:
        """Forget every row (the personal data of late answers goes with them)."""
        self.rows.clear()
        self._order.clear()
        self._refresh()

    def shutdown(self, timeout: float = 15.0) -> None:
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
