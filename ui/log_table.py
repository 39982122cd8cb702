"""The attempts table: a model that has pages of rows read off the GUI thread as the view scrolls, and the detail
pane's text.

A filter or sort change runs one query off the GUI thread for the ordered row ids of every matching attempt (8 bytes a
row) and the first page; the model then knows its exact row count. A row the view shows from a page not read yet is
"…" and the model asks for its page (``pageWanted``: the window reads it by id on a worker thread, one indexed query
of about a millisecond anywhere in a million rows, and hands it back with :meth:`AttemptTableModel.add_page`), keeping
the last :data:`MAX_PAGES` pages of :data:`PAGE_SIZE` rows. Nothing here touches the log: a central store that does
not answer never holds up the GUI thread. Sorting is done in SQL. No personal data: the table shows the masked number
at most.
"""

from __future__ import annotations

import html
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from kiosk.dashboard import TableRow
from ui.log_texts import QT_TRANSLATE_NOOP, fmt_int, fmt_ms, outcome_label, source_label, tr, translate

PAGE_SIZE = 200
MAX_PAGES = 50

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str  # sort key (kiosk.dashboard.TABLE_SORT_COLUMNS) or "" when not sortable
    title: str  # untranslated (Vietnamese) header


COLUMNS: tuple[Column, ...] = (
    Column("started_at", QT_TRANSLATE_NOOP("LogWindow", "Thời điểm")),
    Column("kiosk_id", QT_TRANSLATE_NOOP("LogWindow", "Kiosk")),
    Column("facility_code", QT_TRANSLATE_NOOP("LogWindow", "Cơ sở")),
    Column("source", QT_TRANSLATE_NOOP("LogWindow", "Nguồn")),
    Column("outcome", QT_TRANSLATE_NOOP("LogWindow", "Kết quả")),
    Column("result_code", QT_TRANSLATE_NOOP("LogWindow", "Mã KQ")),
    Column("error_reason", QT_TRANSLATE_NOOP("LogWindow", "Lý do")),
    Column("frames_to_read", QT_TRANSLATE_NOOP("LogWindow", "Khung hình")),
    Column("read_ms", QT_TRANSLATE_NOOP("LogWindow", "Đọc mã")),
    Column("lookup_ms", QT_TRANSLATE_NOOP("LogWindow", "Tra cứu")),
    Column("total_ms", QT_TRANSLATE_NOOP("LogWindow", "Tổng thời gian")),
)
NUMERIC = frozenset({"frames_to_read", "read_ms", "lookup_ms", "total_ms"})


def cell_text(row: TableRow, key: str) -> str:
    a = row.attempt
    if key == "started_at":
        when = row.local_started_at
        return when.strftime("%Y-%m-%d %H:%M:%S") if when else "–"
    if key == "source":
        return source_label(a.source.value)
    if key == "outcome":
        return outcome_label(a.outcome.value if a.outcome else None)
    if key in ("read_ms", "lookup_ms", "total_ms"):
        value = getattr(a, key)
        return "" if value is None else fmt_ms(value)
    if key == "frames_to_read":
        return "" if a.frames_to_read is None else fmt_int(a.frames_to_read)
    value = getattr(a, key)
    return "" if value is None else str(value)


class AttemptTableModel(QAbstractTableModel):
    sortRequested = Signal(str, bool)  # sort key, descending
    pageWanted = Signal(int, int, object)  # generation, page, the page's row ids (array)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = array("q")
        self._generation = 0  # which set of ids a page read belongs to: a late page of an older filter is dropped
        self._pages: OrderedDict[int, list[TableRow]] = OrderedDict()
        self._wanted: set[int] = set()  # pages asked for and not back yet
        self.page_loads = 0

    # -- data source --------------------------------------------------------------------------------------------

    def set_ids(self, ids: array, first_page: list[TableRow] | None = None) -> None:
        """The matching attempts' row ids in table order (and, read with them, the rows of the first page)."""
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._pages.clear()
        self._wanted.clear()
        if first_page is not None:
            self._pages[0] = first_page
        self.endResetModel()

    def clear(self) -> None:
        self.set_ids(array("q"))

    def add_page(self, generation: int, page: int, rows: list[TableRow]) -> None:
        """A page read on a worker thread (``rows`` empty: it could not be read; shown as "…", not asked again)."""
        if generation != self._generation:
            return
        self._wanted.discard(page)
        self.page_loads += 1
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first, last = page * PAGE_SIZE, min(len(self._ids), (page + 1) * PAGE_SIZE) - 1
        if first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def page_failed(self, page: int) -> None:
        """The page asked for could not be read (the window says why): its rows stay "…"."""
        if page in self._wanted:
            self.add_page(self._generation, page, [])

    @property
    def ids(self) -> array:
        return self._ids

    def row_at(self, row: int) -> TableRow | None:
        """The row if its page has been read (else None, and the page is asked for)."""
        if not 0 <= row < len(self._ids):
            return None
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._wanted:
                self._wanted.add(page)
                self.pageWanted.emit(self._generation, page, self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
            return None
        self._pages.move_to_end(page)
        offset = row - page * PAGE_SIZE
        wanted = self._ids[row]
        if offset < len(rows) and rows[offset].row_id == wanted:
            return rows[offset]
        return next((r for r in rows if r.row_id == wanted), None)  # a row pruned since the ids were read

    # -- Qt model -------------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return "…"
        return cell_text(row, key)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section].title)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.sortRequested.emit(COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder)


