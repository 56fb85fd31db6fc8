"""今日待办: what needs the agent today, as counts and the first rows of each list.

Five lists (overdue, due soon, 容缺 documents due, returned for 补正, follow-up visits due), each
counted and cut to its first rows by an index (see Case's and CaseDocument's indexes), so the page
stays instant over a township's 300k cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from agent_desk.store.models import Case, CaseDocument, Client

Query = Any  # a SQLAlchemy Select; its column types vary by list
OPEN = ("entrusted", "accepted", "in_progress", "needs_correction")
SECTIONS = ("overdue", "due_soon", "deferred_due", "returned", "follow_up")


@dataclass(frozen=True)
class TodayRow:
    case_id: str
    case_no: str
    client: str
    item_name: str
    when: date | None  # the due date, or the promised date of a 容缺 document
    note: str = ""


@dataclass
class TodayList:
    counts: dict[str, int] = field(default_factory=dict)
    rows: dict[str, list[TodayRow]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _open_case(stmt: Query) -> Query:
    return stmt.where(col(Case.deleted).is_(False))


def _cases(section: str, today: date, soon_by: date) -> Query:
    """The cases of one list (id, no, client id, item, when), in the order the agent should see them."""
    status, due = col(Case.status), col(Case.due_on)
    cols = select(col(Case.id), col(Case.case_no), col(Case.client_id), col(Case.item_name), due)
    if section == "overdue":
        stmt = cols.where(status.in_(OPEN), due < today)
    elif section == "due_soon":
        stmt = cols.where(status.in_(OPEN), due >= today, due <= soon_by)
    elif section == "returned":
        stmt = cols.where(status == "needs_correction")
    else:  # follow_up: delivered, not yet visited
        stmt = cols.where(status == "delivered", col(Case.satisfaction).is_(None))
    return _open_case(stmt).order_by(due)


def _deferred(soon_by: date) -> Query:
    """容缺 documents promised by ``soon_by`` of open cases still 容缺: (case id, promised date).

    Driven by the few cases still flagged 容缺 (ix_case_deferred_status), then their deferred
    documents (ix_case_document_status): index entries only, never every deferred document ever recorded.
    """
    promised = col(CaseDocument.promised_on)
    on = and_(
        col(CaseDocument.case_id) == col(Case.id),
        col(CaseDocument.status) == "deferred",
        col(CaseDocument.deleted).is_(False),
        promised <= soon_by,
    )
    return (
        select(col(CaseDocument.case_id), promised)
        .select_from(Case)
        .join(CaseDocument, on)
        .where(
            col(Case.deferred).is_(True), col(Case.deleted).is_(False), col(Case.status).in_(OPEN)
        )
    )


def _deferred_rows(session: Session, stmt: Query, limit: int) -> tuple[int, list[Any]]:
    """How many promises, the first ones, then their cases and documents' names (a few rows, by key).

    The promises are read once and sorted here: asked to order them, SQLite walks every deferred
    document ever recorded by date instead of the few cases still 容缺.
    """
    promises = sorted(session.execute(stmt).all(), key=lambda r: r[1])
    firsts = promises[:limit]
    ids = {case_id for case_id, _when in firsts}
    cases = {
        r[0]: r
        for r in session.execute(
            select(col(Case.id), col(Case.case_no), col(Case.client_id), col(Case.item_name)).where(
                col(Case.id).in_(ids)
            )
        )
    }
    names: dict[tuple[str, Any], list[str]] = {}
    docs = select(
        col(CaseDocument.case_id), col(CaseDocument.promised_on), col(CaseDocument.name)
    ).where(col(CaseDocument.case_id).in_(ids), col(CaseDocument.status) == "deferred")
    for case_id, when, name in session.execute(docs):
        names.setdefault((case_id, when), []).append(name)
    seen = dict.fromkeys((case_id, when) for case_id, when in firsts)
    return len(promises), [
        (*cases[c][:4], when, "、".join(names.get((c, when), []))) for c, when in seen if c in cases
    ]


def _first_rows(
    session: Session, section: str, stmt: Query, today: date, soon_by: date, limit: int
) -> list[Any]:
    """The deadline lists are read one status at a time, each seeking (status, due_on) in due order and
    merged here: over several statuses SQLite would walk the due-date index instead and read every
    closed case due before today first."""
    if section not in ("overdue", "due_soon"):
        return list(session.execute(stmt.limit(limit)))
    rows: list[Any] = []
    for status in OPEN:
        one = _cases(section, today, soon_by).where(col(Case.status) == status)
        rows += session.execute(one.limit(limit))
    return sorted(rows, key=lambda r: r[4])[:limit]


def _count(session: Session, stmt: Query) -> int:
    return int(
        session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    )


def today_list(session: Session, today: date, soon_by: date, *, limit: int = 30) -> TodayList:
    result = TodayList()
    raw: list[tuple[str, tuple[Any, ...]]] = []
    for section in SECTIONS:
        if section == "deferred_due":
            result.counts[section], rows = _deferred_rows(session, _deferred(soon_by), limit)
        else:
            stmt = _cases(section, today, soon_by)
            result.counts[section] = _count(session, stmt)
            rows = _first_rows(session, section, stmt, today, soon_by, limit)
        raw += [(section, tuple(r)) for r in rows]
    names = _client_names(session, {r[2] for _s, r in raw})
    for section in SECTIONS:
        result.rows[section] = [
            TodayRow(r[0], r[1], names.get(r[2], ""), r[3], r[4], r[5] if len(r) > 5 else "")
            for s, r in raw
            if s == section
        ]
    return result


def _client_names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return {
        k: v
        for k, v in session.execute(
            select(col(Client.id), col(Client.name)).where(col(Client.id).in_(ids))
        )
    }
