"""Settings: font size (large fonts for older agents), language, the data folder, who the agent is,
and how the desk reaches its hub (a trusted certificate; plain http only as the admin's choice)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agent_desk.services.profiles import AGENT_KEYS
from agent_desk.services.settings import FONT_SIZES, AgentSettings, Settings


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        data_root: Path,
        parent: QWidget | None = None,
        dialogs: Any = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.data_root, self.dialogs = data_root, dialogs
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
        layout.addWidget(self._hub_box())
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

    def _hub_box(self) -> QGroupBox:
        """The hub connection: its certificate (a county CA or self-signed, imported with its
        fingerprint shown) and, as an administrator's explicit choice, plain http."""
        from agent_desk.store.datadir import DataDir
        from agent_desk.sync.settings import load_settings
        from agent_desk.sync.tls import trusted_fingerprint

        box = QGroupBox(self.tr("Township hub connection"), self)
        form = QFormLayout(box)
        self.sync_settings = load_settings(self.data_root / "settings.json")
        fingerprint = trusted_fingerprint(DataDir(self.data_root))
        self.certificate = QLabel(
            fingerprint or self.tr("none (the system's authorities only)"), box
        )
        self.certificate.setObjectName("trustedCertificate")
        self.certificate.setWordWrap(True)
        self.certificate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_certificate_button = QPushButton(self.tr("&Import certificate…"), box)
        self.import_certificate_button.setObjectName("importCertificate")
        self.import_certificate_button.clicked.connect(self.import_certificate)
        form.addRow(self.tr("Trusted certificate (SHA-256)"), self.certificate)
        form.addRow("", self.import_certificate_button)
        self.allow_plain_http = QCheckBox(
            self.tr("Allow an unencrypted http:// hub (administrator's choice)"), box
        )
        self.allow_plain_http.setObjectName("allowPlainHttp")
        self.allow_plain_http.setChecked(self.sync_settings.allow_plain_http)
        self.plain_http_warning = QLabel(
            self.tr(
                "Passwords, tokens and client data would cross the network unencrypted. "
                "The Sync page keeps a warning while this is on."
            ),
            box,
            wordWrap=True,
            styleSheet="color: #c0392b;",
        )
        self.plain_http_warning.setObjectName("plainHttpWarning")
        self.plain_http_warning.setVisible(self.sync_settings.allow_plain_http)
        self.allow_plain_http.toggled.connect(self._plain_http_toggled)
        form.addRow(self.allow_plain_http)
        form.addRow(self.plain_http_warning)
        return box

    def _plain_http_toggled(self, on: bool) -> None:
        if (
            on
            and self.dialogs is not None
            and not self.dialogs.confirm(
                self,
                self.tr("Township hub connection"),
                self.tr(
                    "Only an administrator should allow this, for a hub inside a closed network. "
                    "Allow an unencrypted hub?"
                ),
            )
        ):
            self.allow_plain_http.setChecked(False)
            return
        self.plain_http_warning.setVisible(on)

    def import_certificate(self) -> None:
        """Trust a county CA or the hub's self-signed certificate; its fingerprint is shown to be
        compared with the one the hub prints at start."""
        from agent_desk.core.errors import DomainError
        from agent_desk.store.datadir import DataDir
        from agent_desk.sync.tls import trust_certificate

        title = self.tr("Import certificate")
        path = self._choose_certificate(title)
        if path is None:
            return
        try:
            fingerprint = trust_certificate(DataDir(self.data_root), path)
        except DomainError as exc:
            self._tell("error", title, str(exc))
            return
        self.certificate.setText(fingerprint)
        self._tell(
            "info",
            title,
            self.tr(
                "Certificate trusted. Compare its SHA-256 fingerprint with the one the hub "
                "shows at start:\n%1"
            ).replace("%1", fingerprint),
        )

    def _choose_certificate(self, title: str) -> Path | None:
        filters = self.tr("Certificates (*.pem *.crt *.cer *.der)")
        if self.dialogs is not None:
            chosen: Path | None = self.dialogs.open_file(self, title, filters)
            return chosen
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(self, title, "", filters)
        return Path(name) if name else None

    def _tell(self, kind: str, title: str, text: str) -> None:
        if self.dialogs is not None:
            getattr(self.dialogs, kind)(self, title, text)

    def accept(self) -> None:
        """The http choice belongs to the sync section of settings.json (read by the engine)."""
        from agent_desk.sync.settings import load_settings, save_settings

        allowed = self.allow_plain_http.isChecked()
        settings_file = self.data_root / "settings.json"
        current = load_settings(settings_file)
        if current.allow_plain_http != allowed:
            current.allow_plain_http = allowed
            save_settings(settings_file, current)
        super().accept()

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
