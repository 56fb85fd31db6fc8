"""Pull phase: fetch pages of changes since the cursor and apply them, each commit holding its cursor.

A crash between commits loses nothing: the cursor only moves together with the rows it covers.
Pages are applied in one transaction until about a second has passed (other writers wait at most
that long), with a big page cache, while the next page is already being fetched. A desk's first
pull defers its secondary indexes and search keys to the end (initial_pull.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlmodel import Session

from agent_desk.protocol import PullResponse
from agent_desk.store.db import CACHE_KIB
from agent_desk.store.models import Meta
from agent_desk.sync import initial_pull
from agent_desk.sync.apply import PageApplier, lenient_session
from agent_desk.sync.errors import SyncCancelled, SyncError
from agent_desk.sync.left_scope import read_waiting, settle
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import with_retry

log = logging.getLogger(__name__)
CURSOR_KEY = "sync_cursor"
COMMIT_SECONDS = 1.0
PULL_CACHE_KIB = 256 * 1024  # for the pull's one connection; the normal 8 MB is sized for browsing


def read_cursor(session: Session) -> int:
    meta = session.get(Meta, CURSOR_KEY)
    return int(meta.value) if meta else 0


def write_cursor(session: Session, cursor: int) -> None:
    meta = session.get(Meta, CURSOR_KEY) or Meta(key=CURSOR_KEY, value="0")
    meta.value = str(cursor)
    session.add(meta)


@dataclass
class PullProgress:
    """Records received and, once the hub has said where its sequence ends, the records and time
    still to come, estimated from how far through the sequence the cursor is."""

    start: int
    clock: Callable[[], float] = time.monotonic
    began: float = field(default=0.0)
    total: int | None = None
    seconds_left: float | None = None

    def __post_init__(self) -> None:
        self.began = self.clock()

    def update(self, done: int, cursor: int, head: int | None, more: bool) -> None:
        if not more:
            self.total, self.seconds_left = done, 0.0
            return
        if head is None or head <= self.start or cursor <= self.start or done <= 0:
            return
        share = min(1.0, (cursor - self.start) / (head - self.start))
        self.total = max(done, round(done / share))
        self.seconds_left = (self.clock() - self.began) * (1 - share) / share

    def message(self, done: int) -> tuple[str, str]:
        if self.total is None or self.seconds_left is None or self.total <= done:
            return f"已下载 {done:,} 条更新", f"{done:,} updates received"
        zh, en = _duration(self.seconds_left)
        return (
            f"已下载 {done:,} / 约 {self.total:,} 条更新，预计还需 {zh}",
            f"{done:,} of about {self.total:,} updates received, about {en} left",
        )


def _duration(seconds: float) -> tuple[str, str]:
    whole = max(1, round(seconds))
    if whole < 60:
        return f"{whole} 秒", f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes} 分钟", f"{minutes} min"
    return f"{minutes // 60} 小时 {minutes % 60} 分钟", f"{minutes // 60} h {minutes % 60} min"


def pull_changes(run: SyncRun, first: PullResponse | None = None) -> None:
    """Pull from the stored cursor; ``first`` is its first page when the hub already sent it (the
    answer of a sync round, asked for with that same cursor)."""
    with run.db.session() as session:
        cursor = read_cursor(session)
        waiting = bool(read_waiting(session))
    if waiting:
        _settle_waiting(run)
    with _prefetcher(run, first) as fetch, _pull_session(run) as session:
        try:
            _pull_pages(run, session, fetch, cursor)
        except BaseException:
            try:  # the desk the user goes on with should have its indexes, even after a cut pull
                _finish_initial(run, session)
            except Exception:  # the pull's own error is the one to report; the next pull retries
                log.warning("deferred indexes not built after a failed pull", exc_info=True)
            raise
        _finish_initial(run, session)


def _pull_pages(
    run: SyncRun, session: Session, fetch: Callable[[int], Future[PullResponse]], cursor: int
) -> None:
    progress = PullProgress(cursor)
    defer = initial_pull.deferred(session)
    keys: dict[str, set[str]] = {}
    received, committed, pending = 0, time.monotonic(), fetch(cursor)
    while True:
        if run.cancelled():
            session.commit()  # what was applied stays, with its cursor
            raise SyncCancelled()
        try:
            page = pending.result()
        except SyncError:
            session.commit()  # the hub went away: the pages stored so far stay, with their cursor
            raise
        if page.more:
            pending = fetch(page.cursor)  # the hub works on the next page while this one is stored
        if page.publications is not None:
            run.publications = page.publications
        if page.changes or page.more:
            if cursor == 0 and page.more and not defer:
                initial_pull.defer_indexes(session)
                defer = True
            applier = PageApplier(session, actor=run.db.actor, defer_keys=defer, key_cache=keys)
            run.report.pulled += applier.apply(page.changes)
            write_cursor(session, page.cursor)
            run.report.left_scope += applier.removed
            if not page.more or time.monotonic() - committed >= COMMIT_SECONDS:
                session.commit()
                committed = time.monotonic()
        # An empty last page writes nothing: the old cursor stays valid (pulling from it again costs the
        # same index scan), so a sync with nothing to do leaves the desk's database untouched.
        cursor, received = page.cursor, received + len(page.changes)
        progress.update(received, cursor, page.head, page.more)
        zh, en = progress.message(received)
        run.tick("pull", received, progress.total, zh, en)
        if not page.more:
            return


def _finish_initial(run: SyncRun, session: Session) -> None:
    """After the first pull (or its interruption): build what was deferred, so the desk the user
    works with has its indexes and finds every client."""
    session.rollback()  # anything not committed (a failed page) goes: its cursor went with it
    if not initial_pull.deferred(session):
        return
    note = lambda done, total: run.tick(  # noqa: E731
        "index", done, total, "正在整理本机数据，以便查询", "Preparing the desk's data for search"
    )
    note(0, 1)
    initial_pull.finish(session, note)
    session.commit()


@contextmanager
def _pull_session(run: SyncRun) -> Iterator[Session]:
    with lenient_session(run.db.engine) as session:
        connection = session.connection()
        connection.exec_driver_sql(f"PRAGMA cache_size=-{PULL_CACHE_KIB}")
        try:
            yield session
        finally:
            session.rollback()
            session.connection().exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")


@contextmanager
def _prefetcher(
    run: SyncRun, first: PullResponse | None
) -> Iterator[Callable[[int], Future[PullResponse]]]:
    """Pages fetched on a worker thread, one ahead; its last request ends before this returns.
    The first call answers ``first`` when given, without a request."""

    def one(cursor: int) -> PullResponse:
        return with_retry(
            lambda: run.client.pull(cursor, run.page_size),
            cancelled=run.cancelled,
            sleep=run.sleep,
        )

    given = [first] if first is not None else []

    def fetch(cursor: int) -> Future[PullResponse]:
        if given:
            done: Future[PullResponse] = Future()
            done.set_result(given.pop())
            return done
        return pool.submit(one, cursor)

    with ThreadPoolExecutor(1, thread_name_prefix="pull") as pool:
        yield fetch


def _settle_waiting(run: SyncRun) -> None:
    """Records that left scope but were kept (a local change still to push, a case still holding its
    client): dropped now if nothing keeps them any more."""
    with lenient_session(run.db.engine) as session:
        removed = settle(session, [], actor=run.db.actor)
        session.commit()
    run.report.pulled += removed
    run.report.left_scope += removed
