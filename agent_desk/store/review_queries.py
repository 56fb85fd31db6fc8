"""The township reviewer's queries: the review queue, supervision figures and the ledger rows.

The queue pages in index order like the case board: one short scan of (review_state, status,
entrusted_on) per state and status, merged, waiting cases first. Figures read covering indexes
(migration 0004), so a period of 300k cases is counted from index entries, never from rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    union_all,
)
from sqlmodel import Session

from agent_desk.protocol.roles import HELPER_ROLES
from agent_desk.store.models import Case, CaseDocument, Client, Request, User, Village

OPEN = ("entrusted", "accepted", "in_progress", "needs_correction")
ALL_STATUSES = (*OPEN, "concluded", "delivered", "archived", "withdrawn", "not_accepted")
REVIEW_STATES = ("waiting", "approved", "returned", None)
CONCLUDED = ("concluded", "delivered", "archived")
ROWID = literal_column('"case".rowid', Integer)


@dataclass(frozen=True)
class ReviewFilter:
    statuses: tuple[str, ...] = OPEN
    waiting_only: bool = False
    village_id: str | None = None
    item_code: str | None = None
    agent_id: str | None = None  # a user: their cases, and unassigned cases of their village
    agent_village_id: str | None = None
    deadline: str = ""  # "" | overdue | due_soon
    today: date | None = None
    soon_by: date | None = None  # last day that counts as due soon


def _where(stmt: Select, f: ReviewFilter) -> Select:  # type: ignore[type-arg]
    if f.village_id:
        stmt = stmt.where(Case.village_id == f.village_id)
    if f.item_code:
        stmt = stmt.where(Case.item_code == f.item_code)
    if f.agent_id:
        mine = Case.agent_id == f.agent_id
        village = (
            and_(Case.agent_id.is_(None), Case.village_id == f.agent_village_id)
            if f.agent_village_id
            else None
        )  # type: ignore[union-attr]
        stmt = stmt.where(or_(mine, village) if village is not None else mine)
    if f.deadline == "overdue" and f.today:
        stmt = stmt.where(Case.due_on < f.today)  # type: ignore[operator]
    if f.deadline == "due_soon" and f.today and f.soon_by:
        stmt = stmt.where(Case.due_on >= f.today, Case.due_on <= f.soon_by)  # type: ignore[operator]
    return stmt


def _statuses(f: ReviewFilter) -> tuple[str, ...]:
    statuses = f.statuses or ALL_STATUSES
    return tuple(s for s in statuses if s in OPEN) if f.deadline else statuses


def _states(f: ReviewFilter) -> tuple[str | None, ...]:
    return ("waiting",) if f.waiting_only else REVIEW_STATES


def _state_is(state: str | None) -> Any:
    return Case.review_state.is_(None) if state is None else Case.review_state == state  # type: ignore[union-attr]


QueueCursor = tuple[int, date, int]  # (waiting first: 0, entrusted_on, rowid) of the last row shown


def review_page(
    session: Session, f: ReviewFilter, *, after: QueueCursor | None = None, limit: int = 200
) -> list[tuple[str, QueueCursor]]:
    """A page of the queue after ``after``: waiting for review first, then the rest; oldest
    entrusted first in each. Keyset paging: each part seeks from the cursor in its index."""
    if f.deadline:
        return _deadline_page(session, f, after, limit)
    parts = []
    for state in _states(f):
        rank = 0 if state == "waiting" else 1
        if after is not None and rank < after[0]:
            continue  # that part of the queue is already shown
        for status in _statuses(f):
            part = select(
                Case.id, literal(rank).label("rank"), Case.entrusted_on.label("k"), ROWID.label("r")
            )  # type: ignore[attr-defined]
            part = _where(
                part.where(_state_is(state), Case.status == status, Case.deleted == False), f
            )  # noqa: E712
            if after is not None and rank == after[0]:
                part = part.where(tuple_(Case.entrusted_on, ROWID) > (after[1], after[2]))
            parts.append(select(part.order_by(Case.entrusted_on, ROWID).limit(limit).subquery()))
    return _merged(session, parts, limit)


def _merged(session: Session, parts: list[Select], limit: int) -> list[tuple[str, QueueCursor]]:  # type: ignore[type-arg]
    if not parts:
        return []
    merged = union_all(*parts).subquery()
    stmt = select(merged.c.id, merged.c.rank, merged.c.k, merged.c.r).order_by(
        merged.c.rank, merged.c.k, merged.c.r
    )
    return [(case_id, (rank, k, r)) for case_id, rank, k, r in session.execute(stmt.limit(limit))]


def _deadline_page(
    session: Session, f: ReviewFilter, after: QueueCursor | None, limit: int
) -> list[tuple[str, QueueCursor]]:
    """Overdue / due soon: few cases, found by their due date (index-only), then put in queue order."""
    rank = case((Case.review_state == "waiting", 0), else_=1)
    parts = []
    for status in _statuses(f):
        part = select(Case.id, rank.label("rank"), Case.entrusted_on.label("k"), ROWID.label("r"))
        part = _where(part.where(Case.status == status, Case.deleted == False), f)  # noqa: E712
        if f.waiting_only:
            part = part.where(Case.review_state == "waiting")
        if after is not None:
            part = part.where(tuple_(rank, Case.entrusted_on, ROWID) > after)
        parts.append(select(part.order_by(rank, Case.entrusted_on, ROWID).limit(limit).subquery()))
    return _merged(session, parts, limit)


def count_review(session: Session, f: ReviewFilter) -> tuple[int, int]:
    """(waiting for review, all) matching the filter."""
    waiting = func.sum(case((Case.review_state == "waiting", 1), else_=0))
    stmt = _where(
        select(func.count(), waiting).where(Case.status.in_(_statuses(f)), Case.deleted == False), f
    )  # type: ignore[attr-defined]  # noqa: E712
    if f.waiting_only:
        stmt = stmt.where(Case.review_state == "waiting")
    total, waiting_n = session.execute(stmt).one()
    return int(waiting_n or 0), int(total or 0)


@dataclass(frozen=True)
class ReviewRow:
    id: str
    case_no: str
    review_state: str | None
    status: str
    item_name: str
    client_name: str
    village: str | None
    agent: str
    entrusted_on: date
    due_on: date | None
    deferred: bool
    returned_count: int
    request: str | None = None  # "request no 一件事 name" when the case belongs to one
    request_id: str | None = None  # opens the whole request on the reviewer's screen


def review_rows(session: Session, ids: Sequence[str]) -> dict[str, ReviewRow]:
    if not ids:
        return {}
    names = AgentNames.load(session)
    stmt = (
        select(
            Case.id,
            Case.case_no,
            Case.review_state,
            Case.status,
            Case.item_name,
            Client.name,
            Village.name,
            Case.agent_id,
            Case.village_id,
            Case.entrusted_on,
            Case.due_on,
            Case.deferred,
            Case.returned_count,
            Request.request_no,
            Request.bundle_name,
            Case.request_id,
        )
        .join(Client, Client.id == Case.client_id)
        .outerjoin(Village, Village.id == Case.village_id)
        .outerjoin(Request, Request.id == Case.request_id)
        .where(Case.id.in_(list(ids)))  # type: ignore[attr-defined]
    )
    out = {}
    for r in session.execute(stmt):
        request = f"{r[13]} {r[14]}" if r[13] else None
        out[r[0]] = ReviewRow(*r[:7], names.of(r[7], r[8]), *r[9:13], request, r[15])  # type: ignore[call-arg]
    return out


@dataclass(frozen=True)
class AgentNames:
    """Who the agent of a case is: its own agent, else the agent registered for its village."""

    by_id: dict[str, str]
    by_village: dict[str, str]

    @classmethod
    def load(cls, session: Session) -> AgentNames:
        users = session.execute(
            select(User.id, User.display_name, User.village_id, User.role).where(
                User.role.in_(HELPER_ROLES)  # type: ignore[attr-defined]
            )
        ).all()
        by_village = {
            u[2]: u[1] for u in users if u[2] and u[3] == "agent"
        }  # a village's own agent
        return cls({u[0]: u[1] for u in users}, by_village)

    def of(self, agent_id: str | None, village_id: str | None) -> str:
        if agent_id and agent_id in self.by_id:
            return self.by_id[agent_id]
        return self.by_village.get(village_id or "", "")


def agent_choices(session: Session) -> list[tuple[str, str, str | None]]:
    """(user id, name, village id) of every agent, for the queue's agent filter."""
    stmt = select(User.id, User.display_name, User.village_id).where(
        User.role.in_(HELPER_ROLES),  # type: ignore[attr-defined]
        User.deleted == False,  # noqa: E712
    )
    return [tuple(r) for r in session.execute(stmt.order_by(User.display_name))]  # type: ignore[misc]


