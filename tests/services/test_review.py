"""Review steps (events, outbox, review state) and the review queue's order and filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from agent_desk.core.errors import DomainError
from agent_desk.services import review
from agent_desk.services.cases import apply_action
from agent_desk.store import audit
from agent_desk.store.models import CaseEvent, ClientChange, OutboxEntry, User
from agent_desk.store.review_queries import (
    ReviewFilter,
    count_review,
    fill_missing_review_states,
    review_page,
)

TODAY = date(2026, 11, 20)


def _outbox_for(session, entity_id: str) -> list[OutboxEntry]:
    return list(session.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == entity_id)))


def test_return_then_resubmit_then_approve(session, make_client, make_case) -> None:
    case = make_case(session, make_client(session), status="accepted")
    apply_action(case, "submit", session=session, actor="王建国")
    assert case.review_state == "waiting"
    event = review.return_case(
        case.id, ["申请表缺少申请人签字", "户口簿复印件不清晰"], session=session, actor="李慧敏"
    )
    session.commit()
    assert (case.status, case.review_state, case.returned_count) == (
        "needs_correction",
        "returned",
        1,
    )
    assert event.payload["reasons"] == ["申请表缺少申请人签字", "户口簿复印件不清晰"]
    assert event.reason == "申请表缺少申请人签字；户口簿复印件不清晰" and event.actor == "李慧敏"
    assert _outbox_for(session, event.id), "the event goes to the hub"
    [case_change] = [
        e for e in _outbox_for(session, case.id) if e.fields.get("review_state") == "returned"
    ]
    assert (
        case_change.fields["returned_count"] == 1
        and case_change.fields["status"] == "needs_correction"
    )
    apply_action(case, "resubmit", session=session, actor="王建国")
    assert case.review_state == "waiting"
    review.approve(case.id, session=session, actor="李慧敏", comment="材料齐全")
    session.commit()
    assert (case.status, case.review_state, case.returned_count) == ("in_progress", "approved", 1)


def test_return_needs_a_reason_and_an_open_case(session, make_client, make_case) -> None:
    case = make_case(session, make_client(session), status="in_progress")
    with pytest.raises(DomainError):
        review.return_case(case.id, ["  "], session=session, actor="李慧敏")
    done = make_case(session, make_client(session), status="delivered")
    with pytest.raises(DomainError):
        review.approve(done.id, session=session, actor="李慧敏")


def test_revealing_the_id_number_is_recorded(session, make_client, make_case, tmp_path) -> None:
    client = make_client(session)
    case = make_case(session, client, status="in_progress")
    detail = review.load_review(case.id, session=session, attachments=tmp_path)
    assert client.id_number not in detail.client.masked_id and "*" in detail.client.masked_id
    assert (
        review.reveal_id_number(client.id, session=session, actor="李慧敏", case_id=case.id)
        == client.id_number
    )
    session.commit()
    [seen] = session.scalars(
        select(ClientChange).where(ClientChange.source == review.REVEAL_SOURCE)
    )
    assert (seen.client_id, seen.actor, seen.changes["case_id"]) == (client.id, "李慧敏", case.id)


def test_revealing_the_id_number_is_an_entry_in_the_audit_chain(
    session, make_client, make_case
) -> None:
    client = make_client(session)
    case = make_case(session, client, status="in_progress")
    review.reveal_id_number(client.id, session=session, actor="李慧敏", case_id=case.id)
    session.commit()
    chain = list(audit.entries(session.connection()))
    [view] = [e for e in chain if e["action"] == "view_full"]
    assert (view["actor"], view["entity"], view["entity_id"]) == ("李慧敏", "client", client.id)
    assert "id_number" in str(view["detail"]) and case.id in str(view["detail"])
    assert client.id_number not in str(chain)  # the entry names what was seen, never the number
    assert audit.verify(session.connection())[1] is None


# -- the queue ------------------------------------------------------------------------------------------
@pytest.fixture
def queue(session, make_client, make_case, make_village):
    a, b = make_village(session, "洛门村"), make_village(session, "新庄村")
    agent = User(username="z", display_name="张三", role="agent", village_id=a.id)
    session.add(agent)
    session.flush()
    ca, cb = make_client(session, village_id=a.id), make_client(session, village_id=b.id)
    day = TODAY - timedelta(days=40)
    made = {}
    # name: (client, status, days after `day`, review state, due offset from today)
    for name, client, status, age, state, due in (
        ("old_open", ca, "accepted", 0, None, -3),
        ("waiting_new", cb, "in_progress", 9, "waiting", 5),
        ("waiting_old", ca, "in_progress", 2, "waiting", 1),
        ("approved", cb, "in_progress", 1, "approved", 10),
        ("returned", ca, "needs_correction", 5, "returned", -1),
        ("done", ca, "archived", 3, "approved", None),
    ):
        case = make_case(session, client, status=status, entrusted_on=day + timedelta(days=age))
        case.review_state = state
        case.due_on = TODAY + timedelta(days=due) if due is not None else case.due_on
        made[name] = case
    session.commit()
    return {"cases": made, "a": a, "b": b, "agent": agent}


def _names(queue, ids: list[str]) -> list[str]:
    by_id = {c.id: name for name, c in queue["cases"].items()}
    return [by_id[i] for i in ids]


def _ids(session, f: ReviewFilter) -> list[str]:
    return [case_id for case_id, _ in review_page(session, f)]


def test_waiting_first_then_oldest_first(session, queue) -> None:
    assert _names(queue, _ids(session, ReviewFilter())) == [
        "waiting_old",
        "waiting_new",
        "old_open",
        "approved",
        "returned",
    ]
    assert _names(queue, _ids(session, ReviewFilter(statuses=()))) == [
        "waiting_old",
        "waiting_new",
        "old_open",
        "approved",
        "done",
        "returned",
    ]
    first = review_page(session, ReviewFilter(), limit=2)
    assert _names(
        queue, [i for i, _ in review_page(session, ReviewFilter(), after=first[-1][1], limit=2)]
    ) == ["old_open", "approved"]
    assert count_review(session, ReviewFilter()) == (2, 5)


def test_queue_filters(session, queue) -> None:
    def names(**kw) -> list[str]:
        return _names(queue, _ids(session, ReviewFilter(**kw)))

    assert names(waiting_only=True) == ["waiting_old", "waiting_new"]
    assert names(village_id=queue["b"].id) == ["waiting_new", "approved"]
    assert names(statuses=("needs_correction",)) == ["returned"]
    assert names(deadline="overdue", today=TODAY) == ["old_open", "returned"]
    assert names(deadline="due_soon", today=TODAY, soon_by=TODAY + timedelta(days=2)) == [
        "waiting_old"
    ]
    agent = queue["agent"]
    assert names(agent_id=agent.id, agent_village_id=agent.village_id) == [
        "waiting_old",
        "old_open",
        "returned",
    ]
    assert names(item_code="none") == []


def test_missing_review_states_come_from_events(session, make_client, make_case) -> None:
    case = make_case(
        session, make_client(session), status="in_progress"
    )  # factory: no review state
    returned = make_case(session, make_client(session), status="needs_correction")
    session.commit()
    assert fill_missing_review_states(session) == 2
    session.commit()
    session.refresh(case)
    session.refresh(returned)
    assert (case.review_state, returned.review_state) == ("waiting", "returned")
    assert fill_missing_review_states(session) == 0
    assert session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
