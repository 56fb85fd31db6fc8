"""Pull phase: fetch pages of changes since the cursor and apply each page with its cursor in one commit.

A crash between pages loses nothing: the cursor only moves together with the rows it covers.
"""

from __future__ import annotations

from sqlmodel import Session

from agent_desk.store.models import Meta
from agent_desk.sync.apply import PageApplier, lenient_session
from agent_desk.sync.left_scope import read_waiting, settle
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import with_retry

CURSOR_KEY = "sync_cursor"


def read_cursor(session: Session) -> int:
    meta = session.get(Meta, CURSOR_KEY)
    return int(meta.value) if meta else 0


def write_cursor(session: Session, cursor: int) -> None:
    meta = session.get(Meta, CURSOR_KEY) or Meta(key=CURSOR_KEY, value="0")
    meta.value = str(cursor)
    session.add(meta)


def pull_changes(run: SyncRun) -> None:
    with run.db.session() as session:
        cursor = read_cursor(session)
        waiting = bool(read_waiting(session))
    if waiting:
        _settle_waiting(run)
    while True:
        run.check_cancel()
        page = with_retry(
            lambda c=cursor: run.client.pull(c, run.page_size),  # type: ignore[misc]
            cancelled=run.cancelled,
            sleep=run.sleep,
        )
        if page.publications is not None:
            run.publications = page.publications
        applied = 0
        if page.changes or page.more:
            with lenient_session(run.db.engine) as session:
                applier = PageApplier(session, actor=run.db.actor)
                applied = applier.apply(page.changes)
                write_cursor(session, page.cursor)
                session.commit()
            run.report.left_scope += applier.removed
        # An empty last page writes nothing: the old cursor stays valid (pulling from it again costs the
        # same index scan), so a sync with nothing to do leaves the desk's database untouched.
        run.report.pulled += applied
        cursor = page.cursor
        run.tick(
            "pull",
            run.report.pulled,
            None,
            f"已下载 {run.report.pulled} 条更新",
            f"{run.report.pulled} updates received",
        )
        if not page.more:
            return


def _settle_waiting(run: SyncRun) -> None:
    """Records that left scope but were kept (a local change still to push, a case still holding its
    client): dropped now if nothing keeps them any more."""
    with lenient_session(run.db.engine) as session:
        removed = settle(session, [], actor=run.db.actor)
        session.commit()
    run.report.pulled += removed
    run.report.left_scope += removed
