"""The desk's sync API for the UI and the CLI: status, queues, conflicts, login and ``sync_once``.

``sync_once`` runs the phases in order (recover → attachments → one sync round: the first batch of
ops and a short audit slice up, the first page of changes down (rounds.py) → the rest of the pull →
attachments the pull brought → the rest of the push → resolutions → pull again if more was pushed →
publications → the rest of the audit trail). A hub older than the round gets the phases one request
each: pull → attachments → push → resolutions → pull again → publications → audit trail.
It is meant for a background thread:
it reports progress through a callback, stops at the next safe point when cancelled, and raises
only ``SyncError`` subclasses with Chinese messages for problems a person can act on.
"""

from __future__ import annotations

import logging
import platform
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal

import httpx
from sqlalchemy import delete, func, select
from sqlmodel import col

from agent_desk.store.datadir import DataDir
from agent_desk.store.db import Database
from agent_desk.store.models import Meta, utcnow
from agent_desk.store.sync_state import SyncLog, SyncSetAside
from agent_desk.sync import conflicts as conflict_store
from agent_desk.sync import outbox_queue as queue
from agent_desk.sync.attachments import exchange_scans
from agent_desk.sync.audit import audit_state, send_audit_chain
from agent_desk.sync.credentials import TokenStore, account_name
from agent_desk.sync.errors import (
    DeskOutdated,
    HubUnreachable,
    LoginRequired,
    NotConfigured,
    SyncCancelled,
    SyncError,
)
from agent_desk.sync.publications import fetch_publications
from agent_desk.sync.pull import pull_changes, read_cursor
from agent_desk.sync.push import push_outbox
from agent_desk.sync.resolutions import report_resolutions
from agent_desk.sync.rounds import RoundUnavailable, round_ready, sync_round
from agent_desk.sync.run import SyncProgress, SyncReport, SyncRun
from agent_desk.sync.settings import SyncSettings, load_settings, save_settings
from agent_desk.sync.tls import check_hub_url, hub_transport, is_plain_http
from agent_desk.sync.transport import HubClient
from agent_desk.sync.views import (
    ConflictView,
    OpView,
    SetAsideView,
    SyncRunView,
    SyncStatus,
    conflict_view,
    op_view,
    run_view,
    set_aside_view,
)

log = logging.getLogger(__name__)
KEEP_LOGS = 200
LOGGED = ("pushed", "pulled", "conflicts", "quarantined", "bytes_sent", "bytes_received")
DEVICE_KEY = "sync_device_id"
OLD_HUB_RETRY = 3600.0  # seconds before asking a hub without the audit endpoint again
Cancel = threading.Event | Callable[[], bool] | None


