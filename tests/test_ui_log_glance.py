"""The log window's kiosks-at-a-glance tab with click-through, and the window on a central store (PostgreSQL)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from test_dashboard import DAY3, build_fixture_db

from kiosk.central.store import open_store
from kiosk.log.schema import INSERT_COLUMNS
from ui.log_window import LogWindow


@pytest.fixture()
def window(qtbot):  # type: ignore[no-untyped-def]
    threads_before = threading.active_count()
    w = LogWindow(None, today=DAY3)
    qtbot.addWidget(w)
    yield w
    w.close()
    assert w.runner.pool.activeThreadCount() == 0
    assert threading.active_count() == threads_before


def open_and_wait(qtbot, window: LogWindow, location) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([window.dashboardReady, window.tableReady], timeout=15_000):
        window.open_database(location)
    qtbot.waitUntil(lambda: window.glance is not None, timeout=15_000)


def test_glance_lists_kiosks_and_double_click_opens_that_kiosk(qtbot, window: LogWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    open_and_wait(qtbot, window, build_fixture_db(tmp_path / "lookups.db"))
    assert window.glance is not None
    keys = [r.key for r in window.glance.rows]
    assert sorted(keys) == ["kiosk-01", "kiosk-02"]
    table = window.glance_table
    assert table.rowCount() == 2 and [table.item(i, 1).text() for i in range(2)] == keys
    assert window.tiles["attempts"].value.text() == "19"

    target = window.glance.rows[1]
    with qtbot.waitSignal(window.dashboardReady, timeout=15_000):
        table.cellDoubleClicked.emit(1, 3)  # what a double-click on the row sends
    assert window.kiosk_combo.currentData() == target.key
    assert window.tabs.currentIndex() == 0
    assert window.tiles["attempts"].value.text() == str(target.attempts)  # that kiosk's dashboard, same period

    with qtbot.waitSignal(window.runner.finished, timeout=15_000):
        window.glance_by_combo.setCurrentIndex(1)  # per facility
    qtbot.waitUntil(lambda: window.glance is not None and window.glance.by == "facility", timeout=15_000)
    assert sorted(r.key for r in window.glance.rows) == ["27001", "27002"]


def test_window_reads_a_central_store(qtbot, window: LogWindow, tmp_path: Path, postgres_url: str) -> None:  # type: ignore[no-untyped-def]
    db = build_fixture_db(tmp_path / "lookups.db")
    conn = sqlite3.connect(db)
    rows = conn.execute(f"SELECT {', '.join(INSERT_COLUMNS)} FROM attempts").fetchall()
    conn.close()
    with open_store(postgres_url) as store:
        for kiosk in ("kiosk-01", "kiosk-02"):
            store.write_batch(kiosk, [r for r in rows if r[1] == kiosk], backlog=0)
    open_and_wait(qtbot, window, postgres_url)
    assert window.db_path == postgres_url
    assert "bhyt_test_" in window.windowTitle() and window.tiles["attempts"].value.text() == "19"
    assert window.model.rowCount() == 19
    assert all(r.shipping_lag_s is not None for r in window.glance.rows)  # type: ignore[union-attr]
