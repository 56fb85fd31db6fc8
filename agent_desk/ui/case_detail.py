"""One case: its facts, the timeline of events, its documents, and the steps it can take next."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from agent_desk.core.calendar import default_calendar
from agent_desk.core.case_flow import CaseAction, CaseStatus, allowed_actions
from agent_desk.core.identity import mask_id_number
from agent_desk.services.cases import CaseDetail, act_on_case, load_case_detail
from agent_desk.ui.action_form import ActionContext
from agent_desk.ui.labels import action_label, status_label
from agent_desk.ui.widgets import read_only_table

if TYPE_CHECKING:
    from agent_desk.ui.main_window import MainWindow

DOC_STATUS = {"received": "已收", "missing": "缺", "deferred": "容缺"}


class CaseDetailView(QWidget):
    """Loads in the background; each step button asks only for what the step needs."""

    acted = Signal(str)  # the action just recorded
    loaded = Signal()

    def __init__(self, window: MainWindow, case_id: str, actor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window, self.case_id, self.actor = window, case_id, actor
        self.detail: CaseDetail | None = None
        self.common_reasons: list[str] = []
        self.setObjectName("caseDetail")
        self.setWindowTitle(self.tr("Case"))
        self.facts = QFormLayout()
        self.timeline = self._table([self.tr("Time"), self.tr("Step"), self.tr("By"), self.tr("Why")])
        self.documents = self._table([self.tr("Document"), self.tr("Original/copy"), self.tr("Status")])
        self.actions = QHBoxLayout()
        layout = QVBoxLayout(self)
        top = QGroupBox(self.tr("Case"), self)
        top.setLayout(self.facts)
        layout.addWidget(top)
        for title, table in ((self.tr("Required documents"), self.documents), (self.tr("Timeline"), self.timeline)):
            box = QGroupBox(title, self)
            QVBoxLayout(box).addWidget(table)
            layout.addWidget(box, 1)
        from agent_desk.ui.documents_view import DocumentsPanel

        self.printed = DocumentsPanel(window, case_id, self)
        box = QGroupBox(self.tr("Printed documents"), self)
        QVBoxLayout(box).addWidget(self.printed)
        layout.addWidget(box, 1)
        layout.addLayout(self.actions)
        self.resize(820, 640)
        self.reload()

    def _table(self, headers: list[str]) -> QTableWidget:
        return read_only_table(self, headers)

    def reload(self) -> None:
        desk = self.window.desk
        assert desk is not None

        def work() -> CaseDetail:
            with desk.db.session() as session:
                return load_case_detail(self.case_id, session=session)

        self.window.ops.run(work, on_done=self._show, on_failed=lambda e: self.window.dialogs.failure(self, e), owner=self)

    def _show(self, detail: CaseDetail) -> None:
        self.detail = detail
        self._show_facts(detail)
        self._fill(self.documents, [(d.name, "原件" if d.original else "复印件",
                                     DOC_STATUS.get(d.status, d.status) + (f" 承诺 {d.promised_on}" if d.promised_on else ""))
                                    for d in detail.documents])  # fmt: skip
        self._fill(self.timeline, [(e.at.astimezone().strftime("%Y-%m-%d %H:%M"), action_label(e.action), e.actor, e.reason or "")
                                   for e in detail.events])  # fmt: skip
        self._show_actions(CaseStatus(detail.case.status))
        self.loaded.emit()

    def _show_facts(self, detail: CaseDetail) -> None:
        while self.facts.rowCount():
            self.facts.removeRow(0)
        case, client = detail.case, detail.client
        rows = [(self.tr("Case no."), case.case_no), (self.tr("Service item"), f"{case.item_name}（{case.item_code}）"),
                (self.tr("Client"), f"{client.name}  {mask_id_number(client.id_number) if client.id_number else ''}"),
                (self.tr("Status"), status_label(case.status)), (self.tr("Entrusted"), str(case.entrusted_on)),
                (self.tr("Deadline"), self._deadline(detail))]  # fmt: skip
        if case.outcome:
            rows.append((self.tr("Outcome"), "准予" if case.outcome == "approved" else "不予"))
        for label, value in rows:
            self.facts.addRow(label, QLabel(value, self))

    def _deadline(self, detail: CaseDetail) -> str:
        due = detail.case.due_on
        if due is None:
            return self.tr("starts when accepted")
        calendar = default_calendar()
        left = calendar.working_days_left(due, date.today())
        if left < 0:
            note = self.tr("overdue by %1 working days").replace("%1", str(-left))
        else:
            note = self.tr("%1 working days left").replace("%1", str(left))
        if calendar.is_estimated(due):
            note += self.tr(", estimated: the State Council's holiday schedule decides")
        return f"{due}（{note}）"

    def _fill(self, table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()

    def _show_actions(self, status: CaseStatus) -> None:
        while self.actions.count():
            widget = self.actions.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for action in allowed_actions(status):
            button = QPushButton(action_label(action), self)
            button.setObjectName(f"action_{action.value}")
            button.clicked.connect(lambda _c=False, a=action: self.request(a))
            self.actions.addWidget(button)
        self.actions.addStretch(1)

    def request(self, action: CaseAction) -> None:
        """Ask for what the step needs, then record it in the background."""
        assert self.detail is not None
        missing = [d.name for d in self.detail.documents if d.required and d.status == "missing"]
        context = ActionContext(missing_documents=missing, common_reasons=self.common_reasons)
        payload = self.window.dialogs.ask_action(self, action, context)
        if payload is None:
            return
        desk = self.window.desk
        assert desk is not None

        def work() -> str:
            with desk.db.session() as session:
                act_on_case(self.case_id, action.value, payload, session=session, actor=self.actor)
                session.commit()
            return action.value

        self.window.ops.run(work, on_done=self._acted, on_failed=lambda e: self.window.dialogs.failure(self, e), owner=self)

    def _acted(self, action: str) -> None:
        self.window.bus.notify("case")
        self.acted.emit(action)
        self.reload()
        self.printed.reload()
