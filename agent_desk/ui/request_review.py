"""A 一件事 as a whole on the reviewer's screen: every case with its state and review, the papers
collected once, and the decisions each case allows now (审核通过, 退回补正).

A decision is the single case's review step (services/request_actions.py), so the same state machine
and role table apply here, on the desk and again on the hub.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desk.core.case_flow import CaseAction
from agent_desk.services.request_actions import RequestReview, decide, load_request_review
from agent_desk.ui.action_form import ActionContext
from agent_desk.ui.changes import Change, subscribe
from agent_desk.ui.labels import action_label, doc_status_label, status_label
from agent_desk.ui.widgets import read_only_table

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext

ID = Qt.ItemDataRole.UserRole
STEPS = (CaseAction.APPROVE, CaseAction.RETURN_FOR_CORRECTION)


class RequestReviewView(QWidget):
    """One window per request; ``open_case`` asks for the single case's review screen."""

    acted = Signal(str)  # the case no. decided
    loaded = Signal()
    open_case = Signal(str)

    def __init__(
        self, ctx: DeskContext, request_id: str, actor: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.request_id, self.actor = ctx, request_id, actor
        self.review: RequestReview | None = None
        self.setObjectName("requestReview")
        self.setWindowTitle(self.tr("Review one-stop request"))
        self.title = QLabel(self)
        self.title.setObjectName("requestReviewTitle")
        self.title.setWordWrap(True)
        self.members = read_only_table(
            self,
            [
                self.tr("Service item"),
                self.tr("Case no."),
                self.tr("Status"),
                self.tr("Review"),
                self.tr("Waits for"),
                self.tr("Decisions now"),
            ],
            "requestReviewCases",
        )
        self.members.itemSelectionChanged.connect(self._enable)
        self.members.doubleClicked.connect(lambda _i: self._open_selected())
        self.documents = read_only_table(
            self,
            [self.tr("Document (collected once)"), self.tr("State"), self.tr("Used by")],
            "requestReviewDocuments",
        )
        self.buttons: dict[CaseAction, QPushButton] = {}
        self._build()
        self.resize(1000, 620)
        subscribe(ctx.bus, self, Change.CASE | Change.DOCUMENT | Change.REQUEST, self._changed)
        self.reload()

    def _build(self) -> None:
        row = QHBoxLayout()
        open_button = QPushButton(self.tr("Open the case's review"), self)
        open_button.clicked.connect(self._open_selected)
        row.addWidget(open_button)
        row.addStretch(1)
        for action in STEPS:
            button = QPushButton(action_label(action), self)
            button.setObjectName(f"requestReview_{action.value}")
            button.setEnabled(False)
            button.clicked.connect(lambda _c=False, a=action: self.request(a))
            row.addWidget(button)
            self.buttons[action] = button
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.members)
        split.addWidget(self.documents)
        split.setSizes([360, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        layout.addLayout(row)

    def _changed(self, _changes: Change) -> None:
        self.reload()

    def reload(self) -> None:
        role, request_id = self.ctx.settings.role, self.request_id
        self.ctx.read(
            lambda session: load_request_review(session, request_id, role),
            owner=self,
            on_done=self._show,
        )

    def _show(self, review: RequestReview) -> None:
        self.review = review
        view, request = review.view, review.view.request
        self.setWindowTitle(self.tr("Review one-stop request %1").replace("%1", request.request_no))
        self.title.setText(
            self.tr("%1 %2 — %3 · overall deadline %4 · %5 of %6 cases concluded")
            .replace("%1", request.request_no)
            .replace("%2", request.bundle_name)
            .replace("%3", view.client_name)
            .replace("%4", f"{request.due_on or '—'}")
            .replace("%5", str(view.done))
            .replace("%6", str(len(view.members)))
        )
        self.members.setRowCount(len(view.members))
        for row, member in enumerate(view.members):
            steps = "、".join(action_label(a) for a in review.steps(member.case_id)) or "—"
            cells = (
                member.item_name,
                member.case_no,
                status_label(member.status),
                self._review_label(member.review_state),
                "、".join(member.blocked_by),
                steps,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID, member.case_id)
                self.members.setItem(row, column, item)
        self.members.resizeColumnsToContents()
        self.documents.setRowCount(len(view.documents))
        for row, doc in enumerate(view.documents):
            cells = (doc.name, doc_status_label(doc.status), "、".join(doc.used_by))
            for column, text in enumerate(cells):
                self.documents.setItem(row, column, QTableWidgetItem(text))
        self.documents.resizeColumnToContents(0)
        self._enable()
        self.loaded.emit()

    def _review_label(self, state: str | None) -> str:
        labels = {
            "waiting": self.tr("Waiting for review"),
            "approved": self.tr("Approved"),
            "returned": self.tr("Returned"),
        }
        return labels.get(state or "", "")

    def selected_case(self) -> str | None:
        item = self.members.item(self.members.currentRow(), 0)
        return str(item.data(ID)) if item is not None else None

    def select_case(self, case_id: str) -> None:
        for row in range(self.members.rowCount()):
            if self.members.item(row, 0).data(ID) == case_id:
                self.members.selectRow(row)

    def _enable(self) -> None:
        case_id = self.selected_case()
        steps = self.review.steps(case_id) if self.review and case_id else ()
        for action, button in self.buttons.items():
            button.setEnabled(action in steps)

    def _open_selected(self) -> None:
        if case_id := self.selected_case():
            self.open_case.emit(case_id)

    def _reasons(self, case_id: str) -> list[str]:
        catalog, review = self.ctx.catalog, self.review
        if catalog is None or review is None:
            return []
        code = next((m.item_code for m in review.view.members if m.case_id == case_id), "")
        if code not in catalog.items:
            return []
        return list(catalog.items[code].correction_reasons)

    def request(self, action: CaseAction) -> None:
        """The selected case's decision, with the reasons picked or typed; recorded in the background."""
        case_id = self.selected_case()
        if case_id is None:
            return
        context = ActionContext(common_reasons=self._reasons(case_id))
        payload = self.ctx.dialogs.ask_action(self, action, context)
        if payload is None:
            return
        request_id, actor, role = self.request_id, self.actor, self.ctx.settings.role

        def work(session: Session) -> str:
            return decide(
                request_id, case_id, action, payload, session=session, actor=actor, role=role
            )

        self.ctx.write(work, owner=self, on_done=self.acted.emit)
