"""A case whose forms fill completely, its documents made as the agent makes them, and a leak check."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from docx import Document

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.identity import make_resident_id
from agent_desk.services.cases import apply_action, open_case, set_document_status
from agent_desk.services.desk import Desk
from agent_desk.services.handover import create_batch, print_handover_list
from agent_desk.services.intake import generate_case_documents, item_spec
from agent_desk.services.profiles import agent_info
from agent_desk.services.settings import AgentSettings, Settings
from agent_desk.store.case_queries import case_documents
from agent_desk.sync.settings import SyncSettings
from tests.conftest import TODAY, build_client, build_village

CATALOG = load_catalog(default_catalog_dir())
ITEM = "62052400MZ-JF-0003"  # 高龄津贴申请
NAME = "阿依古丽·买买提"
AGENT_SETTINGS = Settings(
    sync=SyncSettings(username="zhm"),
    agent=AgentSettings(
        name="张红梅",
        phone="13893812345",
        id_number=make_resident_id("620524", date(1985, 6, 15), 224),
        village="洛门村",
        service_room="洛门村便民服务室",
    ),
)
AGENT = agent_info(AGENT_SETTINGS)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def accepted_case(desk: Desk) -> tuple[str, str]:
    """A client whose forms fill completely, with an accepted case; (case id, ID number)."""
    with desk.db.session() as session:
        village = build_village(session)
        client = build_client(
            session,
            name=NAME,
            address="武山县洛门镇洛门村3组12号",
            bank_name="甘肃武山农村商业银行",
            ethnicity="维吾尔族",
            bank_account="6229123412341234123",
            village_id=village.id,
        )
        case = open_case(
            client, item_spec(CATALOG.item(ITEM)), session=session, actor="t", today=TODAY
        )
        for doc in case_documents(session, case.id):
            set_document_status(doc, "received", session=session)
        apply_action(case, "accept", {}, session=session, actor="t", today=TODAY)
        session.commit()
        return case.id, client.id_number or ""


def make_documents(desk: Desk, case_id: str) -> list[Path]:
    """The case's forms and a hand-over list, as the agent makes them."""
    with desk.db.session() as session:
        out = generate_case_documents(
            case_id,
            CATALOG,
            AGENT,
            session=session,
            documents_dir=desk.data.documents,
            today=TODAY,
            cipher=desk.cipher,
        )
        batch = create_batch([case_id], session=session, actor="t", today=TODAY)
        session.flush()
        listed = print_handover_list(
            batch.id,
            CATALOG,
            AGENT,
            session=session,
            documents_dir=desk.data.documents,
            today=TODAY,
            cipher=desk.cipher,
        )
        session.commit()
        assert out.missing == [] and out.failed == [] and listed.document is not None
        return [desk.data.documents / row.path for row in [*out.documents, listed.document]]


def readable_leaks(root: Path, needles: list[str]) -> list[str]:
    """Files under ``root`` that show a needle in their bytes or are a readable .docx, PDF or image."""
    leaks = []
    for path in (p for p in root.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        leaks += [f"{path.name}: {n}" for n in needles if n.encode() in raw]
        if raw.startswith((b"PK", b"%PDF", b"\x89PNG")) or zipfile.is_zipfile(path):
            leaks.append(f"{path.name}: readable as it is")
    return leaks
