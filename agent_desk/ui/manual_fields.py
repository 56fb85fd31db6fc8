"""The fields a form needs typed by hand at intake, built from the catalog and checked as you type."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desk.catalog.schema import FieldSpec
from agent_desk.fill.manual import ManualInvalid, coerce, is_empty
from agent_desk.ui.widgets import field_label

ERROR_STYLE = "color: #c0392b;"


class ManualFieldsForm(QWidget):
    """One widget per manual field; ``valid_changed`` tells the page whether it may go on."""

    valid_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.specs: dict[str, FieldSpec] = {}
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def set_fields(self, specs: dict[str, FieldSpec], values: dict[str, Any] | None = None) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.specs, self.widgets, self.errors = dict(specs), {}, {}
        for name, spec in specs.items():
            widget = self._widget(name, spec)
            error = QLabel(self, styleSheet=ERROR_STYLE, wordWrap=True)
            error.setObjectName(f"error_{name}")
            box = QVBoxLayout()
            box.addWidget(widget)
            box.addWidget(error)
            label = (spec.label or name) + ("" if not spec.required else " *")
            self.form.addRow(field_label(self, label, widget), box)
            self.widgets[name], self.errors[name] = widget, error
        self.set_values(values or {})
        self.validate()

    def _widget(self, name: str, spec: FieldSpec) -> QWidget:
        if spec.manual == "bool":
            widget: QWidget = QCheckBox(self)
            widget.toggled.connect(self.validate)
        elif spec.manual == "choice" and spec.multiple:
            widget = QListWidget(self)
            for option in spec.options:
                item = QListWidgetItem(option, widget)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            widget.itemChanged.connect(self.validate)
        elif spec.manual == "choice":
            widget = QComboBox(self)
            widget.addItem("", "")
            for option in spec.options:
                widget.addItem(option, option)
            widget.currentIndexChanged.connect(self.validate)
        elif spec.manual == "date":
            widget = QDateEdit(
                QDate.currentDate(), self, calendarPopup=True, displayFormat="yyyy-MM-dd"
            )
            widget.dateChanged.connect(self.validate)
        else:
            widget = QLineEdit(self, placeholderText=spec.help or "")
            if spec.max_length:
                widget.setMaxLength(spec.max_length + 1)  # one over, so the error can say so
            widget.textChanged.connect(self.validate)
        widget.setObjectName(f"manual_{name}")
        if spec.help:
            widget.setToolTip(spec.help)
        return widget

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            widget = self.widgets.get(name)
            if widget is None or value is None:
                continue
            if isinstance(widget, QCheckBox):
                widget.setChecked(value is True or str(value) in ("是", "true", "True", "1"))
            elif isinstance(widget, QListWidget):
                chosen = set(value if isinstance(value, list | tuple) else str(value).split("、"))
                for row in range(widget.count()):
                    item = widget.item(row)
                    item.setCheckState(
                        Qt.CheckState.Checked if item.text() in chosen else Qt.CheckState.Unchecked
                    )
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(str(value))))
            elif isinstance(widget, QDateEdit):
                day = value if isinstance(value, date) else date.fromisoformat(str(value))
                widget.setDate(QDate(day))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))

    def raw(self, name: str) -> Any:
        widget = self.widgets[name]
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QListWidget):
            return [
                widget.item(r).text()
                for r in range(widget.count())
                if widget.item(r).checkState() == Qt.CheckState.Checked
            ]
        if isinstance(widget, QComboBox):
            return widget.currentData() or ""
        if isinstance(widget, QDateEdit):
            return widget.date().toPython()
        assert isinstance(widget, QLineEdit)
        return widget.text().strip()

    def values(self) -> dict[str, Any]:
        return {name: self.raw(name) for name in self.specs}

    def problem(self, name: str) -> str:
        spec, value = self.specs[name], self.raw(name)
        if is_empty(value):
            return self.tr("Required") if spec.required and spec.manual != "bool" else ""
        try:
            coerce(spec, value)
        except ManualInvalid as exc:
            return str(exc)
        return ""

    def is_valid(self) -> bool:
        return not any(self.problem(name) for name in self.specs)

    def validate(self) -> bool:
        ok = True
        for name, label in self.errors.items():
            text = self.problem(name)
            label.setText(text)
            label.setVisible(bool(text))
            ok = ok and not text
        self.valid_changed.emit(ok)
        return ok

    def focus(self, name: str) -> None:
        widget = self.widgets.get(name)
        if widget is not None:
            widget.setFocus()


class ManualFieldsDialog(QDialog):
    """The same form in a dialog, for fields a later step's document needs (e.g. 补正截止日期)."""

    def __init__(
        self,
        title: str,
        specs: dict[str, FieldSpec],
        values: dict[str, Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields = ManualFieldsForm(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.fields.valid_changed.connect(ok.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(buttons)
        self.fields.set_fields(specs, values)

    def values(self) -> dict[str, Any]:
        return self.fields.values()
