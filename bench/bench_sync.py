"""Sync benchmarks: initial pull, a 10k push, a no-op sync, and 200 desks at once on PostgreSQL.

``run(quick)`` returns ``bench/common.py`` rows for ``bench/run.py``; ``main()`` prints them on its
own. Each baseline is a raw bulk insert or bare select on the same kind of database, measured in
the same run. PostgreSQL comes from AGENT_DESK_TEST_PG (or --pg); when it is unset or unreachable
that figure is a clearly marked skipped row.

The many-desks figure runs the hub as its own process (``agent-desk server --workers N``) and the
load from separate processes, each driving many simulated desks over aiohttp (one connection
each, as real desks have): every round all desks start at the same instant and sync as
``SyncEngine`` does: one sync round (``POST /sync/round``) carrying a couple of records and two
entries of the device's audit chain, answered with the page of changes after them. A desk's round
latency is measured from its own start, errors are counted; the baseline is the same load with one
request per phase (pull, push, pull again, audit append: a hub older than the round), and the
audit append alone is a row of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import create_engine, insert, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import Row  # noqa: E402

from agent_desk.core.audit_chain import GENESIS, entry_hash  # noqa: E402
from agent_desk.protocol.values import check_fields  # noqa: E402
from agent_desk.server import admin  # noqa: E402
from agent_desk.server import tables as t  # noqa: E402
from agent_desk.server.app import Hub  # noqa: E402
from agent_desk.server.auth import issue_token  # noqa: E402
from agent_desk.server.blobs import LocalBlobStore  # noqa: E402
from agent_desk.server.db import HubDB  # noqa: E402
from agent_desk.services.desk import open_desk  # noqa: E402
from agent_desk.store.bulk import bulk_insert  # noqa: E402
from agent_desk.store.models import Case, OutboxEntry, new_id  # noqa: E402
from agent_desk.sync.engine import SyncEngine  # noqa: E402
from tests.sync.keyring_backend import MemoryKeyring  # noqa: E402

PASSWORD = "bench-password-1"
VILLAGE = "620524100200"


def show(r: Row) -> Row:
    base = f"{r.baseline:.3f} {r.unit}" if r.baseline is not None else "-"
    print(
        f"{r.figure} | {r.value:.3f} {r.unit} | {r.target} | {base} | {r.ratio} | {'ok' if r.ok else 'MISSED'}",
        flush=True,
    )
    return r


def case_fields(i: int, village_id: str) -> dict[str, Any]:
    return {
        "case_no": f"LM-{i:07d}",
        "client_id": uuid.uuid4().hex,
        "item_code": "62052400MZ-JF-0001",
        "item_name": "最低生活保障申请",
        "status": "in_progress",
        "village_id": village_id,
        "entrusted_on": "2026-11-02",
        "accepted_on": "2026-11-03",
        "due_on": "2026-11-20",
        "promised_days": 15,
        "deferred": False,
        "manual_fields": {},
        "created_at": "2026-11-02T08:00:00+00:00",
    }


def seed_hub_cases(db: HubDB, village_id: str, count: int) -> None:
    """Put ``count`` cases straight into the hub's record store, as if many desks had pushed them."""
    now = datetime.now(UTC)
    with db.sequenced() as seq:
        rows = []
        for i in range(count):
            fields = case_fields(i, village_id)
            rows.append(
                {
                    "entity": "case",
                    "id": uuid.uuid4().hex,
                    "village_id": village_id,
                    "version": 1,
                    "deleted": False,
                    "seq": seq.next(),
                    "fields": fields,
                    "field_meta": {k: [1, None] for k in fields},
                    "updated_at": now,
                }
            )
            if len(rows) == 5000:
                seq.conn.execute(insert(t.record), rows)
                rows = []
        if rows:
            seq.conn.execute(insert(t.record), rows)


