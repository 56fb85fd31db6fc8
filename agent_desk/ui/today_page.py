"""今日待办: the first page after unlock — what needs the agent today, each a click from its case.

The lists are loaded off the UI thread (store/today_queries.py) and refreshed when cases change;
the navigation shows the total, so the count is seen from any page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from agent_desk.core.calendar import add_working_days
from agent_desk.services.desk import Desk
from agent_desk.services.requests import STARTABLE, add_startable
from agent_desk.store.today_queries import SECTIONS, TodayList, today_list
from agent_desk.ui.ops import OpRunner

SOON_DAYS = 2
SHOWN = (*SECTIONS, STARTABLE)  # and the 一件事 members their predecessor's approval made possible
LISTED = 30  # rows per list; the counts are exact
CASE_ID = Qt.ItemDataRole.UserRole


class TodayPage(QWidget):
    open_case = Signal(str)
    loaded = Signal(object)  # the TodayList shown

    def __init__(
        self, ops: OpRunner, desk: Desk, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ops, self.desk = ops, desk
        self.today = today or date.today()
        self.state: TodayList | None = None
        self.setObjectName("todayPage")
        self.summary = QLabel(self)
        self.summary.setObjectName("todaySummary")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("todayTree")
        self.tree.setHeaderLabels(
            [self.tr("To do"), self.tr("Client"), self.tr("Service item"), self.tr("Date")]
        )
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 110)
        self.tree.setColumnWidth(2, 260)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemDoubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def titles(self) -> dict[str, str]:
        return {
            STARTABLE: self.tr("Can start now (its preceding item is approved)"),
            "overdue": self.tr("Overdue"),
            "due_soon": self.tr("Due soon (not yet overdue)"),
            "deferred_due": self.tr("Deferred documents due"),
            "returned": self.tr("Returned for correction"),
            "follow_up": self.tr("Follow-up visits due"),
        }

    def refresh(self) -> None:
        today, soon = self.today, add_working_days(self.today, SOON_DAYS)

        def work() -> TodayList:
            with self.desk.db.session() as session:
                state = today_list(session, today, soon, limit=LISTED)
                return add_startable(state, session, limit=LISTED)

        self.ops.run(work, on_done=self._show, owner=self)

    def _show(self, state: TodayList) -> None:
        self.state = state
        self.tree.clear()
        titles = self.titles()
        for section in SHOWN:
            head = QTreeWidgetItem(
                self.tree, [f"{titles[section]}（{state.counts.get(section, 0)}）"]
            )
            head.setFirstColumnSpanned(True)
            for row in state.rows.get(section, []):
                when = f"{row.when:%Y-%m-%d}" if row.when else ""
                child = QTreeWidgetItem(
                    head, [f"{row.case_no} {row.note}".strip(), row.client, row.item_name, when]
                )
                child.setData(0, CASE_ID, row.case_id)
            head.setExpanded(bool(state.counts.get(section)))
        self.summary.setText(
            self.tr(
                "%1 things to do today. Double-click a case to open it; each list shows its "
                "first %2, the Cases page has them all."
            )
            .replace("%1", str(state.total))
            .replace("%2", str(LISTED))
        )
        self.loaded.emit(state)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        case_id: Any = item.data(0, CASE_ID)
        if case_id:
            self.open_case.emit(str(case_id))
