"""The "Lookup log" window: success-rate dashboard, failure reasons, the attempts table and exports, for IT staff.

Opens this kiosk's lookup log or any log file IT chooses (File > Open…, a copy from another kiosk), always read-only.
Every query runs on a worker thread (:mod:`ui.log_tasks`); the window stays responsive on a million attempts.

Entry points: :func:`open_log_window` (the app's staff menu) and :func:`run_log_window` (``bhyt-kiosk logs``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from array import array
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, QEvent, QItemSelection, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk import paths
from kiosk.attempts import InputSource
from kiosk.central.location import LogLocation, is_postgres_url, safe_url
from kiosk.dashboard import Dashboard, DashboardReader, Period, build_dashboard, period_filter
from kiosk.fleet import FleetView, fleet_view
from kiosk.log.reader import LogFilter
from kiosk.log.schema import LogError
from kiosk.outcomes import Outcome
from ui.log_charts import CHART_BUILDERS
from ui.log_table import AttemptTableModel, detail_html
from ui.log_tasks import TaskRunner
from ui.log_texts import (
    GLANCE_COLUMNS,
    GLANCE_NUMERIC,
    QT_TRANSLATE_NOOP,
    fmt_int,
    fmt_pct,
    glance_cells,
    headline_sentence,
    outcome_label,
    period_text,
    reason_label,
    source_label,
    tiles,
    tr,
    translate,
)

log = logging.getLogger(__name__)

PERIODS: tuple[tuple[Period, str], ...] = (
    (Period.TODAY, QT_TRANSLATE_NOOP("LogWindow", "Hôm nay")),
    (Period.LAST_7_DAYS, QT_TRANSLATE_NOOP("LogWindow", "7 ngày qua")),
    (Period.LAST_30_DAYS, QT_TRANSLATE_NOOP("LogWindow", "30 ngày qua")),
    (Period.ALL, QT_TRANSLATE_NOOP("LogWindow", "Toàn bộ nhật ký")),
    (Period.CUSTOM, QT_TRANSLATE_NOOP("LogWindow", "Khoảng ngày tùy chọn")),
)
DEFAULT_PERIOD = Period.LAST_30_DAYS
STYLE = """
LogWindow QWidget { font-size: 13px; }
LogWindow QPushButton { min-height: 0px; padding: 3px 10px; }
LogWindow QComboBox, LogWindow QDateEdit { min-height: 0px; padding: 2px 6px; border-width: 1px; }
LogWindow QFrame#logTile { background: #ffffff; border: 1px solid #b8c2cc; border-radius: 8px; }
LogWindow QFrame#logTile QLabel { background: transparent; border: none; }
LogWindow QLabel#tileLabel { color: #3d4650; font-weight: bold; }
LogWindow QLabel#tileValue { font-size: 26px; font-weight: bold; color: #1b1f24; }
LogWindow QLabel#tileDetail { color: #5b6570; font-size: 12px; }
LogWindow QLabel#headline { font-size: 20px; font-weight: bold; color: #1565c0; }
LogWindow QLabel#logError { background: #ffebee; color: #b71c1c; border: 1px solid #c62828; border-radius: 6px;
                            padding: 6px 10px; font-weight: bold; }
