"""The dashboard's charts (PySide6.QtCharts), built from a :class:`kiosk.dashboard.Dashboard`.

Each builder returns a new :class:`QChart` with a title that says what it shows and titled axes; the window shows them
in chart views and the one-page report paints fresh copies (so the report never depends on what is on screen).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPen
from PySide6.QtWidgets import QApplication

from kiosk.dashboard import FRAMES_MAX, Dashboard, Granularity, TimeBin
from ui.log_texts import OUTCOME_COLOURS, fmt_int, fmt_seconds, locale, outcome_label, translate

BAR_COLOUR = "#1565c0"
LINE_COLOUR = "#2e7d32"
MAX_AXIS_LABELS = 8


def _font(point_size: float, bold: bool = False) -> QFont:
    font = QFont(QApplication.font().family())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(_font(11, bold=True))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setVisible(False)
    chart.legend().setFont(_font(8))
    chart.setBackgroundRoundness(0)
    return chart


def _style_axis(axis: QAbstractAxis, title: str) -> None:
    axis.setTitleText(title)
    axis.setTitleFont(_font(9, bold=True))
    axis.setLabelsFont(_font(8))
    axis.setTruncateLabels(False)  # the axes space their labels themselves (index_axis)


def _count_axis(title: str, largest: float) -> QValueAxis:
    axis = QValueAxis()
    _style_axis(axis, title)
    axis.setRange(0, max(1.0, float(largest)))
    axis.applyNiceNumbers()
    axis.setLabelFormat("%.0f")
    return axis


def bin_label(b: TimeBin, granularity: Granularity) -> str:
    if granularity is Granularity.MONTH:
        return b.first.strftime("%m/%Y")
    return b.first.strftime("%d/%m")


def index_axis(labels: Sequence[str], title: str, max_labels: int = MAX_AXIS_LABELS) -> QCategoryAxis:
    """An x axis for bars or points at 0..n-1 that labels every k-th position (all of them when they fit).

    A bar-category axis labels every bar and elides the labels when bars are narrow; this one keeps them readable.
    """
    axis = QCategoryAxis()
    _style_axis(axis, title)
    n = max(1, len(labels))
    axis.setStartValue(-0.5)
    axis.setRange(-0.5, n - 0.5)
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    step = max(1, math.ceil(n / max_labels))
    for i in range(0, len(labels), step):
        axis.append(labels[i], float(i))
    axis.setGridLineVisible(False)
    return axis


def edge_axis(edges: Sequence[str], title: str, step: int = 1) -> QCategoryAxis:
    """An x axis for histogram bars at 0..n-1 labelled at the bars' edges (``edges[i]`` left of bar ``i``)."""
    axis = QCategoryAxis()
    _style_axis(axis, title)
    axis.setStartValue(-0.5)
    axis.setRange(-0.5, len(edges) - 0.5)
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for i in range(0, len(edges), step):
        axis.append(edges[i], i - 0.5 if i else -0.4999)
    axis.setGridLineVisible(False)
    return axis


def _bin_axis(dashboard: Dashboard, title: str, max_labels: int = MAX_AXIS_LABELS) -> QCategoryAxis:
    return index_axis([bin_label(b, dashboard.granularity) for b in dashboard.bins], title, max_labels)


def period_axis_title(granularity: Granularity) -> str:
    return {
        Granularity.DAY: translate("LogWindow", "Ngày"),
        Granularity.WEEK: translate("LogWindow", "Tuần (bắt đầu từ thứ Hai)"),
        Granularity.MONTH: translate("LogWindow", "Tháng"),
    }[granularity]


def _per(granularity: Granularity) -> str:
    return {
        Granularity.DAY: translate("LogWindow", "theo ngày"),
        Granularity.WEEK: translate("LogWindow", "theo tuần"),
        Granularity.MONTH: translate("LogWindow", "theo tháng"),
    }[granularity]


def success_rate_chart(dashboard: Dashboard) -> QChart:
    """Success rate (successful / lookups, %) per day: a line over the days that had lookups."""
    chart = _chart(translate("LogWindow", "Tỷ lệ tra cứu thành công {per} (%)").format(per=_per(dashboard.granularity)))
    series = QLineSeries()
    series.setName(translate("LogWindow", "Tỷ lệ thành công"))
    series.setPointsVisible(True)
    series.setPen(QPen(QColor(LINE_COLOUR), 2.5))
    for i, b in enumerate(dashboard.bins):
        if b.success_rate is not None:
            series.append(QPointF(i, round(b.success_rate * 100, 2)))
    chart.addSeries(series)
    x = _bin_axis(dashboard, period_axis_title(dashboard.granularity))
    y = QValueAxis()
    _style_axis(y, translate("LogWindow", "Tỷ lệ thành công (%)"))
    y.setRange(0, 100)
    y.setTickCount(6)
    y.setLabelFormat("%.0f")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return chart


