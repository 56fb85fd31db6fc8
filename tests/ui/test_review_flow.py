"""On one desk: the agent submits, the reviewer returns it with reasons, the agent resubmits, the reviewer approves.

The reviewer's desk holds exactly what a pull brings, so one local store stands in for both desks
until the two-desks-and-a-hub version lands with sync.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from agent_desk.store.models import Case, CaseEvent, OutboxEntry

REASONS = ["申请表缺少申请人签字", "银行卡号与户名不一致"]


def _accepted_case(win) -> Case:
    with win.desk.db.session() as session:
        case = session.scalars(
            select(Case).where(Case.status == "accepted").order_by(Case.entrusted_on)
        ).first()
        assert case is not None
        return case


def _case(win, case_id: str) -> Case:
    with win.desk.db.session() as session:
        return session.get(Case, case_id)


def _click(qtbot, view, name: str) -> None:
    with qtbot.waitSignal(view.acted, timeout=5000):
        view.findChild(QPushButton, name).click()
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)


def _agent_step(qtbot, win, dialogs, case_id: str, action: str):
    view = win.open_case(case_id)
    qtbot.waitUntil(
        lambda: view.findChild(QPushButton, f"action_{action}") is not None, timeout=5000
    )
    dialogs.next_payloads.append({})
    _click(qtbot, view, f"action_{action}")
    return view


def _review(qtbot, win, case_id: str):
    view = win.open_review(case_id)
    qtbot.waitUntil(
        lambda: view.detail is not None and view.detail.case.id == case_id, timeout=5000
    )
    return view


def test_submit_return_resubmit_approve(qtbot, reviewer, dialogs) -> None:
    win, case_id = reviewer, _accepted_case(reviewer).id
    _agent_step(qtbot, win, dialogs, case_id, "submit")
    queue = win.pages["review"]
    queue.status.setCurrentIndex(1)  # waiting for review
    qtbot.waitUntil(lambda: case_id in queue.model.ids, timeout=5000)

    view = _review(qtbot, win, case_id)
    assert view.step_buttons[_action("return_for_correction")].isEnabled()
    dialogs.next_payloads.append({"reasons": REASONS})
    _click(qtbot, view, "review_return_for_correction")
    assert dialogs.asked_contexts[-1].common_reasons, "the item's common reasons are offered"
    with win.desk.db.session() as session:
        [event] = session.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == case_id, CaseEvent.action == "return_for_correction"
            )
        )
        assert event.payload["reasons"] == REASONS and event.actor == "李慧敏"
        assert (
            session.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == event.id)).first()
            is not None
        )
    assert (_case(win, case_id).status, _case(win, case_id).review_state) == (
        "needs_correction",
        "returned",
    )

    agent_view = win.open_case(case_id)
    agent_view.reload()  # the agent reopens the case after the next sync
    qtbot.waitUntil(
        lambda: (
            agent_view.detail is not None and agent_view.detail.case.status == "needs_correction"
        ),
        timeout=5000,
    )
    timeline = agent_view.timeline
    reasons = [timeline.item(r, 3).text() for r in range(timeline.rowCount())]
    assert "；".join(REASONS) in reasons  # the agent sees what to correct
    _agent_step(qtbot, win, dialogs, case_id, "resubmit")
    assert _case(win, case_id).review_state == "waiting"

    view = _review(qtbot, win, case_id)
    qtbot.waitUntil(lambda: view.detail.case.status == "in_progress", timeout=5000)
    dialogs.next_payloads.append({})
    _click(qtbot, view, "review_approve")
    case = _case(win, case_id)
    assert (case.status, case.review_state, case.returned_count) == ("in_progress", "approved", 1)
    with win.desk.db.session() as session:
        actions = [
            e.action
            for e in session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at)
            )
        ]
    assert actions[-4:] == ["submit", "return_for_correction", "resubmit", "approve"]


def _action(name: str):
    from agent_desk.core.case_flow import CaseAction

    return CaseAction(name)


def test_an_agent_desk_has_no_review_pages(qtbot, window) -> None:
    assert "review" not in window.pages and "supervision" not in window.pages


def test_queue_lists_waiting_cases_first(qtbot, reviewer) -> None:
    queue = reviewer.pages["review"]
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0, timeout=5000)
    model = queue.model
    states = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    first_other = next(i for i, s in enumerate(states) if s != "Waiting for review")
    assert first_other > 0 and "Waiting for review" not in states[first_other:]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    with qtbot.waitSignal(model.loaded, timeout=5000):
        queue.deadline.setCurrentIndex(1)  # overdue
    assert model.rowCount() > 0
    assert all("overdue" in model.data(model.index(r, 8)) for r in range(model.rowCount()))
    qtbot.waitUntil(lambda: "waiting" in queue.count.text(), timeout=5000)