LogWindow QLabel#logNote { color: #5b6570; }
"""


class TileWidget(QFrame):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("logTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.label = QLabel(self)
        self.label.setObjectName("tileLabel")
        self.value = QLabel("–", self)
        self.value.setObjectName("tileValue")
        self.detail = QLabel(self)
        self.detail.setObjectName("tileDetail")
        for w in (self.label, self.value, self.detail):
            layout.addWidget(w)


class LogWindow(QMainWindow):
    """The lookup-log review window. ``today`` fixes the calendar day of the period choices (tests)."""

    dashboardReady = Signal()
    tableReady = Signal()
    exportFinished = Signal(str)  # file written
    problem = Signal(str)  # a message shown to the user

    def __init__(
        self, db_path: LogLocation | None = None, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("LogWindow")
        self.setStyleSheet(STYLE)
        self._today = today
        self.db_path: LogLocation | None = None  # a lookup-log file, or a central store's postgresql:// URL
        self.dashboard: Dashboard | None = None
        self.glance: FleetView | None = None
        self.span: tuple[datetime, datetime] | None = None
        self.last_error: str | None = None
        self.sort_key = "started_at"
        self.sort_descending = True
        self._filling = False
        self._shut_down = False
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._task_finished)
        self.runner.failed.connect(self._task_failed)
        self.model = AttemptTableModel(self)
        self.model.sortRequested.connect(self._sort_requested)
        self._build()
        self.retranslate()
        self.resize(1400, 900)
        if db_path is not None:
            self.open_database(db_path)
        else:
            self._set_empty_state()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        menu = self.menuBar()
        self.file_menu = menu.addMenu("")
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_database)
        self.open_own_action = QAction(self)
        self.open_own_action.triggered.connect(lambda: self.open_database(paths.default_log_db()))
        self.open_central_action = QAction(self)
        self.open_central_action.triggered.connect(self.choose_central)
        self.export_csv_action = QAction(self)
        self.export_csv_action.triggered.connect(lambda: self.choose_export("csv"))
        self.export_json_action = QAction(self)
        self.export_json_action.triggered.connect(lambda: self.choose_export("json"))
        self.export_report_action = QAction(self)
        self.export_report_action.setShortcut(QKeySequence.StandardKey.Print)
        self.export_report_action.triggered.connect(self.choose_report)
        self.close_action = QAction(self)
        self.close_action.setShortcut(QKeySequence.StandardKey.Close)
        self.close_action.triggered.connect(self.close)
        for action in (self.open_action, self.open_own_action, self.open_central_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        for action in (self.export_csv_action, self.export_json_action, self.export_report_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.close_action)

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 6, 10, 6)
        outer.setSpacing(6)

        # filter bar
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.period_label = QLabel(central)
        self.period_combo = QComboBox(central)
        for period, _text in PERIODS:
            self.period_combo.addItem("", period.value)
        self.period_combo.setCurrentIndex([p for p, _ in PERIODS].index(DEFAULT_PERIOD))
        self.since_edit = QDateEdit(central)
        self.until_edit = QDateEdit(central)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setDate(QDate(self.today()))
        self.since_edit.setDate(QDate(self.today()).addDays(-29))
        self.kiosk_label = QLabel(central)
        self.kiosk_combo = QComboBox(central)
        self.facility_label = QLabel(central)
        self.facility_combo = QComboBox(central)
        self.source_label = QLabel(central)
        self.source_combo = QComboBox(central)
        self.outcome_label = QLabel(central)
        self.outcome_combo = QComboBox(central)
        self.source_combo.addItem("", None)
        for source in InputSource:
            self.source_combo.addItem("", source.value)
        self.outcome_combo.addItem("", None)
        for outcome in Outcome:
            self.outcome_combo.addItem("", outcome.value)
        for combo in (self.kiosk_combo, self.facility_combo):
            combo.addItem("", None)
            combo.setMinimumContentsLength(9)
        self.outcome_combo.setMinimumContentsLength(16)
        bar.addWidget(self.period_label)
        bar.addWidget(self.period_combo)
        bar.addWidget(self.since_edit)
        bar.addWidget(QLabel("–", central))
        bar.addWidget(self.until_edit)
        bar.addSpacing(12)
        for label, combo in (
            (self.kiosk_label, self.kiosk_combo),
            (self.facility_label, self.facility_combo),
            (self.source_label, self.source_combo),
            (self.outcome_label, self.outcome_combo),
        ):
            bar.addWidget(label)
            bar.addWidget(combo)
        bar.addStretch(1)
        outer.addLayout(bar)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.since_edit.dateChanged.connect(self._dates_changed)
        self.until_edit.dateChanged.connect(self._dates_changed)
        for combo in (self.kiosk_combo, self.facility_combo, self.source_combo, self.outcome_combo):
            combo.currentIndexChanged.connect(self._filters_changed)

        self.error_label = QLabel(central)
        self.error_label.setObjectName("logError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)

        self.tabs = QTabWidget(central)
        outer.addWidget(self.tabs, 1)

        # dashboard tab
        dash = QWidget()
        dash_layout = QVBoxLayout(dash)
        dash_layout.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        self.headline_label = QLabel(dash)
        self.headline_label.setObjectName("headline")
        self.note_label = QLabel(dash)
        self.note_label.setObjectName("logNote")
        self.note_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.headline_label, 1)
        head.addWidget(self.note_label)
        dash_layout.addLayout(head)
        tiles_row = QHBoxLayout()
        self.tiles: dict[str, TileWidget] = {}
        for key in ("attempts", "successful", "success_rate", "first_try", "eligibility_rate", "median"):
            tile = TileWidget(key, dash)
            self.tiles[key] = tile
            tiles_row.addWidget(tile, 1)
        dash_layout.addLayout(tiles_row)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.chart_views: dict[str, QChartView] = {}
        positions = {"success": (0, 0), "failures": (0, 1), "time": (1, 0), "frames": (1, 1), "hourly": (1, 2)}
        for key, _builder in CHART_BUILDERS:
            view = QChartView()
            view.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            view.setMinimumSize(QSize(360, 270))
            self.chart_views[key] = view
            grid.addWidget(view, *positions[key])
        self.reasons_table = QTableWidget(0, 3, grid_host)
        self.reasons_table.verticalHeader().hide()
        self.reasons_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reasons_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.reasons_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.reasons_title = QLabel(grid_host)
        self.reasons_title.setStyleSheet("font-weight: bold; font-size: 14px;")
        reasons_box = QWidget(grid_host)
        reasons_layout = QVBoxLayout(reasons_box)
        reasons_layout.setContentsMargins(0, 0, 0, 0)
        reasons_layout.addWidget(self.reasons_title)
        reasons_layout.addWidget(self.reasons_table, 1)
        grid.addWidget(reasons_box, 0, 2)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        scroll = QScrollArea(dash)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_host)
        dash_layout.addWidget(scroll, 1)
        self.tabs.addTab(dash, "")

        # table tab
        table_tab = QWidget()
        table_layout = QVBoxLayout(table_tab)
        table_layout.setContentsMargins(4, 4, 4, 4)
        self.table_count_label = QLabel(table_tab)
        table_layout.addWidget(self.table_count_label)
        split = QSplitter(Qt.Orientation.Horizontal, table_tab)
        self.table = QTableView(split)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        widths = (155, 65, 55, 95, 150, 55, 170, 75, 75, 80, 90)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = QTextBrowser(split)
        self.detail.setMinimumWidth(320)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        table_layout.addWidget(split, 1)
        self.tabs.addTab(table_tab, "")

        # kiosks and facilities at a glance (double-click: that kiosk's or facility's dashboard)
        glance_tab = QWidget()
        glance_layout = QVBoxLayout(glance_tab)
        glance_layout.setContentsMargins(4, 4, 4, 4)
        glance_bar = QHBoxLayout()
        self.glance_by_label = QLabel(glance_tab)
        self.glance_by_combo = QComboBox(glance_tab)
        self.glance_by_combo.addItem("", "kiosk")
        self.glance_by_combo.addItem("", "facility")
        self.glance_by_combo.currentIndexChanged.connect(self._submit_glance)
        self.glance_note = QLabel(glance_tab)
        self.glance_note.setObjectName("logNote")
        glance_bar.addWidget(self.glance_by_label)
        glance_bar.addWidget(self.glance_by_combo)
        glance_bar.addSpacing(12)
        glance_bar.addWidget(self.glance_note, 1)
        glance_layout.addLayout(glance_bar)
        self.glance_table = QTableWidget(0, len(GLANCE_COLUMNS), glance_tab)
        self.glance_table.verticalHeader().hide()
        self.glance_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.glance_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.glance_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.glance_table.setAlternatingRowColors(True)
        self.glance_table.horizontalHeader().setStretchLastSection(True)
        self.glance_table.cellDoubleClicked.connect(lambda row, _column: self.open_glance_row(row))
        glance_layout.addWidget(self.glance_table, 1)
        self.tabs.addTab(glance_tab, "")

        self.setCentralWidget(central)
        self.status = self.statusBar()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self._title())
        self.file_menu.setTitle(translate("LogWindow", "&Tệp"))
        self.open_action.setText(translate("LogWindow", "&Mở tệp nhật ký…"))
        self.open_own_action.setText(translate("LogWindow", "Mở nhật ký của &máy này"))
        self.export_csv_action.setText(translate("LogWindow", "Xuất các lượt đang lọc ra &CSV…"))
        self.export_json_action.setText(translate("LogWindow", "Xuất các lượt đang lọc ra &JSON…"))
        self.export_report_action.setText(translate("LogWindow", "Xuất &báo cáo một trang (PDF/PNG)…"))
        self.close_action.setText(translate("LogWindow", "Đó&ng"))
        self.period_label.setText(translate("LogWindow", "Thời gian:"))
        for i, (_period, text) in enumerate(PERIODS):
            self.period_combo.setItemText(i, tr(text))
        self.kiosk_label.setText(translate("LogWindow", "Kiosk:"))
        self.facility_label.setText(translate("LogWindow", "Cơ sở:"))
        self.source_label.setText(translate("LogWindow", "Nguồn:"))
        self.outcome_label.setText(translate("LogWindow", "Kết quả:"))
        for combo in (self.kiosk_combo, self.facility_combo, self.source_combo, self.outcome_combo):
            combo.setItemText(0, translate("LogWindow", "Tất cả"))
        for i in range(1, self.source_combo.count()):
            self.source_combo.setItemText(i, source_label(str(self.source_combo.itemData(i))))
        for i in range(1, self.outcome_combo.count()):
            self.outcome_combo.setItemText(i, outcome_label(str(self.outcome_combo.itemData(i))))
        self.tabs.setTabText(0, translate("LogWindow", "Tổng quan"))
        self.tabs.setTabText(1, translate("LogWindow", "Danh sách lượt tra cứu"))
        self.tabs.setTabText(2, translate("LogWindow", "Các kiosk và cơ sở"))
        self.open_central_action.setText(translate("LogWindow", "Mở &kho trung tâm (PostgreSQL)…"))
        self.glance_by_label.setText(translate("LogWindow", "Theo:"))
        self.glance_by_combo.setItemText(0, translate("LogWindow", "Kiosk"))
        self.glance_by_combo.setItemText(1, translate("LogWindow", "Cơ sở"))
        self.glance_table.setHorizontalHeaderLabels([tr(text) for text in GLANCE_COLUMNS])
        if self.glance is not None:
            self._show_glance(self.glance)
        self.reasons_table.setHorizontalHeaderLabels(
            [translate("LogWindow", "Nguyên nhân"), translate("LogWindow", "Số lượt"), translate("LogWindow", "Tỷ lệ")]
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
        if self.dashboard is not None:
            self._show_dashboard(self.dashboard)
        self._update_table_count()
        self._show_detail()

    def location_name(self) -> str:
        """The file name of the open log, or the central store's URL without its password."""
        if self.db_path is None:
            return ""
        return safe_url(self.db_path) if is_postgres_url(self.db_path) else Path(self.db_path).name

    def _title(self) -> str:
        name = self.location_name() or translate("LogWindow", "chưa mở tệp")
        return translate("LogWindow", "Nhật ký tra cứu — {file}").format(file=name)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ opening

    def today(self) -> date:
        return self._today or date.today()

    def choose_database(self) -> None:
        start = str(self.db_path.parent if isinstance(self.db_path, Path) else paths.data_dir())
        name, _ = QFileDialog.getOpenFileName(
            self,
            translate("LogWindow", "Mở nhật ký tra cứu"),
            start,
            translate("LogWindow", "Nhật ký tra cứu (*.db *.sqlite *.sqlite3);;Tất cả các tệp (*)"),
        )
        if name:
            self.open_database(Path(name))

    def choose_central(self) -> None:
        url, ok = QInputDialog.getText(
            self,
            translate("LogWindow", "Mở kho trung tâm"),
            translate("LogWindow", "Địa chỉ kho nhật ký của tỉnh (postgresql://người-dùng@máy:5432/tên-csdl):"),
            text=self.db_path if isinstance(self.db_path, str) else "postgresql://",
        )
        if ok and url.strip():
            self.open_database(url.strip())

    def open_database(self, path: LogLocation) -> bool:
        """Open a lookup log (a file, or a central store's postgresql:// URL) for review, read-only. A missing,
        non-log or corrupt one: a message, no change."""
        path = path if is_postgres_url(path) else Path(path)
        try:
            reader = DashboardReader(path)
        except LogError as exc:
            self.show_problem(self._open_message(path, exc))
            if self.db_path is None:
                self._set_empty_state()
            return False
        self.clear_problem()
        self.db_path = path
        self.dashboard = None
        self.span = None
        self.model.set_reader(reader)
        self.setWindowTitle(self._title())
        self._filling = True
        try:
            for combo in (self.kiosk_combo, self.facility_combo):
                while combo.count() > 1:
                    combo.removeItem(1)
                combo.setCurrentIndex(0)
        finally:
            self._filling = False
        self.runner.submit(
            "choices", path, lambda r: (r.distinct("kiosk_id"), r.distinct("facility_code"))
        )
        self.refresh()
        return True

    def _open_message(self, path: LogLocation, exc: LogError) -> str:
        if isinstance(path, str):
            return translate("LogWindow", "Không mở được kho trung tâm: {error}").format(error=exc)
        if not path.exists():
            return translate(
                "LogWindow", "Không có tệp nhật ký tra cứu tại {path}. Chọn Tệp > Mở tệp nhật ký… để mở một tệp khác."
            ).format(path=path)
        return translate(
            "LogWindow", "Không mở được {file}: tệp này không phải nhật ký tra cứu hoặc đã bị hỏng. ({error})"
        ).format(
            file=path.name, error=exc
        )

    def _set_empty_state(self) -> None:
        self.headline_label.setText(translate("LogWindow", "Chưa mở nhật ký tra cứu"))
        for tile in self.tiles.values():
            tile.value.setText("–")
        self._enable_exports()

    # ------------------------------------------------------------------ filters

    def current_filter(self) -> LogFilter:
        """The filter of the bar: period, kiosk, facility, source and outcome."""
        period = Period(self.period_combo.currentData())
        since = until = None
        if period is Period.CUSTOM:
            since = self.since_edit.date().toPython()
            until = self.until_edit.date().toPython()
        kiosk, facility = self.kiosk_combo.currentData(), self.facility_combo.currentData()
        source, outcome = self.source_combo.currentData(), self.outcome_combo.currentData()
        return period_filter(
            period,
            self.today(),
            since=since,  # type: ignore[arg-type]
            until=until,  # type: ignore[arg-type]
            kiosks=(kiosk,) if kiosk else (),
            facilities=(facility,) if facility else (),
            sources=(source,) if source else (),
            outcomes=(outcome,) if outcome else (),
        )

    def set_period(self, period: Period | str, since: date | None = None, until: date | None = None) -> None:
        """Choose a period (and the days of a custom one) as the user would."""
        self._filling = True
        try:
            if since is not None:
                self.since_edit.setDate(QDate(since))
            if until is not None:
                self.until_edit.setDate(QDate(until))
            self.period_combo.setCurrentIndex(self.period_combo.findData(Period(period).value))
        finally:
            self._filling = False
        self._period_changed()

    def set_choice(self, which: str, value: str | None) -> None:
        """Pick a kiosk/facility/source/outcome value (None: all) as the user would."""
        combo = {
            "kiosk": self.kiosk_combo,
            "facility": self.facility_combo,
            "source": self.source_combo,
            "outcome": self.outcome_combo,
        }[which]
        index = combo.findData(value) if value is not None else 0
        if index < 0:
            raise ValueError(f"no {which} {value!r} in this log")
        combo.setCurrentIndex(index)

    def _period_changed(self) -> None:
        custom = Period(self.period_combo.currentData()) is Period.CUSTOM
        self.since_edit.setEnabled(custom)
        self.until_edit.setEnabled(custom)
        if not self._filling:
            self.refresh()

    def _dates_changed(self) -> None:
        if not self._filling and Period(self.period_combo.currentData()) is Period.CUSTOM:
            self.refresh()

    def _filters_changed(self) -> None:
        if not self._filling:
            self.refresh()

    def refresh(self) -> None:
        """Recompute the dashboard and the table for the current filter (on worker threads)."""
        if self.db_path is None or self._shut_down:
            return
        try:
            filters = self.current_filter()
        except ValueError as exc:
            self.show_problem(str(exc))
            return
        self.clear_problem()
        self.headline_label.setText(translate("LogWindow", "Đang tính…"))
        self.status.showMessage(translate("LogWindow", "Đang đọc nhật ký…"))
        path = self.db_path
        self.runner.submit("dashboard", path, lambda r: (build_dashboard(r, filters), r.recorded_span()))
        self._submit_ids(filters)
        self._submit_glance()

    def _submit_glance(self) -> None:
        """The kiosks (or facilities) at a glance for the period, source and outcome of the bar (not its kiosk or
        facility: the table is for choosing one)."""
        if self.db_path is None or self._shut_down:
            return
        try:
            bar = self.current_filter()
        except ValueError:
            return
        filters = LogFilter(since=bar.since, until=bar.until, sources=bar.sources, outcomes=bar.outcomes)
        by = str(self.glance_by_combo.currentData())
        self.glance_note.setText(translate("LogWindow", "Đang tính…"))
        self.runner.submit("glance", self.db_path, lambda r: fleet_view(r, by, filters))  # type: ignore[arg-type]

    def _show_glance(self, view: FleetView | None) -> None:
        self.glance_table.setRowCount(0)
        if view is None:
            self.glance_note.setText(translate("LogWindow", "không có lượt nào"))
            return
        note = translate("LogWindow", "{period}; thay đổi so với {previous} trở đi. Nhấp đúp một dòng để xem chi tiết.")
        self.glance_note.setText(
            note.format(period=period_text(view.since, view.until), previous=view.previous_since.strftime("%d/%m/%Y"))
        )
        self.glance_table.setRowCount(len(view.rows))
        for i, row in enumerate(view.rows):
            cells = glance_cells(row)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j in GLANCE_NUMERIC:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if j == 0 and row.attention.value < 4:
                    item.setForeground(QColor("#b71c1c"))
                self.glance_table.setItem(i, j, item)
        self.glance_table.resizeColumnsToContents()

    def open_glance_row(self, row: int) -> None:
        """Click-through: the dashboard of that kiosk (or facility), same period."""
        if self.glance is None or not 0 <= row < len(self.glance.rows):
            return
        key = self.glance.rows[row].key
        chosen, other = self.kiosk_combo, self.facility_combo
        if self.glance.by == "facility":
            chosen, other = other, chosen
        self._filling = True
        try:
            if chosen.findData(key) < 0:
                chosen.addItem(key, key)
            chosen.setCurrentIndex(chosen.findData(key))
            other.setCurrentIndex(0)
        finally:
            self._filling = False
        self.tabs.setCurrentIndex(0)
        self.refresh()

    def _submit_ids(self, filters: LogFilter) -> None:
        assert self.db_path is not None
        key, descending = self.sort_key, self.sort_descending
        self.runner.submit("ids", self.db_path, lambda r: r.ordered_ids(filters, key, descending=descending))
        self.table_count_label.setText(translate("LogWindow", "Đang tải danh sách…"))

    def _sort_requested(self, key: str, descending: bool) -> None:
        if (key, descending) == (self.sort_key, self.sort_descending):
            return
        self.sort_key, self.sort_descending = key, descending
        if self.db_path is not None:
            try:
                self._submit_ids(self.current_filter())
            except ValueError as exc:
                self.show_problem(str(exc))

    # ------------------------------------------------------------------ results

    def _task_finished(self, kind: str, result: Any) -> None:
        if kind == "dashboard":
            self.dashboard, self.span = result
            self._show_dashboard(self.dashboard)
            self.status.showMessage(str(self.db_path), 0)
            self.dashboardReady.emit()
        elif kind == "ids":
            assert isinstance(result, array)
            self.model.set_ids(result)
            self._update_table_count()
            self._show_detail()
            self.tableReady.emit()
        elif kind == "glance":
            self.glance = result
            self._show_glance(self.glance)
        elif kind == "choices":
            kiosks, facilities = result
            self._fill_choices(self.kiosk_combo, kiosks)
            self._fill_choices(self.facility_combo, facilities)
        elif kind == "export":
            path, count = result
            done = translate("LogWindow", "Đã xuất {n} lượt ra {file}").format(n=fmt_int(count), file=path)
            self.status.showMessage(done, 0)
            self.exportFinished.emit(str(path))

    def _task_failed(self, kind: str, message: str) -> None:
        if kind == "export":
            self.show_problem(translate("LogWindow", "Không xuất được tệp: {error}").format(error=message))
        else:
            self.show_problem(translate("LogWindow", "Không đọc được nhật ký: {error}").format(error=message))
        if kind == "dashboard":
            self.headline_label.setText("–")

    def _fill_choices(self, combo: QComboBox, values: list[str]) -> None:
        current = combo.currentData()
        self._filling = True
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            self._filling = False

    def _show_dashboard(self, d: Dashboard) -> None:
        self.headline_label.setText(headline_sentence(d.headline))
        for tile in tiles(d):
            widget = self.tiles[tile.key]
            widget.label.setText(tile.label)
            widget.value.setText(tile.value)
            widget.detail.setText(tile.detail)
        note = period_text(d.filters.since, d.filters.until)
        if d.empty:
            note += " — " + translate("LogWindow", "không có lượt nào")
            if self.span is not None:
                note += " " + translate("LogWindow", "(nhật ký có dữ liệu từ {first} đến {last})").format(
                    first=self.span[0].astimezone().strftime("%d/%m/%Y"),
                    last=self.span[1].astimezone().strftime("%d/%m/%Y"),
                )
        self.note_label.setText(note)
        for key, builder in CHART_BUILDERS:
            view = self.chart_views[key]
            old = view.chart()
            view.setChart(builder(d))
            if old is not None:
                old.deleteLater()
        self.reasons_title.setText(
            translate("LogWindow", "Nguyên nhân không thành công ({n} lượt)").format(n=fmt_int(d.headline.failed))
        )
        self.reasons_table.setRowCount(len(d.reasons))
        for i, r in enumerate(d.reasons):
            text = reason_label(r)
            count = QTableWidgetItem(fmt_int(r.count))
            share = QTableWidgetItem(fmt_pct(r.share))
            for item in (count, share):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.reasons_table.setItem(i, 0, QTableWidgetItem(text))
            self.reasons_table.setItem(i, 1, count)
            self.reasons_table.setItem(i, 2, share)
        self._enable_exports()

    def _enable_exports(self) -> None:
        has_log = self.db_path is not None
        for action in (self.export_csv_action, self.export_json_action):
            action.setEnabled(has_log)
        self.export_report_action.setEnabled(self.dashboard is not None)

    def _update_table_count(self) -> None:
        if self.db_path is None:
            self.table_count_label.setText("")
            return
        self.table_count_label.setText(
            translate("LogWindow", "{n} lượt phù hợp với bộ lọc — bấm vào tiêu đề cột để sắp xếp").format(
                n=fmt_int(self.model.rowCount())
            )
        )

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        self.detail.setHtml(detail_html(self.model.row_at(rows[0].row()) if rows else None))

    # ------------------------------------------------------------------ problems

    def show_problem(self, message: str) -> None:
        """A message in the window (and the status bar); never a crash."""
        self.last_error = message
        self.error_label.setText(message)
        self.error_label.show()
        self.status.showMessage(message, 0)
        self.problem.emit(message)

    def clear_problem(self) -> None:
        self.last_error = None
        self.error_label.hide()

    # ------------------------------------------------------------------ exports

    def choose_export(self, fmt: str) -> None:
        if self.db_path is None:
            return
        suffix = "csv" if fmt == "csv" else "json"
        default = Path.home() / f"lookup-log-{self.today().isoformat()}.{suffix}"
        name, _ = QFileDialog.getSaveFileName(
            self, translate("LogWindow", "Xuất các lượt tra cứu"), str(default), f"{suffix.upper()} (*.{suffix})"
        )
        if name:
            self.export_attempts(Path(name), fmt)

    def export_attempts(self, path: Path, fmt: str) -> None:
        """Write the filtered attempts (no personal data) as CSV or JSON on a worker thread."""
        from kiosk.log import export

        if fmt not in ("csv", "json"):
            raise ValueError(f"unknown export format {fmt!r}; choose csv or json")
        if self.db_path is None:
            self.show_problem(translate("LogWindow", "Chưa mở nhật ký tra cứu."))
            return
        filters = self.current_filter()
        writer = export.write_csv if fmt == "csv" else export.write_json
        target = Path(path)

        def run(reader: DashboardReader) -> tuple[Path, int]:
            partial = target.with_name(target.name + ".part")
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = writer(reader.query(filters), stream)
            partial.replace(target)
            return target, count

        self.status.showMessage(translate("LogWindow", "Đang xuất…"))
        self.runner.submit("export", self.db_path, run)

    def choose_report(self) -> None:
        if self.dashboard is None:
            return
        default = Path.home() / f"lookup-report-{self.today().isoformat()}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self,
            translate("LogWindow", "Xuất báo cáo"),
            str(default),
            translate("LogWindow", "Báo cáo PDF (*.pdf);;Ảnh PNG (*.png)"),
        )
        if name:
            self.export_report(Path(name))

    def export_report(self, path: Path) -> bool:
        """The one-page report of the dashboard on screen, as PDF or PNG (by extension)."""
        from ui.log_report import ReportError, ReportInfo, write_report

        if self.dashboard is None:
            self.show_problem(translate("LogWindow", "Chưa có số liệu để lập báo cáo."))
            return False
        info = ReportInfo(self.location_name(), datetime.now())
        try:
            written = write_report(Path(path), self.dashboard, info)
        except ReportError as exc:
            self.show_problem(str(exc))
            return False
        self.status.showMessage(translate("LogWindow", "Đã lưu báo cáo: {file}").format(file=written), 0)
        self.exportFinished.emit(str(written))
        return True

    # ------------------------------------------------------------------ closing

    def shutdown(self) -> None:
        """Stop the worker threads and close the log (idempotent)."""
        if self._shut_down:
            return
        self._shut_down = True
        self.runner.shutdown()
        self.model.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def _problem_box(window: LogWindow, message: str) -> None:
    title = translate("LogWindow", "Nhật ký tra cứu")
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()


