"""Sync benchmarks: initial pull, a 10k push, a no-op sync, and 200 desks at once on PostgreSQL.

Prints ``figure | value | target | baseline | ratio`` rows; each baseline is a raw bulk insert or
bare select on the same kind of database, measured in the same run. ``--quick`` for small sizes.
PostgreSQL comes from --pg or AGENT_DESK_TEST_PG; without it that figure is skipped with a note.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import create_engine, insert, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_desk.server import admin  # noqa: E402
from agent_desk.server import tables as t  # noqa: E402
from agent_desk.server.app import Hub, create_app  # noqa: E402
from agent_desk.server.auth import issue_token  # noqa: E402
from agent_desk.server.blobs import LocalBlobStore  # noqa: E402
from agent_desk.server.db import HubDB  # noqa: E402
from agent_desk.services.desk import open_desk  # noqa: E402
from agent_desk.store.bulk import bulk_insert  # noqa: E402
from agent_desk.store.models import Case, OutboxEntry, new_id  # noqa: E402
from agent_desk.sync.engine import SyncEngine  # noqa: E402
from agent_desk.sync.transport import HubClient  # noqa: E402
from tests.sync.conftest import ServerThread  # noqa: E402
from tests.sync.keyring_backend import MemoryKeyring  # noqa: E402

PASSWORD = "bench-password-1"
VILLAGE = "620524100200"


def row(figure: str, value: float, unit: str, target: str, baseline: float | None) -> None:
    ratio = f"{value / baseline:.1f}x" if baseline else "-"
    base = f"{baseline:.3f} {unit}" if baseline is not None else "-"
    print(f"{figure} | {value:.3f} {unit} | {target} | {base} | {ratio}", flush=True)


def case_fields(i: int, village_id: str) -> dict[str, Any]:
    return {"case_no": f"LM-{i:07d}", "client_id": uuid.uuid4().hex, "item_code": "62052400MZ-JF-0001",
            "item_name": "最低生活保障申请", "status": "in_progress", "village_id": village_id,
            "entrusted_on": "2026-11-02", "accepted_on": "2026-11-03", "due_on": "2026-11-20",
            "promised_days": 15, "deferred": False, "manual_fields": {}, "created_at": "2026-11-02T08:00:00+00:00"}  # fmt: skip


def seed_hub_cases(db: HubDB, village_id: str, count: int) -> None:
    """Put ``count`` cases straight into the hub's record store, as if many desks had pushed them."""
    now = datetime.now(UTC)
    with db.sequenced() as seq:
        rows = []
        for i in range(count):
            fields = case_fields(i, village_id)
            rows.append({"entity": "case", "id": uuid.uuid4().hex, "village_id": village_id, "version": 1,
                         "deleted": False, "seq": seq.next(), "fields": fields,
                         "field_meta": {k: [1, None] for k in fields}, "updated_at": now})  # fmt: skip
            if len(rows) == 5000:
                seq.conn.execute(insert(t.record), rows)
                rows = []
        if rows:
            seq.conn.execute(insert(t.record), rows)


def desk_case_rows(count: int, village_id: str) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        f = case_fields(i, village_id)
        f.update(id=new_id(), version=1, deleted=False, updated_at=datetime.now(UTC), entrusted_on=date(2026, 11, 2),
                 accepted_on=date(2026, 11, 3), due_on=date(2026, 11, 20), created_at=datetime.now(UTC))  # fmt: skip
        out.append(f)
    return out


def baseline_desk_insert(tmp: Path, count: int, village_id: str) -> float:
    desk = open_desk(tmp / "baseline-desk")
    rows = desk_case_rows(count, village_id)
    started = time.perf_counter()
    with desk.db.session() as session:
        session.execute(text("PRAGMA foreign_keys=OFF"))
        bulk_insert(session, Case, rows)
        session.commit()
    elapsed = time.perf_counter() - started
    desk.close()
    return elapsed


def baseline_hub_insert(url: str, count: int) -> float:
    db = HubDB.open(url)
    now = datetime.now(UTC)
    rows = [{"entity": "bench", "id": uuid.uuid4().hex, "village_id": None, "version": 1, "deleted": False,
             "seq": 10_000_000 + i, "fields": case_fields(i, "x"), "field_meta": {}, "updated_at": now} for i in range(count)]  # fmt: skip
    started = time.perf_counter()
    with db.writing() as conn:
        conn.execute(insert(t.record), rows)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def change_cases(desk: Any, count: int) -> None:
    """Change ``count`` cases locally with their outbox entries, as the services would."""
    with desk.db.session() as session:
        versions = dict(session.execute(text("SELECT id, version FROM \"case\" LIMIT :n"), {"n": count}).all())
        ids = list(versions)
        session.execute(update(Case).where(Case.id.in_(ids)).values(status="concluded"))  # type: ignore[attr-defined]
        bulk_insert(session, OutboxEntry, [{"op_id": new_id(), "entity": "case", "entity_id": i, "op": "upsert",
                                            "fields": {"status": "concluded"}, "base_version": versions[i],
                                            "created_at": datetime.now(UTC), "state": "pending", "attempts": 0} for i in ids])  # fmt: skip
        session.commit()


