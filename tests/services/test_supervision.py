"""Supervision figures against values worked out by hand on a small fixed dataset (see ``township``).

Period 2026-11-01..2026-11-30, today 2026-11-20 (Fri); no holidays in November 2026.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent_desk.services.supervision import deadline_warnings, period_figures
from agent_desk.store.models import CaseDocument, User

ITEM_NAME = "最低生活保障申请"  # the factories' default item

TODAY = date(2026, 11, 20)
START, END = date(2026, 11, 1), date(2026, 11, 30)
ITEM2, ITEM2_NAME = "62052400MZ-JF-0002", "特困人员救助供养"
D = date


def _case(session: Any, make_case: Any, client: Any, status: str, **fields: Any) -> Any:
    base = {
        k: fields.pop(k)
        for k in ("entrusted_on", "item_code", "item_name", "village_id", "agent_id")
        if k in fields
    }
    case = make_case(session, client, status=status, **base)
    for key, value in fields.items():
        setattr(case, key, value)
    session.add(case)
    session.flush()
    return case


def _deferred(session: Any, case: Any, promised: date) -> None:
    session.add(
        CaseDocument(case_id=case.id, name="户口簿", status="deferred", promised_on=promised)
    )


@pytest.fixture
def township(session, make_client, make_case, make_village) -> dict[str, Any]:
    """Ten cases; the comments give each one's part in the figures."""
    a, b = make_village(session, "洛门村"), make_village(session, "新庄村")
    zhang = User(username="zhang", display_name="张三", role="agent", village_id=a.id)
    li = User(username="li", display_name="李四", role="agent", village_id=b.id)
    session.add_all([zhang, li])
    session.flush()
    ca, cb = (
        make_client(session, name="王建国", village_id=a.id),
        make_client(session, name="赵秀英", village_id=b.id),
    )
    item2 = {"item_code": ITEM2, "item_name": ITEM2_NAME}
    cases = {
        # concluded on time, 9 working days, one visit: a trip saved; satisfaction 5
        "c1": _case(
            session,
            make_case,
            ca,
            "delivered",
            entrusted_on=D(2026, 11, 2),
            village_id=a.id,
            accepted_on=D(2026, 11, 2),
            due_on=D(2026, 11, 16),
            concluded_on=D(2026, 11, 13),
            satisfaction=5,
            delivered_on=D(2026, 11, 16),
            result="准予办理",
        ),
        # concluded late, 4 working days, 容缺 (client came back): no trip saved; satisfaction 4
        "c2": _case(
            session,
            make_case,
            ca,
            "concluded",
            entrusted_on=D(2026, 11, 3),
            village_id=a.id,
            accepted_on=D(2026, 11, 3),
            due_on=D(2026, 11, 5),
            concluded_on=D(2026, 11, 9),
            deferred=True,
            satisfaction=4,
        ),
        # concluded on its due date (on time), 10 working days, returned once: no trip saved; satisfaction 3
        "c3": _case(
            session,
            make_case,
            cb,
            "archived",
            entrusted_on=D(2026, 11, 4),
            village_id=b.id,
            **item2,
            accepted_on=D(2026, 11, 4),
            due_on=D(2026, 11, 18),
            concluded_on=D(2026, 11, 18),
            returned_count=1,
            satisfaction=3,
        ),
        # open and overdue (due yesterday), village 新庄村 with no agent set: 李四 by village; 容缺 past its promise
        "c4": _case(
            session,
            make_case,
            cb,
            "in_progress",
            entrusted_on=D(2026, 11, 5),
            village_id=b.id,
            accepted_on=D(2026, 11, 5),
            due_on=D(2026, 11, 19),
            deferred=True,
        ),
        # entrusted in October, concluded in the period late, 14 working days, a trip saved; not rated
        "c5": _case(
            session,
            make_case,
            ca,
            "concluded",
            entrusted_on=D(2026, 10, 20),
            village_id=a.id,
            **item2,
            accepted_on=D(2026, 10, 21),
            due_on=D(2026, 11, 4),
            concluded_on=D(2026, 11, 10),
        ),
        # open, due in 2 working days (due soon), agent 李四 set on the case; 容缺 promised next week
        "c6": _case(
            session,
            make_case,
            ca,
            "accepted",
            entrusted_on=D(2026, 11, 10),
            village_id=a.id,
            agent_id=li.id,
            accepted_on=D(2026, 11, 10),
            due_on=D(2026, 11, 24),
            deferred=True,
        ),
        # entrusted after the period: nowhere
        "c7": _case(
            session, make_case, cb, "entrusted", entrusted_on=D(2026, 12, 1), village_id=b.id
        ),
        # a tombstone: nowhere
        "c8": _case(
            session,
            make_case,
            ca,
            "concluded",
            entrusted_on=D(2026, 11, 6),
            village_id=a.id,
            accepted_on=D(2026, 11, 6),
            due_on=D(2026, 11, 20),
            concluded_on=D(2026, 11, 12),
            deleted=True,
        ),
        # withdrawn with a 容缺 document: counts in volume, not as 容缺 waiting
        "c10": _case(
            session,
            make_case,
            cb,
            "withdrawn",
            entrusted_on=D(2026, 11, 7),
            village_id=b.id,
            deferred=True,
        ),
    }
    _deferred(session, cases["c4"], D(2026, 11, 10))
    _deferred(session, cases["c6"], D(2026, 11, 27))
    _deferred(session, cases["c10"], D(2026, 11, 12))
    session.commit()
    return {"cases": cases, "a": a, "b": b, "zhang": zhang, "li": li, "clients": (ca, cb)}


