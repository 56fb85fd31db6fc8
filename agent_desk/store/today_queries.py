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
    """The cases of one list (id, no, client id, item, when), in the order the agent should see them.

    """
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
    """容缺 documents promised by ``soon_by`` (overdue promises first), of cases still 容缺: (case id,
    promised date), read from indexes only (ix_case_deferred_status, ix_case_document_status)."""
    awaiting = select(Case.id).where(Case.deferred == True, Case.deleted == False,  # noqa: E712
                                     Case.status.in_(OPEN + ("concluded", "delivered")))  # type: ignore[attr-defined]
    return (
        select(CaseDocument.case_id, CaseDocument.promised_on)
        .where(CaseDocument.status == "deferred", CaseDocument.case_id.in_(awaiting), CaseDocument.deleted == False,  # type: ignore[attr-defined]  # noqa: E712
               CaseDocument.promised_on <= soon_by)  # type: ignore[operator]
        .order_by(CaseDocument.promised_on)
    )  # fmt: skip


def _deferred_rows(session: Session, stmt: Select[Any], limit: int) -> list[Any]:
    """The first promises, then their cases and documents' names (a few rows, by primary key)."""
    firsts = list(session.execute(stmt.limit(limit)))
    ids = {case_id for case_id, _when in firsts}
    cases = {r[0]: r for r in session.execute(select(Case.id, Case.case_no, Case.client_id, Case.item_name)
                                              .where(Case.id.in_(ids)))}  # type: ignore[attr-defined]  # fmt: skip
    names: dict[tuple[str, Any], list[str]] = {}
    docs = select(CaseDocument.case_id, CaseDocument.promised_on, CaseDocument.name).where(
        CaseDocument.case_id.in_(ids), CaseDocument.status == "deferred")  # type: ignore[attr-defined]
    for case_id, when, name in session.execute(docs):
        names.setdefault((case_id, when), []).append(name)
    seen = dict.fromkeys((case_id, when) for case_id, when in firsts)
    return [(*cases[c][:4], when, "、".join(names.get((c, when), []))) for c, when in seen if c in cases]


def _first_rows(session: Session, section: str, stmt: Select[Any], today: date, soon_by: date, limit: int) -> list[Any]:
    """The deadline lists are read one status at a time, each seeking (status, due_on) in due order and
    merged here: over several statuses SQLite would walk the due-date index instead and read every
    closed case due before today first."""
    if section == "deferred_due":
        return _deferred_rows(session, stmt, limit)
    if section not in ("overdue", "due_soon"):
        return list(session.execute(stmt.limit(limit)))
    rows: list[Any] = []
    for status in OPEN:
        one = _cases(section, today, soon_by).where(Case.status == status)
        rows += session.execute(one.limit(limit))
    return sorted(rows, key=lambda r: r[4])[:limit]


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


def today_list(session: Session, today: date, soon_by: date, *, limit: int = 30) -> TodayList:
    result = TodayList()
    raw: list[tuple[str, tuple[Any, ...]]] = []
    for section in SECTIONS:
        stmt = _deferred(soon_by) if section == "deferred_due" else _cases(section, today, soon_by)
        result.counts[section] = _count(session, stmt)
        raw += [(section, tuple(r)) for r in _first_rows(session, section, stmt, today, soon_by, limit)]
    names = _client_names(session, {r[2] for _s, r in raw})
    for section in SECTIONS:
        result.rows[section] = [TodayRow(r[0], r[1], names.get(r[2], ""), r[3], r[4], r[5] if len(r) > 5 else "")
                                for s, r in raw if s == section]  # fmt: skip
    return result


def _client_names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Client.id, Client.name).where(Client.id.in_(ids))).all())  # type: ignore[attr-defined,arg-type]
