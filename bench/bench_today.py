"""今日待办, the first page after unlock, on the 300k-case dataset: its counts and first rows."""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import date

from bench_foundation import dataset
from common import Row

from agent_desk.core.calendar import add_working_days
from agent_desk.services.desk import open_desk
from agent_desk.store.today_queries import today_list

TARGET_MS = 100


def _raw_ms(folder) -> float:
    """Baseline: bare sqlite3 counting the open cases by the status index."""
    conn = sqlite3.connect(folder / "agent_desk.db")
    started = time.perf_counter()
    conn.execute(
        "SELECT count(*) FROM \"case\" WHERE status IN ('entrusted','accepted','in_progress','needs_correction')"
    ).fetchone()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return elapsed


def run(quick: bool) -> list[Row]:
    clients, cases = (10_000, 30_000) if quick else (100_000, 300_000)
    folder, _ = dataset(clients, cases)
    desk = open_desk(folder)
    today = date.today()
    soon = add_working_days(today, 2)
    samples = []
    try:
        for _ in range(6):
            with desk.db.session() as session:
                started = time.perf_counter()
                result = today_list(session, today, soon)
                samples.append((time.perf_counter() - started) * 1000)
    finally:
        desk.close()
    first, median = samples[0], statistics.median(samples[1:])
    size = f"{cases // 1000}k cases, {result.total:,} listed"
    base = _raw_ms(folder)
    return [
        Row(
            f"今日待办 first page after unlock, first load ({size})",
            first,
            "ms",
            f"≤ {TARGET_MS} ms",
            first <= TARGET_MS,
            base,
        ),
        Row(
            f"今日待办 first page after unlock, median of 5 ({size})",
            median,
            "ms",
            f"≤ {TARGET_MS} ms",
            median <= TARGET_MS,
            base,
        ),
    ]
