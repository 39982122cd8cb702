"""The lookup-log window (pytest-qt, offscreen): tiles, charts, filters, table, exports, read-only opening, threads."""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarSeries, QChart, QLineSeries, QStackedBarSeries
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from test_dashboard import DAY2, DAY3, build_fixture_db

from kiosk.dashboard import FRAMES_MAX, TIME_BINS, Period
from kiosk.log.export import EXPORT_COLUMNS
from ui.log_table import COLUMNS
from ui.log_window import LogWindow, open_log_window

TODAY = DAY3


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return build_fixture_db(tmp_path / "lookups.db")


@pytest.fixture()
def make_window(qtbot) -> Iterator[Callable[..., LogWindow]]:  # type: ignore[no-untyped-def]
    windows: list[LogWindow] = []
    threads_before = threading.active_count()

    def make(path: Path | None, wait: bool = True) -> LogWindow:
        window = LogWindow(None, today=TODAY)
        qtbot.addWidget(window)
        windows.append(window)
        if path is not None:
            if wait:
                ready(qtbot, window, lambda: window.open_database(path))
            else:
                window.open_database(path)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.runner.pool.activeThreadCount() == 0
    assert threading.active_count() == threads_before


def ready(qtbot, window: LogWindow, action: Callable[[], object]) -> None:  # type: ignore[no-untyped-def]
    """Do ``action`` and wait until the dashboard and the table show its result."""
    with qtbot.waitSignals([window.dashboardReady, window.tableReady], timeout=15_000):
        action()


def open_fails(qtbot, window: LogWindow, path: object) -> str:  # type: ignore[no-untyped-def]
    """Open ``path`` and wait for the message saying why it cannot be opened."""
    with qtbot.waitSignal(window.problem, timeout=15_000) as blocker:
        window.open_database(path)  # type: ignore[arg-type]
    return str(blocker.args[0])


def tile(window: LogWindow, key: str) -> str:
    return window.tiles[key].value.text()


def bar_values(chart: QChart) -> dict[str, list[float]]:
    series = chart.series()[0]
    assert isinstance(series, QBarSeries | QStackedBarSeries)
    return {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}


