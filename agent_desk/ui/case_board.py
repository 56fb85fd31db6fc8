"""The case board: every case with status, item, client, village and deadline, filtered and sorted.

Rows are loaded a page at a time off the UI thread; the deadline cell shows working days left,
yellow when due soon and red when overdue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desk.core.calendar import DeadlineStatus, WorkCalendar, default_calendar
from agent_desk.core.case_flow import OPEN_STATUSES, CaseStatus
from agent_desk.services.desk import Desk
from agent_desk.store.case_queries import (
    CaseFilter,
    CaseRow,
    case_page,
    case_rows,
    count_cases,
    item_choices,
)
from agent_desk.store.db import interruptible
from agent_desk.store.queries import villages
from agent_desk.ui.labels import status_label
from agent_desk.ui.lazy_model import LazyIdModel, Page
from agent_desk.ui.ops import OpRunner
from agent_desk.ui.widgets import lazy_table_view

SOON_DAYS = 2
COLORS = {DeadlineStatus.DUE_SOON: QColor("#fff3b0"), DeadlineStatus.OVERDUE: QColor("#ffc9c9")}
OPEN_VALUES = tuple(s.value for s in OPEN_STATUSES)


class DeadlineModel(LazyIdModel):
    """A lazy case list whose rows carry ``status`` and ``due_on``: working days left, and a colour
    (yellow when due soon, red when overdue) for open cases."""

    def __init__(
        self, ops: OpRunner, desk: Desk, headers: Sequence[str], today: date | None = None
    ) -> None:
        self.desk = desk
        self.today = today or date.today()
        super().__init__(ops, self._page, self._rows, headers)

    @property
    def calendar(self) -> WorkCalendar:
        """Read at each use: a calendar publication applied by a sync takes effect at once."""
        return default_calendar()

    def deadline(self, row: Any) -> tuple[DeadlineStatus | None, int | None]:
        if row.due_on is None or row.status not in OPEN_VALUES:
            return None, None
        status = self.calendar.deadline_status(row.due_on, self.today, soon_days=SOON_DAYS)
        return status, self.calendar.working_days_left(row.due_on, self.today)

    def deadline_brush(self, row: Any) -> QBrush | None:
        status, _ = self.deadline(row)
        return QBrush(COLORS[status]) if status in COLORS else None

    def deadline_text(self, row: Any) -> str:
        if row.due_on is None:
            return ""
        text = self._deadline_text(row)
        return text + self.tr(" (estimated)") if self.calendar.is_estimated(row.due_on) else text

    def _deadline_text(self, row: Any) -> str:
        status, left = self.deadline(row)
        if status is None or left is None:
            return row.due_on.isoformat()
        if status is DeadlineStatus.OVERDUE:
            return (
                self.tr("%1 overdue by %2 working days")
                .replace("%1", f"{row.due_on:%Y-%m-%d}")
                .replace("%2", str(-left))
            )
        return (
            self.tr("%1, %2 working days left")
            .replace("%1", f"{row.due_on:%Y-%m-%d}")
            .replace("%2", str(left))
        )

    def _page(self, query: Any, after: Any, limit: int, superseded: Callable[[], bool]) -> Page:
        raise NotImplementedError

    def _rows(self, ids: Sequence[str]) -> dict[str, Any]:
        raise NotImplementedError


class CaseTableModel(DeadlineModel):
    def _page(self, f: CaseFilter, after: Any, limit: int, superseded: Callable[[], bool]) -> Page:
        with self.desk.db.session() as session, interruptible(session, superseded):
            found = case_page(session, f, after=after, limit=limit)
            ids = [case_id for case_id, _ in found]
            return Page(ids, case_rows(session, ids), [cursor for _, cursor in found])

    def _rows(self, ids: Sequence[str]) -> dict[str, Any]:
        with self.desk.db.session() as session:
            return case_rows(session, ids)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row: CaseRow | None = self.row_data(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 6:
            return self.deadline_brush(row)
        return None

    def _cell(self, row: CaseRow, column: int) -> str:
        if column == 6:
            return self.deadline_text(row)
        status = status_label(row.status)
        if row.deferred and row.status in OPEN_VALUES:
            status += self.tr(" (deferred)")
        values = (
            row.case_no,
            row.item_name,
            row.client_name,
            row.village or "",
            status,
            row.entrusted_on.isoformat(),
        )
        return values[column]


class CaseBoardPage(QWidget):
    """Filters on top, the lazy table below; ``open_case`` carries the chosen case id."""

    open_case = Signal(str)

    def __init__(
        self, ops: OpRunner, desk: Desk, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ops, self.desk = ops, desk
        self.today = today or date.today()
        headers = [
            self.tr("Case no."),
            self.tr("Service item"),
            self.tr("Client"),
            self.tr("Village"),
            self.tr("Status"),
            self.tr("Entrusted on"),
            self.tr("Deadline"),
        ]
        self.model = CaseTableModel(ops, desk, headers, self.today)
        self._build()
        self.timer = QTimer(self, singleShot=True, interval=150)
        self.timer.timeout.connect(self.apply_filter)
        # The count waits until filters settle, so a run of clicks never queues counts behind pages.
        self.count_timer = QTimer(self, singleShot=True, interval=300)
        self.count_timer.timeout.connect(self._count)
        self.model.loaded.connect(self.count_timer.start)
        self.ops.run(self._choices, on_done=self._fill_choices, owner=self)

    def _build(self) -> None:
        self.search = QLineEdit(
            self, placeholderText=self.tr("Case no. or client name / pinyin / ID")
        )
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox(self)
        self.status.addItem(self.tr("Open cases"), OPEN_VALUES)
        self.status.addItem(self.tr("All statuses"), ())
        for status in CaseStatus:
            self.status.addItem(status_label(status), (status.value,))
        self.item = QComboBox(self)
        self.item.addItem(self.tr("All items"), None)
        self.village = QComboBox(self)
        self.village.addItem(self.tr("All villages"), None)
        self.overdue = QCheckBox(self.tr("Overdue"), self)
        self.due_soon = QCheckBox(self.tr("Due soon"), self)
        self.returned = QCheckBox(self.tr("Returned for correction"), self)
        self.sort = QComboBox(self)
        for label, key in (
            (self.tr("By deadline"), "due"),
            (self.tr("Newest first"), "newest"),
            (self.tr("Oldest first"), "oldest"),
        ):
            self.sort.addItem(label, key)
        self.table = self._table()
        self.count = QLabel(self)
        for combo, chars in ((self.status, 6), (self.item, 8), (self.village, 5), (self.sort, 5)):
            # long item names show in the open list; closed, a combo never widens the window
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(chars)
        bar = QHBoxLayout()
        for widget in (
            self.search,
            self.status,
            self.item,
            self.village,
            self.overdue,
            self.due_soon,
            self.returned,
            self.sort,
        ):
            bar.addWidget(widget)
        bar.setStretch(0, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        for combo in (self.status, self.item, self.village, self.sort):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        for box in (self.overdue, self.due_soon, self.returned):
            box.toggled.connect(lambda _c: self.apply_filter())

    def _table(self) -> QTableView:
        return lazy_table_view(
            self, self.model, "caseTable", (170, 220, 90, 90, 110, 100), self._emit
        )

    def _choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        with self.desk.db.session() as session:
            return item_choices(session), [(v.id, v.name) for v in villages(session)]

    def _fill_choices(self, choices: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
        items, village_list = choices
        for code, name in items:
            self.item.addItem(name, code)
        for village_id, name in village_list:
            self.village.addItem(name, village_id)

    def current_filter(self) -> CaseFilter:
        statuses = tuple(self.status.currentData() or ())
        if self.returned.isChecked():
            statuses = ("needs_correction",)
        f = CaseFilter(
            statuses=statuses,
            item_code=self.item.currentData(),
            village_id=self.village.currentData(),
            text=self.search.text().strip(),
            sort=self.sort.currentData() or "due",
        )
        if self.overdue.isChecked():
            f = replace(f, overdue_on=self.today)
        if self.due_soon.isChecked():  # due soon: not yet overdue
            f = replace(
                f,
                due_from=self.today,
                due_by=self.model.calendar.add_working_days(self.today, SOON_DAYS),
            )
        return f

    def apply_filter(self) -> None:
        self.timer.stop()
        self.model.set_query(self.current_filter())

    def refresh(self) -> None:
        self.model.refresh()

    def _count(self) -> None:
        f = self.model.query
        self.ops.run(lambda: self._count_cases(f), on_done=self._show_count, owner=self)

    def _count_cases(self, f: CaseFilter) -> int:
        with self.desk.db.session() as session:
            return count_cases(session, f)

    def _show_count(self, total: int) -> None:
        self.count.setText(self.tr("%1 cases").replace("%1", f"{total:,}"))

    def _emit(self, row: int) -> None:
        case_id = self.model.id_at(row)
        if case_id:
            self.open_case.emit(case_id)
