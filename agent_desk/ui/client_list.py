"""The client registry list: one search box over name, pinyin, initials, ID number (or its tail) and phone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desk.core.identity import mask_id_number
from agent_desk.core.masking import mask_phone
from agent_desk.services.clients import age_on
from agent_desk.services.desk import Desk
from agent_desk.store.db import interruptible
from agent_desk.store.listing import ClientRow, client_rows
from agent_desk.store.queries import count_clients, search_client_page
from agent_desk.ui.labels import sex_label
from agent_desk.ui.lazy_model import LazyIdModel, Page
from agent_desk.ui.ops import OpRunner
from agent_desk.ui.widgets import lazy_table_view

SEARCH_DELAY_MS = 150


class ClientTableModel(LazyIdModel):
    def __init__(self, ops: OpRunner, desk: Desk, headers: Sequence[str]) -> None:
        self.desk = desk
        self.today = date.today()
        super().__init__(ops, self._page, self._rows, headers)

    def _page(self, query: str, after: Any, limit: int, superseded: Callable[[], bool]) -> Page:
        with self.desk.db.session() as session, interruptible(session, superseded):
            found = search_client_page(session, query or "", after=after, limit=limit)
            ids = [client_id for client_id, _ in found]
            return Page(ids, client_rows(session, ids), [cursor for _, cursor in found])

    def _rows(self, ids: Sequence[str]) -> dict[str, Any]:
        with self.desk.db.session() as session:
            return client_rows(session, ids)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row: ClientRow | None = self.row_data(index.row())
        if row is None:
            return "…"
        return self._cell(row, index.column())

    def _cell(self, row: ClientRow, column: int) -> str:
        age = age_on(row.birth_date, self.today)
        values = (
            row.name,
            sex_label(row.sex),
            "" if age is None else str(age),
            mask_id_number(row.id_number) if row.id_number else "",
            mask_phone(row.phone),
            row.village or "",
            row.address or "",
        )
        return values[column]


class ClientListPage(QWidget):
    """Search box, lazy table and a count; emits ``open_client`` with an id on Enter or double-click."""

    open_client = Signal(str)

    def __init__(self, ops: OpRunner, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.desk = ops, desk
        self.search = QLineEdit(self)
        self.search.setObjectName("clientSearch")
        self.search.setPlaceholderText(
            self.tr("Search by name, pinyin, initials, ID number or its last digits, phone")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Find a client"))
        headers = [
            self.tr("Name"),
            self.tr("Sex"),
            self.tr("Age"),
            self.tr("ID number"),
            self.tr("Phone"),
            self.tr("Village"),
            self.tr("Address"),
        ]
        self.model = ClientTableModel(ops, desk, headers)
        self.table = self._make_table()
        self.count = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self._open_current)
        self.model.loaded.connect(self._show_count)

    def _make_table(self) -> QTableView:
        return lazy_table_view(
            self, self.model, "clientTable", (110, 50, 50, 190, 120, 100), self._emit_open
        )

    def apply_search(self) -> None:
        self.timer.stop()
        self.model.set_query(self.search.text().strip())

    def refresh(self) -> None:
        self.model.refresh()

    def _show_count(self) -> None:
        query = self.model.query
        if query:
            more = "+" if self.model.has_more else ""
            self.count.setText(self.tr("%1 found").replace("%1", f"{len(self.model.ids)}{more}"))
            return
        self.ops.run(self._count, on_done=self._set_total, owner=self)

    def _count(self) -> int:
        with self.desk.db.session() as session:
            return count_clients(session)

    def _set_total(self, total: int) -> None:
        self.count.setText(self.tr("%1 clients in total").replace("%1", f"{total:,}"))

    def _open_current(self) -> None:
        row = self.table.currentIndex().row()
        self._emit_open(row if row >= 0 else 0)

    def _emit_open(self, row: int) -> None:
        client_id = self.model.id_at(row)
        if client_id:
            self.open_client.emit(client_id)
