"""Requests (一件事): one intake opens every case; documents entered once; order kept; deadline set."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.calendar import add_working_days
from agent_desk.core.case_flow import CaseAction
from agent_desk.core.errors import DomainError
from agent_desk.services.cases import apply_action
from agent_desk.services.intake import DocumentChoice
from agent_desk.services.requests import (
    BundleIntake,
    load_request,
    receive_shared_document,
    refresh_request,
    shared_kinds,
    start_member,
    start_request,
    startable_cases,
)
from agent_desk.store.models import Case, CaseDocument, OutboxEntry

CATALOG = load_catalog(default_catalog_dir())
NEWBORN = "620524-YJS-0001"
TODAY = date(2026, 12, 1)
BIRTH_CERT, VACCINATION, HUKOU, MEDICAL, SSCARD = (
    "62052400WJ-GG-0002",
    "62052400WJ-GG-0003",
    "62052400GA-QR-0001",
    "62052400YB-GG-0001",
    "62052400RS-GG-0002",
)


def _intake(client_id: str, *, missing: tuple[str, ...] = ()) -> BundleIntake:
    kinds = shared_kinds(CATALOG.bundle(NEWBORN), CATALOG)
    docs = {k: DocumentChoice("missing" if k in missing else "received") for k in kinds}
    return BundleIntake(client_id, NEWBORN, docs)


def _conclude(session, case: Case, day: date) -> None:
    for action, payload in (
        (CaseAction.SUBMIT, {}),
        (CaseAction.CONCLUDE, {"outcome": "approved"}),
    ):
        apply_action(case, action, payload, session=session, actor="t", today=day)
    session.flush()


def _by_code(session, request_id: str) -> dict[str, Case]:
    cases = session.scalars(select(Case).where(Case.request_id == request_id))
    return {c.item_code: c for c in cases}


def test_one_intake_opens_every_case_and_waits_where_the_bundle_says(session, make_client) -> None:
    client = make_client(session)
    request = start_request(_intake(client.id), CATALOG, session=session, actor="t", today=TODAY)
    session.commit()
    cases = _by_code(session, request.id)
    assert set(cases) == {BIRTH_CERT, VACCINATION, HUKOU, MEDICAL, SSCARD}
    assert cases[BIRTH_CERT].status == cases[VACCINATION].status == "accepted"
    assert {cases[c].status for c in (HUKOU, MEDICAL, SSCARD)} == {"entrusted"}
    view = load_request(session, request.id)
    blocked = {m.item_code: m.blocked_by for m in view.members}
    assert blocked[HUKOU] == ("出生医学证明签发",)
    assert blocked[MEDICAL] == blocked[SSCARD] == ("出生登记（户口登记）",)
    # the longest chain: 出生医学证明 3 + 落户 2 + 社保卡 10 promised working days
    assert request.due_on == add_working_days(TODAY, 15)
    assert view.progress == 0.0
    queued = {e.entity for e in session.scalars(select(OutboxEntry))}
    assert {"request", "case", "case_document", "case_event"} <= queued


def test_documents_entered_once_reach_every_case_that_asks(session, make_client) -> None:
    client = make_client(session)
    request = start_request(
        _intake(client.id, missing=("household_register",)),
        CATALOG,
        session=session,
        actor="t",
        today=TODAY,
    )
    session.flush()
    view = load_request(session, request.id)
    shared = {d.doc_kind: d for d in view.documents}
    assert shared["id_card"].status == "received"
    assert len(shared["id_card"].used_by) == 4
    assert shared["household_register"].status == "missing"
    assert (
        receive_shared_document(request.id, "household_register", session=session, today=TODAY) == 3
    )
    session.flush()
    states = session.scalars(
        select(CaseDocument.status).where(CaseDocument.doc_kind == "household_register")
    ).all()
    assert states and set(states) == {"received"}


def test_a_case_becomes_startable_when_its_predecessor_is_approved(session, make_client) -> None:
    client = make_client(session)
    request = start_request(_intake(client.id), CATALOG, session=session, actor="t", today=TODAY)
    session.flush()
    cases = _by_code(session, request.id)
    assert startable_cases(session)[0] == 0
    with pytest.raises(DomainError, match="须等「出生医学证明签发」办结批准后才能办理"):
        start_member(cases[HUKOU].id, CATALOG, session=session, actor="t", today=TODAY)
    _conclude(session, cases[BIRTH_CERT], TODAY)
    count, rows = startable_cases(session)
    assert count == 1 and rows[0][0] == cases[HUKOU].id
    start_member(cases[HUKOU].id, CATALOG, session=session, actor="t", today=TODAY)
    _conclude(session, cases[HUKOU], TODAY)
    assert startable_cases(session)[0] == 2  # 医保参保 and 社保卡 in parallel
    for code in (MEDICAL, SSCARD):
        start_member(cases[code].id, CATALOG, session=session, actor="t", today=TODAY)
        _conclude(session, cases[code], TODAY)
    _conclude(session, cases[VACCINATION], TODAY)
    assert refresh_request(session, request.id, TODAY).status == "completed"
    assert load_request(session, request.id).progress == 1.0


def test_an_enterprise_bundle_refuses_a_person(session, make_client) -> None:
    person = make_client(session)
    with pytest.raises(DomainError, match="只受理企业或其他组织的申请"):
        start_request(
            BundleIntake(person.id, "620524-YJS-0003"),
            CATALOG,
            session=session,
            actor="t",
            today=TODAY,
        )


def test_the_combined_notice_lists_each_item_and_each_paper_once(
    session, make_client, data_home
) -> None:
    from docx import Document

    client = make_client(session, name="张三")
    request = start_request(_intake(client.id), CATALOG, session=session, actor="t", today=TODAY)
    request.bundle_name = "新生儿出生一件事 & <联办>"  # awkward characters survive autoescape
    session.flush()
    path = _print_notice(session, request.id, data_home)
    doc = Document(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "“新生儿出生一件事 & <联办>”一次性告知书" in text and "张三" in text
    assert text.count("居民户口簿") == 1  # collected once, used by several items
    assert "出生医学证明签发" in text and "无（可同时办理）" in text


def test_the_combined_notice_printed_alone_on_a_demo_desk_says_demo_data(
    session, make_client, data_home
) -> None:
    """打印告知书 on its own is one of the papers a demo desk prints: stamped like the others."""
    from agent_desk.store.models import Meta
    from tests.services.test_intake_service import docx_text

    session.add(Meta(key="demo", value="1"))  # as seed_demo leaves it
    client = make_client(session, name="张三")
    request = start_request(_intake(client.id), CATALOG, session=session, actor="t", today=TODAY)
    session.flush()
    path = _print_notice(session, request.id, data_home)
    assert docx_text(path).startswith("【演示数据】")
    assert path.name == f"{request.request_no}-一次性告知书.docx"


def _print_notice(session, request_id: str, data_home) -> Path:
    """打印告知书, as the request page runs it."""
    from agent_desk.fill.demo import demo_agent
    from agent_desk.services.requests import print_bundle_notice

    return print_bundle_notice(
        request_id,
        CATALOG,
        demo_agent(),
        session=session,
        documents_dir=data_home / "documents",
        today=TODAY,
    )


def test_figures_and_ledger_count_requests(session, make_client, tmp_path) -> None:
    from openpyxl import load_workbook

    from agent_desk.services.ledger import export_ledger
    from agent_desk.services.request_figures import request_figures
    from agent_desk.store.review_queries import LedgerQuery

    client = make_client(session)
    request = start_request(_intake(client.id), CATALOG, session=session, actor="t", today=TODAY)
    session.flush()
    cases = _by_code(session, request.id)
    for code in (BIRTH_CERT, VACCINATION, HUKOU, MEDICAL, SSCARD):
        if cases[code].status == "entrusted":
            start_member(cases[code].id, CATALOG, session=session, actor="t", today=TODAY)
        _conclude(session, cases[code], TODAY)
    session.commit()
    figures = request_figures(session, TODAY, TODAY)
    assert (figures.opened, figures.completed, figures.trips_per_request) == (1, 1, 4.0)
    [rate] = figures.by_bundle
    assert (rate.bundle, rate.completed, rate.rate) == ("新生儿出生一件事", 1, 1.0)
    target = tmp_path / "台账.xlsx"
    assert export_ledger(LedgerQuery(TODAY, TODAY), target, session=session, today=TODAY) == 5
    sheet = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    column = header.index("所属一件事")
    values = {row[column].value for row in sheet.iter_rows(min_row=2)}
    assert values == {f"{request.request_no} 新生儿出生一件事"}


def test_the_review_queue_names_each_cases_request(session, make_client) -> None:
    from agent_desk.store.review_queries import review_rows

    client = make_client(session)
    request = start_request(_intake(client.id), CATALOG, session=session, actor="t", today=TODAY)
    session.flush()
    ids = list(_by_code(session, request.id).values())
    rows = review_rows(session, [c.id for c in ids])
    assert {r.request for r in rows.values()} == {f"{request.request_no} 新生儿出生一件事"}


def _without_certificate(session, make_client) -> dict[str, Case]:
    intake = _intake(make_client(session).id, missing=("birth_certificate",))
    request = start_request(intake, CATALOG, session=session, actor="t", today=TODAY)
    session.flush()
    return _by_code(session, request.id)


def test_an_approved_member_hands_its_result_to_the_next(session, make_client) -> None:
    """出生医学证明 is produced by the first case: concluding it approved receives it for 落户."""
    from agent_desk.store.models import CaseEvent

    cases = _without_certificate(session, make_client)
    certificate = session.scalars(
        select(CaseDocument).where(
            CaseDocument.case_id == cases[HUKOU].id, CaseDocument.doc_kind == "birth_certificate"
        )
    ).one()
    assert certificate.status == "missing"
    _conclude(session, cases[BIRTH_CERT], TODAY)
    session.refresh(certificate)
    assert (certificate.status, certificate.received_on) == ("received", TODAY)
    [event] = session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == cases[HUKOU].id, CaseEvent.action == "document_handed_on"
        )
    ).all()
    assert cases[BIRTH_CERT].case_no in event.reason and "出生医学证明签发" in event.reason
    assert (event.from_status, event.to_status) == ("entrusted", "entrusted")
    assert event.payload["from_case"] == cases[BIRTH_CERT].id
    # 落户 can now be accepted: nothing required is missing any more
    start_member(cases[HUKOU].id, CATALOG, session=session, actor="t", today=TODAY)
    assert cases[HUKOU].status == "accepted"


def test_a_refused_member_hands_nothing_on(session, make_client) -> None:
    cases = _without_certificate(session, make_client)
    for action, payload in (
        (CaseAction.SUBMIT, {}),
        (CaseAction.CONCLUDE, {"outcome": "refused", "reason": "分娩记录不符"}),
    ):
        apply_action(cases[BIRTH_CERT], action, payload, session=session, actor="t", today=TODAY)
    session.flush()
    states = session.scalars(
        select(CaseDocument.status).where(CaseDocument.doc_kind == "birth_certificate")
    ).all()
    assert states == ["missing"]
