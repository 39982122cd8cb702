"""The app window: kiosk mode (patients, fullscreen) and reception mode (staff, a normal window).

A thin layer: the pipeline does the work on its threads; :class:`ui.bridge.PipelineBridge` brings its
events here, :func:`ui.flow.next_screen` decides the screen, and the widgets show it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import KioskConfig
from kiosk.outcomes import Outcome
from kiosk.pipeline import EventKind
from scanner.masking import mask_id, mask_name
from ui.bridge import PipelineBridge, RetryBridge
from ui.flow import RESULT_EVENTS, Screen, next_screen
from ui.guidance import Distance, DistanceGuide
from ui.i18n import Translations
from ui.manual_entry import ManualEntryForm
from ui.outcome_texts import (
    CONTEXT,
    HINT_CONTEXT,
    LETTERS_LOST,
    QUIET_HINTS,
    Banner,
    hint_key,
    hint_text,
    outcome_text,
)
from ui.pin_dialog import PinDialog
from ui.preview import (
    CAMERA_RECONNECTING,
    CAMERA_STARTING,
    CAMERA_SWITCHING,
    CAMERA_WAITING,
    NO_CAMERA,
    PreviewWidget,
)
from ui.result_view import ResultView, ResultWording
from ui.settings_dialog import DEMO_FIXED, SettingsDialog, changed_settings, describe_value
from ui.sounds import Cue, Sounds
from ui.staff_lock import STAFF_IDLE_S, lock_after_idle
from ui.staff_menu import StaffChoice, StaffMenu
from ui.theme import Theme, apply_theme, centred_label, for_screen
from ui.ticket_view import TicketView
from ui.wedge_filter import WedgeFilter

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import Bundle

    from kiosk.central.shipper import Backlog
    from kiosk.his import HisSender
    from kiosk.pipeline import PipelineEvent
    from kiosk.tickets.issuer import IssuedTicket
    from ui.pending_list import PendingList
    from ui.runtime import Runtime

log = logging.getLogger(__name__)

RECENT_MAX = 50
UNREADABLE_SHOW_S = 5.0  # an unreadable card: the hint stays this long (no personal data in it)
CAMERA_SCREENS = (Screen.WAITING, Screen.READING)  # the screens that show the camera page


# The settings the staff dialog edits: only these (and only when changed) are written back to the file, so
# command-line overrides (--mode, --camera) and environment variables never end up saved by accident.
EDITABLE_SETTINGS = (
    "camera", "camera_width", "camera_height", "result_timeout_s", "read_timeout_s", "connect_timeout_s",
    "language", "service_url", "sounds", "high_contrast", "font_scale", "staff_pin_hash", "scanner",
)
# Manual entries whose answer ends the matter: the form empties. After any other answer (data mismatch, not
# found, invalid entry, service trouble) it keeps what staff typed, so that they correct instead of retyping.
MANUAL_DONE = (Outcome.ELIGIBLE, Outcome.ELIGIBLE_WITH_WARNING, Outcome.NEW_CARD, Outcome.NOT_ELIGIBLE)


def save_settings(path: Path, old: KioskConfig, new: KioskConfig) -> None:
    """Write the settings changed from ``old`` to ``new`` into the TOML file at ``path`` (keeping the rest)."""
    base = KioskConfig.load(path, env={}) if path.exists() else KioskConfig()
    for name in EDITABLE_SETTINGS:
        if getattr(new, name) != getattr(old, name):
            setattr(base, name, getattr(new, name))
    base.save(path)


class ScrolledBody(QWidget):
    """Reception's window contents, in a scroll area that asks them their height for its width. When their
    minimum fits, they take the window's height: nothing scrolls (their preferred height, with the lists' and
    the preview's generous size hints, would scroll at 1280x800). When it does not fit (large font scales), they
    take their preferred height, so that word-wrapped texts get all their lines, and scroll."""

    def heightForWidth(self, width: int) -> int:
        viewport = self.parentWidget()
        if viewport is not None and self.minimumSizeHint().height() <= viewport.height():
            return -1  # the scroll area gives them its own height
        return super().heightForWidth(width)


class MainWindow(QMainWindow):
    """``mode`` is 'kiosk' or 'reception'. Call :meth:`attach_runtime` when the pipeline is running."""

    screen_changed = Signal(str)
    ticket_ready = Signal(object)  # IssuedTicket | None, from the ticket worker thread
    handoff_done = Signal(object)  # HandoffResult, from the HIS hand-off thread

    def __init__(self, config: KioskConfig, *, translations: Translations | None = None,
                 apply_style: bool = True) -> None:
        super().__init__()
        self.config = config
        self.mode = config.mode
        self.runtime: Runtime | None = None
        self.translations = translations or Translations()
        self._apply_style = apply_style
        self.current_screen = Screen.STARTING
        self._exit_allowed = False
        self._shut_down = False
        self._startup_error: str | None = None
        self._card: Any = None  # the card of the attempt in progress (for the result screen)
        self._manual_attempt: str | None = None  # the attempt the manual form submitted last
        self._letters_lost: set[str] = set()  # wedge scans that lost their Vietnamese letters
        self.staff_idle_s = STAFF_IDLE_S
        self.distance_guide = DistanceGuide()
        self._hint_key = ""  # the live hint on the camera page (kept as a key: re-translated on a switch)
        self._frames_stalled = False
        self._workers: list[threading.Thread] = []
        self.setObjectName("mainWindow")
        self.setProperty("mode", self.mode)  # the style sheet enlarges kiosk-mode texts and buttons

        self.bridge = PipelineBridge(self)
        self.bridge.event.connect(self._on_event)
        self.bridge.frame_ready.connect(self._on_frame)
        self.sounds = Sounds(config.sounds, self)
        self.retry_bridge = RetryBridge(self)  # background retries: reception's pending list
        self.ticket_ready.connect(self._on_ticket_ready)
        self.handoff_done.connect(self._on_handoff_done)
        self._shown_attempt_id: str | None = None

        self.result_timer = QTimer(self)
        self.result_timer.setSingleShot(True)
        self.result_timer.timeout.connect(self.result_timed_out)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._update_countdown)
        self._result_deadline = 0.0

        self.wedge = WedgeFilter(parent=self)
        self.wedge.scanned.connect(self._on_wedge_scan)

        self._build()
        self.retranslate()
        self._show_screen(Screen.STARTING)
        self.wedge.install()

    # ------------------------------------------------------------------ construction

    def _build(self) -> None:
        if self.mode == "kiosk":
            central = QWidget()
            self.setCentralWidget(central)
        else:  # reception: a normal window on any laptop; what does not fit (large font scales) scrolls in it
            central = ScrolledBody()
            self.body_scroller = QScrollArea()
            self.body_scroller.setWidgetResizable(True)
            self.body_scroller.setFrameShape(QFrame.Shape.NoFrame)
            self.body_scroller.setWidget(central)
            self.setCentralWidget(self.body_scroller)
        outer = QVBoxLayout(central)
        # header
        header = QHBoxLayout()
        self.heading = QLabel(objectName="title")
        self.heading.setWordWrap(True)
        header.addWidget(self.heading, 1)
        self.language_button = QPushButton()
        self.language_button.clicked.connect(self.toggle_language)
        header.addWidget(self.language_button)
        self.staff_button = QPushButton()
        self.staff_button.clicked.connect(self.open_staff_menu)
        header.addWidget(self.staff_button)
        outer.addLayout(header)

        # the camera panel: preview + instruction + live hint
        self.camera_panel = QWidget()
        cam_layout = QVBoxLayout(self.camera_panel)
        cam_layout.setContentsMargins(0, 0, 0, 0)
        self.preview = PreviewWidget(privacy=self.mode == "kiosk")
        self.preview.frames_stopped.connect(self._on_frames_stopped)
        cam_layout.addWidget(self.preview, 1)
        self.hint = QLabel(objectName="hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setVisible(False)
        cam_layout.addWidget(self.hint)
        self.instruction = centred_label("instruction")
        cam_layout.addWidget(self.instruction)

        # pages
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        if self.mode == "kiosk":
            self.pages["camera"] = self.camera_panel
        else:
            ready = QWidget()
            ready_layout = QVBoxLayout(ready)
            self.ready_label = centred_label("instruction")
            ready_layout.addStretch(1)
            ready_layout.addWidget(self.ready_label)
            ready_layout.addStretch(1)
            self.pages["camera"] = ready
        # looking up
        lookup = QWidget()
        lookup_layout = QVBoxLayout(lookup)
        lookup_layout.addStretch(1)
        self.lookup_label = centred_label("title")
        lookup_layout.addWidget(self.lookup_label)
        self.lookup_who = QLabel(objectName="status")
        self.lookup_who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lookup_layout.addWidget(self.lookup_who)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        lookup_layout.addWidget(self.progress)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_lookup)
        lookup_layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignCenter)
        lookup_layout.addStretch(2)
        self.pages["lookup"] = lookup
        # result
        result_page = QWidget()
        result_layout = QVBoxLayout(result_page)
        self.result_view = ResultView(dense=self.mode == "reception")
        scroller = QScrollArea()  # long names / large fonts never clip the details
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(self.result_view)
        result_layout.addWidget(scroller, 1)
        buttons = QHBoxLayout()
        self.countdown_label = QLabel(objectName="fieldName")
        if self.mode == "kiosk":
            buttons.addWidget(self.countdown_label, 1)
        else:  # on its own line: the row of staff's buttons is wide enough already
            result_layout.addWidget(self.countdown_label)
            buttons.addStretch(1)
        self.copy_text_button = QPushButton()
        self.copy_text_button.clicked.connect(self.copy_result_text)
        self.copy_json_button = QPushButton()
        self.copy_json_button.clicked.connect(self.copy_result_json)
        self.copy_fhir_button = QPushButton()  # the hand-off to the hospital system (reception)
        self.copy_fhir_button.clicked.connect(self.copy_result_fhir)
        self.send_his_button = QPushButton()
        self.send_his_button.clicked.connect(self.send_result_to_his)
        if self.mode == "reception":
            buttons.addWidget(self.copy_text_button)
            buttons.addWidget(self.copy_json_button)
            buttons.addWidget(self.copy_fhir_button)
            buttons.addWidget(self.send_his_button)
        else:
            self.copy_text_button.hide()
            self.copy_json_button.hide()
            self.copy_fhir_button.hide()
            self.send_his_button.hide()
        self.ticket_button = QPushButton()  # kiosk: every patient can take a queue number
        self.ticket_button.clicked.connect(self.take_ticket)
        if self.mode == "kiosk":
            buttons.addWidget(self.ticket_button)
        else:
            self.ticket_button.hide()
        self.done_button = QPushButton(objectName="primary")
        self.done_button.clicked.connect(self.dismiss_result)
        buttons.addWidget(self.done_button)
        result_layout.addLayout(buttons)
        self.pages["result"] = result_page
        # queue ticket (kiosk)
        ticket_page = QWidget()
        ticket_layout = QVBoxLayout(ticket_page)
        self.ticket_view = TicketView()
        ticket_layout.addWidget(self.ticket_view, 1)
        self.ticket_done_button = QPushButton(objectName="primary")
        self.ticket_done_button.clicked.connect(self.dismiss_result)
        ticket_layout.addWidget(self.ticket_done_button, 0, Qt.AlignmentFlag.AlignCenter)
        self.ticket_page = ticket_page  # (kept alive here: reception has one but never shows it)
        if self.mode == "kiosk":  # only the kiosk shows queue tickets (in reception the page made the window taller)
            self.pages["ticket"] = ticket_page
        # message (starting, camera lost, errors)
        message = QWidget()
        message_layout = QVBoxLayout(message)
        message_layout.addStretch(1)
        self.message_frame = QFrame(objectName="banner")
        self.message_frame.setProperty("banner", Banner.GREY.value)
        frame_layout = QVBoxLayout(self.message_frame)
        self.message_title = centred_label()
        frame_layout.addWidget(self.message_title)
        message_layout.addWidget(self.message_frame)
        self.message_text = centred_label("reason")
        message_layout.addWidget(self.message_text)
        self.message_next = centred_label("nextStep")
        message_layout.addWidget(self.message_next)
        message_layout.addStretch(2)
        self.pages["message"] = message
        for page in self.pages.values():
            if self.mode == "reception":  # the pages line up with the column around them (and take less height)
                page.layout().setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(page)

        if self.mode == "kiosk":
            outer.addWidget(self.stack, 1)
            self.manual = None
            self.recent = None
            self.pending_list: PendingList | None = None
        else:
            body = QHBoxLayout()
            left = QVBoxLayout()
            self.preview.setMinimumSize(256, 144)  # smaller than a kiosk's: the window fits a 1280x800 laptop
            left.addWidget(self.camera_panel, 3)
            self.manual = ManualEntryForm()
            self.manual.submitted.connect(self.submit_manual)
            left.addWidget(self.manual, 0)
            body.addLayout(left, 2)
            right = QVBoxLayout()
            right.addWidget(self.stack, 8)  # the result's details before the lists (pending: at its minimum)
            self.recent_label = QLabel(objectName="fieldName")
            right.addWidget(self.recent_label)
            self.recent = QListWidget()
            self.recent.setMaximumHeight(130)
            right.addWidget(self.recent, 1)
            from ui.pending_list import PendingList  # (it loads the retrier: only reception, after the imports)

            self.pending_list = PendingList(self.sounds)
            self.retry_bridge.event.connect(self.pending_list.on_event)
            right.addWidget(self.pending_list, 1)
            body.addLayout(right, 3)
            outer.addLayout(body, 1)
            self._build_menu()
        self.status_line = QLabel(objectName="fieldName")
        self.statusBar().addWidget(self.status_line, 1)
        if self.mode == "kiosk":
            self.statusBar().hide()

    def _build_menu(self) -> None:
        self.staff_menu = self.menuBar().addMenu("")
        self.settings_action = QAction(self)
        self.settings_action.triggered.connect(self.open_settings)
        self.log_action = QAction(self)
        self.log_action.triggered.connect(self.open_log)
        self.language_action = QAction(self)
        self.language_action.triggered.connect(self.toggle_language)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.request_exit)
        for action in (self.settings_action, self.log_action, self.language_action, self.quit_action):
            self.staff_menu.addAction(action)

    # ------------------------------------------------------------------ texts

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Tra cứu thẻ BHYT bằng thẻ CCCD"))
        self.heading.setText(self.tr("Tra cứu thẻ BHYT bằng thẻ căn cước (CCCD)"))
        self.language_button.setText("English" if self.translations.language == "vi" else "Tiếng Việt")
        self.language_button.setAccessibleName(self.tr("Đổi ngôn ngữ"))
        self.staff_button.setText(self.tr("Nhân viên"))
        self.staff_button.setAccessibleName(self.tr("Menu nhân viên (cần mã PIN)"))
        self.instruction.setText(self.tr("Đưa mã QR trên thẻ CCCD vào trong khung"))
        self.lookup_label.setText(self.tr("Đang tra cứu thông tin thẻ BHYT…"))
        self.cancel_button.setText(self.tr("&Hủy tra cứu"))
        self.cancel_button.setAccessibleName(self.tr("Hủy tra cứu"))
        self.done_button.setText(self.tr("&Xong"))
        self.done_button.setAccessibleName(self.tr("Xong, trở về màn hình chờ"))
        self.copy_text_button.setText(self.tr("Sao chép &văn bản"))
        self.copy_json_button.setText(self.tr("Sao chép &JSON"))
        self.ticket_button.setText(self.tr("Lấy &số thứ tự"))
        self.copy_fhir_button.setText(self.tr("Sao chép &FHIR"))
        self.send_his_button.setText(self.tr("Gửi &HIS"))
        self.ticket_done_button.setText(self.tr("&Xong"))
        self.ticket_view.retranslate()
        self.progress.setAccessibleName(self.tr("Đang tra cứu"))
        self._show_hint()
        if self.mode == "reception":
            self.staff_button.hide()
            self.ready_label.setText(
                self.tr("Sẵn sàng. Đưa thẻ CCCD vào camera, quét bằng máy quét, hoặc nhập tay.")
            )
            self.recent_label.setText(self.tr("Tra cứu gần đây"))
            self.recent.setAccessibleName(self.tr("Tra cứu gần đây"))
            for row in range(self.recent.count()):
                self._recent_text(self.recent.item(row))
            self.staff_menu.setTitle(self.tr("&Nhân viên"))
            self.settings_action.setText(self.tr("&Cài đặt…"))
            self.log_action.setText(self.tr("&Nhật ký tra cứu…"))
            self.language_action.setText(self.tr("&Ngôn ngữ: English / Tiếng Việt"))
            self.quit_action.setText(self.tr("&Thoát"))
            if self.manual is not None:
                self.manual.retranslate()
            if self.pending_list is not None:
                self.pending_list.retranslate()
        self.result_view.retranslate()
        self._refresh_screen_texts()

    # ------------------------------------------------------------------ runtime

    def attach_runtime(self, runtime: Runtime) -> None:
        """The pipeline is running (its listeners already include ``self.bridge.listener``)."""
        self.runtime = runtime
        self.config = runtime.config
        self.sounds.set_enabled(self.config.sounds)
        if self.pending_list is not None and runtime.his is not None:
            self.pending_list.set_his(runtime.his)
        if runtime.demo is not None:
            self.status_line.setText(self.tr("Chế độ trình diễn (demo): dịch vụ tra cứu mô phỏng, mã PIN {pin}")
                                     .format(pin=runtime.demo.pin))
        if runtime.camera_problem is not None:
            self.preview.clear(NO_CAMERA)
            self.status_line.setText(self.tr("Lỗi: {error}").format(error=runtime.camera_problem))
            if self.mode == "kiosk":  # patients cannot scan: say so; staff can still use a USB scanner
                self._show_screen(Screen.ERROR)
                return
        if self.current_screen == Screen.STARTING:
            self._show_screen(next_screen(Screen.STARTING, EventKind.STARTED, runtime.pipeline.state))

    def startup_failed(self, message: str) -> None:
        self._startup_error = message
        self._show_screen(Screen.ERROR)

    @property
    def pipeline(self) -> Any:
        return self.runtime.pipeline if self.runtime is not None else None

    @property
    def his(self) -> HisSender | None:
        """Where results are handed off (reception with ``his_url``), once the runtime is attached."""
        return self.runtime.his if self.runtime is not None else None

    # ------------------------------------------------------------------ events from the pipeline

    def _on_frame(self) -> None:
        item = self.bridge.take_frame()
        if item is None or self._shut_down:
            return
        self.preview.set_frame(item.frame)
        if self._frames_stalled:
            self._frames_stalled = False
            if self.current_screen == Screen.CAMERA_LOST:
                self._show_screen(Screen.WAITING)
        self._hint_key = self._live_hint(item.hint, item.module_px)
        self._show_hint()

    def _live_hint(self, hint: object, module_px: float | None) -> str:
        """The hint to show: the distance advice from the QR's module size first, else the decoder's."""
        distance = self.distance_guide.update(module_px)
        if distance is Distance.CLOSER:
            return "too-far"
        if distance is Distance.FURTHER:
            return "too-close"
        return hint_key(hint)

    def _show_hint(self) -> None:
        text = hint_text(self._hint_key)
        show = bool(text) and self._hint_key not in QUIET_HINTS and self.current_screen in CAMERA_SCREENS
        if show:
            self.hint.setText(QCoreApplication.translate(HINT_CONTEXT, text or ""))
        if self.hint.isVisible() != show:
            self.hint.setVisible(show)

    def _on_frames_stopped(self) -> None:
        """No picture from the camera for 2 s: the preview is already cleared; a kiosk says so."""
        log.warning("camera: no frame for %.1f s", self.preview.stale_after_s)
        self._frames_stalled = True
        self.distance_guide.update(None)
        self._hint_key = ""
        self._show_hint()
        if self.mode == "kiosk" and self.current_screen in CAMERA_SCREENS:
            self._show_screen(Screen.CAMERA_LOST)

    def _on_event(self, event: PipelineEvent) -> None:
        if self._shut_down:
            return
        kind = event.kind
        if kind is EventKind.CARD_READ:
            self._card = event.card
            self.sounds.play(Cue.READ)
        elif kind is EventKind.CARD_SEEN:
            self._card = None
        elif kind is EventKind.LOOKING_UP and event.card is not None:
            self._card = event.card
        elif kind in (EventKind.ERROR, EventKind.SOURCE_FAILED):
            log.info("pipeline error: %s", event.error)
            if self.mode == "reception":
                self.status_line.setText(self.tr("Lỗi: {error}").format(error=event.error or ""))
        elif kind is EventKind.SOURCE_LOST:
            self.preview.clear(CAMERA_RECONNECTING)
        outcome = event.outcome
        if kind is EventKind.PENDING:  # no answer in time: the lookup goes on in the background
            self._show_pending(outcome or Outcome.TIMEOUT, event)
            return
        if kind in RESULT_EVENTS:
            if outcome is None and event.result is not None:
                outcome = event.result.outcome
            self._show_result(outcome or Outcome.SERVICE_ERROR, event)
            return
        if kind is EventKind.ATTEMPT_ENDED and outcome is Outcome.UNREADABLE and self.current_screen in CAMERA_SCREENS:
            self._show_result(Outcome.UNREADABLE, event, timeout_s=UNREADABLE_SHOW_S)
            return
        if kind is EventKind.SOURCE_LOST and self.current_screen in (Screen.RESULT, Screen.LOOKING_UP):
            return  # keep the answer on screen; the camera message comes after
        self._show_screen(next_screen(self.current_screen, kind, event.state))

    def _show_result(self, outcome: Outcome, event: PipelineEvent, timeout_s: float | None = None) -> None:
        card = event.card if event.card is not None else self._card
        attempt_id = getattr(event, "attempt_id", None)
        manual = attempt_id is not None and attempt_id == self._manual_attempt
        problem = LETTERS_LOST if attempt_id in self._letters_lost else None
        self._letters_lost.discard(attempt_id)
        view = ResultWording(staff=self.mode == "reception", manual=manual, problem=problem,
                             masked=self.mode == "kiosk" and self.config.kiosk_masking)
        self.result_view.show_result(outcome, event.result, card, self.config.facility_code, view)
        if manual and self.manual is not None:
            self._manual_attempt = None
            if outcome in MANUAL_DONE:
                self.manual.clear()
        self._shown_attempt_id = event.attempt_id
        handoff = outcome.definitive and card is not None and event.result is not None
        self.copy_fhir_button.setEnabled(handoff)
        self.send_his_button.setEnabled(handoff and self.his is not None)
        self._card = None
        self._add_recent(outcome, event, card, problem)
        if outcome is not Outcome.UNREADABLE:
            self.sounds.play(Cue.GOOD if outcome.eligible else Cue.ATTENTION)
        self._show_screen(Screen.RESULT, timeout_s=timeout_s)

    def _show_pending(self, outcome: Outcome, event: PipelineEvent) -> None:
        """Kiosk: the queue ticket and "đang chờ kết quả BHYT" at once; reception: the first try's result (the
        pending list follows the lookup)."""
        if self.mode == "kiosk" and event.ticket is not None:
            self._card = None
            self.ticket_view.show_ticket(event.ticket, pending=True)
            self.sounds.play(Cue.ATTENTION)
            self._show_screen(Screen.TICKET)
            return
        self._show_result(outcome, event)

    def _add_recent(self, outcome: Outcome, event: PipelineEvent, card: Any, problem: str | None = None) -> None:
        if self.recent is None or outcome is Outcome.UNREADABLE:
            return
        code = event.result.result_code if event.result else None
        who = f"{mask_id(card.id_number)}  {mask_name(card.full_name)}" if card is not None else "—"
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, (time.strftime("%H:%M:%S"), who, outcome, code, problem))
        self._recent_text(item)
        self.recent.insertItem(0, item)
        while self.recent.count() > RECENT_MAX:
            self.recent.takeItem(self.recent.count() - 1)

    @staticmethod
    def _recent_text(item: QListWidgetItem) -> None:
        """A recent-list row in the current language (rows keep their data, not their text)."""
        when, who, outcome, code, problem = item.data(Qt.ItemDataRole.UserRole)
        title = QCoreApplication.translate(CONTEXT, outcome_text(outcome, code, problem=problem).title)
        item.setText(f"{when}  {who}  {title}")

    # ------------------------------------------------------------------ screens

    def _show_screen(self, screen: Screen, *, timeout_s: float | None = None) -> None:
        previous = self.current_screen
        self.current_screen = screen
        if previous == Screen.RESULT and screen != Screen.RESULT:
            self.clear_personal_data()
        if previous == Screen.TICKET and screen != Screen.TICKET:
            self.ticket_view.clear()
        if screen == Screen.TICKET:
            self._result_deadline = time.monotonic() + self.config.result_timeout_s
            self.result_timer.start(int(self.config.result_timeout_s * 1000))
            self.stack.setCurrentWidget(self.pages["ticket"])
            self.ticket_done_button.setFocus()
        elif screen == Screen.RESULT:
            seconds = timeout_s if timeout_s is not None else self.config.result_timeout_s
            self._result_deadline = time.monotonic() + seconds
            self.result_timer.start(int(seconds * 1000))
            self.countdown.start()
            self.stack.setCurrentWidget(self.pages["result"])
            self._focus_for_patient(self.done_button)
        elif screen == Screen.LOOKING_UP:
            self.stack.setCurrentWidget(self.pages["lookup"])
            self._focus_for_patient(self.cancel_button)
        elif screen in CAMERA_SCREENS:
            self.stack.setCurrentWidget(self.pages["camera"])
        else:
            self.stack.setCurrentWidget(self.pages["message"])
        if screen not in (Screen.RESULT, Screen.TICKET):
            self.result_timer.stop()
        if screen != Screen.RESULT:
            self.countdown.stop()
        self.ticket_button.setEnabled(screen == Screen.RESULT and self._tickets_available())
        self._refresh_screen_texts()
        if previous != screen:
            self.screen_changed.emit(screen.value)

    def _focus_for_patient(self, button: QPushButton) -> None:
        """Kiosk: the screen's one action takes the focus. Reception: a result never takes the keyboard from
        staff (who may be typing a name while a camera result arrives)."""
        if self.mode == "kiosk":
            button.setFocus()

    def _refresh_screen_texts(self) -> None:
        screen = self.current_screen
        self._show_hint()
        if screen == Screen.LOOKING_UP:
            card = self._card
            self.lookup_who.setText(mask_id(card.id_number) if card is not None else "")
        if screen == Screen.RESULT:
            self._update_countdown()
        if screen == Screen.STARTING:
            self._set_message(self.tr("Đang khởi động camera…"), self.tr("Vui lòng chờ trong giây lát."), "")
            self.preview.set_placeholder(CAMERA_STARTING)
        elif screen == Screen.CAMERA_LOST:
            self._set_message(
                self.tr("Mất kết nối camera"),
                self.tr("Máy đang tự kết nối lại với camera."),
                self.tr("Vui lòng chờ, hoặc đến quầy tiếp đón để được hỗ trợ."),
            )
        elif screen == Screen.ERROR:
            if self._startup_error is not None and self.mode == "kiosk":
                # patients see that the kiosk is out of service; the error is for staff, behind the PIN
                self._set_message(
                    self.tr("Máy tra cứu tạm ngừng hoạt động"),
                    self.tr("Xin lỗi, máy tra cứu đang tạm ngừng để sửa chữa."),
                    self.tr("Mời ông/bà đến quầy tiếp đón. Nhân viên: bấm «Nhân viên» để xem lỗi."),
                )
            elif self._startup_error is not None:
                self._set_message(
                    self.tr("Máy tra cứu chưa khởi động được"),
                    self._startup_error,
                    self.tr("Sửa cài đặt (tệp kiosk.toml hoặc menu Nhân viên > Cài đặt) rồi khởi động lại."),
                )
            else:
                self._set_message(
                    self.tr("Máy tra cứu đang gặp sự cố"),
                    self.tr("Không dùng được camera."),
                    self.tr("Mời đến quầy tiếp đón. Nhân viên: kiểm tra camera trong phần Cài đặt."),
                )
        waiting = self.preview.placeholder in ("", CAMERA_STARTING)  # not "no camera", "reconnecting", "switching"
        if screen in CAMERA_SCREENS and not self.preview.has_frame and waiting:
            self.preview.set_placeholder(CAMERA_WAITING)

    def _set_message(self, title: str, text: str, next_step: str) -> None:
        self.message_title.setText(title)
        self.message_text.setText(text)
        self.message_next.setText(next_step)

    def _update_countdown(self) -> None:
        left = max(0, round(self._result_deadline - time.monotonic()))
        self.countdown_label.setText(self.tr("Màn hình sẽ trở về sau {n} giây").format(n=left))

    def clear_personal_data(self) -> None:
        """Empty every widget that may hold a person's data (the result, the lookup line, the manual form)."""
        self.result_view.clear()
        self.lookup_who.setText("")
        self.countdown_label.setText("")
        self._card = None

    # ------------------------------------------------------------------ user actions

    def result_timed_out(self) -> None:
        self.dismiss_result()

    def dismiss_result(self) -> None:
        if self.current_screen not in (Screen.RESULT, Screen.TICKET):
            return
        self._show_screen(Screen.WAITING)
        pipeline = self.pipeline
        if pipeline is not None:
            pipeline.reset()

    def _start_worker(self, name: str, work: Callable[[], None]) -> None:
        """Run ``work`` off the GUI thread (its result comes back by a signal); :meth:`shutdown` joins it."""
        thread = threading.Thread(target=work, name=name, daemon=True)
        self._workers = [t for t in self._workers if t.is_alive()] + [thread]
        thread.start()

    def _tickets_available(self) -> bool:
        pipeline = self.pipeline
        return self.mode == "kiosk" and pipeline is not None and getattr(pipeline, "tickets", None) is not None

    def take_ticket(self) -> None:
        """The patient takes a queue number after a result (issued off the GUI thread: the printer may be slow)."""
        pipeline = self.pipeline
        shown = self.result_view.shown
        if pipeline is None or shown is None or not self._tickets_available():
            return
        self.ticket_button.setEnabled(False)
        checked = shown.outcome.definitive

        def work() -> None:
            self.ticket_ready.emit(pipeline.issue_ticket(checked))

        self._start_worker("ui-ticket", work)

    def _on_ticket_ready(self, issued: IssuedTicket | None) -> None:
        if self._shut_down:
            return
        if issued is None:
            self.status_line.setText(self.tr("Không lấy được số thứ tự: mời đến quầy."))
            self.ticket_button.setEnabled(self.current_screen == Screen.RESULT)
            return
        self.ticket_view.show_ticket(issued, pending=False)
        self._show_screen(Screen.TICKET)

    def cancel_lookup(self) -> None:
        pipeline = self.pipeline
        if pipeline is not None:
            pipeline.cancel()

    def submit_manual(self, id_number: str, full_name: str, date_of_birth: str) -> None:
        pipeline = self.pipeline
        if pipeline is None:
            self.status_line.setText(self.tr("Máy chưa sẵn sàng, vui lòng chờ."))
            return
        self._manual_attempt = pipeline.submit_manual(id_number, full_name, date_of_birth)

    def _on_wedge_scan(self, text: str) -> None:
        pipeline = self.pipeline
        if pipeline is None:  # still starting, or out of service: the card must be scanned again, say so
            self.status_line.setText(self.tr("Máy chưa sẵn sàng, vui lòng chờ."))
            return
        from kiosk.attempts import InputSource
        from scanner.payload import letters_lost

        attempt_id = pipeline.submit_payload(text, InputSource.USB_SCANNER)
        if letters_lost(text):
            self._letters_lost.add(attempt_id)

    def copy_result_text(self) -> None:
        text = self.result_view.as_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def copy_result_json(self) -> None:
        text = self.result_view.as_json()
        if text:
            QGuiApplication.clipboard().setText(text)

    def _result_bundle(self) -> Bundle | None:
        """The FHIR Bundle of the verified result on screen (None when there is none to hand off)."""
        from kiosk.eligibility import LookupRequest
        from kiosk.his import HandoffError, build_bundle

        shown = self.result_view.shown
        if shown is None or shown.result is None or shown.card is None or not shown.outcome.definitive:
            return None
        request = LookupRequest.from_card(shown.card, self.config, attempt_id=self._shown_attempt_id)
        try:
            return build_bundle(shown.result, request, attempt_id=self._shown_attempt_id or "")
        except HandoffError as exc:
            log.error("FHIR bundle not built: %s", exc)
            self.status_line.setText(self.tr("Lỗi: {error}").format(error=str(exc)))
            return None

    def result_bundle_json(self) -> str:
        """That Bundle as FHIR JSON ("" when there is none to hand off)."""
        from kiosk.his import bundle_json

        bundle = self._result_bundle()
        return "" if bundle is None else bundle_json(bundle)

    def copy_result_fhir(self) -> None:
        text = self.result_bundle_json()
        if text:
            QGuiApplication.clipboard().setText(text)

    def send_result_to_his(self) -> None:
        """Send the verified result on screen to the HIS (off the GUI thread); the status line says how it went."""
        his = self.his
        if his is None:
            return
        bundle = self._result_bundle()
        if bundle is None:
            return
        self.send_his_button.setEnabled(False)

        def work() -> None:
            self.handoff_done.emit(his.send(bundle))

        self._start_worker("ui-his-handoff", work)

    def _on_handoff_done(self, result: Any) -> None:
        if self._shut_down:
            return
        self.status_line.setText(self.tr("Gửi HIS: {s}").replace("{s}", result.detail))
        self.send_his_button.setEnabled(self.current_screen == Screen.RESULT and self.result_view.shown is not None)

    def toggle_language(self) -> None:
        self.set_language("en" if self.translations.language == "vi" else "vi")

    def set_language(self, language: str) -> None:
        try:
            self.translations.install(language)
        except Exception as exc:
            log.warning("language %s unavailable: %s", language, exc)
            QMessageBox.warning(self, self.tr("Ngôn ngữ"), str(exc))
            return
        self.retranslate()

    # ------------------------------------------------------------------ staff

    def ask_pin(self, purpose: str) -> bool:
        dialog = PinDialog(self.config.staff_pin_hash, purpose, self)
        self._lock_staff_screen(dialog)
        try:
            return dialog.exec() == PinDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()  # a child of the window: each prompt (and the PIN typed into it) would stay

    def _lock_staff_screen(self, window: QWidget) -> None:
        """Kiosk mode: a staff screen closes after :data:`STAFF_IDLE_S` without input (reception: staff's own)."""
        if self.mode == "kiosk":
            lock_after_idle(window, self.staff_idle_s)

    def open_staff_menu(self) -> None:
        if not self.ask_pin(self.tr("Nhập mã PIN nhân viên để mở menu nhân viên.")):
            return
        shipper = self.runtime.shipper if self.runtime is not None else None
        # the log goes to the province's collector: how much still waits
        backlog = self.backlog_text(shipper.last_backlog) if shipper is not None else None
        menu = StaffMenu(self._startup_error, self, info=backlog)
        self._lock_staff_screen(menu)
        menu.exec()
        choice = menu.choice
        menu.deleteLater()
        if choice is StaffChoice.SETTINGS:
            self.open_settings(pin_checked=True)
        elif choice is StaffChoice.LOG:
            self.open_log()
        elif choice is StaffChoice.LANGUAGE:
            self.toggle_language()
        elif choice is StaffChoice.EXIT:
            self.allow_exit()
            self.close()

    def backlog_text(self, backlog: Backlog | None) -> str:
        """The staff view's line about log shipping: attempts waiting, the last batch taken, the last problem."""
        if backlog is None:
            return self.tr("Nhật ký: đang kiểm tra việc gửi về máy chủ tỉnh…")
        last = backlog.acked_at.astimezone().strftime("%H:%M %d/%m") if backlog.acked_at else self.tr("chưa lần nào")
        text = self.tr("Nhật ký chờ gửi về máy chủ tỉnh: {n} lượt (gửi được lần cuối: {last})").format(
            n=f"{backlog.pending:,}".replace(",", "."), last=last
        )
        if backlog.last_error:
            text += self.tr(" — lỗi: {error}").format(error=backlog.last_error)
        return text

    def request_exit(self) -> None:
        if self.mode == "kiosk" and not self.ask_pin(self.tr("Nhập mã PIN nhân viên để thoát.")):
            return
        self.allow_exit()
        self.close()

    def allow_exit(self) -> None:
        self._exit_allowed = True

    def open_log(self) -> None:
        from ui.log_window import open_log_window  # QtCharts is loaded only when IT opens the log

        self._lock_staff_screen(open_log_window(self, self.config.effective_log_db))

    def open_settings(self, pin_checked: bool = False) -> None:
        if self.mode == "kiosk" and not pin_checked and not self.ask_pin(self.tr("Nhập mã PIN để mở cài đặt.")):
            return
        from ui.runtime import camera_choices

        dialog = SettingsDialog(self.config, camera_choices(probe=False), self)
        self._lock_staff_screen(dialog)
        try:
            if dialog.exec() != SettingsDialog.DialogCode.Accepted:
                return
            new, labels = dialog.result_config(), dialog.labels()
        finally:
            dialog.deleteLater()  # a child of the window: each one opened would stay
        if new is not None:
            message = self.apply_settings(new, labels)
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Cài đặt"), message,
                              QMessageBox.StandardButton.Ok, self)
            self._lock_staff_screen(box)
            box.exec()
            box.deleteLater()

    def apply_settings(self, new: KioskConfig, labels: dict[str, str] | None = None) -> str:
        """Use ``new`` now and save what changed; returns the confirmation for staff (also on the status line)."""
        old = self.config
        demo = self.runtime is not None and self.runtime.demo is not None
        refused = [n for n in DEMO_FIXED if demo and getattr(new, n) != getattr(old, n)]
        for name in refused:  # a demo run keeps its own service and its documented PIN
            setattr(new, name, getattr(old, name))
        self.config = new
        if self.runtime is not None:
            self.runtime.config = new
        if (new.high_contrast, new.font_scale) != (old.high_contrast, old.font_scale) and self._apply_style:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, for_screen(Theme(new.high_contrast, new.font_scale)))
        self.sounds.set_enabled(new.sounds)
        if new.language != self.translations.language:
            self.set_language(new.language)
        camera_changed = (new.camera, new.camera_width, new.camera_height) != (
            old.camera, old.camera_width, old.camera_height)
        if camera_changed and self.runtime is not None:
            self._switch_camera(new)
        labels = labels or {}
        changed = changed_settings(old, new, EDITABLE_SETTINGS)
        lines = [f"{labels.get(n, n)}: {describe_value(old, n)} → {describe_value(new, n)}" for n in changed]
        if not changed and not refused:
            lines.append(self.tr("Không có thay đổi."))
        if self.runtime is not None and self.runtime.config_path is not None:
            if changed:
                try:
                    save_settings(self.runtime.config_path, old, new)
                    lines.insert(0, self.tr("Đã lưu vào {path}:").format(path=str(self.runtime.config_path)))
                except Exception as exc:
                    lines.insert(0, self.tr("Không lưu được cài đặt: {error}").format(error=str(exc)))
        elif demo:
            lines.insert(0, self.tr("Chế độ demo: cài đặt chỉ dùng cho lần chạy này, không được lưu."))
            lines += [self.tr("Không đổi được trong chế độ demo: {name}.").format(name=labels.get(n, n))
                      for n in refused]
        else:
            lines.insert(0, self.tr("Không có tệp cài đặt: cài đặt chỉ dùng cho lần chạy này."))
        if (new.service_url, new.read_timeout_s, new.scanner) != (old.service_url, old.read_timeout_s, old.scanner):
            lines.append(self.tr("Địa chỉ dịch vụ, thời gian chờ và máy quét có hiệu lực sau khi khởi động lại."))
        message = "\n".join(lines)
        self.status_line.setText(" ".join(lines))
        return message

    def _switch_camera(self, config: KioskConfig) -> None:
        runtime = self.runtime
        assert runtime is not None
        self.preview.clear(CAMERA_SWITCHING)

        def work() -> None:
            try:
                source = runtime.make_source(config.camera)
            except Exception as exc:
                runtime.pipeline.report_error(f"camera {config.camera!r}: {exc}")
                return
            runtime.pipeline.set_source(source)

        self._start_worker("ui-switch-camera", work)

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.mode == "kiosk" and not self._exit_allowed:
            event.ignore()  # a patient cannot close the kiosk (Alt+F4): staff exit with the PIN
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop timers, detach from the pipeline and stop it (its threads are joined). Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        self.result_timer.stop()
        self.countdown.stop()
        self.wedge.uninstall()
        self.bridge.close()
        self.retry_bridge.close()
        for thread in self._workers:
            thread.join(6.0)
        self._workers.clear()
        if self.pending_list is not None:  # its hand-offs end before the runtime closes their HIS sender
            self.pending_list.shutdown()
        if self.runtime is not None:
            self.runtime.pipeline.remove_listener(self.bridge.listener)
            self.runtime.close()
        if self.pending_list is not None:
            self.pending_list.clear()
        self.ticket_view.clear()
        self.clear_personal_data()
        self.translations.uninstall()  # the app's translators go with its window

