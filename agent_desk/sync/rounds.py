"""A sync in one request: the first batch of ops, a short audit slice and the cursor go up together
(``POST /sync/round``); the results and the first page of changes read after them come back.

The phases stay what they were (push.py settles the results, pull.py applies the page and any
further pages, audit.py acknowledges the slice); this only saves the three round trips a steady
sync used to make — pull, push, pull again, audit append — which on a village link are most of a
sync's time, and on a county hub with hundreds of desks at nine o'clock most of its work.

A hub without the endpoint (older than this desk) answers 404: the engine goes back to one request
per phase for an hour. A round the hub refuses as a whole (a 4xx or a 5xx after the retries) is
given up without a trace — its ops go back to pending — and the phases run one request each, where
a single poison op is found and set aside alone (push.py).
"""

from __future__ import annotations

import logging

from sqlmodel import col, select

from agent_desk.store.models import Village
from agent_desk.sync import audit
from agent_desk.sync import outbox_queue as queue
from agent_desk.sync.errors import HubFailed, HubRejected
from agent_desk.sync.pull import pull_changes, read_cursor
from agent_desk.sync.push import release, settle
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import with_retry

log = logging.getLogger(__name__)


class RoundUnavailable(Exception):
    """The hub did not take the round; ``older_hub`` when it has no such endpoint at all."""

    def __init__(self, older_hub: bool) -> None:
        super().__init__("older hub" if older_hub else "round refused")
        self.older_hub = older_hub


def round_ready(run: SyncRun) -> bool:
    """A round pushes before it pulls. That is the order of a steady sync, not of a desk's first one:
    a desk that has never pulled, or holds a village it set up offline, must first hear what the
    hub holds (its village of the same code, merge.py) before its records can go up."""
    with run.db.session() as session:
        if read_cursor(session) == 0:
            return False
        offline = session.scalar(select(col(Village.id)).where(col(Village.version) == 0).limit(1))
    return offline is None


def sync_round(run: SyncRun) -> bool:
    """One round trip; True when the hub refused the audit slice (``send_audit_chain`` then sends it
    again and records why, as it does for a slice of its own). Raises RoundUnavailable."""
    with run.db.session() as session:
        cursor = read_cursor(session)
        batch = queue.claim_batch(session, run.batch_size, [])
        session.commit()
    entries = audit.round_slice(run)
    if batch:
        run.tick(
            "push", 0, None, f"正在上传 {len(batch)} 条修改…", f"Sending {len(batch)} changes…"
        )
    try:
        answer = with_retry(
            lambda: run.client.round(
                cursor, run.page_size, [queue.as_wire(e) for e in batch], entries
            ),
            cancelled=run.cancelled,
            sleep=run.sleep,
        )
    except (HubFailed, HubRejected) as exc:
        if batch:
            release(run, batch, "", count_attempt=False)
        older = isinstance(exc, HubRejected) and exc.status in (404, 405)
        log.info("sync round not taken (%s): one request per phase", exc)
        raise RoundUnavailable(older) from None
    except BaseException as exc:
        if batch:
            release(run, batch, str(exc), count_attempt=False)
        raise
    if batch:
        settle(run, batch, answer.results)
    if entries and answer.audit is not None:
        audit.round_answered(run, entries, answer.audit)
    pull_changes(run, first=answer.page)
    return answer.audit_refused is not None
