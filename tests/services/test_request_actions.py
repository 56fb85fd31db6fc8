"""A 一件事 as a whole: withdrawn by the applicant in one step, decided case by case on one screen."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.case_flow import CaseAction
from agent_desk.core.errors import DomainError
from agent_desk.services.cases import apply_action
from agent_desk.services.intake import DocumentChoice
from agent_desk.services.request_actions import decide, load_request_review, withdraw_request
from agent_desk.services.requests import BundleIntake, shared_kinds, start_request
from agent_desk.store.models import Case, CaseEvent, OutboxEntry, Request

CATALOG = load_catalog(default_catalog_dir())
NEWBORN = "620524-YJS-0001"
TODAY = date(2026, 12, 1)
BIRTH_CERT, VACCINATION = "62052400WJ-GG-0002", "62052400WJ-GG-0003"


def _request(session, make_client) -> Request:
    client = make_client(session)
    kinds = shared_kinds(CATALOG.bundle(NEWBORN), CATALOG)
    intake = BundleIntake(client.id, NEWBORN, {k: DocumentChoice("received") for k in kinds})
    request = start_request(intake, CATALOG, session=session, actor="t", today=TODAY)
    session.flush()
    return request


def _cases(session, request_id: str) -> dict[str, Case]:
    return {
        c.item_code: c for c in session.scalars(select(Case).where(Case.request_id == request_id))
    }


def _conclude(session, case: Case) -> None:
    for action, payload in (
        (CaseAction.SUBMIT, {}),
        (CaseAction.CONCLUDE, {"outcome": "approved"}),
    ):
        apply_action(case, action, payload, session=session, actor="t", today=TODAY)
    session.flush()


def test_withdrawing_a_request_withdraws_its_open_cases_and_leaves_concluded_ones(
    session, make_client
) -> None:
    request = _request(session, make_client)
    cases = _cases(session, request.id)
    _conclude(session, cases[BIRTH_CERT])
    session.commit()
    done = withdraw_request(
        request.id,
        " 孩子随父母迁往外省落户 ",
        session=session,
        actor="王建国",
        role="agent",
        today=TODAY,
    )
    session.commit()
    assert len(done) == 4 and cases[BIRTH_CERT].case_no not in done
    states = {code: c.status for code, c in _cases(session, request.id).items()}
    assert states.pop(BIRTH_CERT) == "concluded"
    assert set(states.values()) == {"withdrawn"}
    reasons = session.scalars(select(CaseEvent.reason).where(CaseEvent.action == "withdraw")).all()
    assert reasons == ["孩子随父母迁往外省落户"] * 4
    assert session.get(Request, request.id).status == "withdrawn"
    queued = {(e.entity, e.entity_id) for e in session.scalars(select(OutboxEntry))}
    assert ("request", request.id) in queued


@pytest.mark.parametrize(
    ("reason", "role", "message"),
    [
        ("  ", "agent", "请填写撤回原因"),
        ("不办了", "reviewer", "审核人员不能执行「撤回」操作"),
    ],
)
def test_a_withdrawal_without_reason_or_by_a_reviewer_changes_nothing(
    session, make_client, reason: str, role: str, message: str
) -> None:
    request = _request(session, make_client)
    session.commit()
    before = session.scalar(select(OutboxEntry.seq).order_by(OutboxEntry.seq.desc()).limit(1))
    with pytest.raises(DomainError, match=message):
        withdraw_request(request.id, reason, session=session, actor="t", role=role, today=TODAY)
    session.rollback()
    after = session.scalar(select(OutboxEntry.seq).order_by(OutboxEntry.seq.desc()).limit(1))
    assert after == before
    assert {c.status for c in _cases(session, request.id).values()} == {"accepted", "entrusted"}


def test_a_withdrawn_request_cannot_be_withdrawn_again(session, make_client) -> None:
    request = _request(session, make_client)
    withdraw_request(request.id, "不办了", session=session, actor="t", role="agent", today=TODAY)
    with pytest.raises(DomainError, match="该一件事已撤回"):
        withdraw_request(request.id, "再撤", session=session, actor="t", role="agent", today=TODAY)


def test_a_reviewer_decides_each_case_of_the_request_on_one_screen(session, make_client) -> None:
    request = _request(session, make_client)
    cases = _cases(session, request.id)
    for code in (BIRTH_CERT, VACCINATION):
        apply_action(cases[code], CaseAction.SUBMIT, {}, session=session, actor="t", today=TODAY)
    session.flush()
    review = load_request_review(session, request.id, "reviewer")
    assert review.steps(cases[BIRTH_CERT].id) == (
        CaseAction.APPROVE,
        CaseAction.RETURN_FOR_CORRECTION,
    )
    assert review.steps(cases["62052400GA-QR-0001"].id) == ()  # 委托, waiting: nothing to decide
    assert load_request_review(session, request.id, "agent").steps(cases[BIRTH_CERT].id) == ()
    decide(
        request.id,
        cases[BIRTH_CERT].id,
        "approve",
        {},
        session=session,
        actor="li",
        role="reviewer",
    )
    decide(
        request.id,
        cases[VACCINATION].id,
        "return_for_correction",
        {"reasons": ["接种信息不全"]},
        session=session,
        actor="li",
        role="reviewer",
    )
    session.flush()
    assert cases[BIRTH_CERT].review_state == "approved"
    assert (cases[VACCINATION].status, cases[VACCINATION].review_state) == (
        "needs_correction",
        "returned",
    )


def test_bad_review_decisions_are_refused_in_chinese(session, make_client) -> None:
    request = _request(session, make_client)
    other = _request(session, make_client)
    cases = _cases(session, request.id)
    apply_action(cases[BIRTH_CERT], CaseAction.SUBMIT, {}, session=session, actor="t", today=TODAY)
    session.flush()
    case_id = cases[BIRTH_CERT].id
    with pytest.raises(DomainError, match="至少一条原因"):
        decide(
            request.id,
            case_id,
            "return_for_correction",
            {"reasons": [" "]},
            session=session,
            actor="li",
            role="reviewer",
        )
    with pytest.raises(DomainError, match="代办员不能执行「审核通过」"):
        decide(request.id, case_id, "approve", {}, session=session, actor="wang", role="agent")
    with pytest.raises(DomainError, match="不属于这件一件事"):
        decide(other.id, case_id, "approve", {}, session=session, actor="li", role="reviewer")
    assert cases[BIRTH_CERT].review_state == "waiting" and cases[BIRTH_CERT].status == "in_progress"
