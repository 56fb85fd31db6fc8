"""Small charts drawn with QPainter: horizontal bars with their labels and values (no QtCharts needed)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#3b7dd8")
TRACK = QColor("#edf1f7")
ROW_H, GAP, PAD = 20, 6, 8


class BarChart(QWidget):
    """One bar per (label, value), longest first as given; ``max_rows`` keeps a long list readable."""

    def __init__(
        self,
        title: str = "",
        parent: QWidget | None = None,
        *,
        max_rows: int = 12,
        color: QColor = BAR,
    ) -> None:
        super().__init__(parent)
        self.title, self.max_rows, self.color = title, max_rows, color
        self.bars: list[tuple[str, float]] = []
        self.suffix = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_bars(self, bars: Sequence[tuple[str, float]], suffix: str = "") -> None:
        self.bars, self.suffix = list(bars)[: self.max_rows], suffix
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = max(1, len(self.bars))
        return QSize(360, PAD * 2 + self._title_h() + rows * (ROW_H + GAP))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, self.sizeHint().height())

    def _title_h(self) -> int:
        return self.fontMetrics().height() + GAP if self.title else 0

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        top = PAD
        if self.title:
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(PAD, top, self.width() - 2 * PAD, metrics.height()), self.title)
            top += self._title_h()
        if not self.bars:
            painter.setPen(QColor("#888888"))
            painter.drawText(QRectF(PAD, top, self.width() - 2 * PAD, ROW_H), "—")
            return
        label_w = min(
            self.width() // 3,
            max(metrics.horizontalAdvance(label) for label, _v in self.bars) + 2 * PAD,
        )
        value_w = max(metrics.horizontalAdvance(self._value(v)) for _l, v in self.bars) + PAD
        track_w = max(10, self.width() - 2 * PAD - label_w - value_w)
        peak = max((v for _l, v in self.bars), default=0) or 1
        for row, (label, value) in enumerate(self.bars):
            y = top + row * (ROW_H + GAP)
            painter.setPen(self.palette().windowText().color())
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w - PAD)
            painter.drawText(
                QRectF(PAD, y, label_w - PAD, ROW_H),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                text,
            )
            x = PAD + label_w
            painter.fillRect(QRectF(x, y + 2, track_w, ROW_H - 4), TRACK)
            painter.fillRect(QRectF(x, y + 2, track_w * value / peak, ROW_H - 4), self.color)
            painter.drawText(
                QRectF(x + track_w + 4, y, value_w, ROW_H),
                Qt.AlignmentFlag.AlignVCenter,
                self._value(value),
            )

    def _value(self, value: float) -> str:
        shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        return shown + self.suffix
