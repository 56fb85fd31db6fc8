"""Concurrent pushes never let a puller skip a change; the setup commands work end to end."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest

from agent_desk.cli import main
from tests.sync.conftest import V1, HubFixture
from tests.sync.test_hub_rules import client_op, login


def test_concurrent_pushes_and_a_puller_miss_nothing(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    village = live_hub.villages[V1]
    pushed: list[str] = []
    done = threading.Event()

    # six desks of one user, logged in one after another (parallel logins of one user name count
    # against its login throttle: server/throttle.py)
    sessions = [login(live_hub, "wang") for _ in range(6)]

    def pusher(http: Any) -> None:
        for _ in range(8):
            ops = [client_op(village) for _ in range(5)]
            assert all(
                r["status"] == "applied"
                for r in http.post("/sync/push", json={"ops": ops}).json()["results"]
            )
            pushed.extend(op["entity_id"] for op in ops)

    seen: set[str] = set()
    puller_http = login(live_hub, "li")
    cursor = 0

    def pull_once() -> bool:
        nonlocal cursor
        page = puller_http.get("/sync/pull", params={"cursor": cursor, "limit": 7}).json()
        seen.update(c["id"] for c in page["changes"] if c["entity"] == "client")
        cursor = page["cursor"]
        return bool(page["more"])

    def puller() -> None:
        while not done.is_set():
            pull_once()

    threads = [threading.Thread(target=pusher, args=(http,)) for http in sessions]
    reader = threading.Thread(target=puller)
    reader.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    done.set()
    reader.join()
    for _ in range(
        100
    ):  # drain what is left after the cursor the puller reached (pushes may outrun it)
        if not pull_once():
            break
    assert len(pushed) == 240 and seen == set(pushed)


def test_setup_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = ["server", "--hub-dir", str(tmp_path / "hub")]
    assert (
        main(
            [
                *hub,
                "create-village",
                "620524100200",
                "洛门村",
                "--township",
                "620524100",
                "--township-name",
                "洛门镇",
            ]
        )
        == 0
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert (
        main(
            [
                *hub,
                "create-user",
                "wang",
                "--role",
                "agent",
                "--village",
                "620524100200",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert (
        main([*hub, "create-user", "zhao", "--role", "agent", "--password-stdin"]) == 2
    )  # no village: refused
    assert main([*hub, "revoke-token", "wang"]) == 0
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "item.yaml").write_text("x: 1\n", encoding="utf-8")
    assert main([*hub, "publish-catalog", str(tmp_path / "cat")]) == 2  # not a catalog: refused
    assert "catalog.yaml" in capsys.readouterr().err
    (tmp_path / "2027.json").write_text('{"2027": {"holidays": ["2027-01-01"]}}', encoding="utf-8")
    assert main([*hub, "publish-calendar", str(tmp_path / "2027.json")]) == 0
    desk = ["--data-dir", str(tmp_path / "desk"), "sync"]
    assert main([*desk, "--hub", "http://127.0.0.1:9", "--user", "wang", "--status"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert main([*desk, "--once", "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "无法连接到乡镇服务器" in err and "Traceback" not in err
