"""The scheduled backup, in the background once the window is usable, with its progress in the status bar.

It has a thread of its own (a long copy never holds up the pages' queries in the shared pool),
runs at low priority, and stops where it is when the window closes; the partial copy it leaves is
removed by the next backup, and the earlier copies are untouched.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QLabel, QStatusBar

from agent_desk.services.desk import Desk
from agent_desk.ui.ops import OpRunner

log = logging.getLogger(__name__)


class BackgroundBackup(QObject):
    """One scheduled backup per start at most; ``finished`` carries the new copy (or None)."""

    finished = Signal(object)

    def __init__(
        self, desk: Desk, keep: int, status: QStatusBar, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.desk, self.keep, self.status = desk, keep, status
        self.ops = OpRunner(self, max_threads=1)
        self.cancel = threading.Event()
        self.running = False
        self.label = QLabel(status)
        self.label.setObjectName("backupProgress")
        self.label.hide()
        status.addPermanentWidget(self.label)

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self.ops.run(
            self._work,
            on_done=self._done,
            on_failed=self._failed,
            on_progress=self._progress,
            owner=self,
        )

    def _work(self, progress: object) -> Path | None:
        from agent_desk.services.backup import daily_backup, lower_priority

        current = QThread.currentThread()
        if current is not None:
            current.setPriority(QThread.Priority.LowestPriority)
        lower_priority()
        return daily_backup(
            self.desk,
            self.keep,
            progress=lambda done, total: progress(done, total, ""),  # type: ignore[operator]
            cancelled=self.cancel.is_set,
        )

    def _progress(self, done: int, total: int, _text: str) -> None:
        percent = done * 100 // total if total else 0
        self.label.setText(self.tr("Backing up… %1%").replace("%1", str(percent)))
        self.label.show()

    def _done(self, path: Path | None) -> None:
        self.running = False
        self.label.hide()
        if path is not None:
            self.status.showMessage(self.tr("Backup done"), 5000)
        self.finished.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.label.hide()
        if self.cancel.is_set():
            return
        log.error("scheduled backup failed: %s", type(exc).__name__, exc_info=exc)
        self.status.showMessage(
            self.tr("The backup failed; the earlier copies are kept (see the log)"), 10000
        )
        self.finished.emit(None)

    def stop(self, wait_ms: int = 10000) -> None:
        """Stop a running copy (the window is closing) and wait for its thread."""
        self.cancel.set()
        self.ops.shutdown(wait_ms)
