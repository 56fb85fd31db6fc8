"""The main window: a navigation list on the left, one page per task on the right.

The window shows at once; the database opens (and migrates, after a backup) in the background,
and the pages appear when it is ready.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from agent_desk.core.errors import DomainError
from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
from agent_desk.ui import lock
from agent_desk.ui.changes import Change, ChangeBus, subscribe
from agent_desk.ui.context import DeskContext, Job
from agent_desk.ui.fonts import apply_font
from agent_desk.ui.geometry import place, remembered
from agent_desk.ui.job_progress import JobProgress
from agent_desk.ui.messages import Dialogs
from agent_desk.ui.ops import OpRunner
from agent_desk.ui.pages import Pages
from agent_desk.ui.widgets import ElidedLabel

if TYPE_CHECKING:
    from agent_desk.services.desk import Desk
    from agent_desk.ui.case_detail import CaseDetailView

# The database layer (SQLAlchemy, Alembic, the pinyin tables) and the pages take seconds to import
# on an old PC; they are imported by the opening task, off the UI thread, after the window shows.

log = logging.getLogger(__name__)
NAV_ICONS = (
    Path(__file__).with_name("icons") / "nav"
)  # drawn for this project: nav/*.svg, `make icon`


def nav_icon(key: str) -> QIcon:
    """The page's icon (a PNG rendered from its SVG); none for a page without one."""
    path = NAV_ICONS / f"{key}.png"
    return QIcon(str(path)) if path.exists() else QIcon()


