"""The one-page report of a period (headline figures, failure reasons and the charts), as PDF or PNG.

The page is an A4 sheet laid out on a 1240 x 1754 canvas (150 dpi): :class:`QPdfWriter` gives a vector PDF, a
:class:`QImage` of the same size a PNG. The charts are fresh copies built from the same :class:`Dashboard` as the
window's, painted through a :class:`QGraphicsScene`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsScene

from kiosk.dashboard import Dashboard
from ui.log_charts import CHART_BUILDERS
from ui.log_texts import (
    filter_text,
    fmt_int,
    fmt_pct,
    headline_sentence,
    period_text,
    reason_label,
    tiles,
    translate,
)

PAGE_W, PAGE_H = 1240, 1754
MARGIN = 56
REPORT_FORMATS = ("pdf", "png")


class ReportError(Exception):
    """The report could not be written (message for the user)."""


@dataclass(frozen=True)
class ReportInfo:
    source: str  # the log file's name
    generated_at: datetime


def _font(px: int, bold: bool = False) -> QFont:
    font = QFont(QApplication.font().family())
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def paint_report(painter: QPainter, d: Dashboard, info: ReportInfo) -> None:
    """Paint the page on a PAGE_W x PAGE_H canvas."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(QRectF(0, 0, PAGE_W, PAGE_H), QColor("#ffffff"))
    width = PAGE_W - 2 * MARGIN
    y = float(MARGIN)
    painter.setPen(QColor("#1b1f24"))
    painter.setFont(_font(34, bold=True))
    title = translate("LogWindow", "Báo cáo nhật ký tra cứu thẻ BHYT")
    painter.drawText(QRectF(MARGIN, y, width, 44), Qt.AlignmentFlag.AlignLeft, title)
    y += 50
    painter.setFont(_font(19))
    painter.setPen(QColor("#5b6570"))
    sub = f"{period_text(d.filters.since, d.filters.until)} · {filter_text(d.filters)}"
    painter.drawText(QRectF(MARGIN, y, width, 26), Qt.AlignmentFlag.AlignLeft, sub)
    y += 28
    made = translate("LogWindow", "Tệp nhật ký: {file} · Lập lúc {when}").format(
        file=info.source, when=info.generated_at.strftime("%d/%m/%Y %H:%M")
    )
    painter.drawText(QRectF(MARGIN, y, width, 26), Qt.AlignmentFlag.AlignLeft, made)
    y += 40
    painter.setPen(QColor("#1565c0"))
    painter.setFont(_font(28, bold=True))
    painter.drawText(QRectF(MARGIN, y, width, 38), Qt.AlignmentFlag.AlignLeft, headline_sentence(d.headline))
    y += 50

    # tiles
    items = tiles(d)
    gap = 12
    tile_w = (width - gap * (len(items) - 1)) / len(items)
    for i, tile in enumerate(items):
        rect = QRectF(MARGIN + i * (tile_w + gap), y, tile_w, 118)
        painter.setPen(QPen(QColor("#b8c2cc"), 2))
        painter.setBrush(QColor("#f4f6f8"))
        painter.drawRoundedRect(rect, 10, 10)
        inner = rect.adjusted(12, 8, -12, -8)
        painter.setPen(QColor("#5b6570"))
        painter.setFont(_font(16))
        painter.drawText(QRectF(inner.x(), inner.y(), inner.width(), 40),
                         Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, tile.label)
        painter.setPen(QColor("#1b1f24"))
        painter.setFont(_font(30, bold=True))
        painter.drawText(QRectF(inner.x(), inner.y() + 40, inner.width(), 38), Qt.AlignmentFlag.AlignLeft, tile.value)
        painter.setPen(QColor("#5b6570"))
        painter.setFont(_font(11))
        painter.drawText(QRectF(inner.x(), inner.y() + 80, inner.width(), 22), Qt.AlignmentFlag.AlignLeft, tile.detail)
    y += 136

    # charts: 2 columns x 3 rows, the last cell lists the main failure reasons
    builders = dict(CHART_BUILDERS)
    cells = ["success", "failures", "time", "frames", "hourly", "reasons"]
    col_w = (width - 20) / 2
    footer_h = 50
    row_h = (PAGE_H - MARGIN - footer_h - y - 2 * 16) / 3
    scene = QGraphicsScene()
    try:
        for n, key in enumerate(cells):
            rect = QRectF(MARGIN + (n % 2) * (col_w + 20), y + (n // 2) * (row_h + 16), col_w, row_h)
            if key == "reasons":
                _paint_reasons(painter, d, rect)
                continue
            chart = builders[key](d)
            chart.resize(QSizeF(rect.width(), rect.height()))
            scene.addItem(chart)
            scene.setSceneRect(chart.geometry())
            scene.render(painter, rect, chart.geometry())
            scene.removeItem(chart)
            chart.deleteLater()
    finally:
        scene.clear()
    painter.setPen(QColor("#5b6570"))
    painter.setFont(_font(13))
    painter.drawText(
        QRectF(MARGIN, PAGE_H - MARGIN - footer_h + 8, width, footer_h),
        Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
        translate(
            "LogWindow",
            "Lượt tra cứu: lượt đã gửi yêu cầu đến cổng BHXH. Thành công: cổng trả lời rõ ràng (có thẻ, không có "
            "thẻ, thông tin không khớp…). Tỷ lệ thành công = thành công / lượt tra cứu; tỷ lệ có thẻ hợp lệ = số lượt "
            "có thẻ còn hiệu lực / số lượt thành công. Không có dữ liệu cá nhân trong báo cáo."
        ),
    )


def _paint_reasons(painter: QPainter, d: Dashboard, rect: QRectF) -> None:
    painter.setPen(QPen(QColor("#b8c2cc"), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    inner = rect.adjusted(14, 10, -14, -10)
    painter.setPen(QColor("#1b1f24"))
    painter.setFont(_font(17, bold=True))
    failed = d.headline.failed
    painter.drawText(QRectF(inner.x(), inner.y(), inner.width(), 26), Qt.AlignmentFlag.AlignLeft,
                     translate("LogWindow", "Nguyên nhân không thành công ({n} lượt)").format(n=fmt_int(failed)))
    y = inner.y() + 36
    line = 22
    painter.setFont(_font(14))
    rows = int((inner.bottom() - y) // line)
    if not d.reasons:
        none = translate("LogWindow", "Không có")
        painter.drawText(QRectF(inner.x(), y, inner.width(), line), Qt.AlignmentFlag.AlignLeft, none)
    for r in d.reasons[:rows]:
        text = reason_label(r)
        painter.drawText(QRectF(inner.x(), y, inner.width() - 150, line), Qt.AlignmentFlag.AlignLeft,
                         painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width() - 160)))
        painter.drawText(QRectF(inner.right() - 150, y, 150, line), Qt.AlignmentFlag.AlignRight,
                         f"{fmt_int(r.count)}  ({fmt_pct(r.share)})")
        y += line


def write_report(path: Path, d: Dashboard, info: ReportInfo) -> Path:
    """Write the report as PDF or PNG (by the file's extension). Raises :class:`ReportError`."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in REPORT_FORMATS:
        raise ReportError(translate("LogWindow", "Báo cáo chỉ lưu được dạng PDF hoặc PNG (tệp .pdf hoặc .png)."))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(
            translate("LogWindow", "Không tạo được thư mục {dir}: {error}").format(dir=path.parent, error=exc)
        ) from exc
    painter = QPainter()
    if kind == "pdf":
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        writer.setResolution(150)
        writer.setTitle(translate("LogWindow", "Báo cáo nhật ký tra cứu thẻ BHYT"))
        writer.setCreator("bhyt-kiosk")
        if not painter.begin(writer):
            raise ReportError(translate("LogWindow", "Không ghi được tệp {file}").format(file=path))
        try:
            painter.setWindow(0, 0, PAGE_W, PAGE_H)
            paint_report(painter, d, info)
        finally:
            painter.end()
        if not path.is_file() or path.stat().st_size == 0:
            raise ReportError(translate("LogWindow", "Không ghi được tệp {file}").format(file=path))
        return path
    image = QImage(PAGE_W, PAGE_H, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter.begin(image)
    try:
        paint_report(painter, d, info)
    finally:
        painter.end()
    if not image.save(str(path), "PNG"):
        raise ReportError(translate("LogWindow", "Không ghi được tệp {file}").format(file=path))
    return path
