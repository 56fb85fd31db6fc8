"""One case: its facts, the timeline of events, its documents, and the steps it can take next."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desk.core.calendar import default_calendar
from agent_desk.core.case_flow import OPEN_STATUSES, CaseAction, CaseStatus, allowed_actions
from agent_desk.core.identity import mask_id_number
from agent_desk.protocol.roles import HELPER_ROLES
from agent_desk.services.case_life import receive_document_by_id
from agent_desk.services.case_record import agent_name
from agent_desk.services.cases import CaseDetail, act_on_case, load_case_detail
from agent_desk.ui.action_form import ActionContext
from agent_desk.ui.changes import Change, subscribe
from agent_desk.ui.labels import (
    action_label,
    doc_status_label,
    event_reason,
    original_label,
    status_label,
)
from agent_desk.ui.widgets import read_only_table

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext

REVIEW_DECISIONS = {CaseAction.APPROVE}  # the township's; an agent's desk never offers them


def document_status(doc: Any) -> str:
    """「已收 2026-11-23」, 「容缺 承诺 2026-11-27」, 「缺」: the state with its date and year."""
    if doc.status == "received" and doc.received_on:
        return f"{doc_status_label(doc.status)} {doc.received_on:%Y-%m-%d}"
    return doc_status_label(doc.status, f"{doc.promised_on:%Y-%m-%d}" if doc.promised_on else None)


class CaseDetailView(QWidget):
    """Loads in the background; each step button asks only for what the step needs."""

    acted = Signal(str)  # the action just recorded
    loaded = Signal()

    def __init__(
        self, ctx: DeskContext, case_id: str, actor: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.case_id, self.actor = ctx, case_id, actor
        self.detail: CaseDetail | None = None
        self.common_reasons: list[str] = []
        self.setObjectName("caseDetail")
        self.setWindowTitle(self.tr("Case"))
        self.facts = QFormLayout()
        self.timeline = self._table(
            [self.tr("Time"), self.tr("Step"), self.tr("By"), self.tr("Why")]
        )
        self.documents = self._table(
            [self.tr("Document"), self.tr("Original/copy"), self.tr("Status")]
        )
        self.actions = QHBoxLayout()
        layout = QVBoxLayout(self)
        top = QGroupBox(self.tr("Case"), self)
        top.setLayout(self.facts)
        layout.addWidget(top)
        for title, table in (
            (self.tr("Required documents"), self.documents),
            (self.tr("Timeline"), self.timeline),
        ):
            box = QGroupBox(title, self)
            QVBoxLayout(box).addWidget(table)
            if table is self.documents:
                box.layout().addLayout(self._receive_row())  # type: ignore[union-attr]
            layout.addWidget(box, 1)
        from agent_desk.ui.documents_view import DocumentsPanel

        self.printed = DocumentsPanel(ctx, case_id, self)
        box = QGroupBox(self.tr("Printed documents"), self)
        QVBoxLayout(box).addWidget(self.printed)
        layout.addWidget(box, 1)
        layout.addLayout(self.actions)
        self.resize(820, 640)
        subscribe(ctx.bus, self, Change.CASE | Change.DOCUMENT | Change.CLIENT, self._changed)
        self.reload()

    def _table(self, headers: list[str]) -> QTableWidget:
        return read_only_table(self, headers)

    def _receive_row(self) -> QHBoxLayout:
        """补交: the selected document arrived on the date shown (today unless changed)."""
        self.received_on = QDateEdit(QDate.currentDate(), self, calendarPopup=True)
        self.received_on.setDisplayFormat("yyyy-MM-dd")
        self.receive_button = QPushButton(self.tr("Mark received (handed in later)"), self)
        self.receive_button.setObjectName("receiveDocument")
        self.receive_button.clicked.connect(self.receive_selected)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Received on"), self))
        row.addWidget(self.received_on)
        row.addWidget(self.receive_button)
        row.addStretch(1)
        return row

    def receive_selected(self) -> None:
        row = self.documents.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.documents):
            self.ctx.dialogs.info(
                self,
                self.tr("Mark received (handed in later)"),
                self.tr("Select a document first."),
            )
            return
        doc_id, on = self.detail.documents[row].id, self.received_on.date().toPython()

        def work(session: Session) -> str:
            receive_document_by_id(doc_id, on, session=session)
            return "receive_document"

        self.ctx.write(work, owner=self, on_done=self.acted.emit)

    def reload(self) -> None:
        case_id = self.case_id
        self.ctx.read(
            lambda session: load_case_detail(case_id, session=session),
            owner=self,
            on_done=self._show,
        )

    def _changed(self, _changes: Change) -> None:
        """A step recorded here or anywhere else (another window, a sync): show it."""
        self.reload()
        self.printed.reload()

    def _show(self, detail: CaseDetail) -> None:
        self.detail = detail
        self._show_facts(detail)
        self._fill(
            self.documents,
            [(d.name, original_label(d.original), document_status(d)) for d in detail.documents],
        )
        self._fill(
            self.timeline,
            [
                (
                    e.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    action_label(e.action),
                    detail.names.get(e.actor, e.actor),
                    event_reason(e.reason or ""),
                )
                for e in detail.events
            ],
        )
        self._show_actions(CaseStatus(detail.case.status))
        self.loaded.emit()

    def _show_facts(self, detail: CaseDetail) -> None:
        while self.facts.rowCount():
            self.facts.removeRow(0)
        case, client = detail.case, detail.client
        rows = [
            (self.tr("Case no."), case.case_no),
            (self.tr("Service item"), f"{case.item_name}（{case.item_code}）"),
            (
                self.tr("Client"),
                f"{client.name}  {mask_id_number(client.id_number) if client.id_number else ''}",
            ),
            (self.tr("Status"), status_label(case.status)),
            (self.tr("Entrusted on"), f"{case.entrusted_on:%Y-%m-%d}"),
            (self.tr("Handled by"), agent_name(case, detail.names) or self.tr("not recorded")),
            (self.tr("Deadline"), self._deadline(detail)),
        ]
        rows += [
            (fact.label, f"{fact.value}　（{fact.by}，{fact.at.astimezone():%Y-%m-%d %H:%M}）")
            for fact in detail.facts
        ]
        for label, value in rows:
            shown = QLabel(value, self)
            shown.setObjectName(f"fact_{label}")
            self.facts.addRow(label, shown)

    def _deadline(self, detail: CaseDetail) -> str:
        """Days left only while the case is open; 补正 time added to the due date is said with its rule."""
        case, due = detail.case, detail.case.due_on
        if due is None:
            return (
                self.tr("starts when accepted") if CaseStatus(case.status) in OPEN_STATUSES else "—"
            )
        rule = self.tr("; %1 working days in correction not counted")
        paused = rule.replace("%1", str(case.paused_days)) if case.paused_days else ""
        if CaseStatus(case.status) not in OPEN_STATUSES or case.status == CaseStatus.CONCLUDED:
            return f"{due:%Y-%m-%d}{paused}"
        calendar = default_calendar()
        left = calendar.working_days_left(due, date.today())
        if left < 0:
            note = self.tr("overdue by %1 working days").replace("%1", str(-left))
        else:
            note = self.tr("%1 working days left").replace("%1", str(left))
        if calendar.is_estimated(due):
            note += self.tr(", estimated: the State Council's holiday schedule decides")
        return f"{due:%Y-%m-%d}（{note}{paused}）"

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
        agent_desk = self.ctx.settings.role in HELPER_ROLES
        for action in allowed_actions(status):
            if agent_desk and action in REVIEW_DECISIONS:
                continue
            button = QPushButton(action_label(action), self)
            button.setObjectName(f"action_{action.value}")
            button.clicked.connect(lambda _c=False, a=action: self.request(a))
            self.actions.addWidget(button)
        self.actions.addStretch(1)

    def request(self, action: CaseAction) -> None:
        """Ask for what the step needs, then record it in the background."""
        assert self.detail is not None
        docs = self.detail.documents
        item = self._item()
        context = ActionContext(
            missing_documents=[d.name for d in docs if d.required and d.status == "missing"],
            outstanding_documents=[d.name for d in docs if d.required and d.status != "received"],
            common_reasons=list(item.correction_reasons) if item else self.common_reasons,
        )
        payload = self.ctx.dialogs.ask_action(self, action, context)
        if payload is None:
            return
        pauses = item.correction_pauses_clock if item else True

        def work(session: Session) -> str:
            act_on_case(
                self.case_id,
                action.value,
                payload,
                session=session,
                actor=self.actor,
                pauses_clock=pauses,
            )
            return action.value

        self.ctx.write(work, owner=self, on_done=self.acted.emit)

    def _item(self) -> Any:
        """The case's catalog item (common 补正 reasons, whether 补正 pauses the clock), once loaded."""
        catalog = self.ctx.catalog
        if catalog is None or self.detail is None:
            return None
        return catalog.items.get(self.detail.case.item_code)
