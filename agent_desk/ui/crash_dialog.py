"""The crash dialog: what happened in plain words, where the log is, and a report to copy.

An agent with no IT help can paste the report into a chat with the township; it holds versions,
the error and the end of the log, never the database.
"""

from __future__ import annotations

import platform
import traceback
from datetime import datetime
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_desk import __version__
from agent_desk.core.masking import mask_text
from agent_desk.paths import is_frozen

LOG_TAIL_LINES = 30


def _log_tail(log_path: Path | None) -> str:
    if log_path is None or not log_path.exists():
        return ""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])


def crash_report(exc: BaseException, log_path: Path | None) -> str:
    """The text the "copy report" button puts on the clipboard: masked like the log (it goes into chats)."""
    build = "frozen" if is_frozen() else "source"
    head = [
        f"AgentDesk {__version__} ({build}) — {datetime.now():%Y-%m-%d %H:%M:%S}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, {platform.platform()}",
        f"Log: {log_path or '-'}",
        "",
    ]
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    tail = _log_tail(log_path)
    return mask_text(
        "\n".join(head) + trace + (f"\n--- end of the log ---\n{tail}\n" if tail else "")
    )


class CrashDialog(QDialog):
    def __init__(
        self, exc: BaseException, log_path: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("Unexpected error"))
        self.report = crash_report(exc, log_path)
        self.summary = QLabel(
            self.tr(
                "AgentDesk hit an internal error. Your saved data is safe; "
                "the last action may not have finished."
            )
            + "\n\n"
            + mask_text(f"{type(exc).__name__}: {exc}"),
            self,
        )
        self.summary.setObjectName("crashSummary")
        self.summary.setWordWrap(True)
        where = str(log_path) if log_path else "-"
        self.where = QLabel(
            self.tr("The details were written to the log:\n%1").replace("%1", where), self
        )
        self.where.setObjectName("crashLogPath")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self.report, self)
        self.details.setReadOnly(True)
        self.details.setObjectName("crashDetails")
        self.advice = QLabel(
            self.tr("Copy the report and send it to the township administrator."), self
        )
        self.advice.setWordWrap(True)
        self.log_path = log_path
        self._build_buttons()

    def _build_buttons(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("&Copy report"), self)
        self.copy_button.setObjectName("copyReport")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button = QPushButton(self.tr("Open the log &folder"), self)
        self.folder_button.clicked.connect(self.open_log_folder)
        self.folder_button.setEnabled(self.log_path is not None)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.where, self.details, self.advice, buttons):
            layout.addWidget(widget)
        self.resize(640, 460)

    def copy_report(self) -> None:
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.report)
        self.copy_button.setText(self.tr("Copied"))

    def open_log_folder(self) -> None:
        if self.log_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))
