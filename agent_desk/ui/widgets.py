"""Small widget builders every screen shares."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QWidget


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
    return table
