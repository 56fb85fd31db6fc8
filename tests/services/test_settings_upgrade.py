"""Settings files from older versions are upgraded by versioned steps, after a backup of the old file."""

from __future__ import annotations

import json
from pathlib import Path

from agent_desk.services.first_run import (
    FirstRunChoice,
    FirstRunHooks,
    apply_first_run,
    normalise_hub_url,
)
from agent_desk.services.settings import SETTINGS_VERSION, backup_path, load_settings, save_settings
from agent_desk.store.datadir import DataDir

V1 = {
    "version": 1,
    "values": {
        "language": "en",
        "font_size": 16,
        "hub_url": "https://hub.wushan.gov.cn",
        "username": "张红梅",
        "extra": {"agent": {"name": "张红梅"}},
    },
}


def _write(path: Path, payload: dict) -> bytes:
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path.read_bytes()


def test_a_version_1_file_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = _write(path, V1)
    settings = load_settings(path)
    assert (settings.language, settings.font_size, settings.username) == ("en", 16, "张红梅")
    assert settings.role == "agent" and settings.demo is False
    assert settings.work_offline is False  # a v1 desk with a hub address worked online
    assert settings.agent.name == "张红梅" and settings.extra == {}
    assert backup_path(path, 1).read_bytes() == original
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["version"] == SETTINGS_VERSION == 4 and stored["values"]["role"] == "agent"


def test_a_version_2_file_keeps_one_daily_backup_instead_of_seven(tmp_path: Path) -> None:
    """Seven daily copies took seven database sizes; v3 keeps one beside a weekly copy."""
    path = tmp_path / "settings.json"
    _write(path, {"version": 2, "values": {"backup_keep": 7, "font_size": 14}})
    assert (load_settings(path).backup_keep, load_settings(path).font_size) == (1, 14)
    _write(path, {"version": 2, "values": {"backup_keep": 3}})
    assert load_settings(path).backup_keep == 3  # a choice the user made stays


def test_a_current_file_is_not_backed_up_again(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, load_settings(path))
    load_settings(path)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_file_from_a_newer_version_is_read_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = _write(path, {"version": 99, "values": {"font_size": 18, "from_the_future": 1}})
    assert load_settings(path).font_size == 18
    assert path.read_bytes() == original


def test_first_run_hands_passwords_to_hooks_and_never_stores_them(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "desk").ensure()
    seen: list[tuple] = []
    hooks = FirstRunHooks(
        protect_local_data=lambda d, pw: seen.append(("local", d.root, pw)),
        remember_login=lambda hub, user, pw: seen.append(("login", hub, user, pw)),
    )
    choice = FirstRunChoice(
        role="reviewer",
        hub_url="https://hub.wushan.gov.cn",
        username="lisi",
        login_password="hub-secret-1",
        local_password="local-secret-1",
    )
    settings = apply_first_run(choice, data, hooks)
    assert seen == [
        ("local", data.root, "local-secret-1"),
        ("login", "https://hub.wushan.gov.cn", "lisi", "hub-secret-1"),
    ]
    text = data.settings_file.read_text(encoding="utf-8")
    assert "secret" not in text and settings.role == "reviewer" and settings.work_offline is False


def test_hub_addresses_are_checked_and_normalised() -> None:
    assert normalise_hub_url("hub.wushan.gov.cn/") == "https://hub.wushan.gov.cn"
    assert normalise_hub_url(" http://10.0.0.5:8000 ") == "http://10.0.0.5:8000"
    assert normalise_hub_url("http://localhost") == "http://localhost"
    for bad in (
        "",
        "hub",
        "ftp://hub.cn",
        "https://hub.cn:99999",
        "https://hub .cn",
        "https://hub.cn/?a=1",
    ):
        assert normalise_hub_url(bad) is None, bad


def test_a_version_3_file_keeps_its_hub_login_and_agent_in_their_one_home(tmp_path: Path) -> None:
    """v3 kept the hub and login twice (values and the sync section) and the agent untyped in extra."""
    from agent_desk.sync.settings import load_settings as load_sync

    path = tmp_path / "settings.json"
    v3 = {
        "version": 3,
        "values": {
            "hub_url": "https://old.example.cn",
            "username": "wangjg",
            "extra": {"agent": {"name": "王建国", "phone": "13909381234"}, "window": "AbC="},
        },
        "sync": {"hub_url": "https://hub.wushan.gov.cn", "interval_seconds": 600},
    }
    original = _write(path, v3)
    settings = load_settings(path)
    assert (settings.agent.name, settings.agent.phone) == ("王建国", "13909381234")
    assert settings.extra == {"window": "AbC="}
    assert (settings.hub_url, settings.username) == ("https://hub.wushan.gov.cn", "wangjg")
    synced = load_sync(path)  # what the sync engine reads
    assert (synced.hub_url, synced.username, synced.interval_seconds) == (
        "https://hub.wushan.gov.cn",
        "wangjg",
        600,
    )
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert "hub_url" not in stored["values"] and "username" not in stored["values"]
    assert backup_path(path, 3).read_bytes() == original
    save_settings(path, settings)  # the window saving its geometry never rewrites the sync section
    assert load_sync(path).username == "wangjg"


def test_each_setting_is_declared_once_with_its_type_and_default() -> None:
    from agent_desk.services.settings import REGISTRY

    names = [key.rsplit(".", 1)[1] for key in REGISTRY if not key.startswith("values.agent.")]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert REGISTRY["sync.hub_url"] == ("sync", "str", "")
    assert REGISTRY["values.agent.id_number"][2] == ""
    assert REGISTRY["values.font_size"] == ("values", "int", 12)
