"""The 台账 read back with openpyxl: headers, one row per case of the period, masked IDs, a known row."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from test_supervision import END, START, TODAY, township  # noqa: F401  (the fixed dataset)

from agent_desk.core.identity import mask_id_number
from agent_desk.services.ledger import HEADERS, export_ledger, is_overdue
from agent_desk.store.review_queries import LedgerQuery


def _read(path):
    sheet = load_workbook(path, read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_ledger_headers_rows_and_masked_ids(session, township, tmp_path) -> None:  # noqa: F811
    target = tmp_path / "out" / "台账.xlsx"
    seen: list[tuple[int, int]] = []
    written = export_ledger(
        LedgerQuery(START, END),
        target,
        session=session,
        today=TODAY,
        progress=lambda done, total, _t: seen.append((done, total)),
    )
    rows = _read(target)
    assert (
        written == 6 and len(rows) == 7
    )  # c1 c2 c3 c4 c6 c10 (c5 entrusted in October, c7 in December, c8 deleted)
    assert tuple(rows[0]) == HEADERS
    assert seen[-1] == (6, 6)
    assert [r[0] for r in rows[1:]] == [1, 2, 3, 4, 5, 6]
    ids = [r[5] for r in rows[1:]]
    assert all("*" in i for i in ids)
    assert not list(tmp_path.joinpath("out").glob("*.tmp"))


def _d(year: int, month: int, day: int) -> datetime:
    """Dates are real date cells (Excel sorts and filters them), read back as datetimes."""
    return datetime(year, month, day)


def test_a_known_row(session, township, tmp_path) -> None:  # noqa: F811
    c1, (wang, _zhao) = township["cases"]["c1"], township["clients"]
    target = tmp_path / "台账.xlsx"
    export_ledger(LedgerQuery(START, END), target, session=session, today=TODAY)
    row = next(r for r in _read(target)[1:] if r[1] == c1.case_no)
    assert row[1:] == [
        c1.case_no,
        "最低生活保障申请",
        "62052400MZ-JF-0001",
        "王建国",
        mask_id_number(wang.id_number),
        wang.phone[:3] + "****" + wang.phone[-4:],
        "洛门村",
        "张三",
        _d(2026, 11, 2),
        _d(2026, 11, 2),
        _d(2026, 11, 16),
        _d(2026, 11, 13),
        "准予，准予办理",
        "否",
        "否",
        _d(2026, 11, 16),
        5,
        "送达",
    ]
    late = next(r for r in _read(target)[1:] if r[1] == township["cases"]["c2"].case_no)
    assert (late[14], late[15]) == ("是", "是")  # concluded after its promised date; 容缺


def test_full_ids_only_when_asked(session, township, tmp_path) -> None:  # noqa: F811
    wang = township["clients"][0]
    target = tmp_path / "full.xlsx"
    export_ledger(
        LedgerQuery(START, END, village_id=township["a"].id),
        target,
        session=session,
        today=TODAY,
        reveal_ids=True,
    )
    rows = _read(target)
    assert rows[0][5] == "身份证号码" and len(rows) == 1 + 3  # c1 c2 c6 in 洛门村
    assert rows[1][5] == wang.id_number


@pytest.mark.parametrize(
    ("status", "due", "concluded", "late"),
    [
        ("in_progress", date(2026, 11, 19), None, True),
        ("in_progress", date(2026, 11, 20), None, False),
        ("concluded", date(2026, 11, 5), date(2026, 11, 5), False),
        ("withdrawn", date(2026, 11, 1), None, False),
        ("entrusted", None, None, False),
    ],
)
def test_overdue_rule(status, due, concluded, late) -> None:
    assert is_overdue(status, due, concluded, TODAY) is late