def test_tiles_show_the_fixture_figures(make_window, db: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    assert window.period_combo.currentData() == Period.LAST_30_DAYS.value  # the default period
    assert tile(window, "attempts") == "19"  # all fixture days are within 30 days of TODAY
    assert window.headline_label.text() == "16 lượt tra cứu, 13 thành công (81,3%)"
    assert tile(window, "successful") == "13"
    assert tile(window, "success_rate") == "81,3%"
    assert tile(window, "eligibility_rate") == "84,6%"
    assert tile(window, "median") == "1,5 s"
    assert "11 / 13" in window.tiles["eligibility_rate"].detail.text()
    assert window.last_error is None
    assert window.windowTitle() == "Nhật ký tra cứu — lookups.db"


def test_charts_series_match_the_fixture(make_window, db: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    window_charts = {k: v.chart() for k, v in window.chart_views.items()}
    for key, chart in window_charts.items():
        assert chart.title(), key
        for axis in chart.axes():
            assert axis.titleText(), (key, axis)

    # the 30-day period ends on TODAY: the fixture days are the last three bins
    line = window_charts["success"].series()[0]
    assert isinstance(line, QLineSeries)
    points = [(p.x(), round(p.y(), 2)) for p in line.points()]
    assert points == [(27.0, round(700 / 9, 2)), (28.0, 80.0), (29.0, 100.0)]

    stacked = bar_values(window_charts["failures"])
    assert {k: v[-3:] for k, v in stacked.items()} == {
        "Lỗi dịch vụ": [0, 1, 0],
        "Hết thời gian chờ": [2, 0, 0],
        "Thẻ CCCD không hợp lệ": [0, 1, 0],
        "Không đọc được mã QR": [1, 0, 0],
        "Đã hủy": [0, 0, 1],
    }
    assert all(sum(v[:-3]) == 0 and len(v) == 30 for v in stacked.values())

    time_counts = next(iter(bar_values(window_charts["time"]).values()))
    expected = [0.0] * (TIME_BINS + 1)
    for index, n in {0: 4, 1: 8, 2: 1, 3: 1, 4: 1, 6: 1, 10: 2, TIME_BINS: 1}.items():
        expected[index] = n
    assert time_counts == expected
    frames = next(iter(bar_values(window_charts["frames"]).values()))
    assert frames[:3] == [9, 1, 2] and frames[FRAMES_MAX] == 1 and sum(frames) == 13
    hourly = next(iter(bar_values(window_charts["hourly"]).values()))
    assert len(hourly) == 24 and (hourly[8], hourly[9], hourly[10], hourly[14], hourly[15]) == (9, 3, 1, 4, 2)
    assert sum(hourly) == 19
    assert "1,5 s" in window_charts["time"].title()
    reasons = window.reasons_table
    assert reasons.rowCount() == 5
    assert reasons.item(0, 0).text() == "Hết thời gian chờ — timeout: read 10 s" and reasons.item(0, 1).text() == "2"


def test_filters_period_kiosk_source_outcome(make_window, qtbot, db: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    ready(qtbot, window, lambda: window.set_period(Period.TODAY))
    assert (tile(window, "attempts"), window.model.rowCount()) == ("3", 3)
    ready(qtbot, window, lambda: window.set_period(Period.CUSTOM, DAY2, DAY3))
    assert (tile(window, "attempts"), window.model.rowCount()) == ("9", 9)
    ready(qtbot, window, lambda: window.set_period(Period.ALL))
    assert tile(window, "attempts") == "19"
    qtbot.waitUntil(lambda: window.kiosk_combo.count() == 3)  # "all" + the two kiosks of the log
    ready(qtbot, window, lambda: window.set_choice("kiosk", "kiosk-02"))
    assert (tile(window, "attempts"), tile(window, "successful"), window.model.rowCount()) == ("6", "4", 6)
    ready(qtbot, window, lambda: window.set_choice("source", "usb-scanner"))
    assert (tile(window, "attempts"), tile(window, "success_rate")) == ("4", "75,0%")
    ready(qtbot, window, lambda: window.set_choice("kiosk", None))
    ready(qtbot, window, lambda: window.set_choice("source", None))
    ready(qtbot, window, lambda: window.set_choice("outcome", "timeout"))
    assert (tile(window, "attempts"), tile(window, "success_rate"), window.model.rowCount()) == ("2", "0,0%", 2)
    outcome_column = [c.key for c in COLUMNS].index("outcome")
    assert {window.model.index(r, outcome_column).data() for r in range(2)} == {"Hết thời gian chờ"}
    ready(qtbot, window, lambda: window.set_choice("facility", "27002"))  # kiosk-02's facility: no timeouts
    assert (tile(window, "attempts"), window.model.rowCount()) == ("0", 0)
    with pytest.raises(ValueError):
        window.set_choice("kiosk", "kiosk-99")


def test_empty_period_says_where_the_data_is(make_window, qtbot, db: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    ready(qtbot, window, lambda: window.set_period(Period.CUSTOM, date(2024, 1, 1), date(2024, 1, 2)))
    assert tile(window, "attempts") == "0" and tile(window, "success_rate") == "–"
    assert "không có lượt nào" in window.note_label.text() and "01/06/2025" in window.note_label.text()


def test_bad_custom_range_is_a_message(make_window, qtbot, db: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    window.set_period(Period.CUSTOM, DAY3, DAY2)
    assert window.last_error is not None and "2025-06-03" in window.last_error
    assert window.error_label.isVisibleTo(window)


def test_table_sorts_in_sql_and_shows_details(make_window, qtbot, db: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    total = [c.key for c in COLUMNS].index("total_ms")
    with qtbot.waitSignal(window.tableReady, timeout=15_000):
        window.table.sortByColumn(total, Qt.SortOrder.AscendingOrder)
    assert (window.sort_key, window.sort_descending) == ("total_ms", False)
    texts = [window.model.index(r, total).data() for r in range(3)]
    assert texts == ["300 ms", "800 ms", "800 ms"]
    with qtbot.waitSignal(window.tableReady, timeout=15_000):
        window.table.sortByColumn(total, Qt.SortOrder.DescendingOrder)
    assert window.model.index(0, total).data() == "25.000 ms"
    window.tabs.setCurrentIndex(1)
    window.table.selectRow(0)
    detail = window.detail.toPlainText()
    assert "Thông tin không khớp" in detail and "Nhập tay" in detail and "kiosk-02" in detail
    assert "••••••••" not in detail  # the log keeps no digit of the number (kiosk.privacy)
    assert hashlib.sha256(b"person 11").hexdigest() not in detail and "person_hash" not in detail
    assert "Gửi yêu cầu tra cứu" in detail and "25.000 ms" in detail


def test_export_csv_and_json_of_the_filter(make_window, qtbot, db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    ready(qtbot, window, lambda: window.set_choice("outcome", "eligible"))
    csv_path = tmp_path / "out" / "eligible.csv"
    csv_path.parent.mkdir()
    with qtbot.waitSignal(window.exportFinished, timeout=15_000):
        window.export_attempts(csv_path, "csv")
    with csv_path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 9 and tuple(rows[0]) == EXPORT_COLUMNS
    assert {r["outcome"] for r in rows} == {"eligible"} and {r["kiosk_id"] for r in rows} == {"kiosk-01", "kiosk-02"}
    assert "person_hash" not in rows[0] and "masked_id" not in rows[0]
    json_path = tmp_path / "out" / "eligible.json"
    with qtbot.waitSignal(window.exportFinished, timeout=15_000):
        window.export_attempts(json_path, "json")
    records = json.loads(json_path.read_text(encoding="utf-8"))
    assert len(records) == 9 and set(records[0]) == set(EXPORT_COLUMNS)
    assert sorted(r["source"] for r in records).count("usb-scanner") == 3
    assert not list((tmp_path / "out").glob("*.part"))
    with pytest.raises(ValueError):
        window.export_attempts(tmp_path / "x.xml", "xml")


def test_export_failure_is_a_message(make_window, qtbot, db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    with qtbot.waitSignal(window.problem, timeout=15_000):
        window.export_attempts(tmp_path / "no-such-folder" / "x.csv", "csv")
    assert window.last_error is not None and "xuất" in window.last_error.lower()


def test_report_pdf_and_png(make_window, db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    pdf = tmp_path / "report.pdf"
    png = tmp_path / "report.png"
    assert window.export_report(pdf) and window.export_report(png)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1240, 1754)
    colours = {image.pixel(x, y) for x in range(0, 1240, 20) for y in range(0, 1754, 20)}
    assert len(colours) > 20  # text, tiles and charts, not a blank page
    assert not window.export_report(tmp_path / "report.docx")
    assert "PDF" in (window.last_error or "")


def test_opens_read_only_and_never_modifies(make_window, qtbot, db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = _sha(db)
    window = make_window(db)
    window.export_report(tmp_path / "r.png")
    window.table.selectRow(0)
    window.close()
    assert _sha(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 19


def test_non_log_and_corrupt_files_get_a_message(make_window, qtbot, db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db)
    text = tmp_path / "notes.db"
    text.write_text("hello, not a database\n" * 100, encoding="utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE patients (name TEXT)")
    corrupt = tmp_path / "corrupt.db"
    raw = bytearray(db.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    corrupt.write_bytes(bytes(raw))
    for bad in (text, other, corrupt):
        message = open_fails(qtbot, window, bad)
        assert message == window.last_error and bad.name in message and "không phải nhật ký" in message
        assert window.db_path == db  # the open log stays
        assert tile(window, "attempts") == "19" and "Đang mở" not in window.headline_label.text()
    assert "Không có tệp" in open_fails(qtbot, window, tmp_path / "missing.db")
    ready(qtbot, window, window.refresh)
    assert tile(window, "attempts") == "19"


def test_window_without_a_log(make_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(None)
    assert window.headline_label.text() == "Chưa mở nhật ký tra cứu"
    assert not window.export_report_action.isEnabled() and not window.export_csv_action.isEnabled()
    assert "Không có tệp" in open_fails(qtbot, window, tmp_path / "nothing-here.db")
    assert window.db_path is None and window.headline_label.text() == "Chưa mở nhật ký tra cứu"


def test_open_log_window_from_the_app(qtbot, db: Path) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    window = open_log_window(parent, db)
    with qtbot.waitSignals([window.dashboardReady, window.tableReady], timeout=15_000):
        pass
    assert window.isVisible() and window.isWindow() and window.db_path == db
    assert window.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.close()
    assert window.runner.pool.activeThreadCount() == 0


def test_close_while_loading_leaves_no_thread(make_window, db: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db, wait=False)
    for period in (Period.TODAY, Period.ALL, Period.LAST_7_DAYS):
        window.set_period(period)
    window.close()
    assert window.runner.pool.activeThreadCount() == 0
    window.refresh()  # after shutdown: ignored, no crash


def test_english_translation_of_the_window(make_window, qtbot, db: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.i18n
    from ui.i18n import Translations

    monkeypatch.setattr(ui.i18n, "cache_dir", lambda: tmp_path / "i18n-cache")  # compile the .qm here
    window = make_window(db)
    translations = Translations()
    translations.install("en")  # LanguageChange -> the window retranslates, re-showing its figures
    qtbot.waitUntil(lambda: window.windowTitle() == "Lookup log — lookups.db", timeout=5_000)
    try:
        assert window.headline_label.text() == "16 lookups, 13 successful (81.3%)"  # English numbers too
        labels = {key: tile.label.text() for key, tile in window.tiles.items()}
        assert labels == {
            "attempts": "Attempts",
            "successful": "Successful lookups",
            "success_rate": "Success rate",
            "first_try": "Successful on the first try",
            "eligibility_rate": "Valid BHYT card rate",
            "median": "Time to result",
        }
        assert (tile(window, "success_rate"), tile(window, "median")) == ("81.3%", "1.5 s")
        assert tile(window, "first_try") == "81.3%"  # no background retries in this log
        assert window.tiles["first_try"].detail.text().startswith("0 late answers; 0 pending; 0 abandoned")
        assert window.tiles["successful"].detail.text() == "out of 16 lookups"
        assert window.period_combo.currentText() == "Last 30 days"
        assert window.tabs.tabText(0) == "Overview"
        assert window.chart_views["success"].chart().title() == "Lookup success rate by day (%)"
        assert "Timed out" in bar_values(window.chart_views["failures"].chart())
        assert window.reasons_table.item(0, 0).text().startswith("Timed out")
    finally:
        translations.uninstall()  # back to the source texts (Vietnamese); no translator left behind
    qtbot.waitUntil(lambda: window.windowTitle() == "Nhật ký tra cứu — lookups.db", timeout=5_000)
    assert window.headline_label.text() == "16 lượt tra cứu, 13 thành công (81,3%)"
    assert window.tiles["attempts"].label.text() == "Lượt đưa thẻ"


def test_unreachable_central_store_keeps_the_window_responsive(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A central store that takes the connection and never answers (a black hole) is opened off the GUI thread: the
    event loop keeps running while the window says it is opening, then the window says what went wrong."""
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(8)  # the kernel completes the handshake; nobody ever reads or answers
        url = f"postgresql://it:s3cret-pw@127.0.0.1:{hole.getsockname()[1]}/bhyt"
        window = make_window(None)
        ticks: list[int] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(50)
        with qtbot.waitSignal(window.problem, timeout=30_000) as blocker:
            window.open_database(url)
            ticks_at_open = len(ticks)
            assert window.headline_label.text().startswith("Đang mở postgresql://it@127.0.0.1")
        timer.stop()
    assert len(ticks) - ticks_at_open >= 10  # the GUI thread went on processing events while the store was silent
    message = str(blocker.args[0])
    assert message.startswith("Không mở được kho trung tâm postgresql://it@127.0.0.1") and "mạng" in message
    assert "s3cret" not in message and "s3cret" not in window.windowTitle()
    assert window.error_label.isVisibleTo(window) and window.error_label.text() == message
    assert window.db_path is None and window.opening is None
    assert window.headline_label.text() == "Chưa mở nhật ký tra cứu"


def test_table_pages_are_read_on_worker_threads(make_window, qtbot, db: Path,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.log_table
    import ui.log_window
    from kiosk.dashboard import DashboardReader

    monkeypatch.setattr(ui.log_table, "PAGE_SIZE", 5)
    monkeypatch.setattr(ui.log_window, "PAGE_SIZE", 5, raising=False)
    readers: list[int] = []
    read = DashboardReader.attempts_by_id

    def recording(self, ids):  # type: ignore[no-untyped-def]
        readers.append(threading.get_ident())  # not current_thread(): it would register a dummy thread
        return read(self, ids)

    monkeypatch.setattr(DashboardReader, "attempts_by_id", recording)
    window = make_window(db)
    assert window.model.rowCount() == 19 and window.model.index(4, 4).data() != "…"  # the first page comes with the ids
    with qtbot.waitSignal(window.model.dataChanged, timeout=15_000):
        assert window.model.index(17, 4).data() == "…"  # not read yet: asked for on a worker
    assert window.model.index(17, 4).data() not in ("…", "")
    assert window.model.page_loads == 1
    assert readers and threading.main_thread().ident not in readers


def test_central_store_box_never_shows_the_password(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """File > Open central store: the address without the password, the password field empty and shown as dots; left
    empty, the stored password is kept (for the same user and server only)."""
    from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

    window = make_window(None)
    window.db_path = "postgresql://it:s3cr%40t@db.example:5432/bhyt?sslmode=require"  # the store open before
    seen: dict[str, object] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget() or next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()), None
        )
        assert isinstance(dialog, QDialog)
        fields = dialog.findChildren(QLineEdit)
        seen["shown"] = [f.displayText() for f in fields]
        seen["dialog"] = dialog
        if not hasattr(dialog, "url"):
            dialog.reject()  # the old box: a plain input dialog

    QTimer.singleShot(200, look)
    window.choose_central()
    qtbot.waitUntil(lambda: "shown" in seen, timeout=5_000)
    shown = seen["shown"]
    assert isinstance(shown, list)
    assert not any("s3cr" in text for text in shown), shown
    assert "postgresql://it@db.example:5432/bhyt?sslmode=require" in shown
    dialog = seen["dialog"]
    password = [f for f in dialog.findChildren(QLineEdit) if f.echoMode() == QLineEdit.EchoMode.Password]  # type: ignore[attr-defined]
    assert len(password) == 1 and password[0].text() == ""
    assert dialog.url() == window.db_path  # type: ignore[attr-defined]  # nothing changed: the stored password stays
    address = next(f for f in dialog.findChildren(QLineEdit) if f is not password[0])  # type: ignore[attr-defined]
    address.setText("postgresql://it@db.example:5432/other")
    assert dialog.url() == "postgresql://it:s3cr%40t@db.example:5432/other"  # type: ignore[attr-defined]
    address.setText("postgresql://it@elsewhere.example:5432/bhyt")
    assert dialog.url() == "postgresql://it@elsewhere.example:5432/bhyt"  # type: ignore[attr-defined]  # not sent there
    password[0].setText("n3w p@ss")
    assert dialog.url() == "postgresql://it:n3w%20p%40ss@elsewhere.example:5432/bhyt"  # type: ignore[attr-defined]
    dialog.reject()  # type: ignore[attr-defined]


def test_central_store_password_stays_out_of_the_window_and_the_log(  # type: ignore[no-untyped-def]
    make_window, qtbot, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from kiosk.central.store import open_store

    with open_store(postgres_url):
        pass  # a migrated, empty central store
    with_password = postgres_url.replace("@", ":s3cret-pw@", 1)  # the test server trusts 127.0.0.1: any password
    caplog.set_level(logging.DEBUG)
    window = make_window(with_password)
    assert window.db_path == with_password
    texts = [window.windowTitle(), window.statusBar().currentMessage(), window.headline_label.text()]
    texts += [r.getMessage() for r in caplog.records]
    assert not any("s3cret" in text for text in texts), texts


def test_closing_while_a_central_store_does_not_answer_does_not_wait_for_it(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A connection attempt cannot be interrupted: closing the window leaves it to end on its own (connect timeout)
    instead of freezing the GUI until then; its thread still ends and nothing is reported to the closed window."""
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(8)
        window = make_window(None)
        problems: list[str] = []
        window.problem.connect(problems.append)
        window.open_database(f"postgresql://it@127.0.0.1:{hole.getsockname()[1]}/bhyt")
        runner = window.runner
        qtbot.waitUntil(lambda: runner.connecting == 1, timeout=5_000)
        window.close()
        assert runner.pool.activeThreadCount() == 1  # close() did not wait for the silent store
        qtbot.waitUntil(lambda: runner.pool.activeThreadCount() == 0, timeout=15_000)
        assert problems == []