def test_volume_by_item_and_village(session, township) -> None:
    f = period_figures(session, START, END, today=TODAY)
    assert f.entrusted == 6  # c1 c2 c3 c4 c6 c10
    assert f.by_item == [(ITEM_NAME, 5), (ITEM2_NAME, 1)]
    assert sorted(f.by_village) == [("新庄村", 3), ("洛门村", 3)]


def test_conclusion_figures(session, township) -> None:
    f = period_figures(session, START, END, today=TODAY)
    assert f.concluded == 4  # c1 c2 c3 c5
    assert f.on_time == 2 and f.on_time_rate == 0.5  # c1, c3 (on its due date)
    assert f.avg_working_days == pytest.approx((9 + 4 + 10 + 14) / 4)
    assert f.trips_saved == 2 and f.trips_saved_rate == 0.5  # c1, c5


def test_satisfaction_and_deferred(session, township) -> None:
    f = period_figures(session, START, END, today=TODAY)
    assert f.satisfaction == {5: 1, 4: 1, 3: 1}
    assert f.satisfaction_avg == 4.0 and f.rated == 3
    # c4 (past its promise), c6; not c2 (容缺 but its document came), not c10 (withdrawn)
    assert (f.deferred_waiting, f.deferred_past_promise) == (2, 1)


def test_an_empty_period_has_no_rates(session, township) -> None:
    f = period_figures(session, date(2020, 1, 1), date(2020, 1, 31), today=TODAY)
    assert (f.entrusted, f.concluded, f.on_time_rate, f.avg_working_days, f.satisfaction_avg) == (
        0,
        0,
        None,
        None,
        None,
    )


def test_deadline_warnings_by_village_and_agent(session, township) -> None:
    w = deadline_warnings(session, today=TODAY)
    assert w.soon_by == date(2026, 11, 24)
    assert [(x.label, x.overdue, x.due_soon) for x in w.by_village] == [
        ("新庄村", 1, 0),
        ("洛门村", 0, 1),
    ]
    assert [(x.label, x.overdue, x.due_soon) for x in w.by_agent] == [("李四", 1, 1)]
    assert (w.overdue, w.due_soon) == (1, 1)