def desk_case_rows(count: int, village_id: str) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        f = case_fields(i, village_id)
        f.update(
            id=new_id(),
            version=1,
            deleted=False,
            updated_at=datetime.now(UTC),
            entrusted_on=date(2026, 11, 2),
            accepted_on=date(2026, 11, 3),
            due_on=date(2026, 11, 20),
            created_at=datetime.now(UTC),
        )
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
    rows = [
        {
            "entity": "bench",
            "id": uuid.uuid4().hex,
            "village_id": None,
            "version": 1,
            "deleted": False,
            "seq": 10_000_000 + i,
            "fields": case_fields(i, "x"),
            "field_meta": {},
            "updated_at": now,
        }
        for i in range(count)
    ]
    started = time.perf_counter()
    with db.writing() as conn:
        conn.execute(insert(t.record), rows)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def change_cases(desk: Any, count: int) -> None:
    """Change ``count`` cases locally with their outbox entries, as the services would."""
    with desk.db.session() as session:
        versions = dict(
            session.execute(text('SELECT id, version FROM "case" LIMIT :n'), {"n": count}).all()
        )
        ids = list(versions)
        session.execute(update(Case).where(Case.id.in_(ids)).values(result=CHANGED_RESULT))  # type: ignore[attr-defined]
        bulk_insert(
            session,
            OutboxEntry,
            [
                {
                    "op_id": new_id(),
                    "entity": "case",
                    "entity_id": i,
                    "op": "upsert",
                    "fields": {"result": CHANGED_RESULT},
                    "base_version": versions[i],
                    "created_at": datetime.now(UTC),
                    "state": "pending",
                    "attempts": 0,
                }
                for i in ids
            ],
        )
        session.commit()


CHANGED_RESULT = "准予，已发放低保金（按月）"


def validation_cost(count: int, push_s: float) -> Row:
    """What the hub's checks of every op (protocol.values, the same rules the desk uses) cost within
    the push above: the baseline column is that push, so the ratio is the validation's share."""
    ops = [case_fields(i, uuid.uuid4().hex) | {"result": CHANGED_RESULT} for i in range(count)]
    started = time.perf_counter()
    for fields in ops:
        check_fields("case", fields)
    spent = time.perf_counter() - started
    return Row(
        f"of it: the hub's value checks of {count} ops",
        spent,
        "s",
        "≤ 10 % of the push",
        spent <= 0.1 * push_s,
        push_s,
    )


def bench_single_desk(tmp: Path, cases: int, pushes: int) -> list[Row]:
    url = f"sqlite:///{tmp / 'hub.db'}"
    hub = Hub(HubDB.open(url), LocalBlobStore(tmp / "blobs"))
    village_id = admin.create_village(
        hub.db, code=VILLAGE, name="洛门村", township_code=VILLAGE[:9], township_name="洛门镇"
    )
    admin.create_user(hub.db, username="wang", password=PASSWORD, role="agent", villages=[VILLAGE])
    seed_hub_cases(hub.db, village_id, cases)
    hub.db.close()
    rows: list[Row] = []
    # The hub in its own process, as on a real township box (in this process it would share the GIL
    # with the desk, and a loopback request would cost tens of milliseconds of thread hand-offs).
    with hub_process(url, tmp / "hub-dir", workers=1) as port:
        desk = open_desk(tmp / "desk")
        engine = SyncEngine(desk.db, desk.data, page_size=5000, batch_size=500)
        engine.configure(f"http://127.0.0.1:{port}", "wang")
        engine.login(PASSWORD)
        started = time.perf_counter()
        report = engine.sync_once()
        pull_s = time.perf_counter() - started
        assert report.pulled >= cases, report
        rows.append(
            show(
                Row(
                    f"initial pull of {cases} cases (SQLite hub)",
                    pull_s,
                    "s",
                    "≤ 60 s",
                    pull_s <= 60,
                    baseline_desk_insert(tmp, cases, village_id),
                )
            )
        )
        change_cases(desk, pushes)
        started = time.perf_counter()
        report = engine.sync_once()
        push_s = time.perf_counter() - started
        assert report.pushed == pushes and report.quarantined == 0, report
        rows.append(
            show(
                Row(
                    f"push of {pushes} changed records",
                    push_s,
                    "s",
                    "≤ 10 s",
                    push_s <= 10,
                    baseline_hub_insert(url, pushes),
                )
            )
        )
        rows.append(show(validation_cost(pushes, push_s)))
        rows += noop(engine, desk)
        engine.close()
        desk.close()
    return rows


