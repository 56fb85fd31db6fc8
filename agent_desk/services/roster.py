"""Roster (花名册) import: .xlsx, .xls, WPS .et and .csv with the headers village offices use.

Import keeps the good rows, reports every refused row with its row number and reason (rows that
share one reason, such as a column Excel turned into numbers, are grouped so they are fixed in one
pass), and is idempotent: the ID number is the key, in its 18-digit form, so a second import
creates nothing and a changed phone or address updates the profile with the change recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import id_match_key
from agent_desk.services.clients import ClientBatch, ClientInput, add_client, update_client
from agent_desk.services.demo_marking import is_demo_desk, refuse_real_roster
from agent_desk.services.desk_setup import roster_village
from agent_desk.services.roster_export import FORMULA_STARTS, export_clients
from agent_desk.services.roster_headers import joined, locate_header
from agent_desk.services.roster_ids import ACCOUNT_NUMBER, TRUNCATED, screen_id_column
from agent_desk.services.roster_read import MAX_ROWS, RosterError, read_rows
from agent_desk.store.models import Client, Household, Village
from agent_desk.store.queries import clients_by_id_numbers

__all__ = ["ImportReport", "RosterError", "export_clients", "import_clients"]
SEX_ZH = {"male": "男", "female": "女"}
BATCH = 500
PROBLEM_EN = {
    TRUNCATED: "ID number ending in 000 may have been cut off by Excel: check it against the "
    "original, then confirm the import",
    ACCOUNT_NUMBER: "Excel stored the bank account as a number and lost its last digits: set the "
    "column to text and type the account again",
}
PROFILE_FIELDS = (
    "address",
    "relation_to_head",
    "ethnicity",
    "marital_status",
    "bank_name",
    "bank_account",
    "disability",
    "poverty_status",
)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    held: list[tuple[int, str]] = field(
        default_factory=list
    )  # imported only once the agent confirms
    unknown_villages: list[str] = field(
        default_factory=list
    )  # named by refused rows: offer to add them
    villages_added: list[str] = field(default_factory=list)
    reasons_en: dict[str, str] = field(default_factory=dict)  # Chinese reason → English

    def summary_zh(self) -> str:
        held = f"，待确认 {len(self.held)} 行" if self.held else ""
        added = f"，新增村 {'、'.join(self.villages_added)}" if self.villages_added else ""
        return (
            f"新增 {self.created} 人，更新 {self.updated} 人，未变 {self.unchanged} 人，"
            f"拒绝 {len(self.refused)} 行{held}{added}"
        )

    def summary_en(self) -> str:
        held = f", {len(self.held)} rows to confirm" if self.held else ""
        added = f", villages added: {', '.join(self.villages_added)}" if self.villages_added else ""
        return (
            f"{self.created} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.refused)} rows refused{held}{added}"
        )

    def summary(self, lang: str = "zh_CN") -> str:
        """The summary in the UI's language ("en" or Chinese)."""
        return self.summary_en() if lang == "en" else self.summary_zh()

    def lines(self, lang: str = "zh_CN", limit: int | None = None) -> list[str]:
        """``lines_zh`` in the UI's language: "Rows 3, 5, 7–9 (5 rows): reason" in English."""
        if lang != "en":
            return self.lines_zh(limit)
        lines = [
            f"{_row_list_en(rows)}: {self.reasons_en.get(reason, reason)}"
            for reason, rows in self.grouped()
        ]
        if limit is not None and len(lines) > limit:
            lines = lines[:limit] + [f"… {len(lines) - limit} more kinds of problem"]
        return lines

    def grouped(self) -> list[tuple[str, list[int]]]:
        """(reason, row numbers) in order of first appearance: one line per kind of problem to fix."""
        groups: dict[str, list[int]] = {}
        for number, reason in self.refused + self.held:
            groups.setdefault(reason, []).append(number)
        return list(groups.items())

    def lines_zh(self, limit: int | None = None) -> list[str]:
        """Grouped reasons for people: "第 3、5、7–9 行（共 5 行）：reason"."""
        lines = [f"{_row_list(rows)}：{reason}" for reason, rows in self.grouped()]
        if limit is not None and len(lines) > limit:
            lines = lines[:limit] + [f"……另有 {len(lines) - limit} 类问题"]
        return lines


