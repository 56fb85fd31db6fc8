"""A demo desk says 演示数据 on what it prints and exports, and takes no real roster."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import make_resident_id
from agent_desk.services.intake import (
    DocumentChoice,
    IntakeRequest,
    generate_case_documents,
    start_intake,
)
from agent_desk.services.ledger import export_ledger
from agent_desk.services.profiles import agent_info
from agent_desk.services.roster import export_clients, import_clients
from agent_desk.services.settings import AgentSettings, Settings
from agent_desk.store.models import Meta
from agent_desk.store.review_queries import LedgerQuery
from tests.services.test_intake_service import (
    AGENT,
    CATALOG,
    ITEM,
    MANUAL,
    TODAY,
    docx_text,
    full_client,
)


@pytest.fixture
def agent():
    return agent_info(Settings(agent=AgentSettings(**AGENT)))


def _demo(session) -> None:
    session.add(Meta(key="demo", value="1"))  # as seed_demo leaves it
    session.flush()


def _case_documents(session, make_village, agent, tmp_path: Path) -> list[str]:
    head, _ = full_client(session, make_village)
    item = CATALOG.item(ITEM)
    docs = {d.name: DocumentChoice("received") for d in item.documents if d.required}
    case = start_intake(
        IntakeRequest(head.id, ITEM, docs, dict(MANUAL)),
        CATALOG,
        session=session,
        actor="张红梅",
        today=TODAY,
    )
    session.flush()
    out = generate_case_documents(
        case.id, CATALOG, agent, session=session, documents_dir=tmp_path / "documents", today=TODAY
    )
    assert out.documents and out.failed == []
    return [docx_text(tmp_path / "documents" / row.path) for row in out.documents]


def test_every_document_a_demo_desk_prints_says_demo_data(
    session, make_village, agent, tmp_path: Path
) -> None:
    _demo(session)
    texts = _case_documents(session, make_village, agent, tmp_path)
    assert all(text.startswith("【演示数据】") and "李建国" in text for text in texts)


def test_a_real_desk_prints_no_demo_mark(session, make_village, agent, tmp_path: Path) -> None:
    texts = _case_documents(session, make_village, agent, tmp_path)
    assert not any("演示数据" in text for text in texts)


def test_exports_of_a_demo_desk_say_demo_data_and_only_they_import_back(
    session, make_client, tmp_path: Path
) -> None:
    make_client(session, name="王建国")
    _demo(session)
    xlsx, table = tmp_path / "花名册.xlsx", tmp_path / "花名册.csv"
    export_clients(xlsx, session=session, full=True)
    export_clients(table, session=session)
    sheet = openpyxl.load_workbook(xlsx, read_only=True).worksheets[0]
    assert sheet.title.startswith("演示数据")
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "演示数据" and rows[1][-1] == "演示数据"
    with table.open(encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh))[-1] == "演示数据"
    ledger = tmp_path / "台账.xlsx"
    export_ledger(
        LedgerQuery(date(2000, 1, 1), date(2100, 1, 1)), ledger, session=session, today=TODAY
    )
    assert openpyxl.load_workbook(ledger, read_only=True).worksheets[0].title.startswith("演示数据")
    assert import_clients(xlsx, session=session).refused == []  # its own export comes back
    real = tmp_path / "真实花名册.csv"
    real.write_text(
        f"姓名,公民身份号码\n李四,{make_resident_id('620524', date(1960, 1, 1), 3)}\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(DomainError, match="演示数据"):
        import_clients(real, session=session)
