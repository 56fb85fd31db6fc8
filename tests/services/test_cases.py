"""Opening a case and moving it through its steps: events, documents, deadlines, outbox."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from agent_desk.core.calendar import add_working_days
from agent_desk.core.case_flow import ForbiddenTransition, MissingRequirement
from agent_desk.core.errors import DomainError
from agent_desk.services.cases import DocumentSpec, ItemSpec, apply_action, open_case
from agent_desk.store.case_queries import case_documents, case_events
from agent_desk.store.models import ClientDocument, OutboxEntry

TODAY = date(2026, 9, 29)  # National Day holidays follow: deadlines must skip them
ITEM = ItemSpec(
    "62052400MZ-JF-0001",
    "最低生活保障申请",
    5,
    (
        DocumentSpec("居民身份证", "id_card"),
        DocumentSpec("户口簿", "household_register"),
        DocumentSpec("低保申请书", None, original=True),
    ),
)


def _outbox(session) -> list[OutboxEntry]:
    return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def test_open_case_reuses_the_client_library_and_queues_everything(session, make_client) -> None:
    client = make_client(session)
    session.add(
        ClientDocument(
            client_id=client.id,
            doc_kind="id_card",
            title="身份证正反面",
            sha256="a" * 64,
            filename="id.jpg",
        )
    )
    before = len(_outbox(session))
    case = open_case(client, ITEM, session=session, actor="王建国", today=TODAY)
    session.commit()
    docs = case_documents(session, case.id)
    assert [d.name for d in docs] == ["居民身份证", "户口簿", "低保申请书"]  # the catalog's order
    assert [d.status for d in docs] == ["received", "missing", "missing"]
    assert case.case_no.startswith("DB20260929") and case.status == "entrusted"
    entities = [e.entity for e in _outbox(session)[before:]]
    assert (
        entities.count("case") == 1
        and entities.count("case_document") == 3
        and entities.count("case_event") == 1
    )


def test_case_numbers_are_unique_per_day(session, make_client) -> None:
    client = make_client(session)
    numbers = {
        open_case(client, ITEM, session=session, actor="a", today=TODAY).case_no for _ in range(5)
    }
    assert len(numbers) == 5


def test_accept_refuses_missing_documents_unless_deferred(session, make_client) -> None:
    client = make_client(session)
    case = open_case(client, ITEM, session=session, actor="a", today=TODAY)
    with pytest.raises(DomainError, match="户口簿"):
        apply_action(case, "accept", {}, session=session, actor="a", today=TODAY)
    assert case.status == "entrusted"
    for doc in case_documents(session, case.id)[:2]:
        doc.status = "received"
    apply_action(
        case,
        "accept",
        {"deferred_documents": [{"name": "低保申请书", "promised_on": "2026-10-12"}]},
        session=session,
        actor="a",
        today=TODAY,
    )
    assert case.status == "accepted" and case.deferred
    assert (
        case.due_on == add_working_days(TODAY, 5) == date(2026, 10, 12)
    )  # skips 10-01..10-07, works 10-10
    deferred = [d for d in case_documents(session, case.id) if d.status == "deferred"]
    assert [(d.name, d.promised_on) for d in deferred] == [("低保申请书", date(2026, 10, 12))]


def test_each_step_is_an_event_with_who_and_why(session, make_client) -> None:
    client = make_client(session)
    case = open_case(
        client, ItemSpec("X", "高龄津贴申请", 3), session=session, actor="王建国", today=TODAY
    )
    apply_action(case, "accept", {}, session=session, actor="王建国", today=TODAY)
    apply_action(case, "submit", {}, session=session, actor="王建国", today=TODAY)
    apply_action(
        case,
        "return_for_correction",
        {"reasons": ["缺少村委会审核意见", "户口簿复印件不清晰"]},
        session=session,
        actor="李慧敏",
    )
    apply_action(case, "resubmit", {}, session=session, actor="王建国")
    apply_action(
        case,
        "conclude",
        {"outcome": "approved", "result": "津贴已核发"},
        session=session,
        actor="王建国",
    )
    apply_action(case, "deliver", {"method": "agent"}, session=session, actor="王建国")
    apply_action(
        case, "follow_up", {"satisfaction": 5, "comment": "很方便"}, session=session, actor="王建国"
    )
    session.commit()
    events = case_events(session, case.id)
    assert [e.action for e in events] == [
        "entrust",
        "accept",
        "submit",
        "return_for_correction",
        "resubmit",
        "conclude",
        "deliver",
        "follow_up",
    ]
    returned = events[3]
    assert returned.actor == "李慧敏" and "缺少村委会审核意见" in returned.reason
    assert returned.payload["reasons"] == ["缺少村委会审核意见", "户口簿复印件不清晰"]
    assert (case.status, case.outcome, case.result, case.satisfaction) == (
        "delivered",
        "approved",
        "津贴已核发",
        5,
    )


def test_forbidden_or_incomplete_steps_change_nothing(session, make_client) -> None:
    client = make_client(session)
    case = open_case(
        client, ItemSpec("X", "高龄津贴申请", 3), session=session, actor="a", today=TODAY
    )
    session.commit()
    queued = len(_outbox(session))
    with pytest.raises(ForbiddenTransition, match="不能执行"):
        apply_action(case, "deliver", {}, session=session, actor="a")
    with pytest.raises(MissingRequirement):
        apply_action(case, "refuse_acceptance", {"reason": "  "}, session=session, actor="a")
    assert case.status == "entrusted"
    assert len(_outbox(session)) == queued
    assert [e.action for e in case_events(session, case.id)] == ["entrust"]
