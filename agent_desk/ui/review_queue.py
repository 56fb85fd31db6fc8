"""The reviewer's queue: the township's cases, waiting for review first and oldest first, with filters.

Pages load in index order off the UI thread (store/review_queries.py), so 300k cases stay instant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desk.core.case_flow import CaseStatus
from agent_desk.services.desk import Desk
from agent_desk.store.case_queries import item_choices
from agent_desk.store.db import interruptible
from agent_desk.store.queries import villages
from agent_desk.store.review_queries import (
    OPEN,
    ReviewFilter,
    ReviewRow,
    agent_choices,
    count_review,
    fill_missing_review_states,
    review_page,
    review_rows,
)
from agent_desk.ui.case_board import SOON_DAYS, DeadlineModel
from agent_desk.ui.labels import status_label
from agent_desk.ui.lazy_model import Page
from agent_desk.ui.ops import OpRunner
from agent_desk.ui.widgets import lazy_table_view

DEADLINE_COLUMN = 8


class ReviewTableModel(DeadlineModel):
    def _page(
        self, f: ReviewFilter, after: Any, limit: int, superseded: Callable[[], bool]
    ) -> Page:
        with self.desk.db.session() as session, interruptible(session, superseded):
            found = review_page(session, f, after=after, limit=limit)
            ids = [case_id for case_id, _ in found]
            return Page(ids, review_rows(session, ids), [cursor for _, cursor in found])

    def _rows(self, ids: Sequence[str]) -> dict[str, Any]:
        with self.desk.db.session() as session:
            return review_rows(session, ids)

    def review_label(self, state: str | None) -> str:
        labels = {
            "waiting": self.tr("Waiting for review"),
            "approved": self.tr("Approved"),
            "returned": self.tr("Returned"),
        }
        return labels.get(state or "", "")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row: ReviewRow | None = self.row_data(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(row, index.column())
        if role == Qt.ItemDataRole.FontRole and row.review_state == "waiting":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == DEADLINE_COLUMN:
            return self.deadline_brush(row)
        return None

    def _cell(self, row: ReviewRow, column: int) -> str:
        if column == DEADLINE_COLUMN:
            return self.deadline_text(row)
        status = status_label(row.status)
        if row.returned_count:
            status += self.tr(" (returned %1×)").replace("%1", str(row.returned_count))
        values = (
            self.review_label(row.review_state),
            row.case_no,
            f"{row.item_name}（{row.request}）" if row.request else row.item_name,
            row.client_name,
            row.village or "",
            row.agent,
            status,
            row.entrusted_on.isoformat(),
        )
        return values[column]


class ReviewQueuePage(QWidget):
    """Filters on top, the lazy queue below; ``open_review`` carries the chosen case id."""

    open_review = Signal(str)
    open_request = Signal(str)  # the selected case's 一件事, reviewed as a whole

    def __init__(
        self, ops: OpRunner, desk: Desk, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ops, self.desk = ops, desk
        self.today = today or date.today()
        headers = [
            self.tr("Review"),
            self.tr("Case no."),
            self.tr("Service item"),
            self.tr("Client"),
            self.tr("Village"),
            self.tr("Agent"),
            self.tr("Status"),
            self.tr("Entrusted on"),
            self.tr("Deadline"),
        ]
        self.model = ReviewTableModel(ops, desk, headers, self.today)
        self.agents: dict[str, str | None] = {}
        self._build()
        self.count_timer = QTimer(self, singleShot=True, interval=300)
        self.count_timer.timeout.connect(self._count)
        self.model.loaded.connect(self.count_timer.start)
        self.ops.run(self._choices, on_done=self._fill_choices, owner=self)

    def _build(self) -> None:
        self.status = QComboBox(self)
        self.status.addItem(self.tr("Open cases"), ("open", OPEN))
        self.status.addItem(self.tr("Waiting for review"), ("waiting", OPEN))
        self.status.addItem(self.tr("All statuses"), ("all", ()))
        for status in CaseStatus:
            self.status.addItem(status_label(status), ("status", (status.value,)))
        self.village, self.item, self.agent = QComboBox(self), QComboBox(self), QComboBox(self)
        self.village.addItem(self.tr("All villages"), None)
        self.item.addItem(self.tr("All items"), None)
        self.agent.addItem(self.tr("All agents"), None)
        self.deadline = QComboBox(self)
        for label, key in (
            (self.tr("Any deadline"), ""),
            (self.tr("Overdue"), "overdue"),
            (self.tr("Due soon"), "due_soon"),
        ):
            self.deadline.addItem(label, key)
        self.table = self._table()
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.count = QLabel(self)
        self.request_button = QPushButton(self.tr("Review the whole request…"), self)
        self.request_button.setObjectName("queueWholeRequest")
        self.request_button.setEnabled(False)
        self.request_button.clicked.connect(self.open_selected_request)
        bar = QHBoxLayout()
        for widget in (self.status, self.village, self.item, self.agent, self.deadline):
            bar.addWidget(widget)
            widget.currentIndexChanged.connect(lambda _i: self.apply_filter())
        bar.addStretch(1)
        bar.addWidget(self.request_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

    def _table(self) -> QTableView:
        return lazy_table_view(
            self, self.model, "reviewTable", (80, 170, 200, 80, 80, 70, 120, 90), self._emit
        )

    def _choices(
        self,
    ) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str, str | None]]]:
        with self.desk.db.session() as session:
            if fill_missing_review_states(session):
                session.commit()
            return (
                item_choices(session),
                [(v.id, v.name) for v in villages(session)],
                agent_choices(session),
            )

    def _fill_choices(self, choices: Any) -> None:
        items, village_list, agents = choices
        for widget in (self.item, self.village, self.agent):
            widget.blockSignals(True)
        for code, name in items:
            self.item.addItem(name, code)
        for village_id, name in village_list:
            self.village.addItem(name, village_id)
        for user_id, name, village_id in agents:
            self.agent.addItem(name, user_id)
            self.agents[user_id] = village_id
        for widget in (self.item, self.village, self.agent):
            widget.blockSignals(False)
        self.apply_filter()

    def current_filter(self) -> ReviewFilter:
        kind, statuses = self.status.currentData()
        agent = self.agent.currentData()
        return ReviewFilter(
            statuses=tuple(statuses),
            waiting_only=kind == "waiting",
            village_id=self.village.currentData(),
            item_code=self.item.currentData(),
            agent_id=agent,
            agent_village_id=self.agents.get(agent or ""),
            deadline=self.deadline.currentData() or "",
            today=self.today,
            soon_by=self.model.calendar.add_working_days(self.today, SOON_DAYS),
        )

    def apply_filter(self) -> None:
        self.model.set_query(self.current_filter())

    def refresh(self) -> None:
        if self.model.query is not None:
            self.model.refresh()

    def _count(self) -> None:
        f = self.model.query
        self.ops.run(lambda: self._count_cases(f), on_done=self._show_count, owner=self)

    def _count_cases(self, f: ReviewFilter) -> tuple[int, int]:
        with self.desk.db.session() as session:
            return count_review(session, f)

    def _show_count(self, counts: tuple[int, int]) -> None:
        waiting, total = counts
        self.count.setText(
            self.tr("%1 cases, %2 waiting for review")
            .replace("%1", f"{total:,}")
            .replace("%2", f"{waiting:,}")
        )

    def _selected_request(self) -> str | None:
        index = self.table.currentIndex()
        row: ReviewRow | None = self.model.row_data(index.row()) if index.isValid() else None
        return row.request_id if row is not None else None

    def _selected(self) -> None:
        self.request_button.setEnabled(self._selected_request() is not None)

    def open_selected_request(self) -> None:
        """The selected case's 一件事 on one screen: every case, the papers, the decisions."""
        if request_id := self._selected_request():
            self.open_request.emit(request_id)

    def _emit(self, row: int) -> None:
        case_id = self.model.id_at(row)
        if case_id:
            self.open_review.emit(case_id)