def failures_chart(dashboard: Dashboard) -> QChart:
    """Attempts without a successful lookup per day, stacked by outcome."""
    chart = _chart(translate("LogWindow", "Nguyên nhân không thành công {per}").format(per=_per(dashboard.granularity)))
    series = QStackedBarSeries()
    series.setBarWidth(0.85)
    largest = 0
    totals = [0] * len(dashboard.bins)
    for outcome, counts in dashboard.failures_by_bin.items():
        bar_set = QBarSet(outcome_label(outcome))
        bar_set.setColor(QColor(OUTCOME_COLOURS.get(outcome, "#9e9e9e")))
        bar_set.setBorderColor(QColor(OUTCOME_COLOURS.get(outcome, "#9e9e9e")))
        bar_set.append([float(n) for n in counts])
        series.append(bar_set)
        totals = [t + n for t, n in zip(totals, counts, strict=True)]
    largest = max(totals, default=0)
    chart.addSeries(series)
    x = _bin_axis(dashboard, period_axis_title(dashboard.granularity), max_labels=6)
    y = _count_axis(translate("LogWindow", "Số lượt không thành công"), largest)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    chart.legend().setVisible(bool(dashboard.failures_by_bin))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart


def _histogram(title: str, x: QCategoryAxis, counts: Sequence[int], y_title: str) -> QChart:
    chart = _chart(title)
    bar_set = QBarSet(y_title)
    bar_set.setColor(QColor(BAR_COLOUR))
    bar_set.setBorderColor(QColor(BAR_COLOUR))
    bar_set.append([float(n) for n in counts])
    series = QBarSeries()
    series.setBarWidth(0.9)
    series.append(bar_set)
    chart.addSeries(series)
    y = _count_axis(y_title, max(counts, default=0))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return chart


def time_edges(dashboard: Dashboard) -> list[str]:
    """Left edge of each time-to-result bar in seconds (the last bar is open-ended)."""
    return [locale().toString(b.low_ms / 1000, "f", 0) for b in dashboard.time_to_result]


def time_to_result_chart(dashboard: Dashboard) -> QChart:
    counts = [b.count for b in dashboard.time_to_result]
    last = dashboard.time_to_result[-1].low_ms / 1000 if dashboard.time_to_result else 0
    title = translate("LogWindow", "Thời gian đến khi có kết quả (trung vị {median})").format(
        median=fmt_seconds(dashboard.median_total_ms)
    )
    x = edge_axis(
        time_edges(dashboard),
        translate("LogWindow", "Giây (cột cuối: từ {last} giây trở lên)").format(last=f"{last:g}"),
        step=2,
    )
    return _histogram(title, x, counts, translate("LogWindow", "Số lượt"))


def frames_labels() -> list[str]:
    return [str(k) for k in range(1, FRAMES_MAX + 1)] + [f">{FRAMES_MAX}"]


def frames_chart(dashboard: Dashboard) -> QChart:
    counts = [n for _k, n in dashboard.frames]
    title = translate("LogWindow", "Số khung hình để đọc được mã QR")
    x = index_axis(frames_labels(), translate("LogWindow", "Số khung hình camera"), max_labels=FRAMES_MAX + 1)
    y_title = translate("LogWindow", "Số lượt ({n} lượt camera)").format(n=fmt_int(sum(counts)))
    return _histogram(title, x, counts, y_title)


def hourly_chart(dashboard: Dashboard) -> QChart:
    x_title = translate("LogWindow", "Giờ trong ngày (giờ địa phương của kiosk)")
    x = index_axis([str(h) for h in range(24)], x_title, max_labels=12)
    title = translate("LogWindow", "Số lượt đưa thẻ theo giờ trong ngày")
    return _histogram(title, x, list(dashboard.hourly), translate("LogWindow", "Số lượt"))


CHART_BUILDERS: tuple[tuple[str, Callable[[Dashboard], QChart]], ...] = (
    ("success", success_rate_chart),
    ("failures", failures_chart),
    ("time", time_to_result_chart),
    ("frames", frames_chart),
    ("hourly", hourly_chart),
)