def detail_html(row: TableRow | None) -> str:
    """The selected attempt: identity (masked number at most), outcome, and each stage with its time and duration."""
    if row is None:
        hint = translate("LogWindow", "Chọn một lượt trong bảng để xem các bước và thời gian.")
        return "<p>" + html.escape(hint) + "</p>"
    a = row.attempt
    offset = row.utc_offset_min

    def local(dt: object) -> str:
        if not isinstance(dt, datetime):
            return "–"
        return dt.astimezone(timezone(timedelta(minutes=offset))).strftime("%H:%M:%S.%f")[:-3]

    def esc(value: object) -> str:
        return html.escape("–" if value is None or value == "" else str(value))

    facts = [
        (translate("LogWindow", "Mã lượt"), a.attempt_id),
        (translate("LogWindow", "Kiosk"), a.kiosk_id),
        (translate("LogWindow", "Cơ sở"), a.facility_code),
        (translate("LogWindow", "Nguồn"), source_label(a.source.value)),
        (translate("LogWindow", "Kết quả"), outcome_label(a.outcome.value if a.outcome else None)),
        (translate("LogWindow", "Mã kết quả BHXH"), a.result_code),
        (translate("LogWindow", "Lý do"), a.error_reason),
        (translate("LogWindow", "Số CCCD (che)"), a.masked_id),
        (translate("LogWindow", "Bộ giải mã"), a.decoder_backend),
        (translate("LogWindow", "Bước giải mã"), a.decode_stage),
        (translate("LogWindow", "Số khung hình"), a.frames_to_read),
        (translate("LogWindow", "Số lần gửi yêu cầu"), a.http_attempts),
        (translate("LogWindow", "Phiên bản ứng dụng"), a.app_version),
    ]
    when = row.local_started_at
    parts = [
        "<h3>" + esc(when.strftime("%Y-%m-%d %H:%M:%S") if when else "–") + f" UTC{offset / 60:+g}</h3>",
        "<table cellspacing='0' cellpadding='2'>",
    ]
    parts += [f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>" for k, v in facts]
    parts.append("</table>")
    stages = [
        (translate("LogWindow", "Thấy thẻ"), a.first_seen_at, None),
        (translate("LogWindow", "Đọc được mã"), a.read_at, a.read_ms),
        (translate("LogWindow", "Kiểm tra dữ liệu thẻ"), None, a.validate_ms),
        (translate("LogWindow", "Gửi yêu cầu tra cứu"), a.lookup_sent_at, None),
        (translate("LogWindow", "Nhận trả lời"), a.answered_at, a.lookup_ms),
    ]
    steps = translate("LogWindow", "Các bước (bước cuối: {stage})").format(stage=a.stage.value)
    parts.append("<h4>" + esc(steps) + "</h4>")
    parts.append(
        "<table cellspacing='0' cellpadding='2'><tr><th align='left'>"
        + esc(translate("LogWindow", "Bước"))
        + "</th><th align='left'>"
        + esc(translate("LogWindow", "Lúc"))
        + "</th><th align='right'>"
        + esc(translate("LogWindow", "Thời gian"))
        + "</th></tr>"
    )
    for name, at, ms in stages:
        parts.append(
            f"<tr><td>{esc(name)}</td><td>{esc(local(at))}</td>"
            f"<td align='right'>{esc(fmt_ms(ms) if ms is not None else '')}</td></tr>"
        )
    parts.append(
        f"<tr><td><b>{esc(translate('LogWindow', 'Tổng thời gian'))}</b></td><td></td>"
        f"<td align='right'><b>{esc(fmt_ms(a.total_ms))}</b></td></tr></table>"
    )
    return "".join(parts)

