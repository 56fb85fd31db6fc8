"""Migrations 0013 and 0014: fewer indexes hold an open case's due date; every case query still seeks one.

Every index holding an open case's ``due_on`` is built again (or rewritten entry by entry) when a
calendar publication moves most due dates, so the desk keeps only those a query needs: 0013 dropped
``ix_case_status_due`` (the start of wider ones) and ``ix_case_due_on`` (no query); 0014 keeps the
due date of closed cases only where only closed cases are read (the supervision figures, 今日待办's
follow-ups: partial indexes) and takes it out of the agent's index. The statements of the board,
今日待办, the hand-over list, the review queue and the supervision figures are planned on both
schemas.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from alembic import command
from sqlalchemy import event

import agent_desk.store.db as store_db
from agent_desk.core.case_flow import CaseStatus
from agent_desk.services.desk import Desk
from agent_desk.services.requests import startable_cases
from agent_desk.store import review_queries as review
from agent_desk.store.case_queries import (
    CaseFilter,
    case_page,
    count_cases,
    handover_candidate_ids,
)
from agent_desk.store.models import Request
from agent_desk.store.today_queries import OPEN, today_list

DROPPED = {"ix_case_status_due", "ix_case_due_on"}
TODAY = date(2026, 12, 7)
# the indexes that hold every case's due date, open ones included (0014)
OPEN_DUE = {
    "ix_case_item_status_due",
    "ix_case_village_status_due",
    "ix_case_open_due_where",
    "ix_case_client_board",
    "ix_case_status_due_client",
}


def _indexes(desk: Desk) -> set[str]:
    with desk.db.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {name for (name,) in rows}


def _case_queries(desk: Desk, make_client: Any, make_case: Any) -> list[tuple[str, Any]]:
    """The statements the board, 今日待办 and the hand-over list run on the case table."""
    with desk.db.session() as session:
        client = make_client(session)
        for k, status in enumerate([CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS] * 4):
            case = make_case(session, client, status=status)
            case.due_on = TODAY + timedelta(days=k - 3)
        session.commit()
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        if not many and '"case"' in sql and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((sql, params))

    event.listen(desk.db.engine, "before_cursor_execute", capture)
    soon = TODAY + timedelta(days=3)
    try:
        with desk.db.session() as session:
            found = handover_candidate_ids(session)
            for f in (
                CaseFilter(),
                CaseFilter(overdue_on=TODAY),
                CaseFilter(due_by=soon, due_from=TODAY),
                CaseFilter(statuses=("accepted",)),
                CaseFilter(item_code="X"),
                CaseFilter(village_id="V", overdue_on=TODAY),
                CaseFilter(item_code="X", due_by=soon, due_from=TODAY),
            ):
                case_page(session, f, limit=50)
                count_cases(session, f)
            today_list(session, TODAY, soon)
            startable_cases(session)
            for r in (
                review.ReviewFilter(agent_id="A", agent_village_id="V"),
                review.ReviewFilter(agent_id="A"),
                review.ReviewFilter(item_code="X", deadline="overdue", today=TODAY),
                review.ReviewFilter(village_id="V", deadline="due_soon", today=TODAY, soon_by=soon),
            ):
                review.review_page(session, r, limit=50)
                review.count_review(session, r)
            review.concluded_days(session, TODAY - timedelta(days=60), TODAY)
            review.open_due_by(session, TODAY, None, None)
    finally:
        event.remove(desk.db.engine, "before_cursor_execute", capture)
    assert len(found) == 4
    return seen


def _add_closed_and_requested(desk: Desk, make_client: Any, make_case: Any) -> None:
    """Delivered and concluded cases (the follow-ups, the figures) and a 委托 case of an open request."""
    with desk.db.session() as session:
        client = make_client(session)
        for status in (CaseStatus.DELIVERED, CaseStatus.CONCLUDED):
            make_case(session, client, status=status, entrusted_on=TODAY - timedelta(days=40))
        request = Request(
            request_no="R1",
            bundle_code="B",
            bundle_name="一件事",
            client_id=client.id,
            opened_on=TODAY,
        )
        session.add(request)
        make_case(session, client, request_id=request.id)
        session.commit()


def _plans(desk: Desk, statements: list[tuple[str, Any]]) -> list[str]:
    with desk.db.engine.connect() as conn:
        return [
            " | ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", p))
            for sql, p in statements
        ]


def test_the_two_due_date_indexes_are_gone_and_every_case_query_seeks_an_index(
    desk: Desk, make_client: Any, make_case: Any
) -> None:
    assert not DROPPED & _indexes(desk)
    plans = _plans(desk, _case_queries(desk, make_client, make_case))
    assert len(plans) >= 8
    for plan in plans:  # a bare "SCAN case" reads all 300k cases
        assert not re.search(r"\bSCAN case\b(?! USING)", plan), plan
    assert not any(re.search(rf"\b{name}\b", plan) for plan in plans for name in DROPPED)


def test_downgrade_brings_the_indexes_back(desk: Desk) -> None:
    config = store_db.alembic_config(desk.db.engine)
    command.downgrade(config, "0010")  # the revision before 0013
    assert _indexes(desk) >= DROPPED
    command.upgrade(config, "head")
    assert not DROPPED & _indexes(desk)


def _due_indexes(desk: Desk) -> dict[str, str]:
    """The case table's indexes holding due_on: name -> CREATE statement."""
    with desk.db.engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case'"
            " AND sql IS NOT NULL"
        ).all()
        return {
            name: sql
            for name, sql in found
            if "due_on" in {r[2] for r in conn.exec_driver_sql(f'PRAGMA index_info("{name}")')}
        }