@contextmanager
def hub_process(url: str, hub_dir: Path, workers: int) -> Iterator[int]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [
        sys.executable,
        "-m",
        "agent_desk",
        "server",
        "--db",
        url,
        "--hub-dir",
        str(hub_dir),
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=15)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def noop(engine: SyncEngine, desk: Any) -> list[Row]:
    times, sizes = [], []
    for _ in range(15):
        started = time.perf_counter()
        report = engine.sync_once()
        times.append(time.perf_counter() - started)
        sizes.append(report.bytes_sent + report.bytes_received)
    with desk.db.session() as session:
        started = time.perf_counter()
        session.execute(text("SELECT count(*) FROM outbox WHERE state='pending'")).scalar()
        bare = time.perf_counter() - started
    median_ms = statistics.median(times) * 1000
    return [
        show(
            Row(
                "no-op sync, median time",
                median_ms,
                "ms",
                "≤ 100 ms",
                median_ms <= 100,
                bare * 1000,
            )
        ),
        show(Row("no-op sync, bytes on the wire", max(sizes), "B", "≤ 2048 B", max(sizes) <= 2048)),
    ]


def pg_reachable(pg_url: str) -> bool:
    try:
        engine = create_engine(pg_url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means: skip with a note
        return False


def bench_many_desks(
    tmp: Path, pg_url: str | None, desks: int, rounds: int, workers: int, procs: int
) -> list[Row]:
    figure = f"{desks} desks at once on PostgreSQL, p95 per round"
    if not pg_url or not pg_reachable(pg_url):
        why = "AGENT_DESK_TEST_PG not set" if not pg_url else "PostgreSQL unreachable"
        return [show(Row(f"{figure} (skipped: {why})", 0, "ms", "p95 ≤ 500 ms, 0 errors", True))]
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{pg_url}{'&' if '?' in pg_url else '?'}options=-csearch_path%3D{schema}"
    try:
        return _many_desks(tmp, url, desks, rounds, workers, procs)
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin_engine.dispose()


def _many_desks(
    tmp: Path, url: str, desks: int, rounds: int, workers: int, procs: int
) -> list[Row]:
    db = HubDB.open(url)
    villages = [
        admin.create_village(
            db,
            code=f"620524100{200 + i:03d}",
            name=f"村{i}",
            township_code="620524100",
            township_name="洛门镇",
        )
        for i in range(20)
    ]
    users = [
        admin.create_user(
            db,
            username=f"agent{i}",
            password=PASSWORD,
            role="agent",
            villages=[f"620524100{200 + i:03d}"],
        )
        for i in range(20)
    ]
    with db.writing() as conn:  # two sets of desks: each set's audit chains start afresh
        tokens = [issue_token(conn, users[i % 20], None, f"desk{i}")[0] for i in range(2 * desks)]
    seed_hub_cases(
        db, villages[0], 2000
    )  # a hub with some history, so the feed query is not trivially empty
    bare = _bare_select(db, villages[1])
    db.close()
    shift = desks % 20  # token desks + i belongs to user (desks + i) % 20
    with hub_process(url, tmp / "pg-hub", workers) as port:
        base = f"http://127.0.0.1:{port}"
        timings, errors = _run_load(base, tokens[:desks], villages, rounds, procs)
        phased, phased_errors = _run_load(
            base, tokens[desks:], villages[shift:] + villages[:shift], rounds, procs, "phases"
        )
    p95, median = _p95(timings.rounds), statistics.median(timings.rounds or [float("inf")]) * 1000
    audit = _p95(phased.audits)
    figure = (
        f"{desks} desks at once on PostgreSQL, p95 per sync as SyncEngine runs it (one sync round: "
        f"push of 2, audit append of 2, the page after them; {workers} hub workers, {procs} load "
        f"processes; median {median:.0f} ms; {errors} errors; baseline: the same desks with one "
        f"request per phase — pull, push, pull, audit append — {phased_errors} errors)"
    )
    return [
        show(
            Row(
                figure,
                p95,
                "ms",
                "p95 ≤ 500 ms, 0 errors",
                p95 <= 500 and errors == 0,
                _p95(phased.rounds),
            )
        ),
        show(
            Row(
                f"{desks} desks at once, one request per phase: p95 of the audit append alone "
                "(baseline: bare select of a pull page)",
                audit,
                "ms",
                "-",
                True,
                bare * 1000,
            )
        ),
    ]


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return (
        ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000 if ordered else float("inf")
    )


def _bare_select(db: HubDB, village_id: str) -> float:
    """The raw baseline: the feed's own query, bare, on the same database (median of 20)."""
    stmt = text(
        "SELECT seq, entity, id, version, deleted, fields FROM hub_record WHERE village_id = :v AND seq > 0 ORDER BY seq LIMIT 1001"
    )
    times = []
    with db.reading() as conn:
        for _ in range(20):
            started = time.perf_counter()
            conn.execute(stmt, {"v": village_id}).all()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def _wait_up(port: int) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("hub did not start")


ROUND_GAP = 2.0  # seconds between the synchronised starts of two rounds


def _run_load(
    base: str,
    tokens: list[str],
    villages: list[str],
    rounds: int,
    procs: int,
    protocol: str = "round",
) -> tuple[Timings, int]:
    """Split the desks over ``procs`` load processes; all start each round at the same wall-clock instant."""
    jobs = load_jobs(base, tokens, villages, rounds, procs, protocol)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(procs) as pool:
        results = pool.map(_load_process, jobs)
    merged = Timings([], [], [])
    for timings, _errors in results:
        merged.rounds += timings.rounds
        merged.halves += timings.halves
        merged.audits += timings.audits
    return merged, sum(err for _, err in results)


LoadJob = tuple[str, list[tuple[int, str, str]], int, float, str]


def load_jobs(
    base: str, tokens: list[str], villages: list[str], rounds: int, procs: int, protocol: str
) -> list[LoadJob]:
    """The desks dealt over ``procs`` load processes, each desk with its user's village (token i
    belongs to user i % 20), all starting in 3 s (time for the processes to start and connect)."""
    start_at = time.time() + 3.0
    return [
        (
            base,
            [(i, tokens[i], villages[i % 20]) for i in range(p, len(tokens), procs)],
            rounds,
            start_at,
            protocol,
        )
        for p in range(procs)
    ]


def _load_process(job: LoadJob) -> tuple[Timings, int]:
    try:  # uvloop where it exists (it comes with uvicorn[standard]): the simulated desks cost less CPU
        import uvloop

        return uvloop.run(_load_async(*job))
    except ImportError:
        return asyncio.run(_load_async(*job))


async def _load_async(
    base: str, desks: list[tuple[int, str, str]], rounds: int, start_at: float, protocol: str
) -> tuple[Timings, int]:
    """Many desks in one process. aiohttp (C-accelerated HTTP) rather than httpx: the load generator
    shares the hub's two CPUs here, and every millisecond it spends is a millisecond the hub loses;
    real desks are separate PCs. ``protocol`` "round": a sync is one ``POST /sync/round`` (what
    SyncEngine sends a hub that has it, once the desk has pulled before); "phases": one request per
    phase (pull, push, pull again, audit append: a hub without the round). Round 0, a desk's
    first sync, runs the phases either way, as SyncEngine does."""
    import aiohttp

    latencies: list[float] = []
    halves: list[float] = []  # pull + push, the half round the older figure timed
    audits: list[float] = []  # the audit append alone
    errors = 0

    async def desk(token: str, village: str) -> None:
        nonlocal errors
        chain = AuditChain()
        connector = aiohttp.TCPConnector(
            limit=1
        )  # one connection per desk, kept alive, as real desks have
        async with aiohttp.ClientSession(
            base + "/api/v1/",
            headers={"Authorization": f"Bearer {token}"},
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=60),
        ) as http:
            cursor = 0
            for n in range(
                rounds + 1
            ):  # round 0 is the warm-up (connect, first pull): not measured
                await asyncio.sleep(max(0.0, start_at + n * ROUND_GAP - time.time()))
                started = time.perf_counter()
                try:
                    if protocol == "round" and n > 0:
                        cursor = await _round(http, village, chain, cursor)
                        latencies.append(time.perf_counter() - started)
                        continue
                    cursor = await _drain(http, cursor)
                    await _push(http, village)
                    half = time.perf_counter() - started
                    cursor = await _drain(http, cursor)  # the engine pulls again after a push
                    appended = time.perf_counter()
                    await _append_audit(http, chain)
                except Exception:  # noqa: BLE001 - counted and reported as errors
                    errors += n > 0
                    continue
                if n > 0:
                    done = time.perf_counter()
                    latencies.append(done - started)
                    halves.append(half)
                    audits.append(done - appended)

    await asyncio.gather(*(desk(token, village) for _, token, village in desks))
    return Timings(latencies, halves, audits), errors


