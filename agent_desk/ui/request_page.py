"""一件事 page: the desk's requests, and one request as a whole.

Each case's state, what it waits for, the documents collected once, the overall deadline and the
progress. A member whose predecessor is approved can be accepted here; a paper that arrives later
is received once for every case that asks for it; the 一表申请 prints again once the profile is
complete; the applicant's withdrawal (撤回) withdraws every open case at once, with its reason.
Loaded off the UI thread like every page.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlmodel import col

from agent_desk.core.calendar import default_calendar
from agent_desk.core.case_flow import CaseAction
from agent_desk.protocol.roles import actions_for
from agent_desk.services.request_actions import withdraw_request
from agent_desk.services.requests import (
    RequestView,
    load_request,
    print_bundle_notice,
    receive_shared_document,
    refresh_request,
    start_member,
)
from agent_desk.store.models import Client, Request
from agent_desk.ui.action_form import ActionContext
from agent_desk.ui.labels import doc_status_label, status_label
from agent_desk.ui.widgets import read_only_table

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext, Navigator

ID = Qt.ItemDataRole.UserRole
LISTED = 200  # the most recent requests; each opens by key


def recent_requests(session: Any, limit: int = LISTED) -> list[tuple[Any, ...]]:
    """(id, no, bundle, client, status, due) of the newest requests, newest first."""
    stmt = (
        select(
            col(Request.id),
            col(Request.request_no),
            col(Request.bundle_name),
            col(Client.name),
            col(Request.status),
            col(Request.due_on),
        )
        .join(Client, col(Client.id) == col(Request.client_id))
        .where(col(Request.deleted).is_(False))
        .order_by(col(Request.opened_on).desc(), col(Request.request_no).desc())
        .limit(limit)
    )
    return [tuple(r) for r in session.execute(stmt)]


class RequestPanel(QWidget):
    """One request: header with deadline and progress, its cases, its documents collected once."""

    open_case = Signal(str)
    changed = Signal()
    shown = Signal(object)  # the RequestView on screen

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: RequestView | None = None
        self.setObjectName("requestView")
        self.title = QLabel(self)
        self.title.setObjectName("requestTitle")
        self.title.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("requestProgress")
        self.members = read_only_table(
            self,
            [
                self.tr("Service item"),
                self.tr("Case no."),
                self.tr("Status"),
                self.tr("Waits for"),
                self.tr("Due"),
            ],
            "requestMembers",
        )
        self.members.doubleClicked.connect(self._open_member)
        self.documents = read_only_table(
            self,
            [self.tr("Document (collected once)"), self.tr("State"), self.tr("Used by")],
            "requestDocuments",
        )
        self.start_button = QPushButton(self.tr("&Accept the selected case now"), self)
        self.start_button.clicked.connect(self.start_selected)
        self.receive_button = QPushButton(self.tr("&Received for every case"), self)
        self.receive_button.clicked.connect(self.receive_selected)
        self.notice_button = QPushButton(self.tr("Print the one-time &notice"), self)
        self.notice_button.clicked.connect(self.print_notice)
        self.application_button = QPushButton(self.tr("Print the combined &application"), self)
        self.application_button.setObjectName("requestApplication")
        self.application_button.clicked.connect(self.print_application)
        self.withdraw_button = QPushButton(self.tr("&Withdraw the whole request…"), self)
        self.withdraw_button.setObjectName("requestWithdraw")
        self.withdraw_button.clicked.connect(self.withdraw)
        self.withdraw_button.setEnabled(False)  # until a request is shown (_enable)
        self.application_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (
            self.start_button,
            self.receive_button,
            self.notice_button,
            self.application_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.withdraw_button)
        self.tabs = QTabWidget(self)  # each table gets the page's height on a 1366×768 screen
        self.tabs.addTab(self.members, self.tr("Cases"))
        self.tabs.addTab(self.documents, self.tr("Documents collected once"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.progress)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

    def load(self, request_id: str) -> None:
        self.ctx.read(
            lambda session: load_request(session, request_id), on_done=self._show, owner=self
        )

    def _show(self, view: RequestView) -> None:
        self.view = view
        request = view.request
        due = f"{request.due_on:%Y-%m-%d}" if request.due_on else "—"
        left = (
            default_calendar().working_days_left(request.due_on, date.today())
            if request.due_on and request.status == "open"
            else None
        )
        state = {
            "open": self.tr("in progress"),
            "completed": self.tr("completed"),
            "withdrawn": self.tr("withdrawn"),
        }.get(request.status, request.status)
        text = self.tr("%1 %2 — %3 · %4 · overall deadline %5")
        text = (
            text.replace("%1", request.request_no)
            .replace("%2", request.bundle_name)
            .replace("%3", view.client_name)
            .replace("%4", state)
            .replace("%5", due)
        )
        if left is not None:
            text += self.tr(" (%1 working days left)").replace("%1", str(left))
        self.title.setText(text)
        self.progress.setRange(0, len(view.members))
        self.progress.setValue(view.done)
        self.progress.setFormat(
            self.tr("%1 of %2 cases concluded")
            .replace("%1", str(view.done))
            .replace("%2", str(len(view.members)))
        )
        self._fill_members(view)
        self._fill_documents(view)
        self._enable(view)
        self.shown.emit(view)

    def _enable(self, view: RequestView) -> None:
        """Withdrawal: an open request, on a desk whose role may withdraw a case (the hub's table)."""
        may = CaseAction.WITHDRAW.value in actions_for(self.ctx.settings.role)
        self.withdraw_button.setEnabled(may and view.request.status == "open")
        self.withdraw_button.setToolTip(
            "" if may else self.tr("Only the agent serving the client may withdraw a request.")
        )
        catalog = self.ctx.catalog
        bundle = catalog.bundles.get(view.request.bundle_code) if catalog is not None else None
        self.application_button.setEnabled(bundle is not None and bundle.form is not None)

    def _fill_members(self, view: RequestView) -> None:
        self.members.setRowCount(len(view.members))
        for row, member in enumerate(view.members):
            waits = "、".join(member.blocked_by) or (
                self.tr("can start now") if member.startable else ""
            )
            due = f"{member.due_on:%Y-%m-%d}" if member.due_on else ""
            cells = (member.item_name, member.case_no, status_label(member.status), waits, due)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID, member.case_id)
                self.members.setItem(row, column, item)
        self.members.resizeColumnsToContents()

    def _fill_documents(self, view: RequestView) -> None:
        self.documents.setRowCount(len(view.documents))
        for row, doc in enumerate(view.documents):
            cells = (doc.name, doc_status_label(doc.status), "、".join(doc.used_by))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID, doc.doc_kind)
                self.documents.setItem(row, column, item)
        self.documents.resizeColumnToContents(0)

    def _selected(self, table: QTableWidget) -> str | None:
        item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
        return str(item.data(ID)) if item is not None else None

    def _open_member(self, *_args: Any) -> None:
        if case_id := self._selected(self.members):
            self.open_case.emit(case_id)

    def start_selected(self) -> None:
        """受理 the selected member once its predecessors are approved (refused with why, otherwise)."""
        case_id, catalog = self._selected(self.members), self.ctx.catalog
        if not case_id or self.ctx.desk is None or catalog is None or self.view is None:
            return
        actor = self.ctx.actor_name()

        def work(session: Session) -> None:
            start_member(case_id, catalog, session=session, actor=actor, today=date.today())

        self.ctx.write(work, owner=self, on_done=lambda _r: self._after_change())

    def receive_selected(self) -> None:
        self.tabs.setCurrentWidget(self.documents)
        kind, view = self._selected(self.documents), self.view
        if not kind or self.ctx.desk is None or view is None:
            return
        request_id = view.request.id

        def work(session: Session) -> None:
            receive_shared_document(request_id, kind, session=session, today=date.today())
            refresh_request(session, request_id, date.today())

        self.ctx.write(work, owner=self, on_done=lambda _r: self._after_change())

    def print_notice(self) -> None:
        ctx, view = self.ctx, self.view
        if ctx.desk is None or ctx.catalog is None or view is None:
            return
        request_id = view.request.id

        def work(session: Session) -> Any:
            unit = ctx.work(session)
            return print_bundle_notice(
                request_id,
                unit.need_catalog(),
                unit.need_agent(),
                session=session,
                documents_dir=unit.documents,
                today=unit.today,
                cipher=unit.cipher,
            )

        ctx.read(work, owner=self, on_done=lambda path: ctx.open_stored(path, self))

    def print_application(self) -> None:
        """The 一表申请 filled again from the profile as it is now (with the notice); opened when made."""
        ctx, view = self.ctx, self.view
        if ctx.desk is None or ctx.catalog is None or view is None:
            return
        request_id = view.request.id

        def work(session: Session) -> Any:
            from agent_desk.services.work import request_papers

            return request_papers(ctx.work(session), request_id)

        ctx.write(work, owner=self, on_done=self._papers)

    def _papers(self, result: Any) -> None:
        made = [r for r in result.documents if r.template == "combined_application"]
        if made:
            self.ctx.open_stored(self.ctx.data.documents / made[0].path, self)
            return
        lacking = "、".join(dict.fromkeys(m.label for m in result.missing))
        self.ctx.dialogs.info(
            self,
            self.tr("Print the combined application"),
            self.tr("The profile still lacks %1; complete it first.").replace("%1", lacking),
        )

    def withdraw(self) -> None:
        """撤回 by the applicant: every open case withdrawn with the reason; concluded ones stay."""
        ctx, view = self.ctx, self.view
        if ctx.desk is None or view is None:
            return
        payload = ctx.dialogs.ask_action(self, CaseAction.WITHDRAW, ActionContext())
        if payload is None:
            return
        request_id, reason = view.request.id, str(payload.get("reason") or "")
        actor, role = ctx.actor_name(), ctx.settings.role

        def work(session: Session) -> list[str]:
            return withdraw_request(
                request_id, reason, session=session, actor=actor, role=role, today=date.today()
            )

        ctx.write(work, owner=self, on_done=lambda _r: self._after_change())

    def _after_change(self) -> None:
        """The open request shows its cases as they are now (the list follows the change flags)."""
        if self.view is not None:
            self.load(self.view.request.id)
        self.changed.emit()


