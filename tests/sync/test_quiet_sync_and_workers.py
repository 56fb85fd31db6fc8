"""A sync with nothing to do is one request and writes nothing on the desk; ``--workers`` needs PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from agent_desk.cli import main
from agent_desk.protocol import API_PREFIX
from tests.sync.conftest import V1, HubFixture, add_client, make_desk

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class CountingRequests(httpx.HTTPTransport):
    """The paths a desk asked for, in order; ``answers`` stands in for routes a hub lacks or breaks
    (path → status: 404 as a hub older than the route, 500 as a broken one)."""

    def __init__(self, answers: dict[str, int] | None = None) -> None:
        super().__init__()
        self.paths: list[str] = []
        self.answers = answers or {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        status = self.answers.get(request.url.path)
        if status is not None:
            return httpx.Response(
                status, json={"detail": "Not Found" if status == 404 else "Error"}
            )
        return super().handle_request(request)


def test_a_sync_with_nothing_to_do_is_one_request_and_no_writes(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    transport = CountingRequests()
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang", transport=transport)
    sync.sync_once()  # the village arrives
    add_client(desk, "张三", live_hub.villages[V1])
    assert sync.sync_once().pushed == 1 and len(sync.recent_runs()) == 2
    writes: list[str] = []

    def spy(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            writes.append(statement)

    event.listen(desk.db.engine, "before_cursor_execute", spy)
    transport.paths.clear()
    before = sync.status().last_sync_at
    for _ in range(3):
        report = sync.sync_once()
        assert report.pushed == report.pulled == 0
    assert transport.paths == [f"{API_PREFIX}/sync/round"] * 3
    assert writes == []
    assert len(sync.recent_runs()) == 2  # nothing happened, nothing logged …
    assert (
        before is not None and sync.status().last_sync_at > before
    )  # … yet the status shows it ran
    event.remove(desk.db.engine, "before_cursor_execute", spy)
    add_client(desk, "李四", live_hub.villages[V1])  # something to do again: pushed and logged
    assert sync.sync_once().pushed == 1 and len(sync.recent_runs()) == 3


def test_workers_refuse_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server", "--hub-dir", str(tmp_path / "hub"), "--workers", "2"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def test_workers_serve_one_hub_on_postgresql(pg_hub_url: str, tmp_path: Path) -> None:
    hub_url = pg_hub_url  # --workers is PostgreSQL only
    hub_dir = str(tmp_path / "hub")
    assert (
        main(
            [
                "server",
                "--db",
                hub_url,
                "--hub-dir",
                hub_dir,
                "create-village",
                V1,
                "洛门村",
                "--township",
                V1[:9],
                "--township-name",
                "洛门镇",
            ]
        )
        == 0
    )
    port = 20000 + os.getpid() % 5000
    cmd = [
        sys.executable,
        "-m",
        "agent_desk",
        "server",
        "--db",
        hub_url,
        "--hub-dir",
        hub_dir,
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}{API_PREFIX}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, (
                server.stderr.read() if server.stderr else ""
            )
            time.sleep(0.2)
        with httpx.Client(base_url=base) as http:  # many connections: spread over both workers
            answers = [
                http.get("/sync/pull", headers={"Authorization": "Bearer nope"}).status_code
                for _ in range(20)
            ]
        assert answers == [401] * 20
    finally:
        server.terminate()
        server.wait(timeout=15)
