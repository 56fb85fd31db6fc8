"""A new calendar moves open cases' due dates: the bulk path gives exactly what counting case by case gives.

The recompute counts each distinct (acceptance, due date) pair once, moves the dates with one UPDATE
from a temp table, and, when many cases move, builds the due-date indexes again around it. On a
small desk each of its paths (indexes kept, indexes rebuilt) must leave the very dates, events and
outbox entries that the definition gives case by case, the indexes as they were, and nothing at all
after a rollback.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from agent_desk.core.calendar import WorkCalendar, YearOverride
from agent_desk.core.case_flow import OPEN_STATUSES, CaseStatus
from agent_desk.core.statutory import statutory_holidays
from agent_desk.services import deadlines
from agent_desk.services.deadlines import ACTION, moved_text, recompute_due_dates
from agent_desk.services.desk import Desk

YEAR = 2031
STATUSES = [CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.NEEDS_CORRECTION]


def _calendars() -> tuple[WorkCalendar, WorkCalendar, date]:
    """The law's estimate for YEAR, and a schedule with three more days off and two worked Sundays."""
    estimate = frozenset(statutory_holidays(YEAR))
    eve = min(d for d, name in statutory_holidays(YEAR).items() if name == "春节")
    extra = sorted(
        d
        for d in (eve + timedelta(days=k) for k in range(4, 12))
        if d.weekday() < 5 and d not in estimate
    )[:3]
    sundays = frozenset(
        d for d in (eve - timedelta(days=k) for k in range(1, 12)) if d.weekday() == 6
    )
    old = WorkCalendar({YEAR: YearOverride(holidays=estimate)})
    new = WorkCalendar({YEAR: YearOverride(holidays=estimate | frozenset(extra), workdays=sundays)})
    return old, new, eve


@pytest.fixture
def cases(desk: Desk, make_client, make_case) -> list[str]:
    """40 open cases accepted in the weeks before the festival, closed and deleted ones, one hand-set date."""
    old, _new, eve = _calendars()
    ids = []
    with desk.db.session() as session:
        client = make_client(session)
        for k in range(48):
            status = STATUSES[k % 3] if k < 40 else CaseStatus.CONCLUDED
            case = make_case(session, client, status=status)
            case.accepted_on = eve - timedelta(days=1 + k % 30)
            case.due_on = old.add_working_days(case.accepted_on, 5 + k % 13)
            case.deleted = k == 7
            if k == 11:  # a due date set by hand before acceptance stays
                case.due_on = case.accepted_on - timedelta(days=3)
            session.add(case)
            ids.append(case.id)
        session.commit()
    return ids


def _expected(session: Session, old: WorkCalendar, new: WorkCalendar) -> dict[str, date]:
    """The definition, case by case: open cases whose working-day count lands elsewhere on ``new``."""
    rows = session.connection().exec_driver_sql(
        'SELECT id, status, deleted, accepted_on, due_on FROM "case"'
    )
    moved = {}
    for case_id, status, deleted, accepted, due in rows:
        if deleted or status not in {s.value for s in OPEN_STATUSES} or not accepted or not due:
            continue
        accepted, due = date.fromisoformat(accepted), date.fromisoformat(due)
        days = old.working_days_between(accepted, due)
        if days >= 0 and new.add_working_days(accepted, days) != due:
            moved[case_id] = new.add_working_days(accepted, days)
    return moved


def _state(session: Session) -> dict[str, Any]:
    sql = session.connection().exec_driver_sql
    events = sql(
        "SELECT case_id, from_status, to_status, actor, reason, payload FROM case_event "
        "WHERE action = ? ORDER BY case_id",
        (ACTION,),
    ).all()
    outbox = [  # "at" is the clock's
        (entity, {k: v for k, v in json.loads(fields).items() if k != "at"}, base)
        for entity, fields, base in sql(
            "SELECT entity, fields, base_version FROM outbox WHERE created_at > '2000' ORDER BY seq"
        )
    ]
    return {
        "due": dict(sql('SELECT id, due_on FROM "case"').all()),
        "events": [(*row[:5], json.loads(row[5])) for row in events],
        "outbox": [o for o in outbox if o[0] == "case_event" or set(o[1]) == {"due_on"}],
        "indexes": sorted(sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all()),
        "integrity": sql("PRAGMA integrity_check").scalar(),
    }