def bench_single_desk(tmp: Path, cases: int, pushes: int) -> None:
    url = f"sqlite:///{tmp / 'hub.db'}"
    hub = Hub(HubDB.open(url), LocalBlobStore(tmp / "blobs"))
    village_id = admin.create_village(hub.db, code=VILLAGE, name="洛门村", township_code=VILLAGE[:9], township_name="洛门镇")
    admin.create_user(hub.db, username="wang", password=PASSWORD, role="agent", villages=[VILLAGE])
    seed_hub_cases(hub.db, village_id, cases)
    with ServerThread(create_app(hub)) as server:
        desk = open_desk(tmp / "desk")
        engine = SyncEngine(desk.db, desk.data, page_size=5000, batch_size=500)
        engine.configure(f"http://127.0.0.1:{server.port}", "wang")
        engine.login(PASSWORD)
        started = time.perf_counter()
        report = engine.sync_once()
        pull_s = time.perf_counter() - started
        assert report.pulled >= cases, report
        row(f"initial pull of {cases} cases (SQLite hub)", pull_s, "s", "<= 60 s", baseline_desk_insert(tmp, cases, village_id))
        change_cases(desk, pushes)
        started = time.perf_counter()
        report = engine.sync_once()
        push_s = time.perf_counter() - started
        assert report.pushed == pushes and report.quarantined == 0, report
        row(f"push of {pushes} changed records", push_s, "s", "<= 10 s", baseline_hub_insert(url, pushes))
        noop(engine, desk)
        desk.close()


def noop(engine: SyncEngine, desk: Any) -> None:
    times, sizes = [], []
    for _ in range(7):
        started = time.perf_counter()
        report = engine.sync_once()
        times.append(time.perf_counter() - started)
        sizes.append(report.bytes_sent + report.bytes_received)
    with desk.db.session() as session:
        started = time.perf_counter()
        session.execute(text("SELECT count(*) FROM outbox WHERE state='pending'")).scalar()
        bare = time.perf_counter() - started
    row("no-op sync, median time", statistics.median(times) * 1000, "ms", "<= 100 ms", bare * 1000)
    row("no-op sync, bytes on the wire", max(sizes), "B", "<= 2048 B", None)


def bench_many_desks(tmp: Path, pg_url: str | None, desks: int, rounds: int) -> None:
    if not pg_url:
        print(f"{desks} desks at once on PostgreSQL | skipped | p95 <= 500 ms | - | - (set --pg or AGENT_DESK_TEST_PG)")
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{pg_url}{'&' if '?' in pg_url else '?'}options=-csearch_path%3D{schema}"
    try:
        _many_desks(tmp, url, desks, rounds)
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def _many_desks(tmp: Path, url: str, desks: int, rounds: int) -> None:
    db = HubDB.open(url)
    villages = [admin.create_village(db, code=f"620524100{200 + i:03d}", name=f"村{i}", township_code="620524100",
                                     township_name="洛门镇") for i in range(20)]  # fmt: skip
    users = [admin.create_user(db, username=f"agent{i}", password=PASSWORD, role="agent",
                               villages=[f"620524100{200 + i:03d}"]) for i in range(20)]  # fmt: skip
    with db.writing() as conn:
        tokens = [issue_token(conn, users[i % 20], None, f"desk{i}")[0] for i in range(desks)]
    db.close()
    port = 18000 + os.getpid() % 1000
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "agent_desk", "server", "--db", url, "--hub-dir", str(tmp / "pg-hub"), "--port", str(port)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(port)
        latencies, errors = _run_rounds(f"http://127.0.0.1:{port}", tokens, villages, rounds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else 0.0
    row(f"{desks} desks at once on PostgreSQL, p95 per round ({errors} errors)", p95, "ms", "<= 500 ms, 0 errors",
        statistics.median(latencies) * 1000)  # fmt: skip


def _wait_up(port: int) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("hub did not start")


def _run_rounds(base: str, tokens: list[str], villages: list[str], rounds: int) -> tuple[list[float], int]:
    """Each simulated desk: pull, push 5 changes, pull again, per round; all desks start together."""
    latencies: list[float] = []
    errors = 0
    lock, barrier = threading.Lock(), threading.Barrier(len(tokens))

    def desk(i: int) -> None:
        nonlocal errors
        client, cursor = HubClient(base, token=tokens[i], timeout=60), 0
        barrier.wait()
        for _ in range(rounds):
            started = time.perf_counter()
            try:
                cursor = _drain(client, cursor)
                ops = [{"op_id": uuid.uuid4().hex, "entity": "client", "entity_id": uuid.uuid4().hex,
                        "fields": {"name": "张三", "village_id": villages[i % 20]}} for _ in range(5)]  # fmt: skip
                client.push(ops)
                cursor = _drain(client, cursor)
            except Exception:  # noqa: BLE001 - counted and reported as errors
                with lock:
                    errors += 1
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
        client.close()

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        list(pool.map(desk, range(len(tokens))))
    return latencies, errors


def _drain(client: HubClient, cursor: int) -> int:
    while True:
        page = client.pull(cursor, 1000)
        cursor = page.cursor
        if not page.more:
            return cursor


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (10k pull, 1k push, 50 desks)")
    parser.add_argument("--pg", default=os.environ.get("AGENT_DESK_TEST_PG"), help="PostgreSQL URL for the many-desks figure")
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    cases, pushes, desks = (10_000, 1_000, 50) if args.quick else (100_000, 10_000, 200)
    print("figure | value | target | baseline | ratio")
    with tempfile.TemporaryDirectory() as tmp:
        bench_single_desk(Path(tmp), cases, pushes)
        bench_many_desks(Path(tmp), args.pg, desks, rounds=3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
