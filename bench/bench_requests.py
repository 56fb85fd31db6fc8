"""一件事: opening a request with 10 cases on the 300k-case dataset (issue 21)."""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import date
from pathlib import Path

from bench_foundation import current_dataset
from common import Row
from sqlalchemy import func, select, update

from agent_desk.services.desk import open_desk
from agent_desk.services.requests import load_request
from agent_desk.store.models import Case, Request

TARGET_MS = 100
MEMBERS = 10
BENCH_NO = "YJSBENCH0000000002"


def _request(folder: Path) -> str:
    """A request holding 10 of the dataset's cases (made once, kept with the dataset)."""
    desk = open_desk(folder)
    try:
        with desk.db.session() as session:
            found = session.scalar(select(Request.id).where(Request.request_no == BENCH_NO))
            if found:
                return str(found)
            cases = session.execute(  # one case per item, as a bundle has
                select(func.min(Case.id), Case.item_code, func.min(Case.client_id))
                .group_by(Case.item_code)
                .limit(MEMBERS)
            ).all()
            request = Request(
                request_no=BENCH_NO,
                bundle_code="620524-YJS-0001",
                bundle_name="基准一件事",
                client_id=cases[0][2],
                opened_on=date.today(),
                plan={"members": [{"item": c[1], "after": []} for c in cases]},
            )
            session.add(request)
            session.flush()
            session.execute(
                update(Case).where(Case.id.in_([c[0] for c in cases])).values(request_id=request.id)
            )
            session.commit()
            return request.id
    finally:
        desk.close()


def _raw_ms(folder: Path, request_id: str) -> float:
    """Baseline: bare sqlite3 reading the request's cases by the index."""
    conn = sqlite3.connect(folder / "agent_desk.db")
    started = time.perf_counter()
    conn.execute(
        'SELECT * FROM "case" WHERE request_id = ? AND deleted = 0', (request_id,)
    ).fetchall()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return elapsed


def run(quick: bool) -> list[Row]:
    clients, cases = (10_000, 30_000) if quick else (100_000, 300_000)
    folder = current_dataset(clients, cases)
    request_id = _request(folder)
    desk = open_desk(folder)
    samples = []
    try:
        for _ in range(6):
            with desk.db.session() as session:
                started = time.perf_counter()
                view = load_request(session, request_id)
                samples.append((time.perf_counter() - started) * 1000)
    finally:
        desk.close()
    assert len(view.members) == MEMBERS
    first, median = samples[0], statistics.median(samples[1:])
    size = f"{MEMBERS} cases, {cases // 1000}k cases on the desk"
    base = _raw_ms(folder, request_id)
    return [
        Row(
            f"一件事 request page opened, first load ({size})",
            first,
            "ms",
            f"≤ {TARGET_MS} ms",
            first <= TARGET_MS,
            base,
        ),
        Row(
            f"一件事 request page opened, median of 5 ({size})",
            median,
            "ms",
            f"≤ {TARGET_MS} ms",
            median <= TARGET_MS,
            base,
        ),
    ]
