"""Settings: font size (large fonts for older agents), language, the data folder, and who the agent is."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agent_desk.services.profiles import AGENT_KEYS
from agent_desk.services.settings import FONT_SIZES, AgentSettings, Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, data_root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.font_size = QComboBox(self)
        for size in FONT_SIZES:
            self.font_size.addItem(self._size_label(size), size)
        self.font_size.setCurrentIndex(max(0, self.font_size.findData(settings.font_size)))
        self.language = QComboBox(self)
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.lock_minutes = QSpinBox(self, minimum=0, maximum=240, value=settings.lock_minutes)
        self.lock_minutes.setObjectName("lockMinutes")
        self.lock_minutes.setSpecialValueText(self.tr("Never"))
        folder = QLabel(str(data_root), self)
        folder.setObjectName("dataFolder")
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        general = QFormLayout()
        general.addRow(self.tr("&Font size"), self.font_size)
        general.addRow(self.tr("&Language (after restart)"), self.language)
        general.addRow(self.tr("&Lock after idle minutes"), self.lock_minutes)
        general.addRow(self.tr("Data folder"), folder)
        layout = QVBoxLayout(self)
        layout.addLayout(general)
        layout.addWidget(self._agent_box())
        layout.addWidget(self._calendar_box())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _size_label(self, size: int) -> str:
        names = {
            10: self.tr("Small"),
            12: self.tr("Normal"),
            14: self.tr("Larger"),
            16: self.tr("Large"),
            18: self.tr("Extra large"),
        }
        return f"{names.get(size, '')} ({size} pt)"

    def _agent_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("The agent (printed on every form)"), self)
        form = QFormLayout(box)
        current = self.settings.agent.values()
        labels = {
            "name": self.tr("Name"),
            "phone": self.tr("Phone"),
            "id_number": self.tr("ID number"),
            "village": self.tr("Village"),
            "service_room": self.tr("Service room"),
        }
        self.agent: dict[str, QLineEdit] = {}
        for key in AGENT_KEYS:
            edit = QLineEdit(str(current.get(key) or ""), box)
            edit.setObjectName(f"agent_{key}")
            self.agent[key] = edit
            form.addRow(labels[key], edit)
        return box

    def _calendar_box(self) -> QGroupBox:
        """The official calendar this desk counts, a year at a time, with its source (as
        ``agent-desk calendar show``); in-memory data, no waiting."""
        box = QGroupBox(self.tr("Official calendar (days off on weekdays, worked weekends)"), self)
        self.calendar_year = QSpinBox(
            box, minimum=date.today().year - 2, maximum=date.today().year + 2
        )
        self.calendar_year.setObjectName("calendarYear")
        self.calendar_year.setValue(date.today().year + (date.today().month >= 10))
        self.calendar_days = QPlainTextEdit(box, readOnly=True)
        self.calendar_days.setObjectName("calendarDays")
        self.calendar_days.setMinimumHeight(140)
        self.calendar_year.valueChanged.connect(self._show_year)
        column = QVBoxLayout(box)
        column.addWidget(self.calendar_year)
        column.addWidget(self.calendar_days)
        self._show_year(self.calendar_year.value())
        return box

    def _show_year(self, year: int) -> None:
        from agent_desk.core.calendar import default_calendar
        from agent_desk.core.calendar_notice import year_lines

        self.calendar_days.setPlainText("\n".join(year_lines(default_calendar(), year)))

    def focus_agent(self, key: str) -> None:
        if key in self.agent:
            self.agent[key].setFocus()

    def result_settings(self) -> Settings:
        agent = AgentSettings(**{key: edit.text().strip() for key, edit in self.agent.items()})
        return dataclasses.replace(
            self.settings,
            font_size=self.font_size.currentData(),
            language=self.language.currentData(),
            lock_minutes=self.lock_minutes.value(),
            agent=agent,
        ).validated()