class RequestsPage(QWidget):
    """The navigation's 一件事: the newest requests above, the selected one below."""

    open_case = Signal(str)
    loaded = Signal(int)

    def __init__(self, ctx: DeskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.setObjectName("requestsPage")
        self.table = read_only_table(
            self,
            [
                self.tr("Request no."),
                self.tr("Bundle"),
                self.tr("Client"),
                self.tr("State"),
                self.tr("Overall deadline"),
            ],
            "requestsTable",
        )
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = RequestPanel(ctx, self)
        self.detail.open_case.connect(self.open_case)
        self.new_button = QPushButton(
            self.tr("&New one-stop request for the selected client…"), self
        )
        self.new_button.clicked.connect(lambda: self.nav.start_bundle())
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([420, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(splitter, 1)

    def title(self) -> str:
        return self.tr("One-stop requests")

    def refresh(self) -> None:
        self.ctx.read(recent_requests, on_done=self._show, owner=self)

    def _show(self, rows: list[tuple[Any, ...]]) -> None:
        current = self.detail.view.request.id if self.detail.view else None
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        states = {
            "open": self.tr("in progress"),
            "completed": self.tr("completed"),
            "withdrawn": self.tr("withdrawn"),
        }
        for row, (request_id, number, bundle, client, status, due) in enumerate(rows):
            cells = (number, bundle, client, states.get(status, status), f"{due or ''}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                item.setData(ID, request_id)
                self.table.setItem(row, column, item)
            if request_id == current:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        if current is not None:
            self.detail.load(current)  # its cases moved: show them as they are now
        self.loaded.emit(len(rows))

    def show_request(self, request_id: str) -> None:
        self.detail.load(request_id)

    def _selected(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        if item is not None:
            self.detail.load(str(item.data(ID)))