def fill_missing_review_states(session: Session) -> int:
    """Cases in review that arrived without a review state (older desks, bulk-seeded data) get it from their events."""
    stmt = text("""
        UPDATE "case" SET review_state = CASE last.action
            WHEN 'approve' THEN 'approved' WHEN 'return_for_correction' THEN 'returned' ELSE 'waiting' END
        FROM (SELECT case_id, action, max(at) FROM case_event
              WHERE action IN ('submit', 'resubmit', 'approve', 'return_for_correction') GROUP BY case_id) AS last
        WHERE last.case_id = "case".id AND "case".status IN ('in_progress', 'needs_correction')
          AND "case".review_state IS NULL
    """)
    pending = session.scalar(
        select(func.count()).where(
            Case.status.in_(("in_progress", "needs_correction")),  # type: ignore[attr-defined]
            Case.review_state.is_(None),
        )
    )  # type: ignore[union-attr]
    if not pending:
        return 0
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


# -- supervision figures ------------------------------------------------------------------------------
def entrusted_counts(
    session: Session, column: str, keys: Sequence[str | None], start: date, end: date
) -> dict[str | None, int]:
    """Cases entrusted in [start, end] for each item code or village id: one index range count per key.

    Counting per key walks (key, entrusted_on) index ranges in order; a GROUP BY over the period
    would sort every case of it (4× slower on 300k cases).
    """
    col = getattr(Case, column)
    counts = {}
    for key in keys:
        match = col.is_(None) if key is None else col == key
        stmt = select(func.count()).where(
            match, Case.entrusted_on >= start, Case.entrusted_on <= end, Case.deleted == False
        )  # type: ignore[operator]  # noqa: E712
        counts[key] = int(session.scalar(stmt) or 0)
    return {k: n for k, n in counts.items() if n}