def _row_list(rows: list[int]) -> str:
    spans: list[list[int]] = []
    for row in sorted(rows):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    text = "、".join(str(a) if a == b else f"{a}–{b}" for a, b in spans[:12])
    more = "……" if len(spans) > 12 else ""
    return f"第 {text}{more} 行" + (f"（共 {len(rows)} 行）" if len(rows) > 1 else "")


def _row_list_en(rows: list[int]) -> str:
    spans: list[list[int]] = []
    for row in sorted(rows):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans[:12])
    more = "…" if len(spans) > 12 else ""
    word = "Rows" if len(rows) > 1 else "Row"
    return f"{word} {text}{more}" + (f" ({len(rows)} rows)" if len(rows) > 1 else "")


def _text(value: Any) -> str | None:
    """A cell as text: a whole number Excel stored as 3.0 reads "3"; the apostrophe our CSV export
    puts before formula-like text ("'=…") is taken off again, so an export re-imports unchanged."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text or None


class _Importer:
    def __init__(
        self, session: Session, actor: str, source: str, add_villages: bool = False
    ) -> None:
        self.session, self.actor, self.source = session, actor, source
        self.add_villages = add_villages
        self.report = ImportReport()
        self.seen: dict[str, int] = {}
        self.known: dict[str, Client] = {}
        self.batch = ClientBatch()
        self.unwritten_household = False
        self.households_loaded = False
        self.villages = {v.name: v for v in session.scalars(select(Village))}
        self.households: dict[tuple[str | None, str, str | None], Household] = {}

    def row(self, number: int, values: dict[str, Any], problem: str | None) -> None:
        try:
            if problem is not None:
                raise DomainError(
                    problem, code="excel_number", message_en=PROBLEM_EN.get(problem, "")
                )
            self._apply(number, values)
        except DomainError as exc:
            target = self.report.held if str(exc) == TRUNCATED else self.report.refused
            target.append((number, str(exc)))
            self.report.reasons_en[str(exc)] = exc.message_en or str(exc)

    def _apply(self, number: int, values: dict[str, Any]) -> None:
        data = self._input(values)
        fields = data.validated()
        id_number = fields.get("id_number")
        if not id_number:
            raise DomainError("缺少公民身份号码", code="missing_id", message_en="no ID number")
        key = id_match_key(id_number)
        if key in self.seen:
            raise DomainError(
                f"与第 {self.seen[key]} 行的身份证号码重复",
                code="dup_row",
                message_en=f"same ID number as row {self.seen[key]}",
            )
        self.seen[key] = number
        _check_sex(values.get("sex"), fields.get("sex"))
        if values.get("head_name"):  # only now: a refused row must not leave a household behind
            household = self._household(data.extra.get("village_id"), values)
            data.extra["household_id"] = fields["household_id"] = household.id
        existing = self.known.get(key)
        if existing is None:
            self.known[key] = add_client(fields, session=self.session, batch=self.batch)
            self.report.created += 1
        elif self._flush_households() or update_client(
            existing,
            data,
            session=self.session,
            actor=self.actor,
            source=self.source,
            fields=fields,
        ):
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _input(self, values: dict[str, Any]) -> ClientInput:
        if isinstance(values.get("bank_account"), float):
            raise DomainError(
                ACCOUNT_NUMBER, code="excel_number", message_en=PROBLEM_EN[ACCOUNT_NUMBER]
            )
        extra: dict[str, Any] = {k: _text(values.get(k)) for k in PROFILE_FIELDS}
        extra["disability"] = joined(values, "disability", "disability_grade")
        extra["poverty_status"] = joined(values, "poverty_status", "extreme_poverty")
        extra = {k: v for k, v in extra.items() if v}
        village = self._village(_text(values.get("village")), _text(values.get("village_code")))
        if village is not None:
            extra["village_id"] = village.id
        return ClientInput(
            name=_text(values.get("name")) or "",
            id_number=_text(values.get("id_number")),
            phone=_text(values.get("phone")),
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
                message_en="unknown village; add it by importing with “add these villages”",
            )
        return village

    def _household(self, village_id: str | None, values: dict[str, Any]) -> Household:
        head, address = _text(values.get("head_name")) or "", _text(values.get("address"))
        key = (village_id, head, address)
        if not self.households_loaded:  # one query for the desk's households, not one per row
            for h in self.session.scalars(select(Household).where(Household.deleted == False)):
                self.households.setdefault((h.village_id, h.head_name or "", h.address), h)
            self.households_loaded = True
        if key not in self.households:  # a new household goes to the hub like any other record
            found = Household(
                village_id=village_id,
                head_name=head,
                address=address,
                registration_type=_text(values.get("registration_type")),
            )
            self.session.add(found)
            self.unwritten_household = True
            self.households[key] = found
        return self.households[key]

    def _flush_households(self) -> bool:
        """A profile moving to a household made in this batch: the household's row goes first."""
        if self.unwritten_household:
            self.session.flush()
            self.unwritten_household = False
        return False

    def flush(self) -> None:
        self.batch.write(self.session)
        self.unwritten_household = False


