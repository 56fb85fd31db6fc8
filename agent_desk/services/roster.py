"""Roster (花名册) import and export: .xlsx and .csv with the headers village offices use.

Import keeps the good rows, reports every refused row with its row number and reason, and is
idempotent: the ID number is the key, so a second import creates nothing and a changed phone or
address updates the profile with the change recorded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from agent_desk.core.errors import DomainError
from agent_desk.services.clients import ClientInput, create_client, update_client
from agent_desk.services.desk_setup import roster_village
from agent_desk.store.models import Client, Household, Village
from agent_desk.store.outbox import record_change
from agent_desk.store.queries import client_by_id_number

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "委托人姓名", "户籍人姓名"),
    "id_number": ("公民身份号码", "身份证号码", "身份证号", "证件号码", "身份证"),
    "sex": ("性别",),
    "phone": ("联系电话", "手机号码", "手机号", "电话", "联系方式"),
    "address": ("家庭住址", "住址", "现住址", "地址"),
    "head_name": ("户主姓名", "户主"),
    "relation_to_head": ("与户主关系", "关系"),
    "village": ("所属村", "村组", "所属村组", "村", "村名"),
    "ethnicity": ("民族",),
    "village_code": ("村代码", "统计用区划代码", "区划代码", "村统计用区划代码"),
}
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
)
SEX_ZH = {"male": "男", "female": "女"}
MAX_ROWS = 200_000


class RosterError(DomainError):
    """The file as a whole cannot be read (not a single row was imported)."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    unknown_villages: list[str] = field(default_factory=list)  # named by refused rows: offer to add them
    villages_added: list[str] = field(default_factory=list)

    def summary_zh(self) -> str:
        added = f"，新增村 {'、'.join(self.villages_added)}" if self.villages_added else ""
        return (
            f"新增 {self.created} 人，更新 {self.updated} 人，未变 {self.unchanged} 人，"
            f"拒绝 {len(self.refused)} 行{added}"
        )


def _normalise_header(text: Any) -> str:
    return "".join(str(text or "").split()).replace("*", "").replace("：", "")


def _column_map(header: list[Any]) -> dict[str, int]:
    names = [_normalise_header(h) for h in header]
    found: dict[str, int] = {}
    for key, aliases in HEADERS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
    return found


