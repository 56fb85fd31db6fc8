"""The agent's own ID number is kept in the encrypted database, never in settings.json."""

from __future__ import annotations

import json
from pathlib import Path

from agent_desk.services.agent_identity import stored_agent_id, with_stored_agent_id
from agent_desk.services.desk import open_desk
from agent_desk.services.profiles import agent_info
from agent_desk.services.settings import AgentSettings, Settings, load_settings, save_settings
from agent_desk.services.vault import unlock
from agent_desk.store.datadir import DataDir
from tests.security.conftest import PASSWORD

AGENT_ID = "620524197803150017"
AGENT = {"name": "王建国", "phone": "13909381234", "id_number": AGENT_ID, "service_room": "洛门村"}


def _old_settings_file(path: Path, version: int = 3) -> None:
    """settings.json as versions before this one wrote it: the ID number in plain text."""
    values = {"username": "wangjg", "extra": {"agent": dict(AGENT)}}
    path.write_text(json.dumps({"version": version, "values": values}), encoding="utf-8")


def test_an_old_settings_file_loses_the_id_number_at_unlock_and_forms_still_print_it(
    locked_data: DataDir,
) -> None:
    _old_settings_file(locked_data.settings_file)
    _old_settings_file(locked_data.root / "settings.v2.bak.json", version=2)  # an upgrade's copy
    desk = open_desk(locked_data.root, key=unlock(locked_data, PASSWORD))
    try:
        for path in locked_data.root.glob("settings*.json"):
            assert AGENT_ID not in path.read_text(encoding="utf-8"), path.name
        settings = load_settings(locked_data.settings_file)
        assert settings.agent.name == "王建国"  # moved from extra by the version-4 upgrade
        with desk.db.session() as session:
            assert stored_agent_id(session) == AGENT_ID
            assert agent_info(with_stored_agent_id(settings, session)).id_number == AGENT_ID
    finally:
        desk.close()
    assert AGENT_ID.encode() not in locked_data.database.read_bytes()  # the database is encrypted


def test_saving_settings_never_writes_the_id_number(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(agent=AgentSettings(**AGENT)))
    assert AGENT_ID not in path.read_text(encoding="utf-8")
    assert load_settings(path).agent.phone == "13909381234"
