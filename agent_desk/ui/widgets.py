"""Small widget builders every screen shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QSize, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QToolTip,
    QWidget,
)


class ElidedTip(QStyledItemDelegate):
    """A cell too narrow for its text shows it elided in the middle (DB2026…7C16A3, so two case
    numbers never look the same) and the full text as its tooltip."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,  # noqa: N802
        index: QModelIndex,
    ) -> bool:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        own_tip = index.data(Qt.ItemDataRole.ToolTipRole) is not None
        if (
            event.type() == QEvent.Type.ToolTip
            and text
            and not own_tip
            and self.is_cut(text, option, view, index)
        ):
            QToolTip.showText(event.globalPos(), text, view)
            return True
        return super().helpEvent(event, view, option, index)

    @staticmethod
    def is_cut(
        text: str, option: QStyleOptionViewItem, view: QAbstractItemView, index: QModelIndex
    ) -> bool:
        return option.fontMetrics.horizontalAdvance(text) > view.visualRect(index).width() - 8


def full_text_when_cut(view: QAbstractItemView) -> None:
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setItemDelegate(ElidedTip(view))


def read_only_table(parent: QWidget, headers: list[str], name: str = "") -> QTableWidget:
    """A table of facts: whole-row selection, no editing, no row numbers, the last column stretched."""
    table = QTableWidget(0, len(headers), parent)
    if name:
        table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    full_text_when_cut(table)
    return table


def field_label(parent: QWidget, text: str, field: QWidget) -> QLabel:
    """A form label whose access key (姓名(&N)) moves to ``field``.

    QFormLayout makes the label a buddy only when the field is a widget; a field with its error
    line under it is a layout, and without a buddy the label shows the ampersand and Alt+N does
    nothing.
    """
    label = QLabel(text, parent)
    label.setBuddy(field)
    return label


BASE_POINTS = 12.0  # the column widths are given for the default 12 pt font


def font_scale(widget: QWidget) -> float:
    """Larger font sizes (设置 → 字号) widen the columns with the text, so nothing is cut off."""
    points = widget.font().pointSizeF()
    return max(1.0, points / BASE_POINTS) if points > 0 else 1.0


def lazy_table_view(
    parent: QWidget,
    model: QAbstractItemModel,
    name: str,
    widths: Sequence[int],
    on_open: Callable[[int], None],
) -> QTableView:
    """The view over a lazy list model: whole rows, one at a time, no editing, resizable columns;
    Enter or a double click opens the row (``on_open`` gets its number)."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    scale = font_scale(table)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, round(width * scale))
    full_text_when_cut(table)
    table.activated.connect(lambda index: on_open(index.row()))
    table.doubleClicked.connect(lambda index: on_open(index.row()))
    return table


class _EnterStaysHere(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):  # type: ignore[attr-defined]
            assert isinstance(watched, QListWidget)
            if (item := watched.currentItem()) is not None:
                watched.itemActivated.emit(item)
            return True
        return False


def enter_activates_only(view: QListWidget) -> None:
    """Enter on the list opens the current item and nothing else.

    A list view passes Enter on after activating; in a dialog or wizard it then also presses the
    default button (完成 created a case from the missing-fields list).
    """
    keeper = _EnterStaysHere(view)
    view.installEventFilter(keeper)


class ElidedLabel(QLabel):
    """A status-bar note that may shrink: it shows what fits, elided at the end, and the whole text
    as its tooltip, so a long note never forces the window wider than a small screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802
        width = self.fontMetrics().horizontalAdvance(self._full) + 8
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(min(80, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)
