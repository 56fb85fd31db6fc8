"""The dashboard's 一件事 box: requests completed, trips saved per request, on time per bundle."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from agent_desk.services.request_figures import RequestFigures, request_figures
from agent_desk.ui.widgets import read_only_table

if TYPE_CHECKING:
    from agent_desk.ui.context import DeskContext


class RequestFiguresBox(QGroupBox):
    shown = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestFigures")
        self.setTitle(self.tr("One-stop requests"))
        self.summary = QLabel(self)
        self.summary.setObjectName("requestFiguresSummary")
        self.table = read_only_table(
            self, [self.tr("Bundle"), self.tr("Completed"), self.tr("On time")], "requestRates"
        )
        self.table.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.figures: RequestFigures | None = None

    def load(self, ctx: DeskContext, start: date, end: date) -> None:
        ctx.read(
            lambda session: request_figures(session, start, end), on_done=self._show, owner=self
        )

    def _show(self, figures: RequestFigures) -> None:
        self.figures = figures
        per = figures.trips_per_request
        self.summary.setText(
            self.tr("%1 opened, %2 completed; trips saved per request: %3")
            .replace("%1", f"{figures.opened:,}")
            .replace("%2", f"{figures.completed:,}")
            .replace("%3", "—" if per is None else f"{per:.1f}")
        )
        self.table.setRowCount(len(figures.by_bundle))
        for row, rate in enumerate(figures.by_bundle):
            shown = "—" if rate.rate is None else f"{rate.rate:.0%}"
            for column, text in enumerate((rate.bundle, str(rate.completed), shown)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.shown.emit(figures)
