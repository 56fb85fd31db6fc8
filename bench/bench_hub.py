"""The county hub as deployed (issue 18): 200 desks at once through nginx with TLS in front of two API
workers on PostgreSQL, and one village's pull from a hub holding a million cases.

``run(quick)`` returns ``bench/common.py`` rows for ``bench/run.py``. PostgreSQL comes from
AGENT_DESK_TEST_PG, else the local test server (postgresql+psycopg://postgres@127.0.0.1:5432/test);
nginx from the Debian package. A row is marked skipped when either is missing.

- **200 desks through nginx**: the load of ``bench_sync`` (every round all desks start at the same
  instant, pull what is new and push two records; one kept-alive TLS connection per desk), sent to
  nginx terminating TLS with a test county certificate. Raw baseline: the same load in the same run
  sent straight to the workers (plain HTTP, no proxy), so the ratio is what the proxy and TLS cost.
- **1M cases**: a database of its own (``bench_hub_1m``, created and dropped) seeded in bulk with
  SQL (``generate_series``), 100 villages of 10,000 cases each, interleaved in the hub's sequence
  as many desks pushing at once would leave them. A real desk (the app's sync engine, default page
  size) pulls its village from a one-worker hub process. Raw baseline: the village's rows read by
  one bare SQL statement on the same database.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import keyring
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sync import (  # noqa: E402
    PASSWORD,
    ROUND_GAP,
    LoadJob,
    Timings,
    _free_port,
    _load_process,
    _wait_up,
    load_jobs,
    pg_reachable,
    seed_hub_cases,
    show,
)
from common import Row  # noqa: E402

from agent_desk.server import admin  # noqa: E402
from agent_desk.server.auth import issue_token  # noqa: E402
from agent_desk.server.db import HubDB  # noqa: E402
from agent_desk.services.desk import open_desk  # noqa: E402
from agent_desk.sync.engine import SyncEngine  # noqa: E402
from tests.sync.keyring_backend import MemoryKeyring  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
BIG_DB = "bench_hub_1m"
TOWNSHIP = "620524100"


def pg_url() -> str:
    return os.environ.get("AGENT_DESK_TEST_PG") or PG_DEFAULT


@dataclass(frozen=True)
class Running:
    port: int
    pid: int  # the process whose children (API workers, nginx's worker) do the work


@contextmanager
def hub_process(url: str, hub_dir: Path, workers: int, *extra: str) -> Iterator[Running]:
    """``agent-desk server`` as the operator runs it, on a free loopback port."""
    port = _free_port()
    cmd = [sys.executable, "-m", "agent_desk", "server", "--db", url, "--hub-dir", str(hub_dir)]
    cmd += ["--port", str(port), "--workers", str(workers), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(port)
        yield Running(port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- CPU seconds per process tree, from /proc (Linux; elsewhere the CPU figures read 0) ----------
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def _tree(pid: int) -> list[int]:
    found, todo = [pid], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            children = []
        found += [int(c) for c in children]
        todo += [int(c) for c in children]
    return found


def _postgres_pids() -> list[int]:
    """PostgreSQL's processes when it runs on this host (the bench's default), else none."""
    pids = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def _cpu_snapshot(trees: dict[str, int]) -> dict[str, dict[int, float]]:
    snap = {name: {p: _cpu_seconds(p) for p in _tree(pid)} for name, pid in trees.items()}
    snap["postgres"] = {p: _cpu_seconds(p) for p in _postgres_pids()}
    return snap


def _cpu_between(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
) -> dict[str, float]:
    return {
        name: sum(cpu - before.get(name, {}).get(p, 0.0) for p, cpu in procs.items())
        for name, procs in after.items()
    }


def _timed_process(job: LoadJob) -> tuple[Timings, int, float]:
    """A load process (bench_sync's), with its own CPU from the start of round 1 to its end."""
    mark: list[float] = []

    def at_round_one() -> None:
        time.sleep(max(0.0, job[3] + ROUND_GAP - time.time()))
        mark.append(time.process_time())

    threading.Thread(target=at_round_one, daemon=True).start()
    timings, errors = _load_process(job)
    return timings, errors, time.process_time() - (mark[0] if mark else time.process_time())


@dataclass
class Load:
    timings: Timings
    errors: int
    cpu: dict[str, float]  # seconds over rounds 1..N: "hub", "nginx", "postgres", "load"
    load_average: float  # 1-minute, as round 1 started


def _run_rounds(
    base: str,
    tokens: list[str],
    villages: list[str],
    rounds: int,
    trees: dict[str, int],
    protocol: str = "round",
) -> Load:
    """bench_sync's load (all desks start each round at one instant, round 0 unmeasured), with the
    CPU every part spent from the start of round 1 until the last desk's last round ended."""
    jobs = load_jobs(base, tokens, villages, rounds, 2, protocol)
    start_at = jobs[0][3]
    marks: list[tuple[dict[str, dict[int, float]], float]] = []

    def at_round_one() -> None:
        time.sleep(max(0.0, start_at + ROUND_GAP - 0.02 - time.time()))
        marks.append((_cpu_snapshot(trees), os.getloadavg()[0]))

    watcher = threading.Thread(target=at_round_one, daemon=True)
    watcher.start()
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.map(_timed_process, jobs)
    after = _cpu_snapshot(trees)
    watcher.join(5)
    before, load_average = marks[0] if marks else (after, os.getloadavg()[0])
    cpu = _cpu_between(before, after) | {"load": sum(r[2] for r in results)}
    merged = Timings([], [], [])
    for timings, _errors, _cpu in results:
        merged.rounds += timings.rounds
        merged.halves += timings.halves
        merged.audits += timings.audits
    return Load(merged, sum(r[1] for r in results), cpu, load_average)


def nginx_conf(folder: Path, listen: int, upstream: int, cert: Path, key: Path) -> Path:
    """deploy/nginx-agent-desk.conf's shape: TLS, keep-alive connections to the workers. Each desk
    holds a connection and each request in flight one more to a worker: 500 desks need over 1,000
    (with 1,024, the 500-desk run lost 71 rounds to refused connections)."""
    temps = "".join(
        f"{kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1; daemon off; pid {folder / "nginx.pid"};
error_log {folder / "error.log"};
events {{ worker_connections 4096; }}
http {{
    access_log off;
    {temps}
    upstream agent_desk_hub {{ server 127.0.0.1:{upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{listen} ssl http2;
        ssl_certificate {cert}; ssl_certificate_key {key}; ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 6m;
        location / {{
            proxy_pass http://agent_desk_hub;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
""")
    return conf


@contextmanager
def nginx(folder: Path, upstream: int) -> Iterator[tuple[Running, Path]]:
    """nginx terminating TLS with a test county CA's certificate: (its port and pid, CA file)."""
    from tests.sync.test_nginx_tls import _tls_files

    assert NGINX is not None
    folder.mkdir(parents=True, exist_ok=True)
    ca, cert, key = _tls_files(folder)
    port = _free_port()
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(nginx_conf(folder, port, upstream, cert, key))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_tls(port, ca, process)
        yield Running(port, process.pid), ca
    finally:
        process.terminate()
        process.wait(timeout=15)
        log = folder / "error.log"
        if log.exists() and "worker_connections are not enough" in log.read_text(errors="replace"):
            print("nginx ran out of worker_connections (see nginx_conf)", file=sys.stderr)


def _wait_tls(port: int, ca: Path, process: subprocess.Popen[bytes]) -> None:
    import httpx

    context = ssl.create_default_context(cafile=str(ca))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if (
                httpx.get(f"https://127.0.0.1:{port}/health/live", verify=context).status_code
                == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nginx did not start: {process.stderr.read() if process.stderr else ''}")


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin_engine.dispose()


def _p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000 if ordered else 1e9


def bench_through_nginx(tmp: Path, desks: int, rounds: int) -> list[Row]:
    figure = (
        f"{desks} desks at once through nginx (TLS) to 2 hub workers on PostgreSQL, p95 per round"
    )
    target = "p95 ≤ 500 ms, 0 errors"
    base = pg_url()
    if NGINX is None or not pg_reachable(base):
        why = "nginx not installed" if NGINX is None else "PostgreSQL unreachable"
        return [show(Row(f"{figure} (skipped: {why})", 0, "ms", target, True))]
    with pg_schema(base) as url:
        # a set of desks per run: each run's desks start their audit chains afresh (a desk that
        # restarted its chain would be refused, as the hub refuses a forked chain)
        tokens, villages = _many_desks_hub(url, 3 * desks)
        sets = [tokens[k * desks : (k + 1) * desks] for k in range(3)]
        # token k * desks + i belongs to user (k * desks + i) % 20
        turned = [villages[k * desks % 20 :] + villages[: k * desks % 20] for k in range(3)]
        with hub_process(url, tmp / "hub", 2, "--behind-proxy") as hub:
            direct = _run_rounds(
                f"http://127.0.0.1:{hub.port}", sets[0], turned[0], rounds, {"hub": hub.pid}
            )
            with nginx(tmp / "nginx", hub.port) as (proxy, ca):
                os.environ["SSL_CERT_FILE"] = str(ca)  # the load processes trust the county CA
                trees = {"hub": hub.pid, "nginx": proxy.pid}
                proxy_url = f"https://127.0.0.1:{proxy.port}"
                try:
                    proxied = _run_rounds(proxy_url, sets[1], turned[1], rounds, trees)
                    phased = _run_rounds(proxy_url, sets[2], turned[2], rounds, trees, "phases")
                finally:
                    del os.environ["SSL_CERT_FILE"]
    return _round_rows(figure, target, desks, rounds, proxied, direct, phased)


def _round_rows(
    figure: str,
    target: str,
    desks: int,
    rounds: int,
    proxied: Load,
    direct: Load,
    phased: Load,
) -> list[Row]:
    """The sync SyncEngine runs (one sync round: push, audit append and the page after them in one
    request); the same desks with one request per phase beside it; the CPU every part spent per
    desk round, and what a 500 ms p95 leaves on two CPUs."""
    p95, bare = _p95(proxied.timings.rounds), _p95(direct.timings.rounds)
    timed = proxied.timings.rounds
    median = statistics.median(timed) * 1000 if timed else 1e9
    detail = (
        f"(a sync round: push of 2, audit append of 2 and the page after them in one request; "
        f"median {median:.0f} ms; {proxied.errors} errors; load average "
        f"{proxied.load_average:.1f}; baseline: the same load straight to the workers, "
        f"{direct.errors} errors)"
    )
    phased_p95 = _p95(phased.timings.rounds)
    phased_cpu = sum(phased.cpu.values()) / (desks * rounds) * 1000
    ok = p95 <= 500 and proxied.errors == 0
    per = {k: v / (desks * rounds) * 1000 for k, v in proxied.cpu.items()}
    direct_hub = direct.cpu["hub"] / (desks * rounds) * 1000
    whole, budget = sum(per.values()), 2 * 500 / desks
    split = ", ".join(f"{k} {v:.2f}" for k, v in per.items())
    return [
        show(Row(f"{figure} {detail}", p95, "ms", target, ok, bare)),
        show(
            Row(
                f"the same through nginx with one request per phase (pull, push of 2, pull, audit "
                f"append: a hub older than the round; {phased.errors} errors; host CPU "
                f"{phased_cpu:.2f} ms per desk round; baseline: the sync round above)",
                phased_p95,
                "ms",
                "-",
                True,
                p95,
            )
        ),
        show(
            Row(
                "the same run: CPU of the 2 hub workers per desk round, through nginx (baseline: "
                "the same straight to the workers)",
                per["hub"],
                "ms",
                "-",
                True,
                direct_hub,
            )
        ),
        show(
            Row(
                f"the same run: CPU of the whole host per desk round ({split} ms); a 500 ms p95 "
                f"leaves 2 CPUs × 500 ms ÷ {desks} desks",
                whole,
                "ms",
                f"≤ {budget:.1f} ms",
                whole <= budget,
            )
        ),
    ]


def _many_desks_hub(url: str, desks: int) -> tuple[list[str], list[str]]:
    """bench_sync's county: 20 villages with an agent each, a token per desk, some history."""
    db = HubDB.open(url)
    codes = [f"{TOWNSHIP}{200 + i:03d}" for i in range(20)]
    villages = [
        admin.create_village(
            db, code=code, name=f"村{i}", township_code=TOWNSHIP, township_name="洛门镇"
        )
        for i, code in enumerate(codes)
    ]
    users = [
        admin.create_user(
            db, username=f"agent{i}", password=PASSWORD, role="agent", villages=[code]
        )
        for i, code in enumerate(codes)
    ]
    with db.writing() as conn:
        tokens = [issue_token(conn, users[i % 20], None, f"desk{i}")[0] for i in range(desks)]
    seed_hub_cases(db, villages[0], 2000)
    db.close()
    return tokens, villages


SEED_SQL = """
INSERT INTO hub_record (entity, id, village_id, version, deleted, seq, fields, field_meta, updated_at)
SELECT 'case', md5('case' || g), v.id, 1, false, g,
       jsonb_build_object(
           'case_no', 'LM-' || lpad(g::text, 7, '0'),
           'client_id', md5('client' || g),
           'item_code', '62052400MZ-JF-0001',
           'item_name', '最低生活保障申请',
           'status', 'in_progress',
           'village_id', v.id,
           'entrusted_on', '2026-11-02',
           'accepted_on', '2026-11-03',
           'due_on', '2026-11-20',
           'promised_days', 15,
           'deferred', false,
           'manual_fields', '{}'::jsonb,
           'created_at', '2026-11-02T08:00:00+00:00'),
       '{}'::jsonb, now()
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS g
JOIN village_number v ON v.n = g % :villages
"""


@contextmanager
def big_database(base: str) -> Iterator[str]:
    """A database of its own for the million cases, dropped afterwards (kept with BENCH_KEEP_1M=1,
    which also reuses a kept one)."""
    admin_url = make_url(base)
    url = admin_url.set(database=BIG_DB).render_as_string(hide_password=False)
    admin_engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    keep = os.environ.get("BENCH_KEEP_1M") == "1"
    with admin_engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": BIG_DB}
        ).scalar()
        if exists and not keep:
            conn.execute(text(f"DROP DATABASE {BIG_DB}"))
        if not exists or not keep:
            conn.execute(text(f"CREATE DATABASE {BIG_DB}"))
    try:
        yield url
    finally:
        if not keep:
            with admin_engine.connect() as conn:
                conn.execute(text(f"DROP DATABASE {BIG_DB} WITH (FORCE)"))
        admin_engine.dispose()


def seed_million(url: str, villages: int, per_village: int) -> tuple[str, float]:
    """Villages, one agent for the first, and villages × per_village cases in bulk; (village, seconds)."""
    db = HubDB.open(url)
    started = time.perf_counter()
    codes = [f"{TOWNSHIP}{200 + i:03d}" for i in range(villages)]
    with db.reading() as conn:
        held = conn.execute(text("SELECT count(*) FROM hub_record WHERE entity = 'case'")).scalar()
    if held == villages * per_village:  # a kept database (BENCH_KEEP_1M=1)
        with db.reading() as conn:
            village = conn.execute(
                text("SELECT id FROM hub_village WHERE code = :c"), {"c": codes[0]}
            ).scalar_one()
        db.close()
        return str(village), 0.0
    ids = [
        admin.create_village(
            db, code=code, name=f"村{i}", township_code=TOWNSHIP, township_name="洛门镇"
        )
        for i, code in enumerate(codes)
    ]
    admin.create_user(db, username="wang", password=PASSWORD, role="agent", villages=[codes[0]])
    total = villages * per_village
    with db.writing() as conn:
        head = int(
            conn.execute(text("SELECT value FROM hub_counter WHERE name = 'seq'")).scalar_one()
        )
        conn.execute(text("CREATE TEMP TABLE village_number (n int, id text) ON COMMIT DROP"))
        conn.execute(
            text("INSERT INTO village_number VALUES (:n, :id)"),
            [{"n": (head + 1 + i) % villages, "id": vid} for i, vid in enumerate(ids)],
        )
        for first in range(head + 1, head + total + 1, 100_000):
            last = min(first + 99_999, head + total)
            conn.execute(text(SEED_SQL), {"first": first, "last": last, "villages": villages})
        conn.execute(
            text("UPDATE hub_counter SET value = :v WHERE name = 'seq'"), {"v": head + total}
        )
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE hub_record"))
    db.close()
    return ids[0], time.perf_counter() - started


def bench_million(tmp: Path, villages: int, per_village: int) -> list[Row]:
    total = villages * per_village
    figure = (
        f"pull of one village's {per_village:,} cases from a hub holding {total:,} (PostgreSQL)"
    )
    target = "≤ 2 s"
    base = pg_url()
    if not pg_reachable(base):
        return [show(Row(f"{figure} (skipped: PostgreSQL unreachable)", 0, "s", target, True))]
    with big_database(base) as url:
        village, seeded = seed_million(url, villages, per_village)
        bare = _bare_village(url, village)
        with hub_process(url, tmp / "big-hub", 1) as hub:
            port = hub.port
            served, pages = _hub_part(f"http://127.0.0.1:{port}")
            desk = open_desk(tmp / "big-desk")
            engine = SyncEngine(desk.db, desk.data)  # the app's own page size
            engine.configure(f"http://127.0.0.1:{port}", "wang")
            engine.login(PASSWORD)
            started = time.perf_counter()
            report = engine.sync_once()
            elapsed = time.perf_counter() - started
            engine.close()
            desk.close()
    assert report.pulled >= per_village, report
    seeding = f"seeded in bulk in {seeded:.0f} s" if seeded else "kept from an earlier run"
    hub_figure = (
        f"{figure}: the hub's part, all {pages} pages over HTTP as a desk asks for them "
        f"(page {PAGE}, gzip; {seeding}; baseline: the village's rows by one bare SELECT)"
    )
    desk_figure = (
        f"{figure}: a desk's whole first sync ({report.pulled:,} records), pages stored on the "
        "desk (SQLite) included"
    )
    return [
        show(Row(hub_figure, served, "s", target, served <= 2.0, bare)),
        show(Row(desk_figure, elapsed, "s", target, elapsed <= 2.0, served)),
    ]


PAGE = SyncEngine.__init__.__kwdefaults__["page_size"]  # the desk's page size


def _hub_part(base: str) -> tuple[float, int]:
    """Every page of the village, as the desk's sync engine asks for them, read to the last byte."""
    import httpx

    login = {"username": "wang", "password": PASSWORD, "device_name": "bench"}
    with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as client:
        token = client.post("/auth/login", json=login).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        cursor, pages, started = 0, 0, time.perf_counter()
        while True:
            page = client.get("/sync/pull", params={"cursor": cursor, "limit": PAGE}).json()
            cursor, pages = page["cursor"], pages + 1
            if not page["more"]:
                return time.perf_counter() - started, pages


def _bare_village(url: str, village: str) -> float:
    engine = create_engine(url)
    stmt = text(
        "SELECT seq, entity, id, version, deleted, fields::text FROM hub_record "
        "WHERE village_id = :v ORDER BY seq"
    )
    times = []
    with engine.connect() as conn:
        for _ in range(3):
            started = time.perf_counter()
            conn.execute(stmt, {"v": village}).all()
            times.append(time.perf_counter() - started)
    engine.dispose()
    return min(times)


def run(quick: bool) -> list[Row]:
    """The suite interface of bench/run.py."""
    keyring.set_keyring(MemoryKeyring())
    desks, villages, per_village = (50, 10, 1_000) if quick else (200, 100, 10_000)
    with tempfile.TemporaryDirectory() as tmp:
        rows = bench_through_nginx(Path(tmp), desks, rounds=5)
        rows += bench_million(Path(tmp), villages, per_village)
    return rows


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="50 desks; 10 villages of 1,000")
    parser.add_argument("--only", choices=("nginx", "million"))
    parser.add_argument("--desks", type=int, help="desks of the nginx row (200; 50 with --quick)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds of the nginx row")
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    print("figure | value | target | baseline | ratio | ok")
    desks, villages, per_village = (50, 10, 1_000) if args.quick else (200, 100, 10_000)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "nginx"):
            rows += bench_through_nginx(Path(tmp), args.desks or desks, rounds=args.rounds)
        if args.only in (None, "million"):
            rows += bench_million(Path(tmp), villages, per_village)
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
