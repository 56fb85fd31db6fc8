"""Reviewer figures on the 300k-case dataset: the dashboard's figures, the review queue's pages, the ledger export."""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench_foundation import dataset
from common import OUT, Row, timed
from openpyxl import Workbook
from sqlalchemy import select

from agent_desk.services.desk import open_desk
from agent_desk.services.ledger import HEADERS, export_ledger
from agent_desk.services.supervision import deadline_warnings, period_figures
from agent_desk.store.models import Case
from agent_desk.store.review_queries import (
    LedgerQuery,
    ReviewFilter,
    fill_missing_review_states,
    review_page,
    review_rows,
)


def _baseline_counts(db: Path) -> float:
    conn = sqlite3.connect(db)
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        conn.execute('SELECT status, count(*) FROM "case" GROUP BY status').fetchall()
        samples.append(time.perf_counter() - started)
    conn.close()
    return statistics.median(samples) * 1000


def _baseline_xlsx(rows: int, path: Path) -> float:
    row = (
        "1",
        "DB20261120000001",
        "最低生活保障申请",
        "62052400MZ-JF-0001",
        "王建国",
        "620524********1234",
        "139****1234",
        "洛门村",
        "王建国",
        "2026-11-20",
        "2026-11-20",
        "2026-12-18",
        "",
        "",
        "否",
        "否",
        "",
        5,
        "办理中",
    )
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("t")
    sheet.append(HEADERS)
    for _ in range(rows):
        sheet.append(row)
    book.save(path)
    return time.perf_counter() - started


def _dashboard_ms(desk, today: date) -> tuple[float, float]:
    start = today - timedelta(days=364)

    def figures() -> None:
        with desk.db.session() as session:
            period_figures(session, start, today, today=today)
            deadline_warnings(session, today=today)

    first = timed(figures) * 1000
    return first, statistics.median(timed(figures) * 1000 for _ in range(5))


def _queue_ms(desk, today: date) -> float:
    filters = [
        ReviewFilter(),
        ReviewFilter(waiting_only=True),
        ReviewFilter(statuses=()),
        ReviewFilter(deadline="overdue", today=today),
        ReviewFilter(statuses=("needs_correction",)),
    ]
    samples = []
    with desk.db.session() as session:
        for f in filters * 2:
            started = time.perf_counter()
            review_rows(session, [i for i, _ in review_page(session, f, limit=201)])
            samples.append((time.perf_counter() - started) * 1000)
    return max(samples)


def _ledger_start(desk, rows: int) -> date:
    with desk.db.session() as session:
        stmt = (
            select(Case.entrusted_on).order_by(Case.entrusted_on.desc()).offset(rows - 1).limit(1)
        )  # type: ignore[attr-defined]
        return session.scalar(stmt) or date(2000, 1, 1)


def run(quick: bool) -> list[Row]:
    clients, cases = (10_000, 30_000) if quick else (100_000, 300_000)
    folder, _ = dataset(clients, cases)
    started = time.perf_counter()
    desk = open_desk(folder)  # the first open after 0004 migrates (backfill) — reported, no target
    with desk.db.session() as session:
        fill_missing_review_states(session)
        session.commit()
    opened = time.perf_counter() - started
    today = date.today()
    size = f"{cases // 1000}k cases"
    base_ms = _baseline_counts(folder / "agent_desk.db")
    first_ms, warm_ms = _dashboard_ms(desk, today)
    queue_ms = _queue_ms(desk, today)
    ledger_rows_n = 100_000 if not quick else 10_000
    start = _ledger_start(desk, ledger_rows_n)
    target = OUT / "ledger.xlsx"
    progress: list[int] = []
    with desk.db.session() as session:
        t0, cpu0 = time.perf_counter(), time.process_time()
        written = export_ledger(
            LedgerQuery(start, today),
            target,
            session=session,
            today=today,
            progress=lambda done, _t, _x: progress.append(done),
        )
        ledger_s, ledger_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    desk.close()
    base_xlsx = _baseline_xlsx(written, OUT / "ledger-baseline.xlsx")
    print(
        f"ledger: {written} rows, {len(progress)} progress reports, {ledger_cpu:.1f} s CPU; open+migrate {opened:.1f}s",
        file=sys.stderr,
    )
    limit_s = 15 * written / 100_000
    return [
        Row(
            f"dashboard figures, 12-month period + warnings, first ({size})",
            first_ms,
            "ms",
            "≤ 500 ms",
            first_ms <= 500,
            base_ms,
        ),
        Row(
            f"dashboard figures, 12-month period + warnings, median of 5 ({size})",
            warm_ms,
            "ms",
            "≤ 500 ms",
            warm_ms <= 500,
            base_ms,
        ),
        Row(
            f"review queue first page, slowest of 5 filters ({size})",
            queue_ms,
            "ms",
            "≤ 200 ms",
            queue_ms <= 200,
            base_ms,
        ),
        Row(
            f"ledger export, {written:,} rows with progress ({size})",
            ledger_s,
            "s",
            f"≤ {limit_s:.3g} s",
            ledger_s <= limit_s and len(progress) > 1,
            base_xlsx,
        ),
        Row(f"desk open incl. first migration to 0004 ({size})", opened, "s", "-", True),
    ]