def _cancel_check(cancel: Cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


class SyncEngine:
    """One per open desk. Thread-safe for one sync at a time; the query methods may run alongside."""

    def __init__(
        self,
        db: Database,
        data: DataDir,
        *,
        transport: httpx.BaseTransport | None = None,
        batch_size: int = 200,
        page_size: int = 1000,
        sleep: Callable[[float], None] = time.sleep,
        cipher: Any = None,
    ) -> None:
        self.db, self.data, self.transport, self.cipher = db, data, transport, cipher
        self.batch_size, self.page_size, self.sleep = batch_size, page_size, sleep
        self._lock = threading.Lock()
        self._tokens: TokenStore | None = None
        self._settings: tuple[int, SyncSettings] | None = None  # (file mtime_ns, settings)
        self._client: HubClient | None = None  # kept between syncs: the connection is reused
        self._quiet_at: datetime | None = (
            None  # last sync that had nothing to do (not logged: no writes)
        )
        self._audit_paused_until = (
            0.0  # monotonic time; set when the hub does not keep audit chains
        )
        self._rounds_paused_until = 0.0  # monotonic time; set when the hub has no sync round

    # settings and login ---------------------------------------------------------------------
    @property
    def settings(self) -> SyncSettings:
        """Read again only when settings.json changed (a stat, not a parse, per call)."""
        try:
            stamp = self.data.settings_file.stat().st_mtime_ns
        except OSError:
            stamp = -1
        if self._settings is None or self._settings[0] != stamp:
            self._settings = (stamp, load_settings(self.data.settings_file))
        return replace(self._settings[1])

    def configure(self, hub_url: str, username: str, *, device_name: str = "") -> None:
        current = self.settings
        current.hub_url, current.username = hub_url.strip().rstrip("/"), username.strip()
        current.device_name = device_name or current.device_name or platform.node()
        save_settings(self.data.settings_file, current)
        self._tokens = self._settings = None
        self._audit_paused_until = 0.0
        self._drop_client()

    def tokens(self) -> TokenStore:
        s = self.settings
        if self._tokens is None or self._tokens.account != account_name(s.hub_url, s.username):
            self._tokens = TokenStore(s.hub_url, s.username)
        return self._tokens

    def login(self, password: str, new_password: str | None = None) -> None:
        """Exchange the password for a token (kept in the keyring); raises WrongPassword, HubUnreachable …
        (HubRejected ``password_change_required`` after a reset: call again with ``new_password``)."""
        s = self._configured()
        client = HubClient(s.hub_url, transport=self._transport())
        try:
            answer = client.login(
                s.username, password, self._meta(DEVICE_KEY), s.device_name, new_password
            )
        finally:
            client.close()
        self._set_meta(DEVICE_KEY, answer.device_id)
        self.tokens().set(answer.token)

    def logout(self) -> None:
        token = self.tokens().get()
        self.tokens().clear()
        self._drop_client()
        if token:
            client = HubClient(self.settings.hub_url, token=token, transport=self._transport())
            try:
                client.logout()
            except SyncError:
                pass  # offline: the token is forgotten here; an admin can revoke it on the hub
            finally:
                client.close()

    # status for the UI ----------------------------------------------------------------------
    def status(self) -> SyncStatus:
        s = self.settings
        tokens = self.tokens() if s.configured else None
        with self.db.session() as session:
            counts = queue.counts(session)
            last = session.scalars(select(SyncLog).order_by(SyncLog.id.desc()).limit(1)).first()  # type: ignore[union-attr]
            last_ok = session.scalars(
                select(SyncLog)
                .where(col(SyncLog.ok) == True)
                .order_by(col(SyncLog.id).desc())
                .limit(1)
            ).first()
            quiet = self._quiet_at
            audit = audit_state(session)
            last_at = max(
                (x for x in (last.finished_at if last else None, quiet) if x is not None),
                default=None,
            )
            ok_at = max(
                (x for x in (last_ok.finished_at if last_ok else None, quiet) if x is not None),
                default=None,
            )
            return SyncStatus(
                configured=s.configured,
                hub_url=s.hub_url,
                username=s.username,
                logged_in=bool(tokens and tokens.get()),
                keyring_problem=tokens.problem if tokens else None,
                pending=counts["pending"],
                inflight=counts["inflight"],
                quarantined=counts["quarantined"],
                open_conflicts=conflict_store.count_open(session),
                cursor=read_cursor(session),
                running=self._lock.locked(),
                last_sync_at=last_at,
                last_ok_at=ok_at,
                last_error=None if not last or last.ok else last.error,
                audit_unsent=audit.unsent,
                audit_problem=audit.problem,
                set_aside=session.scalar(select(func.count()).select_from(SyncSetAside)) or 0,
                plain_http=s.allow_plain_http and is_plain_http(s.hub_url),
            )

    def pending_ops(self, limit: int = 200) -> list[OpView]:
        return self._ops("pending", limit) + self._ops("inflight", limit)

    def quarantined_ops(self, limit: int = 200) -> list[OpView]:
        return self._ops("quarantined", limit)

    def _ops(self, state: str, limit: int) -> list[OpView]:
        with self.db.session() as session:
            return [op_view(session, e) for e in queue.entries(session, state, limit)]

    def set_aside_changes(self, limit: int = 200) -> list[SetAsideView]:
        """Changes from the hub this desk could not store, newest first."""
        with self.db.session() as session:
            rows = session.scalars(
                select(SyncSetAside).order_by(col(SyncSetAside.id).desc()).limit(limit)
            )
            return [set_aside_view(session, row) for row in rows]

    def retry_quarantined(self, op_ids: list[str] | None = None) -> int:
        """Put quarantined ops (all, or these) back in the queue, e.g. after the cause was fixed."""
        with self.db.session() as session:
            count = queue.requeue_quarantined(session, op_ids)
            session.commit()
        return count

    def conflicts(self, *, include_resolved: bool = False) -> list[ConflictView]:
        with self.db.session() as session:
            found = conflict_store.open_conflicts(session, include_resolved=include_resolved)
            return [conflict_view(session, c) for c in found]

    def resolve_conflict(self, conflict_id: str, choice: Literal["desk", "hub"]) -> None:
        """Keep this desk's value ("desk", sent at the next sync) or the hub's ("hub")."""
        with self.db.session() as session:
            conflict_store.resolve(session, conflict_id, choice)
            session.commit()

    def recent_runs(self, limit: int = 20) -> list[SyncRunView]:
        with self.db.session() as session:
            rows = session.scalars(select(SyncLog).order_by(SyncLog.id.desc()).limit(limit))  # type: ignore[union-attr]
            return [run_view(r) for r in rows]

    # syncing --------------------------------------------------------------------------------
    def sync_once(
        self, *, progress: Callable[[SyncProgress], None] | None = None, cancel: Cancel = None
    ) -> SyncReport:
        """One full sync. Raises SyncError (Chinese message) for problems a user can act on."""
        if not self._lock.acquire(blocking=False):
            raise SyncError("同步正在进行中，请稍候", code="sync_running")
        try:
            return self._sync(progress or (lambda _p: None), _cancel_check(cancel))
        finally:
            self._lock.release()

    def _sync(
        self, progress: Callable[[SyncProgress], None], cancelled: Callable[[], bool]
    ) -> SyncReport:
        s = self._configured()
        token = self.tokens().get()
        if not token:
            raise LoginRequired()
        client = self._hub_client(s.hub_url, token)
        client.counter.sent = client.counter.received = 0
        run = SyncRun(
            self.db,
            self.data,
            client,
            progress,
            cancelled,
            batch_size=self.batch_size,
            page_size=self.page_size,
            sleep=self.sleep,
            cipher=self.cipher,
        )
        started_at, started = utcnow(), time.perf_counter()
        error: SyncError | None = None
        try:
            self._phases(run)
            return run.report
        except LoginRequired:
            self.tokens().clear()
            self._drop_client()
            error = LoginRequired("登录已失效，请重新输入密码。")
            raise error from None
        except SyncError as exc:
            error = exc
            self._drop_client()  # a fresh connection next time
            raise
        except Exception as exc:
            self._drop_client()
            error = SyncError(
                f"同步出错：{type(exc).__name__}，请把日志发给乡镇管理员", code="sync_bug"
            )  # never logged as a success
            raise
        except BaseException:
            self._drop_client()
            raise
        finally:
            run.report.bytes_sent, run.report.bytes_received = (
                client.counter.sent,
                client.counter.received,
            )
            run.report.seconds = time.perf_counter() - started
            self._log(started_at, run.report, error)

    def _hub_client(self, hub_url: str, token: str) -> HubClient:
        if (
            self._client is None
            or self._client.base_url != hub_url.rstrip("/")
            or self._client.token != token
        ):
            self._drop_client()
            self._client = HubClient(hub_url, token=token, transport=self._transport())
        return self._client

    def _transport(self) -> httpx.BaseTransport | None:
        """The injected one (tests, bench), else one trusting the imported hub certificate, if any."""
        return self.transport or hub_transport(self.data)

    def _drop_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def close(self) -> None:
        """Close the kept connection to the hub (the engine stays usable)."""
        self._drop_client()

    def _phases(self, run: SyncRun) -> None:
        with self.db.session() as session:
            if queue.recover_inflight(session):
                session.commit()
        if time.monotonic() >= self._rounds_paused_until and round_ready(run):
            exchange_scans(run)  # before the round: the hub accepts a document only with its scan
            try:
                audit_refused = sync_round(run)
            except RoundUnavailable as exc:
                if exc.older_hub:
                    self._rounds_paused_until = time.monotonic() + OLD_HUB_RETRY
            else:
                self._after_round(run, audit_refused)
                return
        self._one_request_each(run)

    def _after_round(self, run: SyncRun, audit_refused: bool) -> None:
        """What did not fit in the round: each step below makes a request only when it has work."""
        if run.report.pulled:
            exchange_scans(run)  # scans of the client documents the page brought
        pushed = run.report.pushed
        push_outbox(run)
        report_resolutions(run)
        if run.report.pushed > pushed:
            pull_changes(run)
        fetch_publications(run)
        if audit_refused:
            self._audit_paused_until = 0.0  # the hub keeps chains: send_audit_chain records why
        self._send_audit(run)
        self._done(run)

    def _one_request_each(self, run: SyncRun) -> None:
        """The phases as a hub without ``POST /sync/round`` takes them (and as a refused round's
        fallback: a poison op is isolated by push.py)."""
        try:
            pull_changes(run)
        except (LoginRequired, HubUnreachable, DeskOutdated, SyncCancelled):
            raise  # an outdated or cancelled desk sends nothing either: the hub refuses it until it is updated
        except SyncError as exc:  # the download failed: this desk's own changes still go up
            log.warning("pull failed, pushing anyway: %s", exc)
            exchange_scans(run)
            push_outbox(run)
            raise
        exchange_scans(
            run
        )  # before the push: the hub accepts a document only with a scan it was given
        push_outbox(run)
        report_resolutions(run)
        if run.report.pushed:
            pull_changes(run)
        fetch_publications(run)
        self._send_audit(run)
        self._done(run)

    def _done(self, run: SyncRun) -> None:
        run.tick(
            "done",
            1,
            1,
            "同步完成：" + run.report.summary_zh(),
            "Synced: " + run.report.summary_en(),
        )

    def _send_audit(self, run: SyncRun) -> None:
        """Last, so the entries this run's own writes added go with it; a hub without the endpoint is
        not asked again for an hour (its 404 would otherwise cost a request at every sync)."""
        if time.monotonic() < self._audit_paused_until:
            return
        if not send_audit_chain(run):
            self._audit_paused_until = time.monotonic() + OLD_HUB_RETRY

    def run_forever(
        self,
        stop: threading.Event,
        *,
        on_report: Callable[[SyncReport | SyncError], None] | None = None,
    ) -> None:
        """Sync on a timer; after a failure retry sooner (backoff) so a returning connection is used soon."""
        failures = 0
        while not stop.is_set():
            try:
                outcome: SyncReport | SyncError = self.sync_once(cancel=stop)
                failures = 0
            except LoginRequired:
                raise
            except SyncError as exc:
                outcome, failures = exc, failures + 1
            if on_report:
                on_report(outcome)
            interval = self.settings.interval_seconds
            stop.wait(min(interval, 15 * 2**failures) if failures else interval)

    # helpers -------------------------------------------------------------------------------
    def _configured(self) -> SyncSettings:
        s = self.settings
        if not s.configured:
            raise NotConfigured()
        check_hub_url(s.hub_url, allow_plain_http=s.allow_plain_http)
        return s

    def _meta(self, key: str) -> str | None:
        with self.db.session() as session:
            meta = session.get(Meta, key)
            return meta.value if meta else None

    def _set_meta(self, key: str, value: str) -> None:
        with self.db.session() as session:
            session.merge(Meta(key=key, value=value))
            session.commit()

    def _log(self, started_at: datetime, report: SyncReport, error: SyncError | None) -> None:
        """One row per run, written once at its end; a run with nothing to do after a good one writes nothing."""
        quiet = error is None and not (
            report.pushed
            or report.pulled
            or report.conflicts
            or report.quarantined
            or report.uploaded
            or report.publications
        )
        with self.db.session() as session:
            if quiet:
                last_ok = session.scalars(
                    select(col(SyncLog.ok)).order_by(col(SyncLog.id).desc()).limit(1)
                ).first()
                if last_ok:
                    self._quiet_at = utcnow()
                    return
            session.add(
                SyncLog(
                    started_at=started_at,
                    finished_at=utcnow(),
                    ok=error is None,
                    error=error.bilingual() if error else None,
                    **{name: getattr(report, name) for name in LOGGED},
                )
            )
            session.flush()
            old = select(col(SyncLog.id)).order_by(col(SyncLog.id).desc()).offset(KEEP_LOGS)
            session.execute(delete(SyncLog).where(col(SyncLog.id).in_(old.scalar_subquery())))
            session.commit()
