"""台账: the register of cases as township offices keep it, exported to .xlsx.

Rows stream straight into the file (``xlsx_stream``: a 100k-case year in a few seconds and little memory); it is written
next to the target and renamed into place, so a failed export never leaves half a ledger. ID numbers
and phones are masked unless the caller's role needs them in full.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from agent_desk import atomic
from agent_desk.core.case_flow import STATUS_LABELS, CaseStatus
from agent_desk.core.identity import mask_id_number
from agent_desk.core.masking import mask_phone
from agent_desk.services.demo_marking import DEMO_MARK, demo_title, is_demo_desk
from agent_desk.services.xlsx_stream import SheetWriter
from agent_desk.store.review_queries import AgentNames, LedgerQuery, ledger_count, ledger_rows

Progress = Callable[[int, int, str], None]
HEADERS = (
    "序号",
    "办件编号",
    "事项名称",
    "事项编码",
    "委托人",
    "身份证号码(脱敏)",
    "联系电话(脱敏)",
    "所属村",
    "代办员",
    "委托日期",
    "受理日期",
    "承诺办结日期",
    "办结日期",
    "办理结果",
    "是否超期",
    "是否容缺",
    "送达日期",
    "满意度",
    "状态",
    "所属一件事",  # one row per case, with its request (issue 21)
)
FULL_HEADERS = {"身份证号码(脱敏)": "身份证号码", "联系电话(脱敏)": "联系电话"}
WIDTHS = (6, 22, 24, 20, 10, 21, 14, 10, 10, 11, 11, 13, 11, 14, 8, 8, 11, 7, 9, 36)
OUTCOMES = {"approved": "准予", "refused": "不予"}
OPEN = {"entrusted", "accepted", "in_progress", "needs_correction"}
REPORT_EVERY = 2000


def is_overdue(status: str, due: date | None, concluded: date | None, today: date) -> bool:
    """Concluded after the promised date, or still open past it."""
    if due is None:
        return False
    if concluded is not None:
        return concluded > due
    return status in OPEN and today > due


def _day(value: date | None) -> date | None:
    return value  # a real date cell; an empty one is not written at all


class _RowMaker:
    def __init__(self, agents: AgentNames, today: date, reveal_ids: bool) -> None:
        self.agents, self.today, self.reveal = agents, today, reveal_ids

    def __call__(self, n: int, r: tuple[Any, ...]) -> tuple[Any, ...]:
        (
            case_no,
            item_name,
            item_code,
            client,
            id_number,
            phone,
            village,
            agent_id,
            village_id,
            entrusted,
            accepted,
            due,
            concluded,
            outcome,
            result,
            deferred,
            delivered,
            satisfaction,
            status,
            request_no,
            bundle_name,
        ) = r
        ident = (
            (id_number or "") if self.reveal else (mask_id_number(id_number) if id_number else "")
        )
        shown_phone = (phone or "") if self.reveal else mask_phone(phone)
        outcome_text = (
            "，".join(x for x in (OUTCOMES.get(outcome or "", ""), result or "") if x) or None
        )
        overdue = "是" if is_overdue(status, due, concluded, self.today) else "否"
        return (
            n,
            case_no,
            item_name,
            item_code,
            client,
            ident or None,
            shown_phone or None,
            village,
            self.agents.of(agent_id, village_id) or None,
            _day(entrusted),
            _day(accepted),
            _day(due),
            _day(concluded),
            outcome_text,
            overdue,
            "是" if deferred else "否",
            _day(delivered),
            satisfaction,
            STATUS_LABELS[CaseStatus(status)],
            f"{request_no} {bundle_name}" if request_no else None,
        )


def export_ledger(
    query: LedgerQuery,
    target: Path,
    *,
    session: Session,
    today: date,
    reveal_ids: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the ledger of cases entrusted in the period to ``target``; returns the number of cases."""
    total = ledger_count(session, query)
    make_row = _RowMaker(AgentNames.load(session), today, reveal_ids)
    target.parent.mkdir(parents=True, exist_ok=True)
    done, demo = 0, is_demo_desk(session)

    def produce(tmp: Path) -> None:
        nonlocal done
        done = _write(tmp, query, session, make_row, reveal_ids, total, progress, demo)

    atomic.write_with(target, produce)
    return done


def _write(
    path: Path,
    query: LedgerQuery,
    session: Session,
    make_row: _RowMaker,
    reveal_ids: bool,
    total: int,
    progress: Progress | None,
    demo: bool = False,
) -> int:
    done = 0
    with SheetWriter(path, demo_title("台账") if demo else "台账", WIDTHS) as sheet:
        headers = [FULL_HEADERS.get(h, h) if reveal_ids else h for h in HEADERS]
        sheet.header([*headers, DEMO_MARK] if demo else headers)
        for done, row in enumerate(ledger_rows(session, query), start=1):
            cells = make_row(done, row)
            sheet.append([*cells, DEMO_MARK] if demo else cells)
            if progress and done % REPORT_EVERY == 0:
                progress(done, total, f"正在导出台账 {done}/{total}")
        if progress:
            progress(done, total, "正在保存文件…")
    return done
