"""同步: the hub connection, a visible status, background sync on demand and on a timer, conflicts.

Sync runs off the UI thread. The timer also notices when the hub becomes reachable again: after a
failure it retries sooner (backing off to the normal interval), so a desk that was offline
catches up by itself. Conflicts show both values side by side with a choice.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_desk.sync.engine import SyncEngine
from agent_desk.sync.errors import LoginRequired, SyncCancelled, SyncError
from agent_desk.ui.changes import Change, from_tables
from agent_desk.ui.labels import entity_label, field_label
from agent_desk.ui.messages import LANGUAGE, in_ui_language, user_text
from agent_desk.ui.widgets import read_only_table

if TYPE_CHECKING:
    from agent_desk.sync.views import ConflictView, OpView, SetAsideView, SyncStatus
    from agent_desk.ui.context import DeskContext

RETRY_SECONDS = (15, 30, 60, 120)  # after a failure, before falling back to the normal interval


class SyncPage(QWidget):
    synced = Signal(object)  # the SyncReport
    status_shown = Signal()
    login_needed = (
        Signal()
    )  # a sync found no valid login: the status bar shows 登录 (ui/sync_status)

    def __init__(self, ctx: DeskContext, engine: SyncEngine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.engine = ctx, engine
        self.running = False
        self._job_finish: Any = lambda: None
        self.failures = 0
        self.status: SyncStatus | None = None
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.sync_now)
        self._build()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.facts = QFormLayout()
        box = QGroupBox(self.tr("Township hub"), self)
        box.setLayout(self.facts)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.sync_button = self._button(self.tr("Sync &now"), self.sync_now)
        self.login_button = self._button(self.tr("&Log in…"), self.ask_login)
        self.setup_button = self._button(self.tr("Hub &address…"), self.ask_hub)
        self.retry_button = self._button(
            self.tr("&Retry set-aside changes"), self.retry_quarantined
        )
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.login_button, self.setup_button, self.retry_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.quarantine = self._table(
            [
                self.tr("Record"),
                self.tr("Change"),
                self.tr("Attempts"),
                self.tr("Why it was set aside"),
            ]
        )
        self.conflicts = self._table(
            [
                self.tr("Record"),
                self.tr("Field"),
                self.tr("Value on this desk"),
                self.tr("Value on the hub"),
                "",
            ]
        )
        self.incoming = self._table(
            [self.tr("Record"), self.tr("Why this desk could not store it"), self.tr("When")]
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        # the facts beside one tab per list: stacked, each list showed one row on a 1366×768 screen
        lists = QTabWidget(self)
        lists.setObjectName("syncLists")
        for title, why, table in (  # short titles fit 1366×768; the tooltip says what each holds
            (
                self.tr("Conflicts"),
                self.tr("Conflicts: the same field changed here and on the hub"),
                self.conflicts,
            ),
            (
                self.tr("Set aside"),
                self.tr("Changes set aside (they never block the others)"),
                self.quarantine,
            ),
            (
                self.tr("Not stored"),
                self.tr("Changes from the hub this desk could not store (the rest applied)"),
                self.incoming,
            ),
        ):
            lists.setTabToolTip(lists.addTab(table, title), why)
        body = QHBoxLayout()
        body.addWidget(box, 2)
        body.addWidget(lists, 3)
        layout.addLayout(body, 1)

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    def _table(self, headers: list[str]) -> QTableWidget:
        return read_only_table(self, headers)

    # -- status --------------------------------------------------------------------------------
    def refresh(self) -> None:
        engine, desk = self.engine, self.ctx.desk

        def work() -> tuple[
            SyncStatus, list[OpView], list[ConflictView], list[SetAsideView], list[str]
        ]:
            return (
                engine.status(),
                engine.quarantined_ops(),
                engine.conflicts(),
                engine.set_aside_changes(),
                _publications(desk),
            )

        self.ctx.ops.run(work, on_done=self._show, owner=self)

    def _show(
        self,
        result: tuple[SyncStatus, list[OpView], list[ConflictView], list[SetAsideView], list[str]],
    ) -> None:
        self.status, quarantined, conflicts, incoming, self.publications = result
        self._fill_incoming(incoming)
        self._show_facts(self.status)
        self._fill_quarantine(quarantined)
        self._fill_conflicts(conflicts)
        self.login_button.setVisible(self.status.configured and not self.status.logged_in)
        self.retry_button.setEnabled(bool(quarantined))
        self.status_shown.emit()

    def _show_facts(self, st: SyncStatus) -> None:
        while self.facts.rowCount():
            self.facts.removeRow(0)

        def when(moment: Any) -> str:
            return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else self.tr("never")

        rows = [
            (self.tr("Hub"), st.hub_url or self.tr("not set — working offline")),
            (self.tr("User"), st.username or "-"),
            (self.tr("Logged in"), self.tr("yes") if st.logged_in else self.tr("no")),
            (self.tr("Last sync"), when(st.last_sync_at)),
            (self.tr("Last successful sync"), when(st.last_ok_at)),
            (self.tr("Changes waiting to be sent"), str(st.pending + st.inflight)),
            (self.tr("Set aside"), str(st.quarantined)),
            (self.tr("Open conflicts"), str(st.open_conflicts)),
            (self.tr("From the hub, not stored"), str(st.set_aside)),
            (self.tr("Audit entries not yet on the hub"), str(st.audit_unsent)),
        ]
        if st.plain_http:
            rows.append(
                (
                    self.tr("Connection"),
                    self.tr(
                        "NOT ENCRYPTED: the administrator allowed plain http for this hub; "
                        "passwords and clients' data can be read on the network. Use https."
                    ),
                )
            )
        if st.audit_problem:
            rows.append((self.tr("Audit trail"), in_ui_language(st.audit_problem)))
        if st.last_error:
            rows.append((self.tr("Last problem"), in_ui_language(st.last_error)))
        if st.keyring_problem:
            rows.append(
                (self.tr("Password"), self.tr("Not kept on this PC: asked once each session"))
            )
        rows += [
            (self.tr("Published by the county"), text) for text in getattr(self, "publications", [])
        ]
        for label, value in rows:
            text = QLabel(value, self)
            text.setWordWrap(True)
            self.facts.addRow(label, text)

    def _fill_quarantine(self, ops: list[OpView]) -> None:
        self.quarantine.setRowCount(len(ops))
        for r, op in enumerate(ops):
            shown = (
                op.label,
                entity_label(op.entity),
                str(op.attempts),
                in_ui_language(op.last_error or ""),
            )
            for c, value in enumerate(shown):
                self.quarantine.setItem(r, c, QTableWidgetItem(value))

    def _fill_incoming(self, rows: list[SetAsideView]) -> None:
        self.incoming.setRowCount(len(rows))
        for r, row in enumerate(rows):
            when = (
                (row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC))
                .astimezone()
                .strftime("%Y-%m-%d %H:%M")
            )
            for c, value in enumerate((row.label, in_ui_language(row.reason), when)):
                self.incoming.setItem(r, c, QTableWidgetItem(value))

    def _fill_conflicts(self, conflicts: list[ConflictView]) -> None:
        self.conflicts.setRowCount(len(conflicts))
        for r, conflict in enumerate(conflicts):
            field = field_label(conflict.field)
            values = (conflict.label, field, _text(conflict.local_value), _text(conflict.hub_value))
            for c, value in enumerate(values):
                self.conflicts.setItem(r, c, QTableWidgetItem(value))
            self.conflicts.setCellWidget(r, 4, self._choice(conflict.id))
        self.conflicts.resizeColumnsToContents()

    def _choice(self, conflict_id: str) -> QWidget:
        cell = QWidget(self.conflicts)
        row = QHBoxLayout(cell)
        row.setContentsMargins(0, 0, 0, 0)
        for text, choice in (
            (self.tr("Keep this desk's"), "desk"),
            (self.tr("Take the hub's"), "hub"),
        ):
            button = QPushButton(text, cell)
            button.setObjectName(f"resolve_{choice}_{conflict_id}")
            button.clicked.connect(lambda _c=False, ch=choice: self.resolve(conflict_id, ch))
            row.addWidget(button)
        return cell

    # -- actions -------------------------------------------------------------------------------
    def resolve(self, conflict_id: str, choice: str) -> None:
        engine = self.engine
        self.ctx.track(
            lambda: engine.resolve_conflict(conflict_id, choice),  # type: ignore[arg-type]
            owner=self,
            on_done=lambda _r: self.refresh(),
            on_failed=lambda _e: self.refresh(),
        )

    def retry_quarantined(self) -> None:
        engine = self.engine
        self.ctx.track(
            engine.retry_quarantined,
            owner=self,
            on_done=lambda _n: self.sync_now(),
            on_failed=lambda _e: self.refresh(),
        )

    def ask_hub(self) -> None:
        current = self.engine.settings
        answer = self.ctx.dialogs.ask_hub(self, current.hub_url, current.username)
        if answer is None:
            return
        hub_url, username = answer
        engine = self.engine
        self.ctx.ops.run(
            lambda: engine.configure(hub_url, username),
            on_done=lambda _r: self.ask_login(),
            on_failed=self._failed,
            owner=self,
        )

    def ask_login(self) -> None:
        password = self.ctx.dialogs.ask_hub_password(
            self,
            self.tr("Log in to the township hub"),
            self.tr("Password of %1").replace("%1", self.engine.settings.username),
        )
        if not password:
            return
        self._log_in(password)

    def _log_in(self, password: str, new_password: str | None = None) -> None:
        engine = self.engine
        self.ctx.ops.run(
            lambda: engine.login(password, new_password),
            on_done=lambda _r: self.sync_now(),
            on_failed=lambda exc: self._login_failed(exc, password, new_password),
            owner=self,
        )

    def _login_failed(self, exc: BaseException, password: str, tried: str | None) -> None:
        """After an administrator's reset the hub wants a new password: asked here, set with the
        same login (a weak one is refused by the hub with its reason, and asked again)."""
        code = getattr(exc, "code", "")
        if code not in ("password_change_required", "weak_password") or (
            code == "weak_password" and tried is None
        ):
            self._failed(exc)
            return
        new = self.ctx.dialogs.ask_new_hub_password(self, user_text(exc))
        if new:
            self._log_in(password, new)
        else:
            self.refresh()

    def sync_now(self) -> None:
        """Run one sync in the background; a second request while one runs is ignored."""
        self.timer.stop()
        if self.running or not self.engine.settings.configured:
            self.refresh()
            return
        self.running = True
        self.progress.setRange(0, 0)
        self.progress.show()
        self.sync_button.setEnabled(False)
        engine, lang = self.engine, LANGUAGE["ui"]
        job = self.ctx.nav.start_job(
            self.tr("Syncing")
        )  # 取消 stops at the engine's next safe point
        self._job_finish = job.finish
        # not ctx.track: an offline hub is normal here and must not open a dialog (see _sync_failed)
        self.ctx.ops.run(
            lambda progress: _tracked(
                lambda: engine.sync_once(
                    progress=lambda p: progress(p.done, p.total or 0, p.text(lang)),
                    cancel=job.event,
                )
            ),
            on_done=self._synced,
            on_failed=self._sync_failed,
            on_progress=lambda done, total, text: (
                job.step(done, total, text),
                self._tick(done, total, text),
            ),
            owner=self,
        )

    def _tick(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(message)
        self.ctx.nav.show_status(message)

    def _synced(self, outcome: tuple[Any, Change]) -> None:
        report, changes = outcome
        self._finished()
        self.failures = 0
        self.ctx.nav.show_status(report.summary(LANGUAGE["ui"]), 8000)
        self.ctx.bus.emit_changes(
            changes | Change.SYNC | (Change.CATALOG if report.publications else Change.NONE)
        )
        if report.publications:
            self.ctx.nav.publications_changed()
        self.synced.emit(report)
        self._schedule(self.engine.settings.interval_seconds)

    def _sync_failed(self, exc: BaseException) -> None:
        self._finished()
        if isinstance(exc, SyncCancelled):  # the agent said stop: no quick retry either
            self.ctx.nav.show_status(user_text(exc), 8000)
            self._schedule(self.engine.settings.interval_seconds)
            return
        self.failures += 1
        if isinstance(exc, LoginRequired):
            self.login_needed.emit()  # never a dialog the agent did not ask for
        elif isinstance(exc, SyncError):
            self.ctx.nav.show_status(user_text(exc), 8000)  # offline is normal: no dialog
        else:
            self.ctx.dialogs.failure(self, exc)
        self._schedule(RETRY_SECONDS[min(self.failures, len(RETRY_SECONDS)) - 1])

    def _finished(self) -> None:
        self._job_finish()
        self.running = False
        self.progress.hide()
        self.sync_button.setEnabled(True)
        self.refresh()

    def _schedule(self, seconds: int) -> None:
        if self.engine.settings.auto_sync:
            self.timer.start(max(5, seconds) * 1000)

    def _failed(self, exc: BaseException) -> None:
        self.ctx.dialogs.failure(self, exc)
        self.refresh()

    def start(self) -> None:
        """Show the status and, when a hub is configured, sync shortly after start-up."""
        self.refresh()
        if self.engine.settings.configured:
            self._schedule(5)


def _tracked(sync: Any) -> tuple[Any, Change]:
    """The sync's report and the change flags of what it wrote (pulled records, conflicts…)."""
    from agent_desk.store.changes import track_changes

    with track_changes() as tables:
        report = sync()
    return report, from_tables(tables)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _publications(desk: Any) -> list[str]:
    """One line per kind the hub published: the version in use, or why a new one was refused."""
    from agent_desk.services.publications import publication_status

    if desk is None:
        return []
    with desk.db.session() as session:
        return [
            status.text(LANGUAGE["ui"])
            for status in publication_status(session)
            if status.fetched or status.error
        ]
