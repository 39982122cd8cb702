"""The kiosk's ticket screen: the queue number, large, and what happens next.

Shown after an attempt when the patient takes a number, and at once when the lookup goes on in the background
("Đang chờ kết quả BHYT"): the patient never waits for the gateway. :meth:`TicketView.clear` empties every label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.tickets.ticket import BhytStatus
from ui.theme import centred_label

if TYPE_CHECKING:
    from kiosk.tickets.issuer import IssuedTicket


class TicketView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.issued: IssuedTicket | None = None
        self.pending = False
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.caption = centred_label("instruction")
        layout.addWidget(self.caption)
        frame = QFrame(objectName="banner")
        frame.setProperty("banner", "grey")
        inner = QVBoxLayout(frame)
        self.number = centred_label("ticketNumber")
        font = self.number.font()
        font.setPointSize(max(72, font.pointSize() * 6))
        font.setBold(True)
        self.number.setFont(font)
        inner.addWidget(self.number)
        self.counter = centred_label("title")
        inner.addWidget(self.counter)
        layout.addWidget(frame)
        self.status = centred_label("reason")
        layout.addWidget(self.status)
        self.next_step = centred_label("nextStep")
        layout.addWidget(self.next_step)
        self.printed = centred_label("fieldName")
        layout.addWidget(self.printed)
        layout.addStretch(2)
        self.retranslate()

    def show_ticket(self, issued: IssuedTicket, *, pending: bool) -> None:
        self.issued, self.pending = issued, pending
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Số thứ tự của bạn"))
        issued = self.issued
        if issued is None:
            for label in (self.number, self.counter, self.status, self.next_step, self.printed):
                label.clear()
            return
        ticket = issued.ticket
        self.number.setText(ticket.number_text)
        self.counter.setText(self.tr("Quầy {n}").replace("{n}", ticket.counter) if ticket.counter else "")
        # the screen speaks the kiosk's language (the printed ticket keeps its own Vietnamese text)
        self.status.setText(self.tr("BHYT: đã kiểm tra") if ticket.bhyt_status is BhytStatus.CHECKED
                            else self.tr("BHYT: chờ kiểm tra"))
        if self.pending:
            self.next_step.setText(self.tr("Đang chờ kết quả BHYT. Mời bạn đến quầy: nhân viên sẽ nhận kết quả "
                                       "ngay khi có."))
        else:
            self.next_step.setText(self.tr("Mời bạn đến quầy khi được gọi số."))
        result = issued.printed
        if result.printed:
            self.printed.setText(self.tr("Đã in phiếu. Mời bạn lấy phiếu."))
        elif result.pdf is not None and result.error is None:
            self.printed.setText(self.tr("Phiếu đã được lưu để in."))
        else:
            self.printed.setText(self.tr("Không in được phiếu: xin ghi nhớ số thứ tự."))

    def clear(self) -> None:
        self.issued, self.pending = None, False
        self.retranslate()
