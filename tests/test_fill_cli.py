"""`agent-desk fill`: documents whose text holds the profile's values, or the missing fields and nothing written."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.cli import main
from agent_desk.services.cases import apply_action, open_case, set_document_status
from agent_desk.services.demo_first_run import ensure_demo_agent
from agent_desk.services.intake import item_spec
from agent_desk.store.case_queries import case_documents
from agent_desk.store.models import GeneratedDocument

ITEM = "62052400MZ-JF-0003"  # 高龄津贴申请


def _text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _client(session, make_client, make_village, **extra):
    village = make_village(session)
    fields = {
        "address": "武山县洛门镇洛门村3组12号",
        "bank_name": "甘肃武山农村商业银行",
        "ethnicity": "维吾尔族",
        "bank_account": "6229123412341234123",
        "village_id": village.id,
    } | extra
    client = make_client(session, name="阿依古丽·买买提", **fields)
    session.commit()
    return client


def test_fill_for_a_client_and_item_writes_filled_documents(
    desk, session, make_client, make_village, tmp_path, capsys
) -> None:
    ensure_demo_agent(desk.data.settings_file, desk)
    client = _client(session, make_client, make_village)
    out = tmp_path / "out"
    code = main(["fill", "--client", client.id_number.lower(), "--item", ITEM, "--out", str(out)])
    captured = capsys.readouterr()
    printed = captured.out.split()
    assert code == 0, captured.err
    assert len(printed) >= 3 and all(Path(p).is_file() for p in printed)
    texts = [_text(Path(p)) for p in printed]
    assert all("阿依古丽·买买提" in t for t in texts)
    assert any(client.id_number in t for t in texts)
    assert any("王建国" in t for t in texts)  # the agent, on the proxy authorisation


def test_fill_refuses_with_every_missing_field_and_writes_nothing(
    desk, session, make_client, make_village, tmp_path, capsys
) -> None:
    client = _client(
        session, make_client, make_village, bank_account=None, bank_name=None
    )  # and no agent details set
    out = tmp_path / "out"
    code = main(["fill", "--client", client.id_number, "--item", ITEM, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "agent.name" in err and "client.bank_account" in err
    assert err.count("agent.name") == 1  # each missing field named once, not once per form
    assert not out.exists() or not any(out.iterdir())


def test_fill_a_case_records_its_documents_with_hashes(
    desk, session, make_client, make_village, tmp_path, capsys
) -> None:
    ensure_demo_agent(desk.data.settings_file, desk)
    client = _client(session, make_client, make_village)
    item = load_catalog(default_catalog_dir()).item(ITEM)
    case = open_case(client, item_spec(item), session=session, actor="t")
    for doc in case_documents(session, case.id):
        set_document_status(doc, "received", session=session)
    apply_action(case, "accept", {}, session=session, actor="t")
    session.commit()
    code = main(["fill", "--case", case.case_no.lower(), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    printed = captured.out.split()
    assert code == 0, captured.err
    assert any("收件回执" in p for p in printed)
    assert all(case.case_no in _text(Path(p)) for p in printed if "回执" in p)
    with desk.db.session() as fresh:
        rows = list(
            fresh.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case.id))
        )
    assert len(rows) == len(printed)
    assert all(len(r.sha256) == 64 and (desk.data.documents / r.path).is_file() for r in rows)


def test_fill_unknown_case_is_a_clear_error(desk, tmp_path, capsys) -> None:
    assert main(["fill", "--case", "DB2026", "--out", str(tmp_path)]) == 2
    assert "找不到办件编号" in capsys.readouterr().err


def test_fill_with_allow_blank_prints_the_forms_with_the_gaps_blank(
    desk, session, make_client, make_village, tmp_path, capsys
) -> None:
    ensure_demo_agent(desk.data.settings_file, desk)
    client = _client(session, make_client, make_village, bank_account=None, bank_name=None)
    out = tmp_path / "out"
    code = main(
        ["fill", "--client", client.id_number, "--item", ITEM, "--out", str(out), "--allow-blank"]
    )
    captured = capsys.readouterr()
    printed = captured.out.split()
    assert code == 0, captured.err
    assert (
        "client.bank_account" in captured.err and "留空" in captured.err
    )  # still listed, now as blanks
    assert len(printed) >= 3 and all(Path(p).is_file() for p in printed)
    texts = [_text(Path(p)) for p in printed]
    assert all("阿依古丽·买买提" in t for t in texts)
    assert not any("None" in t for t in texts)


def test_fill_a_case_with_allow_blank_records_every_document(
    desk, session, make_client, make_village, tmp_path, capsys
) -> None:
    client = _client(
        session, make_client, make_village, bank_account=None
    )  # and no agent details set
    item = load_catalog(default_catalog_dir()).item(ITEM)
    case = open_case(client, item_spec(item), session=session, actor="t")
    session.commit()
    code = main(["fill", "--case", case.case_no, "--out", str(tmp_path / "no")])
    assert code == 1 and "--allow-blank" in capsys.readouterr().err
    code = main(["fill", "--case", case.case_no, "--out", str(tmp_path / "out"), "--allow-blank"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert any("委托书" in p for p in captured.out.split())
