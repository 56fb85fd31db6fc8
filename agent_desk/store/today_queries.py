"""今日待办: what needs the agent today, as counts and the first rows of each list.

Five lists (overdue, due soon, 容缺 documents due, returned for 补正, follow-up visits due), each
counted and cut to its first rows by an index (see Case's and CaseDocument's indexes), so the page
stays instant over a township's 300k cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlmodel import Session

from agent_desk.store.models import Case, CaseDocument, Client

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


def _open_case(stmt: Select[Any]) -> Select[Any]:
    return stmt.where(Case.deleted == False)  # noqa: E712


def _cases(section: str, today: date, soon_by: date) -> Select[Any]:
    """The cases of one list (id, no, client id, item, when), in the order the agent should see them."""
    cols = select(Case.id, Case.case_no, Case.client_id, Case.item_name, Case.due_on)
    if section == "overdue":
        stmt = cols.where(Case.status.in_(OPEN), Case.due_on < today)  # type: ignore[attr-defined,operator]
    elif section == "due_soon":
        stmt = cols.where(Case.status.in_(OPEN), Case.due_on >= today, Case.due_on <= soon_by)  # type: ignore[attr-defined,operator]
    elif section == "returned":
        stmt = cols.where(Case.status == "needs_correction")
    else:  # follow_up: delivered, not yet visited
        stmt = cols.where(Case.status == "delivered", Case.satisfaction.is_(None))  # type: ignore[union-attr]
    return _open_case(stmt).order_by(Case.due_on)


def _deferred(soon_by: date) -> Select[Any]:
    """容缺 documents promised by ``soon_by`` (overdue promises first)."""
    return (
        select(Case.id, Case.case_no, Case.client_id, Case.item_name, CaseDocument.promised_on, CaseDocument.name)
        .join(Case, Case.id == CaseDocument.case_id)  # type: ignore[arg-type]
        .where(CaseDocument.status == "deferred", CaseDocument.deleted == False, CaseDocument.promised_on <= soon_by,  # type: ignore[operator]  # noqa: E712
               Case.deleted == False, Case.status.in_(OPEN + ("concluded", "delivered")))  # type: ignore[attr-defined]  # noqa: E712
        .order_by(CaseDocument.promised_on)
    )  # fmt: skip


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


def today_list(session: Session, today: date, soon_by: date, *, limit: int = 30) -> TodayList:
    result = TodayList()
    raw: list[tuple[str, tuple[Any, ...]]] = []
    for section in SECTIONS:
        stmt = _deferred(soon_by) if section == "deferred_due" else _cases(section, today, soon_by)
        result.counts[section] = _count(session, stmt)
        raw += [(section, tuple(r)) for r in session.execute(stmt.limit(limit))]
    names = _client_names(session, {r[2] for _s, r in raw})
    for section in SECTIONS:
        result.rows[section] = [TodayRow(r[0], r[1], names.get(r[2], ""), r[3], r[4], r[5] if len(r) > 5 else "")
                                for s, r in raw if s == section]  # fmt: skip
    return result


def _client_names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Client.id, Client.name).where(Client.id.in_(ids))).all())  # type: ignore[attr-defined,arg-type]