class MainWindow(QMainWindow):
    desk_ready = Signal()
    catalog_ready = Signal()
    migrating = Signal()  # an existing database is being backed up and upgraded
    open_refused = Signal(object)  # the database could not be opened; the app should end

    def __init__(
        self,
        data: DataDir,
        settings: Settings,
        dialogs: Dialogs,
        *,
        demo: bool = False,
        ops: OpRunner | None = None,
        protect: bool = False,
        key: bytes | None = None,
    ) -> None:
        super().__init__()
        self.first_key = key  # the first-run wizard just set the password: not asked again
        self.ops = ops or OpRunner(self)
        self.bus = ChangeBus(self)
        self.ctx = DeskContext(data, settings, dialogs, self.ops, self.bus, self)
        self.data, self.dialogs, self.demo = data, dialogs, demo
        self.protect = protect  # ask for the password at start and lock when idle (the real app)
        self.idle_lock: Any = None
        self.backup: Any = None  # the day's background backup (encrypted desks)
        self.locked = False
        self._stored_agent_id: str | None = None  # the agent's ID number: the database holds it
        self.case_views: dict[str, CaseDetailView] = {}
        self.review_views: dict[str, Any] = {}
        self.profile_views: dict[str, Any] = {}
        self.wizards: list[Any] = []
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("AgentDesk"))
        place(self, settings)
        self._build_frame()
        self._build_menus()
        self.ops.failed.connect(lambda exc: self.dialogs.failure(self, exc))
        self.ops.busy_changed.connect(self._busy)

    # -- what the pages share lives in the context ---------------------------------------------
    @property
    def desk(self) -> Desk | None:
        return self.ctx.desk

    @desk.setter
    def desk(self, desk: Desk | None) -> None:
        self.ctx.desk = desk

    @property
    def catalog(self) -> Any:
        """The service catalog, loaded in the background with the desk."""
        return self.ctx.catalog

    @catalog.setter
    def catalog(self, catalog: Any) -> None:
        self.ctx.catalog = catalog

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self.ctx.settings = settings

    @property
    def _pdf(self) -> Any:
        return self.ctx._pdf

    @_pdf.setter
    def _pdf(self, converter: Any) -> None:
        self.ctx._pdf = converter  # False turns PDF conversion off (tests)

    def pdf_converter(self) -> Any:
        return self.ctx.pdf_converter()

    def viewer_folder(self) -> Path:
        return self.ctx.viewer_folder()

    def open_stored(self, path: Path, parent: QWidget | None = None) -> None:
        self.ctx.open_stored(path, parent or self)

    def actor_name(self) -> str:
        return self.ctx.actor_name()

    def start_job(self, title: str) -> Job:
        row = self.job.start(title)
        return Job(row.cancel_event, row.step, lambda: self.job.finish(row))

    def show_status(self, text: str, msecs: int = 0) -> None:
        if text:
            self.statusBar().showMessage(text, msecs)
        else:
            self.statusBar().clearMessage()

    # -- frame -------------------------------------------------------------------
    def _build_frame(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(170)
        self.nav.setIconSize(QSize(22, 22))
        self.stack = QStackedWidget(self)
        self.loading = QLabel(self.tr("Opening the database…"), self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)
        self.pages = Pages(self.stack)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.nav.maximumWidth(), 10_000])  # no empty strip beside the navigation
        self.setCentralWidget(splitter)
        self.nav.currentRowChanged.connect(self._show_row)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(180)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.job = JobProgress(self)
        self.statusBar().addPermanentWidget(self.job)
        self.demo_badge = QLabel(self.tr("DEMO DATA"), self)
        self.demo_badge.setStyleSheet(
            "color: white; background: #c0392b; padding: 1px 6px; border-radius: 3px;"
        )
        self.demo_badge.hide()
        self.statusBar().addPermanentWidget(self.demo_badge)
        self.calendar_note = ElidedLabel(self)  # a long note never widens the window
        self.calendar_note.setObjectName("calendarNote")
        self.calendar_note.hide()
        self.statusBar().addPermanentWidget(self.calendar_note)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.import_action = self._action(
            file_menu, self.tr("&Import roster…"), self.import_roster, "Ctrl+I"
        )
        self.export_action = self._action(
            file_menu, self.tr("&Export roster…"), self.export_roster, "Ctrl+E"
        )
        file_menu.addSeparator()
        self.settings_action = self._action(
            file_menu, self.tr("&Settings…"), self.show_settings, "Ctrl+,"
        )
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        work = self.menuBar().addMenu(self.tr("&Work"))
        self.new_client_action = self._action(
            work, self.tr("&New client…"), self.new_client, "Ctrl+N"
        )
        self.intake_action = self._action(
            work, self.tr("New &intake for the selected client…"), self.start_intake, "Ctrl+K"
        )
        self.bundle_action = self._action(
            work,
            self.tr("New one-stop &request for the selected client…"),
            self.start_bundle,
            "Ctrl+J",
        )
        go = self.go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self._action(go, self.tr("Find a client"), self.focus_search, "Ctrl+F")
        self._action(
            go, self.tr("&Hand-over batches"), lambda: self.show_page("handover"), "Ctrl+H"
        )
        self.sync_action = self._action(
            go, self.tr("&Sync with the township hub now"), self.sync_now, "F5"
        )
        self.sync_action.setEnabled(False)
        go.addSeparator()  # then each page by its name, Ctrl+1… in the navigation's order (add_page)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(
            help_menu,
            self.tr("User &manual"),
            self.show_manual,
            QKeySequence.StandardKey.HelpContents,
        )
        self._action(help_menu, self.tr("&About AgentDesk"), self.show_about, "")
        for action in (
            self.import_action,
            self.export_action,
            self.new_client_action,
            self.intake_action,
            self.bundle_action,
        ):
            action.setEnabled(False)

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.pages[list(self.pages)[row]]  # a lazy page is built on its first visit
        self.stack.setCurrentIndex(row + 1)

    def add_page(self, key: str, title: str, page: QWidget | Callable[[], QWidget]) -> None:
        """A page now, or a function that builds it when first shown (pages.py)."""
        self.pages.add(key, page)
        self.nav.addItem(QListWidgetItem(nav_icon(key), title))
        number = len(self.pages)
        shortcut = f"Ctrl+{number}" if number <= 9 else ""
        self._action(self.go_menu, title, lambda _c=False, k=key: self.show_page(k), shortcut)

    def _busy(self, running: int) -> None:
        self.progress.setVisible(running > 0)

    # -- opening the desk --------------------------------------------------------
    def start(self) -> None:
        """Ask for the password (when protected), then open the database in the background."""
        if not self.protect or self.first_key is not None:
            first_key = self.first_key
            self._open_with(lambda: first_key)
            return
        from agent_desk.services import vault

        if not vault.is_protected(self.data):
            self._ask_password(lock.SETUP)
        elif (key := vault.remembered_key(self.data)) is not None:
            self._open_with(lambda: key)
        else:
            self._ask_password(lock.UNLOCK)

    def _ask_password(self, mode: str, message: str = "") -> None:
        from agent_desk.services import vault

        answer = self.dialogs.ask_password(self, mode, message)
        if answer is None:
            self.close()
            return
        password, remember = answer
        remove = mode == lock.SETUP and self._remove_plain_backups()

        def key() -> bytes:
            if mode == lock.SETUP:
                return vault.setup_password(
                    self.data, password, remember=remember, remove_plain_backups=remove
                )
            found = vault.unlock(self.data, password)
            if remember:
                vault.remember_key(self.data, found)
            return found

        self._open_with(key, mode)

    def _remove_plain_backups(self) -> bool:
        """Backups from before the password: kept encrypted, or with the user's yes overwritten
        and deleted."""
        from agent_desk.services import vault

        count = vault.plain_backup_count(self.data)
        return count > 0 and self.dialogs.confirm(
            self,
            self.tr("Older backups"),
            self.tr(
                "%1 backups from before the password are not encrypted. Delete them now by "
                "overwriting (Yes), or keep them, encrypted with the new password (No)?"
            ).replace("%1", str(count)),
        )

    def _open_with(self, key: Any, mode: str = "") -> None:
        self.ops.run(
            lambda progress: self._open(progress, key()),
            on_done=self._attach,
            on_failed=lambda exc: self._open_failed(exc, mode),
            on_progress=self._opening,
            owner=self,
        )

    def _open(self, progress: Any, key: bytes | None = None) -> tuple[Desk, bool]:
        from agent_desk.services.desk import open_desk

        desk = open_desk(
            self.data.root,
            key=key,
            actor=self.actor_name(),
            on_migrate=lambda _state: progress(0, 0, "migrate"),
        )
        import agent_desk.ui.background_backup
        import agent_desk.ui.case_board
        import agent_desk.ui.client_list
        import agent_desk.ui.today_page  # noqa: F401  (imported here so _attach does not wait)
        from agent_desk.services import agent_identity

        self._stored_agent_id = agent_identity.stored_id(desk)  # read here, off the UI thread
        return desk, self._is_demo(desk)

    def _opening(self, _done: int, _total: int, step: str) -> None:
        if step == "migrate":
            text = self.tr(
                "Upgrading the database for this version of AgentDesk…\n"
                "A copy of the old database is kept in %1."
            ).replace("%1", str(self.data.backups))
            self.loading.setText(text)
            self.statusBar().showMessage(self.tr("Upgrading the database…"))
            self.migrating.emit()

    @staticmethod
    def _is_demo(desk: Desk) -> bool:
        from agent_desk.store.models import Meta

        with desk.db.session() as session:
            return session.get(Meta, "demo") is not None

    def _open_failed(self, exc: BaseException, mode: str = "") -> None:
        """A wrong password is asked again; otherwise, without its database the window is of no use."""

        if (
            mode
            and isinstance(exc, DomainError)
            and exc.code in ("wrong_password", "weak_password", "password_exists")
        ):
            self._ask_password(lock.UNLOCK if exc.code == "password_exists" else mode, str(exc))
            return
        self.loading.setText(self.tr("The database could not be opened.") + "\n\n" + str(exc))
        if isinstance(exc, DomainError):
            self.dialogs.error(self, self.tr("The database cannot be opened"), str(exc))
        else:
            self.dialogs.failure(self, exc)
        self.open_refused.emit(exc)

    def _attach(self, result: tuple[Desk, bool]) -> None:
        from agent_desk.services import agent_identity
        from agent_desk.ui.case_board import CaseBoardPage
        from agent_desk.ui.client_list import ClientListPage

        self.desk, is_demo = result
        self.settings = agent_identity.with_id(self.settings, self._stored_agent_id)
        self.show_demo_mark(is_demo)
        self._add_today_page()
        clients = ClientListPage(self.ops, self.desk, self)
        self.add_page("clients", self.tr("Clients"), clients)
        subscribe(self.bus, clients, Change.CLIENT, lambda _c: clients.refresh())
        clients.apply_search()  # first in the pool's queue: the rows the agent waits for
        cases = CaseBoardPage(self.ops, self.desk, self)
        self.add_page("cases", self.tr("Cases"), cases)
        cases.open_case.connect(self.open_case)
        subscribe(self.bus, cases, Change.CASE | Change.CLIENT, lambda _c: cases.refresh())
        cases.apply_filter()
        clients.open_client.connect(self.open_client)
        self.add_page("handover", self.tr("Hand-over"), self._handover_page)
        self.add_page("requests", self.tr("One-stop requests"), self._requests_page)  # issue 21
        if self.settings.role in ("reviewer", "admin"):
            self._add_review_pages()
        for action in (self.import_action, self.export_action, self.new_client_action):
            action.setEnabled(True)
        self.nav.setCurrentRow(0)
        if self.demo:
            self._seed_if_empty()
        if self.protect and self.desk.cipher is not None:
            self.idle_lock = lock.IdleLock(self.settings.lock_minutes, self.lock, self)
        if self.desk.cipher is not None:
            self._backup_when_usable(clients)
        # The catalog (YAML parsed in the pool) and the sync page (its engine brings the HTTP stack,
        # ~0.2 s on the GUI thread) wait until the first client rows are on screen; then the desk
        # is ready.
        self._sync_attached = False
        clients.model.loaded.connect(self._rows_shown)
        clients.model.failed.connect(self._rows_shown)

    def _rows_shown(self, *_failure: object) -> None:
        QTimer.singleShot(0, self._finish_attach)  # after the rows are painted

    def _finish_attach(self) -> None:
        if self._sync_attached or self.desk is None:
            return
        self._sync_attached = True
        model = self.pages["clients"].model  # type: ignore[attr-defined]
        model.loaded.disconnect(self._rows_shown)
        model.failed.disconnect(self._rows_shown)
        self._load_catalog()
        self._attach_sync()
        self.desk_ready.emit()

    def _handover_page(self) -> QWidget:
        from agent_desk.ui.handover import HandoverPage

        handover = HandoverPage(self.ctx, self)
        subscribe(self.bus, handover, Change.CASE | Change.BATCH, lambda _c: handover.refresh())
        handover.refresh()
        return handover

    def _requests_page(self) -> QWidget:
        """一件事 (issue 21): the desk's requests, each with its cases in their order."""
        from agent_desk.ui.request_page import RequestsPage

        page = RequestsPage(self.ctx, self, self)
        page.open_case.connect(self.open_case)
        subscribe(
            self.bus,
            page,
            Change.REQUEST | Change.CASE | Change.CLIENT | Change.DOCUMENT,
            lambda _c: page.refresh(),
        )
        page.refresh()
        return page

    def _add_today_page(self) -> None:
        """今日待办 first: overdue, due soon, 容缺 due, 补正 returns and follow-ups, counted on the navigation."""
        from agent_desk.ui.today_page import TodayPage

        assert self.desk is not None
        today = TodayPage(self.ops, self.desk, self)
        self.add_page("today", self.tr("Today"), today)
        row = len(self.pages) - 1
        today.loaded.connect(
            lambda state: self.nav.item(row).setText(
                self.tr("Today (%1)").replace("%1", str(state.total))
            )
        )
        today.open_case.connect(self.open_case)
        subscribe(self.bus, today, Change.CASE | Change.DOCUMENT, lambda _c: today.refresh())
        today.refresh()

    def _backup_when_usable(self, clients: Any) -> None:
        """The day's backup starts once the first client rows are on screen, never before."""
        from agent_desk.ui.background_backup import BackgroundBackup

        assert self.desk is not None
        self.backup = BackgroundBackup(self.desk, self.settings.backup_keep, self.statusBar(), self)
        clients.model.loaded.connect(self.backup.start)

    def _add_review_pages(self) -> None:
        """The township's pages: only a reviewer's (or admin's) desk has the township's synced cases."""
        self.add_page("review", self.tr("Review"), self._review_page)
        self.add_page("supervision", self.tr("Supervision"), self._supervision_page)

    def _review_page(self) -> QWidget:
        from agent_desk.ui.review_queue import ReviewQueuePage

        assert self.desk is not None
        queue = ReviewQueuePage(self.ops, self.desk, self)
        queue.open_review.connect(self.open_review)
        queue.open_request.connect(self.open_request_review)
        subscribe(self.bus, queue, Change.CASE, lambda _c: queue.refresh())
        return queue

    def _supervision_page(self) -> QWidget:
        from agent_desk.ui.dashboard import DashboardPage

        dashboard = DashboardPage(self.ctx, self)
        subscribe(self.bus, dashboard, Change.CASE | Change.REQUEST, lambda _c: dashboard.refresh())
        dashboard.refresh()
        return dashboard

    def open_review(self, case_id: str) -> Any:
        """The review screen of a case in its own window; opening it again raises the existing one."""
        from agent_desk.ui.review_view import ReviewView

        view = self.review_views.get(case_id)
        if view is None or not shiboken6.isValid(view):
            view = ReviewView(self.ctx, case_id, actor=self.actor_name())
            view.open_request.connect(self.open_request_review)
            view.setParent(self, Qt.WindowType.Window)
            self.review_views[case_id] = view
        view.show()
        view.raise_()
        return view

    def open_request_review(self, request_id: str) -> Any:
        """A 一件事 as a whole for the reviewer (ui/request_review.py), in its own window."""
        from agent_desk.ui.request_review import RequestReviewView

        key = f"request:{request_id}"
        view = self.review_views.get(key)
        if view is None or not shiboken6.isValid(view):
            view = RequestReviewView(self.ctx, request_id, actor=self.actor_name())
            view.open_case.connect(self.open_review)
            view.setParent(self, Qt.WindowType.Window)
            self.review_views[key] = view
        view.show()
        view.raise_()
        return view

    # -- idle lock ---------------------------------------------------------------------
    def lock(self) -> None:
        """Hide every page and ask for the password again; cancelling quits."""
        self.locked = True
        self.centralWidget().hide()
        self.menuBar().setEnabled(False)
        self._ask_unlock()

    def _ask_unlock(self, message: str = "") -> None:
        from agent_desk.store.crypto import WrongPassword, read_key_file

        answer = self.dialogs.ask_password(self, lock.UNLOCK, message)
        if answer is None:
            self.close()
            return
        self.ops.run(
            lambda: read_key_file(self.data.key_file).unwrap(answer[0]),
            on_done=lambda _k: self._unlocked(),
            on_failed=lambda exc: (
                self._ask_unlock(str(exc))
                if isinstance(exc, WrongPassword)
                else self.dialogs.failure(self, exc)
            ),
            owner=self,
        )

    def _unlocked(self) -> None:
        self.locked = False
        self.centralWidget().show()
        self.menuBar().setEnabled(True)
        if self.idle_lock is not None:
            self.idle_lock.resume()

    def _seed_if_empty(self) -> None:
        from agent_desk.services.demo_first_run import seed_if_empty

        self.statusBar().showMessage(self.tr("Creating demo data…"))
        desk = self.desk
        assert desk is not None
        self.ctx.track(
            lambda progress: seed_if_empty(desk, progress),
            owner=self,
            on_done=self._seeded,
            on_progress=self._progress,
            also=Change.CLIENT | Change.CASE,  # bulk inserts are not all seen by the flush hook
        )

    def _seeded(self, seeded: bool) -> None:
        self.statusBar().showMessage(self.tr("Demo data ready") if seeded else "", 5000)
        if seeded:
            self.show_demo_mark(True)

    def show_demo_mark(self, is_demo: bool) -> None:
        """A demo desk says so in the title bar and the status bar (printed documents and exports
        carry it too: services/demo_marking.py)."""
        self.demo_badge.setVisible(is_demo)
        title = self.tr("AgentDesk")
        self.setWindowTitle(f"{title} — {self.tr('DEMO DATA')}" if is_demo else title)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.statusBar().showMessage(text)

    # -- actions -----------------------------------------------------------------
    def open_case(self, case_id: str) -> CaseDetailView:
        """Each case opens in its own window; opening it again raises the existing one."""
        from agent_desk.ui.case_detail import CaseDetailView

        view = self.case_views.get(case_id)
        if view is None or not shiboken6.isValid(view):
            view = CaseDetailView(self.ctx, case_id, actor=self.actor_name())
            view.setWindowFlag(Qt.WindowType.Window)
            view.setParent(self, Qt.WindowType.Window)
            self.case_views[case_id] = view
        view.show()
        view.raise_()
        return view

    def _attach_sync(self) -> None:
        from agent_desk.sync.engine import SyncEngine
        from agent_desk.ui.sync_page import SyncPage
        from agent_desk.ui.sync_status import SyncStatusBar

        assert self.desk is not None
        page = SyncPage(
            self.ctx, SyncEngine(self.desk.db, self.desk.data, cipher=self.desk.cipher), self
        )
        self.add_page("sync", self.tr("Sync"), page)
        self.sync_bar = SyncStatusBar(self, page)
        subscribe(
            self.bus, page, Change.OUTBOX | Change.CLIENT | Change.CASE, lambda _c: page.refresh()
        )
        self.sync_action.setEnabled(True)
        page.start()

    def sync_now(self) -> None:
        page = self.pages.get("sync")
        if page is not None:
            page.sync_now()  # type: ignore[attr-defined]

    def _load_catalog(self) -> None:
        from agent_desk.services.publications import current_catalog

        desk = self.desk
        assert desk is not None

        def load() -> Any:
            with desk.db.session() as session:
                return current_catalog(desk.data.root, session)

        self.ops.run(load, on_done=self._catalog_loaded, owner=self)
        self.show_calendar_note()

    def publications_changed(self) -> None:
        """A sync applied a new catalog, templates or calendar: new cases use it from now on."""
        self._load_catalog()

    def show_calendar_note(self) -> None:
        """Name the years whose holidays are estimated from the law within the coming year."""
        from datetime import date, timedelta

        from agent_desk.core.calendar import default_calendar

        today = date.today()
        years = default_calendar().estimated_years(today, today + timedelta(days=365))
        text = self.tr(
            "Holidays of %1 are estimated from the law until the State Council's schedule is installed"
        )
        self.calendar_note.setText(text.replace("%1", "、".join(str(y) for y in years)))
        self.calendar_note.setVisible(bool(years))

    def _catalog_loaded(self, catalog: Any) -> None:
        self.catalog = catalog
        self.intake_action.setEnabled(True)
        self.bundle_action.setEnabled(True)
        self.catalog_ready.emit()

    def show_page(self, key: str) -> None:
        if key in self.pages:
            self.nav.setCurrentRow(list(self.pages).index(key))
            self.pages[key].setFocus()

    def open_client(self, client_id: str | None = None, *, head_id: str | None = None) -> Any:
        """The profile editor in its own window; a client already open is raised, not opened twice."""
        from agent_desk.ui.client_profile import ClientProfileView

        view = self.profile_views.get(client_id or "")
        if view is None or not shiboken6.isValid(view):
            view = ClientProfileView(self.ctx, client_id, head_id=head_id)
            view.setParent(self, Qt.WindowType.Window)
            if client_id:
                self.profile_views[client_id] = view
            view.saved.connect(lambda cid, v=view: self.profile_views.setdefault(cid, v))
        view.show()
        view.raise_()
        return view

    def new_client(self) -> Any:
        return self.open_client(None)

    def current_client_id(self) -> str | None:
        from agent_desk.ui.client_list import ClientListPage

        page = self.pages.get("clients")
        if not isinstance(page, ClientListPage):
            return None
        row = page.table.currentIndex().row()
        return page.model.id_at(row if row >= 0 else 0) if page.model.rowCount() else None

    def start_intake(self, client_id: str | None = None) -> Any:
        """The intake wizard for ``client_id`` (default: the client selected in the list)."""
        from agent_desk.ui.intake_wizard import IntakeWizard

        client_id = client_id or self.current_client_id()
        if self.catalog is None or self.desk is None or not client_id:
            self.dialogs.info(
                self, self.tr("New intake"), self.tr("Select a client in the list first.")
            )
            return None
        wizard = IntakeWizard(self.ctx, client_id)
        wizard.setParent(self, Qt.WindowType.Window)
        self.wizards = [w for w in self.wizards if shiboken6.isValid(w)] + [wizard]
        wizard.show()
        return wizard

    def start_bundle(self, client_id: str | None = None) -> Any:
        """一件事: one intake for several items (ui/bundle_intake.py), for the selected client."""
        from agent_desk.ui.bundle_intake import BundleIntakeDialog

        client_id = client_id or self.current_client_id()
        if self.catalog is None or self.desk is None or not client_id:
            self.dialogs.info(
                self, self.tr("New one-stop request"), self.tr("Select a client in the list first.")
            )
            return None
        dialog = BundleIntakeDialog(self.ctx, client_id)
        dialog.setParent(self, Qt.WindowType.Window)
        dialog.request_created.connect(self.show_request)
        self.wizards = [w for w in self.wizards if shiboken6.isValid(w)] + [dialog]
        dialog.show()
        return dialog

    def show_request(self, request_id: str) -> None:
        """The 一件事 page with this request open."""
        from agent_desk.ui.request_page import RequestsPage

        self.show_page("requests")
        page = self.pages.get("requests")
        if isinstance(page, RequestsPage):
            page.show_request(request_id)

    def fix_field(self, path: str, client_id: str | None) -> None:
        """Jump to where a missing field is fixed: the client's profile or the agent's settings."""
        if path.startswith("agent."):
            self.show_settings()
        elif client_id:
            view = self.open_client(client_id)
            if view.data is None:
                view.loaded.connect(lambda: view.focus_path(path))
            else:
                view.focus_path(path)

    def show_settings(self) -> None:
        from agent_desk.services import agent_identity

        changed = self.dialogs.edit_settings(self, self.settings, self.data.root)
        if changed is None:
            return
        language_changed = changed.language != self.settings.language
        self.settings = changed
        self.ops.run(
            lambda: agent_identity.save_with_id(self.desk, self.data.settings_file, changed),
            owner=self,
        )
        self.apply_font()
        self.bus.notify(Change.SETTINGS)
        if self.idle_lock is not None:
            self.idle_lock.minutes = changed.lock_minutes
        if language_changed:
            self.dialogs.info(
                self,
                self.tr("Settings"),
                self.tr("The language changes the next time AgentDesk starts."),
            )

    def apply_font(self) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_font(app, self.settings)

    def show_manual(self) -> None:
        """F1: the manual (Markdown in docs/manual/), read in the background and shown in the app."""
        from agent_desk.paths import manual_file

        path = manual_file(self.settings.language)
        self.ops.run(
            lambda: path.read_text(encoding="utf-8"),
            owner=self,
            on_done=lambda text: self.dialogs.show_manual(self, self.tr("User manual"), text),
        )

    def show_about(self) -> None:
        from agent_desk.ui.about import about_text

        self.dialogs.info(self, self.tr("About AgentDesk"), about_text())

    def focus_search(self) -> None:
        from agent_desk.ui.client_list import ClientListPage

        page = self.pages.get("clients")
        if isinstance(page, ClientListPage):
            self.nav.setCurrentRow(list(self.pages).index("clients"))
            page.search.setFocus()
            page.search.selectAll()

    def import_roster(self) -> None:
        from agent_desk.ui.roster_actions import import_roster

        import_roster(self.ctx, self)

    def export_roster(self) -> None:
        from agent_desk.ui.roster_actions import export_roster

        export_roster(self.ctx, self)

    def _keep_unsaved(self) -> bool:
        """Ask about each profile with unsaved edits; True when the agent chose to stay (取消)."""
        from agent_desk.ui.client_profile import ClientProfileView

        views = [v for v in self.findChildren(ClientProfileView) if v.isVisible() and v.is_dirty()]
        for view in views:
            view.raise_()
            answer = self.dialogs.ask_save(
                self, view.windowTitle(), self.tr("Save the changes to this profile?")
            )
            if answer == "cancel" or (answer == "save" and not view.save()):
                return True
            view.baseline = None  # saved (the runner finishes it before the desk closes) or dropped
        return False

    def _remember_geometry(self) -> None:
        from agent_desk.services.settings import save_settings

        if self.desk is None:  # closed before the desk opened (refused, or first run aborted)
            return
        self.settings = settings = remembered(self, self.settings)
        self.ops.run(lambda: save_settings(self.data.settings_file, settings), owner=self)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        if self._keep_unsaved():
            event.ignore()
            return
        self._remember_geometry()
        if self.idle_lock is not None:
            self.idle_lock.stop()
        if self.backup is not None:
            self.backup.stop()
        self.ops.shutdown(10000)
        self.ctx.close()
        if self.desk is not None:
            self.desk.close()
        super().closeEvent(event)