def open_log_window(parent: QWidget | None, db_path: LogLocation | None) -> LogWindow:
    """Open the log window over ``parent`` (the app's staff menu) on ``db_path`` (None: this kiosk's log)."""
    window = LogWindow(db_path if db_path is not None else paths.default_log_db(), parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.problem.connect(lambda message: _problem_box(window, message))
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def _configured_log(args: argparse.Namespace) -> tuple[LogLocation, str]:
    """The log to open and the UI language: ``--db``, else the configured log, else this kiosk's default."""
    language = "vi"
    db = getattr(args, "db", None)
    try:
        from kiosk.config import KioskConfig

        config = KioskConfig.load(getattr(args, "config", None))
        language = config.language
        if db is None:
            db = config.effective_log_db
    except Exception as exc:  # a broken config must not keep IT from reading the log
        log.warning("configuration not loaded: %s", exc)
    if db is None:
        return paths.default_log_db(), language
    return (db if is_postgres_url(db) else Path(db)), language


def run_log_window(args: argparse.Namespace) -> int:
    """``bhyt-kiosk logs`` without an action: the log window on its own."""
    from ui.i18n import Translations
    from ui.theme import pick_font_family

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("bhyt-kiosk")
    db, language = _configured_log(args)
    font = app.font()
    font.setFamily(pick_font_family())
    app.setFont(font)
    translations = Translations()
    try:
        translations.install(language)
    except Exception as exc:
        log.warning("translations: %s", exc)
    window = LogWindow(db)
    window.problem.connect(lambda message: _problem_box(window, message))
    if window.last_error:
        _problem_box(window, window.last_error)
    window.show()
    try:
        return int(app.exec())
    finally:
        window.shutdown()
