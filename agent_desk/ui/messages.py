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