def _check_sex(written: Any, derived: str | None) -> None:
    written = _text(written)
    if written and derived and written not in (SEX_ZH[derived], derived):
        raise DomainError(
            f"性别「{written}」与身份证号码（{SEX_ZH[derived]}）不符",
            code="sex_mismatch",
            message_en=f"sex does not match the ID number ({derived})",
        )


def _records(rows: list[list[Any]], columns: dict[str, int]) -> list[dict[str, Any]]:
    width = max(columns.values()) + 1
    records = []
    for row in rows:
        cells = list(row[:width]) + [None] * (width - len(row))
        records.append({key: cells[index] for key, index in columns.items()})
    return records


def _blank(values: dict[str, Any]) -> bool:
    return not any(_text(v) for v in values.values())


def import_clients(
    path: Path,
    *,
    session: Session,
    actor: str = "",
    progress: Callable[[int, int], None] | None = None,
    confirm_truncated: bool = False,
    add_villages: bool = False,
) -> ImportReport:
    """Import a roster; the caller commits. Raises RosterError only when no row can be read.

    ``progress`` gets (rows done, rows in the file) every few hundred rows. Rows whose ID number looks
    cut off by Excel are held (``report.held``) unless ``confirm_truncated``. ``add_villages`` adds
    the villages the roster names and the desk lacks (see desk_setup.roster_village).
    """
    if not path.exists():
        raise RosterError(f"找不到文件 {path}", code="roster_missing")
    rows = read_rows(path)
    header_row, columns = locate_header(rows)
    if is_demo_desk(session):
        refuse_real_roster(list(rows[header_row - 1]) if header_row else [])
    data = rows[header_row:]
    if len(data) > MAX_ROWS:
        raise RosterError(f"花名册超过 {MAX_ROWS} 行，请分批导入", code="roster_too_big")
    records = _records(data, columns)
    problems = screen_id_column([r.get("id_number") for r in records])
    if confirm_truncated:
        problems = [None if p == TRUNCATED else p for p in problems]
    importer = _Importer(session, actor, f"import:{path.name}", add_villages)
    importer.known = clients_by_id_numbers(
        session, (_text(r.get("id_number")) or "" for r in records)
    )
    with session.no_autoflush:
        for done, values in enumerate(records, start=1):
            if not _blank(values):
                importer.row(header_row + done, values, problems[done - 1])
            if done % BATCH == 0:
                importer.flush()
                if progress:
                    progress(done, len(records))
        importer.flush()
    if progress:
        progress(len(records), len(records))
    return importer.report
