"""Roster (花名册) import and export as a village office would use it."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from agent_desk.core.identity import make_resident_id
from agent_desk.services.roster import RosterError, export_clients, import_clients
from agent_desk.store.models import Client, ClientChange, Household, OutboxEntry
from agent_desk.store.queries import client_by_id_number


def _id(seq: int, born: date = date(1968, 5, 4)) -> str:
    return make_resident_id("620524", born, seq)


HEAD, WIFE, SON = _id(11), _id(22, date(1970, 2, 1)), _id(33, date(1995, 9, 9))
OLD_WOMAN = _id(44, date(1941, 12, 30))
BAD_CHECK = _id(55)[:-1] + ("0" if _id(55)[-1] != "0" else "1")
GOOD_ROWS = [
    ["王建国", HEAD, "男", "13909381234", "洛门村3组12号", "王建国", "户主", "洛门村"],
    ["李秀英", WIFE, "女", "13909385678", "洛门村3组12号", "王建国", "配偶", "洛门村"],
    ["王磊", SON, "男", "", "洛门村3组12号", "王建国", "子", "洛门村"],
    ["曾桂兰", OLD_WOMAN, "女", "0938-5123456", "蓼阳村1组5号", "曾桂兰", "户主", "蓼阳村"],
]
BAD_ROWS = [
    (["张三", BAD_CHECK, "男", "13909380001", "洛门村1组", "张三", "户主", "洛门村"], "校验"),
    (["", _id(66), "男", "13909380002", "洛门村1组", "", "", "洛门村"], "姓名"),
    (["赵六", _id(77), "男", "1390938", "洛门村1组", "", "", "洛门村"], "电话"),
    (["王建国", HEAD, "男", "13909381234", "洛门村3组12号", "王建国", "户主", "洛门村"], "重复"),
    (["孙八", _id(88), "男", "13909380004", "洛门村1组", "孙八", "户主", "洛门村"], "性别"),
    (["周九", _id(99), "男", "13909380005", "火星村1组", "周九", "户主", "火星村"], "未知的村"),
]
HEADERS = {
    "a": [
        "姓名",
        "公民身份号码",
        "性别",
        "联系电话",
        "家庭住址",
        "户主姓名",
        "与户主关系",
        "所属村",
    ],
    "b": ["姓名", "身份证号码", "性别", "手机号码", "家庭住址", "户主姓名", "与户主关系", "村组"],
    "c": ["姓名", "身份证号", "性别", "联系电话", "家庭住址", "户主姓名", "与户主关系", "所属村"],
}
FORMATS = ["xlsx", "csv-utf8-bom", "csv-gbk"]


def write_roster(
    path: Path,
    rows: list[list[str]],
    *,
    header: list[str] = HEADERS["a"],
    title: str | None = "洛门镇2026年花名册",
) -> Path:
    """A roster as offices make them: a title row, the header, then the rows."""
    table = ([[title]] if title else []) + [header] + rows
    if path.suffix == ".xlsx":
        book = Workbook()
        for row in table:
            book.active.append(row)
        book.save(path)
        return path
    encoding = "gbk" if "gbk" in path.stem else "utf-8-sig"
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(table)
    return path


def _roster_path(tmp_path: Path, fmt: str, stem: str = "花名册") -> Path:
    return tmp_path / (f"{stem}-{fmt}.csv" if fmt.startswith("csv") else f"{stem}.xlsx")


@pytest.fixture
def villages(session, make_village):
    return [make_village(session, "洛门村"), make_village(session, "蓼阳村")]


def _counts(session) -> dict[str, int]:
    return {
        m.__name__: session.scalar(select(func.count()).select_from(m))
        for m in (Client, Household, ClientChange, OutboxEntry)
    }


def _import(session, path: Path):
    report = import_clients(path, session=session, actor="test")
    session.commit()
    return report


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("header", list(HEADERS))
def test_good_rows_import_and_each_bad_row_is_reported(
    session, villages, tmp_path, fmt, header
) -> None:
    rows = GOOD_ROWS + [row for row, _ in BAD_ROWS]
    path = write_roster(_roster_path(tmp_path, fmt), rows, header=HEADERS[header])
    report = _import(session, path)
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    first_data_row = 3  # title on row 1, header on row 2
    bad_row_numbers = [first_data_row + len(GOOD_ROWS) + i for i in range(len(BAD_ROWS))]
    assert [number for number, _ in report.refused] == bad_row_numbers
    for (_, reason), (_, words) in zip(report.refused, BAD_ROWS, strict=True):
        assert words in reason
    assert "与第 3 行" in report.refused[3][1]  # the duplicate names the first row
    assert client_by_id_number(session, BAD_CHECK) is None
    assert client_by_id_number(session, _id(99)) is None


def test_imported_profile_carries_household_village_and_derived_fields(
    session, villages, tmp_path
) -> None:
    _import(session, write_roster(tmp_path / "r.xlsx", GOOD_ROWS))
    head, wife = client_by_id_number(session, HEAD), client_by_id_number(session, WIFE)
    assert (head.sex, head.birth_date, head.phone) == ("male", date(1968, 5, 4), "13909381234")
    assert head.village_id == villages[0].id and head.address == "洛门村3组12号"
    assert head.household_id == wife.household_id is not None
    assert wife.relation_to_head == "配偶"
    assert client_by_id_number(session, OLD_WOMAN).village_id == villages[1].id
    assert _counts(session)["Household"] == 2


def test_a_household_the_import_makes_is_queued_for_the_hub(session, villages, tmp_path) -> None:
    _import(session, write_roster(tmp_path / "r.xlsx", GOOD_ROWS))
    queued = set(
        session.scalars(select(OutboxEntry.entity_id).where(OutboxEntry.entity == "household"))
    )
    assert queued == set(session.scalars(select(Household.id))) and len(queued) == 2
    _import(
        session, write_roster(tmp_path / "again.xlsx", GOOD_ROWS)
    )  # known households: not again
    assert session.scalar(select(func.count()).where(OutboxEntry.entity == "household")) == 2


def test_refused_rows_leave_no_trace(session, villages, tmp_path) -> None:
    rows = [row for row, _ in BAD_ROWS if row[1] != HEAD]
    report = _import(session, write_roster(tmp_path / "bad.xlsx", rows))
    assert report.created == 0 and len(report.refused) == len(rows)
    assert _counts(session) == {"Client": 0, "Household": 0, "ClientChange": 0, "OutboxEntry": 0}


@pytest.mark.parametrize("fmt", FORMATS)
def test_second_import_of_the_same_file_changes_nothing(session, villages, tmp_path, fmt) -> None:
    path = write_roster(_roster_path(tmp_path, fmt), GOOD_ROWS)
    _import(session, path)
    before = _counts(session)
    report = _import(session, path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert "未变 4 人" in report.summary_zh()
    assert _counts(session) == before


def test_changed_phone_and_address_update_the_profile_and_are_recorded(
    session, villages, tmp_path
) -> None:
    _import(session, write_roster(tmp_path / "一月.xlsx", GOOD_ROWS))
    moved = [list(r) for r in GOOD_ROWS]
    moved[0][3], moved[0][4] = "15109384321", "洛门村5组1号"
    report = _import(session, write_roster(tmp_path / "二月.xlsx", moved))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    head = client_by_id_number(session, HEAD)
    assert (head.phone, head.address) == ("15109384321", "洛门村5组1号")
    [change] = session.scalars(select(ClientChange).where(ClientChange.client_id == head.id))
    assert change.source == "import:二月.xlsx"
    assert change.changes["phone"] == ["13909381234", "15109384321"]
    assert change.changes["address"] == ["洛门村3组12号", "洛门村5组1号"]


def test_an_empty_cell_in_a_later_roster_does_not_erase_the_profile(
    session, villages, tmp_path
) -> None:
    _import(session, write_roster(tmp_path / "a.csv", GOOD_ROWS))
    blank_phone = [list(r) for r in GOOD_ROWS]
    blank_phone[0][3] = ""
    report = _import(session, write_roster(tmp_path / "b.csv", blank_phone))
    assert report.updated == 0
    assert client_by_id_number(session, HEAD).phone == "13909381234"


def test_blank_rows_are_skipped_and_row_numbers_stay_true(session, villages, tmp_path) -> None:
    rows = [GOOD_ROWS[0], ["", "", ""], BAD_ROWS[0][0]]
    report = _import(session, write_roster(tmp_path / "gaps.xlsx", rows))
    assert report.created == 1
    assert [n for n, _ in report.refused] == [5]


def _assert_untouched(session, before, path: Path) -> None:
    session.rollback()
    assert _counts(session) == before


def test_a_corrupt_xlsx_is_refused_and_changes_nothing(session, villages, tmp_path) -> None:
    path = write_roster(tmp_path / "r.xlsx", GOOD_ROWS)
    path.write_bytes(path.read_bytes()[:500])
    before = _counts(session)
    with pytest.raises(RosterError) as caught:
        import_clients(path, session=session)
    assert "损坏" in str(caught.value)
    _assert_untouched(session, before, path)


def test_a_file_without_the_header_is_refused_and_changes_nothing(
    session, villages, tmp_path
) -> None:
    path = write_roster(tmp_path / "r.csv", GOOD_ROWS, header=["名字", "号码", "性别"])
    before = _counts(session)
    with pytest.raises(RosterError) as caught:
        import_clients(path, session=session)
    assert "表头" in str(caught.value)
    _assert_untouched(session, before, path)


def test_an_unsupported_file_type_is_refused(session, tmp_path) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(RosterError) as caught:
        import_clients(path, session=session)
    assert ".xlsx" in str(caught.value)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_reimport_is_idempotent(session, villages, tmp_path, suffix) -> None:
    _import(session, write_roster(tmp_path / "in.xlsx", GOOD_ROWS))
    before = _counts(session)
    out = tmp_path / f"导出{suffix}"
    assert export_clients(out, session=session, full=True) == 4
    report = _import(session, out)
    assert (report.created, report.updated, report.unchanged, report.refused) == (0, 0, 4, [])
    assert _counts(session) == before


def test_export_writes_the_import_headers_and_full_values(session, villages, tmp_path) -> None:
    _import(session, write_roster(tmp_path / "in.csv", GOOD_ROWS))
    out = export_clients(tmp_path / "out.xlsx", session=session, full=True)
    sheet = load_workbook(tmp_path / "out.xlsx").active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert out == 4
    assert header[:2] == ["姓名", "公民身份号码"] and "所属村" in header and "户主姓名" in header
    by_id = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_id[HEAD]["性别"] == "男" and by_id[HEAD]["出生日期"] == "1968-05-04"
    assert by_id[WIFE]["户主姓名"] == "王建国" and by_id[WIFE]["所属村"] == "洛门村"
    assert not list(tmp_path.glob("*.part"))


def test_export_masks_numbers_by_default(session, villages, tmp_path) -> None:
    _import(session, write_roster(tmp_path / "in.csv", GOOD_ROWS))
    export_clients(tmp_path / "masked.xlsx", session=session)
    sheet = load_workbook(tmp_path / "masked.xlsx").active
    ids = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert HEAD not in ids and all("********" in i for i in ids)
