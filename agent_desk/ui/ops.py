"""One way to run work off the UI thread (the change flags that tell screens to refresh: changes.py).

Database, file and network work runs in a QThreadPool; its result comes back on the UI thread
through a queued signal. A callback whose owner widget has been deleted is skipped, so closing a
window never calls into a dead widget (a pitfall Anki and Picard both hit).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


class Cancelled(Exception):
    """The person pressed 取消: raised from the job's next progress report, so its transaction
    rolls back and nothing is half-written."""


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class _Task(QRunnable):
    def __init__(
        self, fn: Callable[..., Any], wants_progress: bool, cancel: threading.Event | None = None
    ) -> None:
        super().__init__()
        self.fn, self.wants_progress, self.cancel = fn, wants_progress, cancel
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn(self._progress) if self.wants_progress else self.fn()
        except BaseException as exc:  # delivered to the UI thread, never swallowed
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.done, result)

    def _emit(self, signal: Any, *args: Any) -> None:
        """The runner (and with it this task's signals) may be gone when the app is closing."""
        try:
            signal.emit(*args)
        except RuntimeError:
            log.debug("result of a background task dropped: its runner was deleted")

    def _progress(self, done: int, total: int, text: str = "") -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()
        self._emit(self.signals.progress, done, total, text)


def _guard(owner: QObject | None, callback: Callable[..., Any] | None) -> Callable[..., None]:
    def call(*args: Any) -> None:
        if callback is None or (owner is not None and not shiboken6.isValid(owner)):
            return
        callback(*args)

    return call


class OpRunner(QObject):
    """Runs callables in a thread pool; counts busy work for the progress indicator."""

    busy_changed = Signal(int)
    failed = Signal(object)  # failures nobody handled: the window shows them

    def __init__(self, parent: QObject | None = None, max_threads: int = 3) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.running = 0
        self.closed = False
        self._tasks: set[_Task] = set()

    def run(
        self,
        fn: Callable[..., Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: Progress | None = None,
        owner: QObject | None = None,
        cancel: threading.Event | None = None,
    ) -> _Task:
        """Run ``fn`` off the UI thread; with ``on_progress`` it is called as ``fn(progress)``.

        Once ``cancel`` is set, the next ``progress(...)`` raises ``Cancelled`` in the worker.

        After ``shutdown`` nothing new starts: a result arriving during close must not start
        work that would outlive the window.
        """
        task = _Task(fn, wants_progress=on_progress is not None, cancel=cancel)
        if self.closed:
            log.debug("not started: the runner is shut down")
            return task
        task.setAutoDelete(False)
        task.signals.done.connect(_guard(owner, on_done))
        task.signals.failed.connect(_guard(owner, on_failed) if on_failed else self.failed.emit)
        if on_progress is not None:
            task.signals.progress.connect(_guard(owner, on_progress))
        task.signals.done.connect(lambda _r: self._finish(task))
        task.signals.failed.connect(lambda _e: self._finish(task))
        self._tasks.add(task)
        self.running += 1
        self.busy_changed.emit(self.running)
        self.pool.start(task)
        return task

    def _finish(self, task: _Task) -> None:
        self._tasks.discard(task)
        self.running -= 1
        if shiboken6.isValid(
            self
        ):  # a task that outlived its window (closed after shutdown's wait)
            self.busy_changed.emit(self.running)

    def shutdown(self, msecs: int = 10000) -> bool:
        """Start nothing more and wait for what runs: for closing the window."""
        self.closed = True
        return self.pool.waitForDone(msecs)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the pool is idle: for shutdown and tests only, never during normal work."""
        return self.pool.waitForDone(msecs)
