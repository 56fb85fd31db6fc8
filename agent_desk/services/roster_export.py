"""Roster (花名册) export with the import's own headers, safe to open in Excel or WPS.

A cell that starts with = + - @ would run as a formula when the file is opened (an address typed
as ``=HYPERLINK(…)``): CSV text gets a leading apostrophe, which Excel shows as plain text, and the
.xlsx writes every value as a string cell, never a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from agent_desk import atomic
from agent_desk.core.errors import DomainError
from agent_desk.core.masking import mask_account, mask_id, mask_phone
from agent_desk.services.demo_marking import DEMO_MARK, demo_title, is_demo_desk
from agent_desk.services.xlsx_stream import SheetWriter
from agent_desk.store.models import Client, Household, Village

EXPORT_COLUMNS = (
    "姓名",
    "公民身份号码",
    "性别",
    "出生日期",
    "联系电话",
    "家庭住址",
    "户主姓名",
    "与户主关系",
    "所属村",
    "民族",
    "婚姻状况",
    "开户银行",
    "银行账号",
    "残疾类别/等级",
    "低保/特困类别",
    "户籍性质",
)
WIDTHS = (10, 21, 6, 11, 14, 24, 10, 10, 10, 8, 10, 16, 22, 14, 14, 10)
SEX_ZH = {"male": "男", "female": "女"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """Text a spreadsheet would read as a formula gets a leading apostrophe (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _masked(row: list[str]) -> list[str]:
    row[1], row[4], row[12] = mask_id(row[1]), mask_phone(row[4]), mask_account(row[12])
    return row


def export_rows(session: Session) -> Iterable[list[str]]:
    villages = {v.id: v.name for v in session.scalars(select(Village))}
    households = {h.id: h for h in session.scalars(select(Household))}
    stmt = select(Client).where(Client.deleted == False).order_by(Client.sort_key)
    for c in session.scalars(stmt.execution_options(yield_per=2000)):
        household = households.get(c.household_id or "")
        yield [
            c.name,
            c.id_number or "",
            SEX_ZH.get(c.sex or "", ""),
            c.birth_date.isoformat() if c.birth_date else "",
            c.phone or "",
            c.address or "",
            (household.head_name if household else None) or "",
            c.relation_to_head or "",
            villages.get(c.village_id or "", ""),
            c.ethnicity or "",
            c.marital_status or "",
            c.bank_name or "",
            c.bank_account or "",
            c.disability or "",
            c.poverty_status or "",
            (household.registration_type if household else None) or "",
        ]


def export_clients(
    path: Path,
    *,
    session: Session,
    full: bool = False,
    actor: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the roster with the import's own headers, atomically; returns the row count.

    ID, phone and account numbers are masked unless ``full`` (a roster meant for re-import), and
    a full export is recorded in the audit trail (the caller commits). ``progress(rows, 0)`` every
    few hundred rows; if it raises (取消), the partial file is removed.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DomainError(
            f"不支持的导出类型「{path.suffix}」，请使用 .xlsx 或 .csv", code="roster_type"
        )
    rows: Iterable[list[str]] = export_rows(session) if full else map(_masked, export_rows(session))
    demo = is_demo_desk(session)
    if demo:  # every row says so, and the desk's own re-import recognises it
        rows = (row + [DEMO_MARK] for row in rows)
    if progress is not None:
        rows = _reporting(rows, progress)
    if full:
        from agent_desk.store.audit import append

        append(session, "export_full", entity="client", detail={"file": path.name}, actor=actor)
    count = 0

    def produce(tmp: Path) -> None:
        nonlocal count
        count = _write_csv(tmp, rows, demo) if suffix == ".csv" else _write_xlsx(tmp, rows, demo)

    atomic.write_with(path, produce)
    return count


def _reporting(
    rows: Iterable[list[str]], progress: Callable[[int, int], None], every: int = 500
) -> Iterator[list[str]]:
    for done, row in enumerate(rows, start=1):
        if done % every == 0:
            progress(done, 0)
        yield row


def _columns(demo: bool) -> list[str]:
    return [*EXPORT_COLUMNS, DEMO_MARK] if demo else list(EXPORT_COLUMNS)


def _write_csv(tmp: Path, rows: Iterable[list[str]], demo: bool = False) -> int:
    count = 0
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_columns(demo))
        for row in rows:
            writer.writerow([csv_safe(value) for value in row])
            count += 1
    return count


def _write_xlsx(tmp: Path, rows: Iterable[list[str]], demo: bool = False) -> int:
    with SheetWriter(tmp, demo_title("花名册") if demo else "花名册", WIDTHS) as sheet:
        sheet.header(_columns(demo))
        for row in rows:
            sheet.append(row)
    return sheet.rows - 1
