"""Texts of the lookup-log window: translation context, outcome/source labels, number formatting.

Vietnamese is the source language; the English translations are in ``assets/i18n/bhyt_kiosk_en.ts`` under the
context ``LogWindow``. ``pyside6-lupdate`` only files a string under a context written as a literal, so every string is
written ``translate("LogWindow", "…")`` where it is shown, or marked ``QT_TRANSLATE_NOOP("LogWindow", "…")`` where it is
defined and shown with :func:`tr`. (A bare ``tr("…")`` literal would be extracted under the empty context and never
translated.)
Numbers follow the language: the locale name itself is a translatable string ("vi_VN" -> "en_US"), so Vietnamese shows
``35.299`` and ``72,6%`` and English ``35,299`` and ``72.6%``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QLocale

from kiosk.attempts import InputSource
from kiosk.dashboard import Dashboard
from kiosk.fleet import FleetRow
from kiosk.log.reader import Headline, LogFilter, ReasonCount
from kiosk.outcomes import Outcome
from ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "LogWindow"


def translate(context: str, text: str) -> str:
    """``QCoreApplication.translate``, under the name lupdate looks for; call it with literals only."""
    return QCoreApplication.translate(context, text)


def tr(text: str) -> str:
    """Translates a string marked with :func:`QT_TRANSLATE_NOOP` (a variable, never a literal)."""
    return QCoreApplication.translate(CONTEXT, text)


OUTCOME_LABELS: dict[str, str] = {
    Outcome.ELIGIBLE.value: QT_TRANSLATE_NOOP("LogWindow", "Đủ điều kiện"),
    Outcome.ELIGIBLE_WITH_WARNING.value: QT_TRANSLATE_NOOP("LogWindow", "Đủ điều kiện, cần kiểm tra giấy tờ"),
    Outcome.NEW_CARD.value: QT_TRANSLATE_NOOP("LogWindow", "Đã cấp thẻ mới"),
    Outcome.NOT_ELIGIBLE.value: QT_TRANSLATE_NOOP("LogWindow", "Thẻ hết hiệu lực"),
    Outcome.NOT_FOUND.value: QT_TRANSLATE_NOOP("LogWindow", "Không tìm thấy thẻ"),
    Outcome.DATA_MISMATCH.value: QT_TRANSLATE_NOOP("LogWindow", "Thông tin không khớp"),
    Outcome.SETUP_ERROR.value: QT_TRANSLATE_NOOP("LogWindow", "Lỗi cấu hình kiosk"),
    Outcome.SERVICE_ERROR.value: QT_TRANSLATE_NOOP("LogWindow", "Lỗi dịch vụ"),
    Outcome.TIMEOUT.value: QT_TRANSLATE_NOOP("LogWindow", "Hết thời gian chờ"),
    Outcome.REJECTED_SIGNATURE.value: QT_TRANSLATE_NOOP("LogWindow", "Chữ ký bị từ chối"),
    Outcome.INVALID_CARD.value: QT_TRANSLATE_NOOP("LogWindow", "Thẻ CCCD không hợp lệ"),
    Outcome.NOT_ID_CARD.value: QT_TRANSLATE_NOOP("LogWindow", "Không phải thẻ CCCD"),
    Outcome.UNREADABLE.value: QT_TRANSLATE_NOOP("LogWindow", "Không đọc được mã QR"),
    Outcome.CANCELLED.value: QT_TRANSLATE_NOOP("LogWindow", "Đã hủy"),
    "unknown": QT_TRANSLATE_NOOP("LogWindow", "Không rõ"),
}
SOURCE_LABELS: dict[str, str] = {
    InputSource.CAMERA.value: QT_TRANSLATE_NOOP("LogWindow", "Camera"),
    InputSource.USB_SCANNER.value: QT_TRANSLATE_NOOP("LogWindow", "Máy quét USB"),
    InputSource.SERIAL_SCANNER.value: QT_TRANSLATE_NOOP("LogWindow", "Máy quét cổng COM"),
    InputSource.MANUAL.value: QT_TRANSLATE_NOOP("LogWindow", "Nhập tay"),
    InputSource.COMMAND_LINE.value: QT_TRANSLATE_NOOP("LogWindow", "Dòng lệnh"),
}
# Colours of the failure categories in the stacked chart (stable across periods).
OUTCOME_COLOURS: dict[str, str] = {
    Outcome.SETUP_ERROR.value: "#6a1b9a",
    Outcome.SERVICE_ERROR.value: "#c62828",
    Outcome.TIMEOUT.value: "#ef6c00",
    Outcome.REJECTED_SIGNATURE.value: "#4e342e",
    Outcome.INVALID_CARD.value: "#f9a825",
    Outcome.NOT_ID_CARD.value: "#00838f",
    Outcome.UNREADABLE.value: "#1565c0",
    Outcome.CANCELLED.value: "#757575",
    "unknown": "#212121",
}


def outcome_label(outcome: str | None) -> str:
    key = outcome or "unknown"
    return tr(OUTCOME_LABELS[key]) if key in OUTCOME_LABELS else key


def reason_label(r: ReasonCount) -> str:
    """A failure reason row: the outcome's label, then the pipeline's reason when it says more."""
    label = outcome_label(r.outcome)
    return label if r.reason == r.outcome else f"{label} — {r.reason}"


def source_label(source: str) -> str:
    return tr(SOURCE_LABELS[source]) if source in SOURCE_LABELS else source


def locale() -> QLocale:
    """The number locale of the current language (see the module docstring)."""
    return QLocale(translate("LogWindow", "vi_VN"))


def fmt_int(value: int) -> str:
    return locale().toString(int(value))


def fmt_pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else locale().toString(value * 100, "f", digits) + "%"


def fmt_seconds(ms: float | None, digits: int = 1) -> str:
    return "–" if ms is None else locale().toString(ms / 1000, "f", digits) + " s"


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "–"
    return locale().toString(ms, "f", 1 if ms < 100 else 0) + " ms"


# ---------------------------------------------------------------------------------------------------- headline


def headline_sentence(h: Headline) -> str:
    """'35.299 lượt tra cứu, 25.624 thành công (72,6%)' — the way the province reports it."""
    return translate("LogWindow", "{lookups} lượt tra cứu, {successful} thành công ({rate})").format(
        lookups=fmt_int(h.lookups), successful=fmt_int(h.successful), rate=fmt_pct(h.success_rate)
    )


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: str
    detail: str


def tiles(d: Dashboard) -> list[Tile]:
    h = d.headline
    r = d.retries
    first_try_rate = (h.successful - r.successful_after_retry) / h.lookups if h.lookups else None
    return [
        Tile("attempts", translate("LogWindow", "Lượt đưa thẻ"), fmt_int(h.attempts),
             translate("LogWindow", "{n} lượt đã gửi tra cứu").format(n=fmt_int(h.lookups))),
        Tile("successful", translate("LogWindow", "Tra cứu thành công"), fmt_int(h.successful),
             translate("LogWindow", "trên {n} lượt tra cứu").format(n=fmt_int(h.lookups))),
        Tile("success_rate", translate("LogWindow", "Tỷ lệ thành công"), fmt_pct(h.success_rate),
             translate("LogWindow", "thành công / lượt tra cứu")),
        Tile("first_try", translate("LogWindow", "Thành công ngay lần đầu"), fmt_pct(first_try_rate),
             translate("LogWindow", "{n} trả lời muộn; {p} đang chờ; {a} bỏ dở; trễ trung vị {m}").format(
                 n=fmt_int(r.successful_after_retry), p=fmt_int(r.pending), a=fmt_int(r.abandoned),
                 m=fmt_seconds(r.late_delay.values.get(50)))),
        Tile("eligibility_rate", translate("LogWindow", "Tỷ lệ có thẻ BHYT hợp lệ"), fmt_pct(h.eligibility_rate),
             translate("LogWindow", "{n} / {m} lượt thành công").format(n=fmt_int(h.eligible),
                                                                       m=fmt_int(h.successful))),
        Tile("median", translate("LogWindow", "Thời gian đến khi có kết quả"), fmt_seconds(d.median_total_ms),
             translate("LogWindow", "trung vị; 95% dưới {p95}").format(p95=fmt_seconds(d.p95_total_ms))),
    ]


def period_text(since: date | None, until: date | None) -> str:
    if since is None and until is None:
        return translate("LogWindow", "Toàn bộ nhật ký")
    if since == until and since is not None:
        return translate("LogWindow", "Ngày {day}").format(day=since.strftime("%d/%m/%Y"))
    first = since.strftime("%d/%m/%Y") if since else "…"
    last = until.strftime("%d/%m/%Y") if until else "…"
    return translate("LogWindow", "Từ {first} đến {last}").format(first=first, last=last)


def filter_text(f: LogFilter) -> str:
    """The kiosk/facility/source/outcome choices, or 'tất cả kiosk' when none."""
    parts = []
    if f.kiosks:
        parts.append(translate("LogWindow", "kiosk: {v}").format(v=", ".join(f.kiosks)))
    if f.facilities:
        parts.append(translate("LogWindow", "cơ sở: {v}").format(v=", ".join(f.facilities)))
    if f.sources:
        parts.append(translate("LogWindow", "nguồn: {v}").format(v=", ".join(source_label(s.value) for s in f.sources)))
    if f.outcomes:
        outcomes = ", ".join(outcome_label(o.value) for o in f.outcomes)
        parts.append(translate("LogWindow", "kết quả: {v}").format(v=outcomes))
    return "; ".join(parts) if parts else translate("LogWindow", "tất cả kiosk và cơ sở")


# ---------------------------------------------------------------------------------------------------- at a glance

GLANCE_COLUMNS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("LogWindow", "Cần chú ý"),
    QT_TRANSLATE_NOOP("LogWindow", "Kiosk / cơ sở"),
    QT_TRANSLATE_NOOP("LogWindow", "Cơ sở"),
    QT_TRANSLATE_NOOP("LogWindow", "Số lượt"),
    QT_TRANSLATE_NOOP("LogWindow", "Thành công"),
    QT_TRANSLATE_NOOP("LogWindow", "Thay đổi"),
    QT_TRANSLATE_NOOP("LogWindow", "Lỗi nhiều nhất"),
    QT_TRANSLATE_NOOP("LogWindow", "Hoạt động lần cuối"),
    QT_TRANSLATE_NOOP("LogWindow", "Độ trễ gửi"),
    QT_TRANSLATE_NOOP("LogWindow", "Chờ gửi"),
)
GLANCE_NUMERIC = frozenset({3, 4, 5, 8, 9})
ATTENTION_LABELS: dict[str, str] = {
    "silent": QT_TRANSLATE_NOOP("LogWindow", "Im lặng"),
    "shipping-behind": QT_TRANSLATE_NOOP("LogWindow", "Gửi chậm"),
    "falling": QT_TRANSLATE_NOOP("LogWindow", "Đang giảm"),
    "low-success": QT_TRANSLATE_NOOP("LogWindow", "Thành công thấp"),
    "ok": QT_TRANSLATE_NOOP("LogWindow", "Bình thường"),
}


def fmt_change(value: float | None) -> str:
    """Success-rate change in points: ``+2,5`` / ``-7,1``."""
    if value is None:
        return "–"
    return ("+" if value >= 0 else "") + locale().toString(value * 100, "f", 1)


def fmt_lag(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 120:
        return locale().toString(seconds, "f", 0) + " s"
    if seconds < 7200:
        return locale().toString(seconds / 60, "f", 0) + " min"
    return locale().toString(seconds / 3600, "f", 1) + " h"


def glance_cells(row: FleetRow) -> list[str]:
    """The texts of one row of the at-a-glance table, in GLANCE_COLUMNS order."""
    return [
        tr(ATTENTION_LABELS[row.attention.label]),
        row.key,
        row.facility or (str(row.kiosks) + " kiosk"),
        fmt_int(row.attempts),
        fmt_pct(row.success_rate),
        fmt_change(row.change),
        row.top_failure or "–",
        row.last_seen.astimezone().strftime("%d/%m/%Y %H:%M") if row.last_seen else "–",
        fmt_lag(row.shipping_lag_s),
        "–" if row.backlog is None else fmt_int(row.backlog),
    ]
