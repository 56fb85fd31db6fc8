"""The main window: a navigation list on the left, one page per task on the right.

The window shows at once; the database opens (and migrates, after a backup) in the background,
and the pages appear when it is ready.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QWidget,
)  # fmt: skip

from agent_desk.services.desk import Desk, open_desk
from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
from agent_desk.ui.case_board import CaseBoardPage
from agent_desk.ui.case_detail import CaseDetailView
from agent_desk.ui.client_list import ClientListPage
from agent_desk.ui.messages import Dialogs
from agent_desk.ui.ops import DataBus, OpRunner

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    desk_ready = Signal()

    def __init__(self, data: DataDir, settings: Settings, dialogs: Dialogs, *, demo: bool = False,
                 ops: OpRunner | None = None) -> None:  # fmt: skip
        super().__init__()
        self.data, self.settings, self.dialogs, self.demo = data, settings, dialogs, demo
        self.ops = ops or OpRunner(self)
        self.bus = DataBus(self)
        self.desk: Desk | None = None
        self.pages: dict[str, QWidget] = {}
        self.case_views: dict[str, CaseDetailView] = {}
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("AgentDesk"))
        self.resize(1180, 740)
        self._build_frame()
        self._build_menus()
        self.ops.failed.connect(lambda exc: self.dialogs.failure(self, exc))
        self.ops.busy_changed.connect(self._busy)

    # -- frame -------------------------------------------------------------------
    def _build_frame(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(170)
        self.stack = QStackedWidget(self)
        self.loading = QLabel(self.tr("Opening the database…"), self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.nav.currentRowChanged.connect(lambda row: self.stack.setCurrentIndex(row + 1))
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(180)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.demo_badge = QLabel(self.tr("DEMO DATA"), self)
        self.demo_badge.setStyleSheet("color: white; background: #c0392b; padding: 1px 6px; border-radius: 3px;")
        self.demo_badge.hide()
        self.statusBar().addPermanentWidget(self.demo_badge)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.import_action = self._action(file_menu, self.tr("&Import roster…"), self.import_roster, "Ctrl+I")
        self.export_action = self._action(file_menu, self.tr("&Export roster…"), self.export_roster, "Ctrl+E")
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        go = self.menuBar().addMenu(self.tr("&Go"))
        self._action(go, self.tr("Find a client"), self.focus_search, "Ctrl+F")
        for action in (self.import_action, self.export_action):
            action.setEnabled(False)

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def add_page(self, key: str, title: str, page: QWidget) -> None:
        self.pages[key] = page
        self.stack.addWidget(page)
        self.nav.addItem(title)

    def _busy(self, running: int) -> None:
        self.progress.setVisible(running > 0)

    # -- opening the desk --------------------------------------------------------
    def start(self) -> None:
        """Open the database in the background; pages appear when it is ready."""
        self.ops.run(self._open, on_done=self._attach, on_failed=self._open_failed, owner=self)

    def _open(self) -> tuple[Desk, bool]:
        desk = open_desk(self.data.root)
        return desk, self._is_demo(desk)

    @staticmethod
    def _is_demo(desk: Desk) -> bool:
        from agent_desk.store.models import Meta

        with desk.db.session() as session:
            return session.get(Meta, "demo") is not None

    def _open_failed(self, exc: BaseException) -> None:
        self.loading.setText(self.tr("The database could not be opened.") + "\n\n" + str(exc))
        self.dialogs.failure(self, exc)

    def _attach(self, result: tuple[Desk, bool]) -> None:
        self.desk, is_demo = result
        self.demo_badge.setVisible(is_demo)
        clients = ClientListPage(self.ops, self.desk, self)
        self.add_page("clients", self.tr("Clients"), clients)
        self.bus.changed.connect(lambda entities: "client" in entities and clients.refresh())
        cases = CaseBoardPage(self.ops, self.desk, self)
        self.add_page("cases", self.tr("Cases"), cases)
        cases.open_case.connect(self.open_case)
        self.bus.changed.connect(lambda entities: "case" in entities and cases.refresh())
        cases.apply_filter()
        for action in (self.import_action, self.export_action):
            action.setEnabled(True)
        self.nav.setCurrentRow(0)
        clients.apply_search()
        if self.demo:
            self._seed_if_empty()
        self.desk_ready.emit()

    def _seed_if_empty(self) -> None:
        from agent_desk.services.demo_first_run import seed_if_empty

        self.statusBar().showMessage(self.tr("Creating demo data…"))
        assert self.desk is not None
        self.ops.run(lambda progress: seed_if_empty(self.desk, progress),  # type: ignore[arg-type]
                     on_done=self._seeded, on_progress=self._progress, owner=self)  # fmt: skip

    def _seeded(self, seeded: bool) -> None:
        self.statusBar().showMessage(self.tr("Demo data ready") if seeded else "", 5000)
        if seeded:
            self.demo_badge.show()
            self.bus.notify("client", "case")

    def _progress(self, done: int, total: int, text: str) -> None:
        self.statusBar().showMessage(text)

    # -- actions -----------------------------------------------------------------
    def open_case(self, case_id: str) -> CaseDetailView:
        """Each case opens in its own window; opening it again raises the existing one."""
        view = self.case_views.get(case_id)
        if view is None or not shiboken6.isValid(view):
            view = CaseDetailView(self, case_id, actor=self.actor_name())
            view.setWindowFlag(Qt.WindowType.Window)
            view.setParent(self, Qt.WindowType.Window)
            self.case_views[case_id] = view
        view.show()
        view.raise_()
        return view

    def actor_name(self) -> str:
        return self.settings.username or "代办员"

    def focus_search(self) -> None:
        page = self.pages.get("clients")
        if isinstance(page, ClientListPage):
            self.nav.setCurrentRow(list(self.pages).index("clients"))
            page.search.setFocus()
            page.search.selectAll()

    def import_roster(self) -> None:
        from agent_desk.ui.roster_actions import import_roster

        import_roster(self)

    def export_roster(self) -> None:
        from agent_desk.ui.roster_actions import export_roster

        export_roster(self)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.ops.wait(10000)
        if self.desk is not None:
            self.desk.close()
        super().closeEvent(event)


def default_export_name() -> Path:
    from datetime import date

    return Path(f"花名册-{date.today():%Y%m%d}.xlsx")
