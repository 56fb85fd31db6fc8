"""Where the main window opens: as the agent left it, else maximised on a small (village) screen.

The geometry lives in the settings file (``extra["window"]``), which is read before the window is
built and written in the background, so the UI thread never touches a file for it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from agent_desk.services.settings import Settings

KEY = "window"
DEFAULT_SIZE = (1180, 740)
# below this a fixed-size window hid the status bar under the taskbar (1366×768 is common)
SMALL_SCREEN = (1500, 900)


def place(window: QMainWindow, settings: Settings) -> None:
    saved = settings.extra.get(KEY)
    if isinstance(saved, str) and window.restoreGeometry(
        QByteArray.fromBase64(saved.encode("ascii"))
    ):
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    if area.width() < SMALL_SCREEN[0] or area.height() < SMALL_SCREEN[1]:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    else:
        window.resize(*DEFAULT_SIZE)


def remembered(window: QMainWindow, settings: Settings) -> Settings:
    """The settings with the window's size, position and maximised state to restore next time."""
    geometry = bytes(window.saveGeometry().toBase64().data()).decode("ascii")
    return replace(settings, extra={**settings.extra, KEY: geometry})