@dataclass
class Timings:
    rounds: list[float]
    halves: list[float]
    audits: list[float]


class AuditChain:
    """A desk's audit trail as it grows: two hash-chained entries per round (sync and a change)."""

    def __init__(self) -> None:
        self.seq, self.tip = 0, GENESIS

    def next_slice(self) -> list[dict[str, Any]]:
        entries = []
        for action in ("sync", "update"):
            self.seq += 1
            entry = {
                "seq": self.seq,
                "at": datetime.now(UTC).isoformat(),
                "actor": "agent",
                "action": action,
                "entity": "client",
                "entity_id": uuid.uuid4().hex,
                "detail": {"fields": ["phone"]},
                "prev_hash": self.tip,
            }
            entry["hash"] = self.tip = entry_hash(self.tip, entry)
            entries.append(entry)
        return entries


def _ops(village: str) -> list[dict[str, Any]]:
    return [
        {
            "op_id": uuid.uuid4().hex,
            "entity": "client",
            "entity_id": uuid.uuid4().hex,
            "fields": {"name": "张三", "village_id": village},
        }
        for _ in range(2)
    ]


async def _round(http: Any, village: str, chain: AuditChain, cursor: int) -> int:
    """One sync round: two records and two audit entries up, the page after them down (and any
    further pages, as the engine pulls them)."""
    body = {"cursor": cursor, "limit": 1000, "ops": _ops(village), "audit": chain.next_slice()}
    async with http.post("sync/round", json=body) as answer:
        answer.raise_for_status()
        got = await answer.json()
    assert all(r["status"] == "applied" for r in got["results"]), got["results"]
    assert got["audit"]["held_seq"] == chain.seq and got["audit"]["intact"], got
    page = got["page"]
    return await _drain(http, page["cursor"]) if page["more"] else int(page["cursor"])


