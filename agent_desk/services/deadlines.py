"""Open cases' due dates recomputed when the official calendar changes (a new holiday schedule).

A due date is ``n`` working days after acceptance. When the calendar changes, ``n`` is measured on
the calendar the date was computed with and counted again on the new one, so a deadline keeps its
length in working days (whatever extended it) and only moves by the holidays that changed. Each
case whose date moved gets an event that says so ("办结期限因放假安排调整由 12-18 改为 12-25"),
and both the new date and the event are queued for the hub in the caller's transaction.

Written for 300k open cases: one read of four columns, then chunked executemany writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, col

from agent_desk.core.calendar import WorkCalendar
from agent_desk.core.case_flow import OPEN_STATUSES
from agent_desk.store.bulk import bulk_insert
from agent_desk.store.models import Case, CaseEvent, OutboxEntry, new_id, utcnow
from agent_desk.store.outbox import json_value

ACTION = "deadline_adjusted"
CHUNK = 5000
Progress = Callable[[int, int | None, str], None]
Moved = tuple[str, str, int, date, date]  # id, status, version, old due date, new due date


def moved_text(old: date, new: date) -> str:
    """The event's reason, as the case screen shows it."""
    fmt = "%m-%d" if old.year == new.year else "%Y-%m-%d"
    return f"办结期限因放假安排调整由 {old:{fmt}} 改为 {new:{fmt}}"


def moved_cases(session: Session, old: WorkCalendar, new: WorkCalendar) -> list[Moved]:
    """Open cases whose due date differs on ``new``; read-only (the dry run counts these)."""
    c = Case.__table__.c  # type: ignore[attr-defined]
    rows = session.connection().execute(
        select(c.id, c.status, c.version, c.accepted_on, c.due_on).where(
            c.status.in_([s.value for s in OPEN_STATUSES]),
            c.due_on.is_not(None),
            c.accepted_on.is_not(None),
            c.deleted.is_(False),
        )
    )
    moved = []
    for case_id, status, version, accepted, due in rows:
        days = old.working_days_between(accepted, due)
        if days < 0:
            continue  # a due date before acceptance was set by hand: leave it alone
        new_due = new.add_working_days(accepted, days)
        if new_due != due:
            moved.append((case_id, status, version, due, new_due))
    return moved


def recompute_due_dates(
    session: Session,
    old: WorkCalendar,
    new: WorkCalendar,
    *,
    actor: str,
    progress: Progress | None = None,
) -> int:
    """Move every open case's due date from ``old`` to ``new``; returns how many moved.

    The caller commits (with the calendar version that caused it)."""
    tick = progress or (lambda done, total, text: None)
    tick(0, None, "正在按新的放假安排重新计算办结期限…")
    moved = moved_cases(session, old, new)
    for start in range(0, len(moved), CHUNK):
        _write(session, moved[start : start + CHUNK], actor)
        done = min(start + CHUNK, len(moved))
        tick(done, len(moved), f"正在调整办结期限 {done}/{len(moved)}…")
    return len(moved)


def _write(session: Session, chunk: list[Moved], actor: str) -> None:
    now, at = utcnow(), datetime.now().astimezone()
    session.connection().execute(
        update(Case.__table__).where(col(Case.id) == bindparam("b_id")),  # type: ignore[attr-defined]
        [
            {"b_id": case_id, "due_on": new_due, "updated_at": now}
            for case_id, _s, _v, _o, new_due in chunk
        ],
    )
    events = [_event(item, actor, at, now) for item in chunk]
    bulk_insert(session, CaseEvent, events)
    bulk_insert(session, OutboxEntry, _outbox(chunk, events, now))


def _event(item: Moved, actor: str, at: datetime, now: datetime) -> dict[str, Any]:
    case_id, status, _version, old_due, new_due = item
    return {
        "id": new_id(),
        "version": 0,
        "deleted": False,
        "updated_at": now,
        "case_id": case_id,
        "action": ACTION,
        "from_status": status,
        "to_status": status,
        "actor": actor,
        "at": at,
        "reason": moved_text(old_due, new_due),
        "payload": {"from": old_due.isoformat(), "to": new_due.isoformat()},
    }


def _outbox(
    chunk: list[Moved], events: list[dict[str, Any]], now: datetime
) -> Iterator[dict[str, Any]]:
    """One op for each case's new date (on its known version) and one for each new event."""
    for (case_id, _status, version, _old, new_due), event in zip(chunk, events, strict=True):
        yield _op("case", case_id, {"due_on": new_due.isoformat()}, version, now)
        fields = {
            k: json_value(v) for k, v in event.items() if k not in ("id", "version", "updated_at")
        }
        yield _op("case_event", event["id"], fields, 0, now)


def _op(
    entity: str, entity_id: str, fields: dict[str, Any], base: int, now: datetime
) -> dict[str, Any]:
    return {
        "op_id": new_id(),
        "entity": entity,
        "entity_id": entity_id,
        "op": "upsert",
        "fields": fields,
        "base_version": base,
        "created_at": now,
        "state": "pending",
        "attempts": 0,
        "last_error": None,
    }