def test_an_open_cases_due_date_is_in_five_indexes_and_closed_ones_keep_theirs(
    desk: Desk, make_client: Any, make_case: Any
) -> None:
    """What a calendar publication makes the desk build again: five indexes, not eight."""
    _add_closed_and_requested(desk, make_client, make_case)
    _case_queries(desk, make_client, make_case)
    held = _due_indexes(desk)
    assert {name for name, sql in held.items() if " WHERE " not in sql} == OPEN_DUE
    partial = {name: sql.split(" WHERE ", 1)[1] for name, sql in held.items() if " WHERE " in sql}
    assert set(partial) == {"ix_case_concluded_figures", "ix_case_follow_up"}
    statuses = ", ".join(f"'{s}'" for s in OPEN)
    with desk.db.engine.connect() as conn:
        for name, where in partial.items():
            count = f'SELECT count(*) FROM "case" WHERE ({where}) AND status '
            assert conn.exec_driver_sql(count + f"IN ({statuses})").scalar() == 0, name
            assert conn.exec_driver_sql(count + f"NOT IN ({statuses})").scalar(), name


def test_every_case_query_seeks_an_index_with_and_without_migration_0014(
    desk: Desk, make_client: Any, make_case: Any
) -> None:
    _add_closed_and_requested(desk, make_client, make_case)
    statements = _case_queries(desk, make_client, make_case)
    now = _plans(desk, statements)
    config = store_db.alembic_config(desk.db.engine)
    command.downgrade(config, "0013")
    before = _plans(desk, statements)
    command.upgrade(config, "head")
    assert len(statements) >= 40
    for plan in now + before:
        assert not re.search(r"\bSCAN case\b(?! USING)", plan), plan
    changed = {
        sql: plan
        for (sql, _p), plan, old in zip(statements, now, before, strict=True)
        if plan != old
    }

    def plans_of(*words: str) -> set[str]:
        found = {
            p for (sql, _p), p in zip(statements, now, strict=True) if all(w in sql for w in words)
        }
        assert found, words
        return found

    # the follow-ups (delivered, not yet visited) in due order, and their count
    for plan in plans_of("satisfaction IS NULL", "deleted IS 0"):
        assert "INDEX ix_case_follow_up " in plan and "TEMP B-TREE" not in plan, plan
    for plan in plans_of('concluded_on <= "case".due_on'):
        assert "COVERING INDEX ix_case_concluded_figures " in plan
    # the review's counts of an agent's cases, with or without their village's unassigned ones
    for plan in plans_of("agent_id = ?", "count(*)", "sum("):
        assert "INDEX ix_case_agent_status (agent_id=? AND status=? AND deleted=?)" in plan
    tombstones = [
        p for (sql, _p), p in zip(statements, now, strict=True) if sql.endswith("deleted = 1")
    ]
    assert tombstones == [
        "SCAN case USING COVERING INDEX ix_case_status_satisfaction"
    ]  # the narrowest
    for plan in plans_of("request_id IN", "accepted_on IS NULL"):  # 今日待办's startable cases
        assert "INDEX ix_case_request " in plan, plan
    # only those moved off the indexes 0014 changed: every other statement plans as before
    assert all(
        re.search(r"ix_case_(follow_up|concluded_figures|agent_status|status_satisfaction)\b", p)
        or "request_id IN" in sql
        for sql, p in changed.items()
    ), changed


def test_downgrade_from_0014_brings_back_the_full_indexes(desk: Desk) -> None:
    config = store_db.alembic_config(desk.db.engine)
    command.downgrade(config, "0013")
    held = _due_indexes(desk)
    assert {
        "ix_case_concluded_figures",
        "ix_case_status_satisfaction",
        "ix_case_agent_status_due",
    } <= {name for name, sql in held.items() if " WHERE " not in sql}
    assert "ix_case_follow_up" not in _indexes(desk)
    command.upgrade(config, "head")
    assert {name for name, sql in _due_indexes(desk).items() if " WHERE " not in sql} == OPEN_DUE
