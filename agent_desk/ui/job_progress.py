"""A long job in the status bar: what it is, how far it got, and 取消.

取消 sets the job's event; the work stops at its next progress report (``ops.Cancelled``), and its
transaction rolls back, so nothing is half-written.
"""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from agent_desk.ui.messages import LANGUAGE


class JobProgress(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobProgress")
        self.cancel_event = threading.Event()
        self.title = ""
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(160)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelJob")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            row.addWidget(widget)
        self.hide()

    def start(self, title: str) -> threading.Event:
        """A new job takes the place; its own event, so a late 取消 never stops the next one."""
        self.cancel_event, self.title = threading.Event(), title
        self.label.setText(title)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()
        return self.cancel_event

    def step(self, done: int, total: int, text: str = "") -> None:
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(done)
        # services note progress in Chinese; the English UI keeps the job's (translated) title
        english_only = LANGUAGE["ui"] == "en" and any("\u4e00" <= ch <= "\u9fff" for ch in text)
        self.label.setText(self.title if not text or english_only else text)

    def cancel(self) -> None:
        self.cancel_event.set()
        self.label.setText(self.tr("Cancelling…"))
        self.cancel_button.setEnabled(False)

    def finish(self, event: threading.Event) -> None:
        if event is self.cancel_event:
            self.hide()
