"""Organisation clients: checked at the edge, found by the one search box, served by their own items."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.errors import DomainError
from agent_desk.core.identity import make_resident_id
from agent_desk.fill.demo import DEMO_CREDIT_CODE, demo_agent
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.intake import IntakeRequest, generate_case_documents, start_intake
from agent_desk.store.models import OutboxEntry
from agent_desk.store.queries import search_client_ids

CATALOG = load_catalog(default_catalog_dir())
REP_ID = make_resident_id("620524", date(1975, 3, 8), 131)
ORG = "武山县宏达建筑工程有限公司"


def make_org(session, **extra):
    fields = {
        "legal_rep_name": "李建国",
        "legal_rep_id_number": REP_ID,
        "contact_name": "王小明",
        "contact_phone": "13919385678",
        "business_scope": "房屋建筑工程施工",
        "address": "武山县城关镇北顺路18号",
    } | extra
    org = create_client(
        ClientInput(name=ORG, id_number=DEMO_CREDIT_CODE, kind="organisation", extra=fields),
        session=session,
    )
    session.flush()
    return org


def test_an_invalid_credit_code_is_refused_with_the_exact_reason(session) -> None:
    wrong_check = DEMO_CREDIT_CODE[:-1] + ("0" if DEMO_CREDIT_CODE[-1] != "0" else "1")
    with pytest.raises(DomainError) as refused:
        create_client(
            ClientInput(name=ORG, id_number=wrong_check, kind="organisation"), session=session
        )
    assert "校验" in str(refused.value) and refused.value.field == "credit_code"


def test_the_legal_representatives_id_is_checked_like_any_resident(session) -> None:
    with pytest.raises(DomainError) as refused:
        make_org(session, legal_rep_id_number=REP_ID[:-1] + ("1" if REP_ID[-1] != "1" else "2"))
    assert "法定代表人身份证号码有误" in str(refused.value)


def test_a_person_has_no_legal_representative(session) -> None:
    with pytest.raises(DomainError, match="个人委托人没有法定代表人"):
        create_client(
            ClientInput(name="王建国", kind="person", extra={"legal_rep_name": "李"}),
            session=session,
        )


@pytest.mark.parametrize("query", [ORG[:5], "wushanxianhongda", "wsxhd", DEMO_CREDIT_CODE])
def test_search_finds_an_organisation(session, query: str) -> None:
    org = make_org(session)
    session.commit()
    assert search_client_ids(session, query) == [org.id]


def test_the_organisation_travels_to_the_hub_with_its_people(session) -> None:
    org = make_org(session)
    session.commit()
    [entry] = session.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == org.id)).all()
    assert entry.fields["legal_rep_id_number"] == REP_ID
    assert entry.fields["business_scope"] == "房屋建筑工程施工"


def test_a_person_item_refuses_an_organisation_and_the_other_way_round(
    session, make_client
) -> None:
    org = make_org(session)
    person = make_client(session)
    with pytest.raises(DomainError, match="只受理个人的申请"):
        start_intake(
            IntakeRequest(org.id, "62052400MZ-JF-0001"), CATALOG, session=session, actor="t"
        )
    with pytest.raises(DomainError, match="只受理企业或其他组织的申请"):
        start_intake(
            IntakeRequest(person.id, "62052400FG-QT-0001"), CATALOG, session=session, actor="t"
        )


def test_an_organisation_prints_its_own_authorisation_with_seal_and_signature(
    session, data_home
) -> None:
    org = make_org(session)
    case = start_intake(
        IntakeRequest(org.id, "62052400FG-QT-0001"), CATALOG, session=session, actor="t"
    )
    session.flush()
    generated = generate_case_documents(
        case.id,
        CATALOG,
        demo_agent(),
        session=session,
        documents_dir=data_home / "documents",
        form_ids=["notice", "org_proxy_authorisation"],
    )
    titles = [d.template for d in generated.documents]
    assert titles == ["notice", "org_proxy_authorisation"]
    doc = Document(data_home / "documents" / generated.documents[1].path)
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    text += "\n".join(p.text for p in doc.paragraphs)
    for expected in (ORG, DEMO_CREDIT_CODE, "法定代表人签字", "单位公章", "李建国", "王小明"):
        assert expected in text
    assert "立项备案" in text or "企业投资项目备案" in text
