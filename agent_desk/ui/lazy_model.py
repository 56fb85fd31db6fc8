"""A table model over a big table that holds only ids and loads rows a page at a time, off the UI thread.

The first page arrives with the query; more pages come through ``canFetchMore``/``fetchMore``
as the view scrolls (qutebrowser's history model and Anki's browser table do the same).
A page continues after the sort key of the last row shown (keyset paging), never at an offset, so
row 100,000 costs what row 0 costs. A query superseded by a newer one is interrupted where it runs.
Rows are cached in a bounded dict; an evicted row is fetched again in the background.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from agent_desk.ui.ops import OpRunner

PAGE = 200
CACHE_ROWS = 4000
Index = QModelIndex | QPersistentModelIndex


class Page(NamedTuple):
    ids: list[str]
    rows: dict[str, Any]  # by id
    cursors: list[Any]  # per id, its sort key: the next page starts after the last one shown


# (query, cursor or None for the first page, limit, superseded) -> Page; asked for one more row
# than a page to know if more exist. ``superseded()`` turns true once a newer query started.
PageLoader = Callable[[Any, Any, int, Callable[[], bool]], Page]
RowLoader = Callable[[Sequence[str]], dict[str, Any]]


class Superseded(Exception):
    """A page nobody waits for any more; dropped without a message."""


class LazyIdModel(QAbstractTableModel):
    loaded = Signal()  # the first page of a new query is in
    failed = Signal(object)

    def __init__(
        self, ops: OpRunner, load_page: PageLoader, load_rows: RowLoader, headers: Sequence[str]
    ) -> None:
        super().__init__()
        self.ops, self.load_page, self.load_rows = ops, load_page, load_rows
        self.headers = list(headers)
        self.ids: list[str] = []
        self.cache: OrderedDict[str, Any] = OrderedDict()
        self.query: Any = None
        self.after: Any = None  # cursor of the last row loaded
        self.generation = 0
        self.stale = threading.Event()  # set when the current query is superseded
        self.has_more = False
        self.loading = False
        self.pending_rows: set[str] = set()

    # -- loading ---------------------------------------------------------------
    def set_query(self, query: Any) -> None:
        """Start a new query; the old rows stay until the new first page replaces them."""
        self.query = query
        self.generation += 1
        self.stale.set()
        self.stale = threading.Event()
        generation, stale = self.generation, self.stale
        self.loading = True
        self.ops.run(
            lambda: self._load(stale, query, None),
            on_done=lambda page: self._first_page(generation, page),
            on_failed=lambda exc: self._failed(generation, exc),
            owner=self,
        )

    def _load(self, stale: threading.Event, query: Any, after: Any) -> Page:
        """Runs in the pool: a query superseded while it waited for a thread never starts."""
        if stale.is_set():
            raise Superseded
        return self.load_page(query, after, PAGE + 1, stale.is_set)

    def refresh(self) -> None:
        self.set_query(self.query)

    def _first_page(self, generation: int, page: Page) -> None:
        if generation != self.generation:
            return
        ids, rows, _ = page
        self.beginResetModel()
        self.ids = list(ids[:PAGE])
        self.after = self._cursor(page)
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
        generation, stale, query, after = self.generation, self.stale, self.query, self.after
        self.ops.run(
            lambda: self._load(stale, query, after),
            on_done=lambda page: self._more(generation, page),
            on_failed=lambda exc: self._failed(generation, exc),
            owner=self,
        )

    @staticmethod
    def _cursor(page: Page) -> Any:
        shown = min(len(page.ids), PAGE)
        return page.cursors[shown - 1] if shown else None

    def _more(self, generation: int, page: Page) -> None:
        if generation != self.generation:
            return
        ids, rows, _ = page
        self.loading = False
        self.has_more = len(ids) > PAGE
        if ids:
            self.after = self._cursor(page)
        known = set(self.ids)
        fresh = [i for i in ids[:PAGE] if i not in known]
        if fresh:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(fresh) - 1)
            self.ids.extend(fresh)
            self._remember(rows)
            self.endInsertRows()

    def _failed(self, generation: int, exc: BaseException) -> None:
        """A superseded query's failure (interrupted, most likely) is nobody's business."""
        if generation != self.generation:
            return
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
        wanted = [
            i for i in self.ids[max(0, row - PAGE // 2) : row + PAGE // 2] if i not in self.cache
        ]
        self.pending_rows.update(wanted)
        generation = self.generation
        self.ops.run(
            lambda: self.load_rows(wanted),
            on_done=lambda rows: self._rows_back(generation, wanted, rows),
            owner=self,
        )

    def _rows_back(self, generation: int, wanted: list[str], rows: dict[str, Any]) -> None:
        self.pending_rows.difference_update(wanted)
        if generation != self.generation:
            return
        self._remember(rows)
        self.dataChanged.emit(
            self.index(0, 0), self.index(len(self.ids) - 1, len(self.headers) - 1)
        )

    # -- Qt model API ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def id_at(self, row: int) -> str | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None
