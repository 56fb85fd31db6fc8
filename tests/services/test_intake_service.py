"""Intake, documents, library and hand-over services end to end on a temp desk (no Qt)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.errors import DomainError
from agent_desk.core.identity import make_resident_id
from agent_desk.services.case_life import receive_document
from agent_desk.services.cases import apply_action
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.handover import create_batch, mark_submitted, print_handover_list
from agent_desk.services.households import member_input, start_household
from agent_desk.services.intake import (
    DocumentChoice,
    IntakeRequest,
    generate_case_documents,
    preview_missing,
    start_intake,
)
from agent_desk.services.library import AttachmentRefused, attach_document, store_blob
from agent_desk.services.profiles import agent_info
from agent_desk.services.settings import AgentSettings, Settings
from agent_desk.store.case_queries import case_documents, client_documents
from agent_desk.store.models import Case, CaseEvent, GeneratedDocument, OutboxEntry
from agent_desk.sync.settings import SyncSettings

CATALOG = load_catalog(default_catalog_dir())
TODAY = date(2026, 11, 20)
ITEM = "62052400MZ-JF-0001"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
AGENT = {
    "name": "张红梅",
    "phone": "13893812345",
    "id_number": make_resident_id("620524", date(1985, 6, 15), 224),
    "village": "洛门村",
    "service_room": "洛门村便民服务室",
}
MANUAL = {
    "apply_type": "农村低保",
    "apply_mode": "整户申请",
    "annual_income": "3600.50",
    "health": "健康",
    "assets": "土坯房三间",
    "reason": "家庭收入低",
}


def docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def agent():
    settings = Settings(sync=SyncSettings(username="zhm"), agent=AgentSettings(**AGENT))
    return agent_info(settings)


def full_client(session, make_village):
    village = make_village(session)
    extra = {
        "address": "洛门镇洛门村三组45号",
        "village_id": village.id,
        "ethnicity": "汉族",
        "bank_name": "武山农商银行",
        "bank_account": "6228480012345678901",
    }
    head = create_client(
        ClientInput(
            "李建国",
            make_resident_id("620524", date(1944, 3, 12), 123),
            phone="13909381234",
            extra=extra,
        ),
        session=session,
    )
    session.flush()
    household = start_household(head, session=session, registration_type="农业")
    spouse = ClientInput("王秀英", make_resident_id("620524", date(1946, 8, 2), 242), extra={})
    create_client(member_input(head, spouse, "配偶"), session=session)
    session.flush()
    return head, household


def test_library_refuses_non_images_and_stores_once(session, make_client, tmp_path: Path) -> None:
    client = make_client(session)
    scan = tmp_path / "身份证.png"
    scan.write_bytes(PNG)
    store = tmp_path / "attachments"
    first = attach_document(
        client.id, "id_card", "身份证", scan, session=session, attachments=store
    )
    again = attach_document(
        client.id, "id_card", "身份证", scan, session=session, attachments=store
    )
    assert first is again and len(client_documents(session, client.id)) == 1
    assert len(list(store.rglob("*.png"))) == 1
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ\x90\x00 not an image")
    with pytest.raises(AttachmentRefused, match="不是照片或扫描件"):
        store_blob(store, fake)
    with pytest.raises(AttachmentRefused, match="超过"):
        store_blob(store, scan, max_bytes=10)


def test_intake_fills_forms_and_hand_over_submits(
    session, make_village, agent, tmp_path: Path
) -> None:
    head, _ = full_client(session, make_village)
    scan = tmp_path / "hukou.png"
    scan.write_bytes(PNG)
    attach_document(
        head.id, "household_register", "户口簿", scan, session=session, attachments=tmp_path / "att"
    )
    item = CATALOG.item(ITEM)
    docs = {d.name: DocumentChoice("received") for d in item.documents if d.required}
    docs["家庭成员收入证明"] = DocumentChoice("deferred", TODAY + timedelta(days=7))
    request = IntakeRequest(head.id, ITEM, docs, dict(MANUAL))
    assert preview_missing(
        IntakeRequest(head.id, ITEM, docs, {}), CATALOG, agent, session=session, today=TODAY
    )
    assert preview_missing(request, CATALOG, agent, session=session, today=TODAY) == []
    case = start_intake(request, CATALOG, session=session, actor="张红梅", today=TODAY)
    session.flush()
    assert case.status == "accepted" and case.deferred and case.due_on is not None
    statuses = {d.name: d.status for d in case_documents(session, case.id)}
    assert statuses["家庭成员收入证明"] == "deferred" and statuses["居民户口簿"] == "received"
    out = generate_case_documents(
        case.id, CATALOG, agent, session=session, documents_dir=tmp_path / "documents", today=TODAY
    )
    assert out.missing == [] and out.failed == []
    assert {d.template for d in out.documents} == {
        "notice",
        "proxy_authorisation",
        "application",
        "check_authorisation",
        "receipt",
    }
    for row in out.documents:
        text = docx_text(tmp_path / "documents" / row.path)
        assert "李建国" in text, row.template
    assert case.case_no in docx_text(
        tmp_path / "documents" / next(d.path for d in out.documents if d.template == "receipt")
    )
    batch = create_batch([case.id], session=session, actor="张红梅", today=TODAY)
    listed = print_handover_list(
        batch.id, CATALOG, agent, session=session, documents_dir=tmp_path / "documents", today=TODAY
    )
    assert listed.missing == [] and listed.document is not None
    assert case.case_no in docx_text(tmp_path / "documents" / listed.document.path)
    assert mark_submitted(batch.id, session=session, actor="张红梅", today=TODAY) == [case.case_no]
    assert case.status == "in_progress" and case.batch_id == batch.id
    with pytest.raises(DomainError):
        mark_submitted(batch.id, session=session, actor="张红梅", today=TODAY)
    with pytest.raises(
        DomainError, match="家庭成员收入证明"
    ):  # a required document is still outstanding
        apply_action(
            case, "conclude", {"outcome": "approved"}, session=session, actor="张红梅", today=TODAY
        )
    promised = next(d for d in case_documents(session, case.id) if d.name == "家庭成员收入证明")
    receive_document(
        promised, TODAY + timedelta(days=3), session=session
    )  # 补交: the 容缺 item closes
    assert (
        promised.status == "received"
        and promised.received_on == TODAY + timedelta(days=3)
        and not case.deferred
    )
    apply_action(
        case,
        "conclude",
        {"outcome": "approved", "result": "自12月起发放"},
        session=session,
        actor="张红梅",
        today=TODAY,
    )
    apply_action(case, "deliver", {"method": "agent"}, session=session, actor="张红梅", today=TODAY)
    apply_action(
        case,
        "follow_up",
        {"satisfaction": 5, "comment": "很方便"},
        session=session,
        actor="张红梅",
        today=TODAY,
    )
    again = generate_case_documents(
        case.id,
        CATALOG,
        agent,
        session=session,
        documents_dir=tmp_path / "documents",
        today=TODAY,
        form_ids=["delivery_receipt"],
    )
    assert [d.template for d in again.documents] == ["delivery_receipt"]
    session.commit()
    assert session.get(Case, case.id).satisfaction == 5
    assert len(session.scalars(select(GeneratedDocument)).all()) == 7
    # printed forms stay on this desk (the hub has no such entity): nothing of them waits in the outbox
    assert (
        session.scalars(select(OutboxEntry).where(OutboxEntry.entity == "generated_document")).all()
        == []
    )
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at)
    )
    assert [e.action for e in events] == [
        "entrust",
        "accept",
        "submit",
        "conclude",
        "deliver",
        "follow_up",
    ]
