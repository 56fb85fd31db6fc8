"""Desk versions on a real hub over HTTP: the desk says its version at login and with every request,
the hub lists it per device with the last sync result (``server devices``), and a county minimum
turns older desks away with a Chinese message to update — on the 同步 page and in the CLI."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import httpx
import pytest

import agent_desk
from agent_desk.cli import main
from agent_desk.core.errors import DomainError, localized
from agent_desk.protocol import API_PREFIX, version_key
from agent_desk.server.config import load_settings
from agent_desk.sync.errors import DeskOutdated
from agent_desk.sync.transport import HubClient
from tests.sync.conftest import PASSWORD, V1, HubFixture, add_client, client_fields, make_desk
from tests.sync.test_sync_ui import _facts

NEXT = ".".join(
    str(p) for p in (*version_key(agent_desk.__version__)[:2], 99)
)  # newer than this desk


def _devices(capsys, hub_url: str, tmp_path: Path) -> list[list[str]]:
    code = main(["server", "--db", hub_url, "--hub-dir", str(tmp_path / "hub-home"), "devices"])
    out = capsys.readouterr().out
    assert code == 0
    return [line.split("\t") for line in out.splitlines()[1:]]


def _old_desk_login(hub: HubFixture, **extra: str) -> httpx.Response:
    """A desk of an earlier version: its login body has no desk_version, its requests no header."""
    body = {"username": "wang", "password": PASSWORD, "device_name": "旧电脑", **extra}
    return httpx.post(f"{hub.url}{API_PREFIX}/auth/login", json=body)


def test_versions_compare_by_release_numbers() -> None:
    assert version_key("0.10.0") > version_key("0.9.9") > version_key("0.9") > version_key(None)
    assert version_key("1.2.0rc1") == version_key("1.2") == (1, 2, 0, 0)


def test_devices_list_the_user_last_seen_desk_version_and_last_sync_result(
    capsys, live_hub: HubFixture, hub_url: str, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "村委会电脑", live_hub, "wang")
    sync.sync_once()
    add_client(desk, "张三", live_hub.villages[V1])
    add_client(desk, "李四", live_hub.villages[V1])
    assert sync.sync_once().pushed == 2
    assert _old_desk_login(live_hub).status_code == 200  # an older desk is still served
    rows = {row[1]: row for row in _devices(capsys, hub_url, tmp_path)}
    new, old = rows["村委会电脑"], rows["旧电脑"]
    assert new[2] == "wang" and new[3] != "-"  # user, last seen
    assert new[4] == agent_desk.__version__ and new[5] != "-"
    assert new[6].startswith("上传 2 项：成功 2") and new[8] == "正常 ok"
    assert old[4] == "较早版本 (older)" and old[6] == "-"
    desk.close()


def test_a_desk_below_the_minimum_is_told_to_update_and_goes_on_once_updated(
    capsys, live_hub: HubFixture, hub_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "desk", live_hub, "wang")
    sync.sync_once()
    client_id = add_client(desk, "张三", live_hub.villages[V1])
    live_hub.hub.min_desk_version = (
        NEXT  # the county raises the minimum while the desk holds a token
    )
    with pytest.raises(DeskOutdated) as refused:
        sync.sync_once()
    message = str(refused.value)
    assert "代办通版本过旧" in message and NEXT in message and "请安装新版代办通" in message
    last = sync.status().last_error  # stored "中文 (English)", shown in the window's language
    assert localized(last, "zh_CN") == message and sync.status().pending == 1  # nothing sent
    assert _devices(capsys, hub_url, tmp_path)[0][6] == "版本过旧被拒 (desk outdated)"
    with pytest.raises(DeskOutdated):  # logging in again does not get round it
        sync.login(PASSWORD)
    monkeypatch.setattr(
        HubClient, "desk_version", NEXT
    )  # the desk is updated; its token still lives
    sync.close()
    assert sync.sync_once().pushed == 1
    other, other_sync = make_desk(tmp_path, "other", live_hub, "wang")
    other_sync.sync_once()
    assert client_fields(other)[client_id]["name"] == "张三"
    device = _devices(capsys, hub_url, tmp_path)[0]
    assert device[4] == NEXT and device[6].startswith("上传 1 项：成功 1")
    desk.close()
    other.close()


def test_an_older_desk_without_a_version_gets_the_chinese_message_too(
    live_hub: HubFixture,
) -> None:
    live_hub.add_user("wang")
    token = _old_desk_login(live_hub).json()["token"]
    live_hub.hub.min_desk_version = "0.1.0"
    refused = _old_desk_login(live_hub)
    assert refused.status_code == 426
    detail = refused.json()["detail"]
    assert detail["code"] == "desk_outdated" and "代办通版本过旧" in detail["message"]
    pull = httpx.get(
        f"{live_hub.url}{API_PREFIX}/sync/pull", headers={"Authorization": f"Bearer {token}"}
    )
    assert pull.status_code == 426 and "请安装新版代办通" in pull.json()["detail"]["message"]
    wrong = _old_desk_login(live_hub, password="not-the-password-1")
    assert wrong.status_code == 401  # the version is told only to whoever knows the password


def test_the_cli_says_to_update_without_a_traceback(
    capsys, live_hub: HubFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_hub.add_user("wang")
    live_hub.hub.min_desk_version = NEXT
    monkeypatch.setenv("AGENT_DESK_PASSWORD", "desk-password-洛门-7")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    argv = ["--data-dir", str(tmp_path / "desk"), "sync", "--hub", live_hub.url, "--user", "wang"]
    code = main([*argv, "--login", "--password-stdin", "--once"])
    err = capsys.readouterr().err
    assert code != 0 and "代办通版本过旧" in err and NEXT in err and "Traceback" not in err


def test_the_sync_page_shows_the_update_message(
    qtbot, live_hub: HubFixture, tmp_path: Path
) -> None:
    from agent_desk.services.settings import Settings
    from agent_desk.store.datadir import DataDir
    from agent_desk.ui.main_window import MainWindow
    from agent_desk.ui.messages import RecordingDialogs

    live_hub.add_user("wang")
    dialogs = RecordingDialogs()
    window = MainWindow(DataDir(tmp_path / "ui-desk").ensure(), Settings(), dialogs)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.desk_ready, timeout=10000):
        window.start()
    page = window.pages["sync"]
    page.engine.configure(live_hub.url, "wang")
    page.engine.login(PASSWORD)
    live_hub.hub.min_desk_version = NEXT
    page.sync_now()
    qtbot.waitUntil(lambda: not page.running and page.failures == 1, timeout=20000)
    assert "代办通版本过旧" in window.statusBar().currentMessage()
    with qtbot.waitSignal(page.status_shown, timeout=5000):
        page.refresh()
    assert "代办通版本过旧" in _facts(page)["Last problem"]
    assert not [s for s in dialogs.shown if s[0] == "error"]  # a status, not a crash dialog
    window.close()


def test_the_minimum_comes_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent_desk.server.ops_cli import open_hub

    monkeypatch.setenv("AGENT_DESK_HUB_MIN_DESK_VERSION", "0.3.0")
    settings = load_settings(overrides={"home": str(tmp_path / "hub")})
    hub = open_hub(settings)
    assert hub.min_desk_version == "0.3.0"
    hub.db.close()
    with pytest.raises(DomainError, match="min_desk_version"):
        load_settings(overrides={"home": str(tmp_path / "hub"), "min_desk_version": "最新"})


def test_a_version_the_hub_cannot_read_never_stops_a_login(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    for odd in ("本地构建", "0.2.0.dev1+g" + "f" * 40):
        assert _old_desk_login(live_hub, desk_version=odd).status_code == 200
    live_hub.hub.min_desk_version = "0.1.0"
    refused = _old_desk_login(live_hub, desk_version="本地构建")  # counted as no version
    assert refused.status_code == 426
    assert _old_desk_login(live_hub, desk_version="0.1.0").status_code == 200
