"""Migration 0013 drops two due-date indexes; the board, 今日待办 and the hand-over list still seek an index.

Every index holding ``due_on`` is rewritten for each case a calendar publication moves, so the desk
keeps only those a query needs: ``ix_case_status_due`` is the start of wider ones and
``ix_case_due_on`` served no query.
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
from agent_desk.store.case_queries import (
    CaseFilter,
    case_page,
    count_cases,
    handover_candidate_ids,
)
from agent_desk.store.today_queries import today_list

DROPPED = {"ix_case_status_due", "ix_case_due_on"}
TODAY = date(2026, 12, 7)


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
    try:
        with desk.db.session() as session:
            found = handover_candidate_ids(session)
            for f in (
                CaseFilter(),
                CaseFilter(overdue_on=TODAY),
                CaseFilter(due_by=TODAY + timedelta(days=3), due_from=TODAY),
                CaseFilter(statuses=("accepted",)),
            ):
                case_page(session, f, limit=50)
                count_cases(session, f)
            today_list(session, TODAY, TODAY + timedelta(days=3))
    finally:
        event.remove(desk.db.engine, "before_cursor_execute", capture)
    assert len(found) == 4
    return seen


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
