"""A calendar publication recomputes every open case's due date: 300k open cases, with progress.

Measured inside a transaction that is rolled back, so the shared benchmark dataset stays as seeded:
every case is first made open (accepted, due 10 working days later), then a new calendar that adds
a week of holidays in every year moves most of them (each moved case gets its event and two
outbox entries). Baseline: reading the same four columns of every case with raw sqlite3.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

from bench_foundation import dataset
from common import Row
from sqlalchemy import text

from agent_desk.core.calendar import WorkCalendar, YearOverride
from agent_desk.core.statutory import statutory_holidays
from agent_desk.services.deadlines import recompute_due_dates
from agent_desk.services.desk import open_desk


def _baseline_s(db: Path) -> float:
    conn = sqlite3.connect(db)
    started = time.perf_counter()
    conn.execute('SELECT id, status, version, accepted_on, due_on FROM "case"').fetchall()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _calendars() -> tuple[WorkCalendar, WorkCalendar]:
    """Old: the law's holidays for every year; new: the same plus the first week of each month."""
    years = range(date.today().year - 8, date.today().year + 3)
    old = {y: YearOverride(holidays=frozenset(statutory_holidays(y))) for y in years}
    extra = {y: frozenset(date(y, m, d) for m in range(1, 13) for d in range(1, 8)) for y in years}
    new = {y: YearOverride(holidays=old[y].holidays | extra[y]) for y in years}
    return WorkCalendar(old), WorkCalendar(new)


def run(quick: bool) -> list[Row]:
    clients, cases = (10_000, 30_000) if quick else (100_000, 300_000)
    folder, _ = dataset(clients, cases)
    desk = open_desk(folder)
    old, new = _calendars()
    progress: list[int] = []
    with desk.db.session() as session:
        session.execute(text("UPDATE \"case\" SET status = 'accepted', deleted = 0, accepted_on = entrusted_on"))
        first = session.execute(text('SELECT id, entrusted_on FROM "case"')).all()
        session.execute(
            text('UPDATE "case" SET due_on = :due WHERE id = :id'),
            [{"id": i, "due": old.add_working_days(date.fromisoformat(str(e)), 10)} for i, e in first],
        )
        started = time.perf_counter()
        moved = recompute_due_dates(session, old, new, actor="bench", progress=lambda d, _t, _m: progress.append(d))
        elapsed = time.perf_counter() - started
        session.rollback()
    desk.close()
    base = _baseline_s(folder / "agent_desk.db")
    print(f"due dates: {len(first)} open, {moved} moved, {len(progress)} progress reports", file=sys.stderr)
    limit = 10 * len(first) / 300_000
    return [
        Row(f"recompute due dates after a calendar publication, {len(first) // 1000}k open cases ({moved // 1000}k moved, "
            f"{len(progress)} progress reports)", elapsed, "s", f"≤ {limit:.3g} s", elapsed <= limit and bool(progress), base),
    ]  # fmt: skip


if __name__ == "__main__":
    for row in run("--quick" in sys.argv):
        print(row)
