"""Desk settings: defaults, atomic writes, and no clobbering of the sync section in the same file."""

from __future__ import annotations

from agent_desk.services.settings import Settings, load_settings, save_settings
from agent_desk.sync.settings import SyncSettings
from agent_desk.sync.settings import load_settings as load_sync
from agent_desk.sync.settings import save_settings as save_sync


def test_saving_desk_settings_keeps_the_hub_address(tmp_path) -> None:
    path = tmp_path / "settings.json"
    save_sync(path, SyncSettings(hub_url="http://10.0.0.5:8765", username="wangjg"))
    save_settings(path, Settings(font_size=16))
    assert load_sync(path).hub_url == "http://10.0.0.5:8765"
    assert load_settings(path).font_size == 16


def test_a_broken_settings_file_is_kept_aside_and_defaults_used(tmp_path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert (tmp_path / "settings.broken.json").read_text(encoding="utf-8") == "{not json"
