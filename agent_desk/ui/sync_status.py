"""The sync state in the status bar: a permanent summary and, when the hub needs a login, a banner.

A sync that finds no valid login never opens a password dialog by itself (one would take the
keystrokes meant for another window); it shows the banner, and the 登录 button asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

if TYPE_CHECKING:
    from agent_desk.sync.views import SyncStatus
    from agent_desk.ui.sync_page import SyncPage

BANNER_STYLE = (
    "QWidget#loginBanner { background: #fff3cd; border: 1px solid #e0b84c; border-radius: 3px; }"
)


class SyncStatusBar(QWidget):
    """Installed in the main window's status bar next to the sync page it reflects."""

    def __init__(self, window: QMainWindow, page: SyncPage) -> None:
        super().__init__(window)
        self.page = page
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = QWidget(self)
        self.banner.setObjectName("loginBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(6, 0, 2, 0)
        self.banner_text = QLabel(self.tr("Sync needs the hub password"), self.banner)
        self.login_button = QPushButton(self.tr("Log in"), self.banner)
        self.login_button.setObjectName("bannerLogin")
        self.login_button.clicked.connect(page.ask_login)
        row.addWidget(self.banner_text)
        row.addWidget(self.login_button)
        self.banner.hide()
        self.summary = QLabel(self)
        self.summary.setObjectName("syncSummary")
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        page.login_needed.connect(self.banner.show)
        page.synced.connect(lambda _report: self.banner.hide())
        page.status_shown.connect(self.show_status)
        window.statusBar().addPermanentWidget(self)

    def show_status(self) -> None:
        status = self.page.status
        if status is None:
            return
        self.summary.setText(self.summary_text(status))
        if status.configured and status.logged_in:
            self.banner.hide()

    def summary_text(self, st: SyncStatus) -> str:
        """待上传 N · 上次同步 时间 · 冲突 N (or that the desk works without a hub)."""
        waiting = str(st.pending + st.inflight)
        if not st.configured:
            return self.tr("Offline · %1 waiting").replace("%1", waiting)
        when = (
            st.last_ok_at.astimezone().strftime("%m-%d %H:%M")
            if st.last_ok_at
            else self.tr("never")
        )
        text = self.tr("%1 waiting · last sync %2 · %3 conflicts")
        return text.replace("%1", waiting).replace("%2", when).replace("%3", str(st.open_conflicts))
