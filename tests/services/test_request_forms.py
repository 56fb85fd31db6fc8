"""一表申请 of a 一件事: filled from the profile when the request is opened, typed fields checked first."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.errors import DomainError
from agent_desk.fill.demo import demo_agent
from agent_desk.services.intake import DocumentChoice
from agent_desk.services.request_forms import fill_request_forms
from agent_desk.services.requests import BundleIntake, shared_kinds, start_request
from agent_desk.store.models import Case, GeneratedDocument, Request
from tests.fill.conftest import docx_text

CATALOG = load_catalog(default_catalog_dir())
NEWBORN, RETIREMENT = "620524-YJS-0001", "620524-YJS-0002"
TODAY = date(2026, 12, 1)


def _intake(client_id: str, bundle: str, manual: dict) -> BundleIntake:
    kinds = shared_kinds(CATALOG.bundle(bundle), CATALOG)
    return BundleIntake(client_id, bundle, {k: DocumentChoice("received") for k in kinds}, manual)


def _fill(session, request_id: str, data_home):
    return fill_request_forms(
        request_id,
        CATALOG,
        demo_agent(),
        session=session,
        documents_dir=data_home / "documents",
        today=TODAY,
    )


def test_the_combined_application_is_filled_from_the_profile(
    session, make_client, data_home
) -> None:
    client = make_client(
        session,
        name="赵德明",
        address="武山县洛门镇石桥村三组",
        bank_name="甘肃农信",
        bank_account="6228480402564890018",
    )
    manual = {"employer": "武山县水泥厂", "years_paid": "32"}
    request = start_request(
        _intake(client.id, RETIREMENT, manual), CATALOG, session=session, actor="t", today=TODAY
    )
    session.flush()
    result = _fill(session, request.id, data_home)
    assert result.missing == [] and result.failed == []
    titles = {row.title for row in result.documents}
    assert titles == {"企业职工退休“一件事”联办申请表", "一次性告知书"}
    assert len(result.documents) == 2 * 3  # each paper listed on each of the three cases
    [application] = {r.path for r in result.documents if r.template == "combined_application"}
    text = docx_text(data_home / "documents" / application)
    assert "赵德明" in text and client.id_number in text and "武山县水泥厂" in text
    assert "32" in text and "武山县洛门镇石桥村三组" in text and "{{" not in text


def test_a_profile_gap_is_reported_and_the_application_not_printed(
    session, make_client, data_home
) -> None:
    client = make_client(session)  # no address, no household
    request = start_request(
        _intake(client.id, NEWBORN, {"child_name": "李小宝", "child_sex": "男"}),
        CATALOG,
        session=session,
        actor="t",
        today=TODAY,
    )
    session.flush()
    result = _fill(session, request.id, data_home)
    assert {m.path for m in result.missing} >= {"client.address"}
    assert {r.template for r in result.documents} == {"bundle_notice"}


def test_a_bad_typed_field_is_refused_before_anything_is_written(session, make_client) -> None:
    client = make_client(session)
    session.commit()
    with pytest.raises(DomainError, match="「新生儿性别」填写有误"):
        start_request(
            _intake(client.id, NEWBORN, {"child_sex": "未知"}),
            CATALOG,
            session=session,
            actor="t",
            today=TODAY,
        )
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Request)) == 0
    assert session.scalar(select(func.count()).select_from(Case)) == 0
    assert session.scalar(select(func.count()).select_from(GeneratedDocument)) == 0
