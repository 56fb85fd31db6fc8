"""Rosters as villages really have them: ID columns Excel turned into numbers, merged household
cells, old .xls and WPS .et files, 15-digit numbers, more columns — and files built to hurt."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlwt
from openpyxl import Workbook
from sqlalchemy import func, select
from test_roster import HEADERS

from agent_desk.core.identity import id_check_digit, make_resident_id, upgrade_legacy
from agent_desk.services.roster import RosterError, import_clients
from agent_desk.services.roster_ids import EXCEL_NUMBER, TRUNCATED
from agent_desk.store.models import Client, Household
from agent_desk.store.queries import client_by_id_number

GIVEN = "一二三四五六七八九十百千万东南西北春夏秋冬梅兰竹菊松柏桃李杏"
HEADER = HEADERS["a"]


@pytest.fixture
def villages(session, make_village):
    return [make_village(session, "洛门村"), make_village(session, "蓼阳村")]


def _import(session, path: Path, **kwargs):
    report = import_clients(path, session=session, actor="test", **kwargs)
    session.commit()
    return report


def _count(session, model=Client) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    sheet = book.active
    for row in [["洛门镇花名册"], HEADER, *rows]:
        sheet.append(row)
    for span in merges:
        sheet.merge_cells(span)
    book.save(path)
    return path


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def _rounded_but_valid(count: int) -> list[tuple[str, str]]:
    """(real number, Excel's rounding of it) where the rounded number still passes the check digit."""
    pairs: dict[str, str] = {}
    for day in range(1, 29):
        for seq in range(1, 1000, 7):
            real = make_resident_id("620524", date(1968, 5, day), seq)
            rounded = real[:15] + "000"
            if id_check_digit(rounded[:17]) == "0" and real != rounded and real.isdigit():
                pairs.setdefault(rounded, real)
    assert len(pairs) >= count
    return [(real, rounded) for rounded, real in list(pairs.items())[:count]]


# --- ID numbers Excel stored as numbers ------------------------------------------------------


def test_numeric_id_cells_are_never_imported_even_when_the_rounded_number_passes(
    session, villages, tmp_path
) -> None:
    pairs = _rounded_but_valid(6)
    # Excel keeps 15 significant digits: the cell holds the float, as Excel saved it
    rows = [
        ["王" + GIVEN[i], float(real), "", "", "洛门村1组", "", "", "洛门村"]
        for i, (real, _) in enumerate(pairs)
    ]
    rows += [
        ["李四", make_resident_id("620524", date(1970, 1, 1), 21), "男", "", "", "", "", "洛门村"]
    ]
    report = _import(session, _xlsx(tmp_path / "数字.xlsx", rows))
    assert report.created == 1  # only the row typed as text
    assert [reason for _, reason in report.refused] == [EXCEL_NUMBER] * 6
    for _real, rounded in pairs:
        assert client_by_id_number(session, rounded) is None
    [(reason, numbers)] = report.grouped()
    assert reason == EXCEL_NUMBER and numbers == list(range(3, 9))
    assert report.lines_zh() == [f"第 3–8 行（共 6 行）：{EXCEL_NUMBER}"]


@pytest.mark.parametrize(
    "text", ["6.20524E+17", "6.20524e+17", "6.2052419680504E17", "620524196805040000.0"]
)
def test_scientific_notation_in_a_csv_is_refused_with_the_excel_message(
    session, villages, tmp_path, text
) -> None:
    report = _import(
        session, _csv(tmp_path / "sci.csv", [["王五", text, "男", "", "", "", "", "洛门村"]])
    )
    assert report.refused == [(2, EXCEL_NUMBER)]
    assert "第2位" not in report.refused[0][1] and "抄错" not in report.refused[0][1]
    assert _count(session) == 0


def test_a_column_of_numbers_ending_in_000_is_held_until_confirmed(
    session, villages, tmp_path
) -> None:
    pairs = _rounded_but_valid(3)
    rows = [
        ["张" + GIVEN[i], rounded, "", "", "", "", "", "洛门村"]
        for i, (_, rounded) in enumerate(pairs)
    ]
    rows.append(
        ["赵六", make_resident_id("620524", date(1980, 3, 3), 41), "", "", "", "", "", "洛门村"]
    )
    path = _csv(tmp_path / "截断.csv", rows)
    report = _import(session, path)
    assert report.created == 1 and report.refused == []
    assert [reason for _, reason in report.held] == [TRUNCATED] * 3
    assert "疑似被 Excel 截断" in TRUNCATED and "待确认 3 行" in report.summary_zh()
    assert _count(session) == 1
    confirmed = _import(session, path, confirm_truncated=True)
    assert (confirmed.created, confirmed.unchanged, confirmed.held) == (3, 1, [])


def test_one_real_number_ending_in_000_among_many_is_imported(session, villages, tmp_path) -> None:
    [(_, rounded)] = _rounded_but_valid(1)
    rows = [
        [
            "孙" + GIVEN[i % 30] + GIVEN[i // 30],
            make_resident_id("620524", date(1960, 1, 1), 2 * i + 1),
            "",
            "",
            "",
            "",
            "",
            "洛门村",
        ]
        for i in range(120)
    ]
    rows.append(["钱七", rounded, "", "", "", "", "", "洛门村"])
    report = _import(session, _csv(tmp_path / "ok.csv", rows))
    assert (report.held, report.refused, report.created) == ([], [], 121)


# --- merged household cells -----------------------------------------------------------------


def test_merged_household_cells_reach_every_row_they_cover(session, villages, tmp_path) -> None:
    people = [make_resident_id("620524", date(1960 + i, 2, 3), 11 + 2 * i) for i in range(6)]
    rows = [
        ["王建国", people[0], "", "", "洛门村3组12号", "王建国", "户主", "洛门村"],
        ["李秀英", people[1], "", "", None, None, "配偶", None],
        ["王磊", people[2], "", "", None, None, "子", None],
        ["曾桂兰", people[3], "", "", "蓼阳村1组5号", "曾桂兰", "户主", "蓼阳村"],
        ["曾强", people[4], "", "", None, None, "子", None],
        ["曾丽", people[5], "", "", None, None, "女", None],
    ]
    path = _xlsx(
        tmp_path / "合并.xlsx", rows, merges=("E3:E5", "F3:F5", "H3:H5", "E6:E8", "F6:F8", "H6:H8")
    )
    report = _import(session, path)
    assert (report.created, report.refused) == (6, [])
    clients = {c.id_number: c for c in session.scalars(select(Client))}
    assert {clients[p].village_id for p in people[:3]} == {villages[0].id}
    assert {clients[p].village_id for p in people[3:]} == {villages[1].id}
    assert {clients[p].address for p in people[:3]} == {"洛门村3组12号"}
    assert (
        len({clients[p].household_id for p in people[:3]}) == 1 and clients[people[0]].household_id
    )
    assert _count(session, Household) == 2


def test_a_merged_range_does_not_invent_rows_below_the_data(session, villages, tmp_path) -> None:
    person = make_resident_id("620524", date(1970, 2, 3), 11)
    path = _xlsx(
        tmp_path / "m.xlsx", [["王建国", person, "", "", "", "", "", "洛门村"]], merges=("H3:H9",)
    )
    report = _import(session, path)
    assert (report.created, report.refused) == (1, [])


# --- old .xls and WPS .et -------------------------------------------------------------------


def _xls(path: Path, rows: list[list[object]], merged: tuple[int, int, int, str]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    for c, title in enumerate(HEADER):
        sheet.write(0, c, title)
    top, bottom, col, value = merged
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is not None and not (col == c and top <= r <= bottom):
                sheet.write(r, c, v)
    sheet.write_merge(top, bottom, col, col, value)
    book.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_xls_and_et_rosters_are_read_with_merged_cells(session, villages, tmp_path, suffix) -> None:
    ids = [make_resident_id("620524", date(1975, 6, 7), s) for s in (11, 22, 33)]
    rows = [
        ["王建国", ids[0], "男", "13909381234", "洛门村3组", "王建国", "户主", None],
        ["李秀英", ids[1], "女", "", "洛门村3组", "王建国", "配偶", None],
        ["王磊", float(ids[2]), "男", "", "洛门村3组", "王建国", "子", None],
    ]
    report = _import(session, _xls(tmp_path / f"老表{suffix}", rows, (1, 3, 7, "洛门村")))
    assert report.created == 2 and report.refused == [(4, EXCEL_NUMBER)]
    head = client_by_id_number(session, ids[0])
    assert (head.village_id, head.phone) == (villages[0].id, "13909381234")
    assert client_by_id_number(session, ids[1]).village_id == villages[0].id


def test_a_damaged_xls_is_refused_with_a_clear_message(session, tmp_path) -> None:
    path = tmp_path / "坏.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(RosterError) as caught:
        import_clients(path, session=session)
    assert "损坏" in str(caught.value)


# --- one person, one record -------------------------------------------------------------------


def _legacy_pair() -> tuple[str, str]:
    current = make_resident_id("620524", date(1962, 8, 9), 123)
    legacy = current[:6] + current[8:17]
    assert upgrade_legacy(legacy) == current
    return legacy, current


@pytest.mark.parametrize("order", ["15 then 18", "18 then 15"])
def test_15_and_18_digit_forms_are_one_client_keeping_18(
    session, villages, tmp_path, order
) -> None:
    legacy, current = _legacy_pair()
    first, second = (legacy, current) if order == "15 then 18" else (current, legacy)
    _import(session, _csv(tmp_path / "a.csv", [["王建国", first, "男", "", "", "", "", "洛门村"]]))
    report = _import(
        session,
        _csv(tmp_path / "b.csv", [["王建国", second, "男", "13909381234", "", "", "", "洛门村"]]),
    )
    assert (report.created, report.updated) == (0, 1)
    [client] = session.scalars(select(Client))
    assert (client.id_number, client.phone) == (current, "13909381234")


def test_15_and_18_digit_forms_in_one_file_are_one_row(session, villages, tmp_path) -> None:
    legacy, current = _legacy_pair()
    rows = [
        ["王建国", legacy, "男", "", "", "", "", "洛门村"],
        ["王建国", current, "男", "", "", "", "", "洛门村"],
    ]
    report = _import(session, _csv(tmp_path / "a.csv", rows))
    assert report.created == 1 and "与第 2 行的身份证号码重复" in report.refused[0][1]


def test_registering_the_other_form_by_hand_is_a_duplicate(session, make_client) -> None:
    from agent_desk.services.clients import ClientInput, DuplicateClient, create_client

    legacy, current = _legacy_pair()
    make_client(session, name="王建国", id_number=legacy)
    with pytest.raises(DuplicateClient):
        create_client(ClientInput(name="王建国", id_number=current), session=session)
    assert client_by_id_number(session, current) is not None


# --- more columns ----------------------------------------------------------------------------


def test_bank_disability_poverty_and_registration_columns_are_read(
    session, villages, tmp_path
) -> None:
    header = [
        "序号",
        "姓名",
        "身份证号码",
        "民族",
        "婚姻状况",
        "开户银行",
        "银行账号/社保卡号",
        "残疾类别",
        "残疾等级",
        "低保/特困类别",
        "户籍性质",
        "户主姓名",
        "所属村",
    ]
    number = make_resident_id("620524", date(1958, 4, 4), 11)
    book = Workbook()
    book.active.append(header)
    book.active.append(
        [
            1,
            "马福海",
            number,
            "回族",
            "已婚",
            "甘肃农村信用社",
            "6229 1234 5678 9012 345",
            "肢体",
            "二级",
            "A类",
            "农业户口",
            "马福海",
            "洛门村",
        ]
    )
    book.save(tmp_path / "补贴.xlsx")
    report = _import(session, tmp_path / "补贴.xlsx")
    assert (report.created, report.refused) == (1, [])
    client = client_by_id_number(session, number)
    assert (client.ethnicity, client.marital_status, client.bank_name) == (
        "回族",
        "已婚",
        "甘肃农村信用社",
    )
    assert client.bank_account == "6229 1234 5678 9012 345"
    assert (client.disability, client.poverty_status) == ("肢体 二级", "A类")
    assert session.get(Household, client.household_id).registration_type == "农业户口"


def test_a_bank_account_excel_stored_as_a_number_is_refused(session, villages, tmp_path) -> None:
    book = Workbook()
    book.active.append(["姓名", "身份证号码", "银行账号"])
    book.active.append(
        ["马福海", make_resident_id("620524", date(1958, 4, 4), 11), 6229123456789012345]
    )
    book.save(tmp_path / "账号.xlsx")
    report = _import(session, tmp_path / "账号.xlsx")
    assert report.created == 0 and "银行账号存成了数字" in report.refused[0][1]


# --- files built to hurt -----------------------------------------------------------------------


def _bomb_far_cell(path: Path) -> Path:
    """A few hundred bytes whose one sheet reaches cell XFD1048576: a dense reader wants gigabytes."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
        '</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    return _package(path, sheet.encode())


def _package(path: Path, sheet: bytes) -> Path:
    book = Workbook()
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist() if n != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        target.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_a_sheet_reaching_the_last_cell_is_refused_before_parsing(session, tmp_path) -> None:
    path = _bomb_far_cell(tmp_path / "炸弹.xlsx")
    assert path.stat().st_size < 20_000
    with pytest.raises(RosterError) as caught:
        import_clients(path, session=session)
    assert caught.value.code == "roster_too_big" and "1048576" in str(caught.value)


def test_a_sheet_that_unpacks_past_the_limit_is_refused(session, tmp_path, monkeypatch) -> None:
    import agent_desk.services.roster_read as roster_read

    monkeypatch.setattr(roster_read, "MAX_UNPACKED", 2 * 1024 * 1024)
    padding = b" " * (8 * 1024 * 1024)
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + padding
        + b"</worksheet>"
    )
    path = _package(tmp_path / "大.xlsx", sheet)
    with pytest.raises(RosterError) as caught:
        import_clients(path, session=session)
    assert caught.value.code == "roster_too_big" and "解压后超过 2 MB" in str(caught.value)


def _rows_bomb(path: Path) -> Path:
    """Every row of the sheet declared, one cell each: about 1 MB packed, 40 MB of XML."""
    body = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 1_048_577)
    )
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
    )
    return _package(path, sheet + b"</sheetData></worksheet>")


def _xls_far_cell(path: Path) -> Path:
    """A 5 KB Excel 2003 file (or WPS .et) whose one sheet reaches IV65536: 16.7 million dense cells."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    sheet.write(0, 0, "姓名")
    sheet.write(65535, 255, 1)
    book.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_an_old_format_sheet_reaching_far_is_refused_before_parsing(
    session, tmp_path, suffix
) -> None:
    path = _xls_far_cell(tmp_path / f"炸弹{suffix}")
    assert path.stat().st_size < 20_000
    with pytest.raises(RosterError) as caught:
        import_clients(path, session=session)
    assert caught.value.code == "roster_too_big" and "第 65536 行、第 256 列" in str(caught.value)


def test_zip_bombs_are_refused_in_little_memory(tmp_path) -> None:
    """Measured in a fresh process (peak resident memory, VmHWM), the whole import of each bomb included."""
    import subprocess
    import sys

    bombs = [
        _bomb_far_cell(tmp_path / "far.xlsx"),
        _rows_bomb(tmp_path / "rows.xlsx"),
        _xls_far_cell(tmp_path / "far.xls"),
    ]
    script = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from agent_desk.services.desk import open_desk\n"
        "from agent_desk.services.roster import RosterError, import_clients\n"
        "desk = open_desk(Path(sys.argv[1]))\n"
        "for name in sys.argv[2:]:\n"
        "    with desk.db.session() as session:\n"
        "        try:\n"
        "            import_clients(Path(name), session=session)\n"
        "        except RosterError as exc:\n"
        "            print(exc.code, exc)\n"
        "peak = re.search(r'VmHWM:\\s+(\\d+) kB', Path('/proc/self/status').read_text()).group(1)\n"
        "print('rss', int(peak) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "desk"), *map(str, bombs)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines[:3]] == ["roster_too_big"] * 3, (
        done.stdout + done.stderr
    )
    assert int(lines[-1].split()[1]) < 300, lines


def test_new_clients_reach_the_hub_with_their_sort_key(session, villages, tmp_path) -> None:
    from agent_desk.services.clients import ClientInput, create_client
    from agent_desk.store.models import OutboxEntry

    number = make_resident_id("620524", date(1981, 3, 4), 23)
    _import(session, _csv(tmp_path / "a.csv", [["万俟卨", number, "男", "", "", "", "", "洛门村"]]))
    create_client(ClientInput(name="单于丹"), session=session)
    session.commit()
    sent = session.scalars(select(OutboxEntry).where(OutboxEntry.entity == "client"))
    assert sorted(entry.fields["sort_key"] for entry in sent) == ["chanyudan", "moqixie"]
