"""What a page or window needs from the app: a small context and a navigator, not the main window.

``DeskContext`` holds the desk, the ops runner, the dialogs, the change bus, the catalog and the
settings, and owns the one operation type for writes (``write``, like Anki's ``CollectionOp``): it
opens the session, commits, shows the failure and emits the change flags computed from what was
flushed. ``Navigator`` is what a page may ask of the window around it (open a case, a profile…).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QWidget

from agent_desk.ui.changes import Change, ChangeBus, from_tables
from agent_desk.ui.messages import Dialogs
from agent_desk.ui.ops import Cancelled, OpRunner, Progress

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.services.desk import Desk
    from agent_desk.services.settings import Settings
    from agent_desk.services.work import Work
    from agent_desk.store.datadir import DataDir

T = TypeVar("T")
Done = Callable[[Any], Any]
Failed = Callable[[BaseException], Any]


@dataclass
class Job:
    """A long job shown with its progress and 取消 (the main window's status bar)."""

    event: threading.Event
    step: Progress
    finish: Callable[[], None]


class Navigator(Protocol):
    """Where a page may send the agent; the main window is one, a test may pass another."""

    def open_case(self, case_id: str) -> Any: ...

    def open_client(self, client_id: str | None = None, *, head_id: str | None = None) -> Any: ...

    def start_intake(self, client_id: str | None = None) -> Any: ...

    def start_bundle(self, client_id: str | None = None) -> Any: ...

    def show_request(self, request_id: str) -> None: ...

    def fix_field(self, path: str, client_id: str | None) -> None: ...

    def show_page(self, key: str) -> None: ...

    def show_settings(self) -> None: ...

    def show_status(self, text: str, msecs: int = 0) -> None: ...

    def publications_changed(self) -> None: ...

    def start_job(self, title: str) -> Job: ...


class DeskContext:
    """One per window; ``desk`` and ``catalog`` arrive once opened and loaded, ``settings`` changes."""

    def __init__(
        self,
        data: DataDir,
        settings: Settings,
        dialogs: Dialogs,
        ops: OpRunner,
        bus: ChangeBus,
        nav: Navigator,
    ) -> None:
        self.data, self.settings, self.dialogs = data, settings, dialogs
        self.ops, self.bus, self.nav = ops, bus, nav
        self.desk: Desk | None = None
        self.catalog: Any = None
        self._viewer: Any = None
        self._pdf: Any = None

    def work(self, session: Session) -> Work:
        """The unit of work the services take (services/work.py): this desk, its catalog and agent."""
        from agent_desk.services.profiles import agent_info
        from agent_desk.services.work import Work

        desk = self._desk()
        return Work(
            session,
            desk.data,
            desk.cipher,
            self.catalog,
            agent_info(self.settings),
            self.actor_name(),
        )

    def actor_name(self) -> str:
        """Who a step is recorded as: the hub login, or on a desk set up offline the agent's own name."""
        return self.settings.actor_name()

    # -- the operations ------------------------------------------------------------------------
    def read(
        self,
        work: Callable[[Session], T],
        *,
        owner: QObject,
        on_done: Callable[[T], Any],
        on_failed: Failed | None = None,
    ) -> None:
        """Read in the background in one session; a failure is shown over ``owner``."""
        desk = self._desk()

        def run() -> T:
            with desk.db.session() as session:
                return work(session)

        self.ops.run(run, on_done=on_done, on_failed=self._failed(owner, on_failed), owner=owner)

    def write(
        self,
        work: Callable[[Session], T],
        *,
        owner: QObject,
        on_done: Callable[[T], Any] | None = None,
        on_failed: Failed | None = None,
        on_progress: Progress | None = None,
        job: str = "",
    ) -> None:
        """One unit of work: a session opened, ``work(session)``, committed; then every screen told.

        The change flags come from the rows flushed, so a screen refreshes for what really changed.
        With ``on_progress`` or ``job`` (a title: progress and 取消 in the status bar) the work is
        called as ``work(session, progress)``; 取消 rolls the whole transaction back.
        """
        desk = self._desk()

        def run(*progress: Any) -> T:
            with desk.db.session() as session:
                result = work(session, *progress)  # type: ignore[call-arg]
                session.commit()
            return result

        self.track(
            run,
            owner=owner,
            on_done=on_done,
            on_failed=on_failed,
            on_progress=on_progress,
            job=job,
        )

    def track(
        self,
        work: Callable[..., T],
        *,
        owner: QObject,
        on_done: Callable[[T], Any] | None = None,
        on_failed: Failed | None = None,
        on_progress: Progress | None = None,
        also: Change = Change.NONE,
        job: str = "",
    ) -> None:
        """Work that opens its own sessions (a sync, an import): the changes it flushes are emitted."""
        handle = self.nav.start_job(job) if job else None
        if handle is not None:
            on_progress = _both(handle.step, on_progress)
            on_done = _then(handle.finish, on_done)
            on_failed = _then(handle.finish, on_failed)

        def run(*progress: Any) -> tuple[T, Change]:
            from agent_desk.store.changes import track_changes

            with track_changes() as tables:
                result = work(*progress)
            return result, from_tables(tables) | also

        def done(outcome: tuple[T, Change]) -> None:
            """The caller first (a new record learns its id), then every subscribed screen."""
            result, changes = outcome
            if on_done is not None:
                on_done(result)
            self.bus.emit_changes(changes)

        self.ops.run(
            run,
            on_done=done,
            on_failed=self._failed(owner, on_failed),
            on_progress=on_progress,
            owner=owner,
            cancel=handle.event if handle is not None else None,
        )

    def _failed(self, owner: QObject, on_failed: Failed | None) -> Failed:
        """The failure message is the operation's: the caller adds only what it must undo."""

        def failed(exc: BaseException) -> None:
            if on_failed is not None:
                on_failed(exc)
            if isinstance(exc, Cancelled):
                self.nav.show_status(cancelled_text(), 8000)
                return
            self.dialogs.failure(owner if isinstance(owner, QWidget) else None, exc)

        return failed

    def _desk(self) -> Desk:
        assert self.desk is not None, "the desk is not open yet"
        return self.desk

    # -- printing and opening files ---------------------------------------------------------
    def pdf_converter(self) -> Any:
        """One converter chain per window (LibreOffice, then WPS/Word); False turns PDF off (tests)."""
        if self._pdf is None:
            from agent_desk.fill import ConverterChain

            self._pdf = ConverterChain()
        return self._pdf or None

    def viewer_folder(self) -> Path:
        """Decrypted copies of what the user opens in Word/WPS or a viewer on an encrypted desk.

        A private folder under the OS temp folder (store/sealed.open_folder), never the data folder;
        removed when the window closes, and at the next start if the app was killed (sweep_stale).
        """
        if self._viewer is None:
            from agent_desk.store.sealed import open_folder

            self._viewer = open_folder()
        return Path(self._viewer)

    def open_stored(self, path: Path, parent: QWidget | None = None) -> None:
        """Open a file kept in the data folder (a scan, a generated .docx) in the system's program.

        On an encrypted desk the program gets a decrypted copy in ``viewer_folder()``.
        """
        cipher = self.desk.cipher if self.desk else None
        if cipher is None:
            self.dialogs.open_path(path)
            return
        from agent_desk.store.sealed import plain_copy

        folder = self.viewer_folder()
        self.ops.run(
            lambda: plain_copy(path, cipher, folder),
            on_done=self.dialogs.open_path,
            on_failed=lambda exc: self.dialogs.failure(parent, exc),
            owner=parent,
        )

    def close(self) -> None:
        """The window is closing: remove decrypted copies and stop the converter."""
        if self._viewer is not None:
            from agent_desk.store.sealed import remove_folder

            remove_folder(self._viewer)
            self._viewer = None
        if self._pdf:
            self._pdf.close()


def cancelled_text() -> str:
    return QCoreApplication.translate("DeskContext", "Cancelled; nothing was saved")


def _both(first: Progress, second: Progress | None) -> Progress:
    def step(done: int, total: int, text: str) -> None:
        first(done, total, text)
        if second is not None:
            second(done, total, text)

    return step


def _then(first: Callable[[], None], second: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    def call(value: Any) -> None:
        first()
        if second is not None:
            second(value)

    return call
