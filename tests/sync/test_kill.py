"""The desk process killed (SIGKILL) in the middle of ``agent-desk sync`` loses no local change."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sync.conftest import V1, HubFixture, add_client, client_fields, edit_client, make_desk

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 4
SURNAMES, GIVEN = "赵钱孙李周吴郑王冯陈", "一二三四五六七八九十"


def spawn_sync(data_dir: Path, token: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "AGENT_DESK_TEST_TOKEN": token,
        "PYTHON_KEYRING_BACKEND": "tests.sync.keyring_backend.EnvKeyring",
    }
    cmd = [
        sys.executable,
        "-m",
        "agent_desk",
        "--verbose",
        "--data-dir",
        str(data_dir),
        "sync",
        "--once",
        "--batch-size",
        "5",
    ]
    return subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )


def wait_for_sync_start(proc: subprocess.Popen[bytes], timeout: float = 30) -> bool:
    """Wait for the first progress line (the sync is under way); False if the process ended first."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.1)
        if ready:
            return proc.stdout.readline().startswith("…".encode())
        if proc.poll() is not None:
            return False
    return False


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL semantics are POSIX")
def test_kill_9_during_sync_loses_nothing(live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    sync.sync_once()
    village = live_hub.villages[V1]
    ids = [add_client(desk, s + g, village) for s in SURNAMES for g in GIVEN[:8]]  # 80 clients
    token = sync.tokens().get()
    assert token
    rng, killed_mid_sync = random.Random(5), 0
    for trial in range(TRIALS):
        proc = spawn_sync(desk.data.root, token)
        if wait_for_sync_start(proc):  # killed at a random point of the sync, not of the start-up
            time.sleep(rng.uniform(0.0, 0.15))
        if proc.poll() is None:  # still syncing: kill it hard (poll() reaps a finished one)
            os.kill(proc.pid, signal.SIGKILL)
            killed_mid_sync += 1
        proc.wait(timeout=10)
        edit_client(
            desk, ids[trial], address=f"第{trial}次中断后修改"
        )  # a change while the desk was "down"
    assert killed_mid_sync >= 1, "no trial hit a running sync; the timing needs a look"
    expected = client_fields(desk)
    sync.sync_once()
    assert client_fields(desk) == expected  # every local change survived
    desk_b, other = make_desk(tmp_path, "b", live_hub, "li")
    other.sync_once()
    assert client_fields(desk_b) == expected  # and the hub got all of them, once
    assert sync.status().pending == sync.status().inflight == sync.status().quarantined == 0
