"""Login and lock: the password dialog (first-time setup or unlock) and the idle lock.

The window asks for the password before the database opens; after ``lock_minutes`` without a key
press or mouse click it hides its pages and asks again. The unwrap (argon2) runs off the UI thread.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

UNLOCK, SETUP = "unlock", "setup"
ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}


def password_field(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordDialog(QDialog):
    """Unlock: one password field. Setup: the password twice. Both offer "remember on this PC"."""

    def __init__(self, mode: str, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.setObjectName("passwordDialog")
        self.setWindowTitle(
            self.tr("Set a password") if mode == SETUP else self.tr("Unlock AgentDesk")
        )
        intro = (
            self.tr(
                "The client data on this PC will be encrypted with this password. At least 8 characters. "
                "If it is lost, the data can only come back from the township hub."
            )
            if mode == SETUP
            else self.tr("Enter the password to open the client data.")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro, self, wordWrap=True))
        self.error = QLabel(message, self, wordWrap=True, styleSheet="color: #c0392b;")
        self.error.setVisible(bool(message))
        layout.addWidget(self.error)
        form = QFormLayout()
        self.password = self._field("password")
        form.addRow(self.tr("&Password"), self.password)
        self.again = self._field("passwordAgain")
        if mode == SETUP:
            form.addRow(self.tr("&Again"), self.again)
        else:
            self.again.hide()  # not in the layout: shown, it sat over the start of the message
        layout.addLayout(form)
        self.remember = QCheckBox(
            self.tr(
                "&Remember on this PC (no password at start; use only on a PC nobody else uses)"
            ),
            self,
        )
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _field(self, name: str) -> QLineEdit:
        return password_field(self, name)

    def _accept(self) -> None:
        if self.mode == SETUP and self.password.text() != self.again.text():
            self.error.setText(self.tr("The two passwords differ."))
            self.error.show()
            return
        self.accept()

    def answer(self) -> tuple[str, bool]:
        return self.password.text(), self.remember.isChecked()


class NewHubPasswordDialog(QDialog):
    """After an administrator reset the hub password: a new one, twice, with the quality rule."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newHubPasswordDialog")
        self.setWindowTitle(self.tr("Choose a new hub password"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(reason, self, wordWrap=True))
        self.error = QLabel("", self, wordWrap=True, styleSheet="color: #c0392b;")
        self.error.hide()
        layout.addWidget(self.error)
        form = QFormLayout()
        self.new = password_field(self, "newHubPassword")
        self.again = password_field(self, "newHubPasswordAgain")
        form.addRow(self.tr("&New password"), self.new)
        form.addRow(self.tr("&Again"), self.again)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        from agent_desk.core.passwords import password_problem
        from agent_desk.ui.messages import LANGUAGE

        problem = password_problem(self.new.text(), LANGUAGE["ui"])
        if problem is None and self.new.text() != self.again.text():
            problem = self.tr("The two passwords differ.")
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.accept()

    def password(self) -> str:
        return self.new.text()


class IdleLock(QObject):
    """Calls ``on_idle`` once after ``minutes`` with no input anywhere in the application (0 = never)."""

    def __init__(
        self, minutes: int, on_idle: object, parent: QObject | None = None, check_ms: int = 15000
    ) -> None:
        super().__init__(parent)
        self.minutes, self.on_idle = minutes, on_idle
        self.last_input = time.monotonic()
        self.paused = False
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in ACTIVITY:
            self.last_input = time.monotonic()
        return False

    def check(self, now: float | None = None) -> None:
        idle = (now if now is not None else time.monotonic()) - self.last_input
        if self.minutes > 0 and not self.paused and idle >= self.minutes * 60:
            self.paused = True
            self.on_idle()  # type: ignore[operator]

    def resume(self) -> None:
        self.last_input, self.paused = time.monotonic(), False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
