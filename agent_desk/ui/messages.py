"""Every dialog goes through one injectable service, so no caller holds a modal and tests never block."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from agent_desk.core.errors import DomainError

log = logging.getLogger(__name__)


class Dialogs(QObject):
    """The real dialogs. Tests swap in ``RecordingDialogs``."""

    def __init__(self, log_path: Path | None = None) -> None:
        super().__init__()
        self.log_path = log_path

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return Path(name) if name else None

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return Path(name) if name else None

    def ask_action(self, parent: QWidget | None, action: Any, context: Any) -> dict[str, Any] | None:
        """The form a case step needs; None when the agent cancels."""
        from agent_desk.ui.action_form import ActionForm

        form = ActionForm(action, context, parent)
        return form.payload() if form.exec() == ActionForm.DialogCode.Accepted else None

    def open_path(self, path: Path) -> bool:
        """Open a file in the system's own program (Word/WPS for .docx, a viewer for scans)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def print_pages(self, parent: QWidget | None, title: str, pages: list[Path], *, preview: bool = True) -> bool:
        """Print preview (or the print dialog) of a document's page images; False when cancelled."""
        from agent_desk.ui.printing import preview_pages, print_pages

        return preview_pages(parent, title, pages) if preview else print_pages(parent, pages)

    def edit_settings(self, parent: QWidget | None, settings: Any, data_root: Path) -> Any | None:
        """The settings dialog; the edited Settings, or None when cancelled."""
        from agent_desk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(settings, data_root, parent)
        return dialog.result_settings() if dialog.exec() == SettingsDialog.DialogCode.Accepted else None

    def ask_fields(self, parent: QWidget | None, title: str, specs: dict[str, Any],
                   values: dict[str, Any]) -> dict[str, Any] | None:  # fmt: skip
        """Ask for a form's manual fields (e.g. the correction deadline); None when cancelled."""
        from agent_desk.ui.manual_fields import ManualFieldsDialog

        dialog = ManualFieldsDialog(title, specs, values, parent)
        return dialog.values() if dialog.exec() == ManualFieldsDialog.DialogCode.Accepted else None

    def ask_password(self, parent: QWidget | None, mode: str, message: str = "") -> tuple[str, bool] | None:
        """(password, remember on this PC) from the login/lock dialog; None when cancelled."""
        from agent_desk.ui.lock import PasswordDialog

        dialog = PasswordDialog(mode, message, parent)
        return dialog.answer() if dialog.exec() == PasswordDialog.DialogCode.Accepted else None

    def failure(self, parent: QWidget | None, exc: BaseException) -> None:
        """A user-actionable error gets its message; a bug gets the crash text and the log path."""
        if isinstance(exc, DomainError):
            self.error(parent, self.tr("Cannot continue"), str(exc))
            return
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        where = str(self.log_path) if self.log_path else "-"
        report = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(report)
        self.error(
            parent,
            self.tr("Unexpected error"),
            self.tr("AgentDesk hit an internal error. Your saved data is safe.\n"
                    "The details were copied to the clipboard and written to the log:\n%1").replace("%1", where),
        )


class RecordingDialogs(Dialogs):
    """Answers from a script and records what was shown; used by tests and screenshots."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answer = True
        self.next_paths: list[Path | None] = []
        self.next_payloads: list[dict[str, Any] | None] = []
        self.asked_contexts: list[Any] = []
        self.opened: list[Path] = []
        self.printed: list[tuple[str, list[Path], bool]] = []
        self.next_settings: list[Any] = []
        self.next_fields: list[dict[str, Any] | None] = []
        self.next_passwords: list[tuple[str, bool] | None] = []

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.shown.append(("confirm", title, text))
        return self.confirm_answer

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        return self.next_paths.pop(0) if self.next_paths else None

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
        return self.next_paths.pop(0) if self.next_paths else None

    def ask_action(self, parent: QWidget | None, action: Any, context: Any) -> dict[str, Any] | None:
        self.shown.append(("action", str(action), ""))
        self.asked_contexts.append(context)
        return self.next_payloads.pop(0) if self.next_payloads else None

    def open_path(self, path: Path) -> bool:
        self.opened.append(path)
        return True

    def print_pages(self, parent: QWidget | None, title: str, pages: list[Path], *, preview: bool = True) -> bool:
        self.printed.append((title, list(pages), preview))
        return True

    def edit_settings(self, parent: QWidget | None, settings: Any, data_root: Path) -> Any | None:
        self.shown.append(("settings", str(data_root), ""))
        return self.next_settings.pop(0) if self.next_settings else None

    def ask_fields(self, parent: QWidget | None, title: str, specs: dict[str, Any],
                   values: dict[str, Any]) -> dict[str, Any] | None:  # fmt: skip
        self.shown.append(("fields", title, ",".join(specs)))
        return self.next_fields.pop(0) if self.next_fields else None

    def ask_password(self, parent: QWidget | None, mode: str, message: str = "") -> tuple[str, bool] | None:
        self.shown.append(("password", mode, message))
        return self.next_passwords.pop(0) if self.next_passwords else None