def _read_rows(path: Path) -> Iterator[list[Any]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        yield from csv.reader(io.StringIO(_decode(path.read_bytes())))
    else:
        raise RosterError(
            f"不支持的文件类型「{path.suffix}」，请使用 .xlsx 或 .csv", code="roster_type"
        )


def _read_xlsx(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise RosterError(
            f"无法读取 Excel 文件 {path.name}：文件已损坏或不是 .xlsx",
            code="roster_corrupt",
            message_en=str(exc),
        ) from exc
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _decode(raw: bytes) -> str:
    """Excel in China saves CSV as GBK; try UTF-8 (with BOM) first, then GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx", code="roster_encoding")


def _locate_header(rows: Iterator[list[Any]]) -> tuple[int, dict[str, int]]:
    """Rosters often open with a title row; the header is the first row naming 姓名 and an ID column."""
    for number, row in enumerate(rows, start=1):
        columns = _column_map(row)
        if "name" in columns and "id_number" in columns:
            return number, columns
        if number >= 20:
            break
    raise RosterError(
        "在前 20 行中没有找到表头：需要「姓名」和「公民身份号码」（或「身份证号码」）两列",
        code="roster_header",
    )


def _cell(row: list[Any], columns: dict[str, int], key: str) -> str | None:
    index = columns.get(key)
    if index is None or index >= len(row) or row[index] is None:
        return None
    text = str(row[index]).strip()
    return text or None


class _Importer:
    def __init__(self, session: Session, actor: str, source: str, add_villages: bool = False) -> None:
        self.session, self.actor, self.source = session, actor, source
        self.add_villages = add_villages
        self.report = ImportReport()
        self.seen: dict[str, int] = {}
        self.villages = {v.name: v for v in session.scalars(select(Village))}
        self.households: dict[tuple[str | None, str, str | None], Household] = {}

    def row(self, number: int, row: list[Any], columns: dict[str, int]) -> None:
        values = {key: _cell(row, columns, key) for key in HEADERS}
        if not any(values.values()):
            return
        try:
            self._apply(number, values)
        except DomainError as exc:
            self.report.refused.append((number, str(exc)))

    def _apply(self, number: int, values: dict[str, str | None]) -> None:
        data = self._input(values)
        fields = data.validated()
        id_number = fields.get("id_number")
        if not id_number:
            raise DomainError("缺少公民身份号码", code="missing_id")
        if id_number in self.seen:
            raise DomainError(f"与第 {self.seen[id_number]} 行的身份证号码重复", code="dup_row")
        self.seen[id_number] = number
        _check_sex(values.get("sex"), fields.get("sex"))
        if values.get("head_name"):  # only now: a refused row must not leave a household behind
            data.extra["household_id"] = self._household(
                data.extra.get("village_id"), values["head_name"] or "", values.get("address")
            ).id
        existing = client_by_id_number(self.session, id_number)
        if existing is None:
            create_client(data, session=self.session, actor=self.actor)
            self.report.created += 1
        elif update_client(
            existing, data, session=self.session, actor=self.actor, source=self.source
        ):
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _input(self, values: dict[str, str | None]) -> ClientInput:
        extra: dict[str, Any] = {}
        for key in ("address", "relation_to_head", "ethnicity"):
            if values.get(key):
                extra[key] = values[key]
        village = self._village(values.get("village"), values.get("village_code"))
        if village is not None:
            extra["village_id"] = village.id
        return ClientInput(
            name=values.get("name") or "",
            id_number=values.get("id_number"),
            phone=values.get("phone"),
            extra=extra,
        )

    def _village(self, name: str | None, code: str | None) -> Village | None:
        if not name:
            return None
        village = self.villages.get(name) or next(
            (v for k, v in self.villages.items() if name.startswith(k) or k.startswith(name)), None
        )
        if village is None and self.add_villages:
            village = self.villages[name] = roster_village(self.session, name, code)
            self.report.villages_added.append(name)
        if village is None:
            if name not in self.report.unknown_villages:
                self.report.unknown_villages.append(name)
            known = "、".join(sorted(self.villages)) or "（本机尚未设置任何村）"
            raise DomainError(
                f"未知的村「{name}」；本机已有的村：{known}。添加该村：导入时选择「添加这些村」，"
                "或命令 agent-desk import clients 文件 --add-villages",
                code="unknown_village",
            )
        return village

    def _household(self, village_id: str | None, head: str, address: str | None) -> Household:
        key = (village_id, head, address)
        if key not in self.households:
            stmt = select(Household).where(
                Household.head_name == head,
                Household.address == address,
                Household.village_id == key[0],
            )
            found = self.session.scalars(stmt).first()
            if found is None:  # a new household goes to the hub like any other record
                found = Household(village_id=key[0], head_name=head, address=address)
                self.session.add(found)
                record_change(self.session, found)
            self.households[key] = found
        return self.households[key]


def _check_sex(written: str | None, derived: str | None) -> None:
    if written and derived and written not in (SEX_ZH[derived], derived):
        raise DomainError(
            f"性别「{written}」与身份证号码（{SEX_ZH[derived]}）不符", code="sex_mismatch"
        )


def import_clients(
    path: Path,
    *,
    session: Session,
    actor: str = "",
    progress: Callable[[int], None] | None = None,
    add_villages: bool = False,
) -> ImportReport:
    """Import a roster; the caller commits. Raises RosterError only when no row can be read.

    ``add_villages`` adds the villages the roster names and the desk lacks (see roster_village).
    """
    if not path.exists():
        raise RosterError(f"找不到文件 {path}", code="roster_missing")
    rows = _read_rows(path)
    header_row, columns = _locate_header(rows)
    importer = _Importer(session, actor, f"import:{path.name}", add_villages)
    for number, row in enumerate(rows, start=header_row + 1):
        if number > MAX_ROWS + header_row:
            raise RosterError(f"花名册超过 {MAX_ROWS} 行，请分批导入", code="roster_too_big")
        importer.row(number, row, columns)
        if progress and number % 500 == 0:
            progress(number)
    return importer.report


def _masked(row: list[str]) -> list[str]:
    from agent_desk.core.masking import mask_id, mask_phone

    row[1], row[4] = mask_id(row[1]), mask_phone(row[4])
    return row


def export_rows(session: Session) -> Iterable[list[str]]:
    villages = {v.id: v.name for v in session.scalars(select(Village))}
    households = {h.id: h.head_name for h in session.scalars(select(Household))}
    stmt = select(Client).where(Client.deleted == False).order_by(Client.sort_key)
    for c in session.scalars(stmt.execution_options(yield_per=2000)):
        yield [
            c.name,
            c.id_number or "",
            SEX_ZH.get(c.sex or "", ""),
            c.birth_date.isoformat() if c.birth_date else "",
            c.phone or "",
            c.address or "",
            households.get(c.household_id or "") or "",
            c.relation_to_head or "",
            villages.get(c.village_id or "", ""),
            c.ethnicity or "",
        ]


def export_clients(path: Path, *, session: Session, full: bool = False, actor: str | None = None) -> int:
    """Write the roster with the import's own headers, atomically; returns the row count.

    ID and phone numbers are masked unless ``full`` (a roster meant for re-import), and a full
    export is recorded in the audit trail (the caller commits).
    """
    tmp = path.with_name(path.name + ".part")
    count = 0
    rows = export_rows(session) if full else map(_masked, export_rows(session))
    if full:
        from agent_desk.store.audit import append

        append(session, "export_full", entity="client", detail={"file": path.name}, actor=actor)
    if path.suffix.lower() == ".csv":
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(EXPORT_COLUMNS)
            for row in rows:
                writer.writerow(row)
                count += 1
    elif path.suffix.lower() == ".xlsx":
        count = _export_xlsx(tmp, rows)
    else:
        raise RosterError(
            f"不支持的导出类型「{path.suffix}」，请使用 .xlsx 或 .csv", code="roster_type"
        )
    tmp.replace(path)
    return count


def _export_xlsx(tmp: Path, rows: Iterable[list[str]]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(list(EXPORT_COLUMNS))
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    book.save(tmp)
    return count