def distinct_keys(session: Session, column: str) -> list[str | None]:
    """Item codes or village ids that have cases (DISTINCT over their index: a handful of keys)."""
    col = getattr(Case, column)
    return list(session.scalars(select(col).distinct()))


@dataclass(frozen=True)
class ConcludedDay:
    """Cases concluded on one day that were accepted on one day, with their outcome figures."""

    concluded_on: date
    accepted_on: date | None
    cases: int
    on_time: int
    once: int  # the client came at most once: not 容缺, never returned for correction


def concluded_days(session: Session, start: date, end: date) -> list[ConcludedDay]:
    """One pass over the (concluded_on, accepted_on, …) covering index; groups stream in index order."""
    on_time = func.sum(case((Case.concluded_on <= Case.due_on, 1), else_=0))  # type: ignore[operator]
    once = func.sum(case((and_(Case.deferred == False, Case.returned_count == 0), 1), else_=0))  # noqa: E712
    stmt = (
        select(Case.concluded_on, Case.accepted_on, func.count(), on_time, once)
        .where(Case.concluded_on >= start, Case.concluded_on <= end, Case.deleted == False)  # type: ignore[operator]  # noqa: E712
        .group_by(Case.concluded_on, Case.accepted_on)
    )
    return [
        ConcludedDay(r[0], r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0))
        for r in session.execute(stmt)
    ]


def satisfaction_counts(session: Session, start: date, end: date) -> dict[int, int]:
    """Cases concluded in [start, end] rated 1..5: five range counts on the (satisfaction, concluded_on) index."""
    counts = {}
    for score in range(1, 6):
        stmt = select(func.count()).where(
            Case.satisfaction == score,
            Case.concluded_on >= start,  # type: ignore[operator]
            Case.concluded_on <= end,
            Case.deleted == False,
        )  # noqa: E712
        counts[score] = int(session.scalar(stmt) or 0)
    return {k: n for k, n in counts.items() if n}


