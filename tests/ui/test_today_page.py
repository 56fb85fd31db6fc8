"""今日待办: the first page after unlock lists what is due, each a click from its case."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from agent_desk.core.calendar import add_working_days
from agent_desk.store.models import Case, CaseDocument


def test_today_is_the_first_page_with_its_lists_counted(qtbot, window) -> None:
    page = window.pages["today"]
    assert list(window.pages)[0] == "today" and window.nav.currentRow() == 0
    qtbot.waitUntil(lambda: page.state is not None, timeout=10000)
    state = page.state
    today = date.today()
    with window.desk.db.session() as session:
        overdue = session.scalars(
            select(Case).where(
                Case.status.in_(("entrusted", "accepted", "in_progress", "needs_correction")),
                Case.due_on < today,
            )
        ).all()
        returned = session.scalars(select(Case).where(Case.status == "needs_correction")).all()
        promised = session.scalars(
            select(CaseDocument).where(
                CaseDocument.status == "deferred",
                CaseDocument.promised_on <= add_working_days(today, 2),
            )
        ).all()
    assert state.counts["overdue"] == len(overdue) > 0
    assert state.counts["returned"] == len(returned) > 0
    assert state.counts["deferred_due"] <= len(promised)
    assert all(r.when is not None and r.when >= today for r in state.rows["due_soon"])
    assert all(r.when is not None and r.when < today for r in state.rows["overdue"])
    qtbot.waitUntil(lambda: window.nav.item(0).text() == f"Today ({state.total})", timeout=5000)
    head = page.tree.topLevelItem(0)
    first = head.child(0)
    with qtbot.waitSignal(page.open_case, timeout=5000) as opened:
        page._activated(first)
    assert opened.args[0] == first.data(0, 256)
    qtbot.waitUntil(lambda: opened.args[0] in window.case_views, timeout=5000)


def test_follow_ups_due_are_delivered_cases_without_a_visit(qtbot, window) -> None:
    page = window.pages["today"]
    qtbot.waitUntil(lambda: page.state is not None, timeout=10000)
    with window.desk.db.session() as session:
        due = session.scalars(
            select(Case.id).where(Case.status == "delivered", Case.satisfaction.is_(None))
        ).all()
    assert page.state.counts["follow_up"] == len(due)
    assert {r.case_id for r in page.state.rows["follow_up"]} <= set(due)
