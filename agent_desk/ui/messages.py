"""Every dialog goes through one injectable service, so no caller holds a modal and tests never block."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from agent_desk.core.errors import DomainError, localized

if TYPE_CHECKING:
    from agent_desk.services.first_run import FirstRunChoice

log = logging.getLogger(__name__)


LANGUAGE = {"ui": "zh_CN"}  # set with the translators (app.install_translators)


def user_text(exc: BaseException) -> str:
    """An error's message in the UI's language: core errors carry Chinese and English."""
    if isinstance(exc, DomainError) and LANGUAGE["ui"] == "en" and exc.message_en:
        return exc.message_en
    return str(exc)


def in_ui_language(text: str) -> str:
    """A stored or received "中文 (English)" text (a hub's refusal, a sync problem, a failed form)
    in the UI's language; any other text as it is."""
    return localized(text, LANGUAGE["ui"])


def start_folder() -> Path:
    """Where file dialogs open: 文档, else 桌面, else home — never the program's working folder."""
    from PySide6.QtCore import QStandardPaths

    for kind in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.DesktopLocation,
    ):
        folder = QStandardPaths.writableLocation(kind)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


class Dialogs(QObject):
    """The real dialogs. Tests swap in ``RecordingDialogs``."""

    def __init__(self, log_path: Path | None = None) -> None:
        super().__init__()
        self.log_path = log_path
        self._crash_open = False

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_save(self, parent: QWidget | None, title: str, text: str) -> str:
        """Unsaved edits on closing: "save", "discard" or "cancel" (保存 / 不保存 / 取消)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        save = box.addButton(self.tr("&Save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("&Don't save"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder()), filters)
        return Path(name) if name else None

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent, title, str(start_folder() / suggested), filters
        )
        return Path(name) if name else None

    def saved_file(self, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        """A file was written: say where, with 打开所在文件夹 to open its folder."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
        folder = box.addButton(
            self.tr("Open containing &folder"), QMessageBox.ButtonRole.ActionRole
        )
        box.addButton(QMessageBox.StandardButton.Ok)
        box.exec()
        if box.clickedButton() is folder:
            self.open_path(path.parent)

    def ask_action(
        self, parent: QWidget | None, action: Any, context: Any
    ) -> dict[str, Any] | None:
        """The form a case step needs; None when the agent cancels."""
        from agent_desk.ui.action_form import ActionForm

        form = ActionForm(action, context, parent)
        return form.payload() if form.exec() == ActionForm.DialogCode.Accepted else None

    def open_path(self, path: Path) -> bool:
        """Open a file in the system's own program (Word/WPS for .docx, a viewer for scans)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def print_job(
        self, parent: QWidget | None, job: Any, title: str, *, preview: bool = True
    ) -> bool:
        """Print preview (or the print dialog) of a set of documents (ui/printing.PrintJob); False when cancelled."""
        from agent_desk.ui.printing import show_job

        return show_job(parent, job, title, preview=preview)

    def edit_settings(self, parent: QWidget | None, settings: Any, data_root: Path) -> Any | None:
        """The settings dialog; the edited Settings, or None when cancelled."""
        from agent_desk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(settings, data_root, parent, dialogs=self)
        return (
            dialog.result_settings()
            if dialog.exec() == SettingsDialog.DialogCode.Accepted
            else None
        )

    def ask_fields(
        self, parent: QWidget | None, title: str, specs: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Ask for a form's manual fields (e.g. the correction deadline); None when cancelled."""
        from agent_desk.ui.manual_fields import ManualFieldsDialog

        dialog = ManualFieldsDialog(title, specs, values, parent)
        return dialog.values() if dialog.exec() == ManualFieldsDialog.DialogCode.Accepted else None

    def ask_hub_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def ask_new_hub_password(self, parent: QWidget | None, reason: str) -> str | None:
        """A new hub password, typed twice and checked for quality here; None when cancelled."""
        from agent_desk.ui.lock import NewHubPasswordDialog

        dialog = NewHubPasswordDialog(reason, parent)
        return (
            dialog.password() if dialog.exec() == NewHubPasswordDialog.DialogCode.Accepted else None
        )

    def ask_hub(
        self, parent: QWidget | None, hub_url: str, username: str
    ) -> tuple[str, str] | None:
        """The hub address and login name; None when cancelled."""
        from PySide6.QtWidgets import QInputDialog

        url, ok = QInputDialog.getText(
            parent,
            self.tr("Township hub"),
            self.tr("Hub address (e.g. https://10.1.2.3:8765)"),
            text=hub_url,
        )
        if not ok or not url.strip():
            return None
        name, ok = QInputDialog.getText(
            parent, self.tr("Township hub"), self.tr("User name"), text=username
        )
        return (url.strip(), name.strip()) if ok and name.strip() else None

    def ask_password(
        self, parent: QWidget | None, mode: str, message: str = ""
    ) -> tuple[str, bool] | None:
        """(password, remember on this PC) from the login/lock dialog; None when cancelled."""
        from agent_desk.ui.lock import PasswordDialog

        dialog = PasswordDialog(mode, message, parent)
        return dialog.answer() if dialog.exec() == PasswordDialog.DialogCode.Accepted else None

    def show_manual(self, parent: QWidget | None, title: str, markdown: str) -> None:
        """The user manual in a window of its own (not modal: the agent works beside it)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QTextBrowser

        viewer = QTextBrowser(parent)
        viewer.setWindowFlag(Qt.WindowType.Window)
        viewer.setObjectName("manual")
        viewer.setWindowTitle(title)
        viewer.setMarkdown(markdown)
        viewer.setOpenExternalLinks(True)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.resize(760, 640)
        viewer.show()
        self.manual_viewer = viewer  # without a parent nothing else keeps it alive

    def failure(self, parent: QWidget | None, exc: BaseException) -> None:
        """A user-actionable error gets its message; a bug gets the crash dialog with the log path."""
        if isinstance(exc, DomainError):
            self.error(parent, self.tr("Cannot continue"), user_text(exc))
            return
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        if self._crash_open:  # an error while the crash dialog is up goes to the log only
            return
        self._crash_open = True
        try:
            self.crash(parent, exc)
        finally:
            self._crash_open = False

    def crash(self, parent: QWidget | None, exc: BaseException) -> None:
        from agent_desk.ui.crash_dialog import CrashDialog

        CrashDialog(exc, self.log_path, parent).exec()

    def first_run(
        self, parent: QWidget | None, on_language: Callable[[str], None]
    ) -> FirstRunChoice | None:
        """The first-run wizard; None when the agent closes it."""
        from agent_desk.ui.first_run import FirstRunWizard

        wizard = FirstRunWizard(on_language, parent)
        return wizard.choice() if wizard.exec() == FirstRunWizard.DialogCode.Accepted else None


class RecordingDialogs(Dialogs):
    """Answers from a script and records what was shown; used by tests and screenshots."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answer = True
        self.next_paths: list[Path | None] = []
        self.next_payloads: list[dict[str, Any] | None] = []
        self.next_hubs: list[tuple[str, str] | None] = []
        self.asked_contexts: list[Any] = []
        self.opened: list[Path] = []
        self.printed: list[tuple[str, Any, bool]] = []  # (title, PrintJob, preview)
        self.next_settings: list[Any] = []
        self.next_fields: list[dict[str, Any] | None] = []
        self.crashes: list[str] = []
        self.first_run_answer: FirstRunChoice | None = None
        self.next_passwords: list[tuple[str, bool] | None] = []
        self.next_hub_passwords: list[str | None] = []
        self.next_new_hub_passwords: list[str | None] = []
        self.save_answer = "discard"  # closing with unsaved edits in a test drops them unless told
        self.open_folder_answer = False  # 打开所在文件夹 after a file is written

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.shown.append(("confirm", title, text))
        return self.confirm_answer

    def show_manual(self, parent: QWidget | None, title: str, markdown: str) -> None:
        self.shown.append(("manual", title, markdown))

    def saved_file(self, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        self.shown.append(("saved_file", title, text))
        if self.open_folder_answer:
            self.open_path(path.parent)

    def ask_save(self, parent: QWidget | None, title: str, text: str) -> str:
        self.shown.append(("ask_save", title, text))
        return self.save_answer

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        return self.next_paths.pop(0) if self.next_paths else None

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        return self.next_paths.pop(0) if self.next_paths else None

    def ask_hub_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        self.shown.append(("hub_password", title, label))
        return self.next_hub_passwords.pop(0) if self.next_hub_passwords else None

    def ask_new_hub_password(self, parent: QWidget | None, reason: str) -> str | None:
        self.shown.append(("new_hub_password", "", reason))
        return self.next_new_hub_passwords.pop(0) if self.next_new_hub_passwords else None

    def ask_hub(
        self, parent: QWidget | None, hub_url: str, username: str
    ) -> tuple[str, str] | None:
        self.shown.append(("hub", hub_url, username))
        return self.next_hubs.pop(0) if self.next_hubs else None

    def ask_action(
        self, parent: QWidget | None, action: Any, context: Any
    ) -> dict[str, Any] | None:
        self.shown.append(("action", str(action), ""))
        self.asked_contexts.append(context)
        return self.next_payloads.pop(0) if self.next_payloads else None

    def open_path(self, path: Path) -> bool:
        self.opened.append(path)
        return True

    def print_job(
        self, parent: QWidget | None, job: Any, title: str, *, preview: bool = True
    ) -> bool:
        self.printed.append((title, job, preview))
        return True

    def edit_settings(self, parent: QWidget | None, settings: Any, data_root: Path) -> Any | None:
        self.shown.append(("settings", str(data_root), ""))
        return self.next_settings.pop(0) if self.next_settings else None

    def ask_fields(
        self, parent: QWidget | None, title: str, specs: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any] | None:
        self.shown.append(("fields", title, ",".join(specs)))
        return self.next_fields.pop(0) if self.next_fields else None

    def crash(self, parent: QWidget | None, exc: BaseException) -> None:
        from agent_desk.ui.crash_dialog import crash_report

        self.shown.append(("crash", type(exc).__name__, str(exc)))
        self.crashes.append(crash_report(exc, self.log_path))

    def first_run(
        self, parent: QWidget | None, on_language: Callable[[str], None]
    ) -> FirstRunChoice | None:
        self.shown.append(("first_run", "", ""))
        return self.first_run_answer

    def ask_password(
        self, parent: QWidget | None, mode: str, message: str = ""
    ) -> tuple[str, bool] | None:
        self.shown.append(("password", mode, message))
        return self.next_passwords.pop(0) if self.next_passwords else None