def open_due_by(
    session: Session, before: date | None, first: date | None, last: date | None
) -> list[tuple[str | None, str | None, int]]:
    """(village id, agent id, open cases) due before ``before`` or within [first, last]."""
    stmt = select(Case.village_id, Case.agent_id, func.count()).where(
        Case.status.in_(OPEN), Case.deleted == False
    )  # type: ignore[attr-defined]  # noqa: E712
    if before is not None:
        stmt = stmt.where(Case.due_on < before)  # type: ignore[operator]
    if first is not None and last is not None:
        stmt = stmt.where(Case.due_on >= first, Case.due_on <= last)  # type: ignore[operator]
    return [
        (v, a, int(n)) for v, a, n in session.execute(stmt.group_by(Case.village_id, Case.agent_id))
    ]


def deferred_waiting(session: Session, today: date) -> tuple[int, int]:
    """(容缺受理 cases still waiting for a promised document, those past the promised date); live cases only.

    Walks the cases accepted with deferral (index-only) and probes each one's deferred documents
    in the (status, case_id, …) index, never reading a row.
    """
    docs = select(CaseDocument.case_id).where(
        CaseDocument.status == "deferred",
        CaseDocument.case_id == Case.id,
        CaseDocument.deleted == False,
    )  # noqa: E712
    late = docs.where(CaseDocument.promised_on < today)  # type: ignore[operator]
    stmt = select(func.count(), func.sum(case((late.exists(), 1), else_=0))).where(
        Case.deferred == True,
        Case.deleted == False,
        Case.status.not_in(("withdrawn", "not_accepted")),  # type: ignore[attr-defined]  # noqa: E712
        docs.exists(),
    )
    total, past = session.execute(stmt).one()
    return int(total or 0), int(past or 0)


def village_names(session: Session) -> dict[str, str]:
    return {v.id: v.name for v in session.scalars(select(Village))}


def item_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    """One indexed lookup per item code (a handful)."""
    names = {}
    for code in codes:
        names[code] = (
            session.scalar(select(Case.item_name).where(Case.item_code == code).limit(1)) or code
        )
    return names


# -- the ledger (台账) -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LedgerQuery:
    start: date
    end: date
    village_id: str | None = None


def ledger_count(session: Session, q: LedgerQuery) -> int:
    stmt = select(func.count()).where(
        Case.entrusted_on >= q.start, Case.entrusted_on <= q.end, Case.deleted == False
    )  # type: ignore[operator]  # noqa: E712
    if q.village_id:
        stmt = stmt.where(Case.village_id == q.village_id)
    return int(session.scalar(stmt) or 0)


def ledger_rows(
    session: Session, q: LedgerQuery, *, chunk: int = 5000
) -> Iterator[tuple[Any, ...]]:
    """Cases entrusted in the period in (entrusted_on, rowid) order, streamed a keyset page at a time."""
    after: tuple[date, int] | None = None
    while True:
        stmt = (
            select(
                ROWID,
                Case.case_no,
                Case.item_name,
                Case.item_code,
                Client.name,
                Client.id_number,
                Client.phone,
                Village.name,
                Case.agent_id,
                Case.village_id,
                Case.entrusted_on,
                Case.accepted_on,
                Case.due_on,
                Case.concluded_on,
                Case.outcome,
                Case.result,
                Case.deferred,
                Case.delivered_on,
                Case.satisfaction,
                Case.status,
                Request.request_no,
                Request.bundle_name,
            )
            .join(Client, Client.id == Case.client_id)
            .outerjoin(Village, Village.id == Case.village_id)
            .outerjoin(Request, Request.id == Case.request_id)
            .where(Case.entrusted_on >= q.start, Case.entrusted_on <= q.end, Case.deleted == False)  # type: ignore[operator]  # noqa: E712
            .order_by(Case.entrusted_on, ROWID)
            .limit(chunk)
        )
        if q.village_id:
            stmt = stmt.where(Case.village_id == q.village_id)
        if after is not None:
            stmt = stmt.where(
                or_(
                    Case.entrusted_on > after[0],
                    and_(Case.entrusted_on == after[0], after[1] < ROWID),
                )
            )
        rows = session.execute(stmt).all()
        yield from (tuple(r[1:]) for r in rows)
        if len(rows) < chunk:
            return
        after = (rows[-1][10], rows[-1][0])