async def _push(http: Any, village: str) -> None:
    ops = _ops(village)
    async with http.post("sync/push", json={"ops": ops}) as answer:
        answer.raise_for_status()
        body = await answer.json()
    assert all(r["status"] == "applied" for r in body["results"]), body


async def _append_audit(http: Any, chain: AuditChain) -> None:
    async with http.post("audit/append", json={"entries": chain.next_slice()}) as answer:
        answer.raise_for_status()
        body = await answer.json()
    assert body["held_seq"] == chain.seq and body["intact"], body


async def _drain(http: Any, cursor: int) -> int:
    while True:
        async with http.get("sync/pull", params={"cursor": cursor, "limit": 1000}) as response:
            response.raise_for_status()
            page = await response.json()
        cursor = page["cursor"]
        if not page["more"]:
            return cursor


def run(quick: bool, pg_url: str | None = None) -> list[Row]:
    """The suite interface of bench/run.py."""
    keyring.set_keyring(MemoryKeyring())
    cases, pushes, desks = (10_000, 1_000, 50) if quick else (100_000, 10_000, 200)
    pg_url = pg_url if pg_url is not None else os.environ.get("AGENT_DESK_TEST_PG")
    workers = max(1, min(4, os.cpu_count() or 1))
    with tempfile.TemporaryDirectory() as tmp:
        rows = bench_single_desk(Path(tmp), cases, pushes)
        rows += bench_many_desks(Path(tmp), pg_url, desks, rounds=5, workers=workers, procs=2)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes (10k pull, 1k push, 50 desks)"
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("AGENT_DESK_TEST_PG"),
        help="PostgreSQL URL for the many-desks figure",
    )
    args = parser.parse_args()
    print("figure | value | target | baseline | ratio | ok")
    rows = run(args.quick, args.pg or "")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
