"""What a county operator watches: /health/live and /health/ready, /metrics, the access log, and
API workers that never see the database password."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest

from agent_desk.protocol import API_PREFIX
from agent_desk.server.access_log import DailyJsonLog
from agent_desk.server.app import Hub, create_app
from agent_desk.server.blobs import LocalBlobStore
from agent_desk.server.config import load_settings
from agent_desk.server.db import HubDB, make_hub_engine
from tests.sync.conftest import PASSWORD, V1, HubFixture, ServerThread, add_client, make_desk

SECRET = "Zq81-very-secret-pw"


def test_ready_when_database_blobs_and_schema_are_fine(live_hub: HubFixture) -> None:
    assert httpx.get(f"{live_hub.url}/health/live").json() == {"status": "live"}
    ready = httpx.get(f"{live_hub.url}/health/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "reasons": {}}
    assert httpx.get(f"{live_hub.url}{API_PREFIX}/health").json() == {"ok": True}  # older monitors


def test_ready_fails_with_the_reason_when_the_database_is_down(tmp_path: Path) -> None:
    down = HubDB(
        make_hub_engine("postgresql+psycopg://hub@127.0.0.1:1/hub")
    )  # nothing listens there
    with ServerThread(create_app(Hub(down, LocalBlobStore(tmp_path / "blobs")))) as server:
        base = f"http://127.0.0.1:{server.port}"
        ready = httpx.get(f"{base}/health/ready")
        assert httpx.get(f"{base}/health/live").status_code == 200  # the process itself is fine
    assert ready.status_code == 503 and ready.json()["status"] == "not_ready"
    reasons = ready.json()["reasons"]
    assert set(reasons) == {"database"} and "数据库连接失败" in reasons["database"]
    assert "127.0.0.1:1" not in ready.text  # no connection details to the outside


def _metric(text: str, name: str) -> float:
    lines = [
        line
        for line in text.splitlines()
        if line.startswith(name + " ") or line.startswith(name + "{")
    ]
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


def test_metrics_count_a_push_its_ops_and_pull_pages(live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "desk", live_hub, "wang")
    sync.sync_once()
    before = httpx.get(f"{live_hub.url}/metrics").text
    add_client(desk, "张三", live_hub.villages[V1])
    assert sync.sync_once().pushed == 1
    text = httpx.get(f"{live_hub.url}/metrics").text
    assert _metric(text, "agentdesk_pushes_total") == _metric(before, "agentdesk_pushes_total") + 1
    assert _metric(text, 'agentdesk_push_ops_total{result="applied"}') >= 1
    assert _metric(text, "agentdesk_pull_pages_total") > _metric(
        before, "agentdesk_pull_pages_total"
    )
    assert (
        f'route="{API_PREFIX}/sync/round"' in text  # the push rode in the desk's sync round
        and "agentdesk_http_request_duration_seconds_bucket" in text
    )
    assert _metric(text, "agentdesk_group_commit_pushes_count") >= 1
    assert _metric(text, "agentdesk_active_desks") == 1
    httpx.post(
        f"{live_hub.url}{API_PREFIX}/auth/login",
        json={"username": "wang", "password": "wrong-password-1"},
    )
    after = httpx.get(f"{live_hub.url}/metrics").text
    assert _metric(after, "agentdesk_login_failures_total") == 1
    desk.close()


def test_access_log_has_one_json_line_per_request_without_names(
    hub_url: str, tmp_path: Path
) -> None:
    settings = load_settings(overrides={"db": hub_url, "home": str(tmp_path / "hub")})
    hub = Hub.open(settings.database_url(), settings.data_dir())
    from agent_desk.server import admin

    villages = {
        V1: admin.create_village(
            hub.db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
        )
    }
    with ServerThread(create_app(hub, settings=settings)) as server:
        fixture = HubFixture(hub, f"http://127.0.0.1:{server.port}", villages)
        user_id = fixture.add_user("wang")
        desk, sync = make_desk(tmp_path, "desk", fixture, "wang")
        sync.sync_once()
        add_client(desk, "张三丰", villages[V1])
        sync.sync_once()
        httpx.get(f"{fixture.url}/no/such/page/620524199001011234")
    hub.db.close()
    desk.close()
    log = settings.logs_dir() / f"access-{date.today().isoformat()}.jsonl"
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    push = next(line for line in lines if line["route"] == f"{API_PREFIX}/sync/round")
    assert (
        push["user"] == user_id and push["device"] and push["status"] == 200 and push["bytes"] > 0
    )
    assert set(push) == {
        "time",
        "user",
        "device",
        "method",
        "route",
        "status",
        "duration_ms",
        "bytes",
    }
    answered = [line for line in lines if line["route"].startswith(API_PREFIX)]
    assert {line["route"] for line in answered} >= {
        f"{API_PREFIX}/auth/login",
        f"{API_PREFIX}/sync/pull",  # the first sync pulls before it pushes
        f"{API_PREFIX}/sync/round",
    }
    for line in answered:  # every route a desk calls names its user and device, pull included
        assert (line["user"], bool(line["device"])) == (user_id, True), line
    text = log.read_text(encoding="utf-8")
    assert "张三丰" not in text and "wang" not in text and "620524199001011234" not in text
    assert any(line["route"] == "(unmatched)" and line["status"] == 404 for line in lines)


def test_access_log_keeps_the_configured_days(tmp_path: Path) -> None:
    today = date(2026, 12, 4)
    for old in ("2026-06-06", "2026-06-07", "2026-12-03", "notes"):
        (tmp_path / f"access-{old}.jsonl").write_text("{}\n")
    log = DailyJsonLog(tmp_path, keep_days=180, today=lambda: today)
    log.write({"route": "/x"})
    log.close()
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == [
        "access-2026-06-07.jsonl",
        "access-2026-12-03.jsonl",
        "access-2026-12-04.jsonl",
        "access-notes.jsonl",
    ]


def _descendants(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children + [g for c in children for g in _descendants(c)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_never_see_the_password(pg_hub_url: str, tmp_path: Path) -> None:
    """The password comes from a mode-600 file (trust auth here: PostgreSQL accepts and ignores it)."""
    hub_url = pg_hub_url  # --workers is PostgreSQL only
    secret_file = tmp_path / "db-password"
    secret_file.write_text(SECRET)
    secret_file.chmod(0o600)
    port = 21000 + os.getpid() % 5000
    config = tmp_path / "hub.toml"
    config.write_text(f'db = "{hub_url}"\ndb_password_file = "{secret_file}"\nport = {port}\n')
    cmd = [
        sys.executable,
        "-m",
        "agent_desk",
        "server",
        "--config",
        str(config),
        "--hub-dir",
        str(tmp_path / "hub"),
        "--workers",
        "2",
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while len(_descendants(server.pid)) < 2 or not _ready(port):
            assert time.monotonic() < deadline and server.poll() is None, (
                server.stderr.read() if server.stderr else ""
            )
            time.sleep(0.2)
        for pid in [server.pid, *_descendants(server.pid)]:
            seen = (
                Path(f"/proc/{pid}/cmdline").read_bytes()
                + Path(f"/proc/{pid}/environ").read_bytes()
            )
            assert SECRET.encode() not in seen, f"process {pid} shows the password"
    finally:
        server.terminate()
        server.wait(timeout=15)


def _ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _pushes_by_worker(folder: Path) -> dict[str, float]:
    """Each worker's own count of pushes, read from its file in the shared metrics folder."""
    from prometheus_client.mmap_dict import MmapedDict

    counts: dict[str, float] = {}
    for path in folder.glob("counter_*.db"):
        for key, value, _ts, _pos in MmapedDict.read_all_values_from_file(str(path)):
            if json.loads(key)[1] == "agentdesk_pushes_total":
                counts[path.stem.removeprefix("counter_")] = value
    return counts


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the workers' files")
def test_metrics_count_the_pushes_of_every_worker(pg_hub_url: str, tmp_path: Path) -> None:
    """Two workers: whichever answers the scrape shows the pushes both of them counted."""
    from concurrent.futures import ThreadPoolExecutor

    from agent_desk.server import admin

    db = HubDB.open(pg_hub_url)
    village = admin.create_village(
        db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
    )
    admin.create_user(db, username="wang", password=PASSWORD, role="agent", villages=[V1])
    db.close()
    port, folder = 21000 + (os.getpid() + 7) % 5000, tmp_path / "metrics"
    cmd = [sys.executable, "-m", "agent_desk", "server", "--db", pg_hub_url]
    cmd += ["--hub-dir", str(tmp_path / "hub"), "--port", str(port), "--workers", "2"]
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PROMETHEUS_MULTIPROC_DIR": str(folder),  # named by the operator: the test reads it too
    }
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _ready(port):
            assert time.monotonic() < deadline and server.poll() is None, (
                server.stderr.read() if server.stderr else ""
            )
            time.sleep(0.2)
        login = {"username": "wang", "password": PASSWORD, "device_name": "desk"}
        token = httpx.post(f"{base}{API_PREFIX}/auth/login", json=login).json()["token"]

        def push(_n: int) -> int:
            op = {"op_id": uuid.uuid4().hex, "entity": "client", "entity_id": uuid.uuid4().hex}
            op["fields"] = {"name": "张三", "village_id": village}
            with httpx.Client(headers={"Authorization": f"Bearer {token}"}) as fresh:
                answer = fresh.post(f"{base}{API_PREFIX}/sync/push", json={"ops": [op]})
            return answer.status_code

        pushed = 0
        with ThreadPoolExecutor(8) as pool:  # fresh connections, spread over both workers
            while len([c for c in _pushes_by_worker(folder).values() if c]) < 2:
                assert pushed < 400, "every push went to one worker"
                assert set(pool.map(push, range(16))) == {200}
                pushed += 16
        scrapes = [httpx.get(f"{base}/metrics").text for _ in range(12)]  # fresh connections
        assert {_metric(text, "agentdesk_pushes_total") for text in scrapes} == {pushed}
        assert {
            _metric(text, 'agentdesk_push_ops_total{result="applied"}') for text in scrapes
        } == {pushed}
        assert {_metric(text, "agentdesk_active_desks") for text in scrapes} == {1}
    finally:
        server.terminate()
        server.wait(timeout=15)
