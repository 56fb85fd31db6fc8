"""电子监察: deadline warnings by village and agent, the figures of a period with charts, the ledger export.

Definitions of every figure are in services/supervision.py; all work runs off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desk.services.ledger import export_ledger
from agent_desk.services.supervision import (
    DeadlineWarning,
    Figures,
    Warnings,
    deadline_warnings,
    period_figures,
)
from agent_desk.store.review_queries import LedgerQuery
from agent_desk.ui.charts import BarChart

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext


@dataclass
class Dashboard:
    figures: Figures
    warnings: Warnings


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class Tile(QFrame):
    """One figure, large, with its name under it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("—", self)
        self.value.setStyleSheet("font-size: 20pt; font-weight: bold; color: #1f4e8c;")
        self.note = QLabel(name, self)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def set(self, value: str, note: str | None = None) -> None:
        self.value.setText(value)
        if note is not None:
            self.note.setText(note)


class DashboardPage(QWidget):
    shown = Signal()  # figures of the chosen period are on screen
    exported = Signal(object)  # (path, cases)

    def __init__(
        self, ctx: DeskContext, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.data: Dashboard | None = None
        self.generation = 0
        self._build()

    # -- layout -------------------------------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addLayout(self._period_bar())
        layout.addLayout(self._tiles())
        from agent_desk.ui.request_figures import RequestFiguresBox

        self.requests_box = RequestFiguresBox(self)  # 一件事 (issue 21)
        layout.addWidget(self.requests_box)
        charts = QGridLayout()
        self.by_item = BarChart(self.tr("Cases by item"), self)
        self.by_village = BarChart(self.tr("Cases by village"), self, color=QColor("#4c9f70"))
        self.satisfaction = BarChart(
            self.tr("Satisfaction (cases rated)"), self, color=QColor("#e0a030")
        )
        self.warn_chart = BarChart(
            self.tr("Overdue open cases by village"), self, color=QColor("#d9534f")
        )
        for n, chart in enumerate(
            (self.by_item, self.by_village, self.satisfaction, self.warn_chart)
        ):
            charts.addWidget(chart, n // 2, n % 2)
        layout.addLayout(charts)
        warnings = QHBoxLayout()
        self.village_warnings = self._warning_table()
        self.agent_warnings = self._warning_table()
        for title, table in (
            (self.tr("Deadline warnings by village"), self.village_warnings),
            (self.tr("Deadline warnings by agent"), self.agent_warnings),
        ):
            box = QGroupBox(title, self)
            QVBoxLayout(box).addWidget(table)
            warnings.addWidget(box)
        layout.addLayout(warnings)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _period_bar(self) -> QHBoxLayout:
        self.preset = QComboBox(self)
        for label, key in (
            (self.tr("This year"), "year"),
            (self.tr("This month"), "month"),
            (self.tr("Last 30 days"), "30"),
            (self.tr("Last 12 months"), "365"),
            (self.tr("Custom"), "custom"),
        ):
            self.preset.addItem(label, key)
        self.start = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.end = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.refresh_button = QPushButton(self.tr("Show figures"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("Export ledger…"), self)
        self.export_button.setObjectName("exportLedger")
        self.export_button.clicked.connect(self.export)
        self.export_progress = QProgressBar(self)
        self.export_progress.setMaximumWidth(220)
        self.export_progress.hide()
        self.preset.currentIndexChanged.connect(lambda _i: self._apply_preset())
        self._apply_preset(load=False)
        bar = QHBoxLayout()
        for widget in (
            QLabel(self.tr("Period"), self),
            self.preset,
            self.start,
            QLabel("—", self),
            self.end,
            self.refresh_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_progress)
        bar.addWidget(self.export_button)
        return bar

    def _tiles(self) -> QGridLayout:
        names = {
            "entrusted": self.tr("cases entrusted"),
            "concluded": self.tr("cases concluded"),
            "on_time": self.tr("concluded on time"),
            "days": self.tr("working days to conclude, average"),
            "trips": self.tr("trips saved (client came at most once)"),
            "satisfaction": self.tr("satisfaction, average of 5"),
            "deferred": self.tr("Deferred cases still waiting for a document"),
            "overdue": self.tr("open cases overdue"),
        }
        self.tiles = {key: Tile(name, self) for key, name in names.items()}
        grid = QGridLayout()
        for n, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, n // 4, n % 4)
        return grid

    def _warning_table(self) -> QTableWidget:
        table = QTableWidget(0, 3, self)
        table.setHorizontalHeaderLabels(["", self.tr("Overdue"), self.tr("Due soon")])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setMinimumHeight(160)
        return table

    # -- the period -----------------------------------------------------------------------------------
    def _apply_preset(self, load: bool = True) -> None:
        key, today = self.preset.currentData(), self.today
        starts = {
            "year": today.replace(month=1, day=1),
            "month": today.replace(day=1),
            "30": today - timedelta(days=29),
            "365": today - timedelta(days=364),
        }
        custom = key == "custom"
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if not custom:
            self.start.setDate(QDate(starts[key]))
            self.end.setDate(QDate(today))
            if load:
                self.refresh()

    def period(self) -> tuple[date, date]:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        return (start, end) if start <= end else (end, start)  # type: ignore[return-value]

    # -- figures --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        desk = self.ctx.desk
        assert desk is not None
        (start, end), today = self.period(), self.today
        self.generation += 1
        generation = self.generation

        def work() -> Dashboard:
            with desk.db.session() as session:
                return Dashboard(
                    period_figures(session, start, end, today=today),
                    deadline_warnings(session, today=today),
                )

        self.requests_box.load(self.ctx, start, end)
        self.ctx.ops.run(
            work,
            on_done=lambda d: self._show(generation, d),
            on_failed=lambda e: self.ctx.dialogs.failure(self, e),
            owner=self,
        )

    def _show(self, generation: int, data: Dashboard) -> None:
        if generation != self.generation:
            return
        self.data = data
        f, w = data.figures, data.warnings
        t = self.tiles
        t["entrusted"].set(f"{f.entrusted:,}")
        t["concluded"].set(f"{f.concluded:,}")
        t["on_time"].set(
            _percent(f.on_time_rate),
            self.tr("concluded on time (%1 of %2)")
            .replace("%1", f"{f.on_time:,}")
            .replace("%2", f"{f.concluded:,}"),
        )
        t["days"].set("—" if f.avg_working_days is None else f"{f.avg_working_days:.1f}")
        t["trips"].set(
            f"{f.trips_saved:,}",
            self.tr("trips saved: client came at most once (%1 of concluded)").replace(
                "%1", _percent(f.trips_saved_rate)
            ),
        )
        t["satisfaction"].set(
            "—" if f.satisfaction_avg is None else f"{f.satisfaction_avg:.2f}",
            self.tr("satisfaction, average of 5 (%1 rated)").replace("%1", f"{f.rated:,}"),
        )
        t["deferred"].set(
            f"{f.deferred_waiting:,}",
            self.tr(
                "Deferred cases still waiting for a document (%1 past the promised date)"
            ).replace("%1", f"{f.deferred_past_promise:,}"),
        )
        t["overdue"].set(
            f"{w.overdue:,}",
            self.tr("open cases overdue (%1 more due within 2 working days)").replace(
                "%1", f"{w.due_soon:,}"
            ),
        )
        self.by_item.set_bars(f.by_item)
        self.by_village.set_bars(f.by_village)
        self.satisfaction.set_bars(
            [
                (self.tr("%1 stars").replace("%1", str(s)), f.satisfaction.get(s, 0))
                for s in (5, 4, 3, 2, 1)
            ]
        )
        self.warn_chart.set_bars([(x.label, x.overdue) for x in w.by_village if x.overdue])
        self._fill(self.village_warnings, w.by_village)
        self._fill(self.agent_warnings, w.by_agent)
        self.shown.emit()

    @staticmethod
    def _fill(table: QTableWidget, rows: list[DeadlineWarning]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((row.label, str(row.overdue), str(row.due_soon))):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()

    # -- the ledger -----------------------------------------------------------------------------------
    def export(self) -> None:
        (start, end), today = self.period(), self.today
        suggested = f"台账-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        target = self.ctx.dialogs.save_file(
            self, self.tr("Export ledger"), suggested, "Excel (*.xlsx)"
        )
        if target is None:
            return
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")

        def work(session: Session, progress: object) -> tuple[Path, int]:
            return target, export_ledger(
                LedgerQuery(start, end), target, session=session, today=today, progress=progress
            )  # type: ignore[arg-type]

        self.export_button.setEnabled(False)
        self.export_progress.setRange(0, 0)
        self.export_progress.show()
        self.ctx.write(
            work,
            owner=self,
            on_done=self._exported,
            on_failed=self._export_failed,
            on_progress=self._progress,
            job=self.tr("Exporting the ledger"),
        )

    def _progress(self, done: int, total: int, _text: str) -> None:
        self.export_progress.setRange(0, max(total, 1))
        self.export_progress.setValue(done)

    def _export_failed(self, _exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.export_progress.hide()

    def _exported(self, result: tuple[Path, int]) -> None:
        path, cases = result
        self.export_button.setEnabled(True)
        self.export_progress.hide()
        self.ctx.dialogs.saved_file(
            self,
            self.tr("Export ledger"),
            self.tr("%1 cases written to\n%2").replace("%1", f"{cases:,}").replace("%2", str(path)),
            path,
        )
        self.exported.emit(result)
