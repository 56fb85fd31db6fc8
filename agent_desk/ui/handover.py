"""Hand-over batches: choose the accepted cases to carry to the township, print the 交接清单, mark them submitted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desk.services.handover import (
    HandoverList,
    mark_submitted,
)
from agent_desk.services.printing import batch_set
from agent_desk.services.work import make_batch
from agent_desk.store.case_queries import CaseRow, case_rows, handover_candidate_ids, recent_batches
from agent_desk.store.models import HandoverBatch
from agent_desk.ui.printing import show_or_open, start_printing
from agent_desk.ui.widgets import read_only_table

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext


@dataclass
class HandoverState:
    candidates: list[CaseRow]
    batches: list[tuple[HandoverBatch, int]]


def load_state(session: Any) -> HandoverState:
    ids = handover_candidate_ids(session)
    rows = case_rows(session, ids)
    return HandoverState([rows[i] for i in ids if i in rows], recent_batches(session))


class HandoverPage(QWidget):
    loaded = Signal()
    batch_done = Signal(str)  # batch id, once created and its list printed
    submitted = Signal(list)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state = HandoverState([], [])
        self.setObjectName("handoverPage")
        self.candidates = self._table(
            [
                self.tr("Case no."),
                self.tr("Client"),
                self.tr("Service item"),
                self.tr("Village"),
                self.tr("Due"),
            ],
            "handoverCandidates",
        )
        self.batches = self._table(
            [self.tr("Batch no."), self.tr("Made"), self.tr("Cases"), self.tr("Submitted")],
            "handoverBatches",
        )
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        top = QGroupBox(
            self.tr("Accepted cases waiting to be carried to the township (tick with Space)"), self
        )
        top_layout = QVBoxLayout(top)
        top_layout.addWidget(self.candidates)
        top_layout.addLayout(
            self._row(
                ("selectAll", self.tr("Tick &all"), self.tick_all, "Ctrl+A"),
                (
                    "createBatch",
                    self.tr("Make &batch and print its list"),
                    self.make_batch,
                    "Ctrl+B",
                ),
            )
        )
        bottom = QGroupBox(self.tr("Batches"), self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.addWidget(self.batches)
        bottom_layout.addLayout(
            self._row(
                ("printList", self.tr("&Print the list"), self.print_list, ""),
                ("printBatch", self.tr("Print the &whole batch"), self.print_batch, ""),
                ("openList", self.tr("&Open the list"), self.open_list, ""),
                ("markSubmitted", self.tr("Mark &submitted"), self.submit, ""),
            )
        )
        # side by side: stacked, a 1366×768 screen showed five batches (ui/widgets.MIN_ROWS)
        halves = QSplitter(Qt.Orientation.Horizontal, self)
        halves.addWidget(top)
        halves.addWidget(bottom)
        halves.setStretchFactor(0, 3)
        halves.setStretchFactor(1, 2)
        layout.addWidget(halves, 1)
        layout.addWidget(self.status)
        self.lists: dict[str, str] = {}  # batch id -> generated path (relative)

    def _table(self, headers: list[str], name: str) -> QTableWidget:
        return read_only_table(self, headers, name)

    def _row(self, *buttons: tuple[str, str, Any, str]) -> QHBoxLayout:
        row = QHBoxLayout()
        for name, text, slot, shortcut in buttons:
            button = QPushButton(text, self)
            button.setObjectName(name)
            if shortcut:
                button.setShortcut(shortcut)
            button.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        desk = self.ctx.desk
        assert desk is not None

        def work() -> HandoverState:
            with desk.db.session() as session:
                return load_state(session)

        self.ctx.ops.run(work, on_done=self._show, on_failed=self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.ctx.dialogs.failure(self, exc)

    def _show(self, state: HandoverState) -> None:
        self.state = state
        self.candidates.setRowCount(len(state.candidates))
        for r, row in enumerate(state.candidates):
            values = (
                row.case_no,
                row.client_name,
                row.item_name,
                row.village or "",
                str(row.due_on or ""),
            )
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if c == 0:
                    cell.setFlags(cell.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    cell.setCheckState(Qt.CheckState.Unchecked)
                self.candidates.setItem(r, c, cell)
        self.batches.setRowCount(len(state.batches))
        for r, (batch, count) in enumerate(state.batches):
            submitted = (
                batch.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M")
                if batch.submitted_at
                else self.tr("not yet")
            )
            for c, value in enumerate(
                (
                    batch.batch_no,
                    batch.created_at.astimezone().strftime("%Y-%m-%d"),
                    str(count),
                    submitted,
                )
            ):
                self.batches.setItem(r, c, QTableWidgetItem(value))
        if state.batches and self.batches.currentRow() < 0:
            self.batches.selectRow(0)
        self.candidates.resizeColumnsToContents()
        self.loaded.emit()

    # -- choosing and making a batch ------------------------------------------------------------
    def tick_all(self) -> None:
        for r in range(self.candidates.rowCount()):
            self.candidates.item(r, 0).setCheckState(Qt.CheckState.Checked)

    def tick(self, case_nos: list[str]) -> None:
        for r, row in enumerate(self.state.candidates):
            if row.case_no in case_nos:
                self.candidates.item(r, 0).setCheckState(Qt.CheckState.Checked)

    def ticked_ids(self) -> list[str]:
        return [
            row.id
            for r, row in enumerate(self.state.candidates)
            if self.candidates.item(r, 0).checkState() == Qt.CheckState.Checked
        ]

    def make_batch(self) -> None:
        ids = self.ticked_ids()
        if not ids:
            self.ctx.dialogs.info(
                self, self.tr("Hand-over"), self.tr("Tick the cases to carry first.")
            )
            return
        ctx = self.ctx
        assert ctx.desk is not None and ctx.catalog is not None

        def work(session: Session) -> tuple[str, HandoverList]:
            return make_batch(ctx.work(session), ids)

        ctx.write(work, owner=self, on_done=self._made)

    def _made(self, outcome: tuple[str, HandoverList]) -> None:
        batch_id, listed = outcome
        if listed.document is not None:
            self.lists[batch_id] = listed.document.path
            self.status.setText(self.tr("Batch made; its list is written."))
            path = self.ctx.data.documents / listed.document.path
            self._print_path(
                path, path.stem, direct=True
            )  # "JJ…-代办件交接清单": the batch number first
        else:
            self.status.setText(
                self.tr("Batch made, but the list is missing: %1").replace(
                    "%1", "；".join(listed.missing)
                )
            )
        self.refresh()
        self.batch_done.emit(batch_id)

    # -- the list and submitting ----------------------------------------------------------------
    def current_batch(self) -> HandoverBatch | None:
        row = self.batches.currentRow()
        return self.state.batches[row][0] if 0 <= row < len(self.state.batches) else None

    def _list_path(self, batch: HandoverBatch) -> Any:
        relative = self.lists.get(batch.id)
        if relative:
            return self.ctx.data.documents / relative
        found = sorted((self.ctx.data.documents / "handover").glob(f"{batch.batch_no}-*.docx"))
        return found[0] if found else None

    def open_list(self) -> None:
        """In Word/WPS; on an encrypted desk a decrypted copy outside the data folder (DeskContext.viewer_folder)."""
        batch = self.current_batch()
        path = self._list_path(batch) if batch else None
        if path is not None:
            self.ctx.open_stored(path, self)

    def print_list(self) -> None:
        batch = self.current_batch()
        path = self._list_path(batch) if batch else None
        if path is not None and batch is not None:
            self._print_path(path, batch.batch_no, direct=False)

    def _print_path(self, path: Path, title: str, *, direct: bool) -> None:
        self._start(title, lambda _session: [(title, path)], direct)

    def print_batch(self) -> None:
        """The list and every case's proxy authorisation and forms, as one job."""
        batch, folder = self.current_batch(), self.ctx.data.documents
        if batch is not None:
            batch_id = batch.id
            self._start(
                batch.batch_no, lambda session: batch_set(session, batch_id, folder), direct=False
            )

    def _start(self, title: str, collect: Any, direct: bool) -> None:
        if self.ctx.desk is None:
            return
        start_printing(
            self.ctx,
            self,
            title,
            collect,
            preview=not direct,
            on_ready=lambda job: show_or_open(self.ctx, self, job, self.status, direct=direct),
            on_failed=self._failed,
        )

    def submit(self) -> None:
        batch = self.current_batch()
        if batch is None or batch.submitted_at is not None:
            return
        text = self.tr("Mark every case of batch %1 as submitted to the township?").replace(
            "%1", batch.batch_no
        )
        if not self.ctx.dialogs.confirm(self, self.tr("Hand-over"), text):
            return
        desk, actor, batch_id = self.ctx.desk, self.ctx.actor_name(), batch.id
        assert desk is not None

        def work(session: Session) -> list[str]:
            return mark_submitted(batch_id, session=session, actor=actor)

        self.ctx.write(work, owner=self, on_done=self._submitted)

    def _submitted(self, case_nos: list[str]) -> None:
        self.status.setText(self.tr("%1 cases submitted").replace("%1", str(len(case_nos))))
        self.refresh()
        self.submitted.emit(case_nos)
