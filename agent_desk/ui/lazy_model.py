"""A table model over a big table that holds only ids and loads rows a page at a time, off the UI thread.

The first page arrives with the query; more pages come through ``canFetchMore``/``fetchMore``
as the view scrolls (qutebrowser's history model and Anki's browser table do the same).
Rows are cached in a bounded dict; an evicted row is fetched again in the background.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from agent_desk.ui.ops import OpRunner

PAGE = 200
CACHE_ROWS = 4000
Index = QModelIndex | QPersistentModelIndex

# (query, offset, limit) -> (ids, rows by id); asked for one more than a page to know if more exist
PageLoader = Callable[[Any, int, int], tuple[list[str], dict[str, Any]]]
RowLoader = Callable[[Sequence[str]], dict[str, Any]]


class LazyIdModel(QAbstractTableModel):
    loaded = Signal()  # the first page of a new query is in
    failed = Signal(object)

    def __init__(self, ops: OpRunner, load_page: PageLoader, load_rows: RowLoader, headers: Sequence[str]) -> None:
        super().__init__()
        self.ops, self.load_page, self.load_rows = ops, load_page, load_rows
        self.headers = list(headers)
        self.ids: list[str] = []
        self.cache: OrderedDict[str, Any] = OrderedDict()
        self.query: Any = None
        self.generation = 0
        self.has_more = False
        self.loading = False
        self.pending_rows: set[str] = set()

    # -- loading ---------------------------------------------------------------
    def set_query(self, query: Any) -> None:
        """Start a new query; the old rows stay until the new first page replaces them."""
        self.query = query
        self.generation += 1
        generation = self.generation
        self.loading = True
        self.ops.run(lambda: self.load_page(query, 0, PAGE + 1),
                     on_done=lambda page: self._first_page(generation, page),
                     on_failed=self._failed, owner=self)  # fmt: skip

    def refresh(self) -> None:
        self.set_query(self.query)

    def _first_page(self, generation: int, page: tuple[list[str], dict[str, Any]]) -> None:
        if generation != self.generation:
            return
        ids, rows = page
        self.beginResetModel()
        self.ids = list(ids[:PAGE])
        self.cache.clear()
        self._remember(rows)
        self.has_more = len(ids) > PAGE
        self.loading = False
        self.endResetModel()
        self.loaded.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self.has_more and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        self.loading = True
        generation, query, offset = self.generation, self.query, len(self.ids)
        self.ops.run(lambda: self.load_page(query, offset, PAGE + 1),
                     on_done=lambda page: self._more(generation, page),
                     on_failed=self._failed, owner=self)  # fmt: skip

    def _more(self, generation: int, page: tuple[list[str], dict[str, Any]]) -> None:
        if generation != self.generation:
            return
        ids, rows = page
        self.loading = False
        self.has_more = len(ids) > PAGE
        known = set(self.ids)
        fresh = [i for i in ids[:PAGE] if i not in known]
        if fresh:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(fresh) - 1)
            self.ids.extend(fresh)
            self._remember(rows)
            self.endInsertRows()

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self.failed.emit(exc)

    def _remember(self, rows: dict[str, Any]) -> None:
        self.cache.update(rows)
        while len(self.cache) > CACHE_ROWS:
            self.cache.popitem(last=False)

    def row_data(self, row: int) -> Any | None:
        """The cached row, or None while it is (re)loaded in the background."""
        key = self.ids[row]
        value = self.cache.get(key)
        if value is None and key not in self.pending_rows:
            self._reload_around(row)
        return value

    def _reload_around(self, row: int) -> None:
        wanted = [i for i in self.ids[max(0, row - PAGE // 2): row + PAGE // 2] if i not in self.cache]
        self.pending_rows.update(wanted)
        generation = self.generation
        self.ops.run(lambda: self.load_rows(wanted),
                     on_done=lambda rows: self._rows_back(generation, wanted, rows), owner=self)  # fmt: skip

    def _rows_back(self, generation: int, wanted: list[str], rows: dict[str, Any]) -> None:
        self.pending_rows.difference_update(wanted)
        if generation != self.generation:
            return
        self._remember(rows)
        self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(self.headers) - 1))

    # -- Qt model API ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def id_at(self, row: int) -> str | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None
