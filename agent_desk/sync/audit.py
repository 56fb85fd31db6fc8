"""Audit phase: the desk's hash-chained audit trail goes to the hub — the entries it does not hold yet, in pages.

The desk remembers the last seq the hub acknowledged (Meta ``sync_audit_acked``), so a sync with
nothing new costs one local lookup and no request. A chain the hub refuses (an entry edited,
removed or forked) does not fail the sync: the hub records the break for its admin, the refusal is
kept with the trail's tip it concerned (Meta ``sync_audit_problem``) for the 同步 page, and it is
tried again only once the trail has grown. A hub older than this phase answers 404: left alone.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlmodel import Session

from agent_desk.protocol import AuditAppendResponse
from agent_desk.store.audit import entries, tip_seq
from agent_desk.store.models import Meta
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import with_retry

ACKED_KEY = "sync_audit_acked"
PROBLEM_KEY = "sync_audit_problem"
PAGE = 500
ROUND_ENTRIES = 100  # at most this many ride in a sync round; more go in pages of their own
PAGE_BYTES = (
    1_000_000  # well under the hub's 5 MB request limit, even with large bulk-change entries
)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditState:
    acked: int  # the last seq the hub said it holds
    tip: int  # the newest local entry
    problem: str | None  # why the hub refused the chain, until a slice is accepted again
    problem_tip: int | None  # the tip when it was refused: no retry until the trail grows

    @property
    def unsent(self) -> int:
        return max(0, self.tip - self.acked)


def audit_state(session: Session) -> AuditState:
    acked = session.get(Meta, ACKED_KEY)
    problem = session.get(Meta, PROBLEM_KEY)
    refused: dict[str, Any] = json.loads(problem.value) if problem else {}
    return AuditState(
        int(acked.value) if acked else 0,
        tip_seq(session.connection()),
        refused.get("message"),
        refused.get("tip"),
    )


def send_audit_chain(run: SyncRun) -> bool:
    """Send what the hub lacks; False when the hub has no such endpoint (an older hub)."""
    with run.db.session() as session:
        state = audit_state(session)
    if state.tip <= state.acked or state.problem_tip == state.tip:
        return True
    acked, gap_seen = state.acked, False
    while acked < state.tip:
        run.check_cancel()
        page = _page(run, acked)
        if not page:
            return True
        run.tick(
            "audit",
            acked,
            state.tip,
            f"正在上传审计记录（{len(page)} 条）…",
            f"Sending audit records ({len(page)})…",
        )
        try:
            answer = with_retry(
                lambda p=page: run.client.audit_append(p),  # type: ignore[misc]
                cancelled=run.cancelled,
                sleep=run.sleep,
            )
        except HubRejected as exc:
            held = exc.facts.get("held_seq")
            if exc.status == 404:
                log.info("the hub does not keep audit chains (404); not sent")
                return False
            if (
                exc.code == "audit_gap"
                and not gap_seen
                and isinstance(held, int)
                and 0 <= held < acked
            ):
                acked, gap_seen = (
                    held,
                    True,
                )  # the hub's copy ends earlier (restored hub, new device): resend
                continue
            _refused(run, state.tip, str(exc))
            return True
        acked = page[-1]["seq"]
        _acknowledge(run, acked)
        run.report.audit_sent += answer.stored
    return True


def round_slice(run: SyncRun) -> list[dict[str, Any]]:
    """The entries to carry in this sync's round (``POST /sync/round``): the next page when it is
    due and small; a long backlog or a refused chain goes by ``send_audit_chain`` afterwards."""
    with run.db.session() as session:
        state = audit_state(session)
    if state.tip <= state.acked or state.problem is not None or state.unsent > ROUND_ENTRIES:
        return []
    return _page(run, state.acked)


def round_answered(run: SyncRun, sent: list[dict[str, Any]], answer: AuditAppendResponse) -> None:
    """The hub stored the round's slice: acknowledged as ``send_audit_chain`` would."""
    _acknowledge(run, sent[-1]["seq"])
    run.report.audit_sent += answer.stored


def _page(run: SyncRun, after: int) -> list[dict[str, Any]]:
    """Up to PAGE entries past ``after``, fewer when they would make a request over PAGE_BYTES."""
    page: list[dict[str, Any]] = []
    size = 0
    with run.db.engine.connect() as conn:
        for entry in islice(entries(conn, PAGE, after=after), PAGE):
            size += len(json.dumps(entry, ensure_ascii=False).encode())
            if page and size > PAGE_BYTES:
                break
            page.append(entry)
    return page


def _acknowledge(run: SyncRun, seq: int) -> None:
    with run.db.session() as session:
        session.merge(Meta(key=ACKED_KEY, value=str(seq)))
        problem = session.get(Meta, PROBLEM_KEY)
        if problem is not None:
            session.delete(problem)
        session.commit()


def _refused(run: SyncRun, tip: int, why: str) -> None:
    message = f"乡镇服务器拒收了本机的审计记录，其他数据照常同步。{why}"
    with run.db.session() as session:
        session.merge(
            Meta(
                key=PROBLEM_KEY,
                value=json.dumps({"message": message, "tip": tip}, ensure_ascii=False),
            )
        )
        session.commit()
    run.report.audit_problem = message
