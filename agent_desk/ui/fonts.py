"""The application font size (older agents choose large fonts)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from agent_desk.services.settings import Settings


def apply_font(app: QApplication, settings: Settings) -> None:
    font = QFont(app.font())
    font.setPointSize(settings.font_size)
    app.setFont(font)
