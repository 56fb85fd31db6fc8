"""A case's documents after intake (补交, 容缺, outstanding at the end), its agent, and its 补正 clock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.calendar import add_working_days
from agent_desk.core.errors import DomainError
from agent_desk.services.case_life import correction_pause
from agent_desk.services.cases import apply_action, open_case
from agent_desk.services.desk_setup import AgentDetails, DeskSetup, apply_setup
from agent_desk.services.intake import DocumentChoice, IntakeRequest, item_spec, start_intake
from agent_desk.services.library import attach_document
from agent_desk.services.settings import Settings
from agent_desk.store.case_queries import case_documents
from agent_desk.store.models import CaseEvent
from agent_desk.sync.settings import SyncSettings

CATALOG = load_catalog(default_catalog_dir())
ITEM = (
    "62052400MZ-JF-0001"  # 最低生活保障: its application and authorisation are printed by the desk
)
TODAY = date(2026, 11, 20)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _statuses(session, case) -> dict[str, str]:
    return {d.name: d.status for d in case_documents(session, case.id)}


def test_documents_the_desk_prints_are_not_missing_at_intake(session, make_client) -> None:
    case = open_case(
        make_client(session), item_spec(CATALOG.item(ITEM)), session=session, actor="t", today=TODAY
    )
    session.flush()
    statuses = _statuses(session, case)
    assert (
        statuses["最低生活保障申请书"] == "received"
        and statuses["家庭经济状况核对授权书"] == "received"
    )
    assert statuses["居民户口簿"] == "missing"


def _accepted(session, client, deferred: str | None = None):
    item = CATALOG.item(ITEM)
    docs = {d.name: DocumentChoice("received") for d in item.documents if d.required}
    if deferred:
        docs[deferred] = DocumentChoice("deferred", TODAY + timedelta(days=7))
    docs["居民户口簿"] = DocumentChoice("missing")
    case = open_case(client, item_spec(item), session=session, actor="t", today=TODAY)
    session.flush()
    for doc in case_documents(session, case.id):
        choice = docs.get(doc.name)
        if choice and choice.status == "received":
            doc.status = "received"
    session.flush()
    return case


def test_concluding_or_archiving_with_a_document_outstanding_asks_for_a_reason(
    session, make_client
) -> None:
    case = _accepted(session, make_client(session))
    apply_action(
        case,
        "accept",
        {"deferred_documents": [{"name": "居民户口簿", "promised_on": TODAY + timedelta(days=5)}]},
        session=session,
        actor="t",
        today=TODAY,
    )
    apply_action(case, "submit", {}, session=session, actor="t", today=TODAY)
    with pytest.raises(DomainError, match="居民户口簿"):
        apply_action(
            case, "conclude", {"outcome": "approved"}, session=session, actor="t", today=TODAY
        )
    assert case.status == "in_progress"
    event = apply_action(
        case,
        "conclude",
        {"outcome": "approved", "outstanding_reason": "部门已核验原件"},
        session=session,
        actor="t",
        today=TODAY,
    )
    assert event.payload["outstanding_reason"] == "部门已核验原件"
    apply_action(case, "deliver", {"method": "pickup"}, session=session, actor="t", today=TODAY)
    with pytest.raises(DomainError, match="请填写原因"):
        apply_action(case, "archive", {}, session=session, actor="t", today=TODAY)


def test_a_scan_added_to_the_library_marks_open_cases_documents_received(
    session, make_client, tmp_path: Path
) -> None:
    client = make_client(session)
    case = _accepted(session, client)
    assert _statuses(session, case)["居民户口簿"] == "missing"
    scan = tmp_path / "hukou.png"
    scan.write_bytes(PNG)
    attach_document(
        client.id,
        "household_register",
        "户口簿",
        scan,
        session=session,
        attachments=tmp_path / "att",
    )
    doc = next(d for d in case_documents(session, case.id) if d.name == "居民户口簿")
    assert doc.status == "received" and doc.received_on is not None and doc.client_document_id


def _returned(session, client):
    """A case accepted, submitted and returned for 补正: (case, its due date then, the day it went back)."""
    case = _accepted(session, client)
    next(d for d in case_documents(session, case.id) if d.name == "居民户口簿").status = "received"
    apply_action(case, "accept", {}, session=session, actor="t", today=TODAY)
    due = case.due_on
    apply_action(case, "submit", {}, session=session, actor="t", today=TODAY)
    returned = apply_action(
        case,
        "return_for_correction",
        {"reasons": ["缺签字"]},
        session=session,
        actor="t",
        today=TODAY,
    )
    session.flush()
    return case, due, returned.at.date()  # events carry the real clock


def test_time_in_correction_moves_the_deadline(session, make_client) -> None:
    case, due, returned_on = _returned(session, make_client(session))
    back = returned_on + timedelta(days=14)
    waited = correction_pause(returned_on, back)
    assert waited >= 9
    apply_action(case, "resubmit", {}, session=session, actor="t", today=back)
    assert case.due_on == add_working_days(due, waited) and case.paused_days == waited


def test_an_item_can_keep_its_clock_running_in_correction(session, make_client) -> None:
    case, due, returned_on = _returned(session, make_client(session))
    apply_action(
        case,
        "resubmit",
        {},
        session=session,
        actor="t",
        today=returned_on + timedelta(days=14),
        pauses_clock=False,
    )
    assert case.due_on == due and case.paused_days == 0


def test_each_case_names_the_desks_agent(session, make_client, make_village) -> None:
    village = make_village(session)
    setup = DeskSetup(
        agent=AgentDetails("王建国", "13909381234", "620524197803150017", "洛门村便民服务室")
    )
    apply_setup(setup, Settings(sync=SyncSettings(username="wangjg")), session=session)
    client = make_client(session, village_id=village.id)
    case = start_intake(
        IntakeRequest(client.id, ITEM, {}, {}),
        CATALOG,
        session=session,
        actor="wangjg",
        today=TODAY,
    )
    session.flush()
    from agent_desk.store.models import User

    agent = session.get(User, case.agent_id)
    assert agent is not None and agent.display_name == "王建国"
    assert (
        session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).first() is not None
    )