@pytest.mark.parametrize("share", [0.0, 2.0], ids=["indexes rebuilt", "indexes kept"])
def test_bulk_recompute_equals_case_by_case(
    desk: Desk, cases: list[str], share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deadlines, "REBUILD_SHARE", share)
    old, new, _eve = _calendars()
    with desk.db.session() as session:
        before = _state(session)
        expected = _expected(session, old, new)
        reports: list[tuple[int, int | None]] = []
        moved = recompute_due_dates(
            session, old, new, actor="张红梅", progress=lambda d, t, _x: reports.append((d, t))
        )
        after = _state(session)
        session.rollback()
        assert _state(session) == before  # a rollback leaves nothing, indexes included
    assert 10 < moved == len(expected) < 40  # some open cases move, not all
    assert after["due"] == before["due"] | {k: v.isoformat() for k, v in expected.items()}
    assert after["indexes"] == before["indexes"] and after["integrity"] == "ok"
    assert reports[-1] == (moved, moved)
    was = {k: date.fromisoformat(v) for k, v in before["due"].items()}
    assert [(e[0], e[4]) for e in after["events"]] == [
        (k, moved_text(was[k], expected[k])) for k in sorted(expected)
    ]
    assert all(e[1] == e[2] and e[3] == "张红梅" for e in after["events"])
    assert all(e[5] == {"from": str(was[e[0]]), "to": str(expected[e[0]])} for e in after["events"])
    new_ops = after["outbox"][len(before["outbox"]) :]
    case_ops = [(o[1]["due_on"], o[2]) for o in new_ops if o[0] == "case"]
    event_ops = [o[1]["case_id"] for o in new_ops if o[0] == "case_event"]
    assert sorted(case_ops) == sorted((str(d), 0) for d in expected.values())  # never synced
    assert sorted(event_ops) == sorted(expected)


def test_both_paths_leave_the_same_desk(
    desk: Desk, cases: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, _eve = _calendars()
    states = []
    for share in (0.0, 2.0):
        monkeypatch.setattr(deadlines, "REBUILD_SHARE", share)
        with desk.db.session() as session:
            recompute_due_dates(session, old, new, actor="张红梅")
            states.append(_state(session))
            session.rollback()
    assert states[0] == states[1]


def test_rebuilt_indexes_survive_a_commit_and_serve_the_board(
    desk: Desk, cases: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Committed through the rebuild: the indexes are back and a due-date query uses them."""
    monkeypatch.setattr(deadlines, "REBUILD_SHARE", 0.0)
    old, new, _eve = _calendars()
    with desk.db.session() as session:
        before = _state(session)["indexes"]
        expected = _expected(session, old, new)
        recompute_due_dates(session, old, new, actor="张红梅", queue=False)
        session.commit()
    with desk.db.session() as session:
        state = _state(session)
        plan = " ".join(
            str(r[-1])
            for r in session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM \"case\" WHERE status = 'accepted' "
                "AND due_on < '2099-01-01' ORDER BY due_on"
            )
        )
    assert state["indexes"] == before and state["integrity"] == "ok" and "USING" in plan
    assert {k: state["due"][k] for k in expected} == {k: v.isoformat() for k, v in expected.items()}
    assert state["events"] == []  # a reviewer's desk: only the dates move


def test_the_recompute_is_a_link_of_the_audit_chain(desk: Desk, cases: list[str]) -> None:
    """Written in SQL past the flush hooks, the moved dates still reach the audit trail."""
    from sqlmodel import select

    from agent_desk.store.audit import verify
    from agent_desk.store.models import AuditEntry

    old, new, _eve = _calendars()
    with desk.db.session() as session:
        moved = recompute_due_dates(session, old, new, actor="张红梅")
        session.commit()
        [entry] = session.exec(
            select(AuditEntry).where(AuditEntry.action == "deadline_adjusted")
        ).all()
        assert entry.actor == "张红梅" and entry.detail["cases"] == moved > 0
        assert verify(session.connection())[1] is None  # the chain is whole


def test_the_rebuild_builds_only_the_indexes_that_hold_open_cases(
    desk: Desk, cases: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five indexes hold an open case's due date and one its change time (migration 0014); the
    concluded figures and the follow-ups hold closed cases only and are left in place, whole."""
    from sqlalchemy import event

    monkeypatch.setattr(deadlines, "REBUILD_SHARE", 0.0)
    old, new, _eve = _calendars()
    built: list[str] = []

    def creates(_c: Any, _cur: Any, sql: str, *_rest: Any) -> None:
        if sql.startswith("CREATE INDEX"):
            built.append(sql.split()[2])

    event.listen(desk.db.engine, "before_cursor_execute", creates)
    try:
        with desk.db.session() as session:
            assert recompute_due_dates(session, old, new, actor="张红梅") > 0
            state = _state(session)
            figures = session.connection().exec_driver_sql(
                'SELECT count(*) FROM "case" INDEXED BY ix_case_concluded_figures'
                " WHERE concluded_on IS NOT NULL AND due_on IS NOT NULL"
            )
            assert figures.scalar() == 8  # the closed cases, their due dates as they were
            session.rollback()
    finally:
        event.remove(desk.db.engine, "before_cursor_execute", creates)
    assert sorted(built) == [
        "ix_case_client_board",
        "ix_case_item_status_due",
        "ix_case_open_due_where",
        "ix_case_status_due_client",
        "ix_case_updated",
        "ix_case_village_status_due",
    ]
    assert state["integrity"] == "ok"
