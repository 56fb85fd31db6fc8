"""Long jobs in the status bar: what each is, how far it got, and its own 取消.

取消 sets the job's event; the work stops at its next progress report (``ops.Cancelled``), and its
transaction rolls back, so nothing is half-written. Two jobs at once (an export while a sync runs)
get a row each, so neither's progress overwrites the other's and each can still be cancelled.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from agent_desk.ui.messages import LANGUAGE


class JobRow(QWidget):
    """One running job: its title or latest step, a bar and 取消."""

    stepped = Signal(str)  # the text the row shows after a progress report

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobRow")
        self.cancel_event = threading.Event()
        self.title = title
        self.label = QLabel(title, self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(160)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelJob")
        self.cancel_button.setToolTip(title)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            row.addWidget(widget)

    def step(self, done: int, total: int, text: str = "") -> None:
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(done)
        # services note progress in Chinese; the English UI keeps the job's (translated) title
        english_only = LANGUAGE["ui"] == "en" and any("\u4e00" <= ch <= "\u9fff" for ch in text)
        self.label.setText(self.title if not text or english_only else text)
        self.stepped.emit(self.label.text())

    def cancel(self) -> None:
        self.cancel_event.set()
        self.label.setText(self.tr("Cancelling…"))
        self.cancel_button.setEnabled(False)


class JobProgress(QWidget):
    """The status bar's place for long jobs: a row per running job, hidden when none runs."""

    stepped = Signal(str)  # any row's progress text, as shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobProgress")
        self.rows: list[JobRow] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.hide()

    def start(self, title: str) -> JobRow:
        """A row for a new job, with its own event: a late 取消 never stops another job."""
        row = JobRow(title, self)
        row.stepped.connect(self.stepped)
        self.rows.append(row)
        self._layout.addWidget(row)
        self.show()
        return row

    def finish(self, row: JobRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
            self._layout.removeWidget(row)
            row.deleteLater()
        if not self.rows:
            self.hide()

    # the newest job, for the one-job case (tests, the 同步 page's own button)
    @property
    def cancel_button(self) -> QPushButton:
        return self.rows[-1].cancel_button

    @property
    def label(self) -> QLabel:
        return self.rows[-1].label

    @property
    def bar(self) -> QProgressBar:
        return self.rows[-1].bar
