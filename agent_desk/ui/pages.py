"""The window's pages in navigation order; a page nobody needs at start is built on its first visit.

A lazy page holds its place in the stack with an empty widget until it is shown or asked for
(``pages["handover"]``), so start-up imports and builds only the pages the agent sees first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtWidgets import QStackedWidget, QWidget


class Pages(Mapping[str, QWidget]):
    def __init__(self, stack: QStackedWidget) -> None:
        self.stack = stack
        self._keys: list[str] = []
        self._built: dict[str, QWidget] = {}
        self._waiting: dict[str, tuple[QWidget, Callable[[], QWidget]]] = {}

    def add(self, key: str, page: QWidget | Callable[[], QWidget]) -> None:
        """A widget now, or a function that builds it on the first visit."""
        self._keys.append(key)
        if isinstance(page, QWidget):
            self._built[key] = page
            self.stack.addWidget(page)
            return
        placeholder = QWidget(self.stack)
        self._waiting[key] = (placeholder, page)
        self.stack.addWidget(placeholder)

    def is_built(self, key: str) -> bool:
        return key in self._built

    def __getitem__(self, key: str) -> QWidget:
        if key in self._waiting:
            self._build(key)
        return self._built[key]

    def _build(self, key: str) -> None:
        placeholder, build = self._waiting.pop(key)
        page = build()
        index = self.stack.indexOf(placeholder)
        shown = self.stack.currentWidget() is placeholder
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if shown:
            self.stack.setCurrentWidget(page)
        self._built[key] = page

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
